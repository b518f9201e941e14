"""One job, one rule, whichever door asks: what a plan's export writes is what its import
takes; a region named by the CLI, the API or a service resolves alike (unknown is said,
never an empty answer); a value series reads the same through every door."""

from __future__ import annotations

import csv
from pathlib import Path

from minsheng.services.observation_export import export_observations
from minsheng.services.observations import CATALOGUE, import_observations
from minsheng.services.plans import save_extracted_plan


def _write(path: Path, rows: list[tuple[str, str, int, float]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["指标", "地区", "年份", "数值"])
        writer.writerows(rows)
    return path


def test_a_plans_export_holds_its_regions_only_and_imports_back_unchanged(
    seeded_db, plan_factory, tmp_path: Path
) -> None:
    """A mapped indicator reads the catalogue's series, which also holds the nation's and
    other provinces' values: the export of a province's plan wrote them too, and the
    import of that very file was then refused (outside the plan's region)."""
    stored = save_extracted_plan(seeded_db, plan_factory(region_code="510000"))
    rate = stored.plan.indicators[0].name  # mapped to ED01
    import_observations(
        seeded_db,
        _write(
            tmp_path / "nation.csv", [(rate, "100000", 2023, 89.7), (rate, "500000", 2023, 90.1)]
        ),
        "statistician",
        plan=CATALOGUE,
    )
    import_observations(
        seeded_db,
        _write(
            tmp_path / "sichuan.csv", [(rate, "510000", 2023, 91.5), (rate, "510100", 2023, 93.0)]
        ),
        "alice",
        plan=stored.id,
    )
    out = tmp_path / "out.csv"
    assert export_observations(seeded_db, stored.id, out) == 2
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert sorted(r["region_code"] for r in csv.DictReader(fh)) == ["510000", "510100"]
    again = import_observations(seeded_db, out, "alice", plan=stored.id)
    assert (again.added, again.corrected, again.unchanged) == (0, 0, 2)


def test_the_equity_area_is_named_as_every_other_region(seeded_db, tmp_path: Path) -> None:
    """The CLI passed --under to the spread as a bare code ('not a GB/T 2260 code: 四川')
    while the web page resolved names first: the service resolves it, for both."""
    import pytest

    from minsheng.domain.errors import InvalidData, NotFound
    from minsheng.services.spread import indicator_spread

    import_observations(
        seeded_db,
        _write(
            tmp_path / "cities.csv",
            [("ED01", "510100", 2023, 93.0), ("ED01", "510300", 2023, 88.0)],
        ),
        "statistician",
        plan=CATALOGUE,
    )
    by_code, _, _ = indicator_spread(seeded_db, "ED01", "510000", 2023)
    by_name, _, _ = indicator_spread(seeded_db, "ED01", "四川", 2023, level="Prefecture")
    assert by_name.to_dicts() == by_code.to_dicts()
    with pytest.raises(NotFound, match="没有这个地方"):
        indicator_spread(seeded_db, "ED01", "没有这个地方", 2023)
    with pytest.raises(InvalidData, match="ambiguous"):
        indicator_spread(seeded_db, "ED01", "朝阳区", 2023)
    with pytest.raises(InvalidData, match="unknown level 'town'"):
        indicator_spread(seeded_db, "ED01", "510000", 2023, level="town")


def test_the_values_api_names_regions_and_indicators_as_the_cli_does(
    seeded_db, plan_factory, tmp_path: Path
) -> None:
    """``GET /api/observations`` (``visible_values``) compared codes only: a name, a 简称 or
    Traditional script gave ``[]``, and so did a region that does not exist — an empty
    answer that reads as "nothing reported". It now resolves both as ``history`` does."""
    import pytest

    from minsheng.domain.errors import InvalidData, NotFound
    from minsheng.domain.observations import ObservationStatus
    from minsheng.services.observations import history
    from minsheng.services.reporting import visible_values

    stored = save_extracted_plan(seeded_db, plan_factory(region_code="510000"))
    rate = stored.plan.indicators[0].name  # the plan's wording, mapped to ED01
    import_observations(
        seeded_db,
        _write(tmp_path / "v.csv", [(rate, "510000", 2022, 90.5), (rate, "510000", 2023, 91.5)]),
        "alice",
        plan=stored.id,
        status=ObservationStatus.PUBLISHED,
    )
    by_code = [(v.indicator, v.region, v.year, v.value) for v in visible_values(seeded_db, None, indicator="ED01", region="510000")]  # fmt: skip
    assert by_code == [("ED01", "510000", 2022, 90.5), ("ED01", "510000", 2023, 91.5)]
    for indicator, region in [(rate, "四川"), ("學前教育毛入園率", "四川省"), (rate, "510000")]:
        found = visible_values(seeded_db, None, indicator=indicator, region=region)
        assert [(v.indicator, v.region, v.year, v.value) for v in found] == by_code
    # the same series as the CLI's history, value for value
    assert [history(seeded_db, rate, "四川", y)[-1].value for y in (2022, 2023)] == [90.5, 91.5]
    with pytest.raises(NotFound, match="没有这个地方"):
        visible_values(seeded_db, None, region="没有这个地方")
    with pytest.raises(InvalidData, match="ambiguous"):
        visible_values(seeded_db, None, region="朝阳区")
    with pytest.raises(NotFound, match="no indicator"):
        visible_values(seeded_db, None, indicator="没有这个指标")


def test_the_web_entry_names_a_region_as_the_cli_does(seeded_db, plan_factory) -> None:
    """The API's entry, review and audit doors read a region by exact code or name only:
    '成都' (a 简称) or '成都市' in Traditional script was 'no region' there while
    ``minsheng correct``/``history`` took it."""
    import pytest

    from minsheng.domain.errors import InvalidData, NotFound
    from minsheng.services.audit import audit_trail
    from minsheng.services.observations import history
    from minsheng.services.reporting import enter_value, move_value
    from minsheng.services.users import create_user, get_user

    save_extracted_plan(seeded_db, plan_factory("510000"))
    create_user(seeded_db, "root", "a long enough password", "admin")
    create_user(seeded_db, "wu", "a long enough password", "reporter", region="510100")
    wu, root = get_user(seeded_db, "wu"), get_user(seeded_db, "root")
    stored = enter_value(seeded_db, wu, "学前教育毛入园率", "成都", 2023, 82.0)
    assert (stored.region, stored.value) == ("510100", 82.0)
    moved = move_value(seeded_db, wu, "submit", "学前教育毛入园率", "成都市", 2023)
    assert moved.status == "submitted"
    assert [v.value for v in history(seeded_db, "学前教育毛入园率", "成都", 2023)] == [82.0, 82.0]
    assert audit_trail(seeded_db, root, region="成都")
    with pytest.raises(NotFound, match="没有这个地方"):
        enter_value(seeded_db, wu, "学前教育毛入园率", "没有这个地方", 2023, 82.0)
    with pytest.raises(InvalidData, match="ambiguous"):
        enter_value(seeded_db, root, "学前教育毛入园率", "朝阳区", 2023, 82.0)


def test_a_lists_cost_names_its_region_as_every_door_does(seeded_db) -> None:
    """``standards cost --region 永川`` (and the cost API) read the region by exact code or
    name: '永川' or '永川區' was 'no region' there and nowhere else."""
    import pytest

    from minsheng.domain.errors import InvalidData, NotFound
    from minsheng.domain.standards import StandardItem, StandardList
    from minsheng.services.regions import set_populations
    from minsheng.services.standards import record_list
    from minsheng.services.standards_cost import cost_list
    from minsheng.store.repositories.populations import Population

    item = StandardItem(
        "病有所医", "基本公共卫生服务", served="城乡居民", standard="每人每年不低于89元"
    )
    county = record_list(
        seeded_db, StandardList("区级清单", "1", "500118", [item], author="wang")
    ).id
    set_populations(seeded_db, [Population("500118", 2023, 1_000_000, "统计年鉴")])
    by_code = cost_list(seeded_db, county, "500118", 2023).baseline.total
    assert by_code == 89_000_000
    for name in ("永川", "永川區", "重庆市永川区"):
        assert cost_list(seeded_db, county, name, 2023).baseline.total == by_code
    with pytest.raises(NotFound, match="没有这个地方"):
        cost_list(seeded_db, county, "没有这个地方", 2023)
    with pytest.raises(InvalidData, match="ambiguous"):
        cost_list(seeded_db, county, "朝阳区", 2023)


def test_a_list_is_stored_for_the_region_every_door_names(seeded_db) -> None:
    """``standards import --region 永川區`` was 'no region', and '朝阳区' was ambiguous
    without the provinces that tell its two candidates apart."""
    import pytest

    from minsheng.domain.errors import InvalidData
    from minsheng.domain.standards import StandardItem, StandardList
    from minsheng.services.standards import record_list

    item = StandardItem("病有所医", "基本公共卫生服务", standard="每人每年不低于89元")
    stored = record_list(seeded_db, StandardList("区级清单", "1", "永川區", [item], author="wang"))
    assert stored.list.region_code == "500118"
    with pytest.raises(InvalidData, match="北京市朝阳区"):
        record_list(seeded_db, StandardList("区级清单", "1", "朝阳区", [item], author="wang"))
