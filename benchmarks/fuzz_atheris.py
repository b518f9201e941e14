"""Coverage-guided fuzzing of the doors with atheris (libFuzzer for Python), on demand.

tests/test_fuzz.py draws inputs with hypothesis from strategies we wrote; atheris
instead mutates bytes towards new branches of the code, so it finds inputs no
strategy thought of. Each door takes the bytes as a user's file or text:

    documents     a plan document, .txt or .html (the first byte chooses), read_plan
    targets       a target cell of a plan (the bytes as UTF-8 text), parse_target
    observations  an observation table (.csv), read_observation_rows
    plan-json     a plan JSON file, load_plan_json

A door may read an input or refuse it with a MinshengError (one line for the user);
any other exception is a traceback, which atheris reports as a crash (with the
input saved as crash-*) and which fails the run. At the end the figures are printed:
inputs, tracebacks, rejections by kind, time.

    pip install -e '.[fuzz]'
    python benchmarks/fuzz_atheris.py --door documents --runs 25000
    python benchmarks/fuzz_atheris.py --door all --runs 25000   # each door in turn
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

PROGRESS = 2_000  # print the figures so far every this many inputs
DOORS = ("documents", "targets", "observations", "plan-json")
_DIGITS = re.compile(r"\d+")
_FILES = re.compile(r"(?:\S*/)?(?:doc\.html|doc\.txt|obs\.csv|plan\.json)")


def _kind(exc: Exception) -> str:
    """A refusal's kind: its class and its message without the file name and the numbers."""
    message = str(exc.args[0] if exc.args else "").split("\n", 1)[0]
    return f"{type(exc).__name__}: {_DIGITS.sub('#', _FILES.sub('FILE', message))[:70]}"


def _door(door: str, tmp: Path) -> Callable[[bytes], None]:
    from minsheng.domain.targets import parse_target
    from minsheng.ingest.documents.document import read_plan
    from minsheng.ingest.documents.plan_json import load_plan_json
    from minsheng.ingest.observations.workbooks import read_observation_rows

    def documents(data: bytes) -> None:
        suffix = ".html" if data[:1] and data[0] % 2 else ".txt"
        path = tmp / f"doc{suffix}"
        path.write_bytes(data[1:])
        read_plan(path)

    def targets(data: bytes) -> None:
        parse_target(data.decode("utf-8", errors="replace"))

    def observations(data: bytes) -> None:
        path = tmp / "obs.csv"
        path.write_bytes(data)
        read_observation_rows(path)

    def plan_json(data: bytes) -> None:
        path = tmp / "plan.json"
        path.write_bytes(data)
        load_plan_json(path)

    return {
        "documents": documents,
        "targets": targets,
        "observations": observations,
        "plan-json": plan_json,
    }[door]


FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "ingest"
SEEDS = {
    "targets": ["≥95", "【12】", "85.2%左右", "提高到90以上", "<5‰", "基本实现", "——", "1.2万人次"],
    "observations": [
        "指标,地区,年份,数值\n学前教育毛入园率,500118,2023,91.1\n",
        "indicator,region,year,value,unit\n每千人口拥有3岁以下婴幼儿托位数,500000,2022,3.5,个\n",
    ],
    "plan-json": [
        '{"indicators": [{"name": "学前教育毛入园率", "unit": "%", "baseline_raw": "88",'
        ' "target_raw": ">90", "seq": 1}], "metadata": {"region_code": "500118"}}',
    ],
}


def _seed_corpus(door: str) -> Path:
    """A folder of starting inputs (libFuzzer adds what it finds): real shapes, not blanks."""
    corpus = Path(tempfile.mkdtemp(prefix=f"minsheng-corpus-{door}-"))
    seeds = [s.encode() for s in SEEDS.get(door, [])]
    if door == "documents":  # the first byte picks the reader: odd .html, even .txt
        seeds = [
            (b"\x01" if p.suffix == ".html" else b"\x00") + p.read_bytes()[:4000]
            for p in sorted(FIXTURES.glob("*.*"))
            if p.suffix in (".html", ".txt")
        ]
    for k, seed in enumerate(seeds):
        (corpus / f"seed-{k}").write_bytes(seed)
    return corpus


def fuzz(door: str, runs: int, max_len: int) -> None:
    """Run one door under atheris for ``runs`` inputs, printing the figures at the end."""
    import atheris

    tmp = Path(tempfile.mkdtemp(prefix="minsheng-fuzz-"))
    with atheris.instrument_imports(include=["minsheng"]):  # coverage guides the mutations
        from minsheng.domain.errors import MinshengError

        call = _door(door, tmp)
    kinds: Counter[str] = Counter()
    seen = [0]
    start = time.perf_counter()

    def one_input(data: bytes) -> None:
        seen[0] += 1
        try:
            call(data)
        except MinshengError as exc:
            kinds[_kind(exc)] += 1
        # any other exception propagates: atheris prints its traceback and fails the run
        if seen[0] == runs or seen[0] % PROGRESS == 0:  # figures so far, then at the end
            _report(door, seen[0], kinds, time.perf_counter() - start)

    atheris.Setup(
        [sys.argv[0], f"-runs={runs}", f"-max_len={max_len}", str(_seed_corpus(door))],
        one_input,
    )
    atheris.Fuzz()


def _report(door: str, runs: int, kinds: Counter[str], seconds: float) -> None:
    refused = sum(kinds.values())
    print(f"\n{door}: {runs:,} inputs in {seconds:.0f} s, 0 tracebacks, {refused:,} refused")
    for kind, count in kinds.most_common(12):
        print(f"  {count:>7,}  {kind}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--door", choices=[*DOORS, "all"], default="all")
    parser.add_argument("--runs", type=int, default=25_000, help="inputs per door")
    parser.add_argument("--max-len", type=int, default=4096, help="longest input in bytes")
    args = parser.parse_args()
    if args.door != "all":
        fuzz(args.door, args.runs, args.max_len)
        return
    # libFuzzer runs one target per process: each door in its own, stopping at a traceback
    for door in DOORS:
        command = [sys.executable, __file__, "--door", door, "--runs", str(args.runs)]
        command += ["--max-len", str(args.max_len)]
        if subprocess.run(command, check=False).returncode != 0:
            raise SystemExit(f"{door}: a traceback (see above; the input is saved as crash-*)")


if __name__ == "__main__":
    main()
