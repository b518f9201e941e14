"""Reading the no-database inputs: indicator names, region names, observation cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.services.evaluation_files import (
    IndicatorMatcher,
    read_observations_csv,
    resolve_region,
)

KEYS = ["每千人口拥有执业(助理)医师数", "养老服务床位总量", "基本医疗保险参保率", "人均预期寿命"]


@pytest.mark.parametrize(
    ("name", "key", "how"),
    [
        ("人均预期寿命", "人均预期寿命", "exact"),
        (
            "每千人口执业（助理）医师数",
            "每千人口拥有执业(助理)医师数",
            "normalised",
        ),  # 拥有 dropped, brackets
        ("养老服务床位总数", "养老服务床位总量", "catalogue"),  # an alias of the catalogue
        ("基本医疗保险参保人数", None, "unmatched"),  # a count is never a rate
    ],
)
def test_indicator_matching(name, key, how) -> None:
    assert IndicatorMatcher(KEYS).match(name) == (key, how)


def test_fuzzy_match_needs_a_close_unique_name() -> None:
    key, how = IndicatorMatcher(["城乡居民基本养老保险参保率"]).match("城乡居民养老保险参保率")
    assert key == "城乡居民基本养老保险参保率" and how.startswith("fuzzy")


@pytest.mark.parametrize(
    ("text", "code"),
    [("110101", "110101"), ("11", "110000"), ("北京市", "110000"), ("全国", "100000")],
)
def test_region_resolution(text, code) -> None:
    assert resolve_region(text) == code


@pytest.mark.parametrize("text", ["朝阳区", "没有这个地方"])
def test_region_resolution_refuses_ambiguous_or_unknown_names(text) -> None:
    with pytest.raises((InvalidData, NotFound)):
        resolve_region(text)


def test_reading_cells(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text(
        "indicator,region,year,value\n"
        "基本医疗保险参保率,100000,2022,>95\n"  # a bound: kept with its sign
        "人均预期寿命,100000,2021年,78.2\n"  # 2021年 is a year, as import reads it
        "人均预期寿命,100000,2022,\n"  # empty: a missing value
        "人均预期寿命,100000,2023,—\n"  # a placeholder: a missing value, with a warning
        "某统计指标,100000,2022,5\n",  # not in the plan: skipped with a warning
        encoding="gb18030",
    )
    frame, warnings = read_observations_csv(path, KEYS)
    assert frame.sort("indicator", "year").rows() == [
        ("人均预期寿命", "100000", 2021, 78.2, None),
        ("基本医疗保险参保率", "100000", 2022, 95.0, ">"),
    ]
    text = "\n".join(str(w) for w in warnings)
    assert "row 5" in text and "no value" in text
    assert "row 6" in text and "skipped" in text


def test_conflicting_values_refuse_the_file(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text(
        "indicator,region,year,value\n人均预期寿命,100000,2021,78.2\n人均预期寿命,北京市,2021,1\n"
        "人均预期寿命,100000,2021,78.3\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidData) as err:
        read_observations_csv(path, KEYS)
    assert [p.row for p in err.value.problems] == [4]


def test_an_unquoted_thousands_separator_is_refused_not_read_as_one(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text(
        "indicator,region,year,value\n养老服务床位总量,100000,2021,1,234\n", encoding="utf-8"
    )
    with pytest.raises(InvalidData, match="thousands") as err:
        read_observations_csv(path, KEYS)
    assert err.value.problems[0].row == 2


def test_an_exported_evaluation_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_text(
        "indicator,region,year,data_year,status,rho,expected,value\n"
        "人均预期寿命,100000,2025,2023,on_track,0.6,78.5,78.6\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidData, match="evaluation table"):
        read_observations_csv(path, KEYS)


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("indicator,year,value\nx,2021,1\n", encoding="utf-8")
    with pytest.raises(InvalidData, match="region"):
        read_observations_csv(path, KEYS)


def test_a_file_without_regions_is_read_as_the_plans_own_region(tmp_path) -> None:
    from minsheng.services.evaluation_files import evaluate_files

    plan = tmp_path / "plan.json"
    plan.write_text(
        '{"document": "x", "region": "全国", "level": "national", "baseline_year": 2020, "target_year": 2025,'
        ' "indicators": [{"seq": 1, "domain": "学有所教", "name": "学前教育毛入园率", "unit": null,'
        ' "baseline_raw": "85.2%", "target_raw": ">90%", "nature": "预期性", "notes": null}]}',
        encoding="utf-8",
    )
    series = tmp_path / "obs.csv"
    series.write_text("indicator,year,value\n学前教育毛入园率,2023,91.1\n", encoding="utf-8")
    outcome = evaluate_files(plan, series, 2023)
    row = outcome.results.row(0, named=True)
    assert (row["region"], row["value"], row["status"]) == ("100000", 91.1, "achieved")
    assert any("no region column" in str(w) for w in outcome.warnings)
