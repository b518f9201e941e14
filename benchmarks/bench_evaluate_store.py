"""How long does evaluating a whole country from the store take, against a bare Arrow scan?

Builds a store (SQLite, and PostgreSQL when ``MINSHENG_TEST_POSTGRES_URL`` is set)
with the region tree, one national plan of ``--indicators`` indicators (a mix of
target forms) and ``--years`` years of observations for every region of the
country, a tenth of them corrected once (two versions). Then, per engine:

* scan: the same observation rows read as Arrow with ADBC, no join, no logic
  (the anchor; on PostgreSQL ADBC reads by binary COPY);
* evaluate: ``evaluate_plan`` on the national plan — the plan from the store,
  every region's current values (the one reader, ``scan_table``: in bulk as
  Arrow over ADBC on PostgreSQL; on SQLite through the session's own connection,
  two numbers a row read in C on its own SQLite handle and unpacked by NumPy —
  SQLite's ADBC driver would link a second SQLite library into the process), every
  indicator × region judged, region names added;
* the same evaluation with the values read row by row (``bulk=False``, the path
  before issue 15): evaluate − bulk read + row read, each timed in this run;
* the ratio evaluate / scan (goal ≤ 3).

Each measure runs in a process of its own (warm: one call untimed, then ``--repeat``
timed), ``--rounds`` times in turn; the figures are the medians.

Run: ``.venv/bin/python benchmarks/bench_evaluate_store.py [--repeat 3] [--write-docs]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perf_docs import README, load_line, machine_line, write_section  # noqa: E402

from minsheng.data.divisions import load_divisions  # noqa: E402
from minsheng.domain.indicators import Nature, PlanIndicator, Polarity  # noqa: E402
from minsheng.domain.plans import Plan, PlanMetadata  # noqa: E402
from minsheng.domain.regions import Level  # noqa: E402
from minsheng.domain.targets import parse_target  # noqa: E402
from minsheng.services.evaluation import evaluate_plan  # noqa: E402
from minsheng.services.plans import load_plan_for_evaluation, save_extracted_plan  # noqa: E402
from minsheng.services.setup import init_database  # noqa: E402
from minsheng.store.database import Database  # noqa: E402
from minsheng.store.models import RegionRow  # noqa: E402
from minsheng.store.repositories import observations as observations_repo  # noqa: E402

#: target forms as plans write them: reach, at least, below, cumulative, about, keep
FORMS = ("{t}", "≥{t}", ">{t}", "<{t}", "≤{t}", "【{c}】", "{t}左右", "100", "0", "{t}*")


def national_plan(n: int, rng: np.random.Generator) -> Plan:
    indicators = []
    for i in range(n):
        base = float(np.round(rng.uniform(20, 80), 1))
        form = FORMS[i % len(FORMS)]
        lower = form.startswith(("<", "≤")) or form == "0"
        target = form.format(t=round(base - 5 if lower else base + 8, 1), c=round(base * 3))
        indicators.append(
            PlanIndicator(
                seq=i + 1,
                domain="二、学有所教",
                name=f"指标{i:02d}",
                unit="%",
                baseline_raw=str(base),
                target_raw=target,
                nature=Nature.BINDING if i % 3 == 0 else Nature.ANTICIPATORY,
                notes=None,
                baseline=parse_target(str(base)),
                target=parse_target(target),
                baseline_year=2020,
                target_year=2025,
                polarity=Polarity.LOWER if lower else Polarity.HIGHER,
            )
        )
    return Plan(
        metadata=PlanMetadata(
            title="全国基本公共服务规划（基准）", region_code="000000", level=Level.NATIONAL
        ),
        indicators=indicators,
        baseline_year=2020,
        target_year=2025,
        source_file="bench",
        checksum=f"bench-{n}",
    )


def fill(db: Database, n_indicators: int, years: int, seed: int) -> tuple[int, int]:
    """The store's national plan and its observations; returns (plan id, rows written)."""
    rng = np.random.default_rng(seed)
    stored = save_extracted_plan(db, national_plan(n_indicators, rng))
    with db.session() as session:
        region_ids = [rid for (rid,) in session.query(RegionRow.id).all()]
    pids = [int(i) for i in stored.indicator_ids]
    written = 0
    with db.session() as session:
        values = []
        for pid in pids:
            base = rng.uniform(20, 80, len(region_ids))
            pace = rng.normal(1.0, 0.6, len(region_ids))
            for year in range(2020, 2020 + years):
                v = base + pace * (year - 2020) * 1.5 + rng.normal(0, 0.5, len(region_ids))
                keep = rng.random(len(region_ids)) > 0.05
                for rid, value in zip(np.asarray(region_ids)[keep], v[keep], strict=True):
                    key = observations_repo.SeriesKey(pid, None, int(rid), year)
                    values.append(observations_repo.NewValue(key, float(round(value, 2))))
        observations_repo.append_versions(session, values, "bench", current={})
        written += len(values)
        again = [
            observations_repo.NewValue(v.key, v.value + 0.5)
            for v in values[:: max(1, len(values) // (len(values) // 10 or 1))]
        ]
        observations_repo.append_versions(session, again, "bench")
        written += len(again)
    return stored.id, written


def bare_scan(db: Database) -> Callable[[], Any]:
    """The anchor: every observation row of the store as Arrow, one ADBC query, no join."""
    from sqlalchemy.engine import make_url

    url = make_url(db.url)
    sql = (
        "SELECT plan_indicator_id, canonical_id, region_id, year, value, version, synthetic,"
        " status, bound FROM observations"
    )
    if db.is_sqlite:
        import adbc_driver_sqlite.dbapi as driver

        uri = str(url.database)
        options = {"adbc.sqlite.query.batch_rows": str(10**9)}
    else:
        import adbc_driver_postgresql.dbapi as driver  # type: ignore[no-redef]

        uri = url.set(drivername="postgresql").render_as_string(hide_password=False)
        options = {}
        if db.schema:  # the data set's own schema, as the store reads it
            sql = sql.replace(" FROM observations", f" FROM {db.schema}.observations")

    def scan() -> Any:
        with driver.connect(uri) as conn, conn.cursor() as cur:
            if options:
                cur.adbc_statement.set_options(**options)
            cur.execute(sql)
            return cur.fetch_arrow_table()

    return scan


#: What each worker process measures: the anchor, the evaluation, and the two reads.
MEASURES = ("scan", "evaluate", "bulk", "rows")


def measure(name: str, db: Database, plan_id: int, year: int, repeat: int) -> dict[str, Any]:
    """Seconds of ``repeat`` calls of one measure, after one call that is not timed."""
    fn: Callable[[], Any] = {
        "scan": bare_scan(db),
        "evaluate": lambda: evaluate_plan(db, plan_id, year)[1],
        "bulk": lambda: load_plan_for_evaluation(db, plan_id),
        "rows": lambda: load_plan_for_evaluation(db, plan_id, bulk=False),
    }[name]
    out = fn()  # warm: imports, caches and the database's pages, as a running service has them
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    size = out.num_rows if name == "scan" else out.height if name == "evaluate" else None
    return {"times": times, "size": size}


def in_worker(name: str, db: Database, plan_id: int, args: argparse.Namespace) -> dict[str, Any]:
    """:func:`measure` in a process of its own: no measure inherits another's heap.

    (In one process the order of the measures moved the ratio by a fifth: the row read's
    millions of Python objects, or the evaluation's frames, slowed whatever ran next.)
    """
    cmd = [sys.executable, __file__, "--worker", name, "--plan", str(plan_id),
           "--year", str(args.year), "--repeat", str(args.repeat)]  # fmt: skip
    if db.schema:
        cmd += ["--schema", db.schema]
    env = os.environ | {"MINSHENG_BENCH_URL": db.url}  # not in argv: it may hold a password
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if done.returncode:
        raise SystemExit(f"worker {name} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _shown_args() -> list[str]:
    """The command line as the docs show it: without ``--db``, a local file to reuse."""
    args, out = sys.argv[1:], []
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a == "--db":
            skip = True
        elif not a.startswith("--db="):
            out.append(a)
    return out


def run_engine(name: str, db: Database, args: argparse.Namespace) -> list[str]:
    from minsheng.services.plans import list_plans

    reuse = [p.id for p in list_plans(db)] if db.current_revision() else []
    if reuse:  # a kept SQLite file (--db) already holds the data set
        plan_id = reuse[0]
    else:
        init_database(db)
        t0 = time.perf_counter()
        plan_id, written = fill(db, args.indicators, args.years, args.seed)
        print(f"{name}: {written:,} observation rows written in {time.perf_counter() - t0:.1f} s")
    times: dict[str, list[float]] = {m: [] for m in MEASURES}
    sizes: dict[str, Any] = {}
    for _ in range(args.rounds):  # in turn, so a drifting machine shifts every measure alike
        for m in MEASURES:
            got = in_worker(m, db, plan_id, args)
            times[m] += got["times"]
            sizes[m] = got["size"]
    scan_s, eval_s, bulk_s, rows_s = (statistics.median(times[m]) for m in MEASURES)
    before_s = eval_s - bulk_s + rows_s  # the same evaluation, values read row by row
    print(
        f"{name}: scan {sizes['scan']:,} rows as Arrow {scan_s * 1000:7.1f} ms | "
        f"evaluate (the store's read) {eval_s * 1000:7.1f} ms = {eval_s / scan_s:4.2f}× scan | "
        f"with the row-by-row read {before_s * 1000:7.1f} ms = {before_s / scan_s:4.2f}× scan | "
        f"{sizes['evaluate']:,} verdicts"
    )
    return [
        f"| {name} | {sizes['scan']:,} | {sizes['evaluate']:,} | {scan_s * 1000:.0f} ms | "
        f"{eval_s * 1000:.0f} ms | **{eval_s / scan_s:.2f}×** | {before_s * 1000:.0f} ms ({before_s / scan_s:.1f}×) |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--year", type=int, default=2023, help="evaluation year (the mid-term)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--db", type=Path, help="keep the SQLite data set in this file (reused)")
    parser.add_argument("--rounds", type=int, default=2, help="worker processes per measure")
    parser.add_argument(
        "--write-docs", action="store_true", help="figures into docs/performance.md"
    )
    parser.add_argument("--worker", choices=MEASURES, help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    parser.add_argument("--plan", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        db = Database(os.environ["MINSHENG_BENCH_URL"], schema=args.schema)
        print(json.dumps(measure(args.worker, db, args.plan, args.year, args.repeat)))
        return
    regions = sum(1 for r in load_divisions() if r.level is not None)
    print(f"national plan, {args.indicators} indicators, {regions:,} regions, {args.years} years")
    rows = [
        "| engine | observation rows | verdicts | bare Arrow scan | evaluate from the store | ratio | row-by-row read (before) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{args.db or Path(tmp) / 'bench.db'}")
        rows += run_engine("SQLite", db, args)
        db.dispose()
    pg = os.environ.get("MINSHENG_TEST_POSTGRES_URL")
    if pg:
        schema = f"bench_{os.getpid()}"
        admin = Database(pg)
        with admin.engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        try:
            db = Database(pg, schema=schema)
            rows += run_engine("PostgreSQL", db, args)
            db.dispose()
        finally:
            with admin.engine.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            admin.dispose()
    else:
        print("PostgreSQL: not measured (set MINSHENG_TEST_POSTGRES_URL)")
        rows.append(
            "| PostgreSQL | not measured in this run (set `MINSHENG_TEST_POSTGRES_URL`) | | | | | |"
        )
    if args.write_docs:
        body = "\n".join(
            [
                f"`python benchmarks/bench_evaluate_store.py {' '.join(_shown_args())}` — a national plan "
                f"of {args.indicators} indicators judged for every region of the country from the store "
                "(`evaluate_plan`), against a bare scan of the same observation rows read as Arrow "
                "(ADBC) in the same run. Goal: ≤ 3×. The store reads PostgreSQL by ADBC's binary "
                "COPY; SQLite through the session's own connection: two numbers a row from a "
                "covering index, read by a small C reader on the connection's own SQLite handle "
                "and unpacked by NumPy (`store/repositories/observation_scan_sqlite.py`, "
                "`store/_sqlite_columns.c`), because the SQLite ADBC driver the anchor uses "
                "links a second SQLite library into the process, which breaks its file locks "
                "under concurrent writers. The anchor reads the same covering index. Each measure "
                "runs warm in a process of its own, the measures in turn "
                f"({args.rounds} rounds × {args.repeat} runs, medians): in one process the order "
                "of the measures moved the ratio by a fifth.",
                f"Measured {date.today():%Y-%m-%d} on {machine_line()}; the machine is shared: "
                f"{load_line()} at the end.",
                "",
                *rows,
            ]
        )
        write_section("evaluate-store", body)
        write_section("evaluate-store", body, README)


if __name__ == "__main__":
    main()
