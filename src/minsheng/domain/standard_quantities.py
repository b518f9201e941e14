"""Quantified service standards: the amount, unit, period and beneficiary in a 服务标准 cell.

Lists state standards in prose (``城乡居民每人每年不低于89元``, ``每生每年2000元``,
``每月300元``, ``免费``, ``全覆盖``, ``不低于95%``, ``每年至少1次``). Comparing a
local standard with the higher level's, and costing a list, need the number, its
unit and the period it is paid for. Hand-written because no library reads Chinese
administrative quantity phrases; it is a pure function so property tests can check it.
Text that states no quantity is left as text (``parse_standard`` returns None).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    MONEY = "money"  # an amount of money per beneficiary and period
    SHARE = "share"  # a percentage (coverage, reimbursement share…)
    COUNT = "count"  # a number of times/things per period
    FREE = "free"  # 免费/免除: provided at no charge
    COVERAGE = "coverage"  # 全覆盖: everyone eligible is served


class Bound(StrEnum):
    AT_LEAST = "at_least"  # 不低于/不少于/至少/以上
    AT_MOST = "at_most"  # 不超过/不高于/以内
    EXACT = "exact"


PERIODS_PER_YEAR: dict[str, int] = {
    "year": 1,
    "half_year": 2,
    "quarter": 4,
    "month": 12,
    "week": 52,
    "day": 365,
}

_PERIOD_WORDS: dict[str, str] = {
    "年": "year",
    "学年": "year",
    "半年": "half_year",
    "季度": "quarter",
    "季": "quarter",
    "月": "month",
    "周": "week",
    "日": "day",
    "天": "day",
}

_MONEY_UNITS: dict[str, float] = {"元": 1.0, "万元": 1e4, "亿元": 1e8}

_NUMBER = r"(?P<amount>\d+(?:\.\d+)?)"
_AT_LEAST = r"不低于|不少于|不得低于|至少|最低|达到"
_AT_MOST = r"不超过|不高于|最高|至多"
_PER = r"每(?P<per>人|生|户|名|位|对|个|例|孩|学生|儿童|家庭|对夫妇)?"
_PERIOD = r"(?:每)?(?P<period>学年|半年|季度|年|季|月|周|日|天)"

_MONEY = re.compile(
    rf"(?:{_PER})?(?:{_PERIOD})?(?P<bound>{_AT_LEAST}|{_AT_MOST})?(?:补助|标准为|为)?"
    rf"{_NUMBER}\s*(?P<unit>亿元|万元|元)"
    rf"(?:\s*/\s*(?P<per2>人|生|户)(?:\s*[·/]\s*(?P<period2>年|月|学年))?)?"
    rf"(?P<tail>以上|以内|及以上)?"
)
_SHARE = re.compile(
    rf"(?P<bound>{_AT_LEAST}|{_AT_MOST})?{_NUMBER}\s*[%％](?P<tail>以上|以内|及以上)?"
)
_COUNT = re.compile(
    rf"每(?P<period>学年|半年|季度|年|季|月|周|日|天)(?:提供|开展|组织|免费提供)?(?P<bound>{_AT_LEAST}|{_AT_MOST})?"
    rf"{_NUMBER}\s*(?P<unit>次|场|册|项)"
)
_FREE = re.compile(r"免费|免除|减免|无偿")
_COVERAGE = re.compile(r"全覆盖|应保尽保|应助尽助|应救尽救")
_WHO = re.compile(r"^(?P<who>[\u4e00-\u9fff]{2,10}?)(?:每人|每生|每户|每名)")


@dataclass(frozen=True)
class QuantifiedStandard:
    """What a standard's text quantifies; ``text`` keeps the words it was read from."""

    text: str
    kind: Kind
    amount: float | None = None  # in ``unit`` (money in 元, shares in %, counts in times)
    unit: str | None = None
    period: str | None = None  # key of PERIODS_PER_YEAR, or None for a one-off amount
    per: str | None = None  # the beneficiary unit: 人, 生, 户 …
    applies_to: str | None = None  # the group named before 每人 (城乡居民…)
    bound: Bound = Bound.EXACT

    @property
    def yearly_amount(self) -> float | None:
        """Money a beneficiary receives in a year (None when not money or no period)."""
        if self.kind is not Kind.MONEY or self.amount is None or self.period is None:
            return None
        return self.amount * PERIODS_PER_YEAR[self.period]

    @property
    def comparable(self) -> tuple[str, str | None, float] | None:
        """(kind, unit, value per year where a period is given) for comparing two standards."""
        if self.amount is None:
            return None
        if self.kind is Kind.MONEY:
            if self.period is None:
                return (self.kind.value, "元", self.amount)
            return (self.kind.value, "元/年", self.amount * PERIODS_PER_YEAR[self.period])
        if self.kind is Kind.COUNT and self.period is not None:
            return (self.kind.value, f"{self.unit}/年", self.amount * PERIODS_PER_YEAR[self.period])
        return (self.kind.value, self.unit, self.amount)


