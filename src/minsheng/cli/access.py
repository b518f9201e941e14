"""``minsheng access coverage|2sfca|e2sfca|site``: facility accessibility from point files.

Inputs are CSV, GeoJSON or GeoParquet points: demand ``id, x, y, population`` and
facilities ``id, x, y, capacity`` (x/y in metres, or lon/lat in degrees), optionally a
``region`` code per point. A bad input stops with one line naming the file, column and row.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from minsheng.cli.launch import DEMAND_FLAGS, prepare_measure
from minsheng.domain.errors import InvalidData

if TYPE_CHECKING:
    from minsheng.services import accessibility as svc
    from minsheng.services.road_travel import RoadOptions


def _service():  # noqa: ANN202 - the accessibility services module
    """The accessibility services, imported when a measure runs (they bring NumPy, SciPy, pyproj)."""
    from minsheng.services import accessibility

    return accessibility


access_app = typer.Typer(
    help="Facility accessibility: coverage, 2SFCA/E2SFCA scores, siting of new facilities.",
    no_args_is_help=True,
)

Demand = Annotated[
    Path,
    typer.Option(
        *DEMAND_FLAGS,
        help="Demand points (CSV, XLSX, GeoJSON, GeoParquet): id, x, y (or lon, lat), population[, region].",
    ),
]
Supply = Annotated[
    Path,
    typer.Option(
        "--supply",
        "-s",
        help="Facilities (CSV, XLSX, GeoJSON, GeoParquet): id, x, y (or lon, lat), capacity[, region].",
    ),
]
PopulationColumn = Annotated[
    str,
    typer.Option(
        "--population-column",
        help="The demand file's column of residents (default: population, 人口, 常住人口).",
    ),
]
CapacityColumn = Annotated[
    str,
    typer.Option(
        "--capacity-column",
        help="The facilities' column of capacity, e.g. 床位数 or 学位数 (default: capacity, 容量).",
    ),
]
Radius = Annotated[
    float,
    typer.Option("--radius", "-r", help="Catchment radius in metres (or cost units with --costs)."),
]
Crs = Annotated[
    str,
    typer.Option("--crs", help="CRS of lon/lat inputs: EPSG:4326 (WGS84) or EPSG:4490 (CGCS2000)."),
]
Network = Annotated[
    Path | None,
    typer.Option(
        "--network",
        help="OSM road network (.osm.pbf): the radius is then minutes along the roads "
        "(lon/lat points only; not with --costs).",
    ),
]
RoadProfile = Annotated[
    str,
    typer.Option(
        "--profile",
        help="With --network: drive (speed by road class or maxspeed, one-way streets) or walk.",
    ),
]
WalkSpeed = Annotated[
    float | None,
    typer.Option(
        "--walk-speed",
        help="With --network: km/h for walking between each point and its nearest road node "
        "(and along the roads with --profile walk, default 5).",
    ),
]
Speeds = Annotated[
    str | None,
    typer.Option(
        "--speeds",
        help="With --network: km/h per road class, e.g. primary=50,residential=20 (0 drops a class).",
    ),
]
MaxSnap = Annotated[
    float | None,
    typer.Option(
        "--max-snap",
        help="With --network: points farther than this (metres) from a road reach nothing.",
    ),
]


@contextmanager
def _one_run(demand: Path) -> Iterator[None]:
    """A measure's run set up (:func:`minsheng.cli.launch.prepare_measure`: the demand file
    parsed in Arrow's threads while the command imports its services), and the parse
    forgotten on the way out: a run refused before it read the file keeps no table.
    """
    from minsheng.ingest.spatial import read_ahead as ahead

    prepare_measure(demand)
    try:
        yield
    finally:
        ahead.forget(demand)


@contextmanager
def _progress(phases: int) -> Iterator[Callable[[str], None]]:
    """A Rich bar over the service's phases; a bad input becomes one line (no row list).

    The bar is drawn only on a terminal (it is transient: a log or a pipe would keep
    nothing of it), so a scripted run does not import Rich (55 ms of a 0.5 s run).
    """
    if not sys.stderr.isatty():
        try:
            yield lambda phase: None
        except InvalidData as exc:
            raise InvalidData(exc.message) from None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=phases)
        last = ""

        def tell(phase: str) -> None:
            # "routing (200/1,000 ...)" updates its phase rather than starting a new one
            nonlocal last
            key = phase.split(" (")[0]
            if last and key != last:
                bar.advance(task)
            last = key
            bar.update(task, description=phase)

        try:
            yield tell
        except InvalidData as exc:
            raise InvalidData(exc.message) from None
        bar.update(task, completed=phases)


def _client(scheduler: str | None):  # noqa: ANN202
    if scheduler is None:
        return None
    from minsheng.domain.optional import require

    Client = require("dask.distributed", "dask", "--scheduler").Client  # noqa: N806

    try:
        return Client(scheduler, timeout=10)
    except OSError as exc:
        raise InvalidData(f"--scheduler: cannot reach {scheduler} ({exc})") from None


def _road(
    network: Path | None,
    costs: Path | None,
    profile: str,
    walk_speed: float | None,
    speeds: str | None,
    max_snap: float | None,
) -> RoadOptions | None:
    """The road options, or None without --network (then the road flags must be absent)."""
    if network is None:
        if walk_speed is not None or speeds or max_snap is not None or profile != "drive":
            raise InvalidData("--profile, --walk-speed, --speeds and --max-snap need --network")
        return None
    if costs is not None:
        raise InvalidData("--network and --costs are alternatives: give one of them")
    from minsheng.services.road_travel import road_options

    return road_options(profile, walk_speed, speeds, max_snap)


def _column(flag: str, name: str) -> str:
    """A value column named on the command line (a blank name is a mistake)."""
    if not name.strip():
        raise InvalidData(f"{flag} needs a column name")
    return name.strip()


def _value_columns(population: str, capacity: str) -> svc.ValueColumns:
    return _service().ValueColumns(
        _column("--population-column", population), _column("--capacity-column", capacity)
    )


def _radius_unit(network: Path | None, costs: Path | None) -> str:
    """What the radius counts: minutes by road, the cost table's units, else metres."""
    if network is not None:
        return " minutes by road"
    return " (cost units)" if costs is not None else " m"


