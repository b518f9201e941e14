"""Which series a file's rows belong to: a plan's indicators, or the national catalogue.

A :class:`SeriesCatalogue` turns the names people type (the plan's own wording,
a canonical code, name or alias; a region code, name or full name) into store
keys, and gives the validator its :class:`ValidationContext`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.domain.errors import InvalidData, NotFound, ValidationReport
from minsheng.domain.observations import Observation
from minsheng.domain.regions import Region, code_prefix
from minsheng.domain.targets import NUMERIC_KINDS, Target
from minsheng.ingest.observations.cells import parse_year
from minsheng.ingest.observations.workbooks import IndicatorSpec, ObservationRow, ValidationContext
from minsheng.names import RegionIndex
from minsheng.names import normalise_name as normalise_text
from minsheng.services.regions import region_index
from minsheng.store.models import CanonicalIndicatorRow, PlanIndicatorRow, PlanRow, RegionRow
from minsheng.store.repositories import catalogue as catalogue_repo
from minsheng.store.repositories import observations as observations_repo
from minsheng.store.repositories import plans as plans_repo
from minsheng.store.repositories import regions as regions_repo
from minsheng.store.repositories.observations import SeriesKey
from minsheng.units import convert

#: Years accepted for catalogue series, which belong to no plan period.
CATALOGUE_YEARS = (1949, 2100)


@dataclass
class SeriesCatalogue:
    plan_id: int | None
    title: str | None
    years: tuple[int, int]
    specs: dict[str, IndicatorSpec]
    ids: dict[str, tuple[int | None, int | None]]  # name → (plan_indicator_id, canonical_id)
    plan_region_code: str | None = None
    period: tuple[int, int] | None = None
    _regions: RegionIndex | None = field(default=None, repr=False)
    _region_ids: regions_repo.RegionIds | None = field(default=None, repr=False)
    _tree: dict[str, Region] | None = field(default=None, repr=False)

    # ----------------------------------------------------------------- names
    def load_regions(self, session: Session) -> None:
        if self._regions is not None:
            return
        tree = regions_repo.regions_by_code(session)
        ids = regions_repo.region_ids(session)
        self._regions, self._region_ids, self._tree = region_index(session), ids, tree

    def resolve_name(self, text: str) -> str:
        """The spec name a typed indicator refers to (exact, alias, or folded)."""
        if text in self.specs:
            return text
        folded = normalise_text(text)
        for name, spec in self.specs.items():
            if folded in {normalise_text(n) for n in (name, *spec.aliases)}:
                return name
        where = self.title or "the catalogue"
        raise NotFound(f"{where} has no indicator {text!r}")

    def resolve_region(self, text: str, year: int | None = None) -> str:
        """The code of the one region ``text`` names (the one resolver; never a default)."""
        assert self._regions is not None, "regions not loaded"
        return self._regions.resolve(text, year=year).code

    def unit_of(self, name: str) -> str | None:
        spec = self.specs.get(name)
        return spec.unit if spec else None

    def key(self, session: Session, obs: Observation) -> SeriesKey:
        self.load_regions(session)
        assert self._region_ids is not None
        plan_indicator_id, canonical_id = self.ids[obs.indicator]
        region_id = self._region_ids.get(obs.region_code, int(obs.year))
        if region_id is None:
            raise NotFound(f"no region with code {obs.region_code}")
        return SeriesKey(plan_indicator_id, canonical_id, region_id, int(obs.year))

    # ----------------------------------------------------------------- validation
    def validation_context(self, session: Session) -> ValidationContext:
        self.load_regions(session)
        assert self._regions is not None
        pids = [p for p, _ in self.ids.values() if p is not None]
        cids = [c for p, c in self.ids.values() if p is None and c is not None]
        # several of a plan's wordings may share one canonical series
        by_id: dict[tuple[str, int | None], list[str]] = {}
        for n, (p, c) in self.ids.items():
            by_id.setdefault(("plan", p) if p is not None else ("canonical", c), []).append(n)
        # each stored value in the unit of the wording that reads it; one of another
        # quantity is no reference for the jump and share checks
        existing = {
            (name, code, year): converted
            for (kind, ident, code, year), (value, unit) in observations_repo.existing_values(
                session, pids, cids
            ).items()
            for name in by_id.get((kind, ident), [])
            if (converted := convert(value, unit, self.unit_of(name))) is not None
        }
        return ValidationContext(
            indicators=dict(self.specs),
            regions=self._regions,
            years=self.years,
            existing=existing,
        )

    # ----------------------------------------------------------------- templates
    def period_years(self) -> list[int]:
        first, last = self.period or self.years
        return list(range(first, last + 1))

    def template_regions(
        self, session: Session, wanted: Sequence[str] | None
    ) -> list[tuple[str, str]]:
        """The template's rows: the regions asked for, else the plan's region and those under it.

        Only regions an import of the filled-in file will accept (the plan's region and
        the regions under it); a plan whose region is unknown gets no default (never 全国).
        """
        self.load_regions(session)
        assert self._tree is not None
        if self.plan_id is not None and not self.plan_region_code and not wanted:
            raise InvalidData(
                f"the region of plan {self.plan_id} is unknown: set it with "
                f"`minsheng plans {self.plan_id} --region CODE`, or name the regions (--regions)"
            )
        if wanted:
            codes = []
            for text in wanted:
                try:
                    codes.append(self.resolve_region(text))
                except NotFound:
                    raise InvalidData(f"unknown region {text!r} in --regions") from None
            if self.plan_id is not None and self.plan_region_code:
                prefix = code_prefix(self.plan_region_code)
                outside = [c for c in codes if not c.startswith(prefix)]
                if outside:
                    raise InvalidData(
                        f"--regions: {', '.join(outside)} not within the plan's region "
                        f"{self.plan_region_code}; an import for this plan would refuse them"
                    )
        else:
            root = self.plan_region_code or "100000"
            codes = [root] + sorted(c for c, r in self._tree.items() if r.parent_code == root)
        return [(c, self._tree[c].name if c in self._tree else c) for c in dict.fromkeys(codes)]


def _numeric(target: Target | None) -> float | None:
    return target.value if target is not None and target.kind in NUMERIC_KINDS else None


def build_catalogue(session: Session, plan_ref: int | str) -> SeriesCatalogue:
    """The series of one plan's indicators, named in the plan's own words."""
    stored = plans_repo.to_stored_plan(session, plans_repo.find_plan_row(session, plan_ref))
    plan = stored.plan
    bounds = {
        row.id: (
            row.lower_bound,
            row.upper_bound,
            row.code,
            row.name,
            tuple(a.alias for a in row.aliases),
        )
        for row in catalogue_repo.canonical_rows(session)
    }
    rows = {
        r.id: r
        for r in session.scalars(
            select(PlanIndicatorRow).where(PlanIndicatorRow.plan_id == stored.id)
        )
    }
    specs: dict[str, IndicatorSpec] = {}
    ids: dict[str, tuple[int | None, int | None]] = {}
    for indicator, row_id in zip(plan.indicators, stored.indicator_ids, strict=True):
        if indicator.name in specs:
            continue  # the same wording twice in one table: the first row receives the data
        spec = IndicatorSpec.for_unit(
            indicator.name, indicator.unit, baseline=_numeric(indicator.baseline)
        )
        canonical_id = rows[row_id].canonical_id
        if canonical_id in bounds:
            lower, upper, _code, _name, _aliases = bounds[canonical_id]
            spec.lower, spec.upper = lower, upper
        specs[indicator.name] = spec
        # one series per (indicator, region, year): a mapped row reads and writes the
        # canonical series; an unmapped one keeps its own until it is mapped
        ids[indicator.name] = (None, canonical_id) if canonical_id is not None else (row_id, None)
    meta = plan.metadata
    first_years = [
        y for y in [plan.baseline_year, *(i.baseline_year for i in plan.indicators)] if y
    ]
    last_years = [
        y
        for y in [plan.target_year, meta.period_end, *(i.target_year for i in plan.indicators)]
        if y
    ]
    start = (
        min(first_years)
        if first_years
        else (meta.period_start - 1 if meta.period_start else CATALOGUE_YEARS[0])
    )
    end = max(last_years) if last_years else CATALOGUE_YEARS[1]
    period = (meta.period_start, meta.period_end) if meta.period_start and meta.period_end else None
    catalogue = SeriesCatalogue(
        plan_id=stored.id,
        title=stored.title,
        years=(start, end),
        specs=specs,
        ids=ids,
        plan_region_code=stored.region_code,
        period=period,
    )
    catalogue.load_regions(session)
    return catalogue


def canonical_catalogue(session: Session) -> SeriesCatalogue:
    """The national catalogue's series: names, codes and aliases all accepted."""
    specs: dict[str, IndicatorSpec] = {}
    ids: dict[str, tuple[int | None, int | None]] = {}
    for row in catalogue_repo.canonical_rows(session):
        aliases = (row.code, *(a.alias for a in row.aliases))
        spec = IndicatorSpec.for_unit(row.name, row.unit, aliases=aliases)
        spec.lower, spec.upper = row.lower_bound, row.upper_bound
        specs[row.name] = spec
        ids[row.name] = (None, row.id)
    catalogue = SeriesCatalogue(
        plan_id=None, title="national catalogue", years=CATALOGUE_YEARS, specs=specs, ids=ids
    )
    catalogue.load_regions(session)
    return catalogue


