"""How long does one evaluation report take, per format, against evaluating the plan alone?

Builds the demo database (real plans and statistics from ``../shared``) in a
temporary folder, then for each demo plan with indicators writes its final
evaluation report in every format ``--repeat`` times and prints the median
seconds per report beside the baseline measured in the same run: the
evaluation of that plan (``evaluate_plan``), which every report starts from.

    python benchmarks/bench_reports.py
    python benchmarks/bench_reports.py --repeat 3 --formats docx pdf
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from minsheng.reports import FORMATS, render
from minsheng.reports.build import build_report
from minsheng.services.demo import build_demo, find_shared_dir
from minsheng.services.evaluation import evaluate_plan
from minsheng.services.report_content import report_content, reportable_plans
from minsheng.store.database import Database


def _median_seconds(fn, repeat: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", nargs="*", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--kind", default="final")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'demo.db'}")
        db.upgrade()
        build_demo(db, find_shared_dir())
        # warm up: imports (WeasyPrint, matplotlib, fonts) are paid once per process
        warm = build_report(report_content(db, reportable_plans(db)[0], None, args.kind))
        for fmt in args.formats:
            render(warm, fmt)
        print(f"{'plan':<40} {'format':<6} {'evaluate s':>10} {'report s':>9} {'ratio':>6}")
        for plan_id in reportable_plans(db):
            content = report_content(db, plan_id, None, args.kind)
            base = _median_seconds(lambda: evaluate_plan(db, plan_id, content.year), args.repeat)  # noqa: B023
            for fmt in args.formats:
                seconds = _median_seconds(
                    lambda: render(build_report(report_content(db, plan_id, None, args.kind)), fmt),  # noqa: B023
                    args.repeat,
                )
                print(
                    f"{content.title[:38]:<40} {fmt:<6} {base:>10.3f} {seconds:>9.2f} {seconds / base:>6.0f}×"
                )
        db.dispose()


if __name__ == "__main__":
    main()
