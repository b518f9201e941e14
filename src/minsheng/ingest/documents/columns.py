"""The header of an indicator table: which column says what.

Headers differ by region (``序号 | 指标 | 单位 | 2020年 | 2025年 | 指标属性``,
``类别 指标 2020年 2025年 属性``, ``指标 | 属性 | 单位 | 2020 | 2025``,
``指标名称 | 2025年目标值``); a column's role is read from its words, so the
order of the columns does not matter. Cells under a header are then checked
against their role (a nature cell must say 约束性 or 预期性, a value cell must
read as a target) so that a line of prose never passes for a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from minsheng.domain.indicators import Nature
from minsheng.domain.service_domains import classify_domain
from minsheng.domain.targets import TargetKind, parse_target
from minsheng.ingest.documents.text import SPACE_CHARS, squeeze_spaces


class Role(StrEnum):
    SEQ = "seq"
    CATEGORY = "category"
    NAME = "name"
    UNIT = "unit"
    BASELINE = "baseline"
    TARGET = "target"
    VALUE = "value"  # a year column between baseline and target, read but not kept
    NATURE = "nature"
    REMARK = "remark"  # a 备注 column: the row's own note
    OTHER = "other"


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_ROLE_WORDS: tuple[tuple[re.Pattern[str], Role], ...] = (
    (re.compile(r"^(?:序号|编号|序|No\.?)$", re.I), Role.SEQ),
    (re.compile(r"^(?:类别|领域|分类|服务领域|指标类别|类型|板块)$"), Role.CATEGORY),
    (re.compile(r"^(?:备注|注释|说明)$"), Role.REMARK),
    (re.compile(r"^(?:计量|指标)?单位(?:[(（].*)?$"), Role.UNIT),  # not 责任单位, 牵头单位
    (re.compile(r"属性|性质"), Role.NATURE),
    (re.compile(r"基期|基准|现状|基数"), Role.BASELINE),
    (re.compile(r"目标|预期值|规划值"), Role.TARGET),
    # 年均增长 / 增速: a rate over the period, read as a value column but not kept as a target
    (re.compile(r"年均|增速|增幅|增长率?$"), Role.VALUE),
    (re.compile(r"^(?:主要)?指标(?:名称)?$|^名称$|^指标内容$|^具体指标$"), Role.NAME),
)
#: Suffixes that make a short label an indicator name rather than a category.
_INDICATOR_ENDINGS = re.compile(
    r"(?:率|数|量|比|比例|占比|面积|年限|寿命|人次|水平|规模|床位|标准|时间|次数|覆盖)$"
)
_ENUMERATED = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）、.．]")
_UNIT_CHARS = set(
    "万亿千百十人次个张岁年平方米公里克户套所家元册件项座处床名台辆小时天分钟公顷亩吨‰%/·㎡²mkgKMLl每口位间栋"
)


@dataclass(frozen=True)
class Header:
    """Roles of a table's columns, and the years of its baseline and target columns."""

    roles: tuple[Role, ...]
    baseline_year: int | None
    target_year: int | None
    #: A unit the header gives for the values (``2019年目标增长(%)``), for rows that give none.
    value_unit: str | None = None

    @property
    def has(self) -> frozenset[Role]:
        return frozenset(self.roles)


_HEADER_UNIT = re.compile(r"\s*[(（]\s*([^()（）]{1,6}?)\s*[)）]\s*$")


def _parents_and_units(cells: list[str]) -> tuple[list[str], str | None]:
    """Header cells without spanning parents and with their units taken off.

    A yearless 目标/基期 cell directly above year cells (``“十四五”目标`` over ``2025年 |
    年均[累计]``) only groups them: in a stream of cells it is dropped. A value column's
    unit in brackets (``2019年目标增长(%)``) is the unit of rows that state none."""
    out: list[str] = []
    unit: str | None = None
    squeezed = [squeeze_spaces(c) for c in cells]
    for i, cell in enumerate(squeezed):
        following = squeezed[i + 1] if i + 1 < len(squeezed) else ""
        if (
            role_of(cell) in (Role.TARGET, Role.BASELINE)
            and not _YEAR.search(cell)
            and _YEAR_CELL.match(following)
        ):
            continue
        m = _HEADER_UNIT.search(cell)
        if m and _YEAR.search(cell) and is_unit(m.group(1)):
            unit = unit or squeeze_spaces(m.group(1))
            cell = cell[: m.start()]
        out.append(cell)
    return out, unit


