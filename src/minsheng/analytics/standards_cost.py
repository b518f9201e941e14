"""The yearly cost of a basic public service list, split by level of government.

cost of an item = eligible population × money per beneficiary per year, for items
whose standard states money with a period (see ``domain.standard_quantities``).
The split follows the item's shares (central / provincial / local); an item whose
spending responsibility names several levels without saying how much each pays is
left *unsplit* rather than guessed. Items that cannot be costed are listed with why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from minsheng.domain.standard_quantities import Kind, QuantifiedStandard

LEVELS: tuple[str, ...] = ("central", "provincial", "local")
LEVEL_NAMES_ZH = {"central": "中央", "provincial": "省级", "local": "市县", "unsplit": "未分"}

# Words naming a level of government in a 支出责任 cell. 地方 (every level below the
# centre) is read as local: a list saying only 地方 does not tell the province's part.
_LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    ("中央", "central"),
    ("省级", "provincial"),
    ("省", "provincial"),
    ("市县", "local"),
    ("市级", "local"),
    ("县级", "local"),
    ("区县", "local"),
    ("地方", "local"),
)
_PERCENT = re.compile(
    r"(中央|省级|省|市县|市级|县级|区县|地方)[^，,；;。%\d]{0,8}?(\d+(?:\.\d+)?)\s*[%％]"
)
_RATIO = re.compile(r"(\d+(?:\.\d+)?)\s*[:：]\s*(\d+(?:\.\d+)?)(?:\s*[:：]\s*(\d+(?:\.\d+)?))?")


@dataclass(frozen=True)
class Shares:
    central: float = 0.0
    provincial: float = 0.0
    local: float = 0.0

    def of(self, level: str) -> float:
        return float(getattr(self, level))


def _level(word: str) -> str:
    return next(level for w, level in _LEVEL_WORDS if word.startswith(w))


def shares_from_wording(text: str | None) -> Shares | None:
    """Shares of each level a 支出责任 cell states, or None when it does not state them.

    ``中央财政承担80%，地方承担20%`` → 0.8/0/0.2; ``中央与地方按8:2分担`` → 0.8/0/0.2;
    ``地方人民政府负责`` → all local; ``中央和地方共同承担`` → None (the split is not said).
    """
    if not text or not text.strip():
        return None
    named: list[str] = []
    for m in re.finditer(r"中央|省级|省|市县|市级|县级|区县|地方", text):
        level = _level(m.group(0))
        if level not in named:
            named.append(level)
    if not named:
        return None
    percents = [(_level(m.group(1)), float(m.group(2))) for m in _PERCENT.finditer(text)]
    if percents:
        totals = dict.fromkeys(LEVELS, 0.0)
        for level, pct in percents:
            totals[level] += pct / 100
        if abs(sum(totals.values()) - 1) < 1e-6:
            return Shares(**totals)
        missing = [lvl for lvl in named if totals[lvl] == 0]
        if len(missing) == 1 and sum(totals.values()) < 1:
            totals[missing[0]] = 1 - sum(totals.values())
            return Shares(**totals)
        return None
    ratio = _RATIO.search(text)
    if ratio:
        parts = [float(g) for g in ratio.groups() if g is not None]
        if len(parts) == len(named) and sum(parts) > 0:
            totals = dict.fromkeys(LEVELS, 0.0)
            for level, part in zip(named, parts, strict=True):
                totals[level] += part / sum(parts)
            return Shares(**totals)
        return None
    if len(named) == 1:
        return Shares(**{named[0]: 1.0})
    return None


def shares_not_adding_up(text: str | None) -> float | None:
    """The total of the percentages a 支出责任 cell gives every level it names, when that is
    not 100% (``中央80%、地方30%`` → 1.1): no split can be read from it, and costing left the
    item 未分 without a word. None when the cell states no such percentages or they add up."""
    if not text or shares_from_wording(text) is not None:
        return None
    percents = [(_level(m.group(1)), float(m.group(2))) for m in _PERCENT.finditer(text)]
    named = {
        _level(m.group(0)) for m in re.finditer(r"中央|省级|省|市县|市级|县级|区县|地方", text)
    }
    if not percents or named - {level for level, _ in percents}:
        return None  # a level named without its share: the wording does not claim a split
    return sum(pct for _, pct in percents) / 100


@dataclass(frozen=True)
class CostInput:
    item: str
    quantity: QuantifiedStandard | None
    population: float | None  # eligible beneficiaries in the region and year
    shares: Shares | None
    budget: float | None = None  # a budget for this item, when the user gives one
    stated: bool = True  # False when the item has no standard at all


@dataclass(frozen=True)
class CostLine:
    item: str
    population: float
    per_year: float  # money per beneficiary per year
    cost: float
    by_level: dict[str, float]  # central/provincial/local, or unsplit
    over_budget: bool | None  # None when the item has no budget


@dataclass(frozen=True)
class NotCosted:
    """An item left out of the cost, with why in English (CLI, JSON) and Chinese (pages, reports)."""

    item: str
    why: str
    why_zh: str


# Why an item is not costed, each wording written in both languages side by side (as the
# evaluation's reason/reason_zh), so neither language can miss a case.
_KIND_ZH = {"share": "比例", "count": "次数", "free": "免费", "coverage": "全覆盖", "money": "金额"}


def _not_costed(entry: CostInput) -> NotCosted | None:
    q = entry.quantity
    if q is None:
        if entry.stated:
            return NotCosted(entry.item, "standard states no quantity", "服务标准未表述数量")
        return NotCosted(entry.item, "no standard given", "未列服务标准")
    if q.kind is not Kind.MONEY:
        kind = q.kind.value
        return NotCosted(
            entry.item,
            f"standard is not money ({kind})",
            f"服务标准不是金额（{_KIND_ZH.get(kind, kind)}）",
        )
    if q.yearly_amount is None:
        return NotCosted(
            entry.item,
            "amount has no period (not yearly, monthly …)",
            "金额未说明发放周期（每年、每月……）",
        )
    if q.period == "day":
        # 每生每天5元 is paid on school days, a meal allowance on days in hospital: 365 of
        # them is an assumption the standard does not make (it overstated a year by 80%)
        return NotCosted(
            entry.item,
            "a daily amount: the days a year it is paid (school days, days in hospital…) "
            "are not stated; give the yearly amount",
            "按天计的金额：未说明每年按多少天发放（在校日、住院日……），请写明每年金额",
        )
    if entry.population is None:
        return NotCosted(entry.item, "no eligible population", "无受益人数")
    return None


@dataclass
class CostResult:
    lines: list[CostLine] = field(default_factory=list)
    not_costed: list[NotCosted] = field(default_factory=list)
    budget: float | None = None

    @property
    def total(self) -> float:
        return sum(line.cost for line in self.lines)

    @property
    def by_level(self) -> dict[str, float]:
        out = dict.fromkeys((*LEVELS, "unsplit"), 0.0)
        for line in self.lines:
            for level, value in line.by_level.items():
                out[level] += value
        return out

    @property
    def over_budget(self) -> bool | None:
        return None if self.budget is None else self.total > self.budget


def cost_items(inputs: list[CostInput], budget: float | None = None) -> CostResult:
    out = CostResult(budget=budget)
    for entry in inputs:
        skipped = _not_costed(entry)
        if skipped is not None:
            out.not_costed.append(skipped)
            continue
        per_year = entry.quantity.yearly_amount if entry.quantity else None
        if per_year is None or entry.population is None:  # ruled out by _not_costed
            continue
        cost = entry.population * per_year
        if entry.shares is None:
            by_level = {"unsplit": cost}
        else:
            by_level = {level: cost * entry.shares.of(level) for level in LEVELS}
        over = None if entry.budget is None else cost > entry.budget
        out.lines.append(CostLine(entry.item, entry.population, per_year, cost, by_level, over))
    return out


def raise_standard(inputs: list[CostInput], item: str, percent: float) -> list[CostInput]:
    """The inputs with one item's amount raised by ``percent`` % (what-if)."""
    out = []
    found = False
    for entry in inputs:
        if entry.item == item and entry.quantity is not None and entry.quantity.amount is not None:
            q = replace(entry.quantity, amount=entry.quantity.amount * (1 + percent / 100))
            entry = replace(entry, quantity=q)
            found = True
        out.append(entry)
    if not found:
        raise KeyError(item)
    return out
