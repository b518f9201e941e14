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
from functools import lru_cache

from minsheng.data.divisions import divisions_by_code, full_name, load_divisions
from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.five_year_plans import five_year_period
from minsheng.domain.plans import PlanMetadata
from minsheng.domain.regions import NATIONAL_CODE, NATIONAL_NAME, Level, Region, level_of_code
from minsheng.ingest.documents.extraction import FieldSource
from minsheng.ingest.documents.notice import (
    YEAR_CN_NUMERALS,
    Found,
    as_written,
    cited_numbers,
    is_issuer,
    is_traditional,
    labelled_fields,
    numeral_year,
    own_number,
    parse_date,
    signature,
    simplified,
)
from minsheng.ingest.documents.text import chinese_number, squeeze_spaces
from minsheng.names import shipped_region_index, to_simplified

_TITLE_WORDS = re.compile(r"规划|计划|纲要|方案")
#: 十四五 and the like; never digits of a year in numerals (二〇二五年 holds 二五, 二〇四五 四五)
_FYP = re.compile(
    r"[“\"]?\s*(?<![〇○零Ｏ一二三四五六七八九十])"
    r"(十[一二三四五六七八九]|二十[一二三四五六七八九]?|[一二三四五六七八九])\s*五"
    r"(?![〇○零Ｏ一二三四五六七八九年])\s*[”\"]?"
)
_SPAN = re.compile(r"((?:19|20)\d{2})\s*[—–\-~～至到]+\s*((?:19|20)\d{2})\s*年")
#: The same span with its years in Chinese numerals (二〇二一—二〇二五年).
_SPAN_NUMERALS = re.compile(rf"({YEAR_CN_NUMERALS})\s*[—–\-~～至到]+\s*({YEAR_CN_NUMERALS})\s*年")
_ADMIN_SUFFIX = re.compile(r"(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$")


def _cn_number(text: str) -> int:
    number = chinese_number(text)
    assert number is not None, text  # _FYP only matches numerals
    return number


def read_period(text: str) -> tuple[int, int] | None:
    """``“十四五”``, ``2021—2025年`` or ``二〇二一—二〇二五年`` → (2021, 2025)."""
    for pattern, year in ((_SPAN, int), (_SPAN_NUMERALS, numeral_year)):
        span = pattern.search(text)
        if span:
            first, last = year(span.group(1)), year(span.group(2))
            if 0 < last - first <= 15 and first >= 1900:
                return first, last
    m = _FYP.search(text)
    if m:
        return five_year_period(_cn_number(m.group(1)))
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


_HEADING_NUMBER = re.compile(
    r"^(?:第[一二三四五六七八九十百零\d]+[章节篇部分]|[一二三四五六七八九十]+\s*[、.．]"
    r"|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．](?!\d))"
)
_NOTICE_TITLE = re.compile(r"《([^《》]{4,60})》")
_BASED_ON = re.compile(r"(?:依据|根据|按照)(.{0,200}?)(?:制定|编制|特制定|特编制)本规划")
_CAPTION = re.compile(
    r"^(?:表|附表|专栏|第[一二三四五六七八九十\d]+[章节篇]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])"
    r"|指标|规划|计划|一览|情况|目标"
)
#: Captions and headings below the title searched for a region (a plan names it early).
_MAX_HEADINGS = 25
_NATIONAL_ISSUER = re.compile(r"中华人民共和国|国务院|国家|中央")


def _is_title_line(text: str) -> bool:
    if not text or len(text) > 60 or "|" in text or text.endswith(("。", "，", ",", "；")):
        return False
    if _HEADING_NUMBER.match(text):
        return False  # 一、2019年…计划执行情况 is a section of the document, not its title
    if re.match(r"^(?:标题|索引号)", text) or re.search(r"印发|通知|[:：]", text):
        return False
    return bool(_TITLE_WORDS.search(text[-6:]) or (text.endswith("报告") and "关于" in text))


