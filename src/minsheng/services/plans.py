"""Storing extracted plans, finding them, confirming indicator mappings, reading them for evaluation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select

from minsheng.domain.errors import Conflict, InvalidData, NotFound
from minsheng.domain.indicators import PlanIndicator
from minsheng.domain.observations import ObservationStatus
from minsheng.domain.plans import Plan
from minsheng.domain.service_domains import classify_domain
from minsheng.services.regions import region_index
from minsheng.services.series_units import in_units
from minsheng.services.standards import record_plan_list
from minsheng.store.database import Database
from minsheng.store.models import CanonicalIndicatorRow, PlanIndicatorRow, PlanRow, RegionRow
from minsheng.store.repositories import audit as audit_repo
from minsheng.store.repositories import catalogue as catalogue_repo
from minsheng.store.repositories import evaluation as evaluation_repo
from minsheng.store.repositories import observations as observations_repo
from minsheng.store.repositories import plan_versions as versions_repo
from minsheng.store.repositories import plans as plans_repo
from minsheng.store.repositories import projects as projects_repo
from minsheng.store.repositories import regions as regions_repo
from minsheng.store.repositories import row_domains
from minsheng.store.repositories import series_moves as series_moves_repo
from minsheng.store.repositories.plans import PlanSummary, StoredPlan
from minsheng.store.repositories.series_moves import SeriesMove
from minsheng.units import same_quantity

if TYPE_CHECKING:  # polars is imported where a frame is built, so `minsheng --help` stays light
    import polars as pl
    from sqlalchemy.orm import Session

__all__ = [
    "ConfirmedMapping",
    "PlanSummary",
    "StoredPlan",
    "confirm_mapping",
    "delete_plan",
    "file_checksum",
    "get_plan",
    "list_plans",
    "load_plan_for_evaluation",
    "load_plan_observations",
    "project_progress",
    "record_project_progress",
    "save_evaluation_records",
    "save_extracted_plan",
    "set_higher_plan",
    "set_plan_region",
]

OBSERVATION_COLUMNS = ("indicator", "region", "year", "value")


def file_checksum(path: str | Path) -> str:
    """SHA-256 of a file, the identity of a source document."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _with_domain_codes(plan: Plan) -> Plan:
    indicators = []
    for ind in plan.indicators:
        if ind.domain_code is None:
            domain = classify_domain(ind.domain) or classify_domain(ind.name)
            ind = replace(ind, domain_code=domain.code if domain else None)
        indicators.append(ind)
    return replace(plan, indicators=indicators)


def save_extracted_plan(
    db: Database,
    extraction_or_plan: Any,
    if_exists: Literal["error", "keep", "add", "update"] = "error",
    *,
    by: str | None = None,
) -> StoredPlan:
    """Store a domain Plan (or an ingest Extraction's plan) with everything extracted from it.

    The checksum of the source file (computed here when the plan lacks one and
    the file exists) identifies a document: storing the same document twice is a
    Conflict unless ``if_exists`` is ``"keep"`` (return the stored plan, for the same
    file or the same plan: same region and title, e.g. another copy of its head),
    ``"add"`` (store another copy) or ``"update"`` (what ``minsheng ingest`` does):
    the very same file returns the stored plan unchanged, and a document with the
    same region and title (a revised edition) becomes the plan's next version,
    its indicator rows updated in place so their values stay, and what it does not
    state (no indicator table, say) kept; ``changes`` says what changed.
    """
    plan: Plan = getattr(extraction_or_plan, "plan", extraction_or_plan)
    if plan.checksum is None and plan.source_file and Path(plan.source_file).is_file():
        plan = replace(plan, checksum=file_checksum(plan.source_file))
    plan = _with_domain_codes(plan)
    with db.session() as session:
        if if_exists == "update":
            existing, why = versions_repo.same_plan(session, plan)
            changes: list[str] = []
            if existing is not None and why == "title":
                changes = versions_repo.update_plan(session, existing, plan)
                record_plan_list(session, plan, existing)  # a revised list: its next version
                audit_repo.record(
                    session, by, "plan.version",
                    f"{existing.title} (plan {existing.id}, version {existing.version})",
                    region=plan.metadata.region_code,
                    after={
                        "plan": existing.id,
                        "source": plan.source_file,
                        "changes": "; ".join(changes) or None,
                    },
                )  # fmt: skip
            if existing is not None:
                stored = plans_repo.to_stored_plan(
                    session, plans_repo.plan_row(session, existing.id)
                )
                return replace(stored, changes=tuple(changes))
        elif if_exists == "keep":
            existing, _why = versions_repo.same_plan(session, plan)
            if existing is not None:
                return plans_repo.to_stored_plan(session, plans_repo.plan_row(session, existing.id))
        elif plan.checksum and if_exists != "add":
            existing = session.scalar(select(PlanRow).where(PlanRow.checksum == plan.checksum))
            if existing is not None:
                raise Conflict(
                    f"this document is already stored as plan {existing.id} ({existing.title})"
                )
        row = plans_repo.add_plan(session, plan)
        record_plan_list(session, plan, row)
        audit_repo.record(
            session, by, "plan.add", f"{plan.metadata.title or 'plan'} (plan {row.id})",
            region=plan.metadata.region_code,
            after={"plan": row.id, "indicators": len(plan.indicators), "source": plan.source_file},
        )  # fmt: skip
        return plans_repo.to_stored_plan(session, plans_repo.plan_row(session, row.id))


