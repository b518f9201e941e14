"""Take website chrome and injected spam out of a document, and say what was taken.

Plans are mostly read from government web pages: navigation bars, breadcrumbs,
share buttons, font-size switches, ICP/公安 filing footers and lists of related
sites surround the text. Some pages were compromised and carry gambling-site
names pasted into a sentence (``各镇<spam>、街道办事处``). Cleaning removes
whole lines of chrome and only the injected span of spam, blanking rather than
deleting so line numbers stay those of the source. Every removal is reported.
"""

from __future__ import annotations

import re

from minsheng.ingest.documents.extraction import Removal
from minsheng.ingest.documents.text import normalise_spaces, squeeze_spaces

# Whole-line chrome, recognised by words no plan text uses in a short line.
_CHROME_LINE = re.compile(
    r"设为首页|加入收藏|收藏本站|分享到|字体\s*[:：]?\s*[【\[]?\s*大|(?<!文)字号\s*[:：]|字体大小|打印本页|关闭窗口|【\s*打印\s*】|"
    r"【\s*关闭\s*】|扫一扫|ICP\s*备|公网安备|公安备案|网站标识码|版权所有|Copyright|技术支持\s*[:：]|主办单位\s*[:：]|"
    r"承办单位\s*[:：]|网站地图|联系我们|无障碍浏览|(?:当前|所在|您的|您现在的)位置\s*[:：>]|^\s*(?:相关链接|友情链接|相关文章|相关阅读)",
    re.I,
)
#: A page number a PDF copy leaves between lines (``— 7 —``, ``- 12 -``, ``第3页 共20页``).
_PAGE_NUMBER = re.compile(
    r"^[—\-－–―]{1,2}\s*\d{1,4}\s*[—\-－–―]{1,2}$|^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"
)
_NAV_WORD = re.compile(r"首\s*页")
#: What a forum repost leaves between a table's cells, on lines of their own: edit stamps
#: (本帖最后由 … 编辑), post furniture (发表于 2021-3-5, 回复 3# …, 只看该作者), a forum or
#: site named as the source or a watermark, and a bare web address.
_FORUM_LINE = re.compile(
    r"^本帖最后由.{0,40}编辑$|^发表于\s*\d{4}[-/年]|^回复\s*\d+\s*#|^只看该作者$|^(?:楼主|沙发|板凳)$|"
    r"^(?:来源|来自|本文来自|转自|本帖来自)\s*[:：]?.{0,30}(?:论坛|社区|贴吧|BBS|bbs|博客)$|"
    r"^\S{0,20}(?:论坛|社区|贴吧)\s+(?:https?://)?[\w.-]+\.(?:com|net|org|cn)\S*$|"
    r"^(?:https?://|www\.)[\w./?=&%-]+$"
)
#: BBCode tags (``[color=red]``, ``[/b]``…): the cell they wrap is kept, the tags go.
_BBCODE = re.compile(
    r"\[/?(?:color|size|font|b|i|u|s|align|backcolor|url|img|p|table|tr|td|quote|hr|sup|sub)"
    r"(?:=[^\[\]]{0,40})?\]",
    re.I,
)
_SEPARATORS = re.compile(r"\s*[|｜/]\s*|\s{2,}|\s")
#: Vocabulary of gambling-site spam (generic, not any one site's name).
SPAM_WORDS = (
    "博彩", "足球网", "娱乐平台", "娱乐城", "正规平台", "赌场", "赌博", "投注", "棋牌", "百家乐", "六合彩",
    "时时彩", "彩票网", "网站是", "真人娱乐", "官方网站", "体育在线", "开户", "bet", "casino",
)  # fmt: skip
_SPAM = re.compile("|".join(map(re.escape, SPAM_WORDS)), re.I)
#: Words no plan uses at all: removed with any Latin letters or digits glued to them.
STRONG_SPAM_WORDS = (
    "博彩",
    "娱乐城",
    "娱乐场",
    "葡京",
    "百家乐",
    "六合彩",
    "时时彩",
    "老虎机",
    "真人视讯",
    "足球网",
)
# The patterns below run over whole lines that may be one megabyte of ``a``, digits or
# Chinese text. Each starts only where a run or piece starts (a lookbehind) and takes
# runs possessively (``*+``), so no position is scanned twice: time linear in the line.
_STRONG = re.compile(
    r"(?<![A-Za-z0-9_])(?:[A-Za-z0-9_]*+(?:"
    + "|".join(map(re.escape, STRONG_SPAM_WORDS))
    + r"))+[A-Za-z0-9_]*+",
    re.I,
)
#: Any word of either list: a line holding none has no spam span to look for.
_ANY_SPAM = re.compile("|".join(map(re.escape, SPAM_WORDS + STRONG_SPAM_WORDS)), re.I)
_CHAIN_CHARS = r"\s_，,、。:：;；|（）()“”"
_CHAIN = re.compile(rf"(?<![^{_CHAIN_CHARS}])[^{_CHAIN_CHARS}]++(?:_[^{_CHAIN_CHARS}]++)++")
# A gambling site's name: a run of Latin letters and digits holding bet/365/888/a number,
# then up to 8 Chinese characters and a spam word (``xpj888娱乐城``, ``365bet官方网站``).
_RUN = re.compile(r"[A-Za-z0-9]+", re.I)
_MARKER = re.compile(r"bet|365|888|\d{3}", re.I)
_AFTER_RUN = re.compile(r"[\u4e00-\u9fff]{0,8}(?:" + _SPAM.pattern + ")", re.I)
_LATIN_SPAM = re.compile("|".join(re.escape(w) for w in SPAM_WORDS if w.isascii()), re.I)


