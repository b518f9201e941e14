"""Accessibility figures flow into the store as observations and are judged like reported data."""

from pathlib import Path

import polars as pl
import pytest

from minsheng.domain.indicators import Nature, PlanIndicator, Polarity
from minsheng.domain.targets import parse_target
from minsheng.services.accessibility_observations import store_coverage
from minsheng.services.evaluation import evaluate_plan
from minsheng.services.plans import save_extracted_plan

INDICATOR = "居民步行15分钟可达养老服务设施的人口占比"


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def points(tmp_path: Path) -> tuple[Path, Path]:
    # county 510104: 3 cells of 100 residents, two near the facility; county 510105: all near
    demand = _write(
        tmp_path / "demand.csv",
        "id,x,y,population,region",
        [
            "a,0,0,100,510104",
            "b,300,0,100,510104",
            "c,5000,0,100,510104",
            "d,10000,0,50,510105",
            "e,10200,0,150,510105",
        ],
    )
    supply = _write(tmp_path / "supply.csv", "id,x,y,capacity", ["f1,100,0,10", "f2,10100,0,10"])
    return demand, supply


def test_coverage_shares_are_stored_and_evaluated(seeded_db, plan_factory, points) -> None:
    plan = plan_factory()
    plan.indicators.append(
        PlanIndicator(
            seq=5,
            domain="五、老有所养",
            name=INDICATOR,
            unit="%",
            baseline_raw="60",
            target_raw="≥90",
            nature=Nature.BINDING,
            baseline=parse_target("60"),
            target=parse_target("≥90"),
            baseline_year=2020,
            target_year=2025,
            polarity=Polarity.HIGHER,
        )
    )
    stored = save_extracted_plan(seeded_db, plan)
    demand, supply = points

    added, corrected, _ = store_coverage(
        seeded_db, demand, supply, 1000, INDICATOR, 2023, plan=stored.id
    )
    # two counties plus their prefecture, province and the nation
    assert (added, corrected) == (5, 0)

    _, results = evaluate_plan(seeded_db, stored.id, 2023)
    judged = results.filter(pl.col("indicator") == INDICATOR)
    by_region = {r["region"]: r for r in judged.iter_rows(named=True)}
    # 510104: 200 of 300 covered → 66.7 % (lagging: 60 → 90 needs 78 by 2023); 510105: 100 % → achieved
    assert by_region["510104"]["value"] == pytest.approx(200 / 3)
    assert by_region["510104"]["status"] == "lagging"
    assert by_region["510104"]["warning"] is True
    assert by_region["510105"]["value"] == pytest.approx(100.0)
    assert by_region["510105"]["status"] == "achieved"
    assert by_region["510000"]["value"] == pytest.approx(400 / 5)


def test_a_second_run_with_other_facilities_adds_versions(seeded_db, points, tmp_path) -> None:
    demand, supply = points
    store_coverage(seeded_db, demand, supply, 1000, "ED01", 2023)
    more = _write(
        tmp_path / "more.csv", "id,x,y,capacity", ["f1,100,0,10", "f2,10100,0,10", "f3,5000,0,5"]
    )
    added, corrected, unchanged = store_coverage(seeded_db, demand, more, 1000, "ED01", 2023)
    assert added == 0 and corrected >= 2  # 510104 and its ancestors changed; 510105 did not
    assert unchanged >= 1
