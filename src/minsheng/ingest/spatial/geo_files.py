"""Point geometry files: GeoJSON and GeoParquet (WKB points) in and out.

Why a module of its own: the geometry encodings (WKB records, GeoParquet's ``geo``
metadata and its CRS conventions, GeoJSON's legacy ``crs``) are one concern, apart from
the checks of ids and values that every point file gets in :mod:`.facilities`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from minsheng.arrow_arrays import compute
from minsheng.domain.errors import InvalidData
from minsheng.ingest.spatial.arrow_columns import numbers_of

if TYPE_CHECKING:  # pandas is imported only when a GeoJSON file is read
    import pandas as pd

Coords = Literal["xy", "lonlat"]
#: the legacy GeoJSON ``crs`` name written for projected metres (GeoJSON itself is lon/lat)
PROJECTED_MARKER = "minsheng:projected-metres"


def read_geojson(path: Path) -> tuple[pd.DataFrame, Coords]:
    import pandas as pd

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


def read_parquet(path: Path) -> tuple[Any, Coords | None]:
    """An Arrow table (points as ``x``, ``y`` columns for GeoParquet) and its coordinate kind."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for broken files
        raise InvalidData(f"{path.name}: not a readable Parquet file ({exc})") from None
    meta = (table.schema.metadata or {}).get(b"geo")
    if not meta:
        return table, None
    try:
        geo = json.loads(meta)
        column = geo.get("primary_column", "geometry")
        info = geo.get("columns", {}).get(column, {})
    except (ValueError, AttributeError):
        raise InvalidData(f"{path.name}: unreadable GeoParquet metadata") from None
    if str(info.get("encoding", "WKB")).upper() != "WKB":
        raise InvalidData(
            f"{path.name}: geometry encoding {info.get('encoding')!r} is not supported (use WKB)"
        )
    if column not in table.column_names:
        raise InvalidData(f"{path.name}: no geometry column {column!r}")
    x, y = wkb_xy(table.column(column).combine_chunks(), path)
    table = table.drop([column]).append_column("x", pa.array(x)).append_column("y", pa.array(y))
    # GeoParquet: no "crs" key means OGC:CRS84; an explicit null means undefined, which we
    # read as coordinates to be taken as they are (metres), never as degrees by default.
    crs = info.get("crs", "OGC:CRS84")
    coords: Coords = "lonlat"
    if crs is None or crs == PROJECTED_MARKER:
        coords = "xy"
    elif crs != "OGC:CRS84":
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
    return table, coords


def wkb_xy(wkb: Any, path: Path) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN401
    """x, y of WKB points: one vectorised pass when every record is a plain 2D point
    (21 bytes, the common case), else record by record (Z/M, big-endian, EWKB)."""
    n = len(wkb)
    if n and wkb.null_count == 0:
        lengths = numbers_of(compute("binary_length", wkb))
        if (lengths == 21).all():
            offsets = np.frombuffer(wkb.buffers()[1], dtype=np.int32)[wkb.offset : wkb.offset + 1]
            data = np.frombuffer(wkb.buffers()[2], dtype=np.uint8)[int(offsets[0]) :][: 21 * n]
            rec = data.view(
                np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])
            )
            if (rec["order"] == 1).all() and (rec["type"] == 1).all():
                return rec["x"].astype(np.float64), rec["y"].astype(np.float64)
    xy = np.full((n, 2), np.nan)
    for k, g in enumerate(wkb.to_pylist()):
        if g is None or len(g) < 21:
            raise InvalidData(f"{path.name}: record {k + 1} has no point geometry")
        order = "<" if g[0] == 1 else ">"
        gtype = int(np.frombuffer(g[1:5], dtype=f"{order}u4")[0]) & 0xFFFF
        if gtype % 1000 != 1:
            raise InvalidData(f"{path.name}: record {k + 1} is not a Point")
        xy[k] = np.frombuffer(g[5:21], dtype=f"{order}f8")
    return xy[:, 0], xy[:, 1]


def _jsonable(v: object) -> object:
    if isinstance(v, np.generic):
        return v.item()
    return str(v)


def wkb_points(x: np.ndarray, y: np.ndarray) -> Any:  # noqa: ANN401 - pyarrow.BinaryArray
    """Little-endian WKB points (21 bytes each) built in one NumPy pass, no Python loop.

    The packed records are Arrow's data buffer as they are (a byte view, not a copy: the
    copy took longer than building them, for a million points)."""
    import pyarrow as pa

    n = len(x)
    raw = np.empty(n, dtype=[("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])
    raw["order"], raw["type"], raw["x"], raw["y"] = 1, 1, x, y
    offsets = np.arange(0, 21 * (n + 1), 21, dtype=np.int32)
    return pa.BinaryArray.from_buffers(
        pa.binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(raw.view(np.uint8))]
    )


def write_parquet(
    table: Any,  # noqa: ANN401
    path: Path,
    coords: tuple[np.ndarray, np.ndarray] | None,
    lonlat: bool,
    geometry: Callable[[], Any] | None = None,
) -> None:
    """``geometry`` gives the points' WKB when it was built ahead (:func:`.facilities.geometry_ahead`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if coords is not None:
        wkb = geometry() if geometry is not None else wkb_points(*coords)
        table = table.append_column("geometry", wkb)
        column: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"]}
        column["crs"] = "OGC:CRS84" if lonlat else None  # null: undefined, metres as given
        geo = {"version": "1.0.0", "primary_column": "geometry", "columns": {"geometry": column}}
        table = table.replace_schema_metadata({b"geo": json.dumps(geo).encode()})
    # WKB has no order worth statistics, and unique ids, points and computed numbers
    # (scores, distances) gain nothing from a dictionary: a dictionary only for repeated
    # text (region codes, kinds). Skipping the rest is a sixth of a million-point
    # write, the file no larger.
    plain = {"geometry", "id"}
    text = [f.name for f in table.schema if f.name not in plain and pa.types.is_string(f.type)]
    pq.write_table(
        table,
        path,
        use_dictionary=text,
        write_statistics=[c for c in table.column_names if c != "geometry"],
    )


def write_geojson(
    table: Any, path: Path, coords: tuple[np.ndarray, np.ndarray], lonlat: bool
) -> None:  # noqa: ANN401
    """Point features, one per row; non-finite numbers become null (JSON has no NaN)."""
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(a), float(b)]},
            "properties": {
                k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                for k, v in p.items()
            },
        }
        for a, b, p in zip(coords[0], coords[1], table.to_pylist(), strict=True)
    ]
    doc: dict = {"type": "FeatureCollection", "features": feats}
    if not lonlat:
        doc["crs"] = {"type": "name", "properties": {"name": PROJECTED_MARKER}}
    path.write_text(json.dumps(doc, ensure_ascii=False, default=_jsonable), encoding="utf-8")
