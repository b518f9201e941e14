"""Read demand points and facilities (CSV, GeoJSON, GeoParquet) and write per-point results.

Why here: analytics stays pure, so every file format and every check of user input lives
at this boundary. Inputs are validated once: a missing column, a non-numeric or negative
value, a duplicate id or an unknown file type becomes :class:`InvalidData` whose message
names the file, the column and the first bad row (rows as a spreadsheet shows them: the
header is row 1 of a CSV; features/records count from 1 otherwise).

Coordinates are either projected metres (``x``, ``y``) or degrees (``lon``, ``lat``);
GeoJSON is lon/lat (RFC 7946) unless a legacy ``crs`` names a projected CRS, GeoParquet
follows its ``geo`` metadata (default OGC:CRS84).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from minsheng.arrow_arrays import from_numpy
from minsheng.domain.errors import InvalidData, Problem
from minsheng.domain.side_by_side import in_background
from minsheng.ingest.spatial import read_ahead as ahead
from minsheng.ingest.spatial.arrow_columns import write_csv
from minsheng.ingest.spatial.arrow_points import (
    ArrowLayout,
    arrow_column,
    arrow_layout,
    arrow_number,
)
from minsheng.ingest.spatial.geo_files import (
    Coords,
    read_geojson,
    read_parquet,
    wkb_points,
    write_geojson,
    write_parquet,
)
from minsheng.ingest.spatial.point_files import (
    ALIASES,
    CSV,
    GEOJSON,
    PARQUET,
    WORKBOOK,
    parse_csv,
)

if TYPE_CHECKING:  # pandas is imported only on the slow paths (GeoJSON, error messages)
    import pandas as pd


@dataclass(frozen=True)
class PointTable:
    """Validated points: ids, coordinates (metres or degrees), one value, optional region/type.

    The ids are kept as one Arrow string array (``id_array``): a million ids as Python
    strings cost more than the whole 2SFCA on a grid, and most runs only copy them to the
    output file. ``ids`` gives them as a NumPy array for the few uses that need it.
    """

    path: str
    id_array: Any  # pyarrow.Array of strings
    a: np.ndarray  # x or lon
    b: np.ndarray  # y or lat
    value: np.ndarray
    coords: Coords
    region: np.ndarray | None = None
    kind: np.ndarray | None = None

    @cached_property
    def ids(self) -> np.ndarray:
        return np.asarray(self.id_array.to_numpy(zero_copy_only=False), dtype=object)

    def __len__(self) -> int:
        return len(self.id_array)


@dataclass(frozen=True)
class CostTable:
    """A user-supplied travel-cost table: origin (demand id), destination (facility id), cost."""

    origin: np.ndarray
    dest: np.ndarray
    cost: np.ndarray


def _kind(path: Path) -> str:
    """What a points, costs or results file is, by its suffix; a folder is none of them
    (its name may carry no suffix at all, ``.``, or a misleading one)."""
    if path.is_dir():
        raise InvalidData(f"{path}: a folder, not a file")
    suffix = path.suffix.lower()
    if suffix in CSV:
        return "csv"
    if suffix in GEOJSON:
        return "geojson"
    if suffix in PARQUET:
        return "parquet"
    if suffix in WORKBOOK:
        return "workbook"
    raise InvalidData(
        f"{path.name}: unknown file type {suffix or '(none)'!r}; "
        "use .csv, .xlsx, .geojson or .parquet"
    )


def _missing(path: Path, key: str, found: Any) -> InvalidData:  # noqa: ANN401 - column labels
    """A missing column, with the names that would have been read and the ones there are."""
    names = ALIASES.get(key, (key,))
    shown = ", ".join(str(c) for c in list(found)[:20]) or "(none)"
    return InvalidData(
        f"{path.name}: missing column {key!r} (read as: {', '.join(names)}); columns found: {shown}",
        message_zh=f"{path.name}：缺少“{key}”列（可用列名：{'、'.join(names)}）；文件中的列：{shown}",
    )


def _find(df: pd.DataFrame, key: str) -> str | None:
    lower = {str(c).strip().lower(): c for c in df.columns}
    for name in ALIASES.get(key, (key,)):
        if name in lower:
            return lower[name]
    return None


def _numeric(df: pd.DataFrame, column: str, path: Path, *, non_negative: bool) -> np.ndarray:
    """The column as numbers; the first bad cells are named by row (``df.index`` holds
    each row's number as the user counts it)."""
    import pandas as pd

    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    why, why_zh = "a number", "数字"
    if non_negative:
        neg = np.zeros_like(bad)
        neg[~bad] = values[~bad] < 0
        if neg.any() and not bad.any():
            bad, why, why_zh = neg, "a number >= 0", "不小于 0 的数字"
    if bad.any():
        rows = np.flatnonzero(bad)
        first = int(rows[0])
        problems = [
            Problem(
                int(df.index[int(r)]),
                column,
                f"{raw.iloc[int(r)]!r} is not {why}",
                message_zh=f"“{raw.iloc[int(r)]}”不是{why_zh}，“{column}”列应填写{why_zh}",
            )
            for r in rows[:50]
        ]
        more = f" ({len(rows)} bad rows)" if len(rows) > 1 else ""
        raise InvalidData(
            f"{path.name}: column {column!r} must be {why}; row {df.index[first]} has "
            f"{raw.iloc[first]!r}{more}",
            problems,
            message_zh=f"{path.name}：“{column}”列应为{why_zh}，第{df.index[first]}行为"
            f"“{raw.iloc[first]}”" + (f"（共 {len(rows)} 行有误）" if len(rows) > 1 else ""),
        )
    return values


def _frame_to_points(
    df: pd.DataFrame,
    path: Path,
    value: str,
    coords_hint: Coords | None,
    required: bool = True,
) -> PointTable:
    """Points from a table of text or values whose index numbers its rows as the user
    counts them (spreadsheet rows; features and records from 1)."""
    if len(df) == 0:
        raise InvalidData(f"{path.name}: no rows")
    id_col = _find(df, "id")
    if id_col is None:
        raise _missing(path, "id", df.columns)
    val_col = _find(df, value)
    if val_col is None and required:
        raise _missing(path, value, df.columns)
    x_col, y_col = _find(df, "x"), _find(df, "y")
    lon_col, lat_col = _find(df, "lon"), _find(df, "lat")
    coords: Literal["xy", "lonlat"]
    if x_col is not None and y_col is not None and coords_hint != "lonlat":
        a_col, b_col, coords = x_col, y_col, coords_hint or "xy"
    elif lon_col is not None and lat_col is not None:
        a_col, b_col, coords = lon_col, lat_col, "lonlat"
    elif x_col is not None and y_col is not None:
        a_col, b_col, coords = x_col, y_col, "lonlat"
    else:
        missing = "y" if x_col is not None else "x"
        raise InvalidData(
            f"{path.name}: missing column {missing!r} (give x,y in metres or lon,lat in degrees)"
        )
    import pandas as pd
    import pyarrow as pa

    ids = df[id_col].astype(str).str.strip().to_numpy()
    if not pd.Index(ids).is_unique:
        r = int(np.flatnonzero(pd.Series(ids).duplicated().to_numpy())[0])
        raise InvalidData(f"{path.name}: id {ids[r]!r} repeats at row {df.index[r]}")
    a = _numeric(df, a_col, path, non_negative=False)
    b = _numeric(df, b_col, path, non_negative=False)
    if coords == "lonlat":
        for arr, col, lim in ((a, a_col, 180), (b, b_col, 90)):
            bad = np.flatnonzero(np.abs(arr) > lim)
            if bad.size:
                raise InvalidData(
                    f"{path.name}: column {col!r} holds degrees; row {df.index[int(bad[0])]} has "
                    f"{arr[bad[0]]:g} (projected metres go in columns x,y)"
                )
    v = _numeric(df, val_col, path, non_negative=True) if val_col else np.ones(len(df))
    reg_col, kind_col = _find(df, "region"), _find(df, "type")
    region = (
        df[reg_col].astype(str).str.strip().str.replace(r"\.0$", "", regex=True).to_numpy()
        if reg_col
        else None
    )
    kind = df[kind_col].astype(str).to_numpy() if kind_col else None
    return PointTable(str(path), pa.array(ids, pa.string()), a, b, v, coords, region, kind)


def _text_table(path: Path) -> pd.DataFrame:
    """A CSV (UTF-8 or GB18030, decoded where every door decodes,
    :mod:`minsheng.ingest.spreadsheets`) or a workbook's first sheet, as cell texts.

    Blank rows are dropped; the index keeps each row's spreadsheet number (the header is
    row 1), so a message names the row the user sees. pandas' C parser reads the CSV: a
    million rows in a second or two, against several with the ``csv`` module.
    """
    import io

    import pandas as pd

    from minsheng.ingest.spreadsheets import checked_csv_text, read_table

    if path.suffix.lower() in WORKBOOK:
        rows = read_table(path)[0] or []
        if not rows or not any(rows[0]):
            raise InvalidData(f"{path.name}: empty file")
        header = [str(c).strip() for c in rows[0]]
        body = [(r + [""] * len(header))[: len(header)] for r in rows[1:]]
        df = pd.DataFrame(body, columns=header, dtype=object)
    else:
        text = checked_csv_text(path.read_bytes(), path.name)
        try:
            df = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False
            )
        except pd.errors.ParserError as exc:
            raise InvalidData(f"{path.name}: not a readable CSV ({exc})") from None
        except pd.errors.EmptyDataError:
            raise InvalidData(f"{path.name}: empty file") from None
    df.index = range(2, len(df) + 2)
    blank = (df == "").all(axis=1) if len(df.columns) else pd.Series(True, index=df.index)
    return df[~blank]