def set_plan_region(db: Database, plan_ref: int | str, region: str) -> StoredPlan:
    """Say which region a plan is for (a code or a name the one resolver accepts)."""
    with db.session() as session:
        row = plans_repo.find_plan_row(session, plan_ref)
        code = region_index(session).resolve(region).code
        versions_repo.set_region(session, row, regions_repo.region_row(session, code))
        return plans_repo.to_stored_plan(session, plans_repo.plan_row(session, row.id))


def plan_observation_count(db: Database, plan_ref: int | str) -> int:
    """How many values (every version) were reported against a plan's own indicators."""
    with db.session() as session:
        return versions_repo.count_observations(
            session, plans_repo.find_plan_row(session, plan_ref)
        )


def delete_plan(
    db: Database,
    plan_ref: int | str,
    observations: Literal["keep", "delete"],
    *,
    by: str | None = None,
) -> tuple[str, int, int]:
    """Remove a plan; its values are kept in the catalogue series or deleted with it.

    Returns (title, values kept, values deleted). See
    :func:`minsheng.store.repositories.plan_versions.delete_plan` for what ``keep`` does.
    """
    with db.session() as session:
        row = plans_repo.find_plan_row(session, plan_ref)
        title = row.title
        region = _region_code(session, row)
        kept, deleted = versions_repo.delete_plan(session, row, observations)
        audit_repo.record(
            session, by, "plan.delete", f"{title} (plan {row.id})",
            region=region,
            before={"plan": row.id, "title": title}, after={"values_kept": kept, "values_deleted": deleted},
        )  # fmt: skip
        return title, kept, deleted


def _region_code(session: Any, row: PlanRow | None) -> str | None:  # noqa: ANN401
    region = session.get(RegionRow, row.region_id) if row is not None and row.region_id else None
    return region.code if region is not None else None


def list_plans(db: Database) -> list[PlanSummary]:
    with db.session() as session:
        return plans_repo.list_plan_summaries(session)


def get_plan(db: Database, ref: int | str) -> StoredPlan:
    """A plan by id, exact title, or a title fragment naming exactly one plan."""
    with db.session() as session:
        return plans_repo.to_stored_plan(session, plans_repo.find_plan_row(session, ref))


def set_higher_plan(db: Database, plan_ref: int | str, higher_ref: int | str | None) -> StoredPlan:
    """Record which higher-level plan a plan implements (None clears it)."""
    with db.session() as session:
        row = plans_repo.find_plan_row(session, plan_ref)
        higher = plans_repo.find_plan_row(session, higher_ref) if higher_ref is not None else None
        if higher is not None and higher.id == row.id:
            raise Conflict("a plan cannot be its own higher-level plan")
        row.higher_plan_id = higher.id if higher else None
        session.flush()
        return plans_repo.to_stored_plan(session, row)


