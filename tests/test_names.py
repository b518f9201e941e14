"""The one name normaliser and region resolver (minsheng/names.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.domain.errors import NotFound
from minsheng.domain.regions import Level, Region
from minsheng.names import (
    AmbiguousRegion,
    RegionIndex,
    name_key,
    normalise_name,
    shipped_region_index,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "每千人口執業（助理）醫師數",
            "每千人口执业(助理)医师数",
        ),  # Traditional, full-width brackets
        ("学前教育 毛入园率", "学前教育毛入园率"),
        ("【320】", "[320]"),
        ("ＥＤ０１", "ed01"),
    ],
)
def test_names_fold_alike(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


def test_the_loose_key_drops_the_filler_bulletins_leave_out() -> None:
    assert name_key("每千人口拥有执业(助理)医师数") == name_key("每千人口執業（助理）醫師數")
    assert name_key("学前教育毛入园率") != name_key("学前教育毛入学率")


@given(st.text(max_size=20))
def test_normalising_is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once


@pytest.mark.parametrize(
    ("text", "scope", "code"),
    [
        ("永川", None, "500118"),
        ("永川區", None, "500118"),
        ("重慶市永川區", None, "500118"),
        ("5001", None, "500100"),
        ("鼓楼区", "350000", "350102"),  # unique within 福建省
        ("鼓樓區", "350100", "350102"),
        ("全国", None, "100000"),
    ],
)
def test_resolving(text: str, scope: str | None, code: str) -> None:
    assert shipped_region_index().resolve(text, scope=scope).code == code


def test_an_ambiguous_name_lists_its_candidates() -> None:
    with pytest.raises(AmbiguousRegion) as err:
        shipped_region_index().resolve("鼓楼区")
    codes = {r.code for r in err.value.candidates}
    assert {"320106", "350102"} <= codes and "350102" in err.value.message


@pytest.mark.parametrize("text", ["没有这个地方", "", "123", "990000"])
def test_an_unknown_region_is_not_found_never_a_default(text: str) -> None:
    with pytest.raises(NotFound):
        shipped_region_index().resolve(text)
    with pytest.raises(NotFound):
        shipped_region_index().resolve("永川", scope="510000")  # not in 四川


def test_a_historical_code_resolves_through_its_successors() -> None:
    tree = [
        Region("100000", "全国", Level.NATIONAL, None),
        Region("510000", "四川省", Level.PROVINCE, "100000"),
        Region("510100", "成都市", Level.PREFECTURE, "510000"),
        Region("510122", "双流县", Level.COUNTY, "510100", None, 2015, "510116"),
        Region("510116", "双流区", Level.COUNTY, "510100", 2016, 2019, "510199"),
        Region("510199", "新双流区", Level.COUNTY, "510100", 2020),
    ]
    index = RegionIndex(tree)
    assert index.resolve("510122").code == "510199"  # through both re-codings
    assert index.resolve("510122", year=2014).code == "510122"  # its own years: itself
    assert index.resolve("510116", year=2017).code == "510116"
    assert index.resolve("双流县").code == "510199"  # a retired name: through its successors
    assert index.resolve("双流", year=2017).code == "510116"


def test_a_county_named_with_its_city_but_not_its_province() -> None:
    """遵义市汇川区, as a city's own papers write it, was no region at all."""
    index = shipped_region_index()
    assert index.resolve("遵义市汇川区").code == "520303"
    assert index.resolve("遵义市汇川区", scope="520300").code == "520303"
    assert index.resolve("重庆市永川区").code == "500118"  # a municipality's, as before


@pytest.mark.parametrize(
    ("name", "code", "agrees"),
    [
        ("汇川区", "520303", True),
        ("汇川", "520303", True),
        ("贵州省遵义市汇川区", "520303", True),
        ("遵义市汇川区", "520303", True),
        ("红花岗区", "520303", False),
        ("遵义市", "520303", False),  # the parent is another region
        ("汇州区", "520303", False),
        ("鼓楼区", "350102", True),  # ambiguous in the country, not beside its code
    ],
)
def test_a_name_beside_a_code_must_name_the_same_region(name: str, code: str, agrees: bool) -> None:
    assert shipped_region_index().names(name, code) is agrees
