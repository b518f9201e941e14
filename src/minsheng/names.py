"""One name normaliser and one region resolver, used by every door.

Names arrive typed by hand, copied from PDFs, in full-width forms, in
Traditional script (港澳台 bulletins, old pages) and abbreviated (永川 for
永川区). Every reader — the CLI, observation files, file-mode evaluation, plan
documents — folds them the same way here, so a name that resolves through one
door resolves the same way through all of them.

The module sits beside :mod:`minsheng.domain` (it imports only the domain and
OpenCC) so every floor can reach it; the region tree is passed in, from the
shipped division list or from the store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.regions import NATIONAL_CODE, Level, Region

__all__ = [
    "AmbiguousRegion",
    "RegionIndex",
    "name_key",
    "normalise_name",
    "short_region_name",
    "to_simplified",
]

_SPACES = re.compile(r"\s+")
# Brackets and quotes people type in either width or style: one style for comparing.
_PUNCT = str.maketrans(
    {
        "【": "[",
        "】": "]",
        "〔": "[",
        "〕": "]",
        "［": "[",
        "］": "]",
        "“": "",
        "”": "",
        "‘": "",
        "’": "",
        '"': "",
        "'": "",
        "·": "",
        "・": "",
    }
)


@lru_cache(maxsize=1)
def _converter():  # noqa: ANN202 - opencc's converter has no type hints
    # OpenCC's tables are the maintained Traditional→Simplified mapping (with
    # phrase-level exceptions); a hand-made character table would drift from them.
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Traditional script folded to Simplified (``永川區`` → ``永川区``)."""
    if text.isascii():
        return text
    return str(_converter().convert(text))


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """The comparable form of a name: NFKC (full-width → half-width), no spaces,
    one bracket style, no quotes, Simplified script, lower case.

    >>> normalise_name(" 每千人口執業（助理）醫師數 ")
    '每千人口执业(助理)医师数'
    """
    folded = unicodedata.normalize("NFKC", str(text)).translate(_PUNCT)
    folded = _SPACES.sub("", folded).lower()
    # Taking out spaces and quotes (or lower-casing) can bring a letter next to a combining
    # mark (``r ̧`` → ``ŗ``): composed again, so normalising a normalised name changes nothing.
    return unicodedata.normalize("NFKC", to_simplified(folded))


_LOOSE = re.compile(r"[()\[\]、,.。:;\-—_/|]")


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """A looser key for matching indicator names across sources: :func:`normalise_name`
    without punctuation and the filler words bulletins drop (每千人口拥有执业(助理)医师数
    and 每千人口执业（助理）醫師數 share a key)."""
    return _LOOSE.sub("", normalise_name(text)).replace("拥有", "").replace("的", "")


# Administrative suffixes a 简称 leaves off, longest first.
_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县",
    "自治旗", "地区", "林区", "新区", "省", "市", "区", "县", "旗", "盟",
)  # fmt: skip


