"""Service domains, tiers and canonical indicators with their aliases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from minsheng.domain.errors import NotFound
from minsheng.domain.indicators import CanonicalIndicator, Polarity
from minsheng.domain.service_domains import TIER_NAMES_ZH, ServiceDomain
from minsheng.store.models import (
    CanonicalIndicatorRow,
    IndicatorAliasRow,
    ServiceDomainRow,
    TierRow,
)


def upsert_domains(session: Session, domains: Sequence[ServiceDomain]) -> int:
    """Make the domain and tier tables match the code's; return how many domains were new."""
    existing = {row.code: row for row in session.scalars(select(ServiceDomainRow))}
    added = 0
    for domain in domains:
        row = existing.get(domain.code)
        if row is None:
            session.add(
                ServiceDomainRow(
                    code=domain.code,
                    name_zh=domain.name_zh,
                    name_en=domain.name_en,
                    position=domain.order,
                )
            )
            added += 1
        else:
            row.name_zh, row.name_en, row.position = domain.name_zh, domain.name_en, domain.order
    tiers = {row.code: row for row in session.scalars(select(TierRow))}
    for position, (tier, name) in enumerate(TIER_NAMES_ZH.items(), 1):
        if tier.value in tiers:
            tiers[tier.value].name_zh, tiers[tier.value].position = name, position
        else:
            session.add(TierRow(code=tier.value, name_zh=name, position=position))
    session.flush()
    return added


def to_canonical(row: CanonicalIndicatorRow) -> CanonicalIndicator:
    return CanonicalIndicator(
        code=row.code,
        name=row.name,
        unit=row.unit,
        polarity=Polarity(row.polarity),
        domain=row.domain_code,
        aliases=tuple(a.alias for a in row.aliases),
    )


def upsert_canonical(
    session: Session,
    indicators: Iterable[CanonicalIndicator],
    source: str | None = None,
    bounds: dict[str, tuple[float | None, float | None]] | None = None,
) -> int:
    """Add or refresh catalogue indicators by code; aliases are only ever added."""
    existing = {
        row.code: row
        for row in session.scalars(
            select(CanonicalIndicatorRow).options(selectinload(CanonicalIndicatorRow.aliases))
        )
    }
    added = 0
    for indicator in indicators:
        row = existing.get(indicator.code)
        if row is None:
            row = CanonicalIndicatorRow(code=indicator.code, aliases=[])
            session.add(row)
            existing[indicator.code] = row
            added += 1
        row.name = indicator.name
        row.unit = indicator.unit
        row.polarity = indicator.polarity.value
        row.domain_code = indicator.domain
        if source is not None:
            row.source = source
        if bounds and indicator.code in bounds:
            row.lower_bound, row.upper_bound = bounds[indicator.code]
        known = {a.alias for a in row.aliases}
        for alias in indicator.aliases:
            if alias and alias not in known and alias != indicator.name:
                row.aliases.append(IndicatorAliasRow(alias=alias, origin="catalogue"))
                known.add(alias)
    session.flush()
    return added


def canonical_rows(session: Session) -> list[CanonicalIndicatorRow]:
    stmt = (
        select(CanonicalIndicatorRow)
        .options(selectinload(CanonicalIndicatorRow.aliases))
        .order_by(CanonicalIndicatorRow.code)
    )
    return list(session.scalars(stmt))


def list_canonical(session: Session) -> list[CanonicalIndicator]:
    return [to_canonical(r) for r in canonical_rows(session)]


def canonical_row(session: Session, code_or_name: str) -> CanonicalIndicatorRow:
    """The canonical indicator a code, name or alias refers to."""
    text = code_or_name.strip()
    row = session.scalar(
        select(CanonicalIndicatorRow).where(
            (CanonicalIndicatorRow.code == text) | (CanonicalIndicatorRow.name == text)
        )
    )
    if row is None:
        alias = session.scalar(select(IndicatorAliasRow).where(IndicatorAliasRow.alias == text))
        row = alias.indicator if alias is not None else None
    if row is None:
        raise NotFound(f"no canonical indicator with code, name or alias {code_or_name!r}")
    return row


def add_alias(
    session: Session, indicator: CanonicalIndicatorRow, alias: str, origin: str = "confirmed"
) -> bool:
    """Record another wording of an indicator; False when it was already known."""
    alias = alias.strip()
    if not alias or alias == indicator.name or any(a.alias == alias for a in indicator.aliases):
        return False
    indicator.aliases.append(IndicatorAliasRow(alias=alias, origin=origin))
    session.flush()
    return True


#: Codes of indicators minsheng derives itself (accessibility shares…): DM01, DM02, …
DERIVED_PREFIX = "DM"


def add_derived_indicator(
    session: Session,
    name: str,
    *,
    unit: str | None,
    domain_code: str,
    measure: str,
    source: str,
) -> CanonicalIndicatorRow:
    """A new canonical indicator for values minsheng computes, marked with the measure it holds."""
    codes = session.scalars(
        select(CanonicalIndicatorRow.code).where(
            CanonicalIndicatorRow.code.startswith(DERIVED_PREFIX)
        )
    ).all()
    numbers = [int(c[len(DERIVED_PREFIX) :]) for c in codes if c[len(DERIVED_PREFIX) :].isdigit()]
    row = CanonicalIndicatorRow(
        code=f"{DERIVED_PREFIX}{max(numbers, default=0) + 1:02d}",
        name=name.strip(),
        unit=unit,
        polarity=Polarity.HIGHER.value,
        domain_code=domain_code,
        source=source,
        derived_measure=measure,
        aliases=[],
    )
    session.add(row)
    session.flush()
    return row