def _is_nav_bar(line: str) -> bool:
    """A row of short link texts that starts from 首页."""
    if not _NAV_WORD.search(line):
        return False
    cells = [squeeze_spaces(c) for c in re.split(r"[|｜]", line) if squeeze_spaces(c)]
    if len(cells) < 3:
        cells = [c for c in re.split(r"\s+", line.replace("\u00a0", " ")) if c]
    return len(cells) >= 3 and all(len(c) <= 10 for c in cells)


def _is_link_list(line: str) -> bool:
    """A line of several site names (``XX网 YY网 ZZ网``): a related-links block."""
    tokens = [t for t in re.split(r"[\s|｜]+", line.replace("\u00a0", " ")) if t]
    if len(tokens) < 3:
        return False
    sites = sum(1 for t in tokens if re.search(r"(?:网|网站|官网|门户)$", t) and len(t) <= 16)
    return sites >= max(3, len(tokens) - 1)


def _spam_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Within an underscore-joined chain, the part that is spam (not the plan words it was pasted into)."""
    chain = text[start:end]
    if not _SPAM.search(chain):
        return None
    pieces = chain.split("_")
    first, last = pieces[0], pieces[-1]
    # The chain's first piece may begin with the plan's own words: spam starts at the first Latin
    # letter or digit, or at the first spam word.
    ascii_start = re.search(r"[A-Za-z0-9]", first)
    word_start = _SPAM.search(first)
    offsets = [m.start() for m in (ascii_start, word_start) if m]
    lo = start + (min(offsets) if offsets else len(first) + 1)
    # Likewise its last piece may run on into the plan's words: spam ends at the last spam word.
    last_words = list(_SPAM.finditer(last))
    last_ascii = list(re.finditer(r"[A-Za-z0-9]+", last))
    tail_ends = [m.end() for m in (last_words[-1:] + last_ascii[-1:])]
    hi = end - len(last) + (max(tail_ends) if tail_ends else 0)
    if not tail_ends:
        hi = end - len(last) - 1
    return (lo, hi) if hi > lo else None


def _site_names(line: str) -> list[tuple[int, int]]:
    """Spans of gambling-site names, left to right.

    Hand-written rather than one regular expression: the expression
    ``[A-Za-z0-9]*(?:bet|365|888|\\d{3,})[A-Za-z0-9]*[一-鿿]{0,8}(?:spam word)`` backtracks
    cubically over a long run of digits. This finds the same spans in one pass over the
    runs of Latin letters and digits: a run holding a marker, then (after at most 8
    Chinese characters) a spam word; failing that, a Latin spam word inside the run
    after its first marker.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for run in _RUN.finditer(line):
        start, end = max(run.start(), pos), run.end()
        while start < end:
            marker = _MARKER.search(line, start, end)
            if marker is None:
                break
            after = _AFTER_RUN.match(line, end)
            if after:
                spans.append((start, after.end()))
                start = after.end()
                break
            # the latest Latin spam word that starts at or after the first marker's end
            latin = [m for m in _LATIN_SPAM.finditer(line, marker.start() + 3, end)]
            if not latin:
                break
            spans.append((start, latin[-1].end()))
            start = latin[-1].end()
        pos = start
    return spans