def short_region_name(name: str) -> str:
    """A region's 简称: its name without the administrative suffix (永川区 → 永川).

    Names of two characters keep their suffix-less form only when something is
    left (城区 stays 城区)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class AmbiguousRegion(InvalidData):
    """A name that fits several regions in the scope; ``candidates`` lists them."""

    def __init__(self, text: str, candidates: list[Region], full: dict[str, str]) -> None:
        listed = ", ".join(f"{r.code} {full.get(r.code, r.name)}" for r in candidates[:8])
        more = f" and {len(candidates) - 8} more" if len(candidates) > 8 else ""
        super().__init__(
            f"region name {text!r} is ambiguous ({listed}{more}); give the code",
            message_zh=f"地区名称“{text}”可指多个地区（{listed}"
            f"{f' 等{len(candidates)}个' if more else ''}），请给出行政区划代码",
        )
        self.candidates = candidates


def _scope_prefix(code: str) -> str:
    if code == NATIONAL_CODE:
        return ""
    if code[2:] == "0000":
        return code[:2]
    if code[4:] == "00":
        return code[:4]
    return code


class RegionIndex:
    """Code or name → region, over one region tree.

    ``regions`` are all units, retired ones included (a retired unit has
    ``valid_to`` and, where one took its place, ``successor_code``).
    """

    def __init__(self, regions: Iterable[Region]) -> None:
        self.by_code: dict[str, list[Region]] = {}
        for region in regions:
            self.by_code.setdefault(region.code, []).append(region)
        current = [r for rs in self.by_code.values() for r in rs if r.valid_to is None]
        self.full: dict[str, str] = {r.code: self._full_name(r) for r in current}
        self.exact: dict[str, list[Region]] = {}
        self.short: dict[str, list[Region]] = {}
        for region in current:
            for name in {region.name, self.full[region.code], self._local_name(region)}:
                self.exact.setdefault(normalise_name(name), []).append(region)
            short = normalise_name(short_region_name(region.name))
            self.short.setdefault(short, []).append(region)
        # names of retired units, reached through their successors when no current unit has them
        self.retired: dict[str, list[Region]] = {}
        for rows in self.by_code.values():
            for region in rows:
                if region.valid_to is not None:
                    for name in {region.name, short_region_name(region.name)}:
                        self.retired.setdefault(normalise_name(name), []).append(region)

    def _current(self, code: str) -> Region | None:
        rows = self.by_code.get(code) or []
        return next((r for r in rows if r.valid_to is None), rows[-1] if rows else None)

    def _full_name(self, region: Region) -> str:
        """``重庆市永川区``: the names from the province down, placeholder prefectures left out."""
        parts: list[str] = []
        node: Region | None = region
        seen: set[str] = set()
        while node is not None and node.level is not Level.NATIONAL and node.code not in seen:
            seen.add(node.code)
            if not (
                node.level is Level.PREFECTURE
                and node.name.endswith(("市辖区", "县", "直辖县级行政区划"))
            ):
                parts.append(node.name)
            node = self._current(node.parent_code) if node.parent_code else None
        return "".join(reversed(parts)) or region.name

    def _local_name(self, region: Region) -> str:
        """``遵义市汇川区``: the full name without its province, as a city's own papers write
        a county (the province's own units, and municipalities' districts, gain nothing)."""
        full = self.full[region.code]
        parent = self._current(region.parent_code) if region.parent_code else None
        province = self._current(region.code[:2] + "0000")
        if parent is None or province is None or parent.level is not Level.PREFECTURE:
            return full
        return full.removeprefix(province.name) or full

    def full_name(self, code: str) -> str:
        return self.full.get(code) or (self._current(code).name if self._current(code) else code)  # type: ignore[union-attr]

    # ---------------------------------------------------------------- resolving
    def resolve(
        self, text: str | int, *, scope: str | None = None, year: int | None = None
    ) -> Region:
        """The one region ``text`` names, or NotFound / AmbiguousRegion — never a default.

        ``text``: a GB/T 2260 code (2, 4 or 6 digits), a name or full name
        (重庆市永川区), a 简称 (永川, only when it names one region in the scope),
        in Simplified or Traditional script. ``scope``: a region code whose subtree
        the name must lie in. A retired code resolves to its successor (through
        every re-coding) unless ``year`` falls in its own years of validity.
        """
        raw = str(text).strip()
        if not raw:
            raise NotFound("no region given")
        folded = normalise_name(raw)
        if re.fullmatch(r"\d+(?:\.0)?", folded):
            return self._by_code(folded.split(".")[0], raw, year)
        prefix = _scope_prefix(scope) if scope else ""
        for index in (self.exact, self.short):
            candidates = self._in_scope(index.get(folded, []), prefix)
            if not candidates and index is self.short:
                # a typed 简称 may still carry a suffix of its own (永川區 → 永川)
                candidates = self._in_scope(
                    index.get(normalise_name(short_region_name(folded)), []), prefix
                )
            if candidates:
                return self._one(raw, candidates)
        old = self._in_scope(self.retired.get(folded, []), prefix)
        if old:
            found = {self._by_code(r.code, raw, year).code: r for r in old}
            if len(found) == 1:
                return self._by_code(old[0].code, raw, year)
            raise AmbiguousRegion(raw, list(found.values()), self.full)
        where = f" in {self.full_name(scope)}" if scope else ""
        where_zh = f"（在{self.full_name(scope)}范围内）" if scope else ""
        raise NotFound(
            f"no region with code or name {raw!r}{where}",
            message_zh=f"没有行政区划代码或名称为“{raw}”的地区{where_zh}",
        )

    def _by_code(self, digits: str, raw: str, year: int | None) -> Region:
        if len(digits) not in (2, 4, 6):
            raise NotFound(
                f"no region with code {raw!r} (a code has 2, 4 or 6 digits)",
                message_zh=f"没有行政区划代码为“{raw}”的地区（行政区划代码为 2、4 或 6 位数字）",
            )
        code = digits.ljust(6, "0")
        rows = self.by_code.get(code)
        if not rows:
            raise NotFound(
                f"no region with code {code}", message_zh=f"没有行政区划代码为 {code} 的地区"
            )
        if year is not None:
            for r in rows:
                if (r.valid_from is None or r.valid_from <= year) and (
                    r.valid_to is None or year <= r.valid_to
                ):
                    return r
        region = next((r for r in rows if r.valid_to is None), rows[-1])
        seen = {region.code}
        while region.valid_to is not None and region.successor_code:
            if year is not None and year <= region.valid_to:
                break
            successor = self._current(region.successor_code)
            if successor is None or successor.code in seen:
                break
            seen.add(successor.code)
            region = successor
        return region

    @staticmethod
    def _in_scope(regions: list[Region], prefix: str) -> list[Region]:
        unique = {r.code: r for r in regions}
        return [r for c, r in sorted(unique.items()) if c.startswith(prefix)]

    def _one(self, raw: str, candidates: list[Region]) -> Region:
        if len(candidates) == 1:
            return candidates[0]
        # 北京市 names the municipality and, in some lists, its own placeholder
        # prefecture: the higher unit is meant when every candidate lies within it.
        top = min(candidates, key=lambda r: r.level.rank)
        prefix = _scope_prefix(top.code)
        if (
            prefix
            and sum(r.level is top.level for r in candidates) == 1
            and all(r.code.startswith(prefix) for r in candidates)
        ):
            return top
        raise AmbiguousRegion(raw, candidates, self.full)

    def names(self, name: str, code: str, year: int | None = None) -> bool:
        """Whether ``name`` names the region of ``code`` (a file giving both, which must
        agree: a row copied and its name changed but not its code names another region).
        A name the code's region bore before a renaming agrees too."""
        region = self._by_code(normalise_name(code).split(".")[0], code, year)
        try:
            if self.resolve(name, scope=region.code, year=year).code == region.code:
                return True
        except (NotFound, InvalidData):
            pass
        folded = normalise_name(name)
        return any(
            folded in {normalise_name(r.name), normalise_name(short_region_name(r.name))}
            for r in self.by_code.get(region.code, [])
        )

    def find(
        self, text: str | int, *, scope: str | None = None, year: int | None = None
    ) -> Region | None:
        """:meth:`resolve`, with None for an unknown name (ambiguity still raises)."""
        try:
            return self.resolve(text, scope=scope, year=year)
        except AmbiguousRegion:
            raise
        except NotFound:
            return None


@lru_cache(maxsize=1)
def shipped_region_index() -> RegionIndex:
    """The index over the shipped division tree (no database needed)."""
    from minsheng.data.divisions import load_divisions

    return RegionIndex(load_divisions())