@dataclass(frozen=True)
class ConfirmedMapping:
    """A confirmed mapping and what became of the row's own values (one audit row per region-year).

    ``name``, ``canonical_code`` and ``match_score`` read through to the indicator.
    """

    indicator: PlanIndicator
    moves: list[SeriesMove] = field(default_factory=list)
    filed: str | None = None  # the domain the mapping gave a row the plan filed under none

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def canonical_code(self) -> str | None:
        return self.indicator.canonical_code

    @property
    def match_score(self) -> float | None:
        return self.indicator.match_score

    def count(self, outcome: str) -> int:
        return sum(1 for m in self.moves if m.outcome == outcome)

    @property
    def conflicts(self) -> list[SeriesMove]:
        """Region-years where the canonical series held another value (kept current)."""
        return [m for m in self.moves if m.outcome == "conflict"]


def confirm_mapping(
    db: Database,
    plan_indicator_id: int,
    canonical_code: str,
    *,
    moved_by: str | None = None,
    append_conflicts: bool = False,
) -> ConfirmedMapping:
    """Map a plan's indicator row to a canonical indicator, as a person confirmed it.

    The plan's own wording becomes an alias of the canonical indicator, so the
    next plan that words it the same way maps without help. The row's own values
    move into the canonical series (one series per indicator, region and year),
    each region-year audited. Where the canonical series already holds a
    different value, it stays current and the conflict is reported;
    ``append_conflicts`` adds the row's value as the canonical series' next version instead.
    """
    with db.session() as session:
        return confirm_mapping_in(
            session, plan_indicator_id, canonical_code,
            moved_by=moved_by, append_conflicts=append_conflicts,
        )  # fmt: skip


def confirm_mapping_in(
    session: Session,
    plan_indicator_id: int,
    canonical_code: str,
    *,
    moved_by: str | None = None,
    append_conflicts: bool = False,
) -> ConfirmedMapping:
    """:func:`confirm_mapping` inside a caller's transaction, for a caller that maps
    several rows (or adds the canonical indicator first) all or nothing."""
    row = session.get(PlanIndicatorRow, plan_indicator_id)
    if row is None:
        raise NotFound(f"no plan indicator with id {plan_indicator_id}")
    canonical = catalogue_repo.canonical_row(session, canonical_code)
    if not same_quantity(row.unit, canonical.unit):
        raise InvalidData(
            f"{row.name} is in {row.unit}, {canonical.code} {canonical.name} in {canonical.unit}: "
            "another quantity, so they cannot share one series; map it to an indicator in "
            f"{row.unit}, or correct the row's unit first (`minsheng plans {row.plan_id} "
            f"--correct ROW.unit=UNIT --reason …`)",
            message_zh=f"“{row.name}”的单位是{row.unit}，{canonical.code}“{canonical.name}”的单位是"
            f"{canonical.unit}，二者不是同一计量，不能共用一个数据序列；请映射到以{row.unit}计的"
            "指标，或先更正该行的单位",
        )
    earlier = session.get(CanonicalIndicatorRow, row.canonical_id) if row.canonical_id else None
    was = (earlier.code if earlier else None), row.domain_code
    row.canonical_id = canonical.id
    row.match_score = 1.0
    # a row the plan filed under no domain is filed under the entry's (never over the plan's own)
    filed = row_domains.file_under_mapping(row, canonical)
    catalogue_repo.add_alias(session, canonical, row.name, origin="confirmed")
    session.flush()
    audit_repo.record(
        session, moved_by, "indicator.map",
        f"{row.name} → {canonical.code} {canonical.name}"
        + (f" (domain {was[1] or '—'} → {row.domain_code})" if filed else ""),
        region=_region_code(session, session.get(PlanRow, row.plan_id)),
        before={"plan_indicator": row.id, "canonical": was[0], "domain": was[1]},
        after={"plan_indicator": row.id, "canonical": canonical.code, "domain": row.domain_code},
    )  # fmt: skip
    moves = series_moves_repo.move_plan_series(
        session.connection(),
        row.id,
        canonical.id,
        moved_by,
        append_conflicts=append_conflicts,
    )
    stored = plans_repo.to_stored_plan(session, plans_repo.plan_row(session, row.plan_id))
    indicator = stored.plan.indicators[stored.indicator_ids.index(row.id)]
    return ConfirmedMapping(indicator, moves, row.domain_code if filed else None)


def load_plan_for_evaluation(
    db: Database, plan_ref: int | str, *, published_only: bool = False, bulk: bool = True
) -> tuple[Plan, pl.DataFrame]:
    """A plan and the current observations of its indicators in the plan's units
    (:func:`load_plan_observations` without the values set aside)."""
    plan, frame, _ = load_plan_observations(db, plan_ref, published_only=published_only, bulk=bulk)
    return plan, frame


