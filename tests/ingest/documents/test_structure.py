"""Outline, service lists and key project boxes."""

from __future__ import annotations

import pytest
from ingest_paths import GOLD_INDICATORS, corpus_file

from minsheng.ingest.documents.cleaning import clean_lines
from minsheng.ingest.documents.outline import read_outline
from minsheng.ingest.documents.projects import read_project_boxes
from minsheng.ingest.documents.readers import read_document
from minsheng.ingest.documents.services_list import read_service_lists, split_items
from minsheng.ingest.documents.text import split_numbered, squeeze_spaces


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def test_outline_builds_a_tree_and_skips_the_table_of_contents() -> None:
    lines = [
        "目录",
        "第一章 背景",
        "第一节 基础",
        "第二章 目标",
        "第一章 背景",
        "正文第一段。",
        "第一节 基础",
        "一、总体",
        "（一）细则",
        "专栏1 重点工程",
        "第二章 目标",
    ]
    outline = read_outline(lines)
    assert [(n.kind, n.title, n.line) for n in outline] == [
        ("chapter", "第一章 背景", 5),
        ("chapter", "第二章 目标", 11),
    ]
    section = outline[0].children[0]
    assert section.title == "第一节 基础" and section.children[0].kind == "heading"
    assert [c.kind for c in section.children[0].children] == ["subheading"]
    assert [n.kind for n in section.children] == ["heading", "box"]


@pytest.mark.parametrize("gold_path", GOLD_INDICATORS, ids=lambda p: p.name.split(".")[0])
def test_corpus_headings_appear_once(gold_path) -> None:
    lines, _ = clean_lines(read_document(corpus_file(gold_path)).lines)
    nodes = list(_walk(read_outline(lines)))
    assert nodes
    titles = [(n.kind, n.title, n.line) for n in nodes if n.kind == "chapter"]
    assert len({t[1] for t in titles}) == len(titles)


def test_service_sentences_count_their_items() -> None:
    lines = [
        "第四章 幼有所育",
        "本领域服务项目共3项，具体包括：孕产妇健康服务、预防接种、儿童健康管理。",
        "第五章 学有所教",
        "本领域服务项目共3项，具体包括：学前教育幼儿资助、义务教育免学杂费。",
    ]
    lists = read_service_lists(lines, read_outline(lines))
    assert [(e.domain, len(e.items), e.declared_count) for e in lists.entries] == [
        ("幼有所育", 3, 3),
        ("学有所教", 2, 3),
    ]
    assert len(lists.warnings) == 1 and "学有所教" in lists.warnings[0]


def test_box_items_keep_their_inner_enumerations() -> None:
    items, declared = split_items(
        "就业信息服务，职业介绍、职业指导和创业开业指导，失业保险。（共3项）"
    )
    assert (
        items == ["就业信息服务", "职业介绍、职业指导和创业开业指导", "失业保险"] and declared == 3
    )


def test_project_boxes_split_numbered_items_on_one_line() -> None:
    lines = [
        "专栏5 病有所医重点工程",
        "1. 疾控体系建设。改造实验室，配置0.5万台设备。 2.医院建设：新建病房楼2栋。 |",
        "第二节 其他",
    ]
    boxes = read_project_boxes(lines)
    assert [(p.name, p.domain) for p in boxes.projects] == [
        ("疾控体系建设", "health_care"),
        ("医院建设", "health_care"),
    ]
    assert boxes.projects[0].description == "改造实验室，配置0.5万台设备。"
    assert boxes.lines == {0, 1}


def test_indicator_and_list_boxes_are_not_project_boxes() -> None:
    assert read_project_boxes(["专栏1 主要指标", "1. 甲。"]).projects == []
    assert read_project_boxes(["专栏2 公共服务项目清单", "1. 甲。"]).projects == []


def test_numbered_split_ignores_numbers_inside_items() -> None:
    assert split_numbered("1.甲不少于0.1平方米。2.乙1.8倍。3.丙") == [
        (1, "甲不少于0.1平方米。"),
        (2, "乙1.8倍。"),
        (3, "丙"),
    ]


def test_squeeze_spaces() -> None:
    assert squeeze_spaces("文\u00a0体\u00a0服\u00a0务\u00a0保障") == "文体服务保障"
    assert squeeze_spaces("执业(助理) 医师数") == "执业(助理)医师数"


def test_project_boxes_in_table_form() -> None:
    lines = [
        "专栏6 老有所养重大工程",
        "序号 | 项目名称 | 建设内容 | 总投资(亿元) | 建设年限 | 责任单位 |",
        "1 | 区社会福利院 | 新建床位300张 | 1.2 | 2021-2023 | 区民政局 |",
        "2 | 社区养老服务中心 | 新建10个中心 | 8000万元 | 2022年 | 各街道 |",
        "第二节 其他",
    ]
    boxes = read_project_boxes(lines)
    first, second = boxes.projects
    assert (first.name, first.investment, first.start_year, first.end_year, first.lead_unit) == (
        "区社会福利院",
        12000.0,
        2021,
        2023,
        "区民政局",
    )
    assert (second.investment, second.start_year, second.end_year) == (8000.0, 2022, 2022)
    assert first.domain == second.domain == "elderly_care"
    assert boxes.lines == {0, 1, 2, 3}
