"""Concurrent writers and readers against a served app, and an exact count of what was stored.

Shared by tests/web/test_under_load.py (which checks the counts, never the times) and
benchmarks/bench_load.py (which prints the times too). Writers are real clients over
loopback HTTP: analysts and reporters POST /api/observations with bearer tokens, and a
reporter signs in to the entry page and uploads the plan's own template (downloaded,
filled in with openpyxl). Every write carries a source tag unique to it, so after the
run the store can be asked, write by write, whether it holds exactly the writes its
clients were told succeeded: none lost, none twice, none that was refused.
"""

from __future__ import annotations

import io
import re
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

INDICATOR = "学前教育毛入园率"  # a catalogue name, a percentage
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class LoadResult:
    acknowledged: dict[str, int] = field(default_factory=dict)  # source tag → values stored
    refused: dict[str, int] = field(default_factory=dict)  # HTTP status → writes refused
    errors: list[str] = field(default_factory=list)  # transport errors, unexpected answers
    refusals: list[str] = field(default_factory=list)  # the first few refusals' answers
    idle_reads: list[float] = field(default_factory=list)  # seconds, before the writers
    loaded_reads: list[float] = field(default_factory=list)  # seconds, while they wrote
    post_times: list[float] = field(default_factory=list)  # seconds per POST of one value
    stuck: list[str] = field(default_factory=list)  # threads that did not finish in time
    seconds: float = 0.0
    run: str = ""  # the run's part of every source tag
    unchanged: int = 0  # writes answered with the value already stored (no new version)

    @property
    def writes(self) -> int:
        return sum(self.acknowledged.values())


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else float("nan")


def _token(client: httpx.Client, username: str, password: str) -> str:
    response = client.post("/api/auth/token", data={"username": username, "password": password})
    response.raise_for_status()
    return str(response.json()["access_token"])


