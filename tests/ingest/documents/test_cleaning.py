"""Cleaning takes out chrome and injected spam, reports it, and never touches plan content."""

from __future__ import annotations

import pytest
from ingest_paths import GOLD_INDICATORS, corpus_file

from minsheng.ingest.documents.cleaning import clean_lines, remove_spam
from minsheng.ingest.documents.readers import read_document


@pytest.mark.parametrize(
    ("line", "kept", "spam"),
    [
        (
            "各镇123网站是正规平台吗_123bet足球网_bt123博彩、街道办事处",
            "各镇、街道办事处",
            "123网站是正规平台吗_123bet足球网_bt123博彩",
        ),
        (
            "区卫生健康委bet888体育在线投注、区民政局",
            "区卫生健康委、区民政局",
            "bet888体育在线投注",
        ),
        ("按照国家标准_规范执行", "按照国家标准_规范执行", None),
        ("推进澳门葡京娱乐场社区服务中心建设", "推进澳门社区服务中心建设", "葡京娱乐场"),
        ("城镇新增就业人数2020年达到16万人", "城镇新增就业人数2020年达到16万人", None),
    ],
)
def test_spam_spans_are_cut_out_of_the_sentence(line: str, kept: str, spam: str | None) -> None:
    cleaned, removed = remove_spam(line)
    assert cleaned == kept
    assert removed == ([spam] if spam else [])


@pytest.mark.parametrize(
    "line",
    [
        "设为首页 | 加入收藏",
        "首 页 | 新闻中心 | 政务公开 | 办事服务 | 互动交流",
        "当前位置：首页 > 政务公开",
        "分享到：微信 微博 QQ空间",
        "字体：【大 中 小】 打印本页 关闭窗口",
        "京ICP备00000000号 京公网安备00000000000000号",
        "甲省政府网 乙省政府网 丙市政府网 丁市政府网",
    ],
)
def test_chrome_lines_are_blanked_and_reported(line: str) -> None:
    cleaned, removed = clean_lines(["标题", line, "正文。"])
    assert cleaned == ["标题", "", "正文。"]
    assert [r.line for r in removed] == [2]


@pytest.mark.parametrize("gold_path", GOLD_INDICATORS, ids=lambda p: p.name.split(".")[0])
def test_cleaning_keeps_every_table_line_of_the_corpus(gold_path) -> None:
    lines = read_document(corpus_file(gold_path)).lines
    cleaned, removed = clean_lines(lines)
    assert len(cleaned) == len(lines)
    touched = {r.line for r in removed}
    for number, (before, after) in enumerate(zip(lines, cleaned, strict=True), 1):
        if number not in touched:
            assert before == after
        if any(word in before for word in ("预期性", "约束性")):
            assert before == after, number
