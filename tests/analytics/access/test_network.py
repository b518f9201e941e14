"""Network travel costs: chunked Dijkstra against scipy's full one, snapping, direction."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra

from minsheng.analytics.access import covered_from_costs, two_step_fca_from_costs
from minsheng.analytics.access.network import (
    Snap,
    largest_component,
    least_network_cost,
    network_costs,
    road_graph,
    snap_to_nodes,
    top_speed,
    walking_minutes,
)


def triples(c) -> set[tuple[int, int, float]]:  # noqa: ANN001
    return {
        (int(i), int(j), round(float(t), 9))
        for i, j, t in zip(c.origin, c.dest, c.cost, strict=True)
    }


def test_parallel_edges_keep_the_cheapest_and_self_loops_go() -> None:
    g = road_graph(
        3, np.array([0, 0, 0, 1, 2]), np.array([1, 1, 2, 1, 0]), np.array([5.0, 2.0, 9, 1, 4])
    )
    dense = g.toarray()
    assert dense[0, 1] == 2.0 and dense[0, 2] == 9.0 and dense[2, 0] == 4.0
    assert dense[1, 1] == 0 and g.nnz == 3
    with pytest.raises(ValueError, match="non-negative"):
        road_graph(2, np.array([0]), np.array([1]), np.array([-1.0]))


def test_zero_minute_edges_still_connect() -> None:
    g = road_graph(3, np.array([0, 1]), np.array([1, 2]), np.array([0.0, 1.0]))
    c = network_costs(g, Snap(np.array([0]), np.zeros(1)), Snap(np.array([2]), np.zeros(1)), 5.0)
    assert triples(c) == {(0, 0, 1.0)}


def test_time_is_the_trip_to_the_facility() -> None:
    # one-way street 0 -> 1 (2 min); back only by a detour 1 -> 2 -> 0 (3 + 3 min)
    g = road_graph(3, np.array([0, 1, 2]), np.array([1, 2, 0]), np.array([2.0, 3.0, 3.0]))
    home_at_0 = Snap(np.array([0]), np.zeros(1))
    clinic_at_1 = Snap(np.array([1]), np.zeros(1))
    assert triples(network_costs(g, home_at_0, clinic_at_1, 10.0)) == {(0, 0, 2.0)}
    assert triples(network_costs(g, clinic_at_1, home_at_0, 10.0)) == {(0, 0, 6.0)}
    assert triples(network_costs(g, clinic_at_1, home_at_0, 5.0)) == set()


def test_cut_off_and_walking_legs() -> None:
    # a path 0 - 1 - 2 - 3, one minute per edge, both ways
    g = road_graph(4, np.array([0, 1, 2, 1, 2, 3]), np.array([1, 2, 3, 0, 1, 2]), np.ones(6))
    demand = Snap(np.array([0, 0, 3, -1]), np.array([0.0, 100.0, 0.0, np.inf]))
    supply = Snap(np.array([3]), np.array([50.0]))
    # 6 km/h = 100 m/min: walking 0, 1 and 0.5 minutes
    c = network_costs(g, demand, supply, 3.5, walk_kmh=6.0)
    assert triples(c) == {(0, 0, 3.5), (2, 0, 0.5)}
    assert triples(network_costs(g, demand, supply, 3.0)) == {(0, 0, 3.0), (1, 0, 3.0), (2, 0, 0.0)}
    assert walking_minutes(np.array([500.0]), 5.0) == pytest.approx([6.0])


def test_snapping_respects_allowed_nodes_and_limit() -> None:
    nx, ny = np.array([0.0, 10.0, 100.0]), np.array([0.0, 0.0, 0.0])
    s = snap_to_nodes(nx, ny, np.array([9.0, 60.0, 500.0]), np.zeros(3), max_snap_m=100.0)
    assert s.node.tolist() == [1, 2, -1]
    assert s.distance_m[:2] == pytest.approx([1.0, 40.0]) and np.isinf(s.distance_m[2])
    s = snap_to_nodes(nx, ny, np.array([9.0]), np.zeros(1), allowed=np.array([True, False, True]))
    assert s.node.tolist() == [0] and s.distance_m[0] == pytest.approx(9.0)


def test_area_bound_prunes_far_nodes_but_not_times() -> None:
    # a straight road of 1 km blocks at 1 min each (1 km/min), plus a far-off loop
    x = np.array([0.0, 1000, 2000, 3000, 50_000, 51_000])
    y = np.zeros(6)
    a = np.array([0, 1, 2, 1, 2, 3, 4, 5])
    b = np.array([1, 2, 3, 0, 1, 2, 5, 4])
    g = road_graph(6, a, b, np.ones(8))
    assert top_speed(g, x, y) == pytest.approx(1000.0)
    d = Snap(np.array([0, 3, 4]), np.zeros(3))
    s = Snap(np.array([3, 5]), np.zeros(2))
    pruned = network_costs(g, d, s, 2.0, node_xy=(x, y), budget=1)
    assert triples(pruned) == {(1, 0, 0.0), (2, 1, 1.0)}
    assert triples(network_costs(g, d, s, 3.0, node_xy=(x, y))) == {
        (0, 0, 3.0),
        (1, 0, 0.0),
        (2, 1, 1.0),
    }


def test_largest_component() -> None:
    g = road_graph(5, np.array([0, 1, 3]), np.array([1, 2, 4]), np.ones(3))
    assert largest_component(g).tolist() == [True, True, True, False, False]


@st.composite
def networks(draw):  # noqa: ANN201
    n = draw(st.integers(2, 30))
    m = draw(st.integers(1, 4 * n))
    ints = st.integers(0, n - 1)
    a = np.array(draw(st.lists(ints, min_size=m, max_size=m)))
    b = np.array(draw(st.lists(ints, min_size=m, max_size=m)))
    lowest = draw(st.sampled_from([0, 1]))  # zero-minute edges switch the area bound off
    w = np.array(draw(st.lists(st.integers(lowest, 20), min_size=m, max_size=m)), float) / 4
    xy = None
    if draw(st.booleans()):
        coord = st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=n, max_size=n)
        xy = (np.array(draw(coord)), np.array(draw(coord)))
    nodes = st.lists(st.integers(-1, n - 1), min_size=1, max_size=25)
    dn, sn = np.array(draw(nodes)), np.array(draw(nodes))
    metres = st.floats(0, 300, allow_nan=False)
    dd = np.array(draw(st.lists(metres, min_size=len(dn), max_size=len(dn))))
    sd = np.array(draw(st.lists(metres, min_size=len(sn), max_size=len(sn))))
    cutoff = draw(st.sampled_from([0.0, 1.0, 2.5, 6.0, 50.0]))
    walk = draw(st.sampled_from([None, 3.0]))
    return n, a, b, w, Snap(dn, dd), Snap(sn, sd), cutoff, walk, xy


def brute_force(n, a, b, w, d: Snap, s: Snap, cutoff, walk):  # noqa: ANN001, ANN201
    """All pairs from scipy's full all-pairs Dijkstra, checked one by one."""
    full = dijkstra(_graph(n, a, b, w), directed=True)
    wd, ws = walking_minutes(d.distance_m, walk), walking_minutes(s.distance_m, walk)
    out = set()
    for i, ni in enumerate(d.node):
        for j, nj in enumerate(s.node):
            if ni >= 0 and nj >= 0:
                c = full[ni, nj] + wd[i] + ws[j]
                if c <= cutoff:
                    out.add((i, j, round(float(c), 9)))
    return out


