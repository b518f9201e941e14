"""The accessibility page on a stored coverage run: found at all (the reader asked for another
source than the runs store), the indicator by name, its unit and year."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from minsheng.services.accessibility_observations import store_coverage
from minsheng.services.observations import change_status
from minsheng.settings import Settings
from minsheng.web.app import create_app

NAME = "15分钟托育服务圈覆盖率"


@pytest.fixture
def stored_run(seeded_db, tmp_path: Path):  # noqa: ANN001, ANN201
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "id,x,y,population,region\na,0,0,100,510104\nb,300,0,100,510104\nc,5000,0,100,510104\n",
        encoding="utf-8",
    )
    supply = tmp_path / "supply.csv"
    supply.write_text("id,x,y,capacity\nf1,100,0,10\n", encoding="utf-8")
    done = store_coverage(seeded_db, demand, supply, 1000, NAME, 2024, new=True)
    settings = Settings(data_dir=tmp_path, database_url=seeded_db.url)
    with TestClient(create_app(settings)) as client:
        # a run is stored as submitted: the public sees it once it is published
        assert client.get("/api/access", params={"under": "510000"}).json()["items"] == []
        change_status(seeded_db, done.indicator, "510104", 2024, "published", None)
        yield client, done


def test_a_stored_run_shows_by_name_with_its_unit_and_year(stored_run) -> None:  # noqa: ANN001
    client, done = stored_run
    body = client.get("/api/access", params={"under": "510000"}).json()
    assert body["indicator"] == done.indicator and body["year"] == 2024
    assert body["indicators"][0]["name"] == NAME
    values = {i["code"]: i["value"] for i in body["items"]}
    assert values["510104"] == pytest.approx(200 / 3)
    page = client.get("/access", params={"under": "510000", "lang": "zh"}).text
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert NAME in h1 and "2024" in h1 and done.indicator not in h1, h1
    assert f">{NAME}</option>" in page
    assert "覆盖率（%）" in page


def test_the_boundary_credit_is_in_the_page_s_language(stored_run) -> None:  # noqa: ANN001
    client, _ = stored_run
    en = client.get("/access", params={"under": "510000", "lang": "en"}).text
    source = re.search(r'<figcaption class="source">(.*?)</figcaption>', en, re.S).group(1)
    assert "地图边界文件" not in source and "map boundaries" in source, source
    zh = client.get("/access", params={"under": "510000", "lang": "zh"}).text
    assert "地图边界文件" in zh
