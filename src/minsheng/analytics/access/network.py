"""Road-network travel times between demand points and facilities, as a sparse cost table.

Why: a "15-minute circle" is a time along roads, not a straight line. Points are snapped
to their nearest network node (KD-tree on projected metres; the snapping distance is
reported and, given a walking speed, walked at ``t = d / v``). Travel times then come from
Dijkstra's algorithm (Dijkstra 1959; ``scipy.sparse.csgraph.dijkstra``) run from the
facilities on the reversed graph, so a time is the resident's trip *to* the facility and
one-way streets count in that direction:

    ``c_ij = walk(i) + t(node(i) -> node(j)) + walk(j)``,  kept when ``c_ij <= cutoff``.

Memory stays bounded: the facilities are routed a chunk at a time (at most ``budget``
node distances in memory), and only the pairs within the cut-off survive, as
``origin, destination, cost`` triples -- the same table ``two_step_fca_from_costs`` and
``covered_from_costs`` take, so 2SFCA/E2SFCA/coverage need no second implementation.
Coverage alone needs only each point's least time: one multi-source Dijkstra from a
virtual node joined to every facility (:func:`least_network_cost`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # heavy libraries load when a function needs them (start-up)
    from scipy.sparse import csr_matrix

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
DIST_BUDGET = 8_000_000  # node distances held at once per chunk of facilities (64 MB)


def road_graph(
    n_nodes: int, edge_from: IntArray, edge_to: IntArray, cost: FloatArray
) -> csr_matrix:
    """A directed CSR graph; of parallel edges the cheapest is kept, self-loops are dropped.

    (Building through COO would *sum* parallel edges, which is wrong for roads.)
    """
    from scipy.sparse import csr_matrix

    a = np.asarray(edge_from, np.int64)
    b = np.asarray(edge_to, np.int64)
    c = np.asarray(cost, np.float64)
    if len(c) and (not np.all(np.isfinite(c)) or c.min() < 0):
        raise ValueError("edge costs must be finite and non-negative")
    keep = a != b
    a, b, c = a[keep], b[keep], c[keep]
    order = np.lexsort((c, b, a))
    a, b, c = a[order], b[order], c[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    a, b, c = a[first], b[first], c[first]
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n_nodes), out=indptr[1:])
    return csr_matrix((c, b.astype(np.int32), indptr.astype(np.int32)), shape=(n_nodes, n_nodes))


def largest_component(graph: csr_matrix) -> NDArray[np.bool_]:
    """Nodes of the largest weakly connected component (fragments a point should not snap to)."""
    from scipy.sparse.csgraph import connected_components

    _, label = connected_components(graph, directed=True, connection="weak")
    return label == np.argmax(np.bincount(label))


@dataclass(frozen=True)
class Snap:
    """Each point's network node (-1 when none within ``max_snap_m``) and its distance in metres."""

    node: IntArray
    distance_m: FloatArray


def snap_to_nodes(
    node_x: FloatArray,
    node_y: FloatArray,
    x: FloatArray,
    y: FloatArray,
    *,
    allowed: NDArray[np.bool_] | None = None,
    max_snap_m: float = np.inf,
) -> Snap:
    """The nearest (allowed) node of each point, by straight line in projected metres."""
    from scipy.spatial import cKDTree

    pick = np.flatnonzero(allowed) if allowed is not None else np.arange(len(node_x))
    if len(pick) == 0 or len(x) == 0:
        return Snap(np.full(len(x), -1, np.int64), np.full(len(x), np.inf))
    tree = cKDTree(np.column_stack([np.asarray(node_x)[pick], np.asarray(node_y)[pick]]))
    d, k = tree.query(np.column_stack([x, y]), k=1, distance_upper_bound=max_snap_m)
    hit = np.isfinite(d)
    node = np.where(hit, pick[np.where(hit, k, 0)], -1).astype(np.int64)
    return Snap(node, np.where(hit, d, np.inf))


def walking_minutes(distance_m: FloatArray, walk_kmh: float | None) -> FloatArray:
    """``d / v`` in minutes for the snapping leg; zero when no walking speed is given."""
    d = np.asarray(distance_m, np.float64)
    if walk_kmh is None:
        return np.zeros_like(d)
    if not walk_kmh > 0:
        raise ValueError("walking speed must be positive")
    return d / (walk_kmh * 1000.0 / 60.0)


@dataclass(frozen=True)
class NetworkCosts:
    """Pairs within the cut-off (demand position, facility position, minutes) and the snaps."""

    origin: IntArray
    dest: IntArray
    cost: FloatArray
    demand_snap: Snap
    supply_snap: Snap


def top_speed(graph: csr_matrix, node_x: FloatArray, node_y: FloatArray) -> float:
    """The fastest straight-line progress any edge allows (metres a minute; inf for 0-minute edges).

    A node reached within ``t`` minutes lies within ``top_speed * t`` metres of the start
    (each edge's chord is at most its minutes times this), which bounds the search area.
    """
    coo = graph.tocoo()
    chord = np.hypot(node_x[coo.row] - node_x[coo.col], node_y[coo.row] - node_y[coo.col])
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(chord > 0, chord / coo.data, 0.0)
    return float(v.max()) if len(v) else 0.0


def _tiles(fx: FloatArray, fy: FloatArray, side: float) -> list[IntArray]:
    """Facility positions grouped by square tiles of ``side`` metres (one tile if unbounded)."""
    if not np.isfinite(side) or len(fx) == 0:
        return [np.arange(len(fx))]
    key = np.floor((fx - fx.min()) / side) * 1e9 + np.floor((fy - fy.min()) / side)
    _, tile = np.unique(key, return_inverse=True)
    order = np.argsort(tile, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(tile[order])) + 1)


