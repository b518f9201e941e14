"""Match a plan's indicator names to the national catalogue's canonical indicators.

Plans reword the national indicators (``每千人口拥有执业(助理)医师数`` for
``每千人口执业(助理)医师数``, ``养老机构护理型养老床位占比``…). Names are
reduced first — by the one name normaliser (:func:`minsheng.names.normalise_name`:
Simplified script, half-width characters, one bracket style, no spaces or quotes),
then filler words such as 拥有, 全市 or 主要 dropped — and then
compared with rapidfuzz's normalised Levenshtein ratio against every name and
alias. A rate (率/占比/比例) never matches a count, which a character ratio
alone would allow (``基本养老保险参保人数`` vs ``参保率``), and a row whose unit is
another quantity than the indicator's (万平方米 against 万个) is never matched to it: the two
would share one series of values (:mod:`minsheng.units`). Below
:data:`THRESHOLD` an indicator is left unmatched with its best candidates, for
a person to confirm (the store keeps confirmations as aliases).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from minsheng.domain.indicators import CanonicalIndicator
from minsheng.ingest.documents.extraction import Match
from minsheng.names import normalise_name
from minsheng.units import same_quantity

#: Score (0–1) at or above which a match is accepted without asking.
THRESHOLD = 0.85
CANDIDATES = 3
_RATE = re.compile(r"(?:率|占比|比例|比重)$")
#: Words that say where or how much emphasis, not what is measured: a name means the same
#: without them (全市学前教育毛入园率 = 学前教育毛入园率).
_FILLER = re.compile(
    r"^(?:全国|全省|全市|全区|全县|全州|全盟|本市|本区|本县|我省|我市|我区)|拥有|主要|指标$"
)


def reduce_name(name: str) -> str:
    """The comparable core of a name.

    >>> reduce_name("每千人口拥有执业（助理） 医师数")
    '每千人口执业(助理)医师数'
    >>> reduce_name("全市每千人口擁有執業（助理）醫師數")
    '每千人口执业(助理)医师数'
    """
    text = re.sub(r"[《》「」『』]", "", normalise_name(name))
    text = _FILLER.sub("", text)
    text = re.sub(r"\((?:[万亿千百]?[人个张次户元米年岁%]+|平方米|万人次|万平方米)\)$", "", text)
    return text


def _score(a: str, b: str) -> float:
    score = float(fuzz.ratio(a, b)) / 100.0
    if bool(_RATE.search(a)) != bool(_RATE.search(b)):
        score *= 0.8
    return score


def match_indicators(
    names: Sequence[str],
    catalogue: Iterable[CanonicalIndicator],
    threshold: float = THRESHOLD,
    extra_aliases: dict[str, str] | None = None,
    units: Sequence[str | None] | None = None,
) -> list[Match]:
    """Best canonical indicator for each name; ``extra_aliases`` (name → code) are confirmed pairs.

    ``units`` (one per name, None where unknown): an indicator in another quantity keeps at
    most half its score, so it may be offered as a candidate but is never taken unasked.
    """
    entries: list[tuple[str, str, str]] = []  # (reduced name, code, display name)
    unit_of: dict[str, str | None] = {}
    for indicator in catalogue:
        unit_of[indicator.code] = indicator.unit
        for name in indicator.names:
            entries.append((reduce_name(name), indicator.code, indicator.name))
    confirmed = {reduce_name(k): v for k, v in (extra_aliases or {}).items()}
    out = []
    for i, name in enumerate(names):
        key = reduce_name(name)
        unit = units[i] if units is not None else None
        if key in confirmed and same_quantity(unit, unit_of.get(confirmed[key])):
            out.append(Match(name, confirmed[key], 1.0))
            continue
        best: dict[str, tuple[float, str]] = {}
        for reduced, code, display in entries:
            score = 1.0 if reduced == key else _score(key, reduced)
            if not same_quantity(unit, unit_of.get(code)):
                score *= 0.5
            if code not in best or score > best[code][0]:
                best[code] = (score, display)
        ranked = sorted(((s, c, d) for c, (s, d) in best.items()), reverse=True)[:CANDIDATES]
        candidates = [(c, d, s) for s, c, d in ranked]
        if ranked and ranked[0][0] >= threshold:
            out.append(Match(name, ranked[0][1], ranked[0][0], candidates))
        else:
            out.append(Match(name, None, ranked[0][0] if ranked else 0.0, candidates))
    return out
