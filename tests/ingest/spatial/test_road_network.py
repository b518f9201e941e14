"""Reading OSM road networks: lengths, speeds, one-way streets, profiles, bad files."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.ingest.spatial.road_network import (
    DRIVE_SPEEDS,
    parse_maxspeed,
    parse_speeds,
    read_road_network,
    speed_table,
)

sys.path.insert(0, str(Path(__file__).parents[2]))
from osm_grid import grid_ways, write_osm  # noqa: E402

# OSM stores degrees to 7 decimals (about 1 cm): hand lengths hold to 1 cm in 500 m
CM = 2e-5


def edges(net) -> dict[tuple[int, int], float]:  # noqa: ANN001
    """``(from OSM id, to OSM id) -> minutes``."""
    a, b = net.node_id[net.edge_from], net.node_id[net.edge_to]
    return {(int(x), int(y)): float(m) for x, y, m in zip(a, b, net.minutes, strict=True)}


def line(tmp_path: Path, tags: dict[str, str], metres: float = 1000.0, name: str = "l") -> Path:
    """One way north along a meridian: nodes 1, 2, 3 at 0, m/2 and m metres."""
    nodes = {1: (0.0, 0.0), 2: (0.0, metres / 2), 3: (0.0, metres)}
    return write_osm(tmp_path / f"{name}.osm.pbf", nodes, [([1, 2, 3], tags)])


def test_one_km_of_primary_road_at_60_kmh_is_one_minute(tmp_path: Path) -> None:
    net = read_road_network(line(tmp_path, {"highway": "primary"}))
    assert DRIVE_SPEEDS["primary"] == 60
    got = edges(net)
    assert set(got) == {(1, 2), (2, 3), (2, 1), (3, 2)}
    assert all(m == pytest.approx(0.5, rel=CM) for m in got.values())
    assert net.length_m == pytest.approx(np.full(4, 500.0), rel=CM)
    assert net.classes == ("primary",)
    assert net.ways == 1 and net.dropped_edges == 0


@pytest.mark.parametrize(
    ("tags", "minutes"),
    [
        ({"highway": "residential"}, 2.0),  # 30 km/h by class
        ({"highway": "residential", "maxspeed": "60"}, 1.0),
        ({"highway": "residential", "maxspeed": "20 km/h"}, 3.0),
        ({"highway": "residential", "maxspeed": "60 mph"}, 60 / (60 * 1.609344)),
        ({"highway": "residential", "maxspeed": "CN:urban"}, 2.0),  # not a number: class speed
        ({"highway": "residential", "maxspeed": "40;20"}, 3.0),
    ],
)
def test_speed_from_maxspeed_else_class(tmp_path: Path, tags: dict, minutes: float) -> None:
    got = edges(read_road_network(line(tmp_path, tags)))
    assert got[(1, 2)] + got[(2, 3)] == pytest.approx(minutes, rel=CM)


@pytest.mark.parametrize(
    ("tags", "forward", "backward"),
    [
        ({"oneway": "yes"}, True, False),
        ({"oneway": "1"}, True, False),
        ({"oneway": "-1"}, False, True),
        ({"junction": "roundabout"}, True, False),
        ({"junction": "roundabout", "oneway": "no"}, True, True),
        ({"oneway": "no"}, True, True),
        ({}, True, True),
    ],
)
def test_one_way_streets(tmp_path: Path, tags: dict, forward: bool, backward: bool) -> None:
    got = edges(read_road_network(line(tmp_path, {"highway": "tertiary", **tags})))
    assert ((1, 2) in got, (2, 3) in got) == (forward, forward)
    assert ((2, 1) in got, (3, 2) in got) == (backward, backward)


def test_motorway_is_one_way_unless_tagged(tmp_path: Path) -> None:
    got = edges(read_road_network(line(tmp_path, {"highway": "motorway"})))
    assert set(got) == {(1, 2), (2, 3)}
    got = edges(read_road_network(line(tmp_path, {"highway": "motorway", "oneway": "no"})))
    assert len(got) == 4


def test_walk_profile_ignores_one_way_and_speed_limits(tmp_path: Path) -> None:
    nodes = {1: (0.0, 0.0), 2: (0.0, 500.0), 3: (0.0, 1000.0), 4: (500.0, 0.0)}
    ways = [
        ([1, 2, 3], {"highway": "primary", "oneway": "yes", "maxspeed": "60"}),
        ([1, 4], {"highway": "footway"}),
        ([4, 2], {"highway": "motorway"}),
    ]
    path = write_osm(tmp_path / "w.osm.pbf", nodes, ways)
    walk = edges(read_road_network(path, profile="walk", walk_speed=3.0))
    assert set(walk) == {(1, 2), (2, 1), (2, 3), (3, 2), (1, 4), (4, 1)}
    assert walk[(1, 4)] == pytest.approx(10.0, rel=CM)  # 500 m at 50 m/min
    drive = edges(read_road_network(path))
    assert set(drive) == {(1, 2), (2, 3), (4, 2)}  # no footway; motorway one way


def test_speed_overrides(tmp_path: Path) -> None:
    path = line(tmp_path, {"highway": "primary"})
    got = edges(read_road_network(path, speeds={"primary": 30}))
    assert got[(1, 2)] == pytest.approx(1.0, rel=CM)
    footpath = line(tmp_path, {"highway": "footway"}, name="f")
    got = edges(read_road_network(footpath, speeds=parse_speeds("footway=6")))
    assert got[(1, 2)] == pytest.approx(5.0, rel=CM)
    with pytest.raises(InvalidData, match="no routable roads"):
        read_road_network(path, speeds={"primary": 0})


def test_grid_has_every_street_both_ways(tmp_path: Path) -> None:
    nodes, ways = grid_ways(4, 3, 250.0)
    net = read_road_network(write_osm(tmp_path / "g.osm.pbf", nodes, ways))
    assert net.n_nodes == 12
    assert net.n_edges == 2 * (3 * 3 + 4 * 2)
    assert net.length_m == pytest.approx(np.full(net.n_edges, 250.0), rel=CM)
    assert net.minutes == pytest.approx(np.full(net.n_edges, 0.5), rel=CM)


def test_private_and_area_ways_are_left_out(tmp_path: Path) -> None:
    nodes = {1: (0.0, 0.0), 2: (0.0, 100.0), 3: (0.0, 200.0), 4: (0.0, 300.0)}
    ways = [
        ([1, 2], {"highway": "service", "access": "private"}),
        ([2, 3], {"highway": "pedestrian", "area": "yes"}),
        ([3, 4], {"highway": "service"}),
    ]
    net = read_road_network(write_osm(tmp_path / "p.osm.pbf", nodes, ways), profile="walk")
    assert set(edges(net)) == {(3, 4), (4, 3)}
    assert net.n_nodes == 2


def test_nodes_missing_from_the_file_drop_their_segments(tmp_path: Path) -> None:
    nodes = {1: (0.0, 0.0), 2: (0.0, 100.0)}
    path = write_osm(tmp_path / "m.osm.pbf", nodes, [([1, 2, 99], {"highway": "residential"})])
    net = read_road_network(path)
    assert set(edges(net)) == {(1, 2), (2, 1)}
    assert net.dropped_edges == 1
    only_ways = write_osm(tmp_path / "o.osm.pbf", {}, [([7, 8], {"highway": "residential"})])
    with pytest.raises(InvalidData, match="no locations"):
        read_road_network(only_ways)


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        read_road_network(tmp_path / "none.osm.pbf")
    corrupt = tmp_path / "corrupt.osm.pbf"
    corrupt.write_bytes(b"\x00\x00\x00\x0dnot a protobuf blob" * 20)
    with pytest.raises(InvalidData, match="corrupt.osm.pbf: not a readable OSM file"):
        read_road_network(corrupt)
    good = line(tmp_path, {"highway": "primary"})
    truncated = tmp_path / "truncated.osm.pbf"
    truncated.write_bytes(good.read_bytes()[:-20])
    with pytest.raises(InvalidData, match="truncated.osm.pbf"):
        read_road_network(truncated)
    nodes = {1: (0.0, 0.0), 2: (0.0, 100.0)}
    buildings = write_osm(tmp_path / "b.osm.pbf", nodes, [([1, 2], {"building": "yes"})])
    with pytest.raises(InvalidData, match="no routable roads"):
        read_road_network(buildings)


def test_bad_options() -> None:
    with pytest.raises(InvalidData, match="unknown road profile"):
        speed_table("cycle")  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="primary"):
        speed_table("drive", {"primary": -5})
    with pytest.raises(InvalidData, match="class=km/h"):
        parse_speeds("primary:50")


@given(st.integers(1, 300))
def test_maxspeed_numbers(n: int) -> None:
    assert parse_maxspeed(str(n)) == n
    assert parse_maxspeed(f"{n} km/h") == n
    assert parse_maxspeed(f"{n} mph") == pytest.approx(n * 1.609344)
    assert parse_maxspeed(f"{n};{n + 10}") == n


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=12))
def test_maxspeed_without_digits_is_none(text: str) -> None:
    assert parse_maxspeed(text) is None
