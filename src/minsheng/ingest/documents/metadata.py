"""A plan's metadata: title, region, issuer, document number, dates and period.

Government pages put a metadata table above the text (``发布机构: | … |
成文日期: | 2022-12-02 |``); the notice that issues a plan ends with the
issuer's name and the date; the plan's own title names its region and its
five-year period (``“十四五”`` → 2021–2025). The region is resolved against
the shipped GB/T 2260 tree by matching province, prefecture and county names
in the title, so any region's plan resolves without a list of places in code.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from minsheng.data.divisions import divisions_by_code, full_name, load_divisions
from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.plans import PlanMetadata
from minsheng.domain.regions import NATIONAL_CODE, NATIONAL_NAME, Level, Region, level_of_code
from minsheng.ingest.documents.text import squeeze_spaces
from minsheng.names import shipped_region_index, to_simplified

_FIELD_NAMES = (
    r"索引号|发文字号|文号|发布机构|发文机关|成文日期|发布日期|发文日期|标题|主题分类|有效性|来源"
)
_FIELD = re.compile(
    rf"({_FIELD_NAMES})\s*[:：]\s*\|?\s*([^|]*?)(?=\s*(?:{_FIELD_NAMES})\s*[:：]|\||$)", re.M
)
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【（(]\s*((?:19|20)\d{2})\s*[〕\]］】）)]\s*\d{1,4}\s*号"
)
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_ISSUER_END = re.compile(r"(?:委员会|人民政府|政府|办公室|办公厅|局|厅|委|部|院|中心)$")
_TITLE_WORDS = re.compile(r"规划|计划|纲要|方案")
_FYP = re.compile(
    r"[“\"]?\s*(十[一二三四五六七八九]|二十[一二三四五六七八九]?|[一二三四五六七八九])\s*五\s*[”\"]?"
)
_SPAN = re.compile(r"((?:19|20)\d{2})\s*[—–\-~～至到]+\s*((?:19|20)\d{2})\s*年")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_ADMIN_SUFFIX = re.compile(r"(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$")


def _cn_number(text: str) -> int:
    if text.startswith("二十"):
        return 20 + (_CN_DIGITS[text[2]] if len(text) > 2 else 0)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    return _CN_DIGITS[text]


def five_year_period(number: int) -> tuple[int, int]:
    """Years of the n-th five-year plan (from the third, 1966–1970, they run back to back)."""
    start = 1953 + 5 * (number - 1) if number <= 2 else 1966 + 5 * (number - 3)
    return start, start + 4


def read_period(text: str) -> tuple[int, int] | None:
    """``“十四五”`` → (2021, 2025); ``2021—2025年`` → (2021, 2025)."""
    span = _SPAN.search(text)
    if span and 0 < int(span.group(2)) - int(span.group(1)) <= 15:
        return int(span.group(1)), int(span.group(2))
    m = _FYP.search(text)
    if m:
        return five_year_period(_cn_number(m.group(1)))
    return None


def _parse_date(text: str) -> date | None:
    for pattern in (_DATE_ISO, _DATE_CN):
        m = pattern.search(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


@lru_cache(maxsize=1)
def _name_index() -> dict[str, tuple[Region, ...]]:
    index: dict[str, list[Region]] = {}
    for region in load_divisions():
        if (
            region.level is Level.NATIONAL
            or region.name.endswith(("市辖区", "县", "直辖县级行政区划"))
            and (region.level is Level.PREFECTURE)
        ):
            continue
        names = {region.name}
        if region.level is Level.PROVINCE:
            short = _ADMIN_SUFFIX.sub("", region.name)
            if len(short) >= 2:
                names.add(short)
        for name in names:
            index.setdefault(name, []).append(region)
    return {k: tuple(v) for k, v in index.items()}


def resolve_region(text: str) -> Region | None:
    """The deepest region named in a text (a title), its ancestors agreeing with any others named.

    A text that is just a name (a gold file's ``region``) goes to the one region
    resolver (:mod:`minsheng.names`: full names, 简称 unique in the tree, Traditional
    script); a title is searched for the names it contains, folded to Simplified.

    >>> resolve_region("重庆市永川区“十四五”公共服务规划").code
    '500118'
    >>> resolve_region("重慶市永川區").code
    '500118'
    """
    try:
        return shipped_region_index().resolve(text)
    except (NotFound, InvalidData):
        pass
    text = to_simplified(unicodedata.normalize("NFKC", text))
    by_code = divisions_by_code()
    found: dict[str, Region] = {}
    for name, regions in _name_index().items():
        if name in text:
            for region in regions:
                found[region.code] = region
    if not found:
        return None

    def ancestors(region: Region) -> list[str]:
        chain, current = [], region.parent_code
        while current and current in by_code:
            chain.append(current)
            current = by_code[current].parent_code
        return chain

    best: tuple[int, int, Region] | None = None
    for region in found.values():
        chain = ancestors(region)
        support = sum(1 for code in chain if code in found)
        named_provinces = {c[:2] for c, r in found.items() if r.level is Level.PROVINCE}
        if named_provinces and region.code[:2] not in named_provinces:
            continue
        if region.level is Level.COUNTY and support == 0 and len(region.name) < 3:
            continue  # two-character county names (城区, 郊区) are too often ordinary words
        key = (support, region.level.rank, region)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    # An ambiguous bare name (many 朝阳区) without any ancestor named is not trusted.
    same = [r for r in found.values() if r.name == best[2].name and r.level is best[2].level]
    if len(same) > 1 and best[0] == 0:
        return None
    return best[2]


def find_title(lines: list[str]) -> tuple[int, str] | None:
    """The plan's own title line: short, names a plan, is not the issuing notice."""
    for i, line in enumerate(lines[:80]):
        text = squeeze_spaces(line)
        if not text or len(text) > 60 or "|" in text or text.endswith(("。", "，", ",")):
            continue
        if re.match(r"^(?:关于|标题|索引号)", text) or re.search(r"印发|通知|[:：]", text):
            continue
        if _TITLE_WORDS.search(text[-6:]):
            return i, _with_first_half(lines, i, text)
    return None


def _with_first_half(lines: list[str], i: int, text: str) -> str:
    """A title set over two lines (``XX市“十四五”`` / ``公共服务规划``) joined again: the
    line above is short, no sentence, no heading, and the title line alone names no region."""
    if i == 0 or resolve_region(text) is not None:
        return text
    above = squeeze_spaces(lines[i - 1])
    if (
        not above
        or len(above) > 30
        or "|" in above
        or re.search(r"[。，,：:；;]|印发|通知|^第.+[章节]|^[一二三四五六七八九十]+、", above)
        or resolve_region(above) is None
    ):
        return text
    return above + text


def read_metadata(lines: list[str]) -> tuple[PlanMetadata, list[str]]:
    """Metadata of a cleaned document, and warnings about what could not be found."""
    warnings: list[str] = []
    fields: dict[str, str] = {}
    for line in lines[:40]:
        for m in _FIELD.finditer(line):
            value = squeeze_spaces(m.group(2))
            if value and m.group(1) not in fields:
                fields[m.group(1)] = value
    meta = PlanMetadata()
    title = find_title(lines)
    meta.title = title[1] if title else fields.get("标题")
    head = "\n".join(lines[: (title[0] + 6 if title else 40)])  # a number sits near the title
    number = _DOC_NUMBER.search(fields.get("发文字号", "") or fields.get("文号", "") or head)
    meta.document_number = squeeze_spaces(number.group(0)) if number else None

    # The notice's signature: an issuer line directly above a date line.
    signature: tuple[str, date] | None = None
    for i in range(1, min(len(lines), 80)):
        when = _DATE_CN.fullmatch(squeeze_spaces(lines[i]))
        above = squeeze_spaces(lines[i - 1])
        if when and above and len(above) <= 40 and _ISSUER_END.search(above):
            signature = (above, date(int(when.group(1)), int(when.group(2)), int(when.group(3))))
            break
    source = next(
        (re.search(r"转自(.{2,30}?)(?:官网|网站)", line) for line in lines[-20:] if "转自" in line),
        None,
    )
    meta.issuer = (
        signature[0]
        if signature
        else fields.get("发布机构")
        or fields.get("发文机关")
        or (squeeze_spaces(source.group(1)) if source else None)
    )
    meta.issue_date = _parse_date(fields.get("成文日期", "")) or (
        signature[1] if signature else None
    )
    meta.publish_date = _parse_date(fields.get("发布日期", "") or fields.get("发文日期", ""))

    period = read_period(meta.title or "") or read_period("\n".join(lines[:120]))
    if period:
        meta.period_start, meta.period_end = period
    else:
        warnings.append("plan period not stated in the title or the opening text")

    region = None
    notice = next((squeeze_spaces(t) for t in lines[:10] if "印发" in t and len(t) <= 80), None)
    # how sure the region is: named in the title, by the issuer or notice, or not at all
    for text, confidence in ((meta.title, 0.95), (fields.get("标题"), 0.95),
                             (meta.issuer, 0.8), (notice, 0.8)):  # fmt: skip
        if text:
            try:
                region = resolve_region(text)
            except InvalidData:  # a bare name shared by several regions is not guessed
                region = None
            if region:
                meta.region_confidence = confidence
                break
    if region is None and re.search(r"中华人民共和国|国务院|国家|中央", meta.issuer or ""):
        meta.region_code, meta.region_name, meta.level = (
            NATIONAL_CODE,
            NATIONAL_NAME,
            Level.NATIONAL,
        )
        meta.region_confidence = 0.9
    elif region is None:
        # unknown stays unknown: never 全国 by default
        meta.region_code = meta.region_name = meta.level = None
        meta.region_confidence = 0.0
        warnings.append(
            "no region named in the title or by the issuer: stored with the region unknown; "
            "set it with `minsheng plans N --region CODE`"
        )
    else:
        meta.region_code = region.code
        meta.region_name = full_name(region.code)
        meta.level = level_of_code(region.code)
    if meta.title is None:
        warnings.append("no title line found")
    return meta, warnings
