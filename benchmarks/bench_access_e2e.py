"""Benchmark: ``minsheng access`` as a user runs it — whole processes, files in, files out.

Both routes start from the same CSV files on disk and end with a file of scores:

- minsheng: ``minsheng access 2sfca|e2sfca -d D.csv -s S.csv -r R --out OUT.(csv|parquet)``;
- the PySAL ``access`` route as its users write it: ``pandas.read_csv``, all pairs within
  the radius from a KD-tree (``cKDTree.sparse_distance_matrix``), ``Access(...).two_stage_fca``
  (``weights.gaussian`` for E2SFCA), ``DataFrame.to_csv``.

Each route runs in its own process; wall time includes Python's start-up and imports, and
peak memory is the process's maximum resident set (``wait4``). Scores are compared.
minsheng's modules are compiled to bytecode first, as a user's copy is after its first run.
With ``--repeat N`` the routes run in turns, N rounds, and each keeps its fastest run:
the machine is shared, and a slow minute then falls on every route alike.
Demand is a population grid (``--layout grid``) or uniformly scattered points
(``--layout scattered``).

    python benchmarks/bench_access_e2e.py                                # 1M x 5k, grid and scattered
    python benchmarks/bench_access_e2e.py --facilities 50000 --skip-access --layouts grid
    python benchmarks/bench_access_e2e.py --write-docs                   # figures into docs/performance.md
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_access import make_data  # noqa: E402
from perf_docs import README, load_line, machine_line, write_section  # noqa: E402

ACCESS_ROUTE = r"""
import sys
import numpy as np, pandas as pd
from access import Access, weights
from scipy.spatial import cKDTree
d_path, s_path, radius, measure, sigma, out = sys.argv[1:]
radius, sigma = float(radius), float(sigma)
d = pd.read_csv(d_path)
s = pd.read_csv(s_path)
m = cKDTree(s[["x", "y"]].to_numpy()).sparse_distance_matrix(
    cKDTree(d[["x", "y"]].to_numpy()), radius, output_type="ndarray")
cost = pd.DataFrame({"origin": d["id"].to_numpy()[m["j"]], "dest": s["id"].to_numpy()[m["i"]], "cost": m["v"]})
a = Access(demand_df=d, demand_index="id", demand_value="population",
           supply_df=s, supply_index="id", supply_value="capacity",
           cost_df=cost, cost_origin="origin", cost_dest="dest", cost_name="cost")
