"""Service domains, tiers and the national catalogue of canonical indicators."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from minsheng.store.models.base import Base


class ServiceDomainRow(Base):
    __tablename__ = "service_domains"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)


class TierRow(Base):
    __tablename__ = "service_tiers"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(Integer)


class CanonicalIndicatorRow(Base):
    __tablename__ = "canonical_indicators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    unit: Mapped[str | None] = mapped_column(String(50))
    polarity: Mapped[str] = mapped_column(String(16))
    domain_code: Mapped[str] = mapped_column(ForeignKey("service_domains.code"))
    source: Mapped[str | None] = mapped_column(String(300))
    # Plausibility bounds used by observation validation; None means unbounded.
    lower_bound: Mapped[float | None] = mapped_column(Float)
    upper_bound: Mapped[float | None] = mapped_column(Float)
    # What kind of measure a derived indicator holds (e.g. "access_coverage"): only such an
    # indicator receives values computed by minsheng; None for the statistics people report.
    derived_measure: Mapped[str | None] = mapped_column(String(32))

    aliases: Mapped[list[IndicatorAliasRow]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IndicatorAliasRow.id"
    )


class IndicatorAliasRow(Base):
    """Another wording of a canonical indicator; confirmed mappings add plans' wordings here."""

    __tablename__ = "indicator_aliases"
    __table_args__ = (UniqueConstraint("indicator_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("canonical_indicators.id", ondelete="CASCADE")
    )
    alias: Mapped[str] = mapped_column(String(300), index=True)
    origin: Mapped[str] = mapped_column(String(32), default="catalogue")  # catalogue | confirmed

    indicator: Mapped[CanonicalIndicatorRow] = relationship(back_populates="aliases")
