"""Compare a local basic public service list with a reference (national or higher-level) list.

Items pair up in three ways, strongest first: the same name (width and spaces
folded); a pair a person confirmed earlier; a fuzzy match (rapidfuzz's normalised
Indel similarity, 0–100) at or above ``threshold``. A pair scoring below the
threshold but at least ``suggest_from`` is only a *suggestion*: its items stay
missing/added until a person confirms it. A pair a person rejected never matches.
Where both sides of a pair state a comparable quantity, the pair is below, at or above the
reference; a lower local one is flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from minsheng.domain.standard_quantities import QuantifiedStandard, parse_standard, relation
from minsheng.domain.standards import StandardItem, item_key

DEFAULT_THRESHOLD = 90.0
DEFAULT_SUGGEST_FROM = 60.0


@dataclass(frozen=True)
class ItemMatch:
    local: StandardItem
    reference: StandardItem
    score: float
    how: str  # "same name", "confirmed" or "fuzzy"


@dataclass(frozen=True)
class StandardPair:
    """A matched pair whose two standards state comparable quantities."""

    local: StandardItem
    reference: StandardItem
    local_quantity: QuantifiedStandard
    reference_quantity: QuantifiedStandard


LowerStandard = StandardPair  # the name the lower-standard flags were first published under


@dataclass
class Comparison:
    threshold: float
    matched: list[ItemMatch] = field(default_factory=list)
    suggestions: list[ItemMatch] = field(default_factory=list)  # not applied
    missing: list[StandardItem] = field(default_factory=list)  # in the reference, not local
    added: list[StandardItem] = field(default_factory=list)  # local, not in the reference
    lower: list[StandardPair] = field(default_factory=list)  # local standard below the reference's
    equal: list[StandardPair] = field(default_factory=list)  # the same quantity on both sides
    higher: list[StandardPair] = field(default_factory=list)  # local standard above the reference's
    not_comparable: list[ItemMatch] = field(default_factory=list)  # a side states no like quantity
    unparsed_standards: int = 0  # local items whose standard is text with no quantity


def similarity(a: str, b: str) -> float:
    """0–100 similarity of two item names after folding width, spaces and punctuation."""
    return float(fuzz.ratio(item_key(a), item_key(b)))


def compare_items(
    local: list[StandardItem],
    reference: list[StandardItem],
    verdicts: Mapping[tuple[str, str], bool] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    suggest_from: float = DEFAULT_SUGGEST_FROM,
) -> Comparison:
    """Pair the items of two lists; see the module docstring for the rules."""
    verdicts = verdicts or {}
    out = Comparison(threshold=threshold)
    free_local = list(range(len(local)))
    free_ref = list(range(len(reference)))

    def take(i: int, j: int, score: float, how: str) -> None:
        out.matched.append(ItemMatch(local[i], reference[j], score, how))
        free_local.remove(i)
        free_ref.remove(j)

    for i in list(free_local):
        j = next(
            (j for j in free_ref if item_key(reference[j].item) == item_key(local[i].item)), None
        )
        if j is not None:
            take(i, j, 100.0, "same name")
    for i in list(free_local):
        j = next((j for j in free_ref if verdicts.get((local[i].item, reference[j].item))), None)
        if j is not None:
            take(i, j, similarity(local[i].item, reference[j].item), "confirmed")
    pairs = sorted(
        (
            (similarity(local[i].item, reference[j].item), i, j)
            for i in free_local
            for j in free_ref
            if verdicts.get((local[i].item, reference[j].item)) is not False
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    suggested: set[int] = set()
    for score, i, j in pairs:
        if i not in free_local or j not in free_ref:
            continue
        if score >= threshold:
            take(i, j, score, "fuzzy")
        elif score >= suggest_from and i not in suggested:
            out.suggestions.append(ItemMatch(local[i], reference[j], score, "suggestion"))
            suggested.add(i)
    out.missing = [reference[j] for j in free_ref]
    out.added = [local[i] for i in free_local]
    for m in out.matched:
        mine, theirs = parse_standard(m.local.standard), parse_standard(m.reference.standard)
        found = None if mine is None or theirs is None else relation(mine, theirs)
        if found is None or mine is None or theirs is None:
            out.not_comparable.append(m)
            continue
        pair = StandardPair(m.local, m.reference, mine, theirs)
        (out.lower if found < 0 else out.higher if found > 0 else out.equal).append(pair)
    out.unparsed_standards = sum(
        1
        for item in local
        if item.standard and item.standard.strip() and parse_standard(item.standard) is None
    )
    return out
