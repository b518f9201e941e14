"""Values minsheng derives (accessibility shares…) go only where they belong.

A computed share is not a reported statistic: written over 学前教育毛入园率 it would
replace the real figure with something else. So a derived value is stored
under an indicator meant for that measure — by default a new canonical
indicator the user names, marked with the measure it holds; an existing one
only when it is marked so, or when the user says ``replace``. Every value
carries its source and method, and none is added as a new version over a value
from another source unless the user says ``replace``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from minsheng.domain.errors import Conflict, InvalidData, NotFound
from minsheng.domain.observations import Observation
from minsheng.domain.service_domains import DOMAINS_BY_CODE, classify_domain
from minsheng.services.observation_context import CATALOGUE, SeriesCatalogue, catalogue_for
from minsheng.services.observations import add_observations
from minsheng.store.database import Database
from minsheng.store.models import CanonicalIndicatorRow
from minsheng.store.repositories import catalogue as catalogue_repo
from minsheng.store.repositories import observations as observations_repo

#: The source every value computed by ``minsheng access`` carries (the method goes in the note).
ACCESS_SOURCE = "minsheng access"


@dataclass(frozen=True)
class StoredMeasure:
    """Where derived values went and what the store did with them."""

    indicator: str  # the canonical code, or the plan's own wording
    created: bool  # a new canonical indicator was made for them
    added: int
    corrected: int
    unchanged: int


def _domain_code(name: str, domain: str | None) -> str:
    if domain:
        if domain in DOMAINS_BY_CODE:
            return domain
        found = classify_domain(domain)
        if found is None:
            codes = ", ".join(DOMAINS_BY_CODE)
            raise InvalidData(f"unknown service domain {domain!r} (one of {codes}, or its name)")
        return found.code
    found = classify_domain(name)
    if found is None:
        raise InvalidData(f"which service domain does {name!r} belong to? say it with --domain")
    return found.code


def _target(
    session: Session,
    name: str,
    *,
    plan: int | str | None,
    new: bool,
    replace_values: bool,
    measure: str,
    unit: str | None,
    domain: str | None,
) -> tuple[SeriesCatalogue, str, bool]:
    """The series the values go to: (its catalogue, the indicator name in it, created?)."""
    if new:
        try:
            row: CanonicalIndicatorRow | None = catalogue_repo.canonical_row(session, name)
        except NotFound:
            row = None
        created = row is None
        if row is None:
            row = catalogue_repo.add_derived_indicator(
                session,
                name,
                unit=unit,
                domain_code=_domain_code(name, domain),
                measure=measure,
                source=f"derived by {ACCESS_SOURCE}",
            )
        elif row.derived_measure != measure and not replace_values:
            raise Conflict(
                f"{row.code} {row.name} already exists and holds "
                + (
                    f"another measure ({row.derived_measure})"
                    if row.derived_measure
                    else "reported statistics"
                )
                + ": name a new indicator, or pass --replace to store the values there anyway"
            )
        return catalogue_for(session, CATALOGUE, [row.code]), row.name, created
    catalogue = catalogue_for(session, CATALOGUE if plan is None else plan, [name])
    resolved = catalogue.resolve_name(name)
    _, canonical_id = catalogue.ids[resolved]
    if canonical_id is not None and not replace_values:
        row = session.get(CanonicalIndicatorRow, canonical_id)
        assert row is not None
        if row.derived_measure != measure:
            raise Conflict(
                f"{resolved} is {row.code} {row.name}, an indicator of "
                + (
                    f"another measure ({row.derived_measure})"
                    if row.derived_measure
                    else "reported statistics"
                )
                + f", not of {measure}: store the values under a new indicator "
                "(--store-as-new NAME), or pass --replace"
            )
    return catalogue, resolved, False


def store_derived(
    db: Database,
    rows: Sequence[Observation],
    *,
    plan: int | str | None = None,
    user: str | None = None,
    new: bool = False,
    replace_values: bool = False,
    measure: str = "access_coverage",
    domain: str | None = None,
) -> StoredMeasure:
    """Store derived values (all named by one indicator) where they belong; see the module doc.

    ``new``: the indicator named is a new canonical indicator (made, marked with
    ``measure``, in ``domain`` or the domain its name says); a second run finds it
    again. Otherwise the name is an existing indicator marked with ``measure``, or
    a plan's own (unmapped) indicator with ``plan``. ``replace_values`` lifts both
    guards: storing in an indicator of another kind, and versioning over values
    from another source.
    """
    if not rows:
        raise InvalidData("no region had residents: nothing to store")
    names = {r.indicator for r in rows}
    if len(names) != 1:
        raise InvalidData(f"derived values name one indicator, not {len(names)}")
    [name] = names
    with db.session() as session:
        catalogue, resolved, created = _target(
            session,
            name,
            plan=plan,
            new=new,
            replace_values=replace_values,
            measure=measure,
            unit=rows[0].unit,
            domain=domain,
        )
        named = [replace(r, indicator=resolved) for r in rows]
        if not replace_values:
            _refuse_other_sources(session, catalogue, named)
        code = catalogue.ids[resolved]
    target_plan = CATALOGUE if code[0] is None else plan
    added, corrected, unchanged = add_observations(db, target_plan, named, user)
    label = resolved
    if code[0] is None:
        with db.session() as session:
            label = catalogue_repo.canonical_row(session, resolved).code
    return StoredMeasure(label, created, added, corrected, unchanged)


def _refuse_other_sources(
    session: Session, catalogue: SeriesCatalogue, rows: Sequence[Observation]
) -> None:
    """Conflict when a value these rows would version over came from another source."""
    keys = [catalogue.key(session, r) for r in rows]
    current = observations_repo.current_values(session, keys)
    others = [v for v in current.values() if not (v.source or "").startswith(ACCESS_SOURCE)]
    if others:
        shown = "; ".join(
            f"{v.region_code} {v.key.year}: {v.value:g}{v.unit or ''} from {v.source or 'an unnamed source'}"
            + (f" entered by {v.entered_by}" if v.entered_by else "")
            for v in sorted(others, key=lambda v: (v.region_code, v.key.year))[:5]
        )
        raise Conflict(
            f"{len(others)} value(s) of {rows[0].indicator} came from another source ({shown}); "
            "pass --replace to add the computed values as new versions"
        )
