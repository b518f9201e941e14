"""Accessibility figures flow into the store as observations and are judged like reported data."""

from pathlib import Path

import polars as pl
import pytest

from minsheng.domain.errors import Conflict
from minsheng.domain.indicators import Nature, PlanIndicator, Polarity
from minsheng.domain.targets import parse_target
from minsheng.services.accessibility_observations import store_coverage
from minsheng.services.evaluation import evaluate_plan
from minsheng.services.observations import history
from minsheng.services.plans import save_extracted_plan

INDICATOR = "居民步行15分钟可达养老服务设施的人口占比"
NEW = "15分钟养老服务圈覆盖率"


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

    done = store_coverage(
        seeded_db, demand, supply, 1000, INDICATOR, 2023, plan=stored.id, user="wang"
    )
    # two counties plus their prefecture, province and the nation
    assert (done.added, done.corrected, done.created) == (5, 0, False)
    [version] = history(seeded_db, INDICATOR, "510104", 2023, plan=stored.id)
    assert version.entered_by == "wang" and version.source == "minsheng access coverage"
    assert version.note is not None and "r=1000" in version.note and "demand.csv" in version.note

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
    first = store_coverage(seeded_db, demand, supply, 1000, NEW, 2023, new=True)
    assert first.created and first.indicator.startswith("DM")
    more = _write(
        tmp_path / "more.csv", "id,x,y,capacity", ["f1,100,0,10", "f2,10100,0,10", "f3,5000,0,5"]
    )
    again = store_coverage(seeded_db, demand, more, 1000, NEW, 2023, new=True)
    assert again.indicator == first.indicator and not again.created
    assert again.added == 0 and again.corrected >= 2  # 510104 and its ancestors changed
    assert again.unchanged >= 1  # 510105 did not
    assert len(history(seeded_db, first.indicator, "510104", 2023)) == 2


def test_a_share_is_not_stored_over_reported_statistics(seeded_db, points) -> None:
    demand, supply = points
    with pytest.raises(Conflict, match="reported statistics"):
        store_coverage(seeded_db, demand, supply, 1000, "ED01", 2023)
    with pytest.raises(Conflict, match="reported statistics"):
        store_coverage(seeded_db, demand, supply, 1000, "学前教育毛入园率", 2023, new=True)
    assert history(seeded_db, "ED01", "510104", 2023) == []


def test_a_stored_run_is_what_the_accessibility_page_reads_back(seeded_db, points) -> None:
    """Runs are stored with the source "minsheng access coverage" and the page's reader asked
    for exactly "minsheng access": /access stayed empty after every run."""
    from minsheng.services.access_results import access_values

    demand, supply = points
    done = store_coverage(seeded_db, demand, supply, 1000, NEW, 2023, new=True)
    values = {v.region: v for v in access_values(seeded_db, indicator=done.indicator)}
    assert values["510104"].value == pytest.approx(200 / 3) and values["510104"].year == 2023
    assert values["510105"].value == pytest.approx(100.0)
    assert set(values) == {"510104", "510105", "510100", "510000", "100000"}
    # the latest run's value, not the first
    more = _write(
        points[0].parent / "more.csv",
        "id,x,y,capacity",
        ["f1,100,0,10", "f2,10100,0,10", "f3,5000,0,5"],
    )
    store_coverage(seeded_db, demand, more, 1000, NEW, 2023, new=True)
    again = {v.region: v for v in access_values(seeded_db, indicator=done.indicator)}
    assert again["510104"].value == pytest.approx(100.0)


def test_a_withdrawn_run_value_is_read_back_by_no_view(seeded_db, points) -> None:
    """A withdrawal keeps the run's source, so the reader of runs must know it is no value."""
    from minsheng.services.access_results import access_values
    from minsheng.services.observations import change_status
    from minsheng.services.withdrawals import withdraw_observation

    demand, supply = points
    done = store_coverage(seeded_db, demand, supply, 1000, NEW, 2023, new=True)
    for status in ("approved", "published"):
        change_status(seeded_db, done.indicator, "510104", 2023, status, None)
    public = {v.region for v in access_values(seeded_db, published_only=True)}
    assert "510104" in public
    for code in ("510104", "510105"):
        withdraw_observation(seeded_db, done.indicator, code, 2023, None, reason="wrong grid")
    assert {"510104", "510105"}.isdisjoint(v.region for v in access_values(seeded_db))
    assert "510104" not in {v.region for v in access_values(seeded_db, published_only=True)}
