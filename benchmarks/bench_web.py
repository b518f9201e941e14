"""How fast does the web app answer a plan dashboard, against a bare read of the same rows?

Builds a store (SQLite, in a temporary folder) holding the generated national data
set of ``bench_evaluate.py``: a national plan of ``--indicators`` indicators and
``--years`` years of observations for every real county, prefecture and province
of the division tree (the padded synthetic county codes are left out: the store
knows only real regions). The plan is judged once (the app keeps its results in
the store), then the app is served by uvicorn in its own process on 127.0.0.1 and
a bounded load generator (``--clients`` keep-alive connections for ``--seconds``
each) requests:

* the plan dashboard API (/api/plans/{id}/dashboard?year=Y), and
* the plan dashboard page (/plans/{id}?year=Y);

and, as the baseline, a bare read of the same evaluation record rows from the
store, in-process, for the same time. Prints p50/p95 latency and throughput of
each and the ratio of the dashboard's p50 to the bare read's.

Run: ``.venv/bin/python benchmarks/bench_web.py [--counties 3200] [--seconds 10] [--clients 4]``
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from bench_evaluate import make_observations, make_specs, region_codes  # noqa: E402

from minsheng.data.divisions import divisions_by_code  # noqa: E402
from minsheng.domain.indicators import Nature, PlanIndicator, Polarity  # noqa: E402
from minsheng.domain.observations import Observation, ObservationStatus  # noqa: E402
from minsheng.domain.plans import Plan, PlanMetadata  # noqa: E402
from minsheng.domain.regions import Level  # noqa: E402
from minsheng.domain.targets import parse_target  # noqa: E402
from minsheng.services.observations import add_observations  # noqa: E402
from minsheng.services.plans import save_extracted_plan  # noqa: E402
from minsheng.services.results import bare_rows, plan_results  # noqa: E402
from minsheng.services.setup import init_database  # noqa: E402
from minsheng.store.database import Database  # noqa: E402


def build_store(db: Database, counties: int, n_indicators: int, years: int) -> tuple[int, int]:
    """The national plan and its observations in the store; returns (plan id, observations)."""
    init_database(db)
    known = divisions_by_code()
    rng = np.random.default_rng(20251)
    regions = [c for c in region_codes(counties) if c in known]
    specs = make_specs(regions, n_indicators, rng)
    obs = make_observations(specs, years, rng)
    national = specs.filter(pl.col("region") == "100000").sort("indicator")
    indicators = [
        PlanIndicator(
            seq=i + 1,
            domain=None,
            name=row["indicator"],
            unit="%",
            baseline_raw=f"{row['baseline']:.1f}",
            target_raw=f"{row['target']:.1f}",
            nature=Nature(row["nature"]),
            baseline=parse_target(f"{row['baseline']:.1f}"),
            target=parse_target(f"{row['target']:.1f}"),
            baseline_year=2020,
            target_year=2025,
            polarity=Polarity(row["polarity"]),
        )
        for i, row in enumerate(national.iter_rows(named=True))
    ]
    plan = Plan(
        metadata=PlanMetadata(
            title="基准测试全国规划", region_code="100000", level=Level.NATIONAL,
            period_start=2021, period_end=2025,
        ),
        indicators=indicators,
        baseline_year=2020,
        target_year=2025,
        checksum="bench-web",
    )  # fmt: skip
    stored = save_extracted_plan(db, plan)
    rows = [
        Observation(ind, reg, int(year), float(value), status=ObservationStatus.PUBLISHED)
        for ind, reg, year, value in obs.iter_rows()
    ]
    add_observations(db, stored.id, rows, user="bench")
    return stored.id, len(rows)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load(port: int, path: str, seconds: float, clients: int) -> list[float]:
    """Latencies of GET ``path`` from ``clients`` keep-alive connections for ``seconds``."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.monotonic() < stop:
            start = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def bare(db: Database, plan_id: int, year: int, seconds: float) -> list[float]:
    latencies = []
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        start = time.perf_counter()
        bare_rows(db, plan_id, year, ["100000"])
        latencies.append(time.perf_counter() - start)
    return latencies


def summary(name: str, latencies: list[float], seconds: float) -> float:
    p50 = statistics.median(latencies)
    p95 = float(np.percentile(latencies, 95))
    print(
        f"{name:34s} p50 {p50 * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms   "
        f"{len(latencies) / seconds:8.1f} req/s   ({len(latencies)} requests)"
    )
    return p50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=3200)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each load run")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = Database(url)
        start = time.perf_counter()
        plan_id, n_obs = build_store(db, args.counties, args.indicators, args.years)
        built = time.perf_counter() - start
        start = time.perf_counter()
        judged = len(plan_results(db, plan_id, args.year))  # judged once, kept in the store
        first = time.perf_counter() - start
        own = bare_rows(db, plan_id, args.year, ["100000"])
        print(f"store: {n_obs:,} observations, built in {built:.1f} s")
        print(f"first read judges the plan for every region: {judged:,} results in {first:.1f} s")
        print(f"dashboard rows (the national region's results): {own}")

        port = free_port()
        env = {**os.environ, "MINSHENG_DATABASE_URL": url, "MINSHENG_DATA_DIR": tmp}
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "minsheng.web.app:app_from_env", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("uvicorn did not start") from None
                    time.sleep(0.1)
            api = f"/api/plans/{plan_id}/dashboard?year={args.year}"
            page = f"/plans/{plan_id}?year={args.year}"
            load(port, api, 1.0, 1)  # warm-up
            load(port, page, 1.0, 1)
            print(f"load: {args.clients} keep-alive clients × {args.seconds:g} s on 127.0.0.1")
            base = summary(
                "bare read of the rows (in-process)",
                bare(db, plan_id, args.year, args.seconds),
                args.seconds,
            )
            api_p50 = summary(
                "dashboard API", load(port, api, args.seconds, args.clients), args.seconds
            )
            page_p50 = summary(
                "dashboard page", load(port, page, args.seconds, args.clients), args.seconds
            )
            print(f"ratio p50 API / bare read:  {api_p50 / base:6.1f}×")
            print(f"ratio p50 page / bare read: {page_p50 / base:6.1f}×")
        finally:
            server.terminate()
            server.wait(10)
            db.dispose()


if __name__ == "__main__":
    main()