def network_costs(
    graph: csr_matrix,
    demand_snap: Snap,
    supply_snap: Snap,
    cutoff: float,
    *,
    node_xy: tuple[FloatArray, FloatArray] | None = None,
    walk_kmh: float | None = None,
    budget: int = DIST_BUDGET,
    on_chunk: Callable[[int, int], None] | None = None,
) -> NetworkCosts:
    """All (demand, facility) pairs with ``c_ij <= cutoff``, routed a chunk of facilities at a time.

    ``graph`` carries minutes on directed edges; ``on_chunk(done, total)`` hears the
    progress in facilities. Points without a node (``-1``) pair with nothing. With the
    nodes' projected ``node_xy``, facilities are taken a tile at a time and routed on the
    part of the network within ``top_speed * cutoff`` of the tile -- the same times
    (no path of at most ``cutoff`` minutes leaves that area), but work that grows with the
    area a cut-off reaches rather than with the whole network.
    """
    from scipy.sparse.csgraph import dijkstra

    if not cutoff >= 0:
        raise ValueError("cut-off must be non-negative")
    walk_d = walking_minutes(demand_snap.distance_m, walk_kmh)
    walk_s = walking_minutes(supply_snap.distance_m, walk_kmh)
    reverse = graph.T.tocsr()  # dist from facility on the reversed graph = time to it
    n_nodes = graph.shape[0]
    facilities = np.flatnonzero(supply_snap.node >= 0)
    people = np.flatnonzero(demand_snap.node >= 0)
    reach = np.inf
    if node_xy is not None:
        nx, ny = (np.asarray(a, np.float64) for a in node_xy)
        reach = top_speed(graph, nx, ny) * cutoff * (1 + 1e-9) + 1e-6
    tiles = [facilities] if len(facilities) else []
    if np.isfinite(reach) and len(facilities):
        fnode = supply_snap.node[facilities]
        tiles = [facilities[t] for t in _tiles(nx[fnode], ny[fnode], max(reach, 1.0))]
    parts: list[tuple[NDArray, NDArray, FloatArray]] = []
    done = 0
    for tile in tiles:
        if np.isfinite(reach):
            fnode = supply_snap.node[tile]
            inside = (
                (nx >= nx[fnode].min() - reach)
                & (nx <= nx[fnode].max() + reach)
                & (ny >= ny[fnode].min() - reach)
                & (ny <= ny[fnode].max() + reach)
            )
            keep = np.flatnonzero(inside)
            sub = reverse[keep][:, keep]
            local = np.full(n_nodes, -1, np.int64)
            local[keep] = np.arange(len(keep))
        else:
            sub, local = reverse, np.arange(n_nodes)
        here = people[local[demand_snap.node[people]] >= 0]
        here = here[np.argsort(local[demand_snap.node[here]], kind="stable")]
        targets = local[demand_snap.node[here]]  # ascending: a cache-friendly gather
        chunk = max(1, budget // max(sub.shape[0], len(here), 1))
        for lo in range(0, len(tile), chunk):
            fac = tile[lo : lo + chunk]
            dist = dijkstra(sub, directed=True, indices=local[supply_snap.node[fac]], limit=cutoff)
            near = np.take(dist, targets, axis=1)
            del dist
            flat = np.flatnonzero(near <= cutoff)
            rows, cols = np.divmod(flat, near.shape[1])
            i, j = here[cols], fac[rows]
            c = np.take(near, flat) + walk_d[i] + walk_s[j]
            del near, flat
            ok = c <= cutoff
            parts.append((i[ok].astype(np.int32), j[ok].astype(np.int32), c[ok]))
            done += len(fac)
            if on_chunk is not None:
                on_chunk(done, len(facilities))
    if parts:
        origin = np.concatenate([p[0] for p in parts])
        dest = np.concatenate([p[1] for p in parts])
        cost = np.concatenate([p[2] for p in parts])
    else:
        origin = dest = np.zeros(0, np.int32)
        cost = np.zeros(0)
    return NetworkCosts(origin, dest, cost, demand_snap, supply_snap)


def least_network_cost(
    graph: csr_matrix,
    demand_snap: Snap,
    supply_snap: Snap,
    cutoff: float,
    *,
    walk_kmh: float | None = None,
) -> FloatArray:
    """Each demand point's least time to any facility (``inf`` beyond ``cutoff``).

    One Dijkstra on the reversed graph from a virtual source joined to every facility's
    node by its walking time: ``min_j c_ij`` without any pair list.
    """
    from scipy.sparse.csgraph import dijkstra

    n_nodes = graph.shape[0]
    walk_d = walking_minutes(demand_snap.distance_m, walk_kmh)
    walk_s = walking_minutes(supply_snap.distance_m, walk_kmh)
    out = np.full(len(demand_snap.node), np.inf)
    ok = supply_snap.node >= 0
    if not ok.any():
        return out
    coo = graph.T.tocoo()
    src = np.full(int(ok.sum()), n_nodes, np.int64)
    joined = road_graph(
        n_nodes + 1,
        np.concatenate([coo.row.astype(np.int64), src]),
        np.concatenate([coo.col.astype(np.int64), supply_snap.node[ok]]),
        np.concatenate([coo.data, walk_s[ok]]),
    )
    dist = dijkstra(joined, directed=True, indices=n_nodes, limit=cutoff)
    has = demand_snap.node >= 0
    out[has] = dist[demand_snap.node[has]] + walk_d[has]
    return np.where(out <= cutoff, out, np.inf)
