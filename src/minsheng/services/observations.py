"""Observations in: import a filled-in file whole or not at all, add, correct, list versions, templates.

Values are never overwritten: a correction, by hand or by re-importing a file
with a changed value, adds a version; re-importing an unchanged value adds
nothing. A file is validated completely (row-numbered problems) before any
value is stored, and one error refuses the whole file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.orm import Session

from minsheng.domain.errors import (
    InvalidData,
    NotFound,
    PermissionDenied,
    Problem,
    ValidationReport,
)
from minsheng.domain.observations import Observation, ObservationStatus
from minsheng.domain.years import check_year
from minsheng.ingest.observations.templates import COLUMN_HEADERS
from minsheng.ingest.observations.workbooks import (
    IndicatorSpec,
    ObservationRow,
    no_values_found,
    read_observation_rows,
    validate_observation_rows,
    write_template,
)
from minsheng.services import permissions
from minsheng.services.observation_context import (
    CATALOGUE,
    SeriesCatalogue,
    build_catalogue,
    catalogue_for,
    catalogue_for_value,
    region_problems,
)
from minsheng.store.database import Database
from minsheng.store.repositories import observations as repo
from minsheng.store.repositories import regions as regions_repo
from minsheng.store.repositories.observations import NewValue, SeriesKey, StoredValue
from minsheng.units import convert

__all__ = [
    "CATALOGUE",
    "COLUMN_HEADERS",
    "ImportResult",
    "StoredValue",
    "add_observation",
    "add_observations",
    "change_status",
    "correct_observation",
    "history",
    "import_observations",
    "make_template",
]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: values new to the store, corrections (new versions), unchanged ones."""

    plan_id: int | None
    plan_title: str | None
    rows_read: int
    added: int
    corrected: int
    unchanged: int
    warnings: list[Problem] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.added + self.corrected


def _store(
    session: Session,
    catalogue: SeriesCatalogue,
    observations: Sequence[Observation],
    username: str | None,
    status: ObservationStatus | None = None,
    only_missing: bool = False,
) -> tuple[int, int, int]:
    """Append what changed; return (added, corrected, unchanged).

    ``only_missing`` adds values only where the series holds none (a differing
    value already there counts as unchanged): filling gaps never versions over data.
    """
    statuses = {status or o.status for o in observations}
    reviewed = next((s for s in statuses if s in permissions.REVIEWED), None)
    permissions.check_entry(session, username, {o.region_code for o in observations}, reviewed)
    keyed = [(catalogue.key(session, o), o) for o in observations]
    current = repo.latest_versions(session, (k for k, _ in keyed))
    fresh: list[NewValue] = []
    added = corrected = unchanged = 0
    for key, obs in keyed:
        before = current.get(key)
        if before is not None and before.withdrawn:
            before = None  # withdrawn: entering it again adds it anew, even the same figure
        unit = obs.unit or catalogue.unit_of(obs.indicator)
        # the stored value read in this value's unit (a shared series holds several units)
        was = None if before is None else convert(before.value, before.unit, unit)
        if before is not None and (
            only_missing
            or (
                before.bound == obs.bound
                and was is not None
                and math.isclose(was, obs.value, rel_tol=1e-12, abs_tol=1e-12)
            )
        ):
            unchanged += 1
            continue
        if before is None:
            added += 1
        else:
            corrected += 1
        fresh.append(
            NewValue(
                key=key,
                value=obs.value,
                unit=unit,
                source=obs.source,
                note=obs.note,
                synthetic=obs.synthetic,
                status=status or obs.status,
                entered_at=obs.entered_at,
                bound=obs.bound,
            )
        )
    repo.append_versions(session, fresh, username, current)
    return added, corrected, unchanged


