"""The equalisation page's notes in the page's language (they were English on Chinese pages)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from minsheng.domain.observations import Observation, ObservationStatus
from minsheng.services.observations import add_observations
from minsheng.services.spread import NOTES_ZH, UNWEIGHTED
from minsheng.settings import Settings
from minsheng.web.app import create_app


def test_a_note_of_the_spread_is_shown_in_chinese(seeded_db, tmp_path: Path) -> None:  # noqa: ANN001
    # the test database holds no populations: the spread is unweighted, and says so;
    # published values, since the public page measures those alone
    values = [
        Observation("ED01", code, 2022, v, status=ObservationStatus.PUBLISHED)
        for code, v in (("510104", 90.0), ("510105", 80.0))
    ]
    under, level = "510100", "county"
    add_observations(seeded_db, "catalogue", values, user="test")
    settings = Settings(data_dir=tmp_path, database_url=seeded_db.url)
    with TestClient(create_app(settings)) as client:
        params = {"indicator": "ED01", "under": under, "year": 2022, "level": level}
        body = client.get("/api/equity", params=params).json()
        assert body["notes_zh"] == [NOTES_ZH.get(n, n) for n in body["notes"]]
        assert UNWEIGHTED in body["notes"], body["notes"]
        page = client.get("/equity", params={**params, "lang": "zh"}).text
        assert NOTES_ZH[UNWEIGHTED] in page and UNWEIGHTED not in page
        english = client.get("/equity", params={**params, "lang": "en"}).text
        assert UNWEIGHTED in english