def load_plan_observations(
    db: Database,
    plan_ref: int | str,
    *,
    published_only: bool = False,
    bulk: bool = True,
    region: str | None = None,
    provenance: bool = False,
) -> tuple[Plan, pl.DataFrame, pl.DataFrame]:
    """A plan and the current observations of its indicators, ready for evaluation.

    The frame has one row per (indicator, region, year) with columns
    ``indicator`` (the plan's own wording), ``region`` (GB/T 2260 code),
    ``year``, ``value``, plus ``plan_indicator_id``, ``synthetic`` and ``status``.
    Only the latest version of each value is kept. One series per indicator: a
    row mapped to a canonical indicator reads the canonical series (whatever plan
    or file entered the values); an unmapped row reads its own. Each value is read
    in the plan's unit for its row (:mod:`minsheng.services.series_units`); the third
    frame holds the latest values whose unit is another quantity, which are not
    judged (with their ``unit`` and the row's ``wanted_unit``). The values are
    read in bulk as Arrow (:func:`observations_repo.scan_table`); ``bulk=False``
    reads them row by row through the session (the reference the tests compare).

    ``region`` (a code) reads that region's values only, and ``provenance`` adds
    each value's ``version``, ``source`` and ``entered_at``: what a report's table of
    the values it used shows, read by this same reader so that it cannot show
    another value than the evaluation judged.
    """
    import polars as pl

    with db.session() as session:
        stored = plans_repo.to_stored_plan(session, plans_repo.find_plan_row(session, plan_ref))
        canonical_of = dict(
            session.execute(
                select(PlanIndicatorRow.id, PlanIndicatorRow.canonical_id).where(
                    PlanIndicatorRow.plan_id == stored.id,
                    PlanIndicatorRow.canonical_id.is_not(None),
                )
            ).all()
        )
        scanned = observations_repo.scan_table(
            session,
            [int(i) for i in stored.indicator_ids if i not in canonical_of],
            sorted({int(c) for c in canonical_of.values() if c is not None}),
            bulk=bulk,
            region=region,
            provenance=provenance,
        )
    raw = pl.from_arrow(scanned)
    assert isinstance(raw, pl.DataFrame)
    if published_only:  # the public's view: the latest published version of each value
        raw = raw.filter(pl.col("status") == ObservationStatus.PUBLISHED.value)
    mapped = {int(p): int(c) for p, c in canonical_of.items() if c is not None}
    return stored.plan, *observation_frame(stored, mapped, raw)


