"""Finding regions and their parent chains."""

from __future__ import annotations

from dataclasses import dataclass

from minsheng.domain.errors import InvalidData
from minsheng.domain.regions import Level, Region, ancestry, normalise_code
from minsheng.store.database import Database
from minsheng.store.repositories import regions as regions_repo


@dataclass(frozen=True)
class RegionHit:
    region: Region
    chain: tuple[Region, ...]  # the region first, up to the national root

    @property
    def chain_names(self) -> str:
        """``四川省 › 成都市 › 锦江区`` (national root left out)."""
        return " › ".join(r.name for r in reversed(self.chain) if r.level is not Level.NATIONAL)


def _code_or_name(db_session, text: str) -> str:  # noqa: ANN001
    stripped = text.strip()
    if stripped.isdigit():
        stripped = normalise_code(stripped)
    return regions_repo.region_row(db_session, stripped).code


def search_regions(
    db: Database,
    query: str | None = None,
    level: Level | str | None = None,
    under: str | None = None,
    with_chain: bool = False,
    limit: int | None = None,
) -> list[RegionHit]:
    """Regions matching a code or name fragment, a level and an ancestor (code or name)."""
    if isinstance(level, str):
        try:
            level = Level(level.strip().lower())
        except ValueError:
            choices = ", ".join(lv.value for lv in Level)
            raise InvalidData(f"unknown level {level!r}; choose one of {choices}") from None
    with db.session() as session:
        under_code = _code_or_name(session, under) if under else None
        found = regions_repo.search_regions(session, query, level, under_code, limit=limit)
        tree = regions_repo.regions_by_code(session) if with_chain else {}
    return [RegionHit(r, tuple(ancestry(r.code, tree)) if with_chain else (r,)) for r in found]


def count_regions(db: Database, level: Level | str | None = None) -> int:
    with db.session() as session:
        return regions_repo.count_regions(
            session, Level(level) if isinstance(level, str) else level
        )


def region_ancestry(db: Database, code_or_name: str) -> list[Region]:
    """The chain from a region up to the national root, the region itself first."""
    with db.session() as session:
        row = regions_repo.region_row(session, code_or_name)
        tree = regions_repo.regions_by_code(session)
        if row.code not in tree:
            tree[row.code] = regions_repo.to_region(row)
    return ancestry(row.code, tree)


def get_region(db: Database, code_or_name: str) -> Region:
    with db.session() as session:
        return regions_repo.to_region(regions_repo.region_row(session, code_or_name))
