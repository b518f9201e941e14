"""``minsheng access ... --network roads.osm.pbf``: minutes along roads, checked by hand.

The network is a 6 x 6 grid of residential streets 500 m apart (30 km/h: one minute a
block), so the time between two crossings is the number of blocks between them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.services import accessibility as svc
from minsheng.services.road_travel import road_options

sys.path.insert(0, str(Path(__file__).parents[1]))
from osm_grid import grid_ways, lat_of, lon_of, write_osm  # noqa: E402

runner = CliRunner()
N, BLOCK = 6, 500.0
FACILITIES = [(1, 1, 30.0), (4, 2, 50.0), (2, 5, 20.0)]  # column, row, capacity
CLOSE = 1e-6  # OSM's 7-decimal degrees: minutes agree with hand counts to a few cm


def blocks(i: int, j: int, fi: int, fj: int) -> int:
    return abs(i - fi) + abs(j - fj)


@pytest.fixture
def city(tmp_path: Path) -> dict[str, Path]:
    nodes, ways = grid_ways(N, N, BLOCK)
    roads = write_osm(tmp_path / "roads.osm.pbf", nodes, ways)
    rng = np.random.default_rng(7)
    cells = [(i, j) for j in range(N) for i in range(N)]
    pd.DataFrame(
        {
            "id": [f"c{i}_{j}" for i, j in cells],
            "lon": [lon_of(i * BLOCK) for i, _ in cells],
            "lat": [lat_of(j * BLOCK) for _, j in cells],
            "population": rng.integers(1, 100, len(cells)),
        }
    ).to_csv(tmp_path / "D.csv", index=False)
    pd.DataFrame(
        {
            "id": [f"f{k}" for k in range(len(FACILITIES))],
            "lon": [lon_of(i * BLOCK) for i, _, _ in FACILITIES],
            "lat": [lat_of(j * BLOCK) for _, j, _ in FACILITIES],
            "capacity": [c for _, _, c in FACILITIES],
        }
    ).to_csv(tmp_path / "S.csv", index=False)
    # the same trips counted by hand, as a user's cost table
    pd.DataFrame(
        [
            {"origin": f"c{i}_{j}", "destination": f"f{k}", "cost": blocks(i, j, fi, fj)}
            for i, j in cells
            for k, (fi, fj, _) in enumerate(FACILITIES)
        ]
    ).to_csv(tmp_path / "hand.csv", index=False)
    return {
        "roads": roads,
        "D": tmp_path / "D.csv",
        "S": tmp_path / "S.csv",
        "hand": tmp_path / "hand.csv",
        "dir": tmp_path,
    }


def invoke(*args: str):  # noqa: ANN201
    return runner.invoke(app, ["access", *args])


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        ("2sfca", []),
        ("e2sfca", ["--decay", "gaussian", "--sigma", "1.5"]),
        ("e2sfca", ["--decay", "step"]),
    ],
)
def test_scores_equal_the_hand_cost_table(city, command: str, extra: list[str]) -> None:  # noqa: ANN001
    common = ["--demand", str(city["D"]), "--supply", str(city["S"]), "--radius", "2.5", *extra]
    net_out, hand_out = city["dir"] / "net.csv", city["dir"] / "hand_out.csv"
    result = invoke(command, *common, "--network", str(city["roads"]), "--out", str(net_out))
    assert result.exit_code == 0, result.output
    assert "road network: 36 nodes, 120 edges" in result.output
    result = invoke(command, *common, "--costs", str(city["hand"]), "--out", str(hand_out))
    assert result.exit_code == 0, result.output
    net, hand = pd.read_csv(net_out), pd.read_csv(hand_out)
    assert net["id"].tolist() == hand["id"].tolist()
    assert (hand["score"] > 0).any() and (hand["score"] == 0).any()
    np.testing.assert_allclose(net["score"], hand["score"], rtol=CLOSE)


def test_coverage_in_minutes(city) -> None:  # noqa: ANN001
    out = city["dir"] / "cov.csv"
    result = invoke(
        "coverage",
        *("--demand", str(city["D"]), "--supply", str(city["S"]), "--radius", "2.5"),
        *("--network", str(city["roads"]), "--out", str(out)),
    )
    assert result.exit_code == 0, result.output
    assert "within 2.5 minutes by road" in " ".join(result.output.split())
    got = pd.read_csv(out)
    assert got.columns.tolist()[:3] == ["id", "covered", "least_minutes"]
    least = {
        f"c{i}_{j}": min(blocks(i, j, fi, fj) for fi, fj, _ in FACILITIES)
        for j in range(N)
        for i in range(N)
    }
    want = got["id"].map(least)
    assert got["covered"].tolist() == (want <= 2.5).astype(int).tolist()
    inside = want <= 2.5
    np.testing.assert_allclose(
        got.loc[inside, "least_minutes"], want[inside], rtol=CLOSE, atol=1e-9
    )
    assert np.isinf(got.loc[~inside, "least_minutes"]).all()


def test_one_way_street_and_walking_leg(tmp_path: Path) -> None:
    # a 2 km one-way primary road north (60 km/h: 2 minutes), a slow lane back (6 minutes)
    nodes = {1: (0.0, 0.0), 2: (0.0, 2000.0), 3: (300.0, 1000.0)}
    ways = [
        ([1, 2], {"highway": "primary", "oneway": "yes"}),
        ([2, 3, 1], {"highway": "residential", "maxspeed": "20", "oneway": "yes"}),
    ]
    roads = write_osm(tmp_path / "r.osm.pbf", nodes, ways)
    pd.DataFrame(
        {
            "id": ["south", "north"],
            "lon": [lon_of(0), lon_of(0)],
            "lat": [lat_of(-100), lat_of(2000)],
        }
        | {"population": [10, 10]}
    ).to_csv(tmp_path / "D.csv", index=False)
    pd.DataFrame({"id": ["f"], "lon": [lon_of(0)], "lat": [lat_of(2000)], "capacity": [1]}).to_csv(
        tmp_path / "S.csv", index=False
    )
    back = 2 * float(np.hypot(300.0, 1000.0)) / (20_000 / 60)
    res = svc.run_coverage(tmp_path / "D.csv", tmp_path / "S.csv", 30.0, network_path=roads)
    assert res.distance[0] == pytest.approx(2.0, rel=CLOSE)  # the 100 m to the road: free
    assert res.distance[1] == pytest.approx(0.0, abs=1e-9)
    walk = road_options(walk_speed=6.0)  # 100 m a minute
    res = svc.run_coverage(
        tmp_path / "D.csv", tmp_path / "S.csv", 30.0, network_path=roads, road=walk
    )
    # snapping is measured on the ellipsoid, the test placed points on a sphere: 0.6 % apart
    assert res.distance[0] == pytest.approx(3.0, abs=0.01)
    # from the north end to a facility at the south end: against the one-way road
    pd.DataFrame(
        {"id": ["n"], "lon": [lon_of(0)], "lat": [lat_of(2000)], "population": [1]}
    ).to_csv(tmp_path / "D2.csv", index=False)
    pd.DataFrame({"id": ["s"], "lon": [lon_of(0)], "lat": [lat_of(0)], "capacity": [1]}).to_csv(
        tmp_path / "S2.csv", index=False
    )
    swapped = svc.run_coverage(tmp_path / "D2.csv", tmp_path / "S2.csv", 30.0, network_path=roads)
    assert swapped.distance[0] == pytest.approx(back, rel=1e-4)
    assert back > 6
    assert not svc.run_coverage(
        tmp_path / "D2.csv", tmp_path / "S2.csv", back - 0.1, network_path=roads
    ).covered[0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--network", "ROADS", "--costs", "HAND"], "--network and --costs are alternatives"),
        (["--walk-speed", "5"], "need --network"),
        (["--network", "ROADS", "--profile", "bike"], "drive or walk"),
        (["--network", "ROADS", "--speeds", "primary"], "class=km/h"),
        (["--network", "CORRUPT"], "corrupt.osm.pbf: not a readable OSM file"),
        (["--network", "MISSING"], "does not exist"),
    ],
)
def test_bad_network_options(city, args: list[str], needle: str) -> None:  # noqa: ANN001
    corrupt = city["dir"] / "corrupt.osm.pbf"
    corrupt.write_bytes(b"PK\x03\x04 not osm at all" * 10)
    paths = {
        "ROADS": str(city["roads"]),
        "HAND": str(city["hand"]),
        "CORRUPT": str(corrupt),
        "MISSING": str(city["dir"] / "missing.osm.pbf"),
    }
    args = [paths.get(a, a) for a in args]
    for command in ("2sfca", "coverage"):
        result = invoke(
            command,
            *("--demand", str(city["D"]), "--supply", str(city["S"]), "--radius", "3"),
            *(["--out", str(city["dir"] / "o.csv")]),
            *args,
        )
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert needle in " ".join(result.output.split())


def test_network_needs_lon_lat(city, tmp_path: Path) -> None:  # noqa: ANN001
    pd.DataFrame({"id": [1], "x": [0.0], "y": [0.0], "population": [5]}).to_csv(
        tmp_path / "xy.csv", index=False
    )
    pd.DataFrame({"id": [1], "x": [0.0], "y": [0.0], "capacity": [5]}).to_csv(
        tmp_path / "sxy.csv", index=False
    )
    result = invoke(
        "coverage",
        *("--demand", str(tmp_path / "xy.csv"), "--supply", str(tmp_path / "sxy.csv")),
        *("--radius", "3", "--network", str(city["roads"])),
    )
    assert result.exit_code == 1
    assert "needs lon/lat points" in " ".join(result.output.split())


def test_progress_and_snapping_limit(city, tmp_path: Path) -> None:  # noqa: ANN001
    far = pd.read_csv(city["D"])
    far.loc[0, "lat"] = lat_of(-2000.0)  # 2 km south of the grid's first crossing
    far.to_csv(tmp_path / "far.csv", index=False)
    heard: list[str] = []
    res = svc.run_fca(
        tmp_path / "far.csv",
        city["S"],
        2.5,
        network_path=city["roads"],
        road=road_options(max_snap_m=1000.0),
        progress=heard.append,
    )
    assert heard[:2] == ["reading inputs", "reading road network"]
    assert heard[-2:] == ["routing (3/3 facilities)", "computing scores"]
    assert not res.result.reached[0] and res.result.reached[1]
    assert res.roads is not None and np.isinf(res.roads.demand_snap_m[0])
    assert "1 point farther than the snapping limit" in res.roads.snap_line()


def test_network_coverage_shares_are_stored_once_computed(city, cli_env) -> None:  # noqa: ANN001
    from minsheng.services.observations import history

    demand = pd.read_csv(city["D"])
    demand["region"] = ["510104" if i % 2 else "510105" for i in range(len(demand))]
    demand.to_csv(city["D"], index=False)
    shown = invoke(
        "coverage",
        *("--demand", str(city["D"]), "--supply", str(city["S"]), "--radius", "3"),
        *("--network", str(city["roads"]), "--regions-out", str(city["dir"] / "r.csv")),
        *("--store-as-new", "15分钟养老服务覆盖率", "--year", "2024"),
    )
    assert shown.exit_code == 0, shown.output
    by_region = pd.read_csv(city["dir"] / "r.csv", dtype={"region": str}).set_index("region")
    stored = history(cli_env, "15分钟养老服务覆盖率", "510104", 2024)
    # the stored share is the one the command printed, in per cent
    assert [v.value for v in stored] == [pytest.approx(by_region.loc["510104", "share"] * 100)]
