"""Equalisation on the store (services.spread): the spread across regions, weighted by
population, and the regions without a value named each year."""

from __future__ import annotations

import json

import polars as pl
import pytest
from typer.testing import CliRunner

from minsheng.analytics.inequality import gini, theil_t, weighted_mean
from minsheng.cli.main import app
from minsheng.domain.errors import NotFound
from minsheng.domain.observations import Observation
from minsheng.services.observations import add_observations
from minsheng.services.regions import set_populations
from minsheng.services.spread import indicator_spread
from minsheng.store.repositories.populations import Population

runner = CliRunner()


def test_equity_across_prefectures_weighted_by_population(cli_env) -> None:
    # three prefectures of 四川 (510000): 成都 510100, 自贡 510300, 攀枝花 510400
    values = {"510100": 3.4, "510300": 2.6, "510400": 3.0}
    pops = {"510100": 2100, "510300": 240, "510400": 120}
    obs = [Observation("HE02", code, 2023, v) for code, v in values.items()]
    obs += [Observation("HE02", code, 2022, v - 0.2) for code, v in values.items()]
    add_observations(cli_env, None, obs, None)
    set_populations(cli_env, [Population(code, 2020, p) for code, p in pops.items()])
    table, trend, notes = indicator_spread(cli_env, "HE02", "510000", 2023)
    assert notes == []
    row = table.filter(pl.col("year") == 2023).row(0, named=True)
    y, w = list(values.values()), list(pops.values())
    assert row["regions"] == 3
    assert row["mean"] == pytest.approx(weighted_mean(y, w))
    assert row["gini"] == pytest.approx(gini(y, w))
    assert row["theil_t"] == pytest.approx(theil_t(y, w))
    assert trend.get_column("year").to_list() == [2022, 2023]
    result = runner.invoke(app, ["equity", "HE02", "--under", "510000", "--year", "2023", "--json"])
    assert result.exit_code == 0, result.output
    assert [r["year"] for r in json.loads(result.stdout)] == [2022, 2023]
    with pytest.raises(NotFound):
        indicator_spread(cli_env, "HE02", "520000", 2023)


def test_equity_names_the_regions_without_a_value_each_year(cli_env) -> None:
    """Regions with no value were dropped silently: 地区数 fell from 3 to 2 with no word of which."""
    from minsheng.data.divisions import divisions_by_code

    by_code = divisions_by_code()
    prefectures = [
        c for c, r in by_code.items() if r.level.value == "prefecture" and c.startswith("51")
    ]
    obs = [Observation("HE02", c, 2022, 3.0) for c in ("510100", "510300", "510400")]
    obs += [Observation("HE02", c, 2023, 3.2) for c in ("510100", "510300")]
    add_observations(cli_env, None, obs, None)
    table, _, _ = indicator_spread(cli_env, "HE02", "510000", 2023)
    rows = {r["year"]: r for r in table.iter_rows(named=True)}
    assert rows[2022]["regions"] == 3 and rows[2022]["missing"] == len(prefectures) - 3
    assert rows[2023]["regions"] == 2 and rows[2023]["missing"] == len(prefectures) - 2
    missing = rows[2023]["missing_regions"]
    assert by_code["510400"].name in missing and by_code["510100"].name not in missing
    assert len(missing) == rows[2023]["missing"]
    result = runner.invoke(app, ["equity", "HE02", "--under", "510000", "--year", "2023"])
    assert result.exit_code == 0, result.output
    assert by_code["510400"].name in result.output  # the command names them too


def test_the_publics_spread_is_measured_on_published_values(cli_env) -> None:
    """A draft of one region moved the public equalisation page's figures before review."""
    from minsheng.domain.observations import ObservationStatus

    published = ObservationStatus.PUBLISHED
    obs = [Observation("HE02", c, 2023, 3.0, status=published) for c in ("510100", "510300")]
    obs.append(Observation("HE02", "510400", 2023, 3.1, status=published))
    add_observations(cli_env, None, obs, None)
    # a correction still under review, and a region whose only value is a draft
    add_observations(cli_env, None, [Observation("HE02", "510400", 2023, 9.9)], None)
    add_observations(cli_env, None, [Observation("HE02", "510500", 2023, 8.0)], None)

    def year_row(**kwargs: bool) -> dict:
        table, _, _ = indicator_spread(cli_env, "HE02", "510000", 2023, **kwargs)
        return table.filter(pl.col("year") == 2023).row(0, named=True)

    everything, public = year_row(), year_row(published_only=True)
    assert everything["regions"] == 4 and public["regions"] == 3
    assert public["max_min_ratio"] == pytest.approx(3.1 / 3.0)
    assert everything["max_min_ratio"] == pytest.approx(9.9 / 3.0)
