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


@pytest.fixture(scope="session")
def standards_case(demo_db, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001, ANN201
    """A copy of the demo database where 永川区's list states standards for five items, 重庆市
    (the level above) stores a list of its own, and 永川区's 2023 population is a recorded
    (not synthetic) figure: the data a comparison and a cost need. Returns (db, content)."""
    import shutil
    from dataclasses import replace

    from minsheng.domain.standards import StandardItem, StandardList
    from minsheng.services.regions import set_populations
    from minsheng.services.report_content import report_content
    from minsheng.services.standards import record_list, revise_list
    from minsheng.services.standards_report import report_list
    from minsheng.store.database import Database
    from minsheng.store.repositories.populations import Population

    path = tmp_path_factory.mktemp("standards") / "standards.db"
    shutil.copyfile(demo_db.url.removeprefix("sqlite:///"), path)
    db = Database(f"sqlite:///{path}")
    plan_id = _plan_of(db, "500118")
    local = report_list(db, plan_id, "500118")
    assert local is not None, "the demo stores 永川区's list with its plan"
    stated = {
        "特殊儿童群体基本生活保障": ("困境儿童", "每人每月1000元", "地方人民政府负责"),
        "学前教育幼儿资助": ("在园幼儿", "每生每年不低于1000元", "中央与地方按6:4分担"),
        "预防接种": ("适龄儿童", "接种率不低于90%", None),
        "健康教育与健康素养促进": (
            "城乡居民",
            "城乡居民每人每年不低于89元",
            "中央财政承担80%，地方承担20%",
        ),
        "生育保险": ("参保职工", "每人每月300元", "中央和地方共同承担"),
    }
    items = [
        replace(i, served=stated[i.item][0], standard=stated[i.item][1],
                spending_responsibility=stated[i.item][2]) if i.item in stated else i
        for i in local.list.items
    ]  # fmt: skip
    assert sum(i.item in stated for i in local.list.items) == len(stated)
    revise_list(db, local.id, items, reason="补充服务标准", author="tester")
    record_list(
        db,
        StandardList(
            name="重庆市基本公共服务实施标准",
            version="1",
            region_code="500000",
            author="tester",
            items=[
                StandardItem("幼有所育", "特殊儿童群体基本生活保障", standard="每人每月1200元"),
                StandardItem("学有所教", "学前教育幼儿资助", standard="每生每年不低于800元"),
                StandardItem("幼有所育", "预防接种", standard="接种率不低于90%"),
                StandardItem("幼有所育", "生育保险", standard="按规定享受"),
                StandardItem("幼有所育", "预防接种服务管理", standard="免费"),
                StandardItem("弱有所扶", "残疾人托养服务", standard="每人每年3000元"),
            ],
        ),
    )
    set_populations(db, [Population("500118", 2023, 1_150_000, "区统计局（测试）", False)])
    yield db, report_content(db, plan_id, 2023, "midterm")
    db.dispose()