def find_title(lines: list[str]) -> tuple[int, str] | None:
    """The plan's own title line: short, names a plan, is not the notice nor a section heading.

    A line equal to the plan the notice issues (``印发《X》``) wins over any other."""
    head = [squeeze_spaces(line) for line in lines[:80]]
    issued = {
        squeeze_spaces(m.group(1))
        for text in head
        if "印发" in text or "通知" in text
        for m in _NOTICE_TITLE.finditer(text)
    }
    for i, text in enumerate(head):
        if text in issued and _is_title_line(text):
            return i, text
    for i, text in enumerate(head):
        if _is_title_line(text):
            return i, _with_first_half(lines, i, text)
    return None


def _with_first_half(lines: list[str], i: int, text: str) -> str:
    """A title set over two lines (``XX市“十四五”`` / ``公共服务规划``) joined again: the
    line above is short, no sentence, no heading, and the title line alone names no region."""
    if i == 0 or _region_named(text) is not None:
        return text
    above = squeeze_spaces(lines[i - 1])
    if (
        not above
        or len(above) > 30
        or "|" in above
        or re.search(r"[。，,：:；;]|印发|通知|^第.+[章节]|^[一二三四五六七八九十]+、", above)
        or _region_named(above) is None
    ):
        return text
    return above + text


def _notice_title(lines: list[str]) -> Found | None:
    """No title line: the plan the notice issues (``关于印发《X》的通知``) names it."""
    for i, line in enumerate(lines[:80]):
        text = squeeze_spaces(line)
        if "印发" in text:
            m = _NOTICE_TITLE.search(text)
            if m and _TITLE_WORDS.search(m.group(1)):
                return Found(squeeze_spaces(m.group(1)), i, 0.7, "title named by the notice")
    return None


def _region_from_headings(lines: list[str], start: int) -> Found | None:
    """A region named only in a table caption or a heading below the title."""
    tried = 0
    for i in range(start, min(len(lines), start + 400)):
        text = squeeze_spaces(lines[i])
        if not text or len(text) > 40 or re.search(r"[。，,；;|]", text):
            continue
        if not _CAPTION.search(text):
            continue  # only captions and headings: resolving every short line is slow
        tried += 1
        if tried > _MAX_HEADINGS:
            break
        region = _region_named(text)
        if region is not None:
            return Found(region.code, i, 0.6, "heading or table caption")
    return None


def _region_from_sources(lines: list[str]) -> Found | None:
    """``依据《四川省…纲要》…制定本规划``: the deepest region among the documents it is based on."""
    for i, line in enumerate(lines[:60]):
        m = _BASED_ON.search(squeeze_spaces(line))
        if not m:
            continue
        regions = [r for t in _NOTICE_TITLE.findall(m.group(1)) if (r := _region_named(t))]
        if regions:
            best = max(regions, key=lambda r: r.level.rank)
            return Found(best.code, i, 0.5, "inferred from the documents the plan is based on")
    return None


def _source(found: Found, original: list[str]) -> FieldSource:
    return FieldSource(found.index + 1, original[found.index].strip(), found.confidence, found.how)


def read_metadata(lines: list[str]) -> tuple[PlanMetadata, list[str]]:
    """Metadata of a cleaned document, and warnings about what could not be found."""
    meta, warnings, _sources = read_metadata_sourced(lines)
    return meta, warnings


