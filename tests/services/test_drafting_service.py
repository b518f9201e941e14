"""Drafting on the demo data (real plans, real national statistics, labelled synthetic series).

The demo database is built once for the module with ``services.demo.build_demo``
from ../shared (missing shared material fails, it does not skip).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import docx
import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.domain.errors import InvalidData
from minsheng.domain.plans import PlanKind
from minsheng.domain.service_domains import DOMAINS_BY_CODE
from minsheng.ingest.documents.document import read_plan
from minsheng.services.demo import build_demo
from minsheng.services.draft_export import export_draft
from minsheng.services.drafting import draft_plan
from minsheng.services.drafting_cascade import cascade_check
from minsheng.services.plans import get_plan, list_plans, load_plan_for_evaluation, set_higher_plan
from minsheng.services.target_plans import import_draft, load_national_targets, load_target_table
from minsheng.store.database import Database

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest" / "documents"))
from test_gold import field_scores  # noqa: E402  - the gold test's own F1, one definition


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert (SHARED / "corpus").is_dir(), f"shared material missing at {SHARED}"
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = Database(f"sqlite:///{path}")
    build_demo(db, SHARED)
    db.dispose()
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path):  # noqa: ANN201
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_file, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


def _yongchuan(db: Database) -> int:
    return next(s.id for s in list_plans(db) if s.region_code == "500118" and s.period_end == 2025)


def test_a_draft_of_yongchuan_proposes_a_target_with_evidence_for_every_measurable_indicator(
    demo_db,
) -> None:
    plan_id = _yongchuan(demo_db)
    old = get_plan(demo_db, plan_id).plan
    draft = draft_plan(demo_db, plan_id, to_year=2030)
    national = load_national_targets(demo_db)  # shipped with the demo: the level above for 2030
    assert draft.higher_plan_id == national.id and national.plan.kind == PlanKind.TARGETS_ONLY
    assert (draft.plan.baseline_year, draft.plan.target_year, draft.plan.metadata.period_start) == (
        2025,
        2030,
        2026,
    )
    rows = {r["indicator"]: r for r in draft.table.iter_rows(named=True)}
    measurable = [
        i
        for i in old.indicators
        if i.target.is_measurable and i.target.kind.value not in ("full_coverage", "keep_zero")
    ]
    assert len(measurable) >= 25
    for ind in measurable:
        row = rows[ind.name]
        assert row["proposed"] is not None, ind.name
        assert row["value"] is not None or row["period_total"] is not None, ind.name
        assert row["explanation"] and row["rule_used"] in ("pace", "hold"), ind.name
    by_name = {i.name: i for i in draft.plan.indicators}
    for ind in old.indicators:
        if ind.target.kind.value == "full_coverage":
            assert by_name[ind.name].target_raw == ind.target_raw  # 应保尽保 carried over
    # the national 2030 target is evidence beside the local row mapped to the same indicator
    assert rows["人均预期寿命"]["higher_target"] == 80.0
    higher = draft_plan(demo_db, plan_id, rule="higher")
    beds = {r["indicator"]: r for r in higher.table.iter_rows(named=True)}[
        "养老机构护理型养老床位占比"
    ]
    assert beds["higher_target"] == 73.0
    assert beds["proposed"] == max(73.0, round(beds["value"]))


def test_the_word_export_reads_back_row_for_row(demo_db, tmp_path: Path) -> None:
    draft = draft_plan(demo_db, _yongchuan(demo_db), to_year=2030, drop=[33], add=["HE04"])
    path = export_draft(draft, tmp_path / "draft.docx")
    extraction = read_plan(path)
    want = [i.gold_fields() for i in draft.plan.indicators]
    got = extraction.to_json_dict()["indicators"]
    precision, recall, f1, diffs = field_scores(got, want)
    assert f1 == 1.0, diffs
    assert any(w["target_raw"].startswith("【") for w in want)  # the 【】 note travelled too
    meta = extraction.plan.metadata
    assert (meta.region_code, extraction.plan.baseline_year, extraction.plan.target_year) == (
        "500118",
        2025,
        2030,
    )
    # the table's caption names the new plan's period as plans do, and reads back as it
    assert (meta.period_start, meta.period_end) == (2026, 2030)
    assert "十五五" in draft.plan.metadata.title
    captions = [p.text for p in docx.Document(str(path)).paragraphs if p.text.startswith("专栏")]
    assert captions == ["专栏1 “十五五”时期主要指标"]
    # the demo's 2025 values are synthetic: the document says how many of its baselines are
    _, frame = load_plan_for_evaluation(demo_db, _yongchuan(demo_db))
    latest = (
        frame.filter((pl.col("region") == "500118") & (pl.col("year") <= 2025))
        .sort("year").group_by("indicator").last()
        .filter(pl.col("indicator").is_in([i.name for i in draft.plan.indicators]))
    )  # fmt: skip
    assert draft.synthetic_baselines == latest.get_column("synthetic").sum() > 0
    notes = [p.text for p in docx.Document(str(path)).paragraphs if "合成数据" in p.text]
    assert any(f"{draft.synthetic_baselines}项为演示用合成数据" in n for n in notes), notes


def test_the_workbook_imports_back_once_confirmed(demo_db, tmp_path: Path) -> None:
    draft = draft_plan(demo_db, _yongchuan(demo_db), to_year=2030)
    path = export_draft(draft, tmp_path / "draft.xlsx")
    with pytest.raises(InvalidData, match="not confirmed") as caught:
        import_draft(demo_db, path)
    assert len(caught.value.problems) == len(draft.plan.indicators)
    book = openpyxl.load_workbook(path)
    ws = book["指标"]
    header = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1):
        ws.cell(row, header.index("确认") + 1).value = "是"
    ws.cell(2, header.index("2030年") + 1).value = "5"  # the analyst's own number
    book.save(path)
    stored = import_draft(demo_db, path)
    assert stored.plan.kind == PlanKind.DRAFT and stored.region_code == "500118"
    assert stored.plan.higher_plan_id == draft.higher_plan_id
    assert [i.target_raw for i in stored.plan.indicators] == [
        "5",
        *[i.target_raw for i in draft.plan.indicators[1:]],
    ]
    assert [i.baseline_raw for i in stored.plan.indicators] == [
        i.baseline_raw for i in draft.plan.indicators
    ]


def test_a_table_of_targets_is_a_partial_plan_any_plan_can_link_to(demo_db, tmp_path: Path) -> None:
    path = tmp_path / "cq.csv"
    path.write_text(
        "指标,单位,2030年,属性\n人均预期寿命,岁,81.5,约束性\n基本养老保险参保率,%,97,约束性\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidData, match="no source"):
        load_target_table(demo_db, path, region="500000")
    stored = load_target_table(
        demo_db, path, region="重庆市", source="重庆市十五五规划纲要（示例）"
    )
    assert (
        stored.plan.kind == PlanKind.TARGETS_ONLY
        and stored.plan.source == "重庆市十五五规划纲要（示例）"
    )
    assert stored.plan.indicators[0].canonical_code == "HE01"
    # the nearest region above with 2030 targets is now Chongqing, whose row is binding
    draft = draft_plan(demo_db, _yongchuan(demo_db), rule="higher")
    row = {r["indicator"]: r for r in draft.table.iter_rows(named=True)}["人均预期寿命"]
    assert draft.higher_plan_id == stored.id and row["higher_target"] == 81.5
    assert row["proposed_nature"] == "binding"
    # a binding indicator of the level above that the plan lacks is named, with the way to add it
    assert any("EL03" in n and "--add EL03" in n for n in draft.notes)
    added = draft_plan(demo_db, _yongchuan(demo_db), rule="higher", add=["EL03"])
    new = {i.name: i for i in added.plan.indicators}["基本养老保险参保率"]
    assert new.nature is not None and new.nature.value == "binding" and new.target_raw is not None
    assert not any("EL03" in n for n in added.notes)
    # an added row is a level to reach: the higher plan's 97 (its own value if already beyond)
    row = {r["indicator"]: r for r in added.table.iter_rows(named=True)}["基本养老保险参保率"]
    assert row["rule_used"] == "higher" and new.target.value == max(97.0, row["value"] or 0), row
    assert new.target_raw != "—" and row["explanation"] != "。"
    assert set_higher_plan(demo_db, _yongchuan(demo_db), stored.id).plan.higher_plan_id == stored.id


def test_a_row_added_from_the_catalogue_keeps_its_own_pace(demo_db) -> None:
    """Added rows had no target form, so no rule applied: no 2030 number, the sentence "。"."""
    province = next(s for s in list_plans(demo_db) if s.level == "province")
    empty = draft_plan(demo_db, province.id)
    assert not empty.plan.indicators and any("--add" in n for n in empty.notes_zh), empty.notes
    draft = draft_plan(demo_db, province.id, add=["CH01", "ED04"])
    rows = {r["indicator"]: r for r in draft.table.iter_rows(named=True)}
    for ind in draft.plan.indicators[-2:]:
        row = rows[ind.name]
        assert row["value"] is not None, row  # the demo holds every province's series
        assert row["rule_used"] in ("pace", "hold") and row["proposed"] is not None, row
        assert ind.target.value == row["proposed"] and ind.target_raw not in (None, "—")
        assert row["explanation"].startswith(("延续", "趋势", "数据不足")), row["explanation"]
    # a flow in the plan above (a yearly average or 【】 total) stays one: the form comes
    # from the higher plans, not a level of one year
    flows = draft_plan(demo_db, province.id, add=["EM01"])
    [em] = flows.plan.indicators
    higher = get_plan(demo_db, province.higher_plan_id).plan.indicators
    form = next(i for i in higher if i.canonical_code == "EM01").target
    assert form.kind.value in ("cumulative", "annual_average")
    row = flows.table.row(0, named=True)
    assert row["kind"] == form.kind.value and row["rule_used"] == "pace", row
    expected = row["annual_mean"] * (5 if form.kind.value == "cumulative" else 1)
    assert row["proposed"] == pytest.approx(expected, abs=0.01) and em.target_raw != "—"
    assert em.domain == DOMAINS_BY_CODE["employment"].name_zh  # the plan has no such row


def test_an_added_row_goes_to_its_own_domain(demo_db) -> None:
    """Added rows were put at the end, in the last domain: 养老 rows under 九、文化体育服务."""
    plan = get_plan(demo_db, _yongchuan(demo_db)).plan
    elderly = [i for i in plan.indicators if i.domain_code == "elderly_care"]
    assert elderly and not any(i.canonical_code == "EL03" for i in plan.indicators)
    draft = draft_plan(demo_db, _yongchuan(demo_db), add=["EL03"])
    rows = draft.plan.indicators
    at = next(n for n, i in enumerate(rows) if i.canonical_code == "EL03")
    assert rows[at].domain == elderly[-1].domain
    assert rows[at - 1].name == elderly[-1].name  # right after the domain's last row
    assert [i.seq for i in rows] == list(range(1, len(rows) + 1))


def test_a_draft_for_another_span_is_not_titled_with_the_old_plan_s_name(demo_db) -> None:
    """--to 2035 gave “重庆市永川区“十四五”公共服务规划（草案）”: the old plan's name on the new."""
    old = get_plan(demo_db, _yongchuan(demo_db)).plan.metadata.title
    assert "十四五" in old
    assert "十五五" in draft_plan(demo_db, _yongchuan(demo_db)).plan.metadata.title
    ten = draft_plan(demo_db, _yongchuan(demo_db), to_year=2035).plan.metadata.title
    assert "十四五" not in ten and "2026—2035年" in ten and ten.endswith("（草案）"), ten


