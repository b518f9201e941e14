from pathlib import Path

import pytest

from minsheng.domain.errors import InvalidData
from minsheng.domain.indicators import Nature, PlanIndicator, Polarity
from minsheng.domain.targets import parse_target
from minsheng.services.demo_data import SYNTHETIC_SOURCE, read_statistics, synthetic_observations


def _indicator(
    name: str, unit: str | None, baseline: str, target: str, polarity=Polarity.HIGHER
) -> PlanIndicator:
    return PlanIndicator(
        seq=1,
        domain=None,
        name=name,
        unit=unit,
        baseline_raw=baseline,
        target_raw=target,
        nature=Nature.ANTICIPATORY,
        baseline=parse_target(baseline),
        target=parse_target(target),
        baseline_year=2020,
        target_year=2025,
        polarity=polarity,
    )


INDICATORS = [
    _indicator("rate", "%", "85.2%", ">90%"),
    _indicator("count", "万人", "【16.9】", "【12】"),
    _indicator("unemployment", "%", "<5.5", "<5.5", Polarity.LOWER),
    _indicator("coverage", "%", "——", "应保尽保"),
    _indicator("words", None, "——", "显著提升"),
]


def test_synthetic_values_are_labelled_plausible_and_reproducible() -> None:
    regions = [f"{i:02d}0000" for i in range(11, 40)]
    first = synthetic_observations(INDICATORS, regions, range(2021, 2026), seed=7)
    again = synthetic_observations(INDICATORS, regions, range(2021, 2026), seed=7)
    assert first == again
    assert first and all(o.synthetic and o.source == SYNTHETIC_SOURCE for o in first)
    assert {o.indicator for o in first} == {
        "rate",
        "count",
        "unemployment",
        "coverage",
    }  # words are not measurable
    rates = [o.value for o in first if o.unit == "%"]
    assert min(rates) >= 0 and max(rates) <= 100
    assert all(o.value >= 0 for o in first)


def test_synthetic_data_has_gaps_and_variety() -> None:
    regions = [f"{i:02d}0000" for i in range(11, 60)]
    obs = synthetic_observations(INDICATORS[:1], regions, range(2021, 2026), seed=3)
    assert len(obs) < len(regions) * 5  # some years are missing
    last = {o.region_code: o.value for o in obs if o.year == 2025}
    assert min(last.values()) < 85.2 < max(last.values())  # some regress, some advance


def test_national_statistics_are_read_and_bounds_kept_as_bounds(shared_dir: Path) -> None:
    rows, noticed = read_statistics(shared_dir / "data" / "national_observations.csv")
    assert len(rows) > 40
    assert all(2019 <= r.year <= 2025 and r.region == "100000" for r in rows)
    assert all(r.source and r.source.startswith("http") for r in rows)
    bounds = [r for r in rows if r.bound]
    assert bounds and all(r.bound in (">", ">=", "<", "<=") for r in bounds)
    assert len([n for n in noticed if "a bound" in n]) == len(bounds)


def test_a_statistics_cell_that_is_no_number_refuses_the_file(tmp_path) -> None:
    sheet = tmp_path / "stats.csv"
    sheet.write_text(
        "indicator,year,value,unit,note,source_url\n"
        "学前教育毛入园率,2021,88.1,%,,http://example.org/a\n"
        "学前教育毛入园率,2022,显著提高,%,,http://example.org/b\n"
        "基本医疗保险参保率,2022,>95,%,,http://example.org/c\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidData) as err:
        read_statistics(sheet)
    assert [p.row for p in err.value.problems] == [3]
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("显著提高", "—"), encoding="utf-8")
    rows, noticed = read_statistics(sheet)
    assert [(r.year, r.value, r.bound) for r in rows] == [(2021, 88.1, None), (2022, 95.0, ">")]
    assert "no value" in noticed[0]
