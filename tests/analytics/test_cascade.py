"""The cascade check: children's targets combined (population-weighted or summed) against the parent's."""

from __future__ import annotations

import polars as pl
import pytest

from minsheng.analytics.cascade import cascade

PARENT = pl.DataFrame(
    {
        "canonical_code": ["EL01", "EL04", "EM01", "HE05"],
        "name": ["养老机构护理型床位占比", "养老服务床位总量", "新增就业", "孕产妇死亡率"],
        "unit": ["%", "张", "万人", "1/10万"],
        "percent": [False, False, False, False],
        "kind": ["at_least", "reach", "cumulative", "below"],
        "target": [90.0, 1000.0, 10.0, 9.0],
        "polarity": ["higher", "higher", "higher", "lower"],
    }
)
POPULATIONS = pl.DataFrame({"region": ["A", "B", "C"], "population": [100.0, 300.0, 50.0]})


def _children(rows: list[tuple[str, str, float, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["region", "canonical_code", "target", "kind", "unit"], orient="row"
    )


def _row(table: pl.DataFrame, code: str) -> dict:
    return table.filter(pl.col("canonical_code") == code).row(0, named=True)


def test_rates_are_population_weighted_and_the_short_child_is_named() -> None:
    children = _children([("A", "EL01", 95.0, "at_least", "%"), ("B", "EL01", 80.0, "reach", "%")])
    row = _row(cascade(PARENT, children, POPULATIONS), "EL01")
    # (95 × 100 + 80 × 300) / 400 = 83.75 < 90
    assert row["method"] == "weighted" and row["combined"] == pytest.approx(83.75)
    assert row["reaches"] is False and row["short_by"] == pytest.approx(6.25)
    assert row["short_children"] == ["B"] and row["children"] == 2


def test_a_weighted_whole_can_reach_while_a_small_child_falls_short() -> None:
    children = _children([("B", "EL01", 93.0, "reach", "%"), ("C", "EL01", 85.0, "reach", "%")])
    row = _row(cascade(PARENT, children, POPULATIONS), "EL01")
    # (93 × 300 + 85 × 50) / 350 = 91.857 ≥ 90
    assert row["combined"] == pytest.approx((93 * 300 + 85 * 50) / 350)
    assert row["reaches"] is True and row["short_by"] is None and row["short_children"] == ["C"]


def test_totals_are_summed_and_other_units_left_out() -> None:
    children = _children(
        [("A", "EL04", 600.0, "reach", "张"), ("B", "EL04", 300.0, "reach", "张"),
         ("C", "EL04", 0.02, "reach", "万张"), ("A", "EM01", 6.0, "cumulative", "万人"),
         ("B", "EM01", 5.0, "cumulative", "万人")]
    )  # fmt: skip
    table = cascade(PARENT, children, POPULATIONS)
    beds = _row(table, "EL04")
    assert beds["method"] == "summed" and beds["combined"] == 900.0
    assert beds["reaches"] is False and beds["short_by"] == 100.0 and beds["other_unit"] == ["C"]
    jobs = _row(table, "EM01")
    assert jobs["combined"] == 11.0 and jobs["reaches"] is True


def test_lower_is_better_and_missing_populations() -> None:
    children = _children(
        [("A", "HE05", 8.0, "below", "1/10万"), ("Z", "HE05", 12.0, "below", "1/10万")]
    )
    row = _row(cascade(PARENT, children, POPULATIONS), "HE05")
    assert row["method"] == "weighted"  # a rate (率): intensive
    assert row["combined"] is None and row["unweighted"] == ["Z"] and row["reaches"] is None
    assert row["short_children"] == ["Z"]  # 12 is worse than 9 where lower is better


YEARLY_PARENT = pl.DataFrame(
    {
        "canonical_code": ["EM09", "EM02"],
        "name": ["城镇调查失业率", "城镇新增就业人数"],
        "unit": ["%", "万人"],
        "percent": [True, False],
        "kind": ["annual_average", "annual_average"],
        "target": [5.5, 20.0],
        "polarity": ["lower", "higher"],
    }
)


def test_yearly_averages_are_combined_with_yearly_averages() -> None:
    """A rate's yearly averages are population-weighted; an amount's are summed (the sum of
    the children's yearly averages is the yearly average of their sum)."""
    children = _children(
        [("A", "EM09", 5.0, "annual_average", "%"), ("B", "EM09", 6.0, "annual_average", "%"),
         ("A", "EM02", 12.0, "annual_average", "万人"), ("B", "EM02", 9.0, "annual_average", "万人")]
    )  # fmt: skip
    table = cascade(YEARLY_PARENT, children, POPULATIONS)
    rate = _row(table, "EM09")
    assert (rate["form"], rate["method"]) == ("annual_average", "weighted")
    assert rate["combined"] == pytest.approx((5.0 * 100 + 6.0 * 300) / 400)  # 5.75 > 5.5
    assert rate["reaches"] is False and rate["short_children"] == ["B"]
    jobs = _row(table, "EM02")
    assert (jobs["method"], jobs["combined"], jobs["reaches"]) == ("summed", 21.0, True)
    assert rate["other_form"] == [] and jobs["other_form"] == []


@pytest.mark.parametrize(
    ("parent", "other_kind"),
    [(YEARLY_PARENT, "reach"), (YEARLY_PARENT, "cumulative"), (PARENT, "annual_average")],
)
def test_a_child_stating_another_form_is_named_not_combined(
    parent: pl.DataFrame, other_kind: str
) -> None:
    code = "EM02" if parent is YEARLY_PARENT else "EL04"
    unit = "万人" if parent is YEARLY_PARENT else "张"
    same = parent.filter(pl.col("canonical_code") == code)["kind"][0]
    children = _children(
        [("A", code, 12.0, same, unit), ("B", code, 50.0, other_kind, unit),
         ("C", code, 3.0, other_kind, unit)]
    )  # fmt: skip
    row = _row(cascade(parent, children, POPULATIONS), code)
    assert row["children"] == 1 and row["combined"] == 12.0
    assert row["other_form"] == ["B", "C"]
    # with no child in the parent's form the row is still there, saying why nothing was combined
    alone = _row(cascade(parent, children.filter(pl.col("region") != "A"), POPULATIONS), code)
    assert alone["children"] == 0 and alone["combined"] is None and alone["reaches"] is None
    assert alone["other_form"] == ["B", "C"]
