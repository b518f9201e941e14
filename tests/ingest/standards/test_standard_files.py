"""Reading list files and cost tables: header spellings, encodings, row-numbered problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.ingest.standards.files import (
    read_cost_table,
    read_standard_items,
    write_list_template,
)


def test_english_headers_and_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(
        "Domain,Item,Who is served,Standard,Lead department\n学有所教,学前教育幼儿资助,在园幼儿,免费,教育局\n".encode(
            "gb18030"
        )
    )
    items, problems = read_standard_items(path)
    assert problems == []
    [(row, item)] = items
    assert (row, item.domain, item.item, item.served, item.standard, item.lead_department) == (
        2,
        "学有所教",
        "学前教育幼儿资助",
        "在园幼儿",
        "免费",
        "教育局",
    )


def test_a_file_without_the_required_columns_or_of_another_type_is_refused(tmp_path: Path) -> None:
    no_item = tmp_path / "a.csv"
    no_item.write_text("服务领域,服务标准\n幼有所育,免费\n", encoding="utf-8")
    with pytest.raises(InvalidData, match="服务项目"):
        read_standard_items(no_item)
    other = tmp_path / "a.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidData):
        read_standard_items(other)
    with pytest.raises(NotFound):
        read_standard_items(tmp_path / "missing.csv")


def test_the_xlsx_template_reads_back_empty(tmp_path: Path) -> None:
    path = write_list_template(tmp_path / "t.xlsx")
    assert read_standard_items(path) == ([], [])


def test_cost_table_shares_in_percent_or_fractions_and_bad_rows_numbered(tmp_path: Path) -> None:
    good = tmp_path / "c.csv"
    good.write_text(
        "服务项目,受益人数,中央,省级,市县,预算\n甲,1000,80%,,20%,5000\n乙,20,0.5,0.25,0.25,\n",
        encoding="utf-8",
    )
    a, b = read_cost_table(good)
    assert (a.population, a.shares, a.budget) == (1000, (0.8, 0.0, 0.2), 5000)
    assert b.shares == (0.5, 0.25, 0.25) and b.budget is None
    bad = tmp_path / "d.csv"
    bad.write_text("服务项目,受益人数,中央,市县\n甲,x,,\n乙,10,50,40\n丙,5,,\n", encoding="utf-8")
    with pytest.raises(InvalidData) as caught:
        read_cost_table(bad)
    assert [p.row for p in caught.value.problems] == [2, 3]