def _counted(df: pd.DataFrame) -> pd.DataFrame:
    """Rows numbered from 1 (GeoJSON features, Parquet records)."""
    df.index = range(1, len(df) + 1)
    return df


def _arrow_points(
    table: Any,  # noqa: ANN401 - a pyarrow.Table
    path: Path,
    value: str,
    coords_hint: Coords | None,
    required: bool,
    layout: ArrowLayout | None = None,
) -> PointTable | None:
    """Points straight from Arrow columns, validated with vectorised checks.

    Returns None whenever anything is off (a missing column, a text cell in a number
    column, a repeated id…): the caller then reads the file on the slow path, whose
    messages quote the offending cell and row. Valid files, the common case, never
    touch pandas. ``layout`` is :func:`arrow_layout` of this table, if already made.
    """
    val_col = arrow_column(table, value)
    if val_col is None and required:
        return None
    layout = layout or arrow_layout(table, coords_hint)
    if layout is None:
        return None
    v = arrow_number(table, val_col, True) if val_col else np.ones(table.num_rows)
    if v is None:
        return None
    lay = layout
    return PointTable(str(path), lay.ids, lay.a, lay.b, v, lay.coords, lay.region, lay.kind)


def read_points(path: str | Path, value: str, *, required: bool = True) -> PointTable:
    """Demand (``value='population'``) or facilities (``value='capacity'``) from a file.

    With ``required=False`` a missing value column means 1 per point (e.g. candidate sites).
    """
    path = Path(path)
    kind = _kind(path)
    if not path.is_file():
        raise InvalidData(f"{path}: no such file")
    if kind == "csv":
        taken = ahead.take(path)
        table, layout = taken[0] if taken and taken[0] is not None else (parse_csv(path), None)
        points = (
            None if table is None else _arrow_points(table, path, value, None, required, layout)
        )
        # anything off: read again as text, so the message quotes the cell as written
        return points or _frame_to_points(_text_table(path), path, value, None, required)
    if kind == "workbook":
        return _frame_to_points(_text_table(path), path, value, None, required)
    if kind == "geojson":
        df, coords = read_geojson(path)
        return _frame_to_points(_counted(df), path, value, coords, required)
    table, hint = read_parquet(path)
    points = _arrow_points(table, path, value, hint, required)
    return points or _frame_to_points(_counted(table.to_pandas()), path, value, hint, required)