def remove_spam(line: str) -> tuple[str, list[str]]:
    """The line without injected spam spans, and the spans removed (linear in the line)."""
    if not _ANY_SPAM.search(line):  # every span below holds a spam word: most lines have none
        return line, []
    spans: list[tuple[int, int]] = []
    covered = bytearray(len(line) + 1)  # covered[i]: position i lies inside a span taken

    def take(a: int, b: int) -> None:
        spans.append((a, b))
        covered[a:b] = b"\x01" * (b - a)

    for m in _CHAIN.finditer(line):
        span = _spam_span(line, m.start(), m.end())
        if span:
            take(*span)
    for found in (_site_names(line), [(m.start(), m.end()) for m in _STRONG.finditer(line)]):
        for a, b in found:
            if not (covered[a] or covered[b - 1]):  # neither end inside a span already taken
                take(a, b)
    kept: list[str] = []
    last = 0
    removed = [line[a:b] for a, b in sorted(spans)]
    for a, b in sorted(spans):
        if a > last:
            kept.append(line[last:a])
        last = max(last, b)
    kept.append(line[last:])
    return "".join(kept), removed


#: Why a line was removed when it is a forum's, not the document's: such lines sit between a
#: table's cells, so readers pass over them as if they were not there (see :func:`dropped_lines`).
FORUM_JUNK = "forum junk"
#: Removals of whole lines that may sit inside a table (between two of its cells).
_BETWEEN_CELLS = (FORUM_JUNK, "page number")


def dropped_lines(removed: list[Removal]) -> set[int]:
    """0-based indexes of lines removed whole that a table reader passes over (a forum's
    edit stamp or a page number between two cells is no blank line of the table)."""
    return {r.line - 1 for r in removed if r.reason in _BETWEEN_CELLS}


def clean_lines(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Blank chrome lines and cut spam spans; line numbers (1-based) are kept."""
    out: list[str] = []
    removals: list[Removal] = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            out.append(line)
            continue
        short = len(stripped) <= 160
        reason = None
        if short and _CHROME_LINE.search(stripped):
            reason = "website chrome"
        elif _PAGE_NUMBER.match(normalise_spaces(stripped)):
            reason = "page number"
        elif short and _is_nav_bar(stripped):
            reason = "navigation bar"
        elif _is_link_list(stripped):
            reason = "related-links list"
        elif (
            short
            and _FORUM_LINE.match(normalise_spaces(stripped))
            or short
            and _BBCODE.search(stripped)
            and not _BBCODE.sub("", stripped).strip()
        ):
            reason = FORUM_JUNK
        if reason:
            removals.append(Removal(number, normalise_spaces(stripped)[:200], reason))
            out.append("")
            continue
        cleaned, spans = remove_spam(line)
        for span in spans:
            removals.append(Removal(number, span, "injected spam"))
        tags = _BBCODE.findall(cleaned)
        if tags:
            cleaned = _BBCODE.sub("", cleaned)
            removals.append(Removal(number, "".join(tags)[:200], "forum markup"))
        out.append(cleaned)
    return out, removals
