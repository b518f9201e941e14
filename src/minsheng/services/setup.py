"""``minsheng init``: create or upgrade the schema and load the shipped reference data.

Idempotent: run it again after an upgrade and it migrates, adds what is new and
refreshes what changed, leaving plans and observations alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from minsheng.data.divisions import load_divisions
from minsheng.domain.errors import MinshengError
from minsheng.domain.service_domains import DOMAINS
from minsheng.services.catalogue import plausible_bounds, shipped_catalogue
from minsheng.settings import Settings
from minsheng.store.database import Database
from minsheng.store.repositories import catalogue as catalogue_repo
from minsheng.store.repositories import regions as regions_repo

#: (step name, total units) announced before each step, then the units done as they go.
Progress = Callable[[str, int], Callable[[int], None]]


@dataclass(frozen=True)
class InitResult:
    revision: str | None
    regions_total: int
    regions_added: int
    regions_updated: int
    domains_added: int
    indicators_total: int
    indicators_added: int


def init_database(db: Database, progress: Progress | None = None) -> InitResult:
    """Migrate to head, then load the division tree, the nine domains and the catalogue."""
    db.upgrade()
    divisions = load_divisions()
    catalogue = shipped_catalogue()
    advance = progress("regions", len(divisions)) if progress else None
    with db.session() as session:
        added, updated = regions_repo.upsert_regions(session, divisions, advance)
        domains_added = catalogue_repo.upsert_domains(session, DOMAINS)
        indicators_added = catalogue_repo.upsert_canonical(
            session,
            catalogue,
            source="minsheng/data/catalogue.csv",
            bounds={c.code: plausible_bounds(c) for c in catalogue},
        )
        total = regions_repo.count_regions(session)
    return InitResult(
        revision=db.current_revision(),
        regions_total=total,
        regions_added=added,
        regions_updated=updated,
        domains_added=domains_added,
        indicators_total=len(catalogue),
        indicators_added=indicators_added,
    )


def open_database(settings: Settings, require_init: bool = True) -> Database:
    """The database the settings name; unless asked not to, refuse one ``init`` has not prepared.

    A schema behind the shipped migrations is upgraded in place (a newer
    minsheng on an older database), so users never run migrations by hand.
    """
    db = Database.from_settings(settings)
    if not require_init:
        return db
    try:
        revision = db.current_revision()
    except Exception as exc:  # unreachable server, bad URL
        raise MinshengError(
            f"cannot open the database {db!r}: {type(exc).__name__}: {exc}"
        ) from None
    if revision is None:
        raise MinshengError(f"the database {db!r} is empty; run `minsheng init` first")
    if revision != head_revision(db):
        db.upgrade()
    return db


def head_revision(db: Database) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(db.alembic_config()).get_current_head()
