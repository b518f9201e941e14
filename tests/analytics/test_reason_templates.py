"""The reason templates: one table, every reason worded in both languages, naming the same
figures, so that the English and Chinese reasons can never say different things."""

from __future__ import annotations

import inspect
import re
from collections import Counter

import pytest

from minsheng.analytics import reasons, specs
from minsheng.analytics.reason_templates import LANGUAGES, TEMPLATES, placeholders

#: Letters a Chinese reason may not hold outside its placeholders.
LATIN = re.compile(r"[A-Za-z]")


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_reason_has_both_languages_and_the_same_placeholders(key: str) -> None:
    worded = TEMPLATES[key]
    assert set(worded) == set(LANGUAGES)
    assert all(worded[language].strip() for language in LANGUAGES)
    assert Counter(placeholders(worded["en"])) == Counter(placeholders(worded["zh"]))


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_the_chinese_wording_is_chinese(key: str) -> None:
    words = re.sub(r"\{\w+\}", "", TEMPLATES[key]["zh"])
    assert not LATIN.search(words), words


def test_every_placeholder_is_a_figure_or_a_worded_part() -> None:
    """A template naming a figure nobody fills would fail only when its branch first runs."""
    worded_parts = {"gap", "head", "amount"}  # reasons filled into other reasons
    figures = set(reasons._figures()) | worded_parts
    named = {
        name for worded in TEMPLATES.values() for t in worded.values() for name in placeholders(t)
    }
    assert named <= figures, named - figures


def test_every_template_is_spoken() -> None:
    source = inspect.getsource(reasons) + inspect.getsource(specs)
    unused = [key for key in TEMPLATES if f'"{key}"' not in source]
    assert not unused, unused
