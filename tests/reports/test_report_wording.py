"""What an evaluator signs: the Word file (and the PDF beside it) read back and checked against
the evaluation it reports — no figure stated on another basis than the one judged by, a
running total not passed off as one year's value, the final report's next steps not empty
while indicators missed their targets, no chart of a lone baseline point, no software
commands in the text."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polars as pl
import pytest

from minsheng.reports.formatting import grade_zh, number, status_zh
from minsheng.reports.indicator_words import OUTLOOK


def _paragraphs(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def _about(paragraphs: list[str], indicator: str) -> str:
    """The chapter-two sentence about one indicator (it starts with the indicator's name)."""
    found = [p for p in paragraphs if p.startswith(f"{indicator}（")]
    assert len(found) == 1, (indicator, found)
    return found[0]


def _chapter(paragraphs: list[str], title: str) -> list[str]:
    start = paragraphs.index(title, paragraphs.index(title) + 1)  # the heading, not the TOC line
    rest = paragraphs[start + 1 :]
    end = next(i for i, p in enumerate(rest) if re.match(r"^[一二三四五六七八九十]、|^附录$", p))
    return rest[:end]


def _sentenced(content) -> list[dict]:  # noqa: ANN001 - ReportContent
    return [r for r in content.results.to_dicts() if r["status"] in ("lagging", "regressing")]


def test_the_outlook_names_the_ratio_the_evaluation_judged_by(rendered, contents) -> None:
    """``likely`` comes from the anticipated-progress ratio where there is one; a sentence that
    put it after the linear projection said 预计为99.81%…可实现目标 against a target of 100."""
    paragraphs = _paragraphs(rendered["yongchuan_midterm", "docx"])
    rows = [
        r
        for r in _sentenced(contents["yongchuan_midterm"])
        if r["anticipated_ratio"] is not None and r["likely"] is not None
    ]
    assert rows
    for r in rows:
        said = _about(paragraphs, r["indicator"])
        assert f"之比为{number(r['anticipated_ratio'])}，{OUTLOOK[r['likely']]}" in said, said
    # the case that read wrong: the projection short of the target, the ratio saying likely
    assert any(r["likely"] and r["projected_linear"] < r["target"] for r in rows)


def test_a_cumulative_value_is_stated_as_the_running_total_of_the_plan_years(
    rendered, contents
) -> None:
    paragraphs = _paragraphs(rendered["yongchuan_midterm", "docx"])
    rows = [
        r for r in _sentenced(contents["yongchuan_midterm"]) if r["target_kind"] == "cumulative"
    ]
    assert rows
    for r in rows:
        said = _about(paragraphs, r["indicator"])
        assert f"{r['y0'] + 1}—{r['data_year']}年" in said and f"累计{number(r['value'])}" in said
        assert f"{r['data_year']}年为{number(r['value'])}" not in said, said
    assert any(p.startswith("注：累计型指标") for p in paragraphs)


def test_the_final_reports_next_steps_list_the_indicators_that_missed_their_targets(
    rendered, contents
) -> None:
    content = contents["national_final"]
    missed = [
        r
        for r in content.results.to_dicts()
        if r["grade"] in ("not_completed", "basically_completed")
        or (r["grade"] is None and r["status"] in ("lagging", "regressing"))
    ]
    assert missed
    chapter = _chapter(_paragraphs(rendered["national_final", "docx"]), "八、下一步建议")
    items = [p for p in chapter if p.startswith("· ")]
    assert "· 无。" not in items
    assert [re.search("“(.+?)”", p).group(1) for p in items] == [r["indicator"] for r in missed]
    for r, item in zip(missed, items, strict=True):
        verdict = grade_zh(r["grade"]) if r["grade"] else status_zh(r["status"])
        assert verdict in item and f"规划目标{r['target_raw']}" in item, item
    pdf = subprocess.run(
        ["pdftotext", str(rendered["national_final", "pdf"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = re.sub(r"\s+|—\d+—", "", pdf)
    for item in items:  # the PDF says the same
        assert re.sub(r"\s+", "", item.removeprefix("· ")) in flat, item


def test_no_trend_chart_of_an_indicator_without_values_in_the_plan_period(
    rendered, contents
) -> None:
    content = contents["national_final"]
    y0 = content.period[0]
    values = content.values
    charted = [
        p.split("　", 1)[1].removesuffix("：实际值与目标路径")
        for p in _paragraphs(rendered["national_final", "docx"])
        if p.startswith("图") and p.endswith("：实际值与目标路径")
    ]
    want = [
        r["indicator"]
        for r in content.results.to_dicts()
        if r["nature"] == "binding"
        and r["target"] is not None
        and values.filter((pl.col("indicator") == r["name"]) & (pl.col("year") > y0)).height
    ]
    assert charted == want
    no_data = [
        r["indicator"]
        for r in content.results.to_dicts()
        if r["nature"] == "binding" and r["status"] == "no_data"
    ]
    assert no_data and not set(no_data) & set(charted)


def test_a_spread_that_narrowed_or_widened_does_not_show_a_change_of_zero(rendered) -> None:
    import docx

    document = docx.Document(str(rendered["national_final", "docx"]))
    tables = [t for t in document.tables if t.rows[0].cells[-1].text == "差距"]
    assert tables
    header = [c.text for c in tables[0].rows[0].cells]
    change, verdict = header.index("变化"), header.index("差距")
    rows = [[c.text for c in row.cells] for row in tables[0].rows[1:]]
    assert rows
    for row in rows:
        if row[verdict] in ("缩小", "扩大"):
            assert float(row[change]) != 0, row


@pytest.mark.parametrize("case", ["national_final", "yongchuan_midterm"])
def test_the_text_names_no_software_command(case, rendered) -> None:
    import docx

    document = docx.Document(str(rendered[case, "docx"]))
    body = [p.text for p in document.paragraphs]
    cover = body.index("目　录")  # the cover names the platform that drafted the report
    for text in body[cover:]:  # (a value's recorded source may name the tool that made it)
        assert "minsheng" not in text, text


def test_a_reason_states_its_figures_as_the_tables_do(rendered, contents) -> None:
    """The evaluation writes six significant digits (2.2863); the sentence before it said 2.29."""
    paragraphs = _paragraphs(rendered["yongchuan_midterm", "docx"])
    reasons = [p.split("原因：", 1)[1].split("。", 1)[0] for p in paragraphs if "原因：" in p]
    assert len(reasons) >= len(_sentenced(contents["yongchuan_midterm"]))
    for reason in reasons:
        for token in re.findall(r"\d+\.(\d+)", reason):
            assert len(token) <= 2, reason


@pytest.fixture(scope="module")
def sichuan_final(demo_db, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001, ANN201
    """The national plan's final evaluation judged for 四川省 (a province's report), as Word."""
    from minsheng.reports import write
    from minsheng.reports.build import build_report
    from minsheng.services.plans import list_plans
    from minsheng.services.report_content import report_content

    plan = next(s.id for s in list_plans(demo_db) if s.region_code == "100000" and s.indicators)
    content = report_content(demo_db, plan, 2025, "final", region="510000")
    out = tmp_path_factory.mktemp("sichuan") / "sichuan_final.docx"
    return content, write(build_report(content), "docx", out)


def test_a_full_coverage_target_is_judged_by_the_years_held_not_the_last_value(
    sichuan_final,
) -> None:
    """应保尽保 holds only if every year held: "2025年为100 … 未完成" alone reads as an error."""
    content, path = sichuan_final
    paragraphs = _paragraphs(path)
    rows = [
        r
        for r in content.results.to_dicts()
        if r["method"] == "every_year" and r["grade"] == "not_completed"
    ]
    assert rows
    for r in rows:
        held = f"有数据的{r['years_observed']}年中{r['years_held']}年达标"
        assert held in _about(paragraphs, r["indicator"])
        steps = _chapter(paragraphs, "八、下一步建议")
        assert any(r["indicator"] in p and held in p for p in steps), steps


def test_a_rate_whose_percent_sign_the_plan_wrote_on_its_targets_shows_the_unit(
    rendered, contents
) -> None:
    """The national plan writes 85.2% / >90% and leaves 单位 empty: the table printed 92.9 bare."""
    import docx

    rows = {
        r["indicator"]: r
        for r in contents["national_final"].results.to_dicts()
        if not r["unit"] and (r["target_raw"] or "").endswith("%")
    }
    assert rows
    document = docx.Document(str(rendered["national_final", "docx"]))
    units = {
        row.cells[1].text: row.cells[2].text
        for t in document.tables
        if t.rows[0].cells[0].text == "序号"
        for row in t.rows[1:]
    }
    assert {name: units[name] for name in rows} == dict.fromkeys(rows, "%")
    said = [p.text for p in document.paragraphs if p.text.startswith("高中阶段教育毛入学率（")]
    value = rows["高中阶段教育毛入学率"]["value"]
    assert said and f"年为{number(value)}%" in said[0], said


@pytest.mark.parametrize("case", ["national_final", "yongchuan_midterm"])
def test_word_gives_short_word_columns_room_for_their_longest_word(case, rendered) -> None:
    """Word has no nowrap: a 7 % 属性 column broke 预期性 as 预期/性, 进度滞后 as 进度滞/后."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(rendered[case, "docx"]))
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "序号"]
    assert tables
    for t in tables:
        header = [c.text for c in t.rows[0].cells]
        grid = [int(g.get(qn("w:w"))) / 20 for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        for title in ("序号", "属性", "状态", "评定等级"):
            if title not in header:
                continue
            i = header.index(title)
            longest = max(len(row.cells[i].text) for row in t.rows)
            # 9 pt a character (宋体 小五) and 1 mm of cell margin either side
            assert grid[i] >= longest * 9 + 2 * 2.83, (title, grid[i], longest)


def test_a_spread_of_synthetic_values_is_labelled_on_the_cover_and_in_its_chapter(
    rendered, contents, demo_db
) -> None:
    """The national report's own values are real statistics, its provinces' are demo values:
    the Gini table came from synthetic data with nothing saying so."""
    from minsheng.services.spread import spread_with_synthetic

    content = contents["national_final"]
    assert not content.values.get_column("synthetic").any()
    # the service counts them; the test asks it afresh for each indicator of the chapter
    counted = [
        s.indicator
        for s in content.spreads
        if spread_with_synthetic(demo_db, s.canonical_code, "100000", 2025)[3]
    ]
    assert counted
    paragraphs = _paragraphs(rendered["national_final", "docx"])
    cover = paragraphs[: paragraphs.index("目　录")]
    assert any("合成数据" in p for p in cover), cover
    chapter = _chapter(paragraphs, "三、区域均等化")
    assert f"注：{len(counted)}项指标的下级地区数据含演示用合成数据" in "".join(chapter)


def test_the_target_is_stated_with_its_unit_as_the_baseline_is(rendered, contents) -> None:
    """基期1.2个，规划目标4.5 — the unit column's 个 was given to the baseline, not the target."""
    from minsheng.reports.formatting import unit_of

    paragraphs = _paragraphs(rendered["yongchuan_midterm", "docx"])
    rows = [
        r for r in _sentenced(contents["yongchuan_midterm"])
        if unit_of(r) and (r.get("target_raw") or "")[-1:].isdigit()
    ]  # fmt: skip
    assert rows
    for r in rows:
        said = _about(paragraphs, r["indicator"])
        assert f"规划目标{r['target_raw']}{unit_of(r)}" in said, said
