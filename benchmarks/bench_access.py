"""Benchmark: minsheng accessibility vs the PySAL ``access`` route, on the same data.

The route a user of PySAL ``access`` takes: all demand-supply pairs within the radius from
a KD-tree (``cKDTree.sparse_distance_matrix``), then ``Access(...).two_stage_fca`` with
``max_cost=radius`` (and ``weight_fn=weights.gaussian(sigma)`` for E2SFCA). minsheng's
route starts from the same arrays and ends with the same scores. Each route runs in its
own subprocess so its peak memory (``ru_maxrss``) is its own; scores are compared.

    python benchmarks/bench_access.py                      # 1M cells x 5k facilities
    python benchmarks/bench_access.py --facilities 50000 --skip-access
    python benchmarks/bench_access.py --side 3163 --facilities 100000 --skip-access  # 10M
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def make_data(side: int, n_facilities: int, cell: float, seed: int):  # noqa: ANN201
    """A ``side x side`` population grid (``cell`` metres) and uniformly scattered facilities."""
    rng = np.random.default_rng(seed)
    xs = np.arange(side) * cell
    x = np.tile(xs, side)
    y = np.repeat(xs, side)
    # clustered, heavy-tailed population with empty cells, like a real census grid
    pop = np.floor(rng.lognormal(2.0, 1.5, side * side)) * (rng.random(side * side) < 0.8)
    extent = side * cell
    fx = rng.uniform(0, extent, n_facilities)
    fy = rng.uniform(0, extent, n_facilities)
    cap = rng.integers(1, 100, n_facilities).astype(np.float64)
    return x, y, pop, fx, fy, cap


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(args: argparse.Namespace) -> None:
    x, y, pop, fx, fy, cap = make_data(args.side, args.facilities, args.cell, args.seed)
    # imports stay outside the timing for both routes
    if args.route == "access":
        import pandas as pd
        from access import Access, weights
        from scipy.spatial import cKDTree
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        from minsheng.analytics.access import Gaussian, Points, two_step_fca
    base = rss_mib()
    t0 = time.perf_counter()
    if args.route == "access":
        m = cKDTree(np.column_stack([fx, fy])).sparse_distance_matrix(
            cKDTree(np.column_stack([x, y])), args.radius, output_type="ndarray"
        )
        cost = pd.DataFrame({"origin": m["j"], "dest": m["i"], "cost": m["v"]})
        n_pairs = len(cost)
        pair_seconds = time.perf_counter() - t0
        del m
        a = Access(
            demand_df=pd.DataFrame({"geoid": np.arange(len(x)), "pop": pop}),
            demand_index="geoid",
            demand_value="pop",
            supply_df=pd.DataFrame({"geoid": np.arange(len(fx)), "cap": cap}),
            supply_index="geoid",
            supply_value="cap",
            cost_df=cost,
            cost_origin="origin",
            cost_dest="dest",
            cost_name="cost",
        )
        fn = weights.gaussian(args.sigma) if args.measure == "e2sfca" else None
        res = a.two_stage_fca(max_cost=args.radius, weight_fn=fn).iloc[:, 0]
        score = res.reindex(np.arange(len(x))).to_numpy()
    else:
        decay = Gaussian(args.sigma) if args.measure == "e2sfca" else None
        result = two_step_fca(Points.of(x, y, pop), Points.of(fx, fy, cap), args.radius, decay)
        score = result.score
        n_pairs = None
        pair_seconds = None
    seconds = time.perf_counter() - t0
    np.save(args.out, score)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mib": rss_mib(),
                "data_mib": base,
                "pairs": n_pairs,
                "pair_seconds": pair_seconds,
            }
        )
    )


def run_route(route: str, measure: str, args: argparse.Namespace, out: str) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        "--route",
        route,
        "--measure",
        measure,
        "--side",
        str(args.side),
        "--facilities",
        str(args.facilities),
        "--cell",
        str(args.cell),
        "--radius",
        str(args.radius),
        "--sigma",
        str(args.sigma),
        "--seed",
        str(args.seed),
        "--out",
        out,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{route} {measure} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--side", type=int, default=1000, help="grid side; cells = side**2 (default 1000 → 1M)"
    )
    p.add_argument("--facilities", type=int, default=5000)
    p.add_argument("--cell", type=float, default=100.0, help="cell size in metres")
    p.add_argument("--radius", type=float, default=3000.0)
    p.add_argument("--sigma", type=float, default=1500.0, help="Gaussian sigma for E2SFCA")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--measures", default="2sfca,e2sfca")
    p.add_argument(
        "--skip-access", action="store_true", help="only minsheng (for sizes access cannot hold)"
    )
    p.add_argument(
        "--access-measures",
        default=None,
        help="measures to run the access route for (default: all of --measures)",
    )
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--route", help=argparse.SUPPRESS)
    p.add_argument("--measure", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args)
        return
    print(
        f"demand cells {args.side**2:,} x facilities {args.facilities:,}, radius {args.radius:g} m, "
        f"cell {args.cell:g} m, sigma {args.sigma:g} m, {os.cpu_count()} cpus"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for measure in args.measures.split(","):
            ours = run_route("minsheng", measure, args, f"{tmp}/m.npy")
            line = (
                f"{measure:7s} minsheng {ours['seconds']:8.3f} s  peak {ours['peak_mib']:8.0f} MiB "
                f"(data alone {ours['data_mib']:.0f} MiB)"
            )
            wanted = (args.access_measures or args.measures).split(",")
            if not args.skip_access and measure in wanted:
                ref = run_route("access", measure, args, f"{tmp}/a.npy")
                a, m = np.load(f"{tmp}/a.npy"), np.load(f"{tmp}/m.npy")
                same_nan = bool(np.array_equal(np.isnan(a), np.isnan(m)))
                ok = ~np.isnan(a)
                with np.errstate(divide="ignore", invalid="ignore"):
                    rel = np.abs(m[ok] - a[ok]) / np.abs(a[ok])
                rel = np.where(a[ok] == m[ok], 0.0, rel)
                line += (
                    f" | access {ref['seconds']:8.3f} s (KD pairs {ref['pair_seconds']:.2f} s) "
                    f"peak {ref['peak_mib']:8.0f} MiB ({ref['pairs']:,} pairs)"
                    f" | speed-up {ref['seconds'] / ours['seconds']:6.1f}x"
                    f" ({(ref['seconds'] - ref['pair_seconds']) / ours['seconds']:.1f}x vs access alone)"
                    f" | max rel diff {rel.max(initial=0.0):.1e}, same NaN cells {same_nan}"
                )
            print(line, flush=True)


if __name__ == "__main__":
    main()