def _fca(
    demand: Path,
    supply: Path,
    radius: float,
    out: Path,
    normalize: bool,
    costs: Path | None,
    crs: str,
    tile: float | None,
    decay: svc.Decay | None,
    scheduler: str | None = None,
    network: Path | None = None,
    road: RoadOptions | None = None,
    columns: svc.ValueColumns | None = None,
) -> None:
    client = None
    try:
        client = _client(scheduler)
        if client is not None and tile is None and network is None and costs is None:
            tile = 20 * radius
        with _progress(5 if network else 3) as tell:
            outcome = _service().run_fca(
                demand,
                supply,
                radius,
                out,
                decay=decay,
                normalize=normalize,
                costs_path=costs,
                network_path=network,
                road=road,
                crs=crs,
                tile=tile,
                client=client,
                progress=tell,
                columns=columns,
            )
    finally:
        if client is not None:
            client.close()
    loc = outcome.located
    cells, people = outcome.underserved(0.5)
    if outcome.roads is not None:
        typer.echo(outcome.roads.snap_line())
    typer.echo(
        f"{len(loc.demand):,} demand points x {len(loc.supply):,} facilities ({'road network' if network else outcome.result.method}); "
        f"{outcome.reached_share:.1%} of residents reach a facility within {radius:g}"
        f"{_radius_unit(network, costs)}"
    )
    typer.echo(
        f"underserved (below half the mean score): {cells:,} points, {people:,.0f} residents"
    )
    typer.echo(f"wrote {outcome.out_path}")


# Options shared by the 2SFCA and E2SFCA commands.
ScoresOut = Annotated[
    Path,
    typer.Option("--out", "-o", help="Scores to write (id,score): .csv, .geojson or .parquet."),
]
Normalize = Annotated[bool, typer.Option(help="Divide by the population-weighted mean score.")]
CostTable = Annotated[
    Path | None,
    typer.Option(help="Travel-cost table origin,destination,cost instead of distance."),
]
Tile = Annotated[
    float | None,
    typer.Option(help="Split into spatial tiles of this size (metres), run on Dask."),
]
Scheduler = Annotated[
    str | None, typer.Option(help="Dask scheduler address (tcp://host:8786) for the tiles.")
]


