"""A target the plan wrote in words (应保尽保) is shown as the plan wrote it, never as "—"."""

from __future__ import annotations

import re

import pytest


def _target_cells(html: str, label: str) -> dict[str, str]:
    """Indicator name → the text of its target cell, from a page's indicator rows."""
    cells = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        name = re.search(r'<a href="/plans/\d+/indicators/\d+[^"]*">([^<]+)</a>', row)
        target = re.search(rf'data-label="{label}">([^<]*)</td>', row)
        if name and target:
            cells[name.group(1)] = target.group(1).strip()
    return cells


@pytest.mark.parametrize(
    ("lang", "label", "words"),
    [("zh", "目标值", "应保尽保"), ("en", "Target", "All who qualify covered")],
)
def test_a_full_coverage_target_is_shown_in_words(
    client, national_plan, lang, label, words
) -> None:  # noqa: ANN001
    plan = client.get(f"/api/plans/{national_plan['id']}/dashboard?year=2025").json()
    worded = [r["indicator"] for r in plan["rows"] if r["target_kind"] == "full_coverage"]
    assert worded, "the national plan has 应保尽保 targets"
    page = client.get(f"/plans/{national_plan['id']}?year=2025&lang={lang}").text
    cells = _target_cells(page, label)
    assert {cells[name] for name in worded} == {words}
    # a numeric target keeps its number and bound
    assert any(re.fullmatch(r"[>≥<≤≈]?[\d.,]+.*", text) for text in cells.values())