def import_observations(
    db: Database,
    path: str | Path,
    user: str | None,
    plan: int | str | None = None,
    status: ObservationStatus = ObservationStatus.SUBMITTED,
) -> ImportResult:
    """Validate a CSV/XLSX file and store all of it, or nothing (InvalidData with the report).

    Without ``plan`` the file's indicator names choose it: the plan whose
    indicators cover the most of them (ties go to the most local plan whose
    region contains the file's regions), or the national catalogue.
    ``plan=CATALOGUE`` addresses the catalogue's series explicitly.
    """
    rows = read_observation_rows(Path(path))
    if not rows:
        raise no_values_found(Path(path).name)
    with db.session() as session:
        names = {r.indicator for r in rows}
        try:
            catalogue = catalogue_for(session, plan, names, {str(r.region) for r in rows})
        except InvalidData:
            # plans the regions could not tell apart: when a region is unknown or
            # ambiguous, that is the mistake to show, row by row, not the plan choice
            regions = region_problems(session, rows)
            if plan is not None or regions.ok:
                raise
            raise InvalidData.from_report(Path(path).name, regions) from None
        context = catalogue.validation_context(session)
        observations, report = validate_observation_rows(rows, context)
        _check_plan_region(catalogue, rows, report)
        _check_writer(session, catalogue, rows, report, user, status)
        report.in_reading_order([r.sheet for r in rows])  # the checks above add to the end
        if not report.ok:
            raise InvalidData.from_report(Path(path).name, report)
        if not observations:
            raise no_values_found(Path(path).name, report.problems)
        added, corrected, unchanged = _store(session, catalogue, observations, user, status)
    return ImportResult(
        plan_id=catalogue.plan_id,
        plan_title=catalogue.title,
        rows_read=len(rows),
        added=added,
        corrected=corrected,
        unchanged=unchanged,
        warnings=report.warnings,
    )


def _check_plan_region(
    catalogue: SeriesCatalogue, rows: Sequence[ObservationRow], report: ValidationReport
) -> None:
    """A plan's values are for its region and the regions under it: a row elsewhere is an error."""
    if catalogue.plan_id is None or not catalogue.plan_region_code:
        return
    prefix = regions_repo.code_prefix(catalogue.plan_region_code)
    for r in rows:
        try:
            code = catalogue.resolve_region(str(r.region))
        except (NotFound, InvalidData):  # unknown or ambiguous (AmbiguousRegion)
            continue  # the validation has reported it, with its row
        if not code.startswith(prefix):
            report.error(
                r.row,
                "region",
                f"{r.region} is outside the plan's region {catalogue.plan_region_code}",
                zh=f"{r.at_zh}地区“{r.region}”不在本规划的地区（{catalogue.plan_region_code}）"
                "范围内，只能填报本规划地区及其下辖地区的数据",
                sheet=r.sheet,
            )


def _check_writer(
    session: Session,
    catalogue: SeriesCatalogue,
    rows: Sequence[ObservationRow],
    report: ValidationReport,
    username: str | None,
    status: ObservationStatus,
) -> None:
    """A row of a region the account may not enter is an error with its row, among the
    file's other mistakes: refusing the file in one line named the region but no row, and
    hid every other mistake until the next upload."""
    who = permissions.actor(session, username)
    permissions.check_enter(who, [], status)  # the role itself: the whole file, not a row
    # said once is enough (by sheet too: row 3 of one year's sheet is not row 3 of the next)
    refused = {(p.sheet, p.row) for p in report.errors if p.field == "region"}
    for r in rows:
        if (r.sheet, r.row) in refused:
            continue
        try:
            code = catalogue.resolve_region(str(r.region))
        except (NotFound, InvalidData):
            continue  # the validation has reported it, with its row
        try:
            permissions.check_enter(who, [code], status)
        except PermissionDenied as exc:
            report.error(
                r.row, "region", exc.message, zh=f"{r.at_zh}{exc.message_zh or ''}", sheet=r.sheet
            )


def _validated_one(
    session: Session,
    catalogue: SeriesCatalogue,
    indicator: str,
    region: str,
    year: int,
    value: float | str,
    unit: str | None,
    source: str | None,
    note: str | None,
) -> tuple[Observation, ValidationReport]:
    from minsheng.ingest.observations.workbooks import ObservationRow

    row = ObservationRow(1, None, indicator, region, year, str(value), unit, source, note)
    observations, report = validate_observation_rows([row], catalogue.validation_context(session))
    if not report.ok:
        first = report.errors[0]
        raise InvalidData(first.message, report.problems, message_zh=first.message_zh)
    if not observations:
        raise InvalidData("no value given", message_zh="没有给出数值")
    return observations[0], report


