"""Grow the canonical catalogue from the indicators plans actually use, as a person confirms.

The national catalogue names a few dozen indicators; plans measure many more
(每万人口社会工作者数, 新增城镇就业人数…). Such a row maps to nothing, so its
values stay in the plan's own series and no other plan can be compared on it.
:func:`suggest_entries` lists the names read from stored plans that match no
catalogue entry, grouped across plans by their comparable form (the matcher's
:func:`~minsheng.ingest.documents.catalogue_matching.reduce_name`, built on the
one name normaliser: Traditional script, full-width characters and filler
words see through), with how many plans use each, its unit and domain.
:func:`add_entry` adds one as a catalogue indicator — only when the person
confirms — and maps every plan row of the group to it through
:func:`~minsheng.services.plans.confirm_mapping`, which moves the rows' values
into the canonical series (and remembers each wording as an alias).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from minsheng.domain.errors import Conflict, InvalidData, NotFound
from minsheng.domain.indicators import (
    CanonicalIndicator,
    Polarity,
    infer_polarity,
    polarity_from_name,
)
from minsheng.domain.service_domains import DOMAINS_BY_CODE
from minsheng.domain.targets import parse_target
from minsheng.ingest.documents.catalogue_matching import match_indicators, reduce_name
from minsheng.services.catalogue import plausible_bounds
from minsheng.services.mapping import store_catalogue
from minsheng.services.plans import ConfirmedMapping, confirm_mapping_in
from minsheng.store.database import Database
from minsheng.store.models import PlanIndicatorRow, PlanRow
from minsheng.store.repositories import catalogue as catalogue_repo

#: Closest catalogue entries scoring below this are not worth showing as "nearest".
NEAREST_FLOOR = 0.5
#: Where a grown entry came from (the catalogue's ``source`` column).
GROWN_SOURCE = "grown from stored plans (confirmed by a person)"


@dataclass(frozen=True)
class PlanUse:
    """One plan row that uses a suggested name."""

    row_id: int
    plan_id: int
    plan_title: str
    name: str
    unit: str | None
    domain_code: str | None
    polarity: str | None  # as stored, else implied by the row's baseline and target cells


@dataclass(frozen=True)
class Suggestion:
    """A name read from plans that no catalogue entry matches, with the rows that use it."""

    key: str  # the comparable form shared by the rows
    name: str  # the wording most rows use
    rows: tuple[PlanUse, ...]
    unit: str | None
    domain: str | None
    polarity: Polarity | None
    proposed_code: str | None
    wordings: tuple[str, ...] = field(default=())
    #: The closest catalogue entry (code, name, score) below the matcher's threshold: if it
    #: is the same indicator, ``minsheng map`` maps the rows to it rather than a new entry.
    nearest: tuple[str, str, float] | None = None

    @property
    def plan_ids(self) -> list[int]:
        return sorted({r.plan_id for r in self.rows})


def _most_common(values: list[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def _proposed_code(
    catalogue: list[CanonicalIndicator], domain: str | None, taken: set[str]
) -> str | None:
    """The next free code in the domain's series (ED05 after ED04; not one in ``taken``, the
    codes proposed for names listed before), when the domain has one."""
    if domain is None:
        return None
    prefixes = Counter(
        m.group(1)
        for c in catalogue
        if c.domain == domain and (m := re.fullmatch(r"([A-Z]+)(\d+)", c.code))
    )
    if not prefixes:
        return None
    prefix = prefixes.most_common(1)[0][0]
    codes = [c.code for c in catalogue] + sorted(taken)
    numbers = [
        int(c[len(prefix) :]) for c in codes if c.startswith(prefix) and c[len(prefix) :].isdigit()
    ]
    code = f"{prefix}{max(numbers, default=0) + 1:02d}"
    taken.add(code)
    return code


def _unmapped_uses(db: Database) -> list[PlanUse]:
    with db.session() as session:
        stmt = (
            select(PlanIndicatorRow, PlanRow.title)
            .join(PlanRow, PlanRow.id == PlanIndicatorRow.plan_id)
            .where(PlanIndicatorRow.canonical_id.is_(None))
            .order_by(PlanIndicatorRow.plan_id, PlanIndicatorRow.position)
        )
        return [
            PlanUse(r.id, r.plan_id, title, r.name, r.unit, r.domain_code, _polarity(r))
            for r, title in session.execute(stmt)
        ]


def _polarity(row: PlanIndicatorRow) -> str | None:
    """The row's direction of progress: as stored, else as its cells imply (``<5.5``, 85 → 90)."""
    if row.polarity:
        return row.polarity
    implied = infer_polarity(parse_target(row.baseline_raw), parse_target(row.target_raw))
    return implied.value if implied else None


