"""Validation of observation rows: one failing and one passing case per rule, row numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.domain.errors import ValidationReport
from minsheng.ingest.observations.workbook_validation import (
    IndicatorSpec,
    ObservationRow,
    ValidationContext,
    parse_number,
    parse_year,
    unit_factor,
    validate_observation_rows,
)
from minsheng.ingest.observations.workbooks import read_observation_rows

RATE = IndicatorSpec.for_unit("学前教育毛入园率", "%", aliases=("毛入园率",))
DOCTORS = IndicatorSpec.for_unit("每千人口执业(助理)医师数", "人")
JOBS = IndicatorSpec.for_unit("城镇新增就业人数", "万人")
GROWTH = IndicatorSpec.for_unit("居民人均可支配收入增长", "%")
REGIONS = {"110000": "110000", "北京市": "110000", "120000": "120000", "天津市": "120000"}


def ctx(
    existing: dict[tuple[str, str, int], float] | None = None,
    specs: tuple[IndicatorSpec, ...] = (RATE, DOCTORS, JOBS, GROWTH),
) -> ValidationContext:
    return ValidationContext(
        {s.name: s for s in specs}, dict(REGIONS), (2021, 2025), existing or {}
    )


def row(
    value: str,
    indicator: str = RATE.name,
    region: str = "110000",
    year: str | int = "2021",
    unit: str | None = None,
    n: int = 2,
) -> ObservationRow:
    return ObservationRow(n, None, indicator, region, year, value, unit)


def check(
    rows: list[ObservationRow], context: ValidationContext | None = None
) -> tuple[dict[tuple[str, str, int], float], ValidationReport]:
    observations, report = validate_observation_rows(rows, context or ctx())
    return {(o.indicator, o.region_code, o.year): o.value for o in observations}, report


def fields(report: ValidationReport, severity: str) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.field) for p in report.problems if p.severity == severity]


# ----------------------------------------------------------------- indicator and region


@pytest.mark.parametrize(
    ("indicator", "ok"),
    [
        (RATE.name, True),
        ("毛入园率", True),
        ("  学前教育毛入园率 ", True),
        ("每千人口执业（助理）医师数", True),
        ("每千人口执业(助理)医师数 (人)", True),
        ("学前教育毛入学率", False),
        ("完全不相干", False),
        ("", False),
    ],
)
def test_indicator_must_be_known(indicator: str, ok: bool) -> None:
    values, report = check([row("90" if "园" in indicator else "3", indicator)])
    assert report.ok is ok
    assert (
        (fields(report, "error") == []) if ok else (fields(report, "error") == [(2, "indicator")])
    )


def test_unknown_indicator_suggests_the_closest_name() -> None:
    _, report = check([row("90", "学前教育毛入学率")])
    assert RATE.name in report.errors[0].message


@pytest.mark.parametrize(
    ("region", "code"),
    [
        ("110000", "110000"),
        ("北京市", "110000"),
        ("110000.0", "110000"),
        (" 天津市 ", "120000"),
        ("北京", None),
        ("999999", None),
        ("", None),
    ],
)
def test_region_must_be_known(region: str, code: str | None) -> None:
    values, report = check([row("90", region=region)])
    if code:
        assert report.ok and list(values) == [(RATE.name, code, 2021)]
    else:
        assert fields(report, "error") == [(2, "region")] and values == {}


def test_unknown_region_name_suggests_one() -> None:
    _, report = check([row("90", region="北京")])
    assert "北京市" in report.errors[0].message


# ----------------------------------------------------------------- years


@pytest.mark.parametrize(
    ("year", "ok"),
    [
        ("2021", True),
        (2025, True),
        ("2023年", True),
        ("２０２２", True),
        ("2020", False),
        (2026, False),
        ("明年", False),
        ("20.5", False),
    ],
)
def test_year_within_the_plan(year: str | int, ok: bool) -> None:
    _, report = check([row("90", year=year)])
    assert report.ok is ok
    if not ok:
        assert fields(report, "error") == [(2, "year")]


@pytest.mark.parametrize(
    ("raw", "year"), [(2021, 2021), (2021.0, 2021), ("2021 年", 2021), (True, None)]
)
def test_parse_year(raw: object, year: int | None) -> None:
    assert parse_year(raw) == year  # type: ignore[arg-type]


# ----------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234", 1234.0),
        ("1,234,567.5", 1234567.5),
        ("１２３．５", 123.5),
        ("−3.5", -3.5),
        ("  42 ", 42.0),
        ("1e3", 1000.0),
        ("+7", 7.0),
        (".5", 0.5),
    ],
)
def test_numbers_people_type_are_read(text: str, value: float) -> None:
    parsed = parse_number(text)
    assert parsed.error is None and parsed.value == value


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12,34", "nan", "inf", "1e999", "90 %%", "约90"])
def test_non_numbers_are_errors(text: str) -> None:
    _, report = check([row(text, DOCTORS.name)])
    assert fields(report, "error") == [(2, "value")]


@pytest.mark.parametrize("text", ["—", "-", "N/A", "无", "…"])
def test_placeholders_are_skipped_with_a_warning(text: str) -> None:
    values, report = check([row(text)])
    assert report.ok and values == {} and fields(report, "warning") == [(2, "value")]


def test_empty_value_is_skipped_silently() -> None:
    values, report = check([row("  ")])
    assert report.problems == [] and values == {}


@pytest.mark.parametrize(
    ("indicator", "text", "ok", "value"),
    [
        (RATE.name, "96%", True, 96.0),
        (RATE.name, "96％", True, 96.0),
        (RATE.name, "0.5%", True, 0.5),
        (DOCTORS.name, "96%", False, None),
    ],
)
def test_percent_sign_only_for_percent_indicators(
    indicator: str, text: str, ok: bool, value: float | None
) -> None:
    values, report = check([row(text, indicator)])
    assert report.ok is ok
    assert list(values.values()) == ([value] if ok else [])


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_parse_number_reads_python_text_back(x: float) -> None:
    assert parse_number(repr(x)).value == x
    assert parse_number(f"{x:,.2f}").value == pytest.approx(round(x, 2), rel=1e-12)


# ----------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("given", "wanted", "factor"),
    [
        ("万人", "人", 1e4),
        ("人", "万人", 1e-4),
        ("亿元", "万元", 1e4),
        ("千米", "米", 1e3),
        ("百分比", "%", 1.0),
        ("％", "%", 1.0),
        (None, "人", 1.0),
        ("人", "个", None),
        ("‰", "%", None),
        ("万人次", "万人", None),
    ],
)
def test_unit_factor(given: str | None, wanted: str, factor: float | None) -> None:
    assert unit_factor(given, wanted) == factor


def test_convertible_unit_is_converted_with_one_warning() -> None:
    rows = [
        row("2.5", JOBS.name, unit="人", n=5),
        row("30000", JOBS.name, "120000", unit="人", n=6),
    ]
    values, report = check(rows)
    assert report.ok and fields(report, "warning") == [(5, "unit")]
    assert values == {
        (JOBS.name, "110000", 2021): pytest.approx(2.5e-4),
        (JOBS.name, "120000", 2021): pytest.approx(3.0),
    }


@pytest.mark.parametrize(
    ("unit", "ok"), [("万人", True), (None, True), ("", True), ("个", False), ("万人次", False)]
)
def test_unit_must_match_or_convert(unit: str | None, ok: bool) -> None:
    values, report = check([row("12", JOBS.name, unit=unit)])
    assert report.ok is ok
    assert values == ({(JOBS.name, "110000", 2021): 12.0} if ok else {})
    if not ok:
        assert fields(report, "error") == [(2, "unit")]


# ----------------------------------------------------------------- shares for percentages


@pytest.mark.parametrize(
    ("values", "existing", "ok"),
    [
        (["0.95", "0.97"], {}, False),  # bounds 0..100: looks like shares
        (["0.95", "0.97"], {(RATE.name, "110000", 2020): 93.0}, False),
        (["0.95", "0.97"], {(RATE.name, "110000", 2020): 0.9}, True),  # the rate really is small
        (["95", "0.97"], {}, True),  # mixed: not every value is a share
        (["0.95%", "0.97%"], {}, True),  # the % sign says what is meant
        (["0", "0"], {}, True),  # zero is zero either way
        (["95", "97"], {}, True),
    ],
)
def test_share_given_for_a_percentage(values: list[str], existing: dict, ok: bool) -> None:
    rows = [
        row(v, region=r, n=i + 2)
        for i, (v, r) in enumerate(zip(values, ["110000", "120000"], strict=True))
    ]
    _, report = check(rows, ctx(existing))
    assert report.ok is ok
    if not ok:
        assert fields(report, "error") == [(2, "value")] and "100" in report.errors[0].message


def test_baseline_on_the_spec_decides_a_share() -> None:
    small = IndicatorSpec("低比例指标", "%", True, lower=0, upper=100, baseline=0.4)
    _, report = check([row("0.5", small.name)], ctx(specs=(small,)))
    assert report.ok


# ----------------------------------------------------------------- duplicates


@pytest.mark.parametrize(
    ("second", "severity"), [("90", "warning"), ("90.0", "warning"), ("91", "error")]
)
def test_duplicates(second: str, severity: str) -> None:
    values, report = check([row("90", n=2), row(second, region="北京市", n=7)])
    assert fields(report, severity) == [(7, "value")]
    assert len(report.problems) == 1
    assert values == {(RATE.name, "110000", 2021): 90.0}


def test_same_key_in_other_years_is_not_a_duplicate() -> None:
    values, report = check([row("90", year=2021), row("91", year=2022, n=3)])
    assert report.problems == [] and len(values) == 2


# ----------------------------------------------------------------- impossible values (errors)

SHARE = IndicatorSpec.for_unit("养老机构护理型床位占比", "%")
COVERAGE = IndicatorSpec.for_unit("基本养老保险参保率", "%")
ELDERLY_SHARE = IndicatorSpec.for_unit("养老机构护理型床位占比", None)  # a plan row with no unit
AREA = IndicatorSpec.for_unit("人均体育场地面积", "平方米")
FALL = IndicatorSpec.for_unit("孕产妇死亡率下降", "%")


@pytest.mark.parametrize(
    ("spec", "value", "refused"),
    [
        (SHARE, "-5", True),  # a share cannot be negative
        (SHARE, "0", False),
        (SHARE, "100.5", True),  # a share of a whole cannot pass it
        (SHARE, "100", False),
        (COVERAGE, "-5", True),  # nor can a rate
        (
            COVERAGE,
            "100.5",
            False,
        ),  # but a rate may pass 100 (a warning where the catalogue bounds it)
        (ELDERLY_SHARE, "-0.5", True),
        (ELDERLY_SHARE, "101", False),  # no % given: no upper limit is known
        (RATE, "-1", True),
        (RATE, "104.3", False),  # a gross ratio counts pupils of any age: it may pass 100
        (DOCTORS, "-0.1", True),  # a per-capita number
        (DOCTORS, "0", False),
        (JOBS, "-2", True),  # a count (新增: new jobs, not a net change)
        (AREA, "-1", True),
        (GROWTH, "-3.5", False),  # a change may be negative, and large
        (GROWTH, "150", False),
        (FALL, "-2", False),
    ],
)
def test_values_the_indicator_cannot_take_are_refused_with_their_row(
    spec: IndicatorSpec, value: str, refused: bool
) -> None:
    values, report = check([row(value, spec.name, n=7)], ctx(specs=(spec,)))
    assert fields(report, "error") == ([(7, "value")] if refused else [])
    assert report.ok is not refused and len(values) == 1  # the caller stores nothing unless ok
    if refused:
        problem = report.errors[0]
        assert value in problem.message and problem.message_zh and value in problem.message_zh
        assert str(problem).startswith("row 7, value: ")


def test_the_catalogue_bounds_do_not_widen_what_is_possible() -> None:
    """A catalogue row with bounds (or none, as an old database's) refuses −5 all the same."""
    for lower, upper in [(None, None), (-10.0, 200.0)]:
        spec = IndicatorSpec.for_unit(SHARE.name, "%")
        spec.lower, spec.upper = lower, upper
        _, report = check([row("-5", spec.name)], ctx(specs=(spec,)))
        assert fields(report, "error") == [(2, "value")]


# ----------------------------------------------------------------- implausible values (warnings)


@pytest.mark.parametrize(
    ("spec", "value", "warned"),
    [
        (IndicatorSpec("有界指标", "岁", False, lower=60, upper=90), "95", True),
        (IndicatorSpec("有界指标", "岁", False, lower=60, upper=90), "78", False),
        (IndicatorSpec("有界指标", "岁", False, lower=60, upper=90), "50", True),
    ],
)
def test_values_outside_plausible_bounds_warn(
    spec: IndicatorSpec, value: str, warned: bool
) -> None:
    values, report = check([row(value, spec.name)], ctx(specs=(spec,)))
    assert report.ok and len(values) == 1
    assert fields(report, "warning") == ([(2, "value")] if warned else [])


@pytest.mark.parametrize(
    ("before", "after", "warned"),
    [
        ("3", "30", True),
        ("3", "29", False),
        ("30", "3", True),
        ("30", "3.1", False),
        ("0", "30", False),
    ],
)
def test_jump_within_the_file_warns(before: str, after: str, warned: bool) -> None:
    rows = [row(before, DOCTORS.name, year=2021, n=2), row(after, DOCTORS.name, year=2022, n=3)]
    _, report = check(rows)
    assert report.ok
    assert fields(report, "warning") == ([(3, "value")] if warned else [])


@pytest.mark.parametrize(("stored", "warned"), [(3.0, True), (20.0, False)])
def test_jump_against_the_store_warns(stored: float, warned: bool) -> None:
    existing = {(DOCTORS.name, "110000", 2021): stored}
    _, report = check([row("30", DOCTORS.name, year=2022)], ctx(existing))
    assert report.ok and fields(report, "warning") == ([(2, "value")] if warned else [])


@pytest.mark.parametrize(
    ("stored_next", "in_file_next", "warnings"),
    [
        (300.0, None, [(2, "value")]),  # correcting 2022 below a stored 2023
        (35.0, None, []),
        (300.0, "31", []),  # the file's own 2023 value is the neighbour
    ],
)
def test_jump_against_the_following_stored_year(
    stored_next: float, in_file_next: str | None, warnings: list
) -> None:
    existing = {(DOCTORS.name, "110000", 2023): stored_next}
    rows = [row("30", DOCTORS.name, year=2022)]
    if in_file_next:
        rows.append(row(in_file_next, DOCTORS.name, year=2023, n=3))
    _, report = check(rows, ctx(existing))
    assert report.ok and fields(report, "warning") == warnings


def test_max_jump_is_a_setting() -> None:
    context = ctx({(DOCTORS.name, "110000", 2021): 10.0})
    context.max_jump = 2.0
    _, report = check([row("25", DOCTORS.name, year=2022)], context)
    assert fields(report, "warning") == [(2, "value")]


# ----------------------------------------------------------------- observations and row numbers


def test_observations_carry_everything() -> None:
    r = ObservationRow(4, "2021", RATE.name, "北京市", "2021", "1,00", "%", " 公报 ", "", "C4")
    r = ObservationRow(4, "2021", RATE.name, "北京市", "2021", "95.5", "%", " 公报 ", "", "C4")
    [obs], report = validate_observation_rows([r], ctx())
    assert report.problems == []
    assert (
        obs.indicator,
        obs.region_code,
        obs.year,
        obs.value,
        obs.unit,
        obs.source,
        obs.note,
    ) == (RATE.name, "110000", 2021, 95.5, "%", "公报", None)


def test_problem_rows_match_the_csv_as_a_spreadsheet_shows_it(tmp_path: Path) -> None:
    path = tmp_path / "obs.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["指标", "地区", "年份", "数值", "单位"],
                [RATE.name, "北京市", "2021", "90", "%"],
                [],
                [RATE.name, "天津市", "2021", "九十", "%"],
                ["学前教育毛入学率", "天津市", "2022", "90", "%"],
                [RATE.name, "上海市", "2022", "90", "%"],
                [JOBS.name, "北京市", "2030", "20", "万人"],
            ]
        )
    _, report = validate_observation_rows(read_observation_rows(path), ctx())
    assert fields(report, "error") == [(4, "value"), (5, "indicator"), (6, "region"), (7, "year")]