def add_observation(
    db: Database,
    indicator: str,
    region: str,
    year: int,
    value: float | str,
    user: str | None,
    plan: int | str | None = None,
    unit: str | None = None,
    source: str | None = None,
    note: str | None = None,
    status: ObservationStatus = ObservationStatus.SUBMITTED,
    synthetic: bool = False,
) -> StoredValue:
    """Record one value (validated like a file row); a value already there gets a new version."""
    year = check_year(year, "year")
    with db.session() as session:
        catalogue = catalogue_for_value(session, plan, indicator, region, year)
        obs, _ = _validated_one(
            session, catalogue, indicator, region, year, value, unit, source, note
        )
        if synthetic:
            obs = replace(obs, synthetic=True)
        _store(session, catalogue, [obs], user, status)
        return repo.history(session, catalogue.key(session, obs))[-1]


def correct_observation(
    db: Database,
    indicator: str,
    region: str,
    year: int,
    value: float | str,
    user: str | None,
    plan: int | str | None = None,
    note: str | None = None,
    source: str | None = None,
    unit: str | None = None,
    reason: str | None = None,
) -> StoredValue:
    """Correct a stored value: the corrected value becomes a new version, the old one stays.

    Every correction records who (``user``), when, why (``reason``, required; ``note``
    is its older name) and its source (``source``, else "manual correction": the old
    value's source no longer vouches for the new one).
    """
    year = check_year(year, "year")
    with db.session() as session:
        catalogue = catalogue_for_value(session, plan, indicator, region, year)
        obs, _ = _validated_one(
            session, catalogue, indicator, region, year, value, unit, source, note
        )
        key = catalogue.key(session, obs)
        versions = repo.history(session, key)
        if not versions or versions[-1].withdrawn:
            raise NotFound(
                f"no value of {indicator} for {region} in {year} to correct; add it instead"
            )
        permissions.check_entry(
            session, user, {obs.region_code}, ObservationStatus(versions[-1].status)
        )
        why = permissions.check_correction(reason or note)
        # the value is typed in the unit of the wording it was named by (a shared series
        # may hold the last version in another plan's unit)
        unit = obs.unit or catalogue.unit_of(obs.indicator)
        was = convert(versions[-1].value, versions[-1].unit, unit)
        if (
            versions[-1].bound == obs.bound
            and was is not None
            and math.isclose(was, obs.value, rel_tol=1e-12, abs_tol=1e-12)
        ):
            return versions[-1]  # nothing to correct
        repo.append_versions(
            session,
            [
                NewValue(
                    key=key,
                    value=obs.value,
                    unit=unit,
                    source=source or "manual correction",
                    note=why,
                    synthetic=False,
                    status=ObservationStatus(versions[-1].status),
                    bound=obs.bound,
                )
            ],
            user,
        )
        return repo.history(session, key)[-1]


def change_status(
    db: Database,
    indicator: str,
    region: str,
    year: int,
    status: ObservationStatus | str,
    user: str | None,
    plan: int | str | None = None,
    note: str | None = None,
) -> StoredValue:
    """Move a value along draft → submitted → approved → published (or back).

    The change is a new version with the same value, so who approved or
    published what, and when, stays on record.
    """
    year = check_year(year, "year")
    new_status = ObservationStatus(status)
    with db.session() as session:
        probe, key, versions = value_versions(session, plan, indicator, region, year)
        if not versions or versions[-1].withdrawn:
            raise NotFound(f"no value of {indicator} for {region} in {year}")
        last = versions[-1]
        if last.status is new_status:
            return last
        if new_status in permissions.REVIEWED:
            permissions.check_review(session, user, {probe.region_code})
        else:
            permissions.check_entry(session, user, {probe.region_code}, last.status)
        repo.append_versions(
            session,
            [
                NewValue(
                    key,
                    last.value,
                    last.unit,
                    last.source,
                    note or last.note,
                    last.synthetic,
                    new_status,
                    bound=last.bound,
                )
            ],
            user,
        )
        return repo.history(session, key)[-1]