def read_header(cells: list[str]) -> Header | None:
    """Column roles for a header row, or None when the cells are not an indicator table's header."""
    cells, value_unit = _parents_and_units(cells)
    roles: list[Role] = []
    years: list[tuple[int, int]] = []  # (column, year)
    for i, raw in enumerate(cells):
        cell = squeeze_spaces(raw)
        role = role_of(cell)
        year_match = _YEAR.search(cell)
        if year_match and role in (Role.OTHER, Role.BASELINE, Role.TARGET):
            years.append((i, int(year_match.group(1))))
            role = role if role is not Role.OTHER else Role.VALUE
        roles.append(role)
    if Role.NAME not in roles:
        return None
    value_columns = [
        i for i, r in enumerate(roles) if r in (Role.VALUE, Role.BASELINE, Role.TARGET)
    ]
    if not value_columns:
        return None
    baseline_year: int | None = None
    target_year: int | None = None
    if years:
        ordered = sorted(years, key=lambda cy: cy[1])
        explicit_target = [c for c, _ in years if roles[c] is Role.TARGET]
        explicit_base = [c for c, _ in years if roles[c] is Role.BASELINE]
        if len(ordered) == 1 and not explicit_base:
            col, year = ordered[0]
            roles[col] = Role.TARGET
            target_year = year
        else:
            base_col = explicit_base[0] if explicit_base else ordered[0][0]
            target_col = explicit_target[0] if explicit_target else ordered[-1][0]
            roles[base_col], roles[target_col] = Role.BASELINE, Role.TARGET
            baseline_year = dict(years)[base_col]
            target_year = dict(years)[target_col]
    if Role.TARGET not in roles:
        return None
    return Header(tuple(roles), baseline_year, target_year, value_unit)


_YEAR_CELL = re.compile(r"^((?:19|20)\d{2})\s*年?(?:末|底|度)?$")
_NAME_HINT = re.compile(r"指标|名称")
_TARGET_HINT = re.compile(r"(?:19|20)\d{2}|目标|预期值|规划值")
_YEAR_HINT = re.compile(r"(?:19|20)\d{2}")
_ANY_SPACE = re.compile(f"[\\s{SPACE_CHARS}]+")


def may_be_header(line: str, below: str = "") -> bool:
    """Whether a line can be a header by :func:`read_header` (alone, or above a row of
    years in ``below``): a cheap test on the words a header must hold — a name column
    (指标/名称) and a target column (a year or 目标) — so that each line of a long table is
    not split into cells and read role by role (it made dense tables cost several times
    ordinary text per byte). It never says no to a header the full reading would accept."""
    text = _ANY_SPACE.sub("", line)
    if not _NAME_HINT.search(text):
        return False
    return (
        bool(_TARGET_HINT.search(text)) or len(_YEAR_HINT.findall(_ANY_SPACE.sub("", below))) >= 2
    )


def year_row(cells: list[str]) -> list[int] | None:
    """The years of a header row that holds nothing else (``2020年 | 2025年``)."""
    filled = [squeeze_spaces(c) for c in cells if squeeze_spaces(c)]
    matches = [_YEAR_CELL.match(c) for c in filled]
    if not filled or not all(matches):
        return None
    return [int(m.group(1)) for m in matches if m]


def read_two_row_header(top: list[str], below: list[str]) -> Header | None:
    """A header whose value columns share one spanning cell (``指标值`` over
    ``2020年 | 2025年``): the row of years takes the place of that cell."""
    years = year_row(below)
    if years is None or len(years) < 2:
        return None
    roles = [role_of(squeeze_spaces(c)) for c in top]
    spanning = [i for i, (c, r) in enumerate(zip(top, roles, strict=True)) if r is Role.OTHER and c]
    if len(spanning) != 1:
        return None
    at = spanning[0]
    return read_header([*top[:at], *(f"{y}年" for y in years), *top[at + 1 :]])


