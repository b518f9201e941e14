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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plans_whose_region_is_not_known_are_under_a_heading_in_the_pages_language(
    seeded_db,
    plan_factory,
    lang: str,  # noqa: ANN001
) -> None:
    from dataclasses import replace

    from minsheng.services.plans import save_extracted_plan
    from minsheng.web.deps import templates
    from minsheng.web.i18n import translator
    from minsheng.web.views import plans_by_level

    plan = plan_factory(title="某地“十四五”公共服务规划")
    plan.metadata = replace(plan.metadata, region_code=None, region_name=None, level=None)
    save_extracted_plan(seeded_db, plan)
    [group] = plans_by_level(seeded_db, lang)
    macros = templates.env.get_template("macros.html").module
    heading = str(macros.level_name(group["level"], translator(lang)))  # type: ignore[attr-defined]
    assert heading == MESSAGES["level_unknown"][0 if lang == "zh" else 1]


def _recorded_actions() -> set[str]:
    """Every action name the services write to the audit trail (``audit_repo.record(…, "x.y")``)."""
    import minsheng.services

    found = set()
    for path in Path(minsheng.services.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and len(node.args) >= 3
                and isinstance(node.args[2], ast.Constant)
                and isinstance(node.args[2].value, str)
            ):
                found.add(node.args[2].value)
    return found


def test_every_action_in_the_audit_trail_has_a_name_on_the_page() -> None:
    actions = _recorded_actions()
    assert {"plan.add", "plan.version", "user.add"} <= actions  # the scan finds them
    assert sorted(a for a in actions if f"audit_{a.replace('.', '_')}" not in MESSAGES) == []


def test_english_pages_write_an_english_colon_after_a_label(client, national_plan) -> None:  # noqa: ANN001
    """Labels on English pages were followed by the full-width ：, as on the Chinese ones."""
    plan = national_plan["id"]
    pages = ["/equity?year=2025", f"/plans/{plan}/draft", "/standards", f"/map?plan={plan}"]
    for page in pages:
        text = client.get(page, params={"lang": "en"}).text
        main = text[text.find("<main") :]
        assert not re.search(r"[A-Za-z)]\s*：", main), (page, re.findall(r".{20}：", main)[:3])
