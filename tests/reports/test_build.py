"""The report model says what the evaluation says: every number in a summary paragraph is
re-derived here from the evaluation it came from, and every indicator of the plan is tabled."""

from __future__ import annotations

import math
import re

import polars as pl
import pytest
from standards_facts import standards_fact

from minsheng.reports.formatting import (
    REASON_FIELDS,
    number,
    percent,
    significant,
    status_zh,
    unit_of,
)
from minsheng.reports.model import BulletList, Paragraph, Report
from minsheng.services.report_content import ReportContent

CASES = ["national_final", "yongchuan_midterm"]
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?")


def _paragraphs(report: Report) -> list[tuple[str, Paragraph]]:
    """Every paragraph a reader takes as a statement (not the appendix, not the analyst's places)."""
    out = []
    for _, section in report.walk():
        if section.title.startswith("附录"):
            continue
        for block in section.blocks:
            items = block.items if isinstance(block, BulletList) else [block]
            out += [
                (section.title, p) for p in items if isinstance(p, Paragraph) and not p.placeholder
            ]
    return out


def _row(content: ReportContent, indicator: str) -> dict:
    rows = content.results.filter(pl.col("indicator") == indicator).to_dicts()
    assert len(rows) == 1, indicator
    return rows[0]


def _count(frame: pl.DataFrame, expr: pl.Expr) -> int:
    return frame.filter(expr).height


def _ginis(content: ReportContent) -> list[list[float]]:
    """Each spread's Gini, year by year, over the years with a gap to measure."""
    return [s.table.sort("year").drop_nulls("gini")["gini"].to_list() for s in content.spreads]


def expected(key: str, content: ReportContent, about: str | None) -> float:
    """The value a fact must have, computed from the evaluation results (or the frame it names)."""
    if key.split(":")[0] in ("std", "national", "higher"):
        return standards_fact(key, content)
    res = content.results
    binding = pl.col("nature") == "binding"
    y0, yT = res.get_column("y0").max(), res.get_column("yT").max()
    if about is not None and key in (
        "data_year",
        "value",
        "baseline",
        "rho",
        "elapsed",
        "yT",
        "anticipated_ratio",
    ):
        return _row(content, about)[key]
    if about is not None and key in REASON_FIELDS:  # a figure the indicator's reason states
        return _row(content, about)[key]
    if about is not None and key == "y0+1":
        return _row(content, about)["y0"] + 1
    if about is not None and key == "projected":
        return _row(content, about)["projected_linear"]
    assessed = res.filter(~pl.col("status").is_in(["no_data", "not_assessable"])).height
    good = _count(res, pl.col("status").is_in(["achieved", "on_track"]))
    simple = {
        "total": res.height,
        "binding": _count(res, binding),
        "anticipatory": _count(res, ~binding | pl.col("nature").is_null()),
        "y0": y0, "yT": yT, "y0+1": y0 + 1, "year": res.get_column("year").max(),
        "elapsed_share": (res.get_column("year").max() - y0) / (yT - y0),
        "good": good, "bad": _count(res, pl.col("status").is_in(["lagging", "regressing"])),
        "assessed": assessed, "good_share": good / assessed if assessed else None,
        "flags": content.alignment_flags.height,
        "values": content.values.height,
        "pending": _count(content.values, pl.col("status").is_in(["draft", "submitted"])),
        "synthetic": _count(content.values, pl.col("synthetic")),
        "spreads": len(content.spreads),
        "narrowed": sum(g[-1] < g[0] for g in _ginis(content) if len(g) > 1),
        "widened": sum(g[-1] > g[0] for g in _ginis(content) if len(g) > 1),
    }  # fmt: skip
    if content.quality is not None:
        cells = content.quality.cells
        simple.update(
            expected=cells.height,
            reported=int(cells["reported"].sum()),
            on_time=int(cells["on_time"].sum()),
            reporting_rate=cells["reported"].mean(),
            on_time_rate=cells["on_time"].fill_null(False).mean(),  # DHIS2: on time ÷ expected
            first_year=min(content.quality.years),
            last_year=max(content.quality.years),
            outliers=content.quality.outliers.height,
        )
    if key in simple:
        return simple[key]
    column, _, code = key.partition(":")
    frame = res.filter(binding) if column.startswith("binding_") else res
    column = column.removeprefix("binding_")
    if column == "flag":
        return _count(content.alignment_flags, pl.col("flag") == code)
    if code == "none":
        return _count(frame, pl.col(column).is_null())
    return _count(frame, pl.col(column) == code)


