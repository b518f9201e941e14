"""Small text helpers shared by the ingest modules.

PDF transcriptions and web pages scatter stray spaces (often U+00A0) through
Chinese text: ``每千人口拥有 3 岁以下`` or ``文 体 服 务 保障``. Chinese does not
use spaces between words, so a space is only kept where it separates two Latin
words or two numbers.
"""

from __future__ import annotations

import re
import unicodedata

#: Spaces the documents use, the no-break space first among them.
SPACE_CHARS = "\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\t "
_SPACES = re.compile(f"[{SPACE_CHARS}]+")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")


def squeeze_spaces(text: str) -> str:
    """Drop spaces inside Chinese text; keep one between two Latin words.

    >>> squeeze_spaces("每千人口拥有\\u00a03\\u00a0岁以下 托位数")
    '每千人口拥有3岁以下托位数'
    >>> squeeze_spaces("Wi Fi 覆盖率")
    'Wi Fi覆盖率'
    """
    text = text.strip(SPACE_CHARS)
    if not text or not _SPACES.search(text):
        return text  # nothing to squeeze (most cells): no walk over the spaces
    out: list[str] = []
    pos = 0
    for m in _SPACES.finditer(text):
        out.append(text[pos : m.start()])
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if _LATIN.match(before) and _LATIN.match(after):
            out.append(" ")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def normalise_spaces(text: str) -> str:
    """Every kind of space to one ASCII space, trimmed (keeps the cell boundaries)."""
    return _SPACES.sub(" ", text).strip()


def is_blank(text: str) -> bool:
    return not text.strip(SPACE_CHARS + "\r\n")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


#: Sentence-ending punctuation: a line ending in one of these is complete.
SENTENCE_END = "。！？；;!?"


def split_numbered(text: str, start: int = 1) -> list[tuple[int, str]]:
    """Split ``"1.甲。2.乙。"`` into numbered items, trusting only the next number in sequence.

    Numbers inside the items (``0.1平方米``, ``1.8``) are not mistaken for item
    numbers: an item number must be the next one expected and must follow the
    start of the text, a space or a sentence end.

    >>> split_numbered("1.带【】为五年累计数。2.面积:不少于0.1平方米。")
    [(1, '带【】为五年累计数。'), (2, '面积:不少于0.1平方米。')]
    """
    items: list[tuple[int, str]] = []
    first = re.match(rf"\s*({start}|\d+)\s*[.．、]\s*", text)
    if not first:
        return []
    number = int(first.group(1))
    pos = first.end()
    while True:
        expected = number + 1
        pattern = re.compile(
            rf"(?:(?<=^)|(?<=[\s{SENTENCE_END}|，,]))\s*{expected}\s*[.．、](?!\d)\s*"
        )
        m = pattern.search(text, pos)
        end = m.start() if m else len(text)
        items.append((number, text[pos:end].strip(SPACE_CHARS + "|")))
        if not m:
            return items
        number, pos = expected, m.end()


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
_CN_NUMBER = re.compile(
    r"^(?:([一二三四五六七八九])?(百))?零?(?:([一二三四五六七八九])?(十))?([一二三四五六七八九])?$"
)


def chinese_number(text: str) -> int | None:
    """A number written in Chinese numerals up to 999 (``三十二`` → 32, ``十`` → 10,
    ``一百零五`` → 105), or None.

    >>> [chinese_number(t) for t in ("七", "十二", "二十", "一百零五", "二五")]
    [7, 12, 20, 105, None]
    """
    m = _CN_NUMBER.match(text)
    if not text or m is None:
        return None
    hundreds = (_CN_DIGITS[m.group(1)] if m.group(1) else 1) if m.group(2) else 0
    tens = (_CN_DIGITS[m.group(3)] if m.group(3) else 1) if m.group(4) else 0
    ones = _CN_DIGITS[m.group(5)] if m.group(5) else 0
    return 100 * hundreds + 10 * tens + ones


def seq_number(cell: str | None) -> int | None:
    """A 序号 cell's number: ``12``, full-width ``１２``, ``12.``, or Chinese ``十二``; None
    for anything else (a seq cell that is not a number is not guessed)."""
    text = nfkc(squeeze_spaces(cell or "")).rstrip(".、")
    if re.fullmatch(r"\d{1,3}", text):
        return int(text)
    return chinese_number(text)