_UNIT_NOTE = re.compile(r"[(（]\s*(?:计量)?单位\s*[)）]$")


def role_of(cell: str) -> Role:
    """A header cell's role by its words; ``指标名称（单位）`` is a name column whose
    rows carry their units in parentheses."""
    if _UNIT_NOTE.search(cell) and role_of(_UNIT_NOTE.sub("", cell)) is Role.NAME:
        return Role.NAME
    for pattern, candidate in _ROLE_WORDS:
        if pattern.search(cell):
            return candidate
    return Role.OTHER


def with_year_row(header: Header, cells: list[str]) -> Header | None:
    """The header completed by a second header row that gives only the years
    (``基期值 | 目标值`` over ``2020年 | 2025年``), or None when the row is not that."""
    years = year_row(cells)
    if years is None:
        return None
    columns = [
        i for i, r in enumerate(header.roles) if r in (Role.VALUE, Role.BASELINE, Role.TARGET)
    ]
    if len(years) != len(columns) or header.baseline_year or header.target_year:
        return None
    roles = list(header.roles)
    by_year = dict(zip(columns, years, strict=True))
    base = [c for c in columns if roles[c] is Role.BASELINE] or [
        min(columns, key=lambda c: by_year[c])
    ]
    goal = [c for c in columns if roles[c] is Role.TARGET] or [
        max(columns, key=lambda c: by_year[c])
    ]
    roles[base[0]], roles[goal[0]] = Role.BASELINE, Role.TARGET
    return Header(tuple(roles), by_year[base[0]], by_year[goal[0]], header.value_unit)


def is_value(cell: str, lenient: bool = False) -> bool:
    """Whether a cell reads as a baseline/target (``85.2%``, ``——``, ``应保尽保``, ``【12】``)."""
    text = cell.strip()
    if not text:
        return lenient
    target = parse_target(text)
    if target.kind is not TargetKind.QUALITATIVE:
        return True
    return lenient and len(squeeze_spaces(text)) <= 12 and not re.search(r"[。；;]", text)


def is_nature(cell: str) -> bool:
    return Nature.from_label(squeeze_spaces(cell)) is not None


#: Longest cell that is only a nature (``预期性``, ``约束性指标``): a longer one is a name
#: holding the word (人均预期寿命).
_NATURE_CELL = 5


def is_nature_word(cell: str) -> bool:
    """A cell that states a nature and nothing else."""
    return len(squeeze_spaces(cell)) <= _NATURE_CELL and is_nature(cell)


def is_unit(text: str) -> bool:
    """A short unit (``万人次``, ``%``, ``平方米``, ``张/千人``), not a name part like ``小`` or ``助理``."""
    body = squeeze_spaces(text)
    return (
        0 < len(body) <= 8 and body not in ("小", "助理") and all(ch in _UNIT_CHARS for ch in body)
    )


def ends_like_name(text: str) -> bool:
    """Whether a name ends as indicator names do (…率, …数, …面积): a wrapped name's head
    (``每千人口拥有3岁以下``) does not, its tail (``婴幼儿托位数``) does."""
    return bool(_INDICATOR_ENDINGS.search(squeeze_spaces(text)))


def is_category_label(text: str, known: set[str] | frozenset[str] = frozenset()) -> bool:
    """A table's category label (``一、婴幼儿照护服务``, ``幼有所育``, ``文体服务保障``)."""
    label = squeeze_spaces(text)
    if not label or label in known:
        return bool(label)
    if re.search(r"[\d%。，,；;:：()（）【】]", _ENUMERATED.sub("", label)):
        return False
    if _ENUMERATED.match(label) and len(label) <= 16:
        return True
    return (
        len(label) <= 10
        and classify_domain(label) is not None
        and not _INDICATOR_ENDINGS.search(label)
    )
