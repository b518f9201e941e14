"""Standard lists as versioned data: from a plan, from files, revised; history survives a restart."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from minsheng.domain.errors import Conflict, InvalidData, NotFound
from minsheng.domain.standards import StandardItem, StandardList
from minsheng.services.mapping import store_documents
from minsheng.services.standards import (
    diff_versions,
    find_list,
    items_by_domain,
    list_history,
    list_summaries,
    record_list,
    revise_list,
    store_national_standard,
)
from minsheng.services.standards_files import import_list_file, write_list_template
from minsheng.store.database import Database

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _district() -> tuple[Path, list[dict]]:
    """The district plan and its gold service list (the test fails when ../shared is absent)."""
    [document] = sorted((SHARED / "corpus").glob("003_*.txt"))
    [gold] = sorted((SHARED / "gold").glob("003_*.services.json"))
    return document, json.loads(gold.read_text(encoding="utf-8"))


def _items(*names: str, domain: str = "幼有所育") -> list[StandardItem]:
    return [StandardItem(domain, n) for n in names]


def test_a_plan_ingest_stores_its_list_with_the_declared_counts(seeded_db) -> None:
    document, gold = _district()
    [(_, stored_plan)] = store_documents(seeded_db, [document])
    [summary] = list_summaries(seeded_db)
    stored = find_list(seeded_db, summary.id)
    assert stored.list.plan_id == stored_plan.id
    assert stored.list.region_code == stored_plan.region_code
    assert stored.list.version == "1"
    counts = Counter(i.domain for i in stored.list.items)
    assert counts == {g["domain"]: g["declared_count"] for g in gold}
    grouped = items_by_domain(stored.list)
    assert {d: len(items) for d, items in grouped.items()} == {
        g["domain"]: g["declared_count"] for g in gold
    }
    assert [i.item for i in items_by_domain(stored.list, "health_care")["病有所医"]] == next(
        g["items"] for g in gold if g["domain"] == "病有所医"
    )


def test_a_changed_plan_ingested_again_makes_version_2_with_exactly_the_changes(
    seeded_db, tmp_path: Path
) -> None:
    document, gold = _district()
    store_documents(seeded_db, [document])
    old_name = gold[1]["items"][2]
    new_name = old_name + "和学习用品"
    text = document.read_text(encoding="utf-8")
    assert text.count(old_name) >= 1
    changed = tmp_path / f"{document.stem}-修订{document.suffix}"  # an edited copy, renamed
    changed.write_text(text.replace(old_name, new_name), encoding="utf-8")
    store_documents(seeded_db, [changed])

    [summary] = list_summaries(seeded_db)
    assert (summary.version, summary.versions) == ("2", 2)
    a, b, diff = diff_versions(seeded_db, summary.id)
    assert (a.list.version, b.list.version) == ("1", "2")
    assert [i.item for i in diff.added] == [new_name]
    assert [i.item for i in diff.removed] == [old_name]
    assert diff.changed == []
    assert diff.unchanged == sum(g["declared_count"] for g in gold) - 1


def test_an_unchanged_list_adds_no_version_and_a_changed_one_keeps_the_old(seeded_db) -> None:
    base = StandardList("某县清单", "1", "500118", _items("甲", "乙"), author="wang", reason="首版")
    first = record_list(seeded_db, base)
    again = record_list(seeded_db, base)
    assert again.created is False and again.id == first.id
    second = revise_list(
        seeded_db,
        first.id,
        [StandardItem("幼有所育", "甲", standard="每人每年100元"), StandardItem("幼有所育", "丙")],
        reason="提高甲的标准，以丙替换乙",
        author="li",
    )
    assert second.list.version == "2"
    assert [i.item for i in find_list(seeded_db, "某县清单", "1").list.items] == ["甲", "乙"]
    _, _, diff = diff_versions(seeded_db, "某县清单", version_a="1", version_b="2")
    assert [i.item for i in diff.added] == ["丙"]
    assert [i.item for i in diff.removed] == ["乙"]
    [change] = diff.changed
    assert change.item == "甲"
    assert [(c.field, c.before, c.after) for c in change.changes] == [
        ("standard", None, "每人每年100元")
    ]


def test_history_survives_a_restart_and_says_who_changed_what(seeded_db) -> None:
    first = record_list(
        seeded_db,
        StandardList("某县清单", "1", "500118", _items("甲"), author="wang", reason="首版"),
    )
    revise_list(seeded_db, first.id, _items("甲", "乙"), reason="新增乙", author="li")
    url = seeded_db.url
    seeded_db.dispose()
    reopened = Database(url)
    try:
        history = list_history(reopened, "某县清单")
        assert [(s.list.version, s.list.author, s.list.reason) for s, _ in history] == [
            ("1", "wang", "首版"),
            ("2", "li", "新增乙"),
        ]
        assert history[0][1] is None
        diff = history[1][1]
        assert diff is not None and [i.item for i in diff.added] == ["乙"]
        assert all(s.list.created_at is not None for s, _ in history)
    finally:
        reopened.dispose()


def test_a_version_needs_an_author_and_a_change_needs_a_reason(seeded_db) -> None:
    with pytest.raises(InvalidData):
        record_list(seeded_db, StandardList("某县清单", "1", "500118", _items("甲")))
    first = record_list(
        seeded_db, StandardList("某县清单", "1", "500118", _items("甲"), author="wang")
    )
    with pytest.raises(InvalidData):
        revise_list(seeded_db, first.id, _items("乙"), reason=" ", author="li")
    with pytest.raises(NotFound):
        find_list(seeded_db, "某县清单", "7")


def test_import_is_all_or_nothing_with_row_numbers(seeded_db, tmp_path: Path) -> None:
    bad = tmp_path / "list.csv"
    bad.write_text(
        "服务领域,服务项目,服务标准\n幼有所育,甲,免费\n,乙,每月300元\n学有所教,,免费\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidData) as caught:
        import_list_file(seeded_db, bad, "某县清单", "500118", "wang")
    assert [p.row for p in caught.value.problems] == [3, 4]
    assert list_summaries(seeded_db) == []


def test_a_stated_split_that_does_not_add_up_is_refused_with_its_row(
    seeded_db, tmp_path: Path
) -> None:
    """中央80%、地方30% was stored, and costing left the item 未分 without a word."""
    path = tmp_path / "list.csv"
    path.write_text(
        "服务领域,服务项目,服务标准,支出责任\n"
        "学有所教,甲,每人每年不低于1500元,中央80%、地方30%\n"
        "学有所教,乙,每人每年1000元,中央80%、地方20%\n"
        "学有所教,丙,每人每年1000元,中央承担50%，其余由地方统筹\n"
        "学有所教,丁,每人每年1000元,中央和地方共同承担\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidData) as caught:
        import_list_file(seeded_db, path, "某县清单", "500118", "wang")
    assert [(p.row, p.field) for p in caught.value.problems] == [
        (2, "支出责任/spending_responsibility")
    ]
    assert "110%" in caught.value.problems[0].message
    assert list_summaries(seeded_db) == []


def test_the_template_filled_in_imports_as_a_version(seeded_db, tmp_path: Path) -> None:
    import openpyxl

    path = write_list_template(tmp_path / "template.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["清单"]
    sheet.append(
        [
            "幼有所育",
            "优孕优生服务",
            "甲",
            "农村计划怀孕夫妇",
            None,
            "免费",
            "地方财政",
            "卫生健康委",
            None,
        ]
    )
    sheet.append(["学有所教", None, "乙", "在园幼儿", None, "每生每年1000元", None, None, None])
    book.save(path)
    stored = import_list_file(seeded_db, path, "某县清单", "500118", "wang", reason="首版")
    assert stored.created and stored.list.version == "1"
    assert [(i.item, i.category, i.standard) for i in stored.list.items] == [
        ("甲", "优孕优生服务", "免费"),
        ("乙", None, "每生每年1000元"),
    ]
    assert stored.list.source == "template.xlsx"


def test_the_national_standard_is_stored_as_two_versions_once(seeded_db) -> None:
    first = store_national_standard(seeded_db)
    assert [(s.list.version, s.created) for s in first] == [("1", True), ("2", True)]
    again = store_national_standard(seeded_db)
    assert [s.created for s in again] == [False, False]
    _, _, diff = diff_versions(seeded_db, first[0].id, version_a="1", version_b="2")
    assert [i.item for i in diff.added] == ["增补叶酸预防神经管缺陷服务"]
    assert diff.removed == []
    # the items the 2023 news names as changed carry what changed, nothing invented
    assert len(diff.changed) == 8
    assert all([c.field for c in ch.changes] == ["source"] for ch in diff.changed)


def test_the_same_version_twice_is_a_conflict(seeded_db) -> None:
    from minsheng.services.standards import save_standard_list

    standard = StandardList("某县清单", "1", "500118", _items("甲"))
    save_standard_list(seeded_db, standard)
    with pytest.raises(Conflict):
        save_standard_list(seeded_db, standard)


def test_a_plan_whose_region_is_unknown_keeps_its_list_without_a_region(
    seeded_db, plan_factory
) -> None:
    from minsheng.services.plans import save_extracted_plan

    plan = plan_factory(region_code="999999")  # no such region in the tree
    stored = save_extracted_plan(seeded_db, plan)
    assert stored.region_code is None
    [summary] = list_summaries(seeded_db)
    lst = find_list(seeded_db, summary.id).list
    assert lst.region_code is None and lst.plan_id == stored.id
    assert [i.item for i in lst.items] == [i for e in plan.services for i in e.items]


def test_an_unknown_domain_is_refused(seeded_db) -> None:
    stored = record_list(
        seeded_db, StandardList("某县清单", "1", "500118", _items("甲"), author="wang")
    )
    with pytest.raises(InvalidData):
        items_by_domain(stored.list, "没有这个领域")