def test_problem_rows_and_cells_match_the_wide_workbook(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2022"
    for r in [
        ["代码", "地区", RATE.name, DOCTORS.name],
        ["单位", None, "%", "人"],
        ["110000", "北京市", 90, 3.1],
        ["120000", "天津市", -5, "三"],
    ]:
        ws.append(r)
    path = tmp_path / "wide.xlsx"
    book.save(path)
    _, report = validate_observation_rows(read_observation_rows(path), ctx())
    # the field is the column the user sees over the cell: the indicator, not a "value" column
    assert fields(report, "error") == [(4, DOCTORS.name), (4, RATE.name)]
    assert "D4" in report.errors[0].message and "C4" in report.errors[1].message


def test_a_workbooks_problems_come_sheet_by_sheet_in_its_order_then_by_row(
    tmp_path: Path,
) -> None:
    """Checks across rows (an impossible value) find their problems after the row-by-row
    checks; listed as found, the two sheets interleaved. The 2022 sheet comes first in the
    workbook, so its problems come first: the workbook's order, not the names'."""
    book = openpyxl.Workbook()
    sheets = {"2022": book.active, "2021": book.create_sheet()}
    sheets["2022"].title = "2022"
    sheets["2021"].title = "2021"
    cells = {
        "2022": [["110000", -5, 3.1], ["120000", "abc", 2.6]],  # row 3: found late; row 4: early
        "2021": [["999999", 90, None], ["120000", 95, -1]],  # row 3: early; row 4: late
    }
    for name, ws in sheets.items():
        ws.append(["行政区划代码", RATE.name, DOCTORS.name])
        ws.append(["单位", "%", "人"])
        for r in cells[name]:
            ws.append(r)
    path = tmp_path / "two-years.xlsx"
    book.save(path)
    _, report = validate_observation_rows(read_observation_rows(path), ctx())
    assert [(p.sheet, p.row) for p in report.errors] == [
        ("2022", 3), ("2022", 4), ("2021", 3), ("2021", 4)
    ]  # fmt: skip
    # the wording is as before: each message names its sheet and cell
    assert [p.message.split(":")[0] for p in report.errors] == [
        "sheet 2022, B3", "sheet 2022, B4", "sheet 2021, B3", "sheet 2021, C4"
    ]  # fmt: skip


def test_a_csv_files_problems_come_by_row(tmp_path: Path) -> None:
    path = tmp_path / "obs.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["指标", "地区", "年份", "数值"],
                [RATE.name, "110000", "2021", "-5"],  # found by a later check
                [RATE.name, "120000", "2021", "abc"],  # found row by row
            ]
        )
    _, report = validate_observation_rows(read_observation_rows(path), ctx())
    assert [(p.sheet, p.row) for p in report.errors] == [(None, 2), (None, 3)]