def history(
    db: Database, indicator: str, region: str, year: int, plan: int | str | None = None
) -> list[StoredValue]:
    """Every version of one value, oldest first (empty when none was ever recorded)."""
    year = check_year(year, "year")
    with db.session() as session:
        return value_versions(session, plan, indicator, region, year)[2]


def value_versions(
    session: Session, plan: int | str | None, indicator: str, region: str, year: int
) -> tuple[Observation, SeriesKey, list[StoredValue]]:
    """One value's names resolved (as a probe observation), its series key and every
    version, oldest first: what changing a value's status, withdrawing it and its history
    all start from."""
    catalogue = catalogue_for_value(session, plan, indicator, region, year)
    probe = Observation(
        catalogue.resolve_name(indicator),
        catalogue.resolve_region(region, int(year)),
        int(year),
        0.0,
    )
    key = catalogue.key(session, probe)
    return probe, key, repo.history(session, key)


def series_history(
    db: Database, indicator: str, region: str, years: Iterable[int], plan: int | str | None = None
) -> dict[int, list[StoredValue]]:
    """Every version of one series' values in each of ``years``, oldest first.

    One catalogue for all the years (building it reads the whole region tree, so asking
    :func:`history` year by year cost an indicator page over a second). A year in which
    the region did not exist under that code holds no value: an empty list, as for a
    year nobody reported. An unknown indicator or region is still refused.
    """
    years = [check_year(y, "year") for y in years]
    with db.session() as session:
        catalogue = catalogue_for(session, plan, {indicator}, {region})
        name = catalogue.resolve_name(indicator)
        out: dict[int, list[StoredValue]] = {}
        for year in years:
            try:
                code = catalogue.resolve_region(region, int(year))
                key = catalogue.key(session, Observation(name, code, int(year), 0.0))
            except NotFound:
                out[year] = []
                continue
            out[year] = repo.history(session, key)
        return out


def add_observations(
    db: Database,
    plan: int | str | None,
    observations: Sequence[Observation],
    user: str | None,
    *,
    only_missing: bool = False,
) -> tuple[int, int, int]:
    """Store already-validated domain Observations (e.g. demo data) in one transaction.

    ``indicator`` is the plan's own wording (or, without a plan, a canonical
    code or name). Returns (added, corrected, unchanged). ``only_missing``
    stores a value only where its series has none yet (e.g. generated data).
    """
    with db.session() as session:
        catalogue = catalogue_for(
            session,
            plan,
            {o.indicator for o in observations},
            {o.region_code for o in observations},
        )
        # Resolve each distinct spelling once; most are already exact.
        names = {n: catalogue.resolve_name(n) for n in {o.indicator for o in observations}}
        codes = {
            (c, y): catalogue.resolve_region(c, y)
            for c, y in {(o.region_code, int(o.year)) for o in observations}
        }
        resolved = [
            o
            if names[o.indicator] == o.indicator
            and codes[(o.region_code, int(o.year))] == o.region_code
            else replace(
                o, indicator=names[o.indicator], region_code=codes[(o.region_code, int(o.year))]
            )
            for o in observations
        ]
        return _store(session, catalogue, resolved, user, only_missing=only_missing)


def make_template(
    db: Database,
    plan: int | str,
    regions: Sequence[str] | None,
    years: Sequence[int] | None,
    path: str | Path,
    layout: str = "wide",
) -> Path:
    """Write a fill-in workbook for a plan: its indicators and units, the regions, the years.

    Regions default to the plan's region and the units directly under it; years
    to the plan's period.
    """
    with db.session() as session:
        catalogue = build_catalogue(session, plan)
        region_list = catalogue.template_regions(session, regions)
        year_list = list(years) if years else catalogue.period_years()
        specs: list[IndicatorSpec] = list(catalogue.specs.values())
    if not specs:
        raise InvalidData(f"plan {catalogue.title} has no indicators to fill in")
    return write_template(
        Path(path), catalogue.title or "minsheng", specs, region_list, year_list, layout
    )
