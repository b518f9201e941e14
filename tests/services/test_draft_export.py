"""A draft's targets keep their form through every file it goes out as and comes back from.

One stored plan holds a row of each target form the cell grammar knows (a level, ≥, ≤,
>, <, 左右, a 【】 five-year total, a yearly average marked by the table's note, in a
count and in %); the grammar has no range form, so there is none to test. Its draft is
written to Word and read back by the document reader, and to a workbook and stored
back by ``import_draft``: each row's target must come back with the form the old plan
gave it and the number the draft proposed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from minsheng.domain.indicators import Nature, PlanIndicator, Polarity
from minsheng.domain.observations import Observation
from minsheng.domain.plans import Plan, PlanMetadata
from minsheng.domain.regions import Level
from minsheng.domain.targets import TargetKind, apply_footnote, parse_target, read_footnote
from minsheng.ingest.documents.document import read_plan
from minsheng.services.draft_export import draft_sheet, export_draft
from minsheng.services.drafting import Draft, draft_plan
from minsheng.services.observations import add_observations
from minsheng.services.plans import get_plan, save_extracted_plan
from minsheng.services.target_plans import import_draft

#: A yearly-average note in the old plan's own words (any wording the grammar reads as 年均).
OLD_NOTE = "带*指标为五年的年度平均值。"

#: name, unit, baseline cell, target cell, polarity, a 2020…2025 series (None: no values)
FORMS = [
    ("示例入园率", "%", "80%", "85%", Polarity.HIGHER, (80, 81, 82, 83, 84, 85)),
    ("示例巩固率", "%", "90%", "≥92%", Polarity.HIGHER, (90, 90.5, 91, 91.5, 92, 92.5)),
    ("示例近视率", "%", "50", "≤45", Polarity.LOWER, (50, 49, 48, 47, 46, 45)),
    ("示例参保率", "%", "80%", ">85%", Polarity.HIGHER, (80, 81, 82, 83, 84, 86)),
    ("示例失业率", "%", "5.5", "<5.2", Polarity.LOWER, (5.5, 5.4, 5.4, 5.3, 5.2, 5.1)),
    ("示例床位数", "张", "30", "36左右", Polarity.HIGHER, (30, 31, 32, 34, 35, 36)),
    ("示例新增就业", "万人", "【16】", "【12】", Polarity.HIGHER, (3, 2, 3, 4, 5, 6)),
    ("示例培训人次", "万人次", "1800*", "1500*", Polarity.HIGHER, (1800, 1400, 1500, 1600, 1550, 1650)),
    ("示例收入增长", "%", "6%*", "5.5%*", Polarity.HIGHER, (6, 5.2, 5.6, 5.4, 5.8, 5.5)),
    ("示例补贴人次", "万人次", "120*", "150*", Polarity.HIGHER, None),
]  # fmt: skip


def _cell(raw: str, note: str | None) -> tuple:
    target = parse_target(raw)
    footnote = read_footnote(note) if note else None
    return apply_footnote(target, footnote) if footnote and target.marker else target


def _plan() -> Plan:
    rows = []
    for seq, (name, unit, base, target, polarity, _) in enumerate(FORMS, start=1):
        note = OLD_NOTE if "*" in target else ("带【】为五年累计数。" if "【" in target else None)
        rows.append(
            PlanIndicator(
                seq=seq,
                domain="一、示例领域",
                name=name,
                unit=unit,
                baseline_raw=base,
                target_raw=target,
                nature=Nature.ANTICIPATORY,
                notes=note,
                baseline=_cell(base, note),
                target=_cell(target, note),
                baseline_year=2020,
                target_year=2025,
                polarity=polarity,
            )  # fmt: skip
        )
    return Plan(
        metadata=PlanMetadata(
            title="四川省“十四五”示例规划",
            region_code="510000",
            region_name="四川省",
            level=Level.PROVINCE,
            period_start=2021,
            period_end=2025,
        ),  # fmt: skip
        indicators=rows,
        baseline_year=2020,
        target_year=2025,
        checksum="forms" * 8,
    )


@pytest.fixture
def draft(seeded_db) -> Draft:
    stored = save_extracted_plan(seeded_db, _plan())
    kinds = {i.name: i.target.kind for i in stored.plan.indicators}
    assert kinds["示例培训人次"] is TargetKind.ANNUAL_AVERAGE  # the old plan says 年均 by its note
    values = [
        Observation(name, "510000", year, float(v))
        for name, *_, series in FORMS
        if series
        for year, v in zip(range(2020, 2026), series, strict=True)
    ]
    add_observations(seeded_db, stored.id, values, "test")
    return draft_plan(seeded_db, stored.id, to_year=2030)


def _forms(indicators: list[PlanIndicator]) -> dict[str, tuple]:
    annual = [i.name for i in indicators if i.target.kind is TargetKind.ANNUAL_AVERAGE]
    assert annual == ["示例培训人次", "示例收入增长", "示例补贴人次"]  # read as 年均, not as levels
    return {
        i.name: (i.target_raw, i.target.kind, i.target.value, i.target.percent) for i in indicators
    }


def test_each_target_form_is_drafted_in_its_own_form(draft: Draft) -> None:
    old = {
        name: _cell(target, OLD_NOTE if "*" in target else None) for name, _, _, target, *_ in FORMS
    }
    rows = {r["indicator"]: r for r in draft.table.iter_rows(named=True)}
    for ind in draft.plan.indicators:
        assert ind.target.kind is old[ind.name].kind, (ind.name, ind.target_raw)
        assert ind.target.percent == old[ind.name].percent, ind.name
        proposed = rows[ind.name]["proposed"]
        if proposed is not None:
            assert ind.target.value == pytest.approx(proposed), ind.name
    annual = [i for i in draft.plan.indicators if i.target.kind is TargetKind.ANNUAL_AVERAGE]
    assert len(annual) == 3 and all(i.target_raw.endswith("*") for i in annual)
    # the base period's yearly mean is the baseline of a yearly-average row, marked the same way
    training = next(i for i in annual if i.name == "示例培训人次")
    assert training.baseline.kind is TargetKind.ANNUAL_AVERAGE
    assert training.baseline.value == pytest.approx((1400 + 1500 + 1600 + 1550 + 1650) / 5)
    # no values at all: the old number stays, and stays a yearly average
    assert next(i for i in annual if i.name == "示例补贴人次").target_raw == "150*"
    sheet = draft_sheet(draft)
    assert sheet.note is not None and "带【】为五年累计数" in sheet.note and "带*为" in sheet.note


def test_the_word_table_reads_back_with_every_form(draft: Draft, tmp_path: Path) -> None:
    path = export_draft(draft, tmp_path / "draft.docx")
    back = read_plan(path).plan.indicators
    assert _forms(back) == _forms(draft.plan.indicators)
    assert {i.name: i.baseline.kind for i in back} == {
        i.name: i.baseline.kind for i in draft.plan.indicators
    }


def test_the_workbook_stores_back_with_every_form(seeded_db, draft: Draft, tmp_path: Path) -> None:
    path = export_draft(draft, tmp_path / "draft.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book["指标"]
    column = [c.value for c in ws[1]].index("确认") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column).value = "是"
    book.save(path)
    stored = import_draft(seeded_db, path)
    again = get_plan(seeded_db, stored.id).plan.indicators  # as the database gives it back
    assert _forms(again) == _forms(draft.plan.indicators)


def test_an_old_marker_of_another_meaning_is_not_read_as_a_yearly_average(seeded_db) -> None:
    """A ``**`` for "2019 data" means nothing in 2030; left on the cell, the draft's own
    note would give it a meaning it never had."""
    plan = _plan()
    odd = replace(plan.indicators[0], target_raw="85%*", target=parse_target("85%*"), notes=None)
    plan = replace(plan, indicators=[odd], checksum="marker" * 6)
    stored = save_extracted_plan(seeded_db, plan)
    drafted = draft_plan(seeded_db, stored.id, to_year=2030).plan.indicators[0]
    assert drafted.target.kind is TargetKind.REACH and "*" not in (drafted.target_raw or "")
    assert drafted.notes is None
