"""The cell forms of evaluation method §1, one case each (property tests live in test_targets.py)."""

import pytest

from minsheng.domain.targets import (
    FootnoteMeaning,
    TargetKind,
    apply_footnote,
    format_target,
    parse_target,
    read_footnote,
)

K = TargetKind


@pytest.mark.parametrize(
    ("raw", "kind", "value", "percent", "marker"),
    [
        ("4.5", K.REACH, 4.5, False, None),
        ("96%", K.REACH, 96.0, True, None),
        ("96％", K.REACH, 96.0, True, None),
        (">90%", K.ABOVE, 90.0, True, None),
        ("＞95", K.ABOVE, 95.0, False, None),
        ("≥30", K.AT_LEAST, 30.0, False, None),
        ("<5.5", K.BELOW, 5.5, False, None),
        ("≤3.5", K.AT_MOST, 3.5, False, None),
        ("【12】", K.CUMULATIVE, 12.0, False, None),
        ("[20]", K.CUMULATIVE, 20.0, False, None),
        ("〔5〕", K.CUMULATIVE, 5.0, False, None),
        ("5左右", K.ABOUT, 5.0, False, None),
        ("1500*", K.REACH, 1500.0, False, "*"),
        ("7∗", K.REACH, 7.0, False, "*"),
        ("21.9***", K.REACH, 21.9, False, "***"),
        ("1 500", K.REACH, 1500.0, False, None),
        ("95%以上", K.AT_LEAST, 95.0, True, None),
        ("应保尽保", K.FULL_COVERAGE, None, False, None),
        ("应保尽保、应助尽助", K.FULL_COVERAGE, None, False, None),
        ("5年内均保持动态清零", K.KEEP_ZERO, None, False, None),
        ("已全部动态清零", K.KEEP_ZERO, None, False, None),
        ("——", K.NONE, None, False, None),
        ("—", K.NONE, None, False, None),
        ("-", K.NONE, None, False, None),
        ("", K.NONE, None, False, None),
        ("确保完成国家要求", K.QUALITATIVE, None, False, None),
        ("显著提升", K.QUALITATIVE, None, False, None),
    ],
)
def test_every_cell_form_parses(raw, kind, value, percent, marker) -> None:
    target = parse_target(raw)
    assert (target.kind, target.value, target.percent, target.marker) == (
        kind,
        value,
        percent,
        marker,
    )
    assert target.raw == raw


def test_two_quantities_in_one_cell_become_two_targets() -> None:
    target = parse_target("1329栋 53275户∗")
    assert target.kind is K.MULTIPLE
    assert [(p.value, p.unit) for p in target.parts] == [(1329.0, "栋"), (53275.0, "户")]
    assert target.parts[1].marker == "*"


@pytest.mark.parametrize("raw", ["≥30", "【320】", "5左右", "1329栋 53275户*", "<5.5", "96%"])
def test_canonical_spelling_round_trips(raw: str) -> None:
    assert parse_target(format_target(parse_target(raw))) == parse_target(raw)


@pytest.mark.parametrize(
    ("note", "meaning", "year"),
    [
        (
            "1. 带*指标数据分别为“十三五”和“十四五”时期的年度平均值。",
            FootnoteMeaning.ANNUAL_AVERAGE,
            None,
        ),
        ("带【】为五年累计数。", FootnoteMeaning.CUMULATIVE, None),
        ("带**的为2019年数据。", FootnoteMeaning.DATA_YEAR, 2019),
        ("4.带***指标数据分别为“十三五”和“十四五”期间累计数。", FootnoteMeaning.CUMULATIVE, None),
    ],
)
def test_footnotes_declare_marker_meanings(
    note: str, meaning: FootnoteMeaning, year: int | None
) -> None:
    footnote = read_footnote(note)
    assert footnote is not None
    assert (footnote.meaning, footnote.year) == (meaning, year)


def test_a_note_without_a_marker_defines_nothing() -> None:
    assert read_footnote("公共文化设施包括公共图书馆、文化馆。") is None


def test_applying_footnotes() -> None:
    average = read_footnote("带*为年度平均值")
    year = read_footnote("带**的为2019年数据")
    assert average is not None and year is not None
    assert apply_footnote(parse_target("1500*"), average).kind is K.ANNUAL_AVERAGE
    dated = apply_footnote(parse_target("77.3**"), year)
    assert (dated.kind, dated.value, dated.data_year) == (K.REACH, 77.3, 2019)
    # a qualitative cell is never turned into a number by a note
    assert apply_footnote(parse_target("应保尽保"), average).kind is K.FULL_COVERAGE


@pytest.mark.parametrize(
    ("baseline", "target", "polarity"),
    [
        ("【16.9】", "【12】", "higher"),  # a smaller five-year total is still an amount to deliver
        ("1800", "1500*", "higher"),  # an annual average once its note is applied
        ("<5.5", "<5.5", "lower"),
        ("85%", ">90%", "higher"),
        ("3.2", "2.8", "lower"),
        ("100", "100", None),
    ],
)
def test_polarity_inferred_from_the_cells(baseline: str, target: str, polarity: str | None) -> None:
    from minsheng.domain.indicators import infer_polarity
    from minsheng.domain.targets import Footnote

    target_cell = parse_target(target)
    if target_cell.marker:
        target_cell = apply_footnote(target_cell, Footnote("*", FootnoteMeaning.ANNUAL_AVERAGE))
    found = infer_polarity(parse_target(baseline), target_cell)
    assert (found.value if found else None) == polarity