def suggest_entries(db: Database) -> list[Suggestion]:
    """Names of stored plans' rows that match no catalogue entry, grouped across plans.

    A row the matcher would map (a score at or above its threshold) is left to
    ``minsheng map``: it has an entry already. Most-used names come first.
    """
    catalogue = store_catalogue(db)
    uses = _unmapped_uses(db)
    matches = match_indicators([u.name for u in uses], catalogue)
    groups: dict[str, list[PlanUse]] = {}
    nearest: dict[str, tuple[str, str, float]] = {}
    for use, match in zip(uses, matches, strict=True):
        if match.code is None:
            key = reduce_name(use.name)
            groups.setdefault(key, []).append(use)
            best = match.candidates[0] if match.candidates else None
            if (
                best
                and best[2] >= NEAREST_FLOOR
                and (key not in nearest or best[2] > nearest[key][2])
            ):
                nearest[key] = best
    out = []
    for key, rows in groups.items():
        name = Counter(r.name for r in rows).most_common(1)[0][0]
        domain = _most_common([r.domain_code for r in rows])
        # a harm's rate is lower-better whatever its cells allow (城镇调查失业率 5.2 → 5.5左右)
        stated = _most_common([r.polarity for r in rows])
        polarity = polarity_from_name(name) or (Polarity(stated) if stated else None)
        out.append(
            Suggestion(
                key=key,
                name=name,
                rows=tuple(rows),
                unit=_most_common([r.unit for r in rows]),
                domain=domain,
                polarity=polarity,
                proposed_code=None,  # given below, in the order listed
                wordings=tuple(sorted({r.name for r in rows})),
                nearest=nearest.get(key),
            )
        )
    out.sort(key=lambda s: (-len(s.plan_ids), -len(s.rows), s.key))
    taken: set[str] = set()
    return [replace(s, proposed_code=_proposed_code(catalogue, s.domain, taken)) for s in out]


def find_suggestion(db: Database, name: str) -> Suggestion:
    """The suggestion a name (any wording of it: Traditional, full-width, with filler words) names."""
    key = reduce_name(name)
    for suggestion in suggest_entries(db):
        if suggestion.key == key:
            return suggestion
    raise NotFound(
        f"no stored plan has an unmapped indicator named {name.strip()!r} "
        "(see `minsheng catalogue suggest`)"
    )


@dataclass(frozen=True)
class Addition:
    """What adding a catalogue entry does (``done`` False: a preview, nothing changed)."""

    indicator: CanonicalIndicator
    suggestion: Suggestion
    done: bool
    mapped: list[ConfirmedMapping] = field(default_factory=list)


def add_entry(
    db: Database,
    name: str,
    *,
    code: str | None = None,
    unit: str | None = None,
    domain: str | None = None,
    polarity: str | None = None,
    confirm: bool = False,
    moved_by: str | None = None,
    append_conflicts: bool = False,
) -> Addition:
    """Add the suggested name as a catalogue indicator and map the plans' rows to it.

    Without ``confirm`` nothing is written: the returned :class:`Addition` says what
    would be added and which rows mapped. Unit, domain, polarity and code default to
    the suggestion's (read from the rows); one that cannot be told must be given.
    """
    suggestion = find_suggestion(db, name)
    # the next free code of the domain itself (the listing spreads its proposals over the names)
    catalogue = store_catalogue(db)
    domain = (domain or suggestion.domain or "").strip()
    if domain not in DOMAINS_BY_CODE:
        known = ", ".join(sorted(DOMAINS_BY_CODE))
        raise InvalidData(
            f"service domain {domain!r} is unknown (one of: {known})"
            if domain
            else f"the domain of {suggestion.name!r} is not known: give --domain ({known})"
        )
    code = (code or _proposed_code(catalogue, domain, set()) or "").strip().upper()
    if not code:
        raise InvalidData(f"no code can be proposed for {suggestion.name!r}: give --code")
    if not re.fullmatch(r"[A-Z]{1,4}\d{1,4}", code):
        raise InvalidData(f"catalogue code {code!r} must be letters then digits (e.g. ED05)")
    if polarity is not None:
        try:
            chosen = Polarity(polarity.strip().lower())
        except ValueError:
            raise InvalidData(f"polarity {polarity!r} must be higher, lower or keep") from None
    elif suggestion.polarity is not None:
        chosen = suggestion.polarity
    else:
        raise InvalidData(
            f"which direction is progress for {suggestion.name!r} is not known: give --polarity"
        )
    if any(c.code == code for c in catalogue):
        raise Conflict(f"the catalogue already has an indicator with code {code}")
    indicator = CanonicalIndicator(
        code=code,
        name=suggestion.name,
        unit=(unit.strip() or None) if unit is not None else suggestion.unit,
        polarity=chosen,
        domain=domain,
    )
    if not confirm:
        return Addition(indicator, suggestion, done=False)
    if db.current_revision() is None:
        raise InvalidData("the database is not initialised: run `minsheng init` first")
    # one transaction: the entry and every row's mapping are added together or not at all
    with db.session() as session:
        catalogue_repo.upsert_canonical(
            session,
            [indicator],
            source=GROWN_SOURCE,
            bounds={code: plausible_bounds(indicator)},
        )
        session.flush()
        mapped = [
            confirm_mapping_in(
                session, row.row_id, code, moved_by=moved_by, append_conflicts=append_conflicts
            )
            for row in suggestion.rows
        ]
    return Addition(indicator, suggestion, done=True, mapped=mapped)
