"""Plans and what was extracted from them: indicator rows, service lists, key projects."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from minsheng.store.models.base import Base, utcnow


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    region_name: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(16))
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), index=True)
    issuer: Mapped[str | None] = mapped_column(String(300))
    document_number: Mapped[str | None] = mapped_column(String(100))
    issue_date: Mapped[date | None] = mapped_column(Date)
    publish_date: Mapped[date | None] = mapped_column(Date)
    source_file: Mapped[str | None] = mapped_column(String(500))
    checksum: Mapped[str | None] = mapped_column(String(64), index=True)  # sha256 hex
    higher_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    target_year: Mapped[int | None] = mapped_column(Integer)
    outline: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
    warnings: Mapped[list[str] | None] = mapped_column(JSON)
    # None: read from a document; "targets_only": a table of targets; "draft": a confirmed draft
    kind: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(Text)  # where a plan without a document comes from
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the same document ingested again becomes the next version of this plan
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # how sure the reading of the region is; NULL region_id: unknown until a person sets it
    region_confidence: Mapped[float | None] = mapped_column(Float)
    # earlier versions: [{version, checksum, source_file, stored_at, changes}], oldest first
    history: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)

    indicators: Mapped[list[PlanIndicatorRow]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanIndicatorRow.position"
    )
    services: Mapped[list[PlanServiceRow]] = relationship(
        cascade="all, delete-orphan", order_by="PlanServiceRow.position"
    )
    projects: Mapped[list[KeyProjectRow]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="KeyProjectRow.position"
    )


class PlanIndicatorRow(Base):
    """One row of a plan's indicator table in the plan's own words, and its mapping."""

    __tablename__ = "plan_indicators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the table
    seq: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    domain_label: Mapped[str | None] = mapped_column(String(200))
    domain_code: Mapped[str | None] = mapped_column(ForeignKey("service_domains.code"))
    # where domain_code came from: NULL the plan itself (its document, or a row stored before
    # this was recorded); "mapping" the catalogue entry the row is mapped to (matched at ingest
    # or confirmed by a person), so undoing the mapping takes it too (repositories/row_domains)
    domain_from: Mapped[str | None] = mapped_column(String(16))
    canonical_id: Mapped[int | None] = mapped_column(
        ForeignKey("canonical_indicators.id"), index=True
    )
    match_score: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(50))
    baseline_raw: Mapped[str | None] = mapped_column(String(300))
    baseline: Mapped[dict[str, object] | None] = mapped_column(JSON)  # Target.to_dict()
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    target_raw: Mapped[str | None] = mapped_column(String(300))
    target: Mapped[dict[str, object] | None] = mapped_column(JSON)
    target_year: Mapped[int | None] = mapped_column(Integer)
    nature: Mapped[str | None] = mapped_column(String(16))
    polarity: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    # whether the regions below the plan's own region report this row (the plan's own region
    # reports every row); NULL: nobody has said, and the reporting cycle does not guess
    reported_below: Mapped[bool | None] = mapped_column(Boolean)

    plan: Mapped[PlanRow] = relationship(back_populates="indicators")


class PlanServiceRow(Base):
    """One domain's part of the basic public service list a plan publishes."""

    __tablename__ = "plan_services"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    domain_label: Mapped[str] = mapped_column(String(200))
    domain_code: Mapped[str | None] = mapped_column(ForeignKey("service_domains.code"))
    content_and_goal: Mapped[str | None] = mapped_column(Text)
    items: Mapped[list[str]] = mapped_column(JSON)
    declared_count: Mapped[int | None] = mapped_column(Integer)


class KeyProjectRow(Base):
    __tablename__ = "key_projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    domain_label: Mapped[str | None] = mapped_column(String(200))
    domain_code: Mapped[str | None] = mapped_column(ForeignKey("service_domains.code"))
    box: Mapped[str | None] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    lead_unit: Mapped[str | None] = mapped_column(String(300))
    investment: Mapped[float | None] = mapped_column(Float)  # 10k yuan (万元)
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(50))

    plan: Mapped[PlanRow] = relationship(back_populates="projects")
    progress: Mapped[list[ProjectProgressRow]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectProgressRow.year"
    )


class ProjectProgressRow(Base):
    __tablename__ = "project_progress"
    __table_args__ = (UniqueConstraint("project_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("key_projects.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    percent: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
