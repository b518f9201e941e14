import pytest

from minsheng.domain.errors import InvalidData
from minsheng.domain.regions import (
    NATIONAL_CODE,
    Level,
    Region,
    ancestry,
    level_of_code,
    normalise_code,
    parent_code_of,
)


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("100000", Level.NATIONAL, None),
        ("500000", Level.PROVINCE, NATIONAL_CODE),
        ("500100", Level.PREFECTURE, "500000"),
        ("500118", Level.COUNTY, "500100"),
        ("110105", Level.COUNTY, "110100"),
    ],
)
def test_code_tells_level_and_parent(code: str, level: Level, parent: str | None) -> None:
    assert level_of_code(code) is level
    assert parent_code_of(code) == parent


@pytest.mark.parametrize(
    ("given", "padded"), [("50", "500000"), (5001, "500100"), (" 500118 ", "500118")]
)
def test_short_codes_are_padded(given: str | int, padded: str) -> None:
    assert normalise_code(given) == padded


@pytest.mark.parametrize("bad", ["5", "50011", "abcdef", "5001180", ""])
def test_bad_codes_are_refused_with_a_clear_error(bad: str) -> None:
    with pytest.raises(InvalidData, match="GB/T 2260"):
        normalise_code(bad)


def test_ancestry_walks_to_the_root_and_detects_cycles() -> None:
    tree = {
        "100000": Region("100000", "全国", Level.NATIONAL, None),
        "500000": Region("500000", "P", Level.PROVINCE, "100000"),
        "500100": Region("500100", "C", Level.PREFECTURE, "500000"),
        "500118": Region("500118", "X", Level.COUNTY, "500100"),
    }
    assert [r.code for r in ancestry("500118", tree)] == ["500118", "500100", "500000", "100000"]
    looped = dict(tree, **{"500000": Region("500000", "P", Level.PROVINCE, "500118")})
    with pytest.raises(InvalidData, match="cycle"):
        ancestry("500118", looped)
