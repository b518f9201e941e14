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

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from minsheng.domain.errors import InvalidData, Problem

CSV = (".csv", ".txt")
GEOJSON = (".geojson", ".json")
PARQUET = (".parquet", ".geoparquet", ".pq")
ALIASES = {
    "x": ("x", "easting"),
    "y": ("y", "northing"),
    "lon": ("lon", "lng", "long", "longitude"),
    "lat": ("lat", "latitude"),
    "region": ("region", "region_code", "code", "adcode"),
    "type": ("type", "kind", "category"),
}
Coords = Literal["xy", "lonlat"]
PROJECTED_MARKER = "minsheng:projected-metres"


@dataclass(frozen=True)
class PointTable:
    """Validated points: ids, coordinates (metres or degrees), one value, optional region/type."""

    path: str
    ids: np.ndarray
    a: np.ndarray  # x or lon
    b: np.ndarray  # y or lat
    value: np.ndarray
    coords: Coords
    region: np.ndarray | None = None
    kind: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class CostTable:
    """A user-supplied travel-cost table: origin (demand id), destination (facility id), cost."""

    origin: np.ndarray
    dest: np.ndarray
    cost: np.ndarray


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in CSV:
        return "csv"
    if suffix in GEOJSON:
        return "geojson"
    if suffix in PARQUET:
        return "parquet"
    raise InvalidData(
        f"{path.name}: unknown file type {suffix or '(none)'!r}; use .csv, .geojson or .parquet"
    )


def _find(df: pd.DataFrame, key: str) -> str | None:
    lower = {str(c).strip().lower(): c for c in df.columns}
    for name in ALIASES.get(key, (key,)):
        if name in lower:
            return lower[name]
    return None


def _numeric(
    df: pd.DataFrame, column: str, path: Path, first_row: int, *, non_negative: bool
) -> np.ndarray:
    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    why = "a number"
    if non_negative:
        neg = np.zeros_like(bad)
        neg[~bad] = values[~bad] < 0
        if neg.any() and not bad.any():
            bad, why = neg, "a number >= 0"
    if bad.any():
        rows = np.flatnonzero(bad)
        first = int(rows[0])
        problems = [
            Problem(int(r) + first_row, column, f"{raw.iloc[int(r)]!r} is not {why}")
            for r in rows[:50]
        ]
        more = f" ({len(rows)} bad rows)" if len(rows) > 1 else ""
        raise InvalidData(
            f"{path.name}: column {column!r} must be {why}; row {first + first_row} has "
            f"{raw.iloc[first]!r}{more}",
            problems,
        )
    return values


def _frame_to_points(
    df: pd.DataFrame,
    path: Path,
    value: str,
    first_row: int,
    coords_hint: Coords | None,
    required: bool = True,
) -> PointTable:
    if len(df) == 0:
        raise InvalidData(f"{path.name}: no rows")
    id_col = _find(df, "id")
    if id_col is None:
        raise InvalidData(f"{path.name}: missing column 'id'")
    val_col = _find(df, value)
    if val_col is None and required:
        raise InvalidData(f"{path.name}: missing column {value!r}")
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
    ids = df[id_col].astype(str).str.strip().to_numpy()
    if not pd.Index(ids).is_unique:
        r = int(np.flatnonzero(pd.Series(ids).duplicated().to_numpy())[0])
        raise InvalidData(f"{path.name}: id {ids[r]!r} repeats at row {r + first_row}")
    a = _numeric(df, a_col, path, first_row, non_negative=False)
    b = _numeric(df, b_col, path, first_row, non_negative=False)
    if coords == "lonlat":
        for arr, col, lim in ((a, a_col, 180), (b, b_col, 90)):
            bad = np.flatnonzero(np.abs(arr) > lim)
            if bad.size:
                raise InvalidData(
                    f"{path.name}: column {col!r} holds degrees; row {int(bad[0]) + first_row} has "
                    f"{arr[bad[0]]:g} (projected metres go in columns x,y)"
                )
    v = _numeric(df, val_col, path, first_row, non_negative=True) if val_col else np.ones(len(df))
    reg_col, kind_col = _find(df, "region"), _find(df, "type")
    region = (
        df[reg_col].astype(str).str.strip().str.replace(r"\.0$", "", regex=True).to_numpy()
        if reg_col
        else None
    )
    kind = df[kind_col].astype(str).to_numpy() if kind_col else None
    return PointTable(str(path), ids, a, b, v, coords, region, kind)


