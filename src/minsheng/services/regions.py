"""Finding regions and their parent chains; recording changes of the tree; populations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.regions import Level, Region, ancestry
from minsheng.names import RegionIndex, normalise_name
from minsheng.store.database import Database
from minsheng.store.repositories import populations as populations_repo
from minsheng.store.repositories import regions as regions_repo
from minsheng.store.repositories.populations import Population


@dataclass(frozen=True)
class RegionHit:
    region: Region
    chain: tuple[Region, ...]  # the region first, up to the national root

    @property
    def chain_names(self) -> str:
        """``四川省 › 成都市 › 锦江区`` (national root left out)."""
        return " › ".join(r.name for r in reversed(self.chain) if r.level is not Level.NATIONAL)


#: Resolvers already built, by database and the tree's fingerprint: building one reads and
#: normalises every name of the tree (3,349 units), which every write used to pay twice.
_INDEXES: dict[tuple[str, tuple], RegionIndex] = {}
_INDEXES_KEPT = 8


def level_named(level: Level | str | None) -> Level | None:
    """``county`` (any case) → Level.COUNTY; the one reading of a typed level, for every door."""
    if level is None or isinstance(level, Level):
        return level
    try:
        return Level(level.strip().lower())
    except ValueError:
        choices = ", ".join(lv.value for lv in Level)
        raise InvalidData(
            f"unknown level {level!r}; choose one of {choices}",
            message_zh=f"没有“{level}”这一层级，可选：{choices}",
        ) from None


def region_index(session: Session) -> RegionIndex:
    """The one region resolver over the stored tree (retired units included).

    Kept while the tree's fingerprint (units, codes, names and validity, summed in one
    query) is unchanged, so a region added, renamed or retired is seen at once.
    """
    engine = session.get_bind().engine  # one per Database (its own schema, on PostgreSQL)
    key = (f"{id(engine)}:{engine.url}", regions_repo.tree_fingerprint(session))
    found = _INDEXES.get(key)
    if found is not None:
        return found
    regions = regions_repo.all_regions(session)
    if not regions:
        raise NotFound("no regions stored; run `minsheng init` first")
    index = RegionIndex(regions)
    if len(_INDEXES) >= _INDEXES_KEPT:
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[key] = index
    return index


def resolve_region(
    db: Database, text: str, scope: str | None = None, year: int | None = None
) -> Region:
    """A code, name, full name, 简称 or Traditional-script name → the one region it names.

    NotFound when none, AmbiguousRegion (listing the candidates) when several.
    """
    with db.session() as session:
        return region_index(session).resolve(text, scope=scope, year=year)


def _code_or_name(db_session: Session, text: str) -> str:
    return region_index(db_session).resolve(text).code


def search_regions(
    db: Database,
    query: str | None = None,
    level: Level | str | None = None,
    under: str | None = None,
    with_chain: bool = False,
    limit: int | None = None,
) -> list[RegionHit]:
    """Regions matching a code or name fragment, a level and an ancestor (code or name)."""
    level = level_named(level)
    with db.session() as session:
        under_code = _code_or_name(session, under) if under else None
        if query and query.strip() and not query.strip().isdigit():
            # a name that resolves (永川, 永川區, 重慶市永川區) is that region; else a fragment
            # search over the folded (Simplified, half-width) text
            index = region_index(session)
            try:
                exact = index.find(query, scope=under_code)
            except InvalidData as exc:  # ambiguous: list the candidates
                exact = None
                candidates = getattr(exc, "candidates", [])
                if candidates:
                    found = [r for r in candidates if level is None or r.level == level]
                    tree = regions_repo.regions_by_code(session) if with_chain else {}
                    return [
                        RegionHit(r, tuple(ancestry(r.code, tree)) if with_chain else (r,))
                        for r in found[:limit]
                    ]
            if exact is not None and (level is None or exact.level == level):
                tree = regions_repo.regions_by_code(session) if with_chain else {}
                chain = tuple(ancestry(exact.code, tree)) if with_chain else (exact,)
                return [RegionHit(exact, chain)]
            query = normalise_name(query)
        found = regions_repo.search_regions(session, query, level, under_code, limit=limit)
        tree = regions_repo.regions_by_code(session) if with_chain else {}
    return [RegionHit(r, tuple(ancestry(r.code, tree)) if with_chain else (r,)) for r in found]


def count_regions(db: Database, level: Level | str | None = None) -> int:
    with db.session() as session:
        return regions_repo.count_regions(session, level_named(level))


def region_ancestry(db: Database, code_or_name: str) -> list[Region]:
    """The chain from a region up to the national root, the region itself first."""
    with db.session() as session:
        region = region_index(session).resolve(code_or_name)
        tree = regions_repo.regions_by_code(session)
        if region.code not in tree:
            tree[region.code] = region
    return ancestry(region.code, tree)


def get_region(db: Database, code_or_name: str) -> Region:
    with db.session() as session:
        return region_index(session).resolve(code_or_name)


def retire_region(
    db: Database, code: str, last_year: int, successor_code: str | None = None
) -> Region:
    """Record that a unit ceased after ``last_year`` (merged into, renamed or re-coded as ``successor_code``).

    Its row and every value reported for it stay; values for later years go to the successor.
    """
    with db.session() as session:
        return regions_repo.to_region(
            regions_repo.retire_region(session, code, last_year, successor_code)
        )


def add_regions(db: Database, regions: list[Region]) -> tuple[int, int]:
    """Add new units (e.g. a successor created by a merger); returns (inserted, updated)."""
    with db.session() as session:
        return regions_repo.upsert_regions(session, regions)


def set_populations(db: Database, populations: list[Population]) -> tuple[int, int]:
    """Store resident populations by region and year; returns (inserted, updated)."""
    with db.session() as session:
        return populations_repo.set_populations(session, populations)


def get_populations(
    db: Database, codes: list[str] | None = None, years: list[int] | None = None
) -> list[Population]:
    with db.session() as session:
        return populations_repo.populations(session, codes, years)