fn = weights.gaussian(sigma) if measure == "e2sfca" else None
res = a.two_stage_fca(max_cost=radius, weight_fn=fn).iloc[:, 0]
res = res.reindex(d["id"]).fillna(0.0)
pd.DataFrame({"id": d["id"], "score": res.to_numpy()}).to_csv(out, index=False)
"""

# The least a route reading and writing through Arrow alone can take on these files:
# import Arrow and NumPy, read the demand CSV (in blocks of the size minsheng's reader
# takes: two per core), write its ids and one full-precision float per point (what a score
# file holds), the rows formatted by Arrow's writer on every core and written as they are
# ready. No computing beyond one division (pyarrow.compute is not imported: its import
# alone costs 50-80 ms). minsheng itself reads through a memory map and formats numbers
# in C++, so it can take less.
BARE_IO = r"""
import os, sys, threading
import numpy as np
import pyarrow as pa, pyarrow.csv as pacsv
block = max(1 << 20, min(16 << 20, os.path.getsize(sys.argv[1]) // (2 * pa.cpu_count())))
t = pacsv.read_csv(sys.argv[1], read_options=pacsv.ReadOptions(block_size=block),
                   convert_options=pacsv.ConvertOptions(column_types={"id": pa.string()}))
col = t["population"]  # null-free numbers: each chunk's data buffer (to_numpy would import pandas)
kind = np.int64 if col.type == pa.int64() else np.float64
pop = np.concatenate([np.frombuffer(c.buffers()[1], dtype=kind)[c.offset : c.offset + len(c)] for c in col.chunks])
score = pop / 7.0  # to Arrow as its buffer: pa.array(ndarray) would import pandas
out = pa.table({"id": t["id"], "score": pa.Array.from_buffers(pa.float64(), len(score), [None, pa.py_buffer(score)])})
n, k = out.num_rows, pa.cpu_count()
parts = 4 * k
texts, ready = [None] * parts, [threading.Event() for _ in range(parts)]
opts = pacsv.WriteOptions(include_header=False, quoting_style="none", batch_size=1 << 16)
def worker(w):
    for i in range(w, parts, k):
        lo, hi = n * i // parts, n * (i + 1) // parts
        sink = pa.BufferOutputStream()
        pacsv.write_csv(out.slice(lo, hi - lo), sink, opts)
        texts[i] = sink.getvalue()
        ready[i].set()
threads = [threading.Thread(target=worker, args=(w,)) for w in range(k)]
[t.start() for t in threads]
with open(sys.argv[2], "wb") as fh:
    fh.write(b"id,score\n")
    for i in range(parts):
        ready[i].wait()
        fh.write(texts[i])
        texts[i] = None
[t.join() for t in threads]
"""


def write_inputs(folder: Path, layout: str, args: argparse.Namespace) -> tuple[Path, Path]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    x, y, pop, fx, fy, cap = make_data(args.side, args.facilities, args.cell, args.seed)
    if layout == "scattered":
        rng = np.random.default_rng(args.seed + 1)
        extent = args.side * args.cell
        x, y = rng.uniform(0, extent, len(x)).round(1), rng.uniform(0, extent, len(y)).round(1)
    fx, fy = fx.round(1), fy.round(1)
    demand, supply = folder / f"demand_{layout}.csv", folder / f"supply_{layout}.csv"
    pacsv.write_csv(pa.table({"id": np.arange(len(x)), "x": x, "y": y, "population": pop}), demand)
    pacsv.write_csv(pa.table({"id": np.arange(len(fx)), "x": fx, "y": fy, "capacity": cap}), supply)
    return demand, supply


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    return seconds, usage.ru_maxrss / 1024


def compile_bytecode() -> None:
    """Bytecode for every minsheng module, as a user's copy has it from its first run on.

    Why: the libraries on both routes were compiled when pip installed them, but an
    editable install of minsheng compiles its own modules on import, and a shell with
    ``PYTHONDONTWRITEBYTECODE`` set (as CI images often have) would then pay for that in
    every timed run: about 30 ms of a 0.4 s run, measured.
    """
    import compileall

    compileall.compile_dir(ROOT / "src" / "minsheng", quiet=1)


def start_up_floor(minsheng: str, folder: Path, radius: float) -> float:
    """Seconds of a whole run on 10 points: what every run pays before it reads a byte."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    demand, supply = folder / "tiny_d.csv", folder / "tiny_s.csv"
    k = np.arange(10)
    pacsv.write_csv(
        pa.table({"id": k, "x": k * 10.0, "y": k * 10.0, "population": k + 1.0}), demand
    )
    pacsv.write_csv(
        pa.table({"id": k[:2], "x": [0.0, 50.0], "y": [0.0, 50.0], "capacity": [1.0, 2.0]}), supply
    )
    cmd = [minsheng, "access", "2sfca", "-d", str(demand), "-s", str(supply), "-r", str(radius),
           "--out", str(folder / "tiny_o.csv")]  # fmt: skip
    return min(timed(cmd)[0] for _ in range(3))


def read_scores(path: Path) -> np.ndarray:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pq.read_table(path) if path.suffix == ".parquet" else pacsv.read_csv(path)
    order = np.argsort(table.column("id").to_numpy().astype(np.int64))
    return table.column("score").to_numpy()[order]


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--side", type=int, default=1000, help="grid side; demand points = side**2")
    p.add_argument("--facilities", type=int, default=5000)
    p.add_argument("--cell", type=float, default=100.0)
    p.add_argument("--radius", type=float, default=3000.0)
    p.add_argument("--sigma", type=float, default=1500.0)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--layouts", default="grid,scattered")
    p.add_argument("--measures", default="2sfca,e2sfca")
    p.add_argument("--skip-access", action="store_true")
    p.add_argument(
        "--repeat", type=int, default=1, help="run each route this often and keep its fastest run"
    )
    p.add_argument(
        "--write-docs", action="store_true", help="put the table into docs/performance.md"
    )
    args = p.parse_args()
    minsheng = str(Path(sys.executable).with_name("minsheng"))
    header = (
        f"{args.side**2:,} demand points x {args.facilities:,} facilities, radius {args.radius:g} m, "
        f"sigma {args.sigma:g} m; whole processes, CSV in"
        + (
            f"; each route's fastest of {args.repeat} runs, the routes taking turns"
            if args.repeat > 1
            else ""
        )
    )
    print(header)
    load_before = load_line()
    print(f"before: {load_before}")
    rows = [
        "| layout | measure | minsheng → CSV | minsheng → Parquet | PySAL access route → CSV | ratio (CSV) "
        "| bare Arrow I/O | ceiling | max rel. diff |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        compile_bytecode()
        floor = start_up_floor(minsheng, folder, args.radius)
        print(f"start-up floor: {floor:.2f} s (the same command on 10 points, best of 3)")
        for layout in args.layouts.split(","):
            demand, supply = write_inputs(folder, layout, args)
            bare_cmd = [sys.executable, "-c", BARE_IO, str(demand), str(folder / "bare.csv")]
            bare_runs: list[tuple[float, float]] = []
            measured = []
            for measure in args.measures.split(","):
                extra = (
                    ["--decay", "gaussian", "--sigma", str(args.sigma)]
                    if measure == "e2sfca"
                    else []
                )
                cmds = {
                    ext: [minsheng, "access", measure, "-d", str(demand), "-s", str(supply),
                          "-r", str(args.radius), "--out", str(folder / f"m.{ext}"), *extra]
                    for ext in ("csv", "parquet")
                }  # fmt: skip
                if not args.skip_access:
                    cmds["access"] = [
                        sys.executable, "-c", ACCESS_ROUTE, str(demand), str(supply),
                        str(args.radius), measure, str(args.sigma), str(folder / "a.csv"),
                    ]  # fmt: skip
                cmds["bare"] = bare_cmd
                runs: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
                # round by round, every route once: a shared machine's slow minutes then
                # fall on all of them alike, not on whichever route ran through them
                for _ in range(max(1, args.repeat)):
                    for name, cmd in cmds.items():
                        runs[name].append(timed(cmd))
                bare_runs += runs.pop("bare")
                measured.append((measure, {k: min(v, key=lambda r: r[0]) for k, v in runs.items()}))
                scores = (
                    (read_scores(folder / "a.csv"), read_scores(folder / "m.csv"))
                    if not args.skip_access
                    else None
                )
                measured[-1] += (scores,)
            bare = min(bare_runs, key=lambda r: r[0])
            print(f"{layout}: bare Arrow I/O {bare[0]:.2f} s {bare[1]:.0f} MiB", flush=True)
            for measure, best, scores in measured:
                ours = {"csv": best["csv"], "parquet": best["parquet"]}
                line = (
                    f"{layout:9s} {measure:6s} minsheng csv {ours['csv'][0]:6.2f} s {ours['csv'][1]:6.0f} MiB"
                    f" | parquet {ours['parquet'][0]:6.2f} s {ours['parquet'][1]:6.0f} MiB"
                )
                ref_cell, ratio_cell, ceiling_cell, diff_cell = "not run", "", "", ""
                if scores is not None:
                    ref = best["access"]
                    a, m = scores
                    with np.errstate(divide="ignore", invalid="ignore"):
                        rel = np.where(a == m, 0.0, np.abs(m - a) / np.abs(a))
                    ratio = ref[0] / ours["csv"][0]
                    line += (
                        f" | access {ref[0]:6.2f} s {ref[1]:6.0f} MiB | {ratio:5.1f}x (csv)"
                        f" {ref[0] / ours['parquet'][0]:5.1f}x (parquet) | max rel diff {np.nanmax(rel):.1e}"
                    )
                    ref_cell = f"{ref[0]:.2f} s, {ref[1]:.0f} MiB"
                    ratio_cell = f"{ratio:.1f}×"
                    ceiling_cell = f"{ref[0] / bare[0]:.1f}×"
                    diff_cell = f"{np.nanmax(rel):.0e}"
                print(line, flush=True)
                rows.append(
                    f"| {layout} | {measure} | {ours['csv'][0]:.2f} s, {ours['csv'][1]:.0f} MiB | "
                    f"{ours['parquet'][0]:.2f} s, {ours['parquet'][1]:.0f} MiB | {ref_cell} | {ratio_cell} | "
                    f"{bare[0]:.2f} s | {ceiling_cell} | {diff_cell} |"
                )
    if args.write_docs:
        body = "\n".join(
            [
                f"`python benchmarks/bench_access_e2e.py {' '.join(sys.argv[1:])}` — {header}.",
                f"Measured {date.today():%Y-%m-%d} on {machine_line()}; the machine is shared: "
                f"{load_before} before, {load_line()} after. Start-up floor: the same command on "
                f"10 points takes {floor:.2f} s (Python, Typer, NumPy, Arrow), a floor no input "
                "size lowers. Bare Arrow I/O: a process that only imports Arrow and NumPy, reads the demand "
                "CSV and writes its ids with one full-precision float each, on every core, with "
                "Arrow's own reader and writer — the least a route reading and writing through "
                "Arrow alone can take on these files; the ceiling is the access route's time over "
                "it. minsheng reads through a memory map and formats its numbers in C++ "
                "(`ingest/spatial/_column_text.cpp`), so its time can fall below the bare route's and its "
                "ratio rise above the ceiling. minsheng's modules are compiled "
                "to bytecode before the first run, as a user's copy is after its own first run (the "
                "libraries on both routes were compiled when pip installed them).",
                "",
                *rows,
            ]
        )
        name = f"access-e2e-{args.side}-{args.facilities}-{args.layouts.replace(',', '-')}"
        write_section(name, body)
        write_section(name, body, README)


if __name__ == "__main__":
    main()