@access_app.command("2sfca")
def two_sfca(
    demand: Demand,
    supply: Supply,
    radius: Radius,
    out: ScoresOut,
    normalize: Normalize = False,
    costs: CostTable = None,
    crs: Crs = "EPSG:4326",
    tile: Tile = None,
    scheduler: Scheduler = None,
    network: Network = None,
    profile: RoadProfile = "drive",
    walk_speed: WalkSpeed = None,
    speeds: Speeds = None,
    max_snap: MaxSnap = None,
    population_column: PopulationColumn = "population",
    capacity_column: CapacityColumn = "capacity",
) -> None:
    """Two-step floating catchment (Luo & Wang 2003): supply per resident within the radius.

    Cells with no facility within the radius score 0. With --network the radius is minutes.
    """
    with _one_run(demand):
        road = _road(network, costs, profile, walk_speed, speeds, max_snap)
        columns = _value_columns(population_column, capacity_column)
        _fca(
            demand, supply, radius, out, normalize, costs, crs, tile, None, scheduler, network,
            road, columns,
        )  # fmt: skip


@access_app.command("e2sfca")
def e2sfca(
    demand: Demand,
    supply: Supply,
    radius: Radius,
    out: ScoresOut,
    decay: Annotated[str, typer.Option(help="Distance decay: step or gaussian.")] = "step",
    sigma: Annotated[
        float | None, typer.Option(help="Gaussian width in metres (default radius/2).")
    ] = None,
    steps: Annotated[
        str | None,
        typer.Option(
            help="Step weights, e.g. 1000:1,2000:0.68,3000:0.22 (default: thirds of the radius)."
        ),
    ] = None,
    normalize: Normalize = False,
    costs: CostTable = None,
    crs: Crs = "EPSG:4326",
    tile: Tile = None,
    scheduler: Scheduler = None,
    network: Network = None,
    profile: RoadProfile = "drive",
    walk_speed: WalkSpeed = None,
    speeds: Speeds = None,
    max_snap: MaxSnap = None,
    population_column: PopulationColumn = "population",
    capacity_column: CapacityColumn = "capacity",
) -> None:
    """Enhanced 2SFCA (Luo & Qi 2009): 2SFCA with step or Gaussian distance decay.

    With --network the radius, --sigma and --steps are in minutes.
    """
    if decay.lower() not in ("step", "gaussian"):
        raise InvalidData(f"--decay takes step or gaussian, not {decay!r}")
    with _one_run(demand):
        road = _road(network, costs, profile, walk_speed, speeds, max_snap)
        _fca(
            demand,
            supply,
            radius,
            out,
            normalize,
            costs,
            crs,
            tile,
            _service().decay_from_options(decay, radius, sigma=sigma, steps=steps),
            scheduler,
            network,
            road,
            _value_columns(population_column, capacity_column),
        )