def _bound(word: str | None, tail: str | None) -> Bound:
    if (word and re.fullmatch(_AT_LEAST, word)) or tail in {"以上", "及以上"}:
        return Bound.AT_LEAST
    if (word and re.fullmatch(_AT_MOST, word)) or tail == "以内":
        return Bound.AT_MOST
    return Bound.EXACT


def parse_standard(text: str | None) -> QuantifiedStandard | None:
    """The first quantity a standard states, or None when it states none (it stays text)."""
    if not text or not text.strip():
        return None
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"(?<=\d),(?=\d{3})", "", folded)  # 1,000元
    folded = re.sub(r"\s+", "", folded)
    who_match = _WHO.search(folded)
    who = who_match.group("who") if who_match else None
    if who and re.search(r"[，,。；;]", who):
        who = None
    m = _MONEY.search(folded)
    if m:
        amount = float(m.group("amount")) * _MONEY_UNITS[m.group("unit")]
        period_word = m.group("period") or m.group("period2")
        return QuantifiedStandard(
            text=text,
            kind=Kind.MONEY,
            amount=amount,
            unit="元",
            period=_PERIOD_WORDS[period_word] if period_word else None,
            per=m.group("per") or m.group("per2"),
            applies_to=who,
            bound=_bound(m.group("bound"), m.group("tail")),
        )
    m = _COUNT.search(folded)
    if m:
        return QuantifiedStandard(
            text=text,
            kind=Kind.COUNT,
            amount=float(m.group("amount")),
            unit=m.group("unit"),
            period=_PERIOD_WORDS[m.group("period")],
            applies_to=who,
            bound=_bound(m.group("bound"), None),
        )
    m = _SHARE.search(folded)
    if m:
        return QuantifiedStandard(
            text=text,
            kind=Kind.SHARE,
            amount=float(m.group("amount")),
            unit="%",
            applies_to=who,
            bound=_bound(m.group("bound"), m.group("tail")),
        )
    if _COVERAGE.search(folded):
        return QuantifiedStandard(
            text=text, kind=Kind.COVERAGE, amount=100.0, unit="%", applies_to=who
        )
    if _FREE.search(folded):
        return QuantifiedStandard(text=text, kind=Kind.FREE, applies_to=who)
    return None


def relation(local: QuantifiedStandard, reference: QuantifiedStandard) -> int | None:
    """-1, 0 or 1 as ``local`` promises less than, as much as or more than ``reference``;
    None when they cannot be compared.

    Only like with like: money per year with money per year, a share with a share,
    times per year with times per year. Free or full coverage is never lower than a
    money amount of the same kind, and an amount is lower than 免费 only by kind, so
    those pairs are not compared.
    """
    a, b = local.comparable, reference.comparable
    if a is None or b is None or a[:2] != b[:2]:
        return None
    if a[2] < b[2] - 1e-9:
        return -1
    return 1 if a[2] > b[2] + 1e-9 else 0


def is_lower(local: QuantifiedStandard, reference: QuantifiedStandard) -> bool | None:
    """True when ``local`` promises less than ``reference``; None when they cannot be compared."""
    found = relation(local, reference)
    return None if found is None else found < 0


def count_quantified(texts: list[str | None]) -> tuple[int, int]:
    """(standards read as a quantity, standards left as text); empty fields are neither."""
    stated = [t for t in texts if t and t.strip()]
    quantified = sum(1 for t in stated if parse_standard(t) is not None)
    return quantified, len(stated) - quantified