@pytest.mark.parametrize("case", CASES)
def test_every_number_of_a_summary_paragraph_comes_from_the_evaluation(
    case, contents, reports
) -> None:
    content, report = contents[case], reports[case]
    checked = 0
    for section, para in _paragraphs(report):
        for key, value in para.numbers.items():
            want = expected(key, content, para.about)
            assert want is not None and math.isclose(value, want, rel_tol=1e-9), (
                section,
                para.text,
                key,
            )
            checked += 1
        # and the text states nothing else: each figure written is one of those facts
        text = para.text
        for name in filter(None, [para.about, content.higher_title]):
            text = text.replace(name, "")
        if para.about:
            row = _row(content, para.about)
            for raw in (row.get("target_raw"), row.get("baseline_raw")):
                text = text.replace(f"目标{raw}", "目标") if raw else text
        written = (
            {number(v) for v in para.numbers.values()}
            | {percent(v) for v in para.numbers.values()}
            | {str(int(v)) for v in para.numbers.values() if float(v).is_integer()}
            | {significant(v) for v in para.numbers.values()}  # as the reasons write them
        )
        percent_unit = bool(para.about) and unit_of(_row(content, para.about)) == "%"
        for token in NUMBER.findall(text):
            if percent_unit and token.endswith("%") and token not in written:
                token = token[:-1]  # a value in the unit "%", not a share
            assert token in written, (section, para.text, token)
    assert checked > 30


@pytest.mark.parametrize("case", CASES)
def test_indicator_tables_hold_every_indicator_once_with_its_status(
    case, contents, reports
) -> None:
    content, report = contents[case], reports[case]
    rows = [row for table in report.tables("indicators") for row in table.rows]
    assert sorted(r[1] for r in rows) == sorted(content.results["indicator"].to_list())
    by_name = {r["indicator"]: r for r in content.results.to_dicts()}
    for row in rows:
        assert row[9] == status_zh(by_name[row[1]]["status"])
        assert row[6] == by_name[row[1]]["value"]
    assert {i.name for i in content.stored.plan.indicators} <= {r[1] for r in rows} | {
        n.split(" [")[0] for n in content.results["indicator"]
    }


@pytest.mark.parametrize("case", CASES)
def test_the_chapters_of_a_chinese_evaluation_report(case, reports) -> None:
    titles = [s.title for depth, s in reports[case].walk() if depth == 1]
    assert titles == [
        "一、总体情况", "二、主要指标完成情况", "三、区域均等化", "四、上下衔接",
        "五、数据质量", "六、基本公共服务标准", "七、存在问题", "八、下一步建议", "附录",
    ]  # fmt: skip


def test_mid_term_says_time_half_task_half_and_final_grades(reports) -> None:
    mid = " ".join(p.text for _, p in _paragraphs(reports["yongchuan_midterm"]))
    assert "时间过半、任务过半" in mid
    final = " ".join(p.text for _, p in _paragraphs(reports["national_final"]))
    assert "时间过半" not in final and "完成" in final


def test_problems_and_next_steps_leave_the_judgement_to_the_analyst(reports) -> None:
    for report in reports.values():
        chapters = {s.key: s for _, s in report.walk()}
        for key in ("problems", "next_steps"):
            places = [b for b in chapters[key].blocks if isinstance(b, Paragraph) and b.placeholder]
            assert len(places) == 1 and "分析人员" in places[0].text


