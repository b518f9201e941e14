"""Benchmark: road-network accessibility (read .pbf, snap, route, 2SFCA and coverage).

A generated ``side x side`` street grid (``spacing`` metres; every 10th street a primary
road at 60 km/h, the rest residential at 30 km/h) is written to an ``.osm.pbf``; random
demand points and facilities (lon/lat) are snapped to it and routed up to ``cutoff``
minutes. Baseline, in the same run on the same graph and snaps: scipy's Dijkstra from
every facility at once without a cut-off (a dense facility x node matrix), then the pairs
within the cut-off. Each route runs in its own subprocess so its peak memory
(``ru_maxrss``) is its own; the pair tables are compared.

    python benchmarks/bench_network.py                    # 200 x 200 grid, 100k x 1k, 15 min
    python benchmarks/bench_network.py --side 400 --skip-baseline
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

R = 6_371_008.8


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat0 = 30.0
    lat = lat0 + np.degrees(y / R)
    lon = 114.0 + np.degrees(x / (R * math.cos(math.radians(lat0))))
    return lon, lat


def write_grid(path: Path, side: int, spacing: float) -> None:
    import osmium

    xs = np.arange(side) * spacing
    lon, lat = lonlat(np.tile(xs, side), np.repeat(xs, side))
    w = osmium.SimpleWriter(str(path), overwrite=True)
    for k in range(side * side):
        w.add_node(osmium.osm.mutable.Node(id=k + 1, location=(lon[k], lat[k])))
    way = 1
    for j in range(side):
        for refs in (
            [1 + i + side * j for i in range(side)],
            [1 + j + side * i for i in range(side)],
        ):
            tags = {"highway": "primary" if j % 10 == 0 else "residential"}
            w.add_way(osmium.osm.mutable.Way(id=way, nodes=refs, tags=tags))
            way += 1
    w.close()


def points(args: argparse.Namespace) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(args.seed)
    extent = (args.side - 1) * args.spacing
    dl, da = lonlat(rng.uniform(0, extent, args.demand), rng.uniform(0, extent, args.demand))
    sl, sa = lonlat(
        rng.uniform(0, extent, args.facilities), rng.uniform(0, extent, args.facilities)
    )
    pop = np.floor(rng.lognormal(2.0, 1.2, args.demand))
    cap = rng.integers(1, 100, args.facilities).astype(np.float64)
    return dl, da, pop, sl, sa, cap


def worker(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from scipy.sparse.csgraph import dijkstra

    from minsheng.analytics.access import covered_from_costs, two_step_fca_from_costs
    from minsheng.analytics.access.geometry import project_together
    from minsheng.analytics.access.network import (
        largest_component,
        least_network_cost,
        network_costs,
        road_graph,
        snap_to_nodes,
    )
    from minsheng.ingest.spatial.road_network import read_road_network

    dl, da, pop, sl, sa, cap = points(args)
    base = rss_mib()
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    net = read_road_network(args.pbf)
    times["read"] = time.perf_counter() - t0
    t = time.perf_counter()
    graph = road_graph(net.n_nodes, net.edge_from, net.edge_to, net.minutes)
    proj, [(nx, ny), (dx, dy), (sx, sy)] = project_together((net.lon, net.lat), (dl, da), (sl, sa))
    allowed = largest_component(graph)
    ds = snap_to_nodes(nx, ny, dx, dy, allowed=allowed)
    ss = snap_to_nodes(nx, ny, sx, sy, allowed=allowed)
    times["snap"] = time.perf_counter() - t
    t = time.perf_counter()
    if args.route == "minsheng":
        c = network_costs(graph, ds, ss, args.cutoff, walk_kmh=5.0)
        origin, dest, cost = c.origin, c.dest, c.cost
    else:  # every facility at once, no cut-off: a dense facility x node matrix
        dist = dijkstra(graph.T.tocsr(), directed=True, indices=ss.node)
        walk_d, walk_s = ds.distance_m / (5000 / 60), ss.distance_m / (5000 / 60)
        full = dist[:, ds.node].T + walk_d[:, None] + walk_s[None, :]
        origin, dest = np.nonzero(full <= args.cutoff)
        cost = full[origin, dest]
    times["route"] = time.perf_counter() - t
    t = time.perf_counter()
    fca = two_step_fca_from_costs(pop, cap, origin, dest, cost, args.cutoff)
    times["2sfca"] = time.perf_counter() - t
    t = time.perf_counter()
    if args.route == "minsheng":
        least = least_network_cost(graph, ds, ss, args.cutoff, walk_kmh=5.0)
    else:
        least = covered_from_costs(len(pop), origin, cost, args.cutoff)[1]
    times["coverage"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - t0
    order = np.lexsort((dest, origin))
    np.savez(
        args.result,
        score=fca.score,
        least=least,
        origin=np.asarray(origin)[order],
        dest=np.asarray(dest)[order],
        cost=np.asarray(cost)[order],
    )
    print(
        json.dumps(
            {
                **times,
                "nodes": net.n_nodes,
                "edges": net.n_edges,
                "pairs": len(cost),
                "peak_mib": rss_mib(),
                "added_mib": rss_mib() - base,
                "proj": proj.proj4,
            }
        )
    )


def run(args: argparse.Namespace, route: str, pbf: Path, result: Path) -> dict:
    cmd = [sys.executable, __file__, "--worker", route, "--pbf", str(pbf), "--result", str(result)]
    for k in ("side", "spacing", "demand", "facilities", "cutoff", "seed"):
        cmd += [f"--{k}", str(getattr(args, k))]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--side", type=int, default=200)
    p.add_argument("--spacing", type=float, default=200.0)
    p.add_argument("--demand", type=int, default=100_000)
    p.add_argument("--facilities", type=int, default=1_000)
    p.add_argument("--cutoff", type=float, default=15.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip-baseline", action="store_true")
    p.add_argument("--worker", choices=["minsheng", "baseline"])
    p.add_argument("--pbf", type=Path)
    p.add_argument("--result", type=Path)
    args = p.parse_args()
    if args.worker:
        args.route = args.worker
        worker(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        pbf = Path(tmp) / "grid.osm.pbf"
        t = time.perf_counter()
        write_grid(pbf, args.side, args.spacing)
        print(
            f"grid {args.side} x {args.side} streets {args.spacing:g} m apart "
            f"({pbf.stat().st_size / 1024:,.0f} KiB .pbf, written in {time.perf_counter() - t:.1f} s); "
            f"{args.demand:,} demand points x {args.facilities:,} facilities, {args.cutoff:g} min"
        )
        mine = run(args, "minsheng", pbf, Path(tmp) / "m.npz")
        print(
            f"minsheng: read {mine['read']:.2f} s ({mine['nodes']:,} nodes, {mine['edges']:,} edges), "
            f"project+snap {mine['snap']:.2f} s, route {mine['route']:.2f} s ({mine['pairs']:,} pairs), "
            f"2SFCA {mine['2sfca']:.2f} s, coverage {mine['coverage']:.2f} s; "
            f"total {mine['total']:.2f} s, peak {mine['peak_mib']:,.0f} MiB"
        )
        if args.skip_baseline:
            return
        base = run(args, "baseline", pbf, Path(tmp) / "b.npz")
        print(
            f"baseline (dense Dijkstra, no cut-off): route {base['route']:.2f} s, coverage "
            f"{base['coverage']:.2f} s; total {base['total']:.2f} s, peak {base['peak_mib']:,.0f} MiB"
        )
        a, b = np.load(Path(tmp) / "m.npz"), np.load(Path(tmp) / "b.npz")
        same_pairs = np.array_equal(a["origin"], b["origin"]) and np.array_equal(
            a["dest"], b["dest"]
        )
        cost_err = (
            float(np.max(np.abs(a["cost"] - b["cost"]))) if same_pairs and len(a["cost"]) else 0.0
        )
        score_ok = np.allclose(a["score"], b["score"], rtol=1e-9, equal_nan=True)
        least_ok = np.allclose(a["least"], b["least"], rtol=1e-9)
        print(
            f"same pairs: {same_pairs} (max cost difference {cost_err:.1e} min); "
            f"scores equal: {score_ok}; least times equal: {least_ok}"
        )
        print(
            f"ratio baseline/minsheng: route {base['route'] / mine['route']:.1f}x, "
            f"total {base['total'] / mine['total']:.1f}x, peak memory "
            f"{base['peak_mib'] / mine['peak_mib']:.1f}x"
        )


if __name__ == "__main__":
    main()
