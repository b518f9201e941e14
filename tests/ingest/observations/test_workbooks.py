"""Reading and writing observation workbooks: layouts, headers, row numbers, round trips."""

from __future__ import annotations

import contextlib
import csv
import string
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minsheng.domain.errors import InvalidData, MinshengError, NotFound
from minsheng.ingest.observations.workbooks import (
    IndicatorSpec,
    ValidationContext,
    header_role,
    read_observation_rows,
    validate_observation_rows,
    write_template,
)
from minsheng.ingest.spreadsheets import cell_text

SPECS = [
    IndicatorSpec.for_unit("每千人口执业(助理)医师数", "人"),
    IndicatorSpec.for_unit("学前教育毛入园率", "%"),
    IndicatorSpec.for_unit("城镇新增就业人数", "万人"),
]
REGIONS = [("110000", "北京市"), ("120000", "天津市"), ("130000", "河北省")]
YEARS = [2021, 2022]


def context() -> ValidationContext:
    regions = {code: code for code, _ in REGIONS} | {name: code for code, name in REGIONS}
    return ValidationContext({s.name: s for s in SPECS}, regions, (2021, 2025))


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for r in rows:
            ws.append(r)
    book.save(path)
    return path


# ----------------------------------------------------------------- headers and cells


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("指标", "indicator"),
        ("Indicator", "indicator"),
        ("  INDICATOR ", "indicator"),
        ("地区", "region"),
        ("行政区划代码", "region_code"),
        ("region code", "region_code"),
        ("年份", "year"),
        ("Year", "year"),
        ("数值", "value"),
        ("值", "value"),
        ("value", "value"),
        ("单位", "unit"),
        ("来源", "source"),
        ("备注", "note"),
        ("指标 / indicator", "indicator"),
        ("年份 year", "year"),
        ("ｙｅａｒ", "year"),
        ("每千人口执业(助理)医师数", None),
        ("单位GDP能耗", None),
        ("地区 / year", None),
        (None, None),
    ],
)
def test_header_roles(text: str | None, role: str | None) -> None:
    assert header_role(text) == role


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (95, None, "95"),
        (95.0, None, "95"),
        (95.5, None, "95.5"),
        (0.96, "0%", "96%"),
        (0.075, "0.0%", "7.5%"),
        (None, None, ""),
        ("  甲 ", None, "甲"),
        (1e-7, None, "1e-07"),
    ],
)
def test_cell_text(value: object, fmt: str | None, text: str) -> None:
    assert cell_text(value, fmt) == text


# ----------------------------------------------------------------- long layout


