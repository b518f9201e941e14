"""Regions: load the division tree idempotently, look regions up, walk their ancestry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.regions import Level, Region, code_prefix
from minsheng.store.models import RegionRow

_BATCH = 1000


def to_region(row: RegionRow) -> Region:
    return Region(
        code=row.code,
        name=row.name,
        level=Level(row.level),
        parent_code=row.parent_code,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        successor_code=row.successor_code,
    )


def _key(code: str, valid_from: int | None) -> tuple[str, int | None]:
    return code, valid_from


def upsert_regions(
    session: Session,
    regions: Sequence[Region],
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Insert new regions and update changed ones; return (inserted, updated).

    A region is identified by (code, valid_from): a re-coded or re-named unit
    that starts a new validity period is a new row, its predecessor keeps its own.
    """
    existing = {_key(r.code, r.valid_from): r for r in session.scalars(select(RegionRow))}
    inserted = updated = 0
    fresh: list[dict[str, object]] = []
    for i, region in enumerate(regions, 1):
        values: dict[str, object] = {
            "code": region.code,
            "name": region.name,
            "level": region.level.value,
            "parent_code": region.parent_code,
            "valid_from": region.valid_from,
            "valid_to": region.valid_to,
            "successor_code": region.successor_code,
        }
        row = existing.get(_key(region.code, region.valid_from))
        if row is not None and region.valid_to is None and row.valid_to is not None:
            # A snapshot of the tree (the shipped divisions) does not undo a change
            # recorded since: the unit stays retired, with its successor.
            values["valid_to"], values["successor_code"] = row.valid_to, row.successor_code
        if row is None:
            fresh.append(values)
            inserted += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            updated += 1
        if len(fresh) >= _BATCH:
            session.execute(insert(RegionRow), fresh)
            fresh = []
        if progress is not None and i % _BATCH == 0:
            progress(_BATCH)
    if fresh:
        session.execute(insert(RegionRow), fresh)
    if progress is not None and len(regions) % _BATCH:
        progress(len(regions) % _BATCH)
    session.flush()
    return inserted, updated


def count_regions(session: Session, level: Level | None = None) -> int:
    query = select(func.count()).select_from(RegionRow)
    if level is not None:
        query = query.where(RegionRow.level == level.value)
    return int(session.scalar(query) or 0)


def region_row(session: Session, code_or_name: str, year: int | None = None) -> RegionRow:
    """The row a code or exact name refers to (the one valid in ``year`` when given).

    Without a year the current unit wins; a retired one is returned only when no
    current unit has that code.
    """
    text = code_or_name.strip()
    query = select(RegionRow).where(or_(RegionRow.code == text, RegionRow.name == text))
    rows = list(session.scalars(query))
    if not rows:
        raise NotFound(
            f"no region with code or name {code_or_name!r}",
            message_zh=f"没有代码或名称为“{code_or_name}”的地区",
        )
    if year is not None:
        rows = [
            r
            for r in rows
            if (r.valid_from is None or r.valid_from <= year)
            and (r.valid_to is None or year <= r.valid_to)
        ] or rows
    current = [r for r in rows if r.valid_to is None] or rows
    codes = {r.code for r in current}
    if len(codes) > 1:
        names = ", ".join(sorted(f"{r.code} {r.name}" for r in current)[:5])
        raise InvalidData(f"region name {code_or_name!r} is ambiguous ({names}); give the code")
    return current[0]


def region_lookup(session: Session) -> dict[str, int]:
    """Code → row id and unambiguous name → row id, for the current units (bulk matching)."""
    lookup: dict[str, int] = {}
    names: dict[str, set[int]] = {}
    rows = session.execute(
        select(RegionRow.id, RegionRow.code, RegionRow.name, RegionRow.valid_to)
    ).all()
    # Retired rows first so the current unit with the same code wins.
    for row_id, code, name, valid_to in sorted(rows, key=lambda r: r.valid_to is None):
        lookup[code] = row_id
        if valid_to is None:
            names.setdefault(name, set()).add(row_id)
    for name, ids in names.items():
        if len(ids) == 1 and name not in lookup:
            lookup[name] = next(iter(ids))
    return lookup


def regions_by_code(session: Session) -> dict[str, Region]:
    """Every current region by code (retired units are reached through their successors)."""
    r = RegionRow
    rows = session.connection().execute(
        select(
            r.code, r.name, r.level, r.parent_code, r.valid_from, r.valid_to, r.successor_code
        ).where(r.valid_to.is_(None))
    )
    levels = {level.value: level for level in Level}
    return {
        code: Region(code, name, levels[level], parent, start, end, successor)
        for code, name, level, parent, start, end, successor in rows
    }