def read_costs(path: str | Path) -> CostTable:
    """A travel-cost table with columns ``origin, destination, cost`` (CSV or Parquet)."""
    path = Path(path)
    kind = _kind(path)
    if kind == "geojson":
        raise InvalidData(f"{path.name}: a cost table is a CSV or Parquet table, not GeoJSON")
    df = _counted(read_parquet(path)[0].to_pandas()) if kind == "parquet" else _text_table(path)
    cols = {str(c).strip().lower(): c for c in df.columns}
    names = {}
    for key, options in (
        ("origin", ("origin", "from", "o")),
        ("dest", ("destination", "dest", "to", "d")),
        ("cost", ("cost", "time", "minutes", "distance")),
    ):
        found = next((cols[o] for o in options if o in cols), None)
        if found is None:
            raise InvalidData(f"{path.name}: missing column {options[0]!r}")
        names[key] = found
    cost = _numeric(df, names["cost"], path, non_negative=True)
    return CostTable(
        df[names["origin"]].astype(str).str.strip().to_numpy(),
        df[names["dest"]].astype(str).str.strip().to_numpy(),
        cost,
    )


def check_output(path: str | Path) -> str:
    """The kind of a results file about to be written, checked (and its writer loaded)
    before any work is done: a run of a million points should not end in "cannot write
    there"."""
    path = Path(path)
    kind = _kind(path)
    if kind == "workbook":
        raise InvalidData(f"{path.name}: results are written as .csv, .geojson or .parquet")
    if not path.parent.is_dir():  # never create folders the user did not ask for
        raise InvalidData(f"{path}: the folder {path.parent} does not exist")
    if kind == "parquet":
        # the Parquet writer's import (a tenth of a second) made now, while a measure's
        # demand file is still parsed in the background, not after its scores are ready
        import pyarrow.parquet  # noqa: F401
    return kind


