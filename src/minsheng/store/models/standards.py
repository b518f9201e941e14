"""Basic public service standard lists (基本公共服务标准) and their items."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from minsheng.store.models.base import Base


class StandardListRow(Base):
    __tablename__ = "standard_lists"
    __table_args__ = (UniqueConstraint("name", "version", "region_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    version: Mapped[str] = mapped_column(String(50))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))

    items: Mapped[list[StandardItemRow]] = relationship(
        cascade="all, delete-orphan", order_by="StandardItemRow.position"
    )


class StandardItemRow(Base):
    __tablename__ = "standard_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("standard_lists.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    domain_label: Mapped[str] = mapped_column(String(200))
    domain_code: Mapped[str | None] = mapped_column(ForeignKey("service_domains.code"))
    item: Mapped[str] = mapped_column(Text)
    served: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)
    standard: Mapped[str | None] = mapped_column(Text)
    spending_responsibility: Mapped[str | None] = mapped_column(Text)
    lead_department: Mapped[str | None] = mapped_column(Text)
