"""People who use minsheng; only a salted password hash is kept, never the password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.store.models.base import Base, utcnow


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))  # scope of a reporter
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserGrantRow(Base):
    """A further role in a region an account holds beside its own (``users.role``/``region_id``)."""

    __tablename__ = "user_grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "region_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    granted_by: Mapped[str | None] = mapped_column(String(100))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
