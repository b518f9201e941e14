from pathlib import Path

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


def test_national_statistics_are_read_and_bounds_read_at_the_bound(shared_dir: Path) -> None:
    rows, noticed = read_statistics(shared_dir / "data" / "national_observations.csv")
    assert len(rows) > 40
    assert all(2019 <= r.year <= 2025 for r in rows)
    assert all(r.source and r.source.startswith("http") for r in rows)
    bounds = [r for r in rows if r.note and "read at the bound" in r.note]
    assert bounds and len(noticed) == len(bounds)
    assert all("is a bound" in n for n in noticed)


def test_a_statistics_cell_that_is_no_number_is_passed_over(tmp_path) -> None:
    sheet = tmp_path / "stats.csv"
    sheet.write_text(
        "indicator,year,value,unit,note,source_url\n"
        "学前教育毛入园率,2021,88.1,%,,http://example.org/a\n"
        "学前教育毛入园率,2022,显著提高,%,,http://example.org/b\n"
        "基本医疗保险参保率,2022,>95,%,,http://example.org/c\n",
        encoding="utf-8",
    )
    rows, noticed = read_statistics(sheet)
    assert [(r.year, r.value) for r in rows] == [(2021, 88.1), (2022, 95.0)]
    assert "passed over" in noticed[0] and "line 3" in noticed[0]
    assert "is a bound" in noticed[1]
