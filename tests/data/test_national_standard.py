"""The shipped national standard holds facts its sources state, each traceable to its source."""

from __future__ import annotations

from pathlib import Path

from minsheng.data.national_standard import (
    national_categories,
    national_domains,
    national_standard_versions,
)
from minsheng.domain.service_domains import DOMAINS

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _source_text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")  # fails (not skips) when absent


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_nine_domains_and_twenty_two_categories_as_the_table_of_contents_gives_them() -> None:
    assert national_domains() == [d.name_zh for d in DOMAINS]
    categories = national_categories()
    assert [c.number for c in categories] == list(range(1, 23))
    toc = _squeezed(_source_text(national_standard_versions()[0].source or ""))
    for c in categories:
        assert f"{c.number}.{c.name}" in toc


def test_every_item_is_named_in_its_source_and_nothing_is_filled_in() -> None:
    for version in national_standard_versions():
        for item in version.items:
            assert item.source, item.item
            source_file = item.source.split(":")[0]
            text = _squeezed(_source_text(source_file))
            assert item.item in text
            for value in (item.served, item.content, item.standard, item.spending_responsibility):
                assert value is None or _squeezed(value) in text
            assert item.standard is None  # no source gives a national standard's figure


def test_the_2023_revision_is_version_2_with_the_added_item() -> None:
    v1, v2 = national_standard_versions()
    assert (v1.version, v2.version) == ("1", "2")
    added = {i.item for i in v2.items} - {i.item for i in v1.items}
    assert added == {"增补叶酸预防神经管缺陷服务"}