def _read_geojson(path: Path) -> tuple[pd.DataFrame, Coords]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidData(f"{path.name}: not valid GeoJSON ({exc})") from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise InvalidData(f"{path.name}: not a GeoJSON FeatureCollection")
    rows = []
    for n, f in enumerate(features, start=1):
        geom = (f or {}).get("geometry") or {}
        if geom.get("type") != "Point" or len(geom.get("coordinates") or []) < 2:
            raise InvalidData(f"{path.name}: feature {n} is not a Point")
        props = dict(f.get("properties") or {})
        props.setdefault("id", f.get("id", n))
        props["x"], props["y"] = geom["coordinates"][0], geom["coordinates"][1]
        rows.append(props)
    coords: Coords = "lonlat"
    crs_name = ((doc.get("crs") or {}).get("properties") or {}).get("name")
    if crs_name:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            coords = "lonlat" if CRS.from_user_input(crs_name).is_geographic else "xy"
        except CRSError:  # e.g. our own "projected metres" marker: not degrees
            coords = "xy"
    return pd.DataFrame(rows), coords


def _read_parquet(path: Path) -> tuple[pd.DataFrame, Coords | None]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for broken files
        raise InvalidData(f"{path.name}: not a readable Parquet file ({exc})") from None
    meta = (table.schema.metadata or {}).get(b"geo")
    if not meta:
        return table.to_pandas(), None
    geo = json.loads(meta)
    column = geo.get("primary_column", "geometry")
    info = geo.get("columns", {}).get(column, {})
    if info.get("encoding", "WKB").upper() != "WKB":
        raise InvalidData(
            f"{path.name}: geometry encoding {info.get('encoding')!r} is not supported (use WKB)"
        )
    wkb = table.column(column).to_pylist()
    df = table.drop([column]).to_pandas()
    xy = np.full((len(wkb), 2), np.nan)
    for n, g in enumerate(wkb):
        if g is None or len(g) < 21:
            raise InvalidData(f"{path.name}: record {n + 1} has no point geometry")
        order = "<" if g[0] == 1 else ">"
        gtype = int(np.frombuffer(g[1:5], dtype=f"{order}u4")[0]) & 0xFFFF
        if gtype % 1000 != 1:
            raise InvalidData(f"{path.name}: record {n + 1} is not a Point")
        xy[n] = np.frombuffer(g[5:21], dtype=f"{order}f8")
    df["x"], df["y"] = xy[:, 0], xy[:, 1]
    crs = info.get("crs", "OGC:CRS84")
    coords: Coords = "lonlat"
    if crs is not None and crs != "OGC:CRS84":
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        if isinstance(crs, dict) and isinstance(
            crs.get("id"), dict
        ):  # PROJJSON: its identifier suffices
            crs = f"{crs['id'].get('authority', 'EPSG')}:{crs['id'].get('code')}"
        try:
            coords = "lonlat" if CRS.from_user_input(crs).is_geographic else "xy"
        except CRSError:
            raise InvalidData(f"{path.name}: unknown CRS in GeoParquet metadata") from None
    return df, coords


def _text_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InvalidData(f"{path.name}: not a readable CSV ({exc})") from None
    except pd.errors.EmptyDataError:
        raise InvalidData(f"{path.name}: empty file") from None


_TEXT = {n for key in ("id", "region", "type") for n in ALIASES.get(key, (key,))}


