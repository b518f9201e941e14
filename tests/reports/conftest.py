"""The demo database, built once per test session from the real plans and statistics in ../shared,
and the two reports the issue names: the national plan's final evaluation (2025) and
永川区's mid-term evaluation (2023)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - a Database
    from minsheng.services.demo import build_demo
    from minsheng.store.database import Database

    assert (SHARED / "corpus").is_dir(), f"the shared material is missing: {SHARED}"
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}")
    db.upgrade()
    build_demo(db, SHARED)
    yield db
    db.dispose()


def _plan_of(db, region_code: str) -> int:  # noqa: ANN001
    from minsheng.services.plans import list_plans

    found = [s.id for s in list_plans(db) if s.region_code == region_code and s.indicators]
    assert found, f"the demo has no plan with indicators for {region_code}"
    return found[0]


CASES = {
    "national_final": ("100000", 2025, "final"),
    "yongchuan_midterm": ("500118", 2023, "midterm"),
}


@pytest.fixture(scope="session")
def contents(demo_db):  # noqa: ANN001, ANN201
    from minsheng.services.report_content import report_content

    return {
        name: report_content(demo_db, _plan_of(demo_db, code), year, kind)
        for name, (code, year, kind) in CASES.items()
    }


@pytest.fixture(scope="session")
def reports(contents):  # noqa: ANN001, ANN201
    from minsheng.reports.build import build_report

    return {name: build_report(content) for name, content in contents.items()}


@pytest.fixture(scope="session")
def rendered(reports, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001, ANN201
    """Every format of both reports, written once: {(case, format): path}."""
    from minsheng.reports import FORMATS, write

    folder = tmp_path_factory.mktemp("reports")
    return {
        (name, fmt): write(report, fmt, folder / f"{name}.{fmt}")
        for name, report in reports.items()
        for fmt in FORMATS
    }
