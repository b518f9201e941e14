"""Point tables as county and bureau staff keep them: Chinese headings, GB18030 CSV from
Excel or WPS, and .xlsx workbooks — read to the same points as a plain UTF-8 CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from minsheng.domain.errors import InvalidData
from minsheng.ingest.spatial.facilities import read_costs, read_points

ROWS = [("A01", 106.551, 29.561, 3000), ("A02", 106.52, 29.55, 2000), ("A03", 106.49, 29.54, 1500)]


def _plain(tmp_path: Path) -> Path:
    path = tmp_path / "plain.csv"
    lines = ["id,lon,lat,population", *(f"{i},{x},{y},{p}" for i, x, y, p in ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _chinese_csv(tmp_path: Path, encoding: str) -> Path:
    path = tmp_path / f"zh_{encoding}.csv"
    lines = ["编号,名称,经度,纬度,常住人口", *(f"{i},社区{i},{x},{y},{p}" for i, x, y, p in ROWS)]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _workbook(tmp_path: Path, rows: list[tuple]) -> Path:
    path = tmp_path / "points.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["编号", "名称", "经度", "纬度", "常住人口"])
    for i, x, y, p in rows:
        sheet.append([i, f"社区{i}", x, y, p])
    book.save(path)
    return path


def _same(a, b) -> None:  # noqa: ANN001
    assert a.ids.tolist() == b.ids.tolist() and a.coords == b.coords == "lonlat"
    for name in ("a", "b", "value"):
        assert np.array_equal(getattr(a, name), getattr(b, name))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_chinese_headings_in_any_encoding_read_as_the_plain_file(tmp_path, encoding) -> None:  # noqa: ANN001
    _same(
        read_points(_chinese_csv(tmp_path, encoding), "population"),
        read_points(_plain(tmp_path), "population"),
    )


def test_a_workbook_reads_as_the_plain_file(tmp_path) -> None:  # noqa: ANN001
    _same(
        read_points(_workbook(tmp_path, ROWS), "population"),
        read_points(_plain(tmp_path), "population"),
    )


def test_a_bad_cell_in_a_workbook_is_named_by_its_excel_row(tmp_path) -> None:  # noqa: ANN001
    rows = [*ROWS, ("A04", 106.5, 29.5, "约三千")]
    with pytest.raises(InvalidData, match="row 5") as err:
        read_points(_workbook(tmp_path, rows), "population")
    assert err.value.problems[0].row == 5


def test_a_blank_line_does_not_shift_the_row_named(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "gap.csv"
    path.write_text("id,x,y,population\n1,0,0,10\n\n2,5,0,-3\n", encoding="utf-8")
    with pytest.raises(InvalidData, match="row 4"):
        read_points(path, "population")


def test_a_value_column_by_another_name_is_named_not_guessed(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "beds.csv"
    path.write_text("编号,经度,纬度,床位数\n1,106.5,29.5,120\n", encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        read_points(path, "capacity")
    assert "missing column 'capacity'" in err.value.message
    assert "床位数" in err.value.message and "容量" in err.value.message
    assert "床位数" in (err.value.message_zh or "")


def test_a_cost_table_from_a_workbook(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "costs.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["origin", "destination", "cost"])
    book.active.append(["A01", "F1", 12.5])
    book.active.append(["A02", "F1", 7])
    book.save(path)
    costs = read_costs(path)
    assert costs.origin.tolist() == ["A01", "A02"] and costs.cost.tolist() == [12.5, 7.0]
