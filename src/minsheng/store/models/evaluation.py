"""The stored calculation record of every evaluation result, so a status can be re-derived."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.store.models.base import Base, utcnow


class EvaluationRecordRow(Base):
    __tablename__ = "evaluation_records"
    # one region's results of a plan indicator at a year: what the web app reads (migration 0005)
    __table_args__ = (
        Index("ix_evaluation_records_lookup", "plan_indicator_id", "region_id", "evaluation_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_indicator_id: Mapped[int] = mapped_column(
        ForeignKey("plan_indicators.id", ondelete="CASCADE"), index=True
    )
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    evaluation_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    rho: Mapped[float | None] = mapped_column(Float)
    expected: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(32))
    baseline: Mapped[float | None] = mapped_column(Float)  # B
    target: Mapped[float | None] = mapped_column(Float)  # T
    value: Mapped[float | None] = mapped_column(Float)  # V
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    target_year: Mapped[int | None] = mapped_column(Integer)
    value_year: Mapped[int | None] = mapped_column(Integer)
    target_kind: Mapped[str | None] = mapped_column(String(32))
    method: Mapped[str | None] = mapped_column(String(64))
    inputs: Mapped[dict[str, object] | None] = mapped_column(JSON)  # anything else the method used
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