def _graph(n, a, b, w):  # noqa: ANN001, ANN202
    """The oracle graph, built independently: cheapest parallel edge kept by a dict."""
    from scipy.sparse import csr_matrix

    best: dict[tuple[int, int], float] = {}
    for x, y, c in zip(a.tolist(), b.tolist(), w.tolist(), strict=True):
        if x != y:
            best[(x, y)] = min(c, best.get((x, y), np.inf))
    if not best:
        return csr_matrix((n, n))
    keys = list(best)
    return csr_matrix(
        ([best[k] for k in keys], ([k[0] for k in keys], [k[1] for k in keys])), shape=(n, n)
    )


@settings(max_examples=150, deadline=None)
@given(networks(), st.integers(1, 64))
def test_chunked_dijkstra_matches_full_dijkstra(case, budget: int) -> None:  # noqa: ANN001
    n, a, b, w, d, s, cutoff, walk, xy = case
    g = road_graph(n, a, b, w)
    got = network_costs(g, d, s, cutoff, node_xy=xy, walk_kmh=walk, budget=budget)
    assert triples(got) == brute_force(n, a, b, w, d, s, cutoff, walk)
    assert len(triples(got)) == len(got.cost)  # no pair twice
    # coverage without a pair list agrees with the least listed cost
    least = least_network_cost(g, d, s, cutoff, walk_kmh=walk)
    _, listed = covered_from_costs(len(d.node), got.origin, got.cost, cutoff)
    np.testing.assert_allclose(least, listed, rtol=1e-12, atol=1e-12)


def test_costs_feed_the_cost_table_kernels() -> None:
    # a path 0 - 1 - 2 - 3, one minute per edge, both ways
    a, b = np.array([0, 1, 2, 1, 2, 3]), np.array([1, 2, 3, 0, 1, 2])
    g = road_graph(4, a, b, np.ones(6))
    d = Snap(np.array([0, 1, 3]), np.zeros(3))
    s = Snap(np.array([0, 3]), np.zeros(2))
    c = network_costs(g, d, s, 2.0)
    got = two_step_fca_from_costs(
        np.array([10.0, 20, 30]), np.array([3.0, 6]), c.origin, c.dest, c.cost, 2.0
    )
    hand = two_step_fca_from_costs(
        np.array([10.0, 20, 30]),
        np.array([3.0, 6]),
        np.array([0, 1, 1, 2]),
        np.array([0, 0, 1, 1]),
        np.array([0.0, 1.0, 2.0, 0.0]),
        2.0,
    )
    np.testing.assert_array_equal(got.score, hand.score)
    np.testing.assert_array_equal(got.ratio, hand.ratio)