@pytest.mark.parametrize(
    "header",
    [
        ["indicator", "region", "year", "value", "unit", "source", "note"],
        ["指标", "地区", "年份", "数值", "单位", "来源", "备注"],
        [" Indicator ", "REGION", "Year", "Value", "Unit", "Source", "Note"],
        ["指标", "行政区划代码", "年份", "值", "单位", "来源", "备注"],
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_long_csv_headers_and_encodings(tmp_path: Path, header: list[str], encoding: str) -> None:
    path = write_csv(
        tmp_path / "obs.csv",
        [
            header,
            ["学前教育毛入园率", "北京市", "2021", "90.5", "%", "统计公报", ""],
            ["学前教育毛入园率", "天津市", "2021", "", "%", "", ""],
            ["每千人口执业(助理)医师数", "110000", "2022", "3.2", "人", "", "估计"],
        ],
        encoding,
    )
    rows = read_observation_rows(path)
    assert [(r.row, r.indicator, r.region, r.year, r.value) for r in rows] == [
        (2, "学前教育毛入园率", "北京市", "2021", "90.5"),
        (4, "每千人口执业(助理)医师数", "110000", "2022", "3.2"),
    ]
    assert rows[0].source == "统计公报" and rows[0].note is None and rows[1].note == "估计"
    assert rows[0].unit == "%" and rows[0].sheet is None and rows[0].cell is None


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_follows_the_header(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "obs.csv"
    path.write_text(
        delimiter.join(["指标", "地区", "年份", "数值", "备注"])
        + "\n"
        + delimiter.join(["学前教育毛入园率", "北京市", "2021", "90", '"a, b; c"'])
        + "\n",
        encoding="utf-8",
    )
    [row] = read_observation_rows(path)
    assert (row.value, row.note) == ("90", "a, b; c")


def test_csv_row_numbers_count_records_not_lines(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "obs.csv",
        [
            ["indicator", "region", "year", "value", "note"],
            ["学前教育毛入园率", "北京市", "2021", "90", "two\nlines"],
            [],
            ["学前教育毛入园率", "天津市", "2021", "91", ""],
        ],
    )
    assert [r.row for r in read_observation_rows(path)] == [2, 4]


def test_long_sheet_in_xlsx_with_title_rows_and_gaps(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "obs.xlsx",
        {
            "data": [
                ["某市民生指标监测"],
                [],
                ["指标", "地区", "年份", "数值"],
                ["学前教育毛入园率", "北京市", 2021, 90.5],
                [None, None, None, None],
                ["学前教育毛入园率", "天津市", 2021, 91],
            ]
        },
    )
    rows = read_observation_rows(path)
    assert [(r.row, r.year, r.value, r.sheet) for r in rows] == [
        (4, "2021", "90.5", "data"),
        (6, "2021", "91", "data"),
    ]


def test_rows_beyond_a_wrong_recorded_range_are_read(tmp_path: Path) -> None:
    import re
    import zipfile

    good = write_xlsx(
        tmp_path / "good.xlsx",
        {
            "data": [
                ["indicator", "region", "year", "value"],
                *[["学前教育毛入园率", "北京市", y, 90] for y in YEARS],
            ]
        },
    )
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            dst.writestr(item, data)
    assert [r.row for r in read_observation_rows(bad)] == [2, 3]


def test_percent_formatted_cell_reads_as_percent_text(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "obs.xlsx",
        {
            "data": [
                ["indicator", "region", "year", "value"],
                ["学前教育毛入园率", "北京市", 2021, 0.96],
            ]
        },
    )
    book = openpyxl.load_workbook(path)
    book["data"]["D2"].number_format = "0%"
    book.save(path)
    [row] = read_observation_rows(path)
    assert row.value == "96%"
    observations, report = validate_observation_rows([row], context())
    assert report.ok and observations[0].value == 96


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["指标", "地区", "数值"], "year"),
        (["indicator", "year", "value"], "region"),
        (["indicator", "region", "year"], "value"),
        (["region", "year", "value"], "indicator"),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_missing_column_names_column_and_file(
    tmp_path: Path, header: list[str], missing: str, suffix: str
) -> None:
    rows = [header, ["x"] * len(header)]
    path = (
        write_csv(tmp_path / "bad.csv", rows)
        if suffix == ".csv"
        else write_xlsx(tmp_path / "bad.xlsx", {"Sheet1": rows})
    )
    with pytest.raises(InvalidData) as err:
        read_observation_rows(path)
    assert path.name in err.value.message and missing in err.value.message
    assert [p.field for p in err.value.problems] == [missing]


def test_present_columns_are_not_reported_missing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", [["indicator", "region", "year", "value"]])
    assert read_observation_rows(path) == []


# ----------------------------------------------------------------- wide layout


def test_wide_sheets_give_cell_addresses_and_skip_empty_cells(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "wide.xlsx",
        {
            "说明": [["随便写点什么", "指标"]],
            "2021": [
                ["代码", "地区", "学前教育毛入园率", "城镇新增就业人数"],
                ["单位", None, "%", "万人"],
                ["110000", "北京市", 90, None],
                [None, "天津市", None, 25.5],
            ],
            "2022年": [["region", "学前教育毛入园率"], ["北京市", "—"]],
        },
    )
    rows = read_observation_rows(path)
    assert [
        (r.sheet, r.row, r.cell, r.region, r.indicator, r.year, r.value, r.unit) for r in rows
    ] == [
        ("2021", 3, "C3", "110000", "学前教育毛入园率", "2021", "90", "%"),
        ("2021", 4, "D4", "天津市", "城镇新增就业人数", "2021", "25.5", "万人"),
        ("2022年", 2, "B2", "北京市", "学前教育毛入园率", "2022", "—", None),
    ]


def test_year_sheet_without_region_column_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "wide.xlsx", {"2021": [["foo", "bar"], ["1", "2"]]})
    with pytest.raises(InvalidData, match="region"):
        read_observation_rows(path)


def test_workbook_without_data_sheet_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "none.xlsx", {"notes": [["hello"], ["world"]]})
    with pytest.raises(InvalidData, match="no data sheet"):
        read_observation_rows(path)


# ----------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("garbage.xlsx", b"this is not a zip file"),
        ("truncated.xlsx", b"PK\x03\x04\x14\x00\x00\x00"),
        ("binary.csv", b"\x00\x01\x02\xff\xfe"),
        ("data.xls", b"\xd0\xcf\x11\xe0"),
        ("data.json", b"{}"),
        ("noext", b"indicator,region"),
    ],
)
def test_bad_files_raise_invalid_data(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidData):
        read_observation_rows(path)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InvalidData):
        read_observation_rows(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        read_observation_rows(tmp_path / "nope.csv")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300), st.sampled_from([".csv", ".xlsx"]))
def test_no_bytes_crash_the_reader(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    with contextlib.suppress(MinshengError):
        read_observation_rows(path)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(
            st.text(alphabet=string.printable + "指标地区年份数值—％", max_size=8), max_size=6
        ),
        max_size=6,
    )
)
def test_no_csv_text_crashes_the_reader(tmp_path: Path, table: list[list[str]]) -> None:
    path = write_csv(tmp_path / "fuzz.csv", table)
    with contextlib.suppress(MinshengError):
        read_observation_rows(path)