def all_regions(session: Session) -> list[Region]:
    """Every unit, retired ones included (for resolving historical codes to successors)."""
    r = RegionRow
    rows = session.connection().execute(
        select(
            r.code, r.name, r.level, r.parent_code, r.valid_from, r.valid_to, r.successor_code
        ).order_by(r.code, r.valid_from)
    )
    levels = {level.value: level for level in Level}
    return [
        Region(code, name, levels[level], parent, start, end, successor)
        for code, name, level, parent, start, end, successor in rows
    ]


def search_regions(
    session: Session,
    query: str | None = None,
    level: Level | None = None,
    under: str | None = None,
    include_retired: bool = False,
    limit: int | None = None,
) -> list[Region]:
    """Regions whose code or name contains ``query``, at ``level``, below ``under``'s code.

    ``under`` relies on GB/T 2260's prefix structure (a county's code begins with
    its prefecture's and province's digits), so it is one indexed comparison.
    """
    stmt = select(RegionRow)
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(or_(RegionRow.name.like(like), RegionRow.code.like(like)))
    if level is not None:
        stmt = stmt.where(RegionRow.level == level.value)
    if under:
        prefix = code_prefix(under)
        if prefix:
            stmt = stmt.where(RegionRow.code.like(f"{prefix}%"), RegionRow.code != under)
    if not include_retired:
        stmt = stmt.where(RegionRow.valid_to.is_(None))
    stmt = stmt.order_by(RegionRow.code, RegionRow.valid_from)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [to_region(r) for r in session.scalars(stmt)]


@dataclass(frozen=True)
class RegionSpan:
    """One row of a code: its id and the years it was valid (None: open-ended)."""

    id: int
    valid_from: int | None
    valid_to: int | None

    def covers(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )


class RegionIds:
    """Code (and year) → region row id, for attaching values to the unit they were reported for.

    A code used by two units over time resolves to the one valid in the year of
    the value; without a year, or when none covers it, the current unit wins.
    """

    def __init__(self, spans: dict[str, list[RegionSpan]]) -> None:
        self.spans = spans
        # Most codes name one unit only: answer those without looking at years.
        self._single = {code: s[0].id for code, s in spans.items() if len(s) == 1}

    def __contains__(self, code: object) -> bool:
        return code in self.spans

    def get(self, code: str, year: int | None = None) -> int | None:
        single = self._single.get(code)
        if single is not None:
            return single
        spans = self.spans.get(code)
        if not spans:
            return None
        if year is not None:
            for span in spans:
                if span.covers(year):
                    return span.id
        current = [s for s in spans if s.valid_to is None]
        return (current or spans)[-1].id


def region_ids(session: Session) -> RegionIds:
    spans: dict[str, list[RegionSpan]] = {}
    rows = session.execute(
        select(RegionRow.code, RegionRow.id, RegionRow.valid_from, RegionRow.valid_to).order_by(
            RegionRow.code, RegionRow.id
        )
    )
    for code, row_id, valid_from, valid_to in rows:
        spans.setdefault(code, []).append(RegionSpan(row_id, valid_from, valid_to))
    return RegionIds(spans)


def retire_region(
    session: Session, code: str, last_year: int, successor_code: str | None
) -> RegionRow:
    """Record that the current unit with ``code`` ceased after ``last_year`` (merged, renamed, re-coded)."""
    row = session.scalar(
        select(RegionRow).where(RegionRow.code == code, RegionRow.valid_to.is_(None))
    )
    if row is None:
        raise NotFound(f"no current region with code {code}")
    if row.valid_from is not None and last_year < row.valid_from:
        raise InvalidData(f"{code} only became valid in {row.valid_from}")
    if successor_code is not None and not session.scalar(
        select(func.count()).select_from(RegionRow).where(RegionRow.code == successor_code)
    ):
        raise NotFound(f"no region with code {successor_code} to succeed {code}")
    row.valid_to = last_year
    row.successor_code = successor_code
    session.flush()
    return row


def tree_fingerprint(session: Session) -> tuple:
    """A cheap summary that changes when any unit is added, removed, renamed or retired."""
    r = RegionRow
    text = (
        func.length(r.code) + func.length(r.name) + func.length(r.level)
        + func.coalesce(func.length(r.parent_code), 0)
        + func.coalesce(func.length(r.successor_code), 0)
    )  # fmt: skip
    return tuple(
        session.execute(
            select(
                func.count(), func.max(r.id), func.sum(r.id * text),
                func.count(r.valid_to), func.max(r.valid_to), func.max(r.valid_from),
            )
        ).one()
    )  # fmt: skip