def geometry_ahead(
    path: str | Path, coords: tuple[np.ndarray, np.ndarray]
) -> Callable[[], Any] | None:
    """The points' WKB, started now on a thread, for a (Geo)Parquet output; else None.

    Why: for a million points the WKB takes as long as a tenth of the run, and it needs
    only the coordinates: built while the scores are computed (on the core the kernels
    leave idle), it is ready when :func:`write_points` asks for it.
    """
    if _kind(Path(path)) != "parquet":
        return None
    return in_background(lambda: wkb_points(*coords))


def write_points(
    path: str | Path,
    columns: dict[str, Any],
    *,
    coords: tuple[np.ndarray, np.ndarray] | None = None,
    lonlat: bool = True,
    geometry: Callable[[], Any] | None = None,
) -> Path:
    """Write a per-point table as CSV, GeoJSON or (Geo)Parquet, by extension.

    Columns are NumPy or Arrow arrays; they go to Arrow without a copy where the types
    allow. Parquet gets a WKB point geometry (``geometry``, when built ahead by
    :func:`geometry_ahead`) and GeoParquet metadata when ``coords`` are
    given, so the file opens in GIS tools and reads back here as points. The folder must
    exist: a mistyped path is an error, not a new tree of folders.
    """
    import pyarrow as pa

    path = Path(path)
    kind = check_output(path)
    table = pa.table({name: _to_arrow(col) for name, col in columns.items()})
    if kind == "csv":
        write_csv(table, path)
    elif kind == "parquet":
        write_parquet(table, path, coords, lonlat, geometry)
    else:
        if coords is None:
            raise InvalidData(f"{path.name}: GeoJSON output needs point coordinates")
        write_geojson(table, path, coords, lonlat)
    return path


def _to_arrow(column: Any) -> Any:  # noqa: ANN401 - array-like in, pyarrow.Array out
    import pyarrow as pa

    if isinstance(column, pa.Array | pa.ChunkedArray):
        return column
    arr = np.asarray(column)
    if arr.dtype == object:
        return pa.array(arr.tolist())
    if arr.dtype.kind in "iuf" and arr.ndim == 1:  # its buffer as is: pa.array imports pandas
        return from_numpy(arr)
    return pa.array(arr)
