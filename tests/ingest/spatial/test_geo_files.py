"""GeoParquet and GeoJSON points: what is written reads back, and the file says what it is."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.ingest.spatial.facilities import read_points, write_points
from minsheng.ingest.spatial.geo_files import wkb_points, wkb_xy

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=40))
def test_wkb_points_read_back_bit_for_bit(xy: list[tuple[float, float]]) -> None:
    x = np.array([p[0] for p in xy])
    y = np.array([p[1] for p in xy])
    got_x, got_y = wkb_xy(wkb_points(x, y), _named("p.parquet"))
    assert got_x.tobytes() == x.tobytes() and got_y.tobytes() == y.tobytes()


def _named(name: str):  # noqa: ANN202 - only .name is read, for messages
    from pathlib import Path

    return Path(name)


@pytest.mark.parametrize("lonlat", [True, False])
def test_geoparquet_out_reads_back_as_the_same_points(tmp_path, lonlat: bool) -> None:  # noqa: ANN001
    rng = np.random.default_rng(3)
    n = 500
    x = rng.uniform(100, 120, n) if lonlat else rng.uniform(0, 5e5, n)
    y = rng.uniform(20, 40, n) if lonlat else rng.uniform(0, 5e5, n)
    ids = np.array([f"P{k:04d}" for k in range(n)], dtype=object)
    pop = rng.integers(1, 900, n).astype(float)
    path = tmp_path / "out.parquet"
    write_points(path, {"id": ids, "population": pop}, coords=(x, y), lonlat=lonlat)

    back = read_points(path, "population")
    assert back.coords == ("lonlat" if lonlat else "xy")
    assert back.ids.tolist() == ids.tolist()
    assert np.array_equal(back.a, x) and np.array_equal(back.b, y)
    assert np.array_equal(back.value, pop)
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert geo["columns"]["geometry"]["encoding"] == "WKB"
    assert geo["columns"]["geometry"]["crs"] == ("OGC:CRS84" if lonlat else None)


def test_geoparquet_keeps_statistics_where_they_mean_something(tmp_path) -> None:  # noqa: ANN001
    """Min/max of WKB bytes says nothing about where points are; a value column's does."""
    x = np.arange(10, dtype=float)
    path = tmp_path / "out.parquet"
    write_points(path, {"id": np.arange(10), "score": x / 3}, coords=(x, x), lonlat=False)
    meta = pq.ParquetFile(path).metadata.row_group(0)
    stats = {meta.column(i).path_in_schema: meta.column(i).statistics for i in range(3)}
    assert stats["geometry"] is None or not stats["geometry"].has_min_max
    assert stats["score"].has_min_max and stats["score"].max == pytest.approx(3.0)


def test_geoparquet_keeps_a_dictionary_only_for_repeated_text(tmp_path) -> None:  # noqa: ANN001
    """Region codes repeat and shrink in a dictionary; scores and ids are all different."""
    x = np.arange(12, dtype=float)
    region = np.array(["500118", "500151"] * 6, dtype=object)
    path = tmp_path / "out.parquet"
    columns = {"id": np.arange(12), "score": x / 7, "region": region}
    write_points(path, columns, coords=(x, x), lonlat=False)
    meta = pq.ParquetFile(path).metadata.row_group(0)
    coded = {
        meta.column(i).path_in_schema: any("DICTIONARY" in e for e in meta.column(i).encodings)
        for i in range(meta.num_columns)
    }
    assert coded == {"id": False, "score": False, "region": True, "geometry": False}


def test_geojson_out_reads_back_with_nan_as_null(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "out.geojson"
    x = np.array([116.4, 121.5])
    y = np.array([39.9, 31.2])
    write_points(path, {"id": ["a", "b"], "score": np.array([1.5, np.nan])}, coords=(x, y))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert [f["properties"]["score"] for f in doc["features"]] == [1.5, None]
    assert [f["geometry"]["coordinates"] for f in doc["features"]] == [[116.4, 39.9], [121.5, 31.2]]