def test_cascade_of_the_national_plan_names_the_short_child(demo_db) -> None:
    national = next(
        s.id
        for s in list_plans(demo_db)
        if s.region_code == "100000" and s.indicators > 0 and s.period_end == 2025
    )
    result = cascade_check(demo_db, national, to_year=2030)
    assert result.table.height > 0
    for row in result.table.iter_rows(named=True):
        if row["method"] == "weighted" and row["combined"] is not None:
            # one child reports: the weighted mean is its own target, short exactly when it is short
            assert bool(row["short_children"]) == (row["reaches"] is False)


@pytest.mark.parametrize("rule", ["pace", "higher", "peers"])
def test_cascade_notes_name_the_drafting_rule_in_each_language(demo_db, rule: str) -> None:
    from minsheng.domain.drafting_rules import RULE_NAMES

    national = next(
        s.id
        for s in list_plans(demo_db)
        if s.region_code == "100000" and s.indicators > 0 and s.period_end == 2025
    )
    result = cascade_check(demo_db, national, to_year=2030, rule=rule)
    drafted = [n for n in result.notes_zh if "规则" in n]
    assert drafted, result.notes_zh  # the children's 2030 targets were drafted
    zh, en = RULE_NAMES[rule]
    assert all(zh in n and rule not in n for n in drafted), drafted
    assert all(en in n for n in result.notes if "drafted" in n), result.notes


