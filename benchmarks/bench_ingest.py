"""How long does reading a plan document take, per document, against just reading its bytes?

Ingests every document of the shared corpus (``../shared/corpus``, or the paths
given) ``--repeat`` times and prints, per document, the median wall time of the
whole pipeline (``read_plan``: read, clean, metadata, tables, outline, service
lists, projects, catalogue matching) and of the baseline measured in the same
run: decoding the file into lines (``read_document``). The goal is well under a
second per document.

    python benchmarks/bench_ingest.py
    python benchmarks/bench_ingest.py --repeat 20 some/plan.docx other/plan.html
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from minsheng.data.catalogue import load_catalogue
from minsheng.ingest.documents.document import read_plan
from minsheng.ingest.documents.readers import read_document

CORPUS = (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus").resolve()


def _median_seconds(fn, repeat: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files", nargs="*", type=Path, help="documents (default: the shared corpus)"
    )
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    files = args.files or sorted(p for p in CORPUS.iterdir() if p.is_file())
    catalogue = load_catalogue()
    start = time.perf_counter()
    read_plan(files[0], catalogue)  # warm caches (division index, catalogue) once, reported apart
    warm = time.perf_counter() - start

    print(f"first call (loads the division index): {warm * 1000:.0f} ms")
    print(f"{'document':40} {'KiB':>6} {'rows':>5} {'read ms':>8} {'ingest ms':>10} {'ratio':>6}")
    total = 0.0
    for path in files:
        baseline = _median_seconds(lambda p=path: read_document(p), args.repeat)
        full = _median_seconds(lambda p=path: read_plan(p, catalogue), args.repeat)
        rows = len(read_plan(path, catalogue).plan.indicators)
        total += full
        print(
            f"{path.name[:40]:40} {path.stat().st_size / 1024:6.0f} {rows:5d} {baseline * 1000:8.2f} "
            f"{full * 1000:10.2f} {full / baseline:6.1f}"
        )
    print(f"mean per document: {total / len(files) * 1000:.1f} ms (goal: well under 1000 ms)")


if __name__ == "__main__":
    main()
