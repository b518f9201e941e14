"""Property: an observation file is accepted by every door or by none, and every door reads
the same values from it — import (stored), file-mode evaluation and the demo's statistics.

Files are generated over the encodings (UTF-8, UTF-8 with BOM, GB18030; XLSX), the long
and wide layouts, number spellings (full-width, thousands separators quoted or not, ``%``),
years (``2023``, ``2023年``), missing markers and bounds (``>95``, ``≥95``, ``95以上``, ``<5``).
Two rules that need a plan's units are kept out of the generated files because only import
knows the units: a ``%`` on a count, and a rate given entirely as shares (all ≤ 1).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minsheng.domain.errors import InvalidData
from minsheng.ingest.observations.cells import parse_number
from minsheng.services.demo_data import read_statistics
from minsheng.services.evaluation_files import read_observations_csv
from minsheng.services.observations import CATALOGUE, history, import_observations

RATE, COUNT = "学前教育毛入园率", "每千人口拥有3岁以下婴幼儿托位数"
CODES = {RATE: "ED01", COUNT: "CH01"}
REGIONS = {"500118": ["500118", "永川区", "永川", "永川區", "重庆市永川区"],
           "510000": ["510000", "四川省", "四川", "５１００００"]}  # fmt: skip
FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


@st.composite
def cells(draw: st.DrawFn, indicator: str) -> str:
    """A value cell: a number in one of its spellings, a bound, a missing marker or junk."""
    value = draw(st.decimals(min_value=2, max_value=99 if indicator == RATE else 9999, places=1))
    text = f"{value:f}"
    kind = draw(st.sampled_from(["plain", "full", "percent", "grouped", "bound", "missing", "bad"]))
    if kind == "full":
        return text.translate(FULL)
    if kind == "percent":
        return text + "%" if indicator == RATE else text
    if kind == "grouped":
        return f"{int(value) + 1000:,}" if indicator == COUNT else text
    if kind == "bound":
        sign = draw(
            st.sampled_from([">{}", "≥{}", ">={}", "<{}", "≤{}", "{}以上", "{}以下", "不低于{}"])
        )
        return sign.format(text)
    if kind == "missing":
        return draw(st.sampled_from(["—", "-", "－", "N/A"]))
    if kind == "bad":
        return draw(st.sampled_from(["abc", "1,23", "9.5.1", "约95"]))
    return text


@st.composite
def files(draw: st.DrawFn) -> dict:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from([RATE, COUNT]), st.sampled_from(sorted(REGIONS)),
                      st.integers(2021, 2025)),
            min_size=1, max_size=6, unique=True,
        )
    )  # fmt: skip
    rows = []
    for indicator, code, year in keys:
        year_text = draw(st.sampled_from([str(year), f"{year}年", str(year).translate(FULL)]))
        rows.append((indicator, draw(st.sampled_from(REGIONS[code])), year_text,
                     draw(cells(indicator)), code, year))  # fmt: skip
    form = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "unquoted", "xlsx", "wide"]))
    return {"rows": rows, "form": form}


def write(spec: dict, folder: Path) -> Path:
    rows, form = spec["rows"], spec["form"]
    header = ["指标", "地区", "年份", "数值"]
    if form == "wide":
        book = openpyxl.Workbook()
        book.remove(book.active)
        by_year: dict[int, dict[str, dict[str, str]]] = {}
        for indicator, region, _, value, _code, year in rows:
            by_year.setdefault(year, {}).setdefault(region, {})[indicator] = value
        for year, regions in by_year.items():
            sheet = book.create_sheet(str(year))
            sheet.append(["地区", RATE, COUNT])
            for region, values in regions.items():
                sheet.append([region, values.get(RATE), values.get(COUNT)])
        path = folder / "obs.xlsx"
        book.save(path)
        return path
    if form == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(header)
        for indicator, region, year_text, value, *_ in rows:
            sheet.append([indicator, region, year_text, value])
        path = folder / "obs.xlsx"
        book.save(path)
        return path
    path = folder / "obs.csv"
    if form == "unquoted":  # what a hand-made CSV looks like: "1,234" splits the row
        text = "\n".join(",".join(r) for r in [header, *(r[:4] for r in rows)]) + "\n"
        path.write_text(text, encoding="utf-8")
        return path
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *(r[:4] for r in rows)])
    path.write_bytes(buffer.getvalue().encode(form))
    return path


def _expected_ok(spec: dict) -> bool:
    values = [r[3] for r in spec["rows"]]
    if any(parse_number(v).error for v in values):
        return False
    if all(parse_number(v).value is None for v in values):  # nothing to read: every door refuses
        return False
    return not (spec["form"] == "unquoted" and any("," in v for v in values))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=files())
def test_every_door_accepts_alike_and_reads_the_same_values(spec: dict, seeded_db, tmp_path_factory) -> None:  # fmt: skip
    path = write(spec, tmp_path_factory.mktemp("doors"))
    outcomes: dict[str, dict | None] = {}
    try:
        import_observations(seeded_db, path, "tester", plan=CATALOGUE)
        stored = {}
        for indicator, _, _, value, code, year in spec["rows"]:
            versions = history(seeded_db, CODES[indicator], code, year, plan=CATALOGUE)
            if parse_number(value).value is not None:
                stored[(indicator, code, year)] = (versions[-1].value, versions[-1].bound)
        outcomes["import"] = stored
    except InvalidData:
        outcomes["import"] = None
    try:
        frame, _ = read_observations_csv(path, [RATE, COUNT])
        outcomes["evaluate"] = {
            (r["indicator"], r["region"], r["year"]): (r["value"], r["bound"])
            for r in frame.iter_rows(named=True)
        }
    except InvalidData:
        outcomes["evaluate"] = None
    try:
        rows, _ = read_statistics(path)
        outcomes["demo"] = {(r.indicator, r.region, r.year): (r.value, r.bound) for r in rows}
    except InvalidData:
        outcomes["demo"] = None
    accepted = {door: result is not None for door, result in outcomes.items()}
    assert set(accepted.values()) == {_expected_ok(spec)}, (spec, outcomes)
    if _expected_ok(spec):
        assert outcomes["import"] == outcomes["evaluate"] == outcomes["demo"], spec
        for indicator, _, _, value, code, year in spec["rows"]:
            cell = parse_number(value)
            if cell.value is not None:  # the number typed, with its bound's sign
                stored_value, stored_bound = outcomes["import"][(indicator, code, year)]
                assert stored_value == pytest.approx(cell.value) and stored_bound == cell.bound
