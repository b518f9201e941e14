"""Mapping plan indicators to the catalogue: review, confirm, and remember.

Plans word the national indicators their own way. The matcher proposes a
canonical indicator with a score; a person confirms or corrects it; the plan's
wording then becomes an alias in the store, so the next document that words it
the same way maps without help. Reading documents through :func:`read_documents`
uses the store's catalogue, confirmed aliases included, for exactly that reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from minsheng.data.catalogue import load_catalogue
from minsheng.domain.errors import InvalidData, NotFound, Problem
from minsheng.domain.indicators import CanonicalIndicator, PlanIndicator
from minsheng.ingest.documents.catalogue_matching import match_indicators
from minsheng.ingest.documents.document import read_plan
from minsheng.ingest.documents.extraction import Extraction, Match
from minsheng.services.plans import (
    ConfirmedMapping,
    StoredPlan,
    confirm_mapping,
    get_plan,
    save_extracted_plan,
)
from minsheng.store.database import Database
from minsheng.store.repositories import catalogue as catalogue_repo

Advance = Callable[[str], None]


def store_catalogue(db: Database | None) -> list[CanonicalIndicator]:
    """The catalogue as the store holds it (confirmed aliases included); the shipped one before `init`."""
    if db is None or db.current_revision() is None:
        return load_catalogue()
    with db.session() as session:
        return catalogue_repo.list_canonical(session) or load_catalogue()


def read_documents(
    db: Database | None, paths: Sequence[Path], advance: Advance | None = None
) -> list[Extraction]:
    """Read plan documents, matching their indicators against the store's catalogue.

    Without a database (``None``) the shipped catalogue is used: reading never writes.
    """
    for path in paths:
        if not Path(path).is_file():
            raise NotFound(f"{path}: no such file")
    catalogue = store_catalogue(db)
    out = []
    for path in paths:
        if advance:
            advance(Path(path).name)
        out.append(read_plan(path, catalogue))
    return out


def store_documents(
    db: Database, paths: Sequence[Path], advance: Advance | None = None
) -> list[tuple[Extraction, StoredPlan]]:
    """Read and store plan documents: a file stored before is kept, not duplicated; a
    revised edition (same region and title) becomes the stored plan's next version."""
    if db.current_revision() is None:
        raise InvalidData(
            "the database is not initialised: run `minsheng init` first (or use --json)"
        )
    extractions = read_documents(db, paths, advance)
    strays = [e.document for e in extractions if not reads_as_plan(e)]
    if strays:
        raise InvalidData(
            f"{len(strays)} of {len(extractions)} documents do not read as plans; "
            "nothing was stored",
            [Problem(None, name, NOT_A_PLAN, message_zh=NOT_A_PLAN_ZH) for name in strays],
            message_zh=f"{len(strays)} 份文件不像规划，未存入任何文件",
        )
    return [(e, save_extracted_plan(db, e, if_exists="update")) for e in extractions]


NOT_A_PLAN = (
    "no plan title, planning period, indicator table (nor lines that look like one), "
    "service list or key projects found"
)
NOT_A_PLAN_ZH = "未找到规划标题、规划期、指标表（或像表格的行）、服务清单或重点项目"


def reads_as_plan(extraction: Extraction) -> bool:
    """Whether anything in the document makes it a plan.

    A news story about a plan or a standard's table of contents reads with none of a
    plan's marks; stored, it would sit among the plans as an empty one with no region or
    period. Lines that look like a table the reader could not parse count as a mark: a
    plan whose table was not recognised must be stored and show them, not be turned away.
    """
    plan, meta = extraction.plan, extraction.plan.metadata
    return bool(
        meta.title
        or meta.period_start
        or meta.period_end
        or plan.indicators
        or plan.services
        or plan.projects
        or extraction.unparsed_lines
    )


@dataclass(frozen=True)
class MappingRow:
    """One plan indicator with its current mapping and the matcher's best candidates."""

    row_id: int
    indicator: PlanIndicator
    match: Match
    # a row mapped while mapping left domains alone (before it filed them): no domain of its
    # own nor from the entry, so reports list it under 其他; confirming it again files it here
    files_under: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.indicator.match_score == 1.0 and self.indicator.canonical_code is not None


