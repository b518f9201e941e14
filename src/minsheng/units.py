"""Units of indicator values, and when a value in one unit may be read in another.

One canonical series holds the values of every plan that maps an indicator to it, and
plans state the same quantity in different units (养老服务床位 in 张 in a district's plan,
in 万张 in the nation's). A value keeps the unit it was entered in; whoever reads it in
another unit converts it here, by a magnitude prefix only. A different base (万平方米
against 万个, % against 万次) is a different quantity: it never converts, and such a
series must not be shared.

It sits beside :mod:`minsheng.names`, not in the domain: a unit is compared as the one
name normaliser folds it (full-width ％, Traditional 萬張), and the domain imports the
standard library only.
"""

from __future__ import annotations

from minsheng.names import normalise_name

#: Magnitude prefixes, longest first where one is the start of another.
PREFIXES = (("百万", 1e6), ("十万", 1e5), ("亿", 1e8), ("万", 1e4), ("千", 1e3))
_PERCENT = {"%", "百分比", "percent", "pct", "百分率"}


def normalise_unit(unit: str | None) -> str | None:
    """Canonical unit text: ``百分比``/``％``/``percent`` → ``%``; blank → None.

    >>> normalise_unit("％"), normalise_unit(" "), normalise_unit("万张")
    ('%', None, '万张')
    """
    if unit is None:
        return None
    u = normalise_name(unit)
    if not u:
        return None
    return "%" if u in _PERCENT else u


def unit_ratio(given: str | None, wanted: str | None) -> tuple[float, float] | None:
    """(multiplier, divisor) turning a value in ``given`` into ``wanted``; None when not convertible.

    Two exact powers of ten rather than their quotient: ``6897 / 1e4`` is the nearest
    double to 0.6897, ``6897 * 1e-4`` need not be (1e-4 has no exact binary form).
    An unknown unit (None or blank) on either side is taken at its word: a table
    without a unit column says nothing against the other side.

    >>> unit_ratio("万张", "张"), unit_ratio("张", "万张"), unit_ratio("%", "万次")
    ((10000.0, 1.0), (1.0, 10000.0), None)
    """
    g, w = normalise_unit(given), normalise_unit(wanted)
    if g is None or w is None or g == w:
        return 1.0, 1.0
    gf, gb = _split_prefix(g)
    wf, wb = _split_prefix(w)
    if gb != wb:
        return None
    return gf, wf


def unit_factor(given: str | None, wanted: str | None) -> float | None:
    """Factor turning a value in ``given`` into ``wanted``; None when not convertible.

    >>> unit_factor("万人", "人")
    10000.0
    >>> unit_factor("人", "个") is None
    True
    """
    ratio = unit_ratio(given, wanted)
    return None if ratio is None else ratio[0] / ratio[1]


def same_quantity(a: str | None, b: str | None) -> bool:
    """Whether values in ``a`` and in ``b`` measure one quantity (one converts to the other)."""
    return unit_ratio(a, b) is not None


def convert(value: float, given: str | None, wanted: str | None) -> float | None:
    """``value`` in ``given`` read in ``wanted``; None when the units are different quantities.

    >>> convert(6897.0, "张", "万张"), convert(0.6897, "万张", "张")
    (0.6897, 6897.0)
    """
    ratio = unit_ratio(given, wanted)
    if ratio is None:
        return None
    multiplier, divisor = ratio
    return value if multiplier == divisor else value * multiplier / divisor


def _split_prefix(unit: str) -> tuple[float, str]:
    for prefix, factor in PREFIXES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return factor, unit[len(prefix) :]
    return 1.0, unit