def test_equity_where_child_regions_report_and_not_where_none_do(contents, reports) -> None:
    assert contents["national_final"].spreads  # the provinces under the national plan
    assert not contents["yongchuan_midterm"].spreads  # a county has no regions below
    national = {s.key: s for _, s in reports["national_final"].walk()}["equity"]
    assert any(getattr(b, "key", "") == "spread" for b in national.blocks)


def test_charts_status_by_domain_binding_series_and_spread(contents, reports) -> None:
    national = reports["national_final"].figures()
    keys = [f.key for f in national]
    assert keys[0] == "status_by_domain" and "binding_series" in keys and "spread" in keys
    stacks = national[0].stacks
    res = contents["national_final"].results
    for status, counts in stacks.items():
        assert sum(counts) == res.filter(pl.col("status") == status).height
    assert [f.caption.split("　")[0] for f in national] == [
        f"图{i}" for i in range(1, len(national) + 1)
    ]


@pytest.mark.parametrize("case", CASES)
def test_indicator_sentences_give_the_evaluations_chinese_reason(case, contents, reports) -> None:
    content, report = contents[case], reports[case]
    said = [p for _, p in _paragraphs(report) if p.about and "原因：" in p.text]
    assert said
    for para in said:
        row = _row(content, para.about)
        written = para.text.split("原因：", 1)[1].split("。", 1)[0]
        # the evaluation's words, its figures rounded as the report's tables state them
        assert NUMBER.split(written) == NUMBER.split(row["reason_zh"]), written
        for shown, exact in zip(
            NUMBER.findall(written), NUMBER.findall(row["reason_zh"]), strict=True
        ):
            shown, exact = shown.replace(",", "").rstrip("%"), exact.rstrip("%")
            assert math.isclose(float(shown), float(exact), abs_tol=0.005)
        assert not re.search(r"[A-Za-z]", row["reason_zh"]), row["reason_zh"]
    # the figures a reason states are in its paragraph's registry, not only the sentence's own
    assert any(set(p.numbers) - {"data_year", "value", "baseline", "rho", "elapsed"} for p in said)


def test_equity_names_the_regions_left_out_of_the_last_year(contents, reports) -> None:
    """The chapter gave 地区数 30 for 31 provinces and never said which one had no value."""
    from minsheng.reports.model import Note

    national = {s.key: s for _, s in reports["national_final"].walk()}["equity"]
    text = " ".join(b.text for b in national.blocks if isinstance(b, Note))
    gaps = 0
    for s in contents["national_final"].spreads:
        missing = s.table.sort("year").row(-1, named=True)["missing_regions"]
        gaps += bool(missing)
        assert all(f"{s.indicator}（" in text and name in text for name in missing[:10])
    assert gaps, "the demo leaves a province out of some indicator's last year"


def test_a_year_one_region_reported_is_no_level_gap(contents) -> None:  # noqa: ANN001
    """A prefecture's report read 2020—2023, 1 region, Gini 0 → 0, 持平: the years one county
    reported have no gap; the row compares the years two or more did."""
    from dataclasses import replace

    from minsheng.analytics.inequality import gap_trend, spread
    from minsheng.reports.build_chapters import equity
    from minsheng.services.report_content import SpreadResult

    frame = pl.DataFrame(
        {
            "year": [2020, 2021, 2021, 2023],
            "region": ["a", "a", "b", "a"],
            "value": [90.0, 90.0, 96.0, 91.0],
            "population": [1.0] * 4,
        }
    )
    table = spread(frame)
    one = SpreadResult("某项指标", "ED02", table, gap_trend(table))
    section = equity(replace(contents["national_final"], spreads=[one]))
    rows = [b for b in section.blocks if getattr(b, "key", "") == "spread" and hasattr(b, "rows")]
    (row,) = rows[0].rows
    gini_2021 = table.filter(pl.col("year") == 2021)["gini"].item()
    assert row[:6] == ["某项指标", "2021—2021", 2, gini_2021, gini_2021, None]
    assert row[-1] == "—"
