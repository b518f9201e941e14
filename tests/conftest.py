"""Shared fixtures: a fresh database per test, on SQLite and (when available) PostgreSQL.

``db`` is parametrised over both engines. The PostgreSQL case runs only when
``MINSHENG_TEST_POSTGRES_URL`` names a server (``./run test`` and CI start one);
each test then gets its own schema, dropped afterwards, so tests never see each
other's rows. ``seeded_db`` adds the reference data ``minsheng init`` loads.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from minsheng.domain.indicators import Nature, PlanIndicator, Polarity
from minsheng.domain.plans import KeyProject, OutlineNode, Plan, PlanMetadata, ServiceListEntry
from minsheng.domain.regions import Level
from minsheng.domain.targets import parse_target

# Property tests judge correctness, not speed: on a loaded 2-core CI machine a per-example
# deadline only makes them flaky (speed is the benchmarks' business).
# CI explores the same examples on every run (a red build names a change, not a dice roll);
# a developer's machine explores new ones each run, which is where new failures are found.
settings.register_profile(
    "minsheng", deadline=None, print_blob=True, derandomize=bool(os.environ.get("CI"))
)
settings.load_profile("minsheng")

POSTGRES_URL = os.environ.get("MINSHENG_TEST_POSTGRES_URL")

ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="MINSHENG_TEST_POSTGRES_URL is not set"),
        ],
    ),
]


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_db(engine_name: str, tmp_path: Path) -> Iterator:
    """A database with no tables at all (for migration tests)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from minsheng.store.database import Database

    if engine_name == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'minsheng.db'}")
        yield database
        database.dispose()
        return
    assert POSTGRES_URL
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # The schema travels in the URL (libpq ``options``), so a command that builds its own
    # Database from MINSHENG_DATABASE_URL = database.url sees the same tables.
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(url.render_as_string(hide_password=False))
    try:
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db(empty_db):  # noqa: ANN001, ANN201 - a Database
    """A fresh database, migrated to head, with no rows."""
    empty_db.upgrade()
    return empty_db


@pytest.fixture(scope="session")
def _seeded_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file initialised once per run; tests get a copy of it."""
    from minsheng.services.setup import init_database
    from minsheng.store.database import Database

    path = tmp_path_factory.mktemp("seed") / "template.db"
    database = Database(f"sqlite:///{path}")
    init_database(database)
    database.dispose()
    return path


@pytest.fixture
def seeded_db(engine_name: str, tmp_path: Path, request: pytest.FixtureRequest):  # noqa: ANN201
    """A fresh database with the region tree, the nine domains and the catalogue loaded."""
    from minsheng.services.setup import init_database
    from minsheng.store.database import Database

    if engine_name == "sqlite":
        path = tmp_path / "seeded.db"
        shutil.copyfile(request.getfixturevalue("_seeded_sqlite_template"), path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
        return
    database = request.getfixturevalue("empty_db")
    init_database(database)
    yield database


# --------------------------------------------------------------------------- sample plans
# Hand-made plans for storage tests: generic indicator names (facts), no document text.


def make_indicator(
    seq: int,
    name: str,
    unit: str | None,
    baseline: str | None,
    target: str | None,
    nature: Nature | None = Nature.ANTICIPATORY,
    domain: str = "二、学有所教",
    canonical_code: str | None = None,
) -> PlanIndicator:
    return PlanIndicator(
        seq=seq,
        domain=domain,
        name=name,
        unit=unit,
        baseline_raw=baseline,
        target_raw=target,
        nature=nature,
        notes=None,
        baseline=parse_target(baseline),
        target=parse_target(target),
        baseline_year=2020,
        target_year=2025,
        canonical_code=canonical_code,
        match_score=0.93 if canonical_code else None,
        polarity=Polarity.HIGHER,
    )


def sample_plan(region_code: str = "510000", title: str = "示例省“十四五”公共服务规划") -> Plan:
    return Plan(
        metadata=PlanMetadata(
            title=title,
            issuer="示例省人民政府",
            document_number="示府发〔2021〕1号",
            issue_date=date(2021, 9, 30),
            region_code=region_code,
            level=Level.PROVINCE,
            period_start=2021,
            period_end=2025,
        ),
        indicators=[
            make_indicator(1, "学前教育毛入园率", "%", "90", ">92", canonical_code="ED01"),
            make_indicator(
                2, "九年义务教育巩固率", "%", "95.2", "96", Nature.BINDING, canonical_code="ED02"
            ),
            make_indicator(
                3, "每千人口拥有3岁以下婴幼儿托位数", "个", "1.8", "4.5*", domain="一、幼有所育"
            ),
            make_indicator(4, "新增城镇就业人数", "万人", "—", "【320】", domain="三、劳有所得"),
        ],
        services=[
            ServiceListEntry(
                domain="一、幼有所育", items=["孕前优生健康检查", "基本避孕服务"], declared_count=2
            )
        ],
        projects=[
            KeyProject(
                name="托育服务设施建设",
                domain="幼有所育",
                box="专栏1",
                investment=1200.0,
                start_year=2021,
            )
        ],
        outline=[
            OutlineNode(
                1, "第一章 发展基础", 3, "chapter", [OutlineNode(2, "一、成就", 5, "section")]
            )
        ],
        baseline_year=2020,
        target_year=2025,
        source_file="plan.docx",
        checksum=hashlib.sha256(f"{region_code} {title}".encode()).hexdigest(),
        warnings=["one row could not be read"],
    )


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared material (MINSHENG_SHARED_DIR or ../shared); the test FAILS when it is missing."""
    from shared_material import require

    return require()


@pytest.fixture(scope="session")
def plan_factory():  # noqa: ANN201
    """``plan_factory(region_code=..., title=...)`` → a fresh sample Plan."""
    return sample_plan


@pytest.fixture(scope="session")
def indicator_factory():  # noqa: ANN201
    """``indicator_factory(seq, name, unit, baseline, target, …)`` → a PlanIndicator row."""
    return make_indicator


@pytest.fixture
def cli_env(seeded_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Point the CLI (which reads Settings.from_env) at the seeded test database."""
    monkeypatch.setenv("MINSHENG_DATABASE_URL", seeded_db.url)
    monkeypatch.setenv("MINSHENG_DATA_DIR", str(tmp_path / "data"))
    return seeded_db