#: Pass as the plan to address the national catalogue's series explicitly.
CATALOGUE = "catalogue"


def catalogue_for(
    session: Session,
    plan: int | str | None,
    typed_names: Iterable[str],
    typed_regions: Iterable[str] = (),
) -> SeriesCatalogue:
    """The series a request addresses: a named plan, the catalogue, or (None) the best fit."""
    if plan is None:
        return choose_catalogue(session, typed_names, typed_regions)
    if str(plan).strip().lower() == CATALOGUE:
        return canonical_catalogue(session)
    return build_catalogue(session, plan)


def catalogue_for_value(
    session: Session, plan: int | str | None, indicator: str, region: str, year: int | None
) -> SeriesCatalogue:
    """The series one typed value addresses (history, correction, status change, one entry).

    The region is resolved first: an unknown or ambiguous name is that mistake, said
    as such, not a plan choice that failed because the name told the plans nothing.
    """
    code = region_index(session).resolve(region, year=year).code
    return catalogue_for(session, plan, {indicator}, {code})


def region_problems(session: Session, rows: Sequence[ObservationRow]) -> ValidationReport:
    """The rows whose region the one region resolver cannot name (unknown, ambiguous)."""
    index = region_index(session)
    report = ValidationReport()
    for r in rows:
        text = str(r.region).strip()
        if not text:
            continue  # a blank region is the validator's to report, with the rest of the row
        try:
            index.resolve(text, year=parse_year(r.year))
        except (NotFound, InvalidData) as exc:
            report.error(r.row, "region", f"{r.at}{exc.message}", zh=exc.message_zh, sheet=r.sheet)
    return report


