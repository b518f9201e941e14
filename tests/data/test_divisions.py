from collections import Counter

from minsheng.data import DIVISIONS_VERSION
from minsheng.data.divisions import divisions_by_code, full_name, load_divisions
from minsheng.domain.regions import Level, ancestry


def test_the_tree_reaches_every_county_from_the_national_root() -> None:
    regions = load_divisions()
    counts = Counter(r.level for r in regions)
    assert counts[Level.NATIONAL] == 1
    assert counts[Level.PROVINCE] >= 31
    assert counts[Level.COUNTY] >= 2800
    by_code = divisions_by_code()
    for region in regions:
        if region.level is Level.COUNTY:
            chain = ancestry(region.code, by_code)
            assert [r.level for r in chain] == [
                Level.COUNTY,
                Level.PREFECTURE,
                Level.PROVINCE,
                Level.NATIONAL,
            ]


def test_codes_are_unique_and_the_version_is_recorded() -> None:
    codes = [r.code for r in load_divisions()]
    assert len(codes) == len(set(codes))
    assert DIVISIONS_VERSION


def test_full_names_skip_placeholder_prefectures() -> None:
    by_code = divisions_by_code()
    county = next(
        r for r in load_divisions() if r.level is Level.COUNTY and r.code.startswith("11")
    )
    name = full_name(county.code, by_code)
    assert name.startswith(by_code["110000"].name) and name.endswith(county.name)
    assert "市辖区" not in name
