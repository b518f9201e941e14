"""Basic public service standard lists (基本公共服务标准), their items and confirmed matches.

A list is identified by its name and region; each stored row is one version of it.
A change never edits a version: it adds the next one with its date, reason and
author, so every earlier version stays readable and any two can be diffed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from minsheng.store.models.base import Base, UtcDateTime


class StandardListRow(Base):
    __tablename__ = "standard_lists"
    __table_args__ = (UniqueConstraint("name", "version", "region_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    version: Mapped[str] = mapped_column(String(50))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    issued_on: Mapped[date | None] = mapped_column(Date)  # the date the list took effect
    source: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)  # why this version was made
    author: Mapped[str | None] = mapped_column(String(100))  # who made this version
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    plan_id: Mapped[int | None] = mapped_column(Integer)  # the plan it was read from, if any

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
    category: Mapped[str | None] = mapped_column(String(200))  # 服务类别 (e.g. 优孕优生服务)
    source: Mapped[str | None] = mapped_column(Text)  # where the item's facts come from


class StandardMatchRow(Base):
    """A person's verdict on a fuzzy match between a local item and a reference item."""

    __tablename__ = "standard_match_confirmations"
    __table_args__ = (UniqueConstraint("local_item", "reference_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    local_item: Mapped[str] = mapped_column(Text)
    reference_item: Mapped[str] = mapped_column(Text)
    accepted: Mapped[bool] = mapped_column(Boolean)
    confirmed_by: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[datetime] = mapped_column(UtcDateTime())