def read_metadata_sourced(
    original: list[str],
) -> tuple[PlanMetadata, list[str], dict[str, FieldSource]]:
    """Metadata, warnings, and for each field found the line it was read from and a confidence.

    Matching runs on the Simplified form of the lines; values are reported as written.
    """
    head = original[:600]
    # Converting is slow; a page whose opening is unchanged by it is read as it is.
    lines = [simplified(line) for line in head] if is_traditional(head) else list(head)

    def written(found: Found) -> str:
        return as_written(
            squeeze_spaces(original[found.index]), squeeze_spaces(lines[found.index]), found.value
        )

    warnings: list[str] = []
    sources: dict[str, FieldSource] = {}
    meta = PlanMetadata()
    fields = labelled_fields(lines)

    title_at = find_title(lines)
    title = (
        Found(title_at[1], title_at[0], 0.9, "title line")
        if title_at
        else _notice_title(lines) or fields.get("标题")
    )
    if title:
        meta.title, sources["title"] = written(title), _source(title, original)

    number = fields.get("发文字号") or fields.get("文号") or own_number(lines)
    if number and DOC_NUMBER_OK.search(number.value):
        meta.document_number, sources["document_number"] = (
            written(number),
            _source(number, original),
        )
    for i, cited in cited_numbers(lines[:80]):
        if meta.document_number is None or cited != squeeze_spaces(meta.document_number):
            warnings.append(f"line {i + 1}: {cited} is cited by the text, not its own number")

    signed = signature(lines)
    issuer = (signed[0] if signed else None) or next(
        (
            f
            for key in ("发布机构", "发文机关", "信息来源", "来源")
            if (f := fields.get(key)) and is_issuer(f.value)
        ),
        None,
    )
    if issuer:
        meta.issuer, sources["issuer"] = written(issuer), _source(issuer, original)
    issued = fields.get("成文日期") or (signed[1] if signed else None) or fields.get("印发日期")
    if issued and (day := parse_date(issued.value)):
        meta.issue_date, sources["issue_date"] = day, _source(issued, original)
    published = fields.get("发布日期") or fields.get("发布时间") or fields.get("发文日期")
    if published and (day := parse_date(published.value)):
        meta.publish_date, sources["publish_date"] = day, _source(published, original)

    period = read_period(title.value if title else "") or read_period("\n".join(lines[:120]))
    if period:
        meta.period_start, meta.period_end = period
    else:
        warnings.append("plan period not stated in the title or the opening text")

    region = _read_region(lines, title, issuer, fields)
    if region is None:
        warnings.append(
            "no region named in the title, by the issuer, in headings or by the documents "
            "the plan is based on: the region is unknown; "
            "set it with `minsheng plans N --region CODE`"
        )
        meta.region_confidence = 0.0
    else:
        meta.region_code = region.value
        meta.region_name = (
            full_name(region.value) if region.value != NATIONAL_CODE else NATIONAL_NAME
        )
        meta.level = level_of_code(region.value)
        meta.region_confidence = region.confidence
        sources["region"] = (
            _source(region, original)
            if region.index >= 0
            else FieldSource(None, "", 0.6, region.how)
        )
        if region.confidence < 0.9:
            warnings.append(f"region {meta.region_name} {region.how} (check it)")
    if meta.title is None:
        warnings.append("no title line found")
    return meta, warnings, sources


DOC_NUMBER_OK = re.compile(r"〔|\[|［|【|（|\(")


def _region_named(text: str) -> Region | None:
    """The region a text names, or None — a bare name shared by several regions is not guessed."""
    try:
        return resolve_region(text)
    except InvalidData:
        return None


def _read_region(
    lines: list[str], title: Found | None, issuer: Found | None, fields: dict[str, Found]
) -> Found | None:
    """The plan's region, most direct evidence first; national only when the plan reads as one."""
    notice = next(
        ((i, squeeze_spaces(t)) for i, t in enumerate(lines[:40]) if "印发" in t and len(t) <= 120),
        None,
    )
    candidates: list[tuple[Found | None, float]] = [
        (title, 0.95),
        (fields.get("标题"), 0.9),
        (issuer, 0.9),
        (Found(notice[1], notice[0], 0, "notice") if notice else None, 0.85),
    ]
    for found, confidence in candidates:
        if found and (region := _region_named(found.value)):
            return Found(region.code, found.index, confidence, f"named by the {found.how}")
    if issuer and _NATIONAL_ISSUER.search(issuer.value):
        return Found(NATIONAL_CODE, issuer.index, 0.9, "issued by a national body")
    below = title.index + 1 if title else 0
    found = _region_from_headings(lines, below) or _region_from_sources(lines)
    if found:
        return found
    if title and title.how == "title line" and _FYP.match(title.value) and issuer is None:
        # National titles name no place and open with the period (“十四五”公共服务规划);
        # signed by a body not national (县人民政府办公室), such a title is a local plan's
        # whose place the text does not say: unknown, never 全国.
        return Found(NATIONAL_CODE, title.index, 0.7, "read as national: the title names no place")
    return None
