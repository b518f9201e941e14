"""The Arrow fast path of the points readers: ids and coordinates checked in bulk.

Why a module of its own: the checks are the part of a read that does not depend on
which column holds the value, so the read-ahead thread runs them while the command is
still starting (:func:`.point_files.parse_ahead`); the reader adds the value column.
Anything off returns None, and the reader falls back to the slow path whose messages
quote the offending cell and row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from minsheng.arrow_arrays import compute
from minsheng.domain.side_by_side import together
from minsheng.ingest.spatial.arrow_columns import (
    all_distinct,
    as_text,
    canonical_integers,
    numbers_of,
)
from minsheng.ingest.spatial.point_files import ALIASES

if TYPE_CHECKING:
    from minsheng.ingest.spatial.geo_files import Coords


def arrow_column(table: Any, key: str) -> str | None:  # noqa: ANN401
    lower = {str(c).strip().lower(): c for c in table.column_names}
    return next((lower[n] for n in ALIASES.get(key, (key,)) if n in lower), None)


@dataclass(frozen=True)
class ArrowLayout:
    """What a points table holds besides its value column, checked: ids, coordinates, and
    the region and type columns. Value-independent, so it can be prepared while the
    command still parses its options (:func:`.point_files.parse_ahead`)."""

    ids: Any  # pyarrow.Array of strings, trimmed, distinct
    a: np.ndarray
    b: np.ndarray
    coords: Coords
    region: np.ndarray | None
    kind: np.ndarray | None


def arrow_number(table: Any, column: str, non_negative: bool) -> np.ndarray | None:  # noqa: ANN401
    """A number column as float64, or None if it has text, gaps, non-finite or (when
    ``non_negative``) negative values."""
    import pyarrow as pa

    col = table.column(column)
    if not (pa.types.is_integer(col.type) or pa.types.is_floating(col.type)):
        return None
    if col.null_count:
        return None
    arr = numbers_of(col, np.float64)
    finite = pa.types.is_integer(col.type) or np.isfinite(arr).all()  # integers always are
    ok = finite and (not non_negative or not (arr < 0).any())
    return arr if ok else None


def arrow_layout(table: Any, coords_hint: Coords | None) -> ArrowLayout | None:  # noqa: ANN401
    """The checked ids and coordinates of an Arrow table of points, or None if anything is
    off (no id column, no coordinates, a text cell, a repeated id…)."""
    import pyarrow as pa

    if table.num_rows == 0:
        return None
    id_col = arrow_column(table, "id")
    if id_col is None:
        return None
    x_col, y_col = arrow_column(table, "x"), arrow_column(table, "y")
    lon_col, lat_col = arrow_column(table, "lon"), arrow_column(table, "lat")
    coords: Coords
    if x_col is not None and y_col is not None and coords_hint != "lonlat":
        a_col, b_col, coords = x_col, y_col, coords_hint or "xy"
    elif lon_col is not None and lat_col is not None:
        a_col, b_col, coords = lon_col, lat_col, "lonlat"
    else:
        return None

    def coordinates() -> tuple[np.ndarray, np.ndarray] | None:
        a = arrow_number(table, a_col, False)
        b = arrow_number(table, b_col, False)
        if a is None or b is None:
            return None
        if coords == "lonlat" and (np.abs(a) > 180).any() | (np.abs(b) > 90).any():
            return None
        return a, b

    def distinct_ids() -> Any:  # noqa: ANN401 - a pyarrow string Array, or None
        ids = as_text(table.column(id_col)).combine_chunks()
        nums = canonical_integers(ids)  # canonical integers have no spaces to trim
        if nums is None:
            ids = compute("utf8_trim_whitespace", ids)
            nums = canonical_integers(ids)
        return ids if all_distinct(ids, nums) else None

    # the two checks share nothing: Arrow's cast and NumPy's passes let go of the GIL
    ab, ids = together([coordinates, distinct_ids], table.num_rows)
    if ab is None or ids is None:
        return None
    a, b = ab
    reg_col, kind_col = arrow_column(table, "region"), arrow_column(table, "type")
    region = None
    if reg_col is not None:
        import pyarrow.compute as pc  # regions: the few runs that summarise by region

        codes = pc.utf8_trim_whitespace(table.column(reg_col).cast(pa.string()))
        codes = pc.replace_substring_regex(codes, r"\.0$", "")
        region = np.asarray(codes.to_numpy(zero_copy_only=False), dtype=object)
    kind = (
        np.asarray(
            table.column(kind_col).cast(pa.string()).to_numpy(zero_copy_only=False), dtype=object
        )
        if kind_col
        else None
    )
    return ArrowLayout(ids, a, b, coords, region, kind)