def _fast_csv(path: Path) -> pd.DataFrame | None:
    """Arrow's multi-threaded parser (numbers typed, ids and codes kept as text), or None."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        names = list(pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return None
    text = {c: pa.string() for c in names if str(c).strip().lower() in _TEXT}
    try:
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types=text, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return table.to_pandas()


def read_points(path: str | Path, value: str, *, required: bool = True) -> PointTable:
    """Demand (``value='population'``) or facilities (``value='capacity'``) from a file.

    With ``required=False`` a missing value column means 1 per point (e.g. candidate sites).
    """
    path = Path(path)
    kind = _kind(path)
    if not path.is_file():
        raise InvalidData(f"{path}: no such file")
    if kind == "csv":
        fast = _fast_csv(path)
        if fast is not None:
            try:
                return _frame_to_points(fast, path, value, 2, None, required)
            except InvalidData:
                pass  # read again as text, so the message quotes the cell as written
        return _frame_to_points(_text_csv(path), path, value, 2, None, required)
    if kind == "geojson":
        df, coords = _read_geojson(path)
        return _frame_to_points(df, path, value, 1, coords, required)
    df, hint = _read_parquet(path)
    return _frame_to_points(df, path, value, 1, hint, required)


def read_costs(path: str | Path) -> CostTable:
    """A travel-cost table with columns ``origin, destination, cost`` (CSV or Parquet)."""
    path = Path(path)
    kind = _kind(path)
    if kind == "geojson":
        raise InvalidData(f"{path.name}: a cost table is a CSV or Parquet table, not GeoJSON")
    df = (
        pd.read_csv(path, dtype=str, keep_default_na=False)
        if kind == "csv"
        else _read_parquet(path)[0]
    )
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
    first = 2 if kind == "csv" else 1
    cost = _numeric(df, names["cost"], path, first, non_negative=True)
    return CostTable(
        df[names["origin"]].astype(str).str.strip().to_numpy(),
        df[names["dest"]].astype(str).str.strip().to_numpy(),
        cost,
    )


def write_points(
    path: str | Path,
    columns: dict[str, np.ndarray],
    *,
    coords: tuple[np.ndarray, np.ndarray] | None = None,
    lonlat: bool = True,
) -> Path:
    """Write a per-point table as CSV, GeoJSON (needs ``coords``) or Parquet, by extension."""
    path = Path(path)
    kind = _kind(path)
    if not path.parent.is_dir():  # never create folders the user did not ask for
        raise InvalidData(f"{path}: the folder {path.parent} does not exist")
    df = pd.DataFrame(columns)
    if kind == "csv":
        _write_csv(df, path)
    elif kind == "parquet":
        df.to_parquet(path, index=False)
    else:
        if coords is None:
            raise InvalidData(f"{path.name}: GeoJSON output needs point coordinates")
        props = df.to_dict(orient="records")
        feats = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(a), float(b)]},
                "properties": {
                    k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                    for k, v in p.items()
                },
            }
            for a, b, p in zip(coords[0], coords[1], props, strict=True)
        ]
        doc: dict = {"type": "FeatureCollection", "features": feats}
        if not lonlat:
            doc["crs"] = {"type": "name", "properties": {"name": PROJECTED_MARKER}}
        path.write_text(json.dumps(doc, ensure_ascii=False, default=_jsonable), encoding="utf-8")
    return path


def _jsonable(v: object) -> object:
    if isinstance(v, np.generic):
        return v.item()
    return str(v)


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    """Arrow's fast writer, quoting only text that needs it (Arrow quotes every string)."""
    import csv
    import io

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(df, preserve_index=False)
    special = any(
        pc.any(pc.match_substring_regex(col, r'[,"\r\n]')).as_py()
        for col in table.columns
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type)
    )
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow([str(c) for c in df.columns])
    style = "needed" if special else "none"
    with path.open("wb") as fh:
        fh.write(head.getvalue().encode("utf-8"))
        pacsv.write_csv(
            table, fh, write_options=pacsv.WriteOptions(include_header=False, quoting_style=style)
        )
