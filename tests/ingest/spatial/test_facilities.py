"""Point files in and out: formats, coordinates, and one clear error per bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from minsheng.domain.errors import InvalidData
from minsheng.ingest.spatial.facilities import read_costs, read_points, write_points


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_csv_in_metres(tmp_path: Path) -> None:
    t = read_points(
        _csv(tmp_path / "d.csv", "id,x,y,population,region\na,0,0,5,110101\nb,100,0,7,110102\n"),
        "population",
    )
    assert t.coords == "xy"
    assert t.ids.tolist() == ["a", "b"]
    assert t.value.tolist() == [5.0, 7.0]
    assert t.region.tolist() == ["110101", "110102"]


def test_reads_lonlat_columns(tmp_path: Path) -> None:
    t = read_points(_csv(tmp_path / "s.csv", "id,lng,lat,capacity\n1,116.4,39.9,3\n"), "capacity")
    assert t.coords == "lonlat"
    assert (t.a[0], t.b[0]) == (116.4, 39.9)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("id,x,y\na,0,0\n", "missing column 'population'"),
        ("id,x,population\na,0,5\n", "missing column 'y'"),
        ("x,y,population\n0,0,5\n", "missing column 'id'"),
        (
            "id,x,y,population\na,0,0,5\nb,1,1,lots\n",
            "column 'population' must be a number; row 3 has 'lots'",
        ),
        ("id,x,y,population\na,0,0,5\nb,oops,1,1\n", "column 'x' must be a number; row 3"),
        ("id,x,y,population\na,0,0,-5\n", "must be a number >= 0; row 2"),
        ("id,x,y,population\na,0,0,5\na,1,1,5\n", "id 'a' repeats at row 3"),
        ("id,lon,lat,population\na,500000,3000000,5\n", "holds degrees; row 2"),
    ],
)
def test_bad_input_names_column_and_row(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(InvalidData) as err:
        read_points(_csv(tmp_path / "bad.csv", text), "population")
    assert needle in err.value.message
    assert "\n" not in err.value.message


def test_unknown_file_type(tmp_path: Path) -> None:
    p = tmp_path / "d.xlsx"
    p.write_bytes(b"x")
    with pytest.raises(InvalidData, match="unknown file type '.xlsx'"):
        read_points(p, "population")


def test_geojson_round_trip(tmp_path: Path) -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "p1",
                "geometry": {"type": "Point", "coordinates": [113.2, 23.1]},
                "properties": {"population": 12},
            },
        ],
    }
    p = tmp_path / "d.geojson"
    p.write_text(json.dumps(doc), encoding="utf-8")
    t = read_points(p, "population")
    assert (t.ids[0], t.coords, t.value[0]) == ("p1", "lonlat", 12.0)
    out = write_points(
        tmp_path / "o.geojson", {"id": t.ids, "population": t.value}, coords=(t.a, t.b)
    )
    again = read_points(out, "population")
    assert again.ids.tolist() == ["p1"] and again.a[0] == 113.2


def test_geojson_in_metres_round_trip(tmp_path: Path) -> None:
    out = write_points(
        tmp_path / "m.geojson",
        {"id": np.array(["a"]), "population": np.array([3.0])},
        coords=(np.array([500000.0]), np.array([3000000.0])),
        lonlat=False,
    )
    assert read_points(out, "population").coords == "xy"


def test_geoparquet_points(tmp_path: Path) -> None:
    def wkb(x: float, y: float) -> bytes:
        return b"\x01" + np.array([1], "<u4").tobytes() + np.array([x, y], "<f8").tobytes()

    table = pa.table(
        {"id": ["a", "b"], "capacity": [2.0, 4.0], "geometry": [wkb(1.0, 2.0), wkb(3.0, 4.0)]}
    )
    geo = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": ["Point"],
                "crs": {"id": {"authority": "EPSG", "code": 32650}},
            }
        },
    }
    table = table.replace_schema_metadata({b"geo": json.dumps(geo).encode()})
    pq.write_table(table, tmp_path / "s.parquet")
    t = read_points(tmp_path / "s.parquet", "capacity")
    assert t.coords == "xy"
    assert t.a.tolist() == [1.0, 3.0] and t.b.tolist() == [2.0, 4.0]


def test_plain_parquet_and_cost_table(tmp_path: Path) -> None:
    pd.DataFrame({"id": [1, 2], "x": [0.0, 1.0], "y": [0.0, 0.0], "population": [1, 2]}).to_parquet(
        tmp_path / "d.parquet"
    )
    assert read_points(tmp_path / "d.parquet", "population").ids.tolist() == ["1", "2"]
    c = read_costs(_csv(tmp_path / "c.csv", "origin,destination,cost\n1,a,3.5\n2,a,7\n"))
    assert c.origin.tolist() == ["1", "2"] and c.cost.tolist() == [3.5, 7.0]
    with pytest.raises(InvalidData, match="missing column 'cost'"):
        read_costs(_csv(tmp_path / "c2.csv", "origin,destination\n1,a\n"))


def test_csv_output_is_plain_and_quotes_only_when_needed(tmp_path: Path) -> None:
    out = write_points(
        tmp_path / "o.csv", {"id": np.array(["a", "b"]), "score": np.array([0.5, np.inf])}
    )
    assert out.read_text(encoding="utf-8").splitlines() == ["id,score", "a,0.5", "b,inf"]
    out = write_points(
        tmp_path / "q.csv", {"id": np.array(["x,y", 'say "hi"']), "score": np.array([1.0, 2.0])}
    )
    back = pd.read_csv(out)
    assert back.id.tolist() == ["x,y", 'say "hi"'] and back.score.tolist() == [1.0, 2.0]


def test_text_ids_keep_leading_zeros(tmp_path: Path) -> None:
    t = read_points(
        _csv(tmp_path / "z.csv", "id,x,y,population,region\n007,0,0,1,110101\n010,5,0,2,110101\n"),
        "population",
    )
    assert t.ids.tolist() == ["007", "010"]