@access_app.command("coverage")
def coverage(
    demand: Demand,
    supply: Supply,
    radius: Radius,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Per point: id,covered,nearest_m.")
    ] = None,
    regions_out: Annotated[
        Path | None, typer.Option(help="Per region: population, covered, share (CSV).")
    ] = None,
    costs: Annotated[
        Path | None,
        typer.Option(help="Travel-cost table origin,destination,cost; radius is then a cost."),
    ] = None,
    crs: Crs = "EPSG:4326",
    store_as_new: Annotated[
        str | None,
        typer.Option(
            "--store-as-new",
            help="Store the regions' shares (%) as observations of a new catalogue indicator "
            "of this name (e.g. '15分钟托育覆盖率'; found again on the next run); needs --year.",
        ),
    ] = None,
    store_as: Annotated[
        str | None,
        typer.Option(
            "--store-as",
            help="Store the shares under an existing indicator meant for them: a catalogue "
            "indicator made by --store-as-new, or a plan's own wording with --plan; needs --year.",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Store into an indicator of reported statistics, and add the shares as new "
            "versions over values from another source (refused without it).",
        ),
    ] = False,
    domain: Annotated[
        str | None,
        typer.Option(
            "--domain",
            help="With --store-as-new: the service domain (code or name), if the name does not say.",
        ),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who stores the shares (default: your login name).")
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option("--plan", help="The stored plan (id or title) --store-as refers to."),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="The year the stored shares describe.")
    ] = None,
    network: Network = None,
    profile: RoadProfile = "drive",
    walk_speed: WalkSpeed = None,
    speeds: Speeds = None,
    max_snap: MaxSnap = None,
    population_column: PopulationColumn = "population",
) -> None:
    """Share of residents with a facility within the radius, and each point's nearest distance.

    With --store-as the shares by region (and their parent regions) become observations,
    so they show up in `minsheng evaluate`.
    """
    if store_as is not None and store_as_new is not None:
        raise InvalidData("choose one of --store-as and --store-as-new")
    target = store_as_new or store_as
    storing = {"--year": year, "--user": user, "--plan": plan, "--domain": domain}
    given = [flag for flag, v in storing.items() if v is not None] + (
        ["--replace"] if replace else []
    )
    if target is None and given:  # an option with nothing to act on is a mistake, not a no-op
        raise InvalidData(f"{', '.join(given)}: only with --store-as or --store-as-new")
    if target is not None and year is None:
        raise InvalidData("--store-as needs --year: the year the shares describe")
    road = _road(network, costs, profile, walk_speed, speeds, max_snap)
    with _one_run(demand), _progress(4 if network else 3) as tell:
        outcome = _service().run_coverage(
            demand,
            supply,
            radius,
            out,
            costs_path=costs,
            network_path=network,
            road=road,
            crs=crs,
            progress=tell,
            population_column=_column("--population-column", population_column),
        )
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if outcome.roads is not None:
        console.print(outcome.roads.snap_line())
    unit = _radius_unit(network, costs)
    console.print(f"{outcome.share:.2%} of residents have a facility within {radius:g}{unit}")
    if outcome.by_region is not None:
        if regions_out is not None:
            outcome.by_region.to_csv(regions_out, index=False)
        table = Table("region", "population", "covered", "share")
        for rec in outcome.by_region.head(30).to_dict(orient="records"):
            table.add_row(
                str(rec["region"]),
                f"{rec['population']:,.0f}",
                f"{rec['covered']:,.0f}",
                f"{rec['share']:.1%}",
            )
        console.print(table)
    elif regions_out is not None:
        raise InvalidData(
            f"{demand.name}: --regions-out needs a 'region' column in the demand file"
        )
    if outcome.out_path:
        console.print(f"wrote {outcome.out_path}")
    if target is not None and year is not None:
        from minsheng.cli.common import user_or_login
        from minsheng.cli.setup import settings_and_database
        from minsheng.services.accessibility_observations import (
            shares_as_observations,
            store_observations,
        )

        _settings, db = settings_and_database()
        plan_ref: int | str | None = int(plan) if plan and plan.isdigit() else plan
        rows = shares_as_observations(outcome, radius, target, year)
        stored = store_observations(
            db,
            rows,
            plan=plan_ref,
            user=user_or_login(user),
            new=store_as_new is not None,
            replace_values=replace,
            domain=domain,
        )
        made = " (a new catalogue indicator)" if stored.created else ""
        console.print(
            f"stored {target} as {stored.indicator}{made} for {year}: {stored.added} new, "
            f"{stored.corrected} corrected (new version), {stored.unchanged} unchanged"
        )


@access_app.command("site")
def site(
    demand: Demand,
    candidates: Annotated[
        Path, typer.Option("--candidates", "-c", help="Candidate sites: id, x, y (or lon, lat).")
    ],
    radius: Radius,
    k: Annotated[int, typer.Option("--k", "-k", help="How many new facilities to place.")] = 5,
    existing: Annotated[
        Path | None,
        typer.Option(help="Existing facilities: already-covered residents do not count."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Picks: rank,id,newly_covered,total_covered.")
    ] = None,
    crs: Crs = "EPSG:4326",
    population_column: PopulationColumn = "population",
) -> None:
    """Greedy maximal covering: the k candidate sites that newly cover the most residents."""
    from rich.console import Console
    from rich.table import Table

    with _progress(3) as tell:
        outcome = _service().run_siting(
            demand,
            candidates,
            radius,
            k,
            out,
            existing_path=existing,
            crs=crs,
            progress=tell,
            population_column=_column("--population-column", population_column),
        )
    table = Table("rank", "candidate", "newly covered", "covered so far")
    for n, (cid, s) in enumerate(zip(outcome.candidate_ids, outcome.steps, strict=True), start=1):
        share = s.total_covered / outcome.population if outcome.population else 0.0
        table.add_row(
            str(n), cid, f"{s.newly_covered:,.0f}", f"{s.total_covered:,.0f} ({share:.1%})"
        )
    Console().print(table)
    if len(outcome.steps) < k:
        Console().print(f"stopped after {len(outcome.steps)}: no candidate covers anyone new")


def register(app: typer.Typer) -> None:
    """Add the ``access`` group to the root app."""
    app.add_typer(access_app, name="access")
