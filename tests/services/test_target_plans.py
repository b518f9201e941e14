"""Target tables stored as plans: a 备注 that says 年均 makes a yearly-average target, and such
targets take part in the alignment with the higher plan and in the cascade — compared with
yearly averages only, and named when the other plan states the target in another form."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.domain.targets import TargetKind
from minsheng.services.drafting_cascade import cascade_check
from minsheng.services.evaluation import align_plan
from minsheng.services.plans import get_plan
from minsheng.services.target_plans import load_target_table

HEADER = "指标,单位,2025年,2030年,属性,备注\n"


@pytest.fixture
def store(seeded_db, tmp_path: Path):  # noqa: ANN001, ANN201 - a function storing a table as a plan
    """Store rows typed into a CSV as one region's targets-only plan, under ``higher``."""

    def put(region: str, rows: list[str], higher: int | None = None) -> int:
        path = tmp_path / f"{region}_{len(list(tmp_path.iterdir()))}.csv"
        path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
        stored = load_target_table(seeded_db, path, region=region, source="示例", higher=higher)
        return stored.id

    return put


def _code(code: str) -> pl.Expr:
    return pl.col("canonical_code") == code


def test_a_remark_of_yearly_average_is_stored_as_one(seeded_db, store) -> None:  # noqa: ANN001
    plan_id = store("100000", ["学前教育毛入园率,%,88,>90,预期性,五年平均"])
    row = get_plan(seeded_db, plan_id).plan.indicators[0]
    assert (row.target.kind, row.target.value, row.canonical_code) == (
        TargetKind.ANNUAL_AVERAGE,
        90.0,
        "ED01",
    )


@pytest.mark.parametrize(
    ("local", "flag"),
    [
        ("学前教育毛入园率,%,86,>88,预期性,年均", "below_higher_target"),
        ("学前教育毛入园率,%,86,>92,预期性,年均值", None),
        ("学前教育毛入园率,%,86,>88,预期性,", "different_form"),  # an end-year level
    ],
)
def test_yearly_averages_take_part_in_the_alignment(
    seeded_db,  # noqa: ANN001
    store,  # noqa: ANN001
    local: str,
    flag: str | None,
) -> None:
    national = store("100000", ["学前教育毛入园率,%,88,>90,预期性,年均"])
    province = store("510000", [local], higher=national)
    flags = align_plan(seeded_db, province).flags.filter(_code("ED01"))
    assert list(flags["flag"]) == ([flag] if flag else [])


def test_yearly_averages_take_part_in_the_cascade(seeded_db, store, cli_env) -> None:  # noqa: ANN001
    national = store("100000", ["参加各类补贴性职业技能培训人数,万人次,,1500,预期性,年均"])
    store("510000", ["参加各类补贴性职业技能培训人数,万人次,,800,预期性,年均"], national)
    store("500000", ["参加各类补贴性职业技能培训人数,万人次,,600,预期性,年均增长"], national)
    store("330000", ["参加各类补贴性职业技能培训人数,万人次,,【4000】,预期性,"], national)
    result = cascade_check(seeded_db, national, to_year=2030)
    row = result.table.filter(_code("EM01")).row(0, named=True)
    assert (row["form"], row["method"], row["children"]) == ("annual_average", "summed", 2)
    assert (row["combined"], row["reaches"], row["short_by"]) == (1400.0, False, 100.0)
    assert row["other_form"] == ["330000"]  # a five-year total: named, not added in
    shown = CliRunner().invoke(app, ["draft", str(national), "--cascade"], env={"COLUMNS": "240"})
    assert shown.exit_code == 0, shown.output
    text = "".join(shown.output.split())
    assert "加总（年均值）" in text and "表述形式不同未合成" in text, shown.output