def _post_values(
    base: str, token: str, tag: str, regions: list[str], years: list[int], result: LoadResult,
    lock: threading.Lock, stop: threading.Event,
) -> None:  # fmt: skip
    """POST one value after another (a new source tag each) until told to stop."""
    headers = {"Authorization": f"Bearer {token}"}
    n = 0
    with httpx.Client(base_url=base, timeout=120) as client:
        while not stop.is_set():
            source = f"{tag}-{n}"
            body = {
                "indicator": INDICATOR,
                "region": regions[n % len(regions)],
                "year": years[(n // len(regions)) % len(years)],
                "value": 85 + (n % 1000) / 100,
                "unit": "%",
                "source": source,
            }
            n += 1
            start = time.perf_counter()
            try:
                response = client.post("/api/observations", json=body, headers=headers)
            except httpx.HTTPError as exc:
                with lock:
                    result.errors.append(f"{source}: {exc!r}")
                continue
            with lock:
                result.post_times.append(time.perf_counter() - start)
                if response.status_code == 201 and response.json()["source"] == source:
                    result.acknowledged[source] = 1
                elif response.status_code == 201:  # the same value was there: nothing to add
                    result.unchanged += 1
                else:
                    key = str(response.status_code)
                    result.refused[key] = result.refused.get(key, 0) + 1
                    if len(result.refusals) < 5:
                        result.refusals.append(f"{key} {response.text[:300]}")


def _upload_templates(
    base: str, username: str, password: str, plan: int, region: str, tag: str,
    result: LoadResult, lock: threading.Lock, stop: threading.Event,
) -> None:  # fmt: skip
    """Sign in to the pages, fetch the plan's template, upload it filled in, again and again."""
    from openpyxl import load_workbook

    with httpx.Client(base_url=base, timeout=120) as client:
        page = client.get("/login")
        client.post(
            "/login",
            data={"username": username, "password": password, "next": "/",
                  "csrf_token": CSRF.search(page.text).group(1)},  # type: ignore[union-attr]
        )  # fmt: skip
        template = client.get("/entry/template", params={"plan": plan, "region": region})
        template.raise_for_status()
        years = [s for s in load_workbook(io.BytesIO(template.content)).sheetnames if s.isdigit()]
        n = 0
        while not stop.is_set():
            year = years[n % len(years)]
            book = load_workbook(io.BytesIO(template.content))
            sheet = book[year]
            header = [c.value for c in sheet[1]]
            units = [c.value for c in sheet[2]]
            source = f"{tag}-{n}"
            columns = [i for i, u in enumerate(units) if u == "%" and i >= 2][:3]
            row = next(r for r in sheet.iter_rows(min_row=3) if str(r[0].value) == region)
            for k, col in enumerate(columns):
                row[col].value = 80 + k + (n % 1000) / 100
            row[header.index("来源 / source")].value = source
            out = io.BytesIO()
            book.save(out)
            form = client.get("/entry", params={"plan": plan, "region": region, "year": year})
            token = CSRF.search(form.text)
            name = f"{source}.xlsx"
            n += 1
            try:
                response = client.post(
                    "/entry/upload",
                    data={"plan": plan, "region": region, "year": year,
                          "csrf_token": token.group(1) if token else ""},
                    files={"file": (name, out.getvalue())},
                )  # fmt: skip
            except httpx.HTTPError as exc:
                with lock:
                    result.errors.append(f"{source}: {exc!r}")
                continue
            stored = re.search(re.escape(name) + r": (\d+)", response.text)
            with lock:
                if response.status_code == 200 and stored:
                    result.acknowledged[source] = int(stored.group(1))
                else:
                    key = f"upload {response.status_code}"
                    result.refused[key] = result.refused.get(key, 0) + 1
                    if len(result.refusals) < 5:
                        found = re.search(r'role="alert"[^>]*>(.{0,300})', response.text, re.S)
                        result.refusals.append(f"{key} {found.group(1) if found else ''}")


def _read(base: str, paths: list[str], samples: list[float], lock: threading.Lock,
          stop: threading.Event) -> None:  # fmt: skip
    n = 0
    with httpx.Client(base_url=base, timeout=120) as client:
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            start = time.perf_counter()
            response = client.get(path)
            took = time.perf_counter() - start
            with lock:
                samples.append(took if response.status_code == 200 else float("inf"))


def run_load(
    base: str,
    password: str,
    *,
    plan: int,
    region: str,
    read_paths: list[str],
    analyst_regions: list[str],
    years: list[int],
    seconds: float,
    idle_seconds: float,
    readers: int = 4,
    posters: int = 3,
    uploaders: int = 1,
) -> LoadResult:
    """Reads alone for ``idle_seconds``, then reads beside writers for ``seconds``."""
    result = LoadResult(run=uuid.uuid4().hex[:8])
    run = result.run
    lock = threading.Lock()

    def threads(targets: list[Callable[[], None]]) -> list[threading.Thread]:
        started = [threading.Thread(target=t, daemon=True) for t in targets]
        for t in started:
            t.start()
        return started

    def finish(started: list[threading.Thread], stop: threading.Event, label: str) -> None:
        stop.set()
        for t in started:
            t.join(timeout=300)
            if t.is_alive():
                result.stuck.append(f"{label} {t.name}")

    idle_stop = threading.Event()
    idle = threads([lambda: _read(base, read_paths, result.idle_reads, lock, idle_stop)] * readers)
    time.sleep(idle_seconds)
    finish(idle, idle_stop, "idle reader")

    with httpx.Client(base_url=base, timeout=120) as client:
        analyst = _token(client, "analyst-500000", password)
        reporter = _token(client, "reporter-500116", password)
    stop = threading.Event()
    work: list[Callable[[], None]] = []
    analysts = [k for k in range(posters) if k % 3 != 2]  # every third poster: a reporter
    for k in range(posters):
        # each poster its own regions, so no two clients write the same value at once
        token, regions = (
            (reporter, ["500116"])
            if k not in analysts
            else (analyst, analyst_regions[analysts.index(k) :: len(analysts)])
        )
        tag = f"load-{run}-api{k}"
        work.append(
            lambda token=token, regions=regions, tag=tag: _post_values(
                base, token, tag, regions, years, result, lock, stop
            )
        )
    for k in range(uploaders):
        tag = f"load-{run}-upload{k}"
        work.append(
            lambda tag=tag: _upload_templates(
                base, "reporter-500118", password, plan, region, tag, result, lock, stop
            )
        )
    work += [lambda: _read(base, read_paths, result.loaded_reads, lock, stop)] * readers
    start = time.perf_counter()
    started = threads(work)
    time.sleep(seconds)
    finish(started, stop, "client")
    result.seconds = time.perf_counter() - start
    return result


def stored_by_source(database_url: str, run: str) -> dict[str, int]:
    """Rows of the store per source tag of one run (every version of every value)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT source, count(*) FROM observations WHERE source LIKE :tag "
                    "GROUP BY source"
                ),
                {"tag": f"load-{run}-%"},
            )
            return {str(source): int(count) for source, count in rows}
    finally:
        engine.dispose()