def choose_catalogue(
    session: Session, typed_names: Iterable[str], typed_regions: Iterable[str] = ()
) -> SeriesCatalogue:
    """The plan whose indicator wording covers most of the names, else the catalogue.

    Plans that cover the names equally well (local plans often copy the national
    wording) are told apart by the regions: the most local plan whose region
    contains every region of the file wins. If that still leaves several, the
    caller must name the plan.
    """
    wanted = {normalise_text(n) for n in typed_names if n and n.strip()}
    canonical_names: set[str] = set()
    for row in session.scalars(select(CanonicalIndicatorRow)):
        canonical_names.update(
            normalise_text(n) for n in (row.code, row.name, *(a.alias for a in row.aliases))
        )
    by_plan: dict[int, set[str]] = {}
    for plan_id, name in session.execute(select(PlanIndicatorRow.plan_id, PlanIndicatorRow.name)):
        by_plan.setdefault(plan_id, set()).add(normalise_text(name))
    coverage = {pid: len(wanted & names) for pid, names in by_plan.items()}
    best = max(coverage.values(), default=0)
    if best == 0 or best < len(wanted & canonical_names):
        return canonical_catalogue(session)
    tied = sorted(pid for pid, n in coverage.items() if n == best)
    if len(tied) > 1:
        tied = _narrow_by_region(session, tied, typed_regions)
    if len(tied) > 1:
        titles = "; ".join(f"{pid}: {session.get(PlanRow, pid).title}" for pid in tied[:5])  # type: ignore[union-attr]
        raise InvalidData(f"the indicators fit {len(tied)} plans ({titles}); name one with --plan")
    return build_catalogue(session, tied[0])


def _narrow_by_region(
    session: Session, plan_ids: list[int], typed_regions: Iterable[str]
) -> list[int]:
    index = region_index(session)
    codes_by_id = dict(session.execute(select(RegionRow.id, RegionRow.code)).all())
    codes = set()
    for text in typed_regions:
        try:
            codes.add(index.resolve(text).code)
        except (NotFound, InvalidData):
            continue  # the validator reports it, row by row
    if not codes:
        return plan_ids
    rows = session.execute(
        select(PlanRow.id, PlanRow.region_id).where(PlanRow.id.in_(plan_ids))
    ).all()
    fitting: list[tuple[int, int]] = []  # (specificity, plan id)
    for plan_id, region_id in rows:
        if region_id is None:
            continue
        root = codes_by_id[region_id]
        prefix = regions_repo.code_prefix(root)
        if all(c.startswith(prefix) for c in codes):
            fitting.append((len(prefix), plan_id))
    if not fitting:
        return plan_ids
    most_local = max(n for n, _ in fitting)
    return sorted(pid for n, pid in fitting if n == most_local)