def test_the_draft_command(demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINSHENG_DATABASE_URL", demo_db.url)
    runner = CliRunner()
    plan = str(_yongchuan(demo_db))
    out = runner.invoke(app, ["draft", plan, "--to", "2030", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert (
        data["indicators"][0]["evidence"]["value"] is not None
        and data["indicators"][0]["explanation"]
    )
    docx = tmp_path / "d.docx"
    assert (
        runner.invoke(app, ["draft", plan, "--rule", "17=higher", "--out", str(docx)]).exit_code
        == 0
    )
    assert docx.is_file()
    pdf = tmp_path / "d.pdf"
    made = runner.invoke(app, ["draft", plan, "--out", str(pdf)])
    assert made.exit_code == 0 and f"written:{pdf}" in "".join(made.output.split()), made.output
    assert pdf.read_bytes().startswith(b"%PDF")
    odt = runner.invoke(app, ["draft", plan, "--out", str(tmp_path / "d.odt")])
    assert odt.exit_code == 1 and ".pdf" in odt.output and "Traceback" not in odt.output
    mine = runner.invoke(app, ["draft", plan, "--target", "17=90", "--json"])
    row = json.loads(mine.output)["indicators"][16]
    assert (
        row["rule_used"] == "candidate"
        and row["target"] == "≥90"
        and row["evidence"]["required_rate"] > 0
    )
    bad = runner.invoke(app, ["draft", plan, "--rule", "ambitious"])
    assert bad.exit_code == 1 and "unknown rule" in bad.output and "Traceback" not in bad.output
    cascade = runner.invoke(app, ["draft", "2", "--cascade"])
    assert cascade.exit_code == 0, cascade.output


def test_peers_are_regions_of_the_same_level_under_the_same_parent(demo_db) -> None:
    from dataclasses import replace

    from minsheng.domain.observations import Observation
    from minsheng.services.observations import add_observations
    from minsheng.services.plans import save_extracted_plan

    yongchuan = _yongchuan(demo_db)
    old = get_plan(demo_db, yongchuan).plan
    values = {
        "500151": 40.0,
        "500152": 60.0,
        "500153": 70.0,
        "500154": 90.0,
    }  # four districts of Chongqing
    for code, value in values.items():
        meta = replace(old.metadata, region_code=code, region_name=None, title=f"{code}规划")
        peer = save_extracted_plan(
            demo_db, replace(old, metadata=meta, checksum=code * 10, higher_plan_id=None)
        )
        add_observations(
            demo_db, peer.id, [Observation("养老机构护理型养老床位占比", code, 2025, value)], "test"
        )
    draft = draft_plan(demo_db, yongchuan, rule="peers")
    row = {r["indicator"]: r for r in draft.table.iter_rows(named=True)}[
        "养老机构护理型养老床位占比"
    ]
    assert row["peer_count"] == 4 and row["peer_median"] == 65.0
    assert row["peer_best_quartile"] == pytest.approx(75.0)  # 70 + 0.25 × (90 − 70)
    own = row["value"]
    assert row["percentile"] == pytest.approx(100 * sum(v < own for v in values.values()) / 4)
    assert row["proposed"] == round(own + (75.0 - own) / 2, 1)
    assert "同级地区前25%" in row["explanation"]


def test_the_targets_command_and_a_missing_workbook(
    demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINSHENG_DATABASE_URL", demo_db.url)
    runner = CliRunner()
    out = runner.invoke(app, ["targets", "--national"])
    assert out.exit_code == 0 and "第十五个五年规划纲要" in out.output
    table = tmp_path / "t.csv"
    table.write_text("指标,单位,2030年\n人均预期寿命,岁,81\n", encoding="utf-8")
    refused = runner.invoke(app, ["targets", str(table), "--region", "500000"])
    assert refused.exit_code == 1 and "no source" in refused.output
    plan = str(_yongchuan(demo_db))
    linked = runner.invoke(
        app, ["targets", str(table), "--region", "500000", "--source", "示例", "--link", plan]
    )
    assert linked.exit_code == 0, linked.output
    assert get_plan(demo_db, int(plan)).plan.higher_plan_id is not None
    missing = runner.invoke(app, ["draft", "import", str(tmp_path / "none.xlsx")])
    assert missing.exit_code == 1 and "no such file" in missing.output
