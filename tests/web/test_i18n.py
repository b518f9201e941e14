"""The message catalogue: a key defined twice silently loses one of its texts."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

import minsheng.web
from minsheng.web.i18n import MESSAGES

CATALOGUES = sorted(Path(minsheng.web.__file__).parent.glob("i18n*.py"))
TEMPLATES = sorted((Path(minsheng.web.__file__).parent / "templates").glob("*.html"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_no_key_is_defined_twice(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            assert [k for k, n in Counter(keys).items() if n > 1] == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_every_literal_key_a_template_asks_for_exists(path: Path) -> None:
    asked = set(re.findall(r"\bt\('([a-z_0-9]+)'\)", path.read_text(encoding="utf-8")))
    assert sorted(asked - set(MESSAGES)) == []


def test_every_text_has_both_languages() -> None:
    assert [k for k, (zh, en) in MESSAGES.items() if not zh.strip() or not en.strip()] == []
