"""Under load: do concurrent imports and reads over loopback lose or duplicate writes, or stall?

Builds the demo database (SQLite file, in a temporary folder, from the shared corpus
and statistics), serves it with uvicorn in its own process on a free 127.0.0.1 port,
and runs the load of tests/web/load_driver.py: ``--readers`` clients read the national
plan's dashboard and the values API alone for ``--idle`` seconds (the idle baseline),
then again for ``--seconds`` while ``--posters`` clients POST values with bearer tokens
(the 重庆市 analyst; every third the 江津区 reporter) and ``--uploaders`` reporters of
永川区 upload the plan's template filled in through the entry page. Prints the writes
acknowledged and stored (they must match, each once), the refusals by status, the
threads that did not finish, and p50/p95 of the reads idle and under load.

    python benchmarks/bench_load.py [--seconds 30] [--idle 10] [--readers 4] [--posters 3]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "web"))
from load_driver import p95, run_load, stored_by_source  # noqa: E402

from minsheng.data.divisions import divisions_by_code  # noqa: E402

PASSWORD = "load bench password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _build(data_dir: Path) -> str:
    from minsheng.services.demo import build_demo, find_shared_dir
    from minsheng.services.demo_accounts import ensure_demo_accounts
    from minsheng.store.database import Database

    url = f"sqlite:///{data_dir / 'minsheng.db'}"
    db = Database(url)
    try:
        build_demo(db, find_shared_dir())
        ensure_demo_accounts(db, PASSWORD)
    finally:
        db.dispose()
    return url


def _ms(samples: list[float]) -> str:
    if not samples:
        return "—"
    return f"p50 {statistics.median(samples) * 1000:7.0f} ms   p95 {p95(samples) * 1000:7.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="time under load")
    parser.add_argument("--idle", type=float, default=10, help="time of reads alone")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--posters", type=int, default=3)
    parser.add_argument("--uploaders", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("building the demo database …", flush=True)
        url = _build(Path(tmp))
        port = _free_port()
        env = {**os.environ, "MINSHENG_DATA_DIR": tmp, "MINSHENG_DATABASE_URL": url}
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "minsheng.web.app:app_from_env", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    plans = httpx.get(f"{base}/api/plans", timeout=30).json()
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the app did not start") from None
                    time.sleep(0.2)
            national = next(p for p in plans if p["level"] == "national" and p["indicators"])
            county = next(p for p in plans if p["region_code"] == "500118" and p["indicators"])
            regions = sorted(
                c for c in divisions_by_code() if c.startswith("5001") and c != "500100"
            )
            result = run_load(
                base,
                PASSWORD,
                plan=county["id"],
                region="500118",
                read_paths=[
                    f"/api/plans/{national['id']}/dashboard?year=2023",
                    "/api/observations?region=500118&limit=200",
                ],
                analyst_regions=regions,
                years=list(range(2020, 2026)),
                seconds=args.seconds,
                idle_seconds=args.idle,
                readers=args.readers,
                posters=args.posters,
                uploaders=args.uploaders,
            )
            stored = stored_by_source(url, result.run)
        finally:
            server.terminate()
            server.wait(30)
    acknowledged = result.acknowledged
    lost = sum(max(0, n - stored.get(s, 0)) for s, n in acknowledged.items())
    extra = sum(max(0, n - acknowledged.get(s, 0)) for s, n in stored.items())
    uploads = {s: n for s, n in acknowledged.items() if "-upload" in s}
    print(
        f"{args.seconds:.0f} s under load: {args.posters} posting, {args.uploaders} uploading, "
        f"{args.readers} reading clients (uvicorn, one process, SQLite file)"
    )
    print(
        f"writes acknowledged: {result.writes} values "
        f"({result.writes - sum(uploads.values())} POSTs, {len(uploads)} template uploads "
        f"of {sum(uploads.values())} values); answered 'already there': {result.unchanged}"
    )
    print(f"refused: {result.refused or 'none'}; transport errors: {len(result.errors)}")
    print(f"stored: {sum(stored.values())} rows; lost {lost}, duplicated or unacknowledged {extra}")
    print(f"threads not finished (deadlock): {len(result.stuck)}")
    print(f"POSTs            ({len(result.post_times):5d}): {_ms(result.post_times)}")
    print(f"reads idle       ({len(result.idle_reads):5d}): {_ms(result.idle_reads)}")
    print(f"reads under load ({len(result.loaded_reads):5d}): {_ms(result.loaded_reads)}")
    if lost or extra or result.stuck:
        raise SystemExit("FAILED: the store does not hold exactly the acknowledged writes")


if __name__ == "__main__":
    main()