# ----------------------------------------------------------------- templates


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_template_is_prefilled_and_styled(tmp_path: Path, layout: str) -> None:
    path = write_template(tmp_path / "t.xlsx", "测试规划", SPECS, REGIONS, YEARS, layout)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "说明 README"
    assert "测试规划" in book.worksheets[0]["A1"].value
    data = book.worksheets[1:]
    assert [ws.title for ws in data] == (["2021", "2022"] if layout == "wide" else ["数据 data"])
    for ws in data:
        assert ws.freeze_panes in {"C3", "A2"}
        assert ws["A1"].font.bold
        assert [dv.type for dv in ws.data_validations.dataValidation] == ["decimal"]
        texts = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
        assert {s.name for s in SPECS} <= texts and {n for _, n in REGIONS} <= texts
        assert {"人", "%", "万人"} <= texts
    assert read_observation_rows(path) == []  # nothing filled in yet


def test_long_template_has_every_combination(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", "t", SPECS, REGIONS, YEARS, "long")
    ws = openpyxl.load_workbook(path)["数据 data"]
    keys = {(r[0], r[2], r[4]) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(keys) == ws.max_row - 1 == len(SPECS) * len(REGIONS) * len(YEARS)


def test_unknown_layout_and_suffix(tmp_path: Path) -> None:
    with pytest.raises(InvalidData):
        write_template(tmp_path / "t.xlsx", "t", SPECS, REGIONS, YEARS, "tall")
    with pytest.raises(InvalidData):
        write_template(tmp_path / "t.ods", "t", SPECS, REGIONS, YEARS)


def fill(path: Path, values: dict[tuple[str, str, int], float], layout: str) -> None:
    """Type values into a template the way a person would: only into value cells."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            table = list(csv.reader(fh))
        for r in table[1:]:
            key = (r[0], r[2], int(r[4]))
            r[5] = repr(values[key]) if key in values else ""
        write_csv(path, table, "utf-8-sig")
        return
    book = openpyxl.load_workbook(path)
    if layout == "long":
        ws = book["数据 data"]
        for row in ws.iter_rows(min_row=2):
            key = (row[0].value, row[2].value, row[4].value)
            if key in values:
                row[5].value = values[key]
    else:
        for (name, code, year), v in values.items():
            ws = book[str(year)]
            col = [c.value for c in ws[1]].index(name) + 1
            row = [c.value for c in ws["A"]].index(code) + 1
            ws.cell(row=row, column=col, value=v)
    book.save(path)


@pytest.mark.parametrize(
    ("suffix", "layout"), [(".xlsx", "wide"), (".xlsx", "long"), (".csv", "long")]
)
def test_round_trip_gives_exactly_the_values_filled_in(
    tmp_path: Path, suffix: str, layout: str
) -> None:
    path = write_template(tmp_path / f"t{suffix}", "t", SPECS, REGIONS, YEARS, layout)
    values = {
        (s.name, code, y): round(10 + i * 1.37 + j * 0.5 + k, 2)
        for i, s in enumerate(SPECS)
        for j, (code, _) in enumerate(REGIONS)
        for k, y in enumerate(YEARS)
        if (i + j + k) % 4
    }
    fill(path, values, layout)
    observations, report = validate_observation_rows(read_observation_rows(path), context())
    assert report.problems == []
    assert {(o.indicator, o.region_code, o.year): o.value for o in observations} == values
    assert all(o.unit == next(s.unit for s in SPECS if s.name == o.indicator) for o in observations)


# A spreadsheet cell holds 15 significant digits (openpyxl writes 16), so that is what a
# person can type; within it every number must come back unchanged.
numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False),
).map(lambda x: x if isinstance(x, int) else float(f"{x:.15g}"))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=numbers, layout=st.sampled_from(["wide", "long"]))
def test_any_number_in_a_template_cell_reads_back_equal(
    tmp_path: Path, value: float, layout: str
) -> None:
    # a change (变化) may take any sign: a count's negative value would be refused, not misread
    spec = IndicatorSpec("测试指标变化", "个", False, lower=None, upper=None)
    path = write_template(tmp_path / "t.xlsx", "t", [spec], REGIONS[:1], [2021], layout)
    book = openpyxl.load_workbook(path)
    book.worksheets[1]["C3" if layout == "wide" else "F2"] = value
    book.save(path)
    [row] = read_observation_rows(path)
    assert float(row.value) == value
    ctx = ValidationContext({spec.name: spec}, {"110000": "110000"}, (2021, 2021))
    observations, report = validate_observation_rows([row], ctx)
    assert report.ok and observations[0].value == value
