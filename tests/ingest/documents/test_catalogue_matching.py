"""Matching plan wording to the national catalogue."""

from __future__ import annotations

import re

import pytest

from minsheng.data.catalogue import load_catalogue
from minsheng.ingest.documents.catalogue_matching import (
    THRESHOLD,
    match_indicators,
    reduce_name,
)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_the_shipped_catalogue_loads(catalogue) -> None:
    assert catalogue and len({c.code for c in catalogue}) == len(catalogue)


def test_every_canonical_name_matches_itself(catalogue) -> None:
    matches = match_indicators([c.name for c in catalogue], catalogue)
    assert [m.code for m in matches] == [c.code for c in catalogue]
    assert all(m.score == 1.0 for m in matches)


@pytest.mark.parametrize(
    ("variant", "canonical_name"),
    [
        ("每千人口执业（助理）医师数", "每千人口拥有执业(助理)医师数"),
        ("每千人口拥有 执业(助理)医师数(人)", "每千人口拥有执业(助理)医师数"),
        ("养老机构护理型养老床位占比", "养老机构护理型床位占比"),
    ],
)
def test_rewordings_match(catalogue, variant: str, canonical_name: str) -> None:
    (match,) = match_indicators([variant], catalogue)
    expected = next(c.code for c in catalogue if c.name == canonical_name)
    assert match.code == expected and match.score >= THRESHOLD


def test_a_count_does_not_match_a_rate(catalogue) -> None:
    rate = next(c for c in catalogue if c.name.endswith("参保率"))
    (match,) = match_indicators([rate.name[:-1] + "人数"], catalogue)
    assert match.code is None and match.candidates and match.candidates[0][0] == rate.code


def test_unknown_indicators_are_unmatched_with_candidates(catalogue) -> None:
    (match,) = match_indicators(["每万人口拥有全科医生数"], catalogue)
    assert match.code is None and len(match.candidates) == 3
    (confirmed,) = match_indicators(
        ["每万人口拥有全科医生数"], catalogue, extra_aliases={"每万人口全科医生数": "HE02"}
    )
    assert confirmed.code == "HE02"


def test_reduce_name_drops_wording_that_does_not_change_meaning() -> None:
    assert reduce_name("每千人口拥有“执业（助理）” 医师数") == "每千人口执业(助理)医师数"


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_matching_sees_through_traditional_full_width_and_filler_words(catalogue) -> None:
    """Every canonical name, in Traditional script, full-width, behind a scope word, still
    matches its own code exactly."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from opencc import OpenCC

    to_traditional = OpenCC("s2t")

    @settings(max_examples=80, deadline=None)
    @given(
        st.sampled_from(catalogue),
        st.sampled_from(["", "全市", "全省", "本区"]),
        st.booleans(),
        st.booleans(),
    )
    def check(indicator, scope: str, traditional: bool, wide: bool) -> None:
        name = scope + indicator.name
        if traditional:
            name = to_traditional.convert(name)
        if wide:
            name = _full_width(name)
        (match,) = match_indicators([name], catalogue)
        assert match.code == indicator.code and match.score == 1.0, name

    check()


# --------------------------------------------------------------- wordings that see through
# A catalogue name as plans and bulletins write it: in Traditional script, in full-width
# characters, with filler words (全市…, 拥有, 主要, …指标) and stray spaces. Each must still
# match its own entry, exactly (score 1.0), because the comparable form is the same.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ENTRIES = [(c.code, name) for c in load_catalogue() for name in c.names]
_PREFIXES = ["", "全市", "全省", "全区", "全县", "本市", "我省"]


def _traditional(text: str) -> str:
    from opencc import OpenCC

    return str(OpenCC("s2t").convert(text))


def _full_width(text: str) -> str:
    """ASCII letters, digits and brackets as their full-width forms (U+FF01…)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(max_examples=150, deadline=None)
@given(
    entry=st.sampled_from(_ENTRIES),
    traditional=st.booleans(),
    full_width=st.booleans(),
    prefix=st.sampled_from(_PREFIXES),
    fillers=st.lists(
        st.tuples(st.sampled_from(["拥有", "主要", " ", "\u3000"]), st.integers(0, 40)),
        max_size=3,
    ),
    suffix=st.sampled_from(["", "指标"]),
)
def test_a_catalogue_name_in_any_script_width_or_filler_matches_its_entry(
    entry: tuple[str, str],
    traditional: bool,
    full_width: bool,
    prefix: str,
    fillers: list[tuple[str, int]],
    suffix: str,
) -> None:
    code, name = entry
    # fillers go between the name's characters, never inside a filler word it holds
    inside = {m.start() + 1 for w in ("拥有", "主要") for m in re.finditer(w, name)}
    places = [k for k in range(len(name) + 1) if k not in inside]
    inserts = sorted(((places[at % len(places)], word) for word, at in fillers), reverse=True)
    text = name
    for k, word in inserts:
        text = text[:k] + word + text[k:]
    text = prefix + text + suffix
    if traditional:
        text = _traditional(text)
    if full_width:
        text = _full_width(text)
    (match,) = match_indicators([text], load_catalogue())
    assert (match.code, match.score) == (code, 1.0), text
    assert reduce_name(text) == reduce_name(name)


def test_a_row_without_a_category_takes_the_domain_of_its_catalogue_entry() -> None:
    """A Word table with no category rows: 每千人口拥有注册护士数 has no domain word in it, so
    reports and dashboards filed it under 其他 although the catalogue says 病有所医."""
    from minsheng.ingest.documents.document import extract_lines
    from minsheng.ingest.documents.readers import RawDocument

    lines = [
        "某市“十四五”基本公共服务规划",
        "序号 | 指标 | 单位 | 2020年 | 2025年 | 属性 |",
        "1 | 每千人口拥有注册护士数 | 人 | 2.7 | 3.5 | 预期性 |",
        "2 | 某项本地自设指标 | 个 | 1 | 2 | 预期性 |",
        "一、学有所教",
        "3 | 每千人口拥有注册护士数 | 人 | 2.7 | 3.5 | 预期性 |",
    ]
    rows = extract_lines(RawDocument(lines=lines), "plan.txt").plan.indicators
    assert [(r.canonical_code, r.domain_code, r.domain_from) for r in rows] == [
        ("HE03", "health_care", "mapping"),  # the entry's: goes if the mapping is undone
        (None, None, None),  # matched to nothing: no domain invented
        ("HE03", "education", None),  # the plan's own category stays the plan's word
    ]
