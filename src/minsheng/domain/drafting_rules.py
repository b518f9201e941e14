"""The rules a next plan's targets are drafted by, and their names.

Why a module of its own: the names are shown by the web pages, written into the
cascade's notes in both languages and listed by the CLI; kept here, with no numeric
imports, every face reads the same words from one place.
"""

from __future__ import annotations

#: Each rule and its name (Chinese, English).
RULE_NAMES: dict[str, tuple[str, str]] = {
    "pace": ("延续趋势", "Own pace"),
    "higher": ("对标上级", "Higher plan's target"),
    "peers": ("对标同级", "Peers' best quarter"),
}
RULES = tuple(RULE_NAMES)
