"""Reporting completeness, timeliness and modified z-score outliers, by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from minsheng.analytics.quality import completeness, completeness_summary, expected_cells, outliers
from minsheng.domain.errors import InvalidData
from minsheng.settings import Settings


def test_completeness_and_timeliness() -> None:
    expected = expected_cells(["a"], ["r1", "r2"], [2021, 2022])
    obs = pl.DataFrame(
        {
            "indicator": ["a", "a", "a"],
            "region": ["r1", "r1", "r2"],
            "year": [2021, 2022, 2021],
            "value": [1.0, 2.0, 3.0],
            "reported_at": [datetime(2022, 3, 1), datetime(2023, 5, 2), datetime(2022, 3, 31, 18)],
        }
    )
    cells = completeness(
        obs, expected, due_dates={2021: date(2022, 3, 31), 2022: date(2023, 3, 31)}
    )
    got = {
        (r["region"], r["year"]): (r["reported"], r["on_time"]) for r in cells.iter_rows(named=True)
    }
    assert got == {
        ("r1", 2021): (True, True),
        ("r1", 2022): (True, False),  # 2 May is after 31 March
        ("r2", 2021): (True, True),  # the due day counts in full
        ("r2", 2022): (False, None),
    }
    assert cells.filter(pl.col("region") == "r1", pl.col("year") == 2022)["days_late"].item() == 32
    summary = completeness_summary(cells).row(0, named=True)
    # r1: 2 of 2 reported, 1 of 2 on time
    assert (summary["region"], summary["reporting_rate"], summary["on_time_rate"]) == (
        "r1",
        1.0,
        0.5,
    )


def test_completeness_without_dates_leaves_on_time_unknown() -> None:
    cells = completeness(
        pl.DataFrame({"indicator": ["a"], "region": ["r"], "year": [2021], "value": [1.0]}),
        expected_cells(["a"], ["r"], [2021]),
    )
    assert cells.row(0, named=True)["on_time"] is None


def _frame(values: list[float], across: str) -> pl.DataFrame:
    n = len(values)
    if across == "regions":
        return pl.DataFrame(
            {
                "indicator": ["a"] * n,
                "region": [f"r{i}" for i in range(n)],
                "year": [2022] * n,
                "value": values,
            }
        )
    return pl.DataFrame(
        {
            "indicator": ["a"] * n,
            "region": ["r"] * n,
            "year": list(range(2020, 2020 + n)),
            "value": values,
        }
    )


@pytest.mark.parametrize("across", ["regions", "years"])
def test_modified_z_score_by_hand(across) -> None:
    out = outliers(_frame([10.0, 11.0, 12.0, 13.0, 50.0], across))
    # median 12; |deviations| 2,1,0,1,38 → MAD 1; M(50) = 0.6745 × 38 / 1 = 25.631
    z = out.get_column(f"z_{across}").to_list()
    assert z[-1] == pytest.approx(0.6745 * 38)
    assert z[0] == pytest.approx(-0.6745 * 2)  # 1.349, not an outlier
    assert out.get_column(f"outlier_{across}").to_list() == [False, False, False, False, True]
    assert out.get_column("outlier").to_list()[-1] is True


def test_threshold_is_a_parameter_from_settings() -> None:
    frame = _frame([10.0, 11.0, 12.0, 13.0, 17.0], "regions")
    # M(17) = 0.6745 × 5 = 3.3725
    assert not outliers(frame, threshold=Settings(Path("."), "sqlite://").outlier_threshold)[
        "outlier"
    ].to_list()[-1]
    assert outliers(frame, threshold=3.0)["outlier"].to_list()[-1]


def test_zero_mad_falls_back_to_mean_absolute_deviation() -> None:
    out = outliers(_frame([100.0, 100.0, 100.0, 100.0, 90.0], "regions"))
    # MAD 0; MeanAD = 10/5 = 2; M(90) = -10 / (1.253314 × 2) = -3.9894
    assert out["z_regions"].to_list()[-1] == pytest.approx(-10 / (1.253314 * 2))
    assert out["z_regions"].to_list()[0] == 0.0


def test_small_groups_get_no_score() -> None:
    out = outliers(_frame([1.0, 100.0], "regions"))
    assert out["z_regions"].to_list() == [None, None]
    assert out["outlier"].to_list() == [False, False]


def test_bad_threshold() -> None:
    with pytest.raises(InvalidData):
        outliers(_frame([1.0, 2.0, 3.0], "regions"), threshold=0)