def observation_frame(
    stored: StoredPlan, canonical_of: dict[int, int], raw: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Latest versions, keyed by plan indicator, in the row's unit; and those set aside.

    One vectorised pass over the scanned columns.

    ``raw`` has the columns of :data:`observations_repo.SCAN_COLUMNS`, and where it
    also has :data:`observations_repo.PROVENANCE_COLUMNS` both frames carry them, with
    each value's ``version`` (scanned always, to find the latest, but kept only for a
    caller who asks where a value came from: the evaluation's frame stays as it was).
    ``canonical_of`` maps the plan's mapped rows to their canonical series; their
    own series (left over from before the mapping, or a conflict kept aside) is not read.
    """
    import polars as pl

    names = pl.DataFrame(
        {
            "plan_indicator_id": list(stored.indicator_ids),
            "indicator": [i.name for i in stored.plan.indicators],
            "wanted_unit": [i.unit for i in stored.plan.indicators],
        },
        schema={"plan_indicator_id": pl.Int64, "indicator": pl.Utf8, "wanted_unit": pl.Utf8},
    )
    mapped = pl.DataFrame(
        {"plan_indicator_id": list(canonical_of), "canonical_id": list(canonical_of.values())},
        schema={"plan_indicator_id": pl.Int64, "canonical_id": pl.Int64},
    )
    own = raw.filter(
        pl.col("plan_indicator_id").is_not_null()
        & ~pl.col("plan_indicator_id").is_in(mapped.get_column("plan_indicator_id").implode())
    )
    via_catalogue = (
        raw.filter(pl.col("canonical_id").is_not_null())
        .drop("plan_indicator_id")
        .join(mapped, on="canonical_id", how="inner")
        .select(own.columns)
    )
    latest = (
        latest_versions(pl.concat([own, via_catalogue]))
        .join(names, on="plan_indicator_id", how="left", maintain_order="left")
        .rename({"region_code": "region"})
    )
    columns = ["indicator", "region", "year", "value", "bound", "plan_indicator_id", "synthetic",
               "status"]  # fmt: skip
    if set(observations_repo.PROVENANCE_COLUMNS) <= set(raw.columns):
        columns += ["version", *observations_repo.PROVENANCE_COLUMNS]
    converted, set_aside = in_units(latest)
    return converted.select(columns), set_aside.select([*columns, "unit", "wanted_unit"])


def latest_versions(frame: pl.DataFrame) -> pl.DataFrame:
    """The latest version of each (plan indicator, region, year), in that key's order.

    One sort by key then version puts each key's latest version last in its run; keeping
    the last of each run is a comparison with the next row (no hash table, no second
    sort). The sort is on one integer made of the key's parts when their ranges fit in
    62 bits — region codes by their rank among the codes present, so the order is the
    codes' — because sorting 840,000 rows on four columns, one of them text, cost a
    quarter of a whole country's evaluation; otherwise on the columns themselves.
    """
    import polars as pl

    keys = ["plan_indicator_id", "region_code", "year"]
    if frame.is_empty():
        return frame
    codes = frame.get_column("region_code").unique().sort()
    region = pl.col("region_code").replace_strict(
        codes, pl.Series(range(len(codes)), dtype=pl.Int64), return_dtype=pl.Int64
    )
    parts = frame.select(
        pl.col("plan_indicator_id").min().alias("p0"), pl.col("plan_indicator_id").max().alias("p1"),
        pl.col("year").min().alias("y0"), pl.col("year").max().alias("y1"),
        pl.col("version").min().alias("v0"), pl.col("version").max().alias("v1"),
    ).row(0)  # fmt: skip
    p0, p1, y0, y1, v0, v1 = (int(x) for x in parts)
    widths = [(p1 - p0).bit_length(), (len(codes) - 1).bit_length(), (y1 - y0).bit_length(),
              (v1 - v0).bit_length()]  # fmt: skip
    if sum(widths) > 62:
        ordered = frame.sort([*keys, "version"])
        last = pl.any_horizontal([(pl.col(k) != pl.col(k).shift(-1)).fill_null(True) for k in keys])
        return ordered.filter(last)
    _, wr, wy, wv = widths
    series = (
        (pl.col("plan_indicator_id") - p0) * (1 << (wr + wy))
        + region * (1 << wy)
        + (pl.col("year") - y0)
    )
    # the order and the rows kept are found on the two integer columns alone, and the
    # frame (text columns and all) is gathered once, in that order: sorting it whole and
    # then filtering it moved every row twice
    keys_only = frame.select(series.alias("_series"), (pl.col("version") - v0).alias("_v"))
    order = keys_only.select(
        (pl.col("_series") * (1 << wv) + pl.col("_v")).arg_sort().alias("_at")
    ).get_column("_at")
    ordered_series = keys_only.get_column("_series").gather(order)
    is_last = (ordered_series != ordered_series.shift(-1)).fill_null(True)
    return frame[order.filter(is_last)]


def record_project_progress(
    db: Database, project_id: int, year: int, percent: float | None = None, note: str | None = None
) -> None:
    """Set a key project's progress for a year (``StoredPlan.project_ids`` names the projects)."""
    with db.session() as session:
        projects_repo.record_project_progress(session, project_id, year, percent, note)


def project_progress(
    db: Database, plan_ref: int | str
) -> list[tuple[int, str, int, float | None, str | None]]:
    """(project id, name, year, percent, note) for every recorded year of a plan's key projects."""
    with db.session() as session:
        return projects_repo.project_progress(
            session, plans_repo.find_plan_row(session, plan_ref).id
        )


def save_evaluation_records(
    db: Database, rows: list[dict[str, Any]], replace_plan_id: int | None = None
) -> int:
    """Store evaluation calculation records in one transaction (see the repository for the keys)."""
    with db.session() as session:
        return evaluation_repo.save_evaluation_records(session, rows, replace_plan_id)
