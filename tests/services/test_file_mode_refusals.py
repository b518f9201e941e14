"""File-mode evaluation refuses nonsense instead of judging it (issue 14's list)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minsheng.domain.errors import InvalidData
from minsheng.ingest.documents.plan_json import plan_to_dict
from minsheng.services.evaluation_files import evaluate_files

COUNT = "每千人口拥有3岁以下婴幼儿托位数"  # unit 个 in the sample plan
SHARE = "学前教育毛入园率"  # unit %


@pytest.fixture
def plan_file(tmp_path: Path, plan_factory) -> Path:  # noqa: ANN001
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_to_dict(plan_factory()), ensure_ascii=False), encoding="utf-8")
    return path


def _obs(tmp_path: Path, rows: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / "obs.csv"
    path.write_bytes(("indicator,region,year,value\n" + "\n".join(rows) + "\n").encode(encoding))
    return path


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        (f"{SHARE},510000,2023,inf", "not a number"),
        (f"{SHARE},510000,2023,nan", "not a number"),
        (f"{COUNT},510000,2023,95%", "% sign"),
        (f"{SHARE},999999,2023,91", "no region"),
        (f"{SHARE},510000,12345678901234567890,91", "year"),
        (f'"{SHARE},510000,2023,91', "CSV"),
    ],
)
def test_nonsense_is_refused_with_its_row(
    plan_file: Path, tmp_path: Path, row: str, needle: str
) -> None:
    with pytest.raises(InvalidData) as refused:
        evaluate_files(plan_file, _obs(tmp_path, [row]), 2023)
    text = refused.value.message + " ".join(map(str, refused.value.problems))
    assert needle in text


def test_a_percentage_on_a_share_and_gb18030_text_are_read(plan_file: Path, tmp_path: Path) -> None:
    result = evaluate_files(
        plan_file, _obs(tmp_path, [f"{SHARE},510000,2023,91.5%"], "gb18030"), 2023
    )
    assert result is not None


def test_a_workbook_or_an_empty_file_is_refused_in_one_line(
    plan_file: Path, tmp_path: Path
) -> None:
    book = tmp_path / "obs.xlsx"
    book.write_bytes(b"PK\x03\x04")
    with pytest.raises(InvalidData, match="not a readable .xlsx workbook"):
        evaluate_files(plan_file, book, 2023)
    with pytest.raises(InvalidData):
        evaluate_files(plan_file, _obs(tmp_path, []), 2023)
