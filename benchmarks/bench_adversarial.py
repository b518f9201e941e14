"""Does every reader stay linear on hostile inputs? Seconds per MB, adversarial vs ordinary.

Each reader is timed on adversarial shapes of about ``--mb`` megabytes and, in the
same run, on ordinary input of the same size (a real plan document from the shared
corpus tiled to the size; an ordinary observation table; an ordinary plan JSON).
It prints seconds per MB for both and their ratio; the goal is a ratio under 3 —
no input shape may cost much more per byte than ordinary text. Inputs a limit
refuses (nesting depth) are timed too: refusing must be cheap.

    python benchmarks/bench_adversarial.py
    python benchmarks/bench_adversarial.py --mb 1
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from minsheng.data.catalogue import load_catalogue
from minsheng.domain.errors import InvalidData
from minsheng.ingest.documents.document import read_plan
from minsheng.ingest.documents.plan_json import load_plan_json
from minsheng.ingest.observations.workbooks import read_observation_rows

SHARED = Path(
    os.environ.get("MINSHENG_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared"
)


def _ordinary_text(size: int) -> str:
    docs = sorted((SHARED / "corpus").glob("*.txt"))
    if not docs:
        raise SystemExit(f"no corpus at {SHARED}/corpus (set MINSHENG_SHARED_DIR)")
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in docs)
    return (text * (size // len(text.encode()) + 1))[: size // 3 * 2]


def _tile(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit.encode()))


def _cases(size: int) -> dict[str, list[tuple[str, str, bytes]]]:
    """reader → [(shape, file name, bytes)], the ordinary shape first."""
    ordinary = _ordinary_text(size)
    b64 = base64.b64encode(os.urandom(size * 3 // 4)).decode()
    rows = "".join(
        f"<tr><td>指标{i}</td><td>{i}.5</td><td>≥{i}</td></tr>" for i in range(size // 40)
    )
    html_ordinary = (
        "<html><body>"
        + "".join(f"<p>{line}</p>" for line in ordinary.split("\n"))
        + "</body></html>"
    )
    obs_row = "学前教育毛入园率,500118,2023,91.1\n"
    plan_row = {"name": "学前教育毛入园率", "unit": "%", "baseline_raw": "88", "target_raw": ">90"}
    plan_rows = [dict(plan_row, seq=i) for i in range(size // 90)]
    return {
        "document .txt": [
            ("ordinary plan text", "o.txt", ordinary.encode()),
            ("one line of 'a'", "a.txt", _tile("a", size).encode()),
            ("one line of digits", "d.txt", _tile("1234567890", size).encode()),
            ("one line of Chinese", "c.txt", _tile("公共服务规划建设", size).encode()),
            ("spam chain", "s.txt", _tile("各镇xpj888娱乐城_博彩_bet365_", size).encode()),
        ],
        "document .html": [
            ("ordinary page", "o.html", html_ordinary.encode()),
            ("huge table", "t.html", f"<html><body><table>{rows}</table></body></html>".encode()),
            ("base64 in <pre>", "b.html", f"<html><body><pre>{b64}</pre></body></html>".encode()),
            ("deep nesting (refused)", "n.html", ("<div>" * (size // 5)).encode()),
        ],
        "observations .csv": [
            ("ordinary table", "o.csv", ("指标,地区,年份,数值\n" + _tile(obs_row, size)).encode()),
            (
                "one long cell",
                "l.csv",
                ("指标,地区,年份,数值\n学前教育毛入园率,500118,2023," + _tile("9", size)).encode(),
            ),
            ("many columns", "w.csv", ("指标,地区,年份,数值," + _tile("x,", size) + "\n").encode()),
        ],
        "plan JSON": [
            (
                "ordinary plan",
                "o.json",
                json.dumps({"indicators": plan_rows}, ensure_ascii=False).encode(),
            ),
            ("deep nesting (refused)", "n.json", ("[" * (size // 2) + "]" * (size // 2)).encode()),
            (
                "one long name",
                "l.json",
                json.dumps(
                    {"indicators": [dict(plan_row, name=_tile("规", size))]}, ensure_ascii=False
                ).encode(),
            ),
        ],
    }


def _readers() -> dict[str, Callable[[Path], object]]:
    catalogue = load_catalogue()
    return {
        "document .txt": lambda p: read_plan(p, catalogue),
        "document .html": lambda p: read_plan(p, catalogue),
        "observations .csv": read_observation_rows,
        "plan JSON": load_plan_json,
    }


def _once(fn: Callable[[Path], object], path: Path) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        fn(path)
        outcome = "read"
    except InvalidData as exc:
        outcome = "refused: " + exc.message.split(": ", 1)[-1][:40]
    return time.perf_counter() - start, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=0.5, help="size of each input (default 0.5)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = int(args.mb * 1_000_000)
    readers = _readers()
    print(f"{'reader':<18} {'input':<24} {'MB':>5} {'s/MB':>8} {'ratio':>6}  outcome")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for reader, cases in _cases(size).items():
            paths = []
            for _, name, data in cases:
                paths.append(Path(tmp) / name)
                paths[-1].write_bytes(data)
            # Rounds interleave the shapes (ordinary, hostile, …, ordinary, hostile, …) and
            # each keeps its best time: on a shared machine, load that comes and goes then
            # falls on the baseline and the hostile shapes alike.
            best = [float("inf")] * len(cases)
            outcomes = [""] * len(cases)
            for _ in range(args.repeat):
                for k, path in enumerate(paths):
                    seconds, outcomes[k] = _once(readers[reader], path)
                    best[k] = min(best[k], seconds)
            base = best[0] / (len(cases[0][2]) / 1e6)
            for (shape, _, data), seconds, outcome in zip(cases, best, outcomes, strict=True):
                mb = len(data) / 1e6
                per_mb = seconds / mb
                ratio = per_mb / base
                worst = max(worst, ratio)
                print(f"{reader:<18} {shape:<24} {mb:5.2f} {per_mb:8.3f} {ratio:6.2f}  {outcome}")
    print(f"worst ratio {worst:.2f} (goal: under 3)")


if __name__ == "__main__":
    main()
