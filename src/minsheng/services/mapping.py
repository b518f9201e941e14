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
from minsheng.domain.errors import InvalidData, NotFound
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
    return [(e, save_extracted_plan(db, e, if_exists="update")) for e in extractions]


@dataclass(frozen=True)
class MappingRow:
    """One plan indicator with its current mapping and the matcher's best candidates."""

    row_id: int
    indicator: PlanIndicator
    match: Match

    @property
    def confirmed(self) -> bool:
        return self.indicator.match_score == 1.0 and self.indicator.canonical_code is not None


def review_mapping(db: Database, plan_ref: int | str) -> tuple[StoredPlan, list[MappingRow]]:
    """Every indicator of a stored plan with its mapping and candidates, for a person to check."""
    stored = get_plan(db, plan_ref)
    matches = match_indicators([i.name for i in stored.plan.indicators], store_catalogue(db))
    rows = [
        MappingRow(row_id, indicator, match)
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
    stored = get_plan(db, plan_ref)
    key = key.strip()
    found = [
        row_id
        for row_id, indicator in zip(stored.indicator_ids, stored.plan.indicators, strict=True)
        if (key.isdigit() and indicator.seq == int(key)) or indicator.name == key
    ]
    if not found:
        raise NotFound(f"plan {stored.id} has no indicator with seq or name {key!r}")
    if len(found) > 1:
        raise InvalidData(
            f"{key!r} names {len(found)} indicators of plan {stored.id}: use the exact name"
        )
    return confirm_mapping(
        db, found[0], canonical_code, moved_by=moved_by, append_conflicts=append_conflicts
    )