def test_messages_name_sheet_and_cell_but_do_not_repeat_the_row() -> None:
    long = ObservationRow(9, None, RATE.name, "110000", "2021", "abc")
    wide = ObservationRow(9, "2021", RATE.name, "110000", "2021", "abc", cell="E9")
    _, report = validate_observation_rows([long, wide], ctx())
    assert [str(p) for p in report.errors] == [
        "row 9, value: 'abc' is not a number",
        f"row 9, {RATE.name}: sheet 2021, E9: 'abc' is not a number",
    ]


# ----------------------------------------------------------------- real national statistics

CATALOGUE = Path(__file__).resolve().parents[3] / "src" / "minsheng" / "data" / "catalogue.csv"


def test_real_national_statistics_through_reader_and_validator(
    tmp_path: Path, shared_dir: Path
) -> None:
    NATIONAL = shared_dir / "data" / "national_observations.csv"  # noqa: N806
    from minsheng.domain.errors import InvalidData

    with pytest.raises(InvalidData, match="region") as err:  # the file has no region column
        read_observation_rows(NATIONAL)
    assert NATIONAL.name in err.value.message

    with NATIONAL.open(encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    with_region = tmp_path / "national.csv"
    with with_region.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([[*table[0], "地区"], *([*r, "100000"] for r in table[1:])])
    with CATALOGUE.open(encoding="utf-8") as fh:
        specs = [
            IndicatorSpec.for_unit(
                r["name"], r["unit"], tuple(filter(None, r["aliases"].split("|")))
            )
            for r in csv.DictReader(fh)
        ]
    context = ValidationContext({s.name: s for s in specs}, {"100000": "100000"}, (2019, 2025))

    rows = read_observation_rows(with_region)
    observations, report = validate_observation_rows(rows, context)
    assert [r.row for r in rows] == list(range(2, len(table) + 1))
    names = {s.name for s in specs}
    for p in report.errors:
        assert 2 <= (p.row or 0) <= len(table)
        if p.field == "indicator" and "did you mean" in p.message:
            assert p.message.split("did you mean ")[1].strip("'?") in names
    # every row without an error gives the number typed there, in the catalogue's unit
    canonical = {a: s for s in specs for a in (s.name, *s.aliases)}
    problem_rows = {p.row for p in report.errors}
    expected = {}
    for r in rows:
        if r.row not in problem_rows:
            spec = canonical[r.indicator]
            cell = parse_number(r.value)  # a bound (">95") keeps its sign
            assert cell.value is not None
            expected[(spec.name, int(r.year))] = (
                cell.value * unit_factor(r.unit, spec.unit),
                cell.bound,
            )
    assert {(o.indicator, o.year): (o.value, o.bound) for o in observations} == expected
    assert any(o.bound for o in observations)  # the national file reports some bounds


# ----------------------------------------------------------------- a code and a name beside it


def test_a_region_name_that_contradicts_its_code_is_refused_with_its_row(tmp_path: Path) -> None:
    """A template row copied and its name changed but not its code named another region:
    the value went to the code's region in silence."""
    from minsheng.names import shipped_region_index

    path = tmp_path / "obs.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["indicator", "unit", "region_code", "region", "year", "value"],
                [RATE.name, "%", "520303", "汇川区", "2021", "90"],
                [RATE.name, "%", "520303", "遵义市汇川区", "2022", "91"],
                [RATE.name, "%", "520303", "红花岗区", "2023", "92"],
                [RATE.name, "%", "520302", "", "2023", "93"],  # a code alone is enough
            ]
        )
    context = ValidationContext({RATE.name: RATE}, shipped_region_index(), (2021, 2025), {})
    values, report = check(read_observation_rows(path), context)
    assert fields(report, "error") == [(4, "region")]
    message = report.errors[0].message
    assert "520303" in message and "红花岗区" in message
    assert "红花岗区" in (report.errors[0].message_zh or "")
    # the rows that agree are read to the code's region; the refused one nowhere
    assert values == {
        (RATE.name, "520303", 2021): 90,
        (RATE.name, "520303", 2022): 91,
        (RATE.name, "520302", 2023): 93,
    }


def test_a_long_sheets_message_names_its_sheet_not_its_row_again() -> None:
    """第3行 年份：工作表 数据，第3行：… — the row came twice on the upload page."""
    long = ObservationRow(3, "数据", RATE.name, "110000", "2O23", "90")
    _, report = validate_observation_rows([long], ctx())
    (problem,) = report.errors
    assert str(problem) == "row 3, year: sheet 数据: '2O23' is not a year"
    assert (problem.message_zh or "").startswith("工作表 数据：")
