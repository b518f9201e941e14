"""How long does evaluating a whole country take, against a bare scan of its observations?

Generates a national data set: every county of the shipped division tree (padded
with synthetic county codes up to ``--counties``), every prefecture, province and
the nation, each with its own plan of ``--indicators`` indicators (a mix of all
measurable target forms) and ``--years`` years of observations (2020 onwards, a
few missing). The observations are written to a Parquet file.

Prints:
* scan: reading the observations from the Parquet file (the "bare scan"; the
  indicator and region keys are dictionary-encoded, as a store keeps integer keys);
* evaluate: reading them and judging every indicator × region of every plan;
* the ratio evaluate / scan (goal ≤ 2), and the kernel alone / scan;
* with ``--sqlite``, also a bare scan of the same rows from an SQLite table (the
  store's default engine, read with the standard library driver) and the ratio
  of evaluating from it.

Run: ``.venv/bin/python benchmarks/bench_evaluate.py [--counties 3200] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from minsheng.analytics.evaluation import evaluate
from minsheng.data.divisions import load_divisions
from minsheng.domain.regions import Level

KINDS = (
    ["reach"] * 18 + ["above"] * 4 + ["at_least"] * 3 + ["below"] * 2 + ["at_most"] * 2
    + ["about"] * 2 + ["cumulative"] * 3 + ["annual_average"] * 2 + ["full_coverage"] * 2
    + ["keep_zero"] * 1 + ["qualitative"] * 1
)  # fmt: skip


def region_codes(n_counties: int) -> list[str]:
    regions = load_divisions()
    counties = [r.code for r in regions if r.level is Level.COUNTY][:n_counties]
    prefectures = [r.code for r in regions if r.level is Level.PREFECTURE]
    i = 0
    taken = set(counties)
    while len(counties) < n_counties:  # pad with unused county codes under real prefectures
        code = f"{prefectures[i % len(prefectures)][:4]}{90 + i // len(prefectures):02d}"
        if code not in taken:
            counties.append(code)
            taken.add(code)
        i += 1
    others = [r.code for r in regions if r.level is not Level.COUNTY]
    return counties + others


def make_specs(regions: list[str], n_indicators: int, rng: np.random.Generator) -> pl.DataFrame:
    kinds = (KINDS * (n_indicators // len(KINDS) + 1))[:n_indicators]
    n_r = len(regions)
    ind = np.tile(np.arange(n_indicators), n_r)
    reg = np.repeat(np.array(regions), n_indicators)
    kind = np.array(kinds)[ind]
    lower = np.isin(kind, ["below", "at_most"]) | (ind % 7 == 3)
    base = rng.uniform(20, 80, ind.size)
    step = rng.uniform(2, 15, ind.size)
    target = np.where(lower, base - step, base + step)
    target = np.where(kind == "cumulative", rng.uniform(50, 200, ind.size), target)
    binding = ind % 3 == 0
    return pl.DataFrame(
        {
            "indicator": [f"indicator {i:02d}" for i in ind],
            "region": reg,
            "plan": reg,
            "nature": np.where(binding, "binding", "anticipatory"),
            "kind": kind,
            "baseline": base,
            "target": target,
            "y0": np.full(ind.size, 2020),
            "yT": np.full(ind.size, 2025),
            "polarity": np.where(lower, "lower", "higher"),
            "polarity_inferred": np.zeros(ind.size, dtype=bool),
        }
    )


def make_observations(specs: pl.DataFrame, years: int, rng: np.random.Generator) -> pl.DataFrame:
    n = specs.height
    yrs = np.arange(2020, 2020 + years)
    idx = np.repeat(np.arange(n), years)
    year = np.tile(yrs, n)
    base = specs["baseline"].to_numpy()[idx]
    target = specs["target"].to_numpy()[idx]
    kind = specs["kind"].to_numpy()[idx]
    pace = rng.normal(1.0, 0.6, n)[idx]  # some regions ahead, some behind, some going backwards
    share = (year - 2020) / 5
    value = base + pace * share * (target - base) + rng.normal(0, 0.5, idx.size)
    value = np.where(kind == "cumulative", target / 5 * pace + rng.normal(0, 1, idx.size), value)
    value = np.where(
        kind == "full_coverage", np.where(rng.random(idx.size) < 0.9, 100.0, 98.5), value
    )
    value = np.where(kind == "keep_zero", np.where(rng.random(idx.size) < 0.95, 0.0, 1.0), value)
    keep = rng.random(idx.size) > 0.05  # missing years
    return pl.DataFrame(
        {
            "indicator": specs["indicator"].to_numpy()[idx][keep],
            "region": specs["region"].to_numpy()[idx][keep],
            "year": year[keep],
            "value": value[keep],
        }
    )


def sqlite_scan(obs: pl.DataFrame, path: Path, repeat: int) -> float:
    """Median time to read every observation row from an SQLite table into a frame."""
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE observations (indicator TEXT, region TEXT, year INTEGER, value REAL)")
    con.executemany(
        "INSERT INTO observations VALUES (?, ?, ?, ?)",
        obs.cast({"indicator": pl.Utf8, "region": pl.Utf8}).iter_rows(),
    )
    con.commit()

    def scan() -> pl.DataFrame:
        rows = con.execute("SELECT indicator, region, year, value FROM observations").fetchall()
        return pl.DataFrame(rows, schema=["indicator", "region", "year", "value"], orient="row")

    seconds, _ = timed(scan, repeat)
    con.close()
    return seconds


def timed(fn, repeat: int) -> tuple[float, object]:  # noqa: ANN001
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=3200)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument(
        "--year", type=int, default=2023, help="evaluation year (2023: the mid-term)"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--sqlite", action="store_true", help="also scan the rows from an SQLite table"
    )
    args = parser.parse_args()

    rng = np.random.default_rng(20251)
    regions = region_codes(args.counties)
    specs = make_specs(regions, args.indicators, rng)
    obs = make_observations(specs, args.years, rng)
    obs = obs.with_columns(pl.col("indicator", "region").cast(pl.Categorical))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "observations.parquet"
        obs.write_parquet(path)
        scan_s, _ = timed(lambda: pl.read_parquet(path), args.repeat)
        loaded = pl.read_parquet(path)
        kernel_s, result = timed(lambda: evaluate(specs, loaded, args.year), args.repeat)
        full_s, _ = timed(lambda: evaluate(specs, pl.read_parquet(path), args.year), args.repeat)
        sqlite_s = (
            sqlite_scan(obs, Path(tmp) / "observations.db", args.repeat) if args.sqlite else None
        )
    assert isinstance(result, pl.DataFrame)
    print(
        f"plans: {len(regions)} regions ({args.counties} counties), {args.indicators} indicators each"
    )
    print(f"observations: {obs.height:,} rows; results: {result.height:,} indicator × region rows")
    print(f"scan (Parquet read):            {scan_s * 1000:8.1f} ms")
    print(
        f"evaluate (read + judge):        {full_s * 1000:8.1f} ms   ratio to scan {full_s / scan_s:5.2f}×"
    )
    print(
        f"kernel alone (judge in memory): {kernel_s * 1000:8.1f} ms   ratio to scan {kernel_s / scan_s:5.2f}×"
    )
    if sqlite_s is not None:
        from_store = sqlite_s + kernel_s
        print(f"scan (SQLite table):            {sqlite_s * 1000:8.1f} ms")
        print(
            f"evaluate from SQLite:           {from_store * 1000:8.1f} ms   ratio to its scan {from_store / sqlite_s:5.2f}×"
        )
    print(result.group_by("status").len().sort("len", descending=True))


if __name__ == "__main__":
    main()
