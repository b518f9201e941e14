"""Under load: concurrent imports and reads over loopback lose, duplicate and deadlock nothing.

The app is served by uvicorn on a free loopback port over a real SQLite file (the
session's demo database). Analysts and a reporter POST values with tokens while a
reporter uploads filled-in templates through the entry page and readers load the
dashboard and the values API. Afterwards the store must hold exactly the writes the
clients were told succeeded, each once. Times are the benchmark's business
(benchmarks/bench_load.py), never asserted here.
"""

from __future__ import annotations

import pytest
from load_driver import run_load, stored_by_source

from minsheng.data.divisions import divisions_by_code


@pytest.mark.slow
def test_concurrent_imports_and_reads_store_exactly_the_acknowledged_writes(
    live_server, demo_settings, accounts, national_plan, yongchuan_plan
) -> None:  # noqa: ANN001
    from conftest import DEMO_PASSWORD  # tests/web/conftest.py (the accounts' password)

    counties = sorted(
        code
        for code, d in divisions_by_code().items()
        if code.startswith("5001") and code != "500100"
    )[:12]
    result = run_load(
        live_server,
        DEMO_PASSWORD,
        plan=yongchuan_plan["id"],
        region="500118",
        read_paths=[
            f"/api/plans/{national_plan['id']}/dashboard?year=2023",
            "/api/observations?region=500118&limit=200",
        ],
        analyst_regions=counties,
        years=list(range(2020, 2026)),
        seconds=8,
        idle_seconds=1,
        readers=2,
        posters=3,
        uploaders=1,
    )
    assert not result.stuck, f"threads still running after the run: {result.stuck}"
    assert not result.errors, result.errors[:5]
    assert result.writes >= 10, (
        f"too few writes acknowledged to judge: {result.refused} {result.refusals}"
    )
    assert any("upload" in s for s in result.acknowledged), "no template upload went through"
    stored = stored_by_source(demo_settings.database_url, result.run)
    lost = {s: n for s, n in result.acknowledged.items() if stored.get(s, 0) < n}
    doubled = {s: n for s, n in stored.items() if n > result.acknowledged.get(s, 0)}
    assert not lost, f"acknowledged but not stored: {list(lost)[:5]}"
    assert not doubled, (
        f"stored more often than acknowledged (or refused yet stored): {list(doubled)[:5]}"
    )
    assert sum(stored.values()) == result.writes
    assert result.loaded_reads and all(t != float("inf") for t in result.loaded_reads)
