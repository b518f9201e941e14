"""Observations: append-only versions of one value per (indicator, region, year).

A row is never updated: a correction inserts the next version, and "current"
means the highest version; a withdrawal is a version too, after which the key has
no current value. The two unique constraints double as the scan
indexes for (plan indicator | canonical indicator, region, year); each applies
only to the indicator column that is set, since NULLs never collide.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.store.models.base import Base, utcnow

#: The columns of the covering index the bulk scan reads: the series (a plan's row, or a
#: catalogue indicator's among the rows with no plan row), then region, year and version,
#: then the figures.
SERIES_SCAN_COLUMNS = (
    "plan_indicator_id", "canonical_id", "region_id", "year", "version",
    "value", "unit", "synthetic", "status", "bound",
)  # fmt: skip
SERIES_SCAN_INDEX = "ix_observations_series_scan"


class ObservationVersionRow(Base):
    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("plan_indicator_id", "region_id", "year", "version"),
        UniqueConstraint("canonical_id", "region_id", "year", "version"),
        CheckConstraint(
            "(plan_indicator_id IS NULL) <> (canonical_id IS NULL)", name="one_indicator"
        ),
        # only the few withdrawals: every scan asks for them (repositories.withdrawals)
        Index(
            "ix_observations_withdrawn",
            "canonical_id",
            "plan_indicator_id",
            sqlite_where=text("withdrawn = 1"),
            postgresql_where=text("withdrawn"),
        ),
        # everything a whole-country scan reads, in series order: SQLite answers that scan
        # from this index alone, without visiting the wide rows (their source, note and
        # timestamps); see repositories/observation_scan_sqlite.py
        Index(SERIES_SCAN_INDEX, *SERIES_SCAN_COLUMNS),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_indicators.id", ondelete="CASCADE")
    )
    canonical_id: Mapped[int | None] = mapped_column(ForeignKey("canonical_indicators.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    # '>', '>=', '<', '<=' when the value was reported only as a bound ('>95'); None: the value
    bound: Mapped[str | None] = mapped_column(String(2))
    unit: Mapped[str | None] = mapped_column(String(50))
    source: Mapped[str | None] = mapped_column(String(500))
    entered_by: Mapped[str | None] = mapped_column(String(100))
    # indexed: the audit trail reads the newest versions first
    entered_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    entered_from: Mapped[str | None] = mapped_column(String(200))  # the writer's address
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    version: Mapped[int] = mapped_column(Integer, default=1)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    # a withdrawal: this version says the value should not have been stored (wrong region,
    # indicator or year); from it on the key holds no value until one is entered again
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SeriesMoveRow(Base):
    """The audit record of one (region, year) of a plan's own series moved into the canonical series.

    Written when a plan indicator is mapped to a canonical indicator (by a person or
    by the data migration): what moved, from which series, when and by whom. A
    ``conflict`` means both series held different values: the canonical one stays
    current and the plan's stays where it was, for a person to decide.
    """

    __tablename__ = "series_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_indicators.id", ondelete="SET NULL"), index=True
    )
    plan_indicator_name: Mapped[str] = mapped_column(String(300))
    canonical_id: Mapped[int] = mapped_column(ForeignKey("canonical_indicators.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    year: Mapped[int] = mapped_column(Integer)
    versions: Mapped[int] = mapped_column(Integer)  # versions of the plan series at the time
    value: Mapped[float] = mapped_column(Float)  # the plan series' current value
    canonical_value: Mapped[float | None] = mapped_column(Float)  # the canonical one, if any
    outcome: Mapped[str] = mapped_column(String(16))  # moved | same | conflict | appended
    moved_by: Mapped[str | None] = mapped_column(String(100))
    moved_at: Mapped[datetime] = mapped_column(default=utcnow)
