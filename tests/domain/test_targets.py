"""Property tests for the target/baseline cell grammar (evaluation method §1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.domain.targets import (
    LEVEL_KINDS,
    Target,
    TargetKind,
    format_target,
    parse_target,
    says_annual_average,
)

K = TargetKind
UNITS = ("个", "人", "万人", "万人次", "平方米", "岁", "张", "万张", "栋", "户", "所", "km")
values = st.decimals(
    min_value=Decimal("-1000"), max_value=Decimal("1000000"), places=2, allow_nan=False
).map(lambda d: float(d))
markers = st.sampled_from([None, "*", "**", "***"])


@st.composite
def quantities(draw: st.DrawFn, kinds: frozenset[TargetKind] = LEVEL_KINDS) -> Target:
    kind = draw(st.sampled_from(sorted(kinds)))
    percent = draw(st.booleans())
    unit = None if percent else draw(st.sampled_from((None, *UNITS)))
    return Target(kind, value=draw(values), percent=percent, unit=unit, marker=draw(markers))


@st.composite
def multiples(draw: st.DrawFn) -> Target:
    n = draw(st.integers(2, 3))
    parts = []
    for i in range(n):
        marker = draw(markers) if i == n - 1 else None
        parts.append(
            Target(
                K.REACH, value=abs(draw(values)), unit=draw(st.sampled_from(UNITS)), marker=marker
            )
        )
    return Target(K.MULTIPLE, parts=tuple(parts))


QUALITATIVE_WORDS = "显著提升确保完成国家要求明显改善稳步提高逐步实现"
targets = st.one_of(
    quantities(),
    st.builds(lambda t: Target(K.CUMULATIVE, t.value, t.percent, t.unit, t.marker), quantities()),
    multiples(),
    st.builds(
        lambda s: Target(K.QUALITATIVE, text=s), st.text(QUALITATIVE_WORDS, min_size=1, max_size=12)
    ),
    st.builds(
        lambda s: Target(K.FULL_COVERAGE, text=s),
        st.sampled_from(["应保尽保", "应助尽助", "全覆盖"]),
    ),
    st.builds(lambda s: Target(K.KEEP_ZERO, text=s), st.sampled_from(["保持动态清零", "动态清零"])),
    st.just(Target(K.NONE)),
)


@given(targets)
@settings(max_examples=400)
def test_parse_inverts_format(target: Target) -> None:
    text = format_target(target)
    assert parse_target(text) == target, text


@given(st.text(max_size=40))
@settings(max_examples=400)
def test_no_input_crashes_the_parser_and_raw_is_kept(raw: str) -> None:
    parsed = parse_target(raw)
    assert parsed.raw == raw
    assert isinstance(parsed.kind, TargetKind)


CELL_ALPHABET = (
    "0123456789.%％*∗【】[]〔〕<>≥≤＞＜ 　左右以上以下约应保尽清零—-万人次个栋户年内均保持"
)


@given(st.text(CELL_ALPHABET, max_size=16))
@settings(max_examples=400)
def test_the_canonical_spelling_is_a_fixed_point(raw: str) -> None:
    """Whatever a cell parses to, writing it canonically and reading it again changes nothing."""
    parsed = parse_target(raw)
    assert parse_target(format_target(parsed)) == parsed, (raw, format_target(parsed))


def test_a_footnote_gives_its_meaning_to_every_quantity_of_a_two_quantity_cell() -> None:
    from minsheng.domain.targets import apply_footnote, read_footnote

    cell = parse_target("1329栋 53275户∗")
    assert cell.kind is TargetKind.MULTIPLE
    note = read_footnote("带*的为五年累计数。")
    assert note is not None
    out = apply_footnote(cell, note)
    # both the 1329 buildings and the 53275 households are five-year totals
    assert [(p.kind, p.value, p.unit) for p in out.parts] == [
        (TargetKind.CUMULATIVE, 1329.0, "栋"),
        (TargetKind.CUMULATIVE, 53275.0, "户"),
    ]
    average = read_footnote("带*为年度平均值。")
    assert average is not None
    assert {p.kind for p in apply_footnote(cell, average).parts} == {TargetKind.ANNUAL_AVERAGE}


def test_two_bare_numbers_keep_apart_in_the_canonical_spelling() -> None:
    # hypothesis found "0 -0": written "0 0", it read back as the single number 00
    parsed = parse_target("0 -0")
    assert parsed.kind is TargetKind.MULTIPLE
    assert parse_target(format_target(parsed)) == parsed
    assert format_target(parse_target("1329栋 53275户")) == "1329栋 53275户"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("年均", True),
        ("年均增长", True),
        ("五年平均", True),
        ("平均每年新增", True),
        ("带*为五年年均数。", True),
        ("全省平均", False),
        ("非年均数", False),
        ("不是五年平均", False),
        ("五年累计", False),
    ],
)
def test_what_says_a_yearly_average(text: str, says: bool) -> None:
    assert says_annual_average(text) is says