def review_mapping(db: Database, plan_ref: int | str) -> tuple[StoredPlan, list[MappingRow]]:
    """Every indicator of a stored plan with its mapping and candidates, for a person to check."""
    stored = get_plan(db, plan_ref)
    catalogue = store_catalogue(db)
    matches = match_indicators(
        [i.name for i in stored.plan.indicators],
        catalogue,
        units=[i.unit for i in stored.plan.indicators],
    )
    domain_of = {c.code: c.domain for c in catalogue}
    rows = [
        MappingRow(
            row_id,
            indicator,
            match,
            None
            if indicator.domain_code or not indicator.canonical_code
            else domain_of.get(indicator.canonical_code),
        )
        for row_id, indicator, match in zip(
            stored.indicator_ids, stored.plan.indicators, matches, strict=True
        )
    ]
    return stored, rows


def confirm(
    db: Database,
    plan_ref: int | str,
    key: str,
    canonical_code: str,
    *,
    moved_by: str | None = None,
    append_conflicts: bool = False,
) -> ConfirmedMapping:
    """Confirm that the plan's indicator ``key`` (its seq, or its exact name) is ``canonical_code``.

    The indicator's own values move into the canonical series (:func:`confirm_mapping`).
    """
    from minsheng.services.plan_corrections import indicator_position

    stored = get_plan(db, plan_ref)
    row_id = stored.indicator_ids[indicator_position(stored, key)]
    return confirm_mapping(
        db, row_id, canonical_code, moved_by=moved_by, append_conflicts=append_conflicts
    )


@dataclass(frozen=True)
class Unmapped:
    name: str
    code: str  # the canonical indicator the row no longer reads
    values_left: int  # values in that series for the plan's region and those under it
    unfiled: str | None = None  # the domain the mapping had given the row, taken back with it


def unmap(db: Database, plan_ref: int | str, key: str, *, by: str | None) -> Unmapped:
    """Undo a row's mapping: the row reads a series of its own again (empty to begin with).

    Why it exists: a mapping made wrongly (a row of another quantity mapped by an older
    release, a confirmation typed against the wrong code) must be undoable. The values stay
    in the canonical series: they were entered or moved there as that indicator's, and other
    plans may read them; the row's wording stops being an alias, so the next document worded
    the same way is not mapped to it unasked. A domain the mapping gave the row (the plan
    gave none) goes with it; a domain of the plan's own stays. Audited as ``indicator.unmap``.
    """
    from sqlalchemy import func, select

    from minsheng.domain.regions import code_prefix
    from minsheng.services.plan_corrections import indicator_position
    from minsheng.store.models import (
        CanonicalIndicatorRow,
        IndicatorAliasRow,
        ObservationVersionRow,
        PlanIndicatorRow,
        RegionRow,
    )
    from minsheng.store.repositories import audit as audit_repo
    from minsheng.store.repositories import row_domains

    stored = get_plan(db, plan_ref)
    row_id = stored.indicator_ids[indicator_position(stored, key)]
    with db.session() as session:
        row = session.get(PlanIndicatorRow, row_id)
        assert row is not None, "a row of the stored plan"
        if row.canonical_id is None:
            raise InvalidData(
                f"{row.name} is not mapped to the catalogue",
                message_zh=f"“{row.name}”未对应指标目录，无需取消",
            )
        canonical = session.get(CanonicalIndicatorRow, row.canonical_id)
        assert canonical is not None, "a row's canonical indicator"
        o = ObservationVersionRow
        inside = RegionRow.code.like(f"{code_prefix(stored.region_code or '100000')}%")
        left = session.scalar(
            select(func.count(o.id)).join(RegionRow, RegionRow.id == o.region_id)
            .where(o.canonical_id == canonical.id, inside)
        )  # fmt: skip
        for alias in session.scalars(
            select(IndicatorAliasRow).where(
                IndicatorAliasRow.indicator_id == canonical.id,
                IndicatorAliasRow.alias == row.name,
                IndicatorAliasRow.origin == "confirmed",
            )
        ):
            session.delete(alias)
        row.canonical_id, row.match_score = None, None
        domain = row.domain_code
        unfiled = domain if row_domains.unfile_mapping(row) else None
        audit_repo.record(
            session, by, "indicator.unmap",
            f"{row.name} ↛ {canonical.code} {canonical.name}"
            + (f" (domain {unfiled} → —)" if unfiled else ""),
            region=stored.region_code,
            before={"plan_indicator": row.id, "canonical": canonical.code, "domain": domain},
            after={"plan_indicator": row.id, "canonical": None, "domain": row.domain_code},
        )  # fmt: skip
        return Unmapped(row.name, canonical.code, int(left or 0), unfiled)
