"""Point files in and out: formats, coordinates, and one clear error per bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.domain.errors import InvalidData
from minsheng.ingest.spatial.facilities import (
    check_output,
    geometry_ahead,
    read_costs,
    read_points,
    write_points,
)


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


@pytest.mark.parametrize("name", [".", "points.csv"])
@pytest.mark.parametrize(
    "reader", [lambda p: read_points(p, "population"), read_costs, check_output]
)
def test_a_folder_is_said_to_be_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, reader: Callable[[str], object]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).mkdir(exist_ok=True)
    with pytest.raises(InvalidData, match="a folder, not a file"):
        reader(name)


def test_unknown_file_type(tmp_path: Path) -> None:
    p = tmp_path / "d.shp"
    p.write_bytes(b"x")
    with pytest.raises(InvalidData, match="unknown file type '.shp'"):
        read_points(p, "population")


def test_a_damaged_workbook_is_named_as_such(tmp_path: Path) -> None:
    p = tmp_path / "d.xlsx"
    p.write_bytes(b"x")
    with pytest.raises(InvalidData, match="not a readable .xlsx workbook"):
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


@given(
    ids=st.lists(st.text(alphabet=st.sampled_from('ab7,"\r\n 民'), max_size=6), max_size=8),
    cut=st.integers(0, 3),
)
def test_any_text_survives_the_csv_writer(tmp_path_factory, ids: list[str], cut: int) -> None:  # noqa: ANN001
    """Quoting is decided from the character buffer; a sliced array (whose buffer holds
    text outside the slice) must still write exactly its own values."""
    import csv

    column = pa.array(ids + ["a,b"] * cut).slice(0, len(ids))  # specials only outside the slice
    out = write_points(
        tmp_path_factory.mktemp("w") / "o.csv", {"id": column, "n": np.arange(len(ids))}
    )
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "n"]
    assert [r[0] for r in rows[1:]] == ids


def test_text_ids_keep_leading_zeros(tmp_path: Path) -> None:
    t = read_points(
        _csv(tmp_path / "z.csv", "id,x,y,population,region\n007,0,0,1,110101\n010,5,0,2,110101\n"),
        "population",
    )
    assert t.ids.tolist() == ["007", "010"]


@pytest.mark.parametrize("lonlat", [True, False])
def test_geoparquet_written_reads_back_as_the_same_points(tmp_path: Path, lonlat: bool) -> None:
    rng = np.random.default_rng(3)
    a, b = rng.uniform(100, 120, 50), rng.uniform(20, 40, 50)
    if not lonlat:
        a, b = a * 1e4, b * 1e4
    ids = np.array([f"p{k:03d}" for k in range(50)], dtype=object)
    out = write_points(
        tmp_path / "o.parquet",
        {"id": ids, "population": np.arange(50.0)},
        coords=(a, b),
        lonlat=lonlat,
    )
    geo = json.loads(pq.read_schema(out).metadata[b"geo"])
    assert geo["columns"]["geometry"]["encoding"] == "WKB"
    again = read_points(out, "population")
    assert again.coords == ("lonlat" if lonlat else "xy")
    assert again.ids.tolist() == ids.tolist()
    assert np.array_equal(again.a, a) and np.array_equal(again.b, b)


@pytest.mark.parametrize("name", ["o.parquet", "o.csv", "o.geojson"])
def test_geometry_built_ahead_writes_the_same_file(tmp_path: Path, name: str) -> None:
    """A Parquet output's WKB built on a thread while the scores are computed is the WKB
    the writer would have built; other outputs build nothing ahead."""
    rng = np.random.default_rng(5)
    a, b = rng.uniform(0, 1e5, 300), rng.uniform(0, 1e5, 300)
    columns = {"id": np.arange(300).astype(str).astype(object), "score": rng.random(300)}
    ahead = geometry_ahead(tmp_path / name, (a, b))
    assert (ahead is None) == (name != "o.parquet")
    (tmp_path / "ahead").mkdir()
    (tmp_path / "plain").mkdir()
    one = write_points(
        tmp_path / "ahead" / name, columns, coords=(a, b), lonlat=False, geometry=ahead
    )
    two = write_points(tmp_path / "plain" / name, columns, coords=(a, b), lonlat=False)
    if name.endswith(".parquet"):
        assert pq.read_table(one).equals(pq.read_table(two))
    else:
        assert one.read_bytes() == two.read_bytes()


def test_output_into_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    with pytest.raises(InvalidData, match="does not exist"):
        write_points(tmp_path / "no" / "such" / "x.csv", {"id": np.array(["a"])})
    assert not (tmp_path / "no").exists()


_cells = st.lists(
    st.tuples(
        st.text("abc0123 ", min_size=1, max_size=4).filter(lambda s: s.strip()),
        st.floats(-1e6, 1e6, allow_nan=False),
        st.floats(-1e6, 1e6, allow_nan=False),
        st.one_of(st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False)),
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda r: r[0].strip(),
)


@given(rows=_cells)
def test_fast_arrow_path_reads_what_the_text_path_reads(tmp_path_factory, rows) -> None:  # noqa: ANN001
    """Valid files take the Arrow path; its points equal the pandas text path's, cell for cell."""
    from minsheng.ingest.spatial import facilities

    path = tmp_path_factory.mktemp("fast") / "d.csv"
    body = "".join(f"{i},{x!r},{y!r},{p!r}\n" for i, x, y, p in rows)
    path.write_text("id,x,y,population\n" + body, encoding="utf-8")
    fast = facilities._arrow_points(facilities.parse_csv(path), path, "population", None, True)
    assert fast is not None  # the fast path took the file
    slow = facilities._frame_to_points(facilities._text_table(path), path, "population", None, True)
    assert fast.ids.tolist() == slow.ids.tolist()
    for name in ("a", "b", "value"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name))


@pytest.mark.parametrize("late", ["7", "7.5"], ids=["integers", "a-decimal-in-the-last-block"])
def test_a_file_of_many_blocks_reads_as_the_text_path_does(tmp_path: Path, late: str) -> None:
    """Big enough for several of the parser's blocks; a decimal population far down the
    file (after the first block typed the column as integers) still reads exactly."""
    from minsheng.ingest.spatial import facilities
    from minsheng.ingest.spatial.point_files import block_size

    n = 200_000
    lines = [f"{i},{i % 1000 * 100},{i // 1000 * 100},{i % 13}" for i in range(n)]
    lines[-3] = lines[-3].rsplit(",", 1)[0] + f",{late}"
    path = tmp_path / "d.csv"
    path.write_text("id,x,y,population\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 2 * block_size(path)  # more than one block
    got = read_points(path, "population")
    slow = facilities._frame_to_points(facilities._text_table(path), path, "population", None, True)
    assert got.ids.tolist() == slow.ids.tolist()
    for name in ("a", "b", "value"):
        assert np.array_equal(getattr(got, name), getattr(slow, name))


@pytest.mark.parametrize("size", [0, 10, 5 << 20, 21 << 20, 1 << 30])
def test_parser_blocks_are_between_arrows_default_and_16_mib(tmp_path: Path, size: int) -> None:
    from minsheng.ingest.spatial.point_files import block_size

    path = tmp_path / "d.csv"
    with path.open("wb") as fh:
        fh.truncate(size)  # sparse: the size is what counts
    got = block_size(path)
    assert 1 << 20 <= got <= 16 << 20
    assert got == 1 << 20 or got * 2 * pa.cpu_count() <= size  # two or more blocks per core


# --- numeric columns read from Arrow buffers (no pandas on the fast path) ---------------
import subprocess  # noqa: E402
import sys  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from minsheng.ingest.spatial.facilities import _to_arrow  # noqa: E402


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), max_size=30))
def test_to_arrow_keeps_every_float_as_pa_array_does(values: list[float]) -> None:
    arr = np.array(values, dtype=np.float64)
    got, want = _to_arrow(arr), pa.array(arr)
    assert (got.type, got.null_count) == (want.type, want.null_count)  # NaN stays NaN, not null
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())


def test_reading_points_and_writing_scores_needs_no_pandas(tmp_path) -> None:  # noqa: ANN001
    points = tmp_path / "d.csv"
    points.write_text("id,x,y,population\n1,0,0,10\n2,500,0,20\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from minsheng.ingest.spatial.facilities import read_points, write_points\n"
        f"p = read_points({str(points)!r}, 'population')\n"
        f"write_points({str(tmp_path / 'o.csv')!r}, {{'id': p.id_array, 'score': p.value}})\n"
        "print('pandas' in sys.modules, 'pyarrow.compute' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").splitlines()[1:] == ["1,10", "2,20"]


@pytest.mark.parametrize(("name", "loaded"), [("o.parquet", True), ("o.csv", False)])
def test_checking_a_parquet_output_loads_its_writer_before_the_work(
    tmp_path: Path, name: str, loaded: bool
) -> None:
    code = (
        "import sys\n"
        "from minsheng.ingest.spatial.facilities import check_output\n"
        f"check_output({str(tmp_path / name)!r})\n"
        "print('pyarrow.parquet' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(loaded)


# --- read ahead: the CLI starts the parse while it imports the kernels ------------------


def test_points_read_ahead_equal_points_read_now(tmp_path) -> None:  # noqa: ANN001
    from minsheng.ingest.spatial.facilities import read_points
    from minsheng.ingest.spatial.read_ahead import pending, start_points

    path = tmp_path / "d.csv"
    path.write_text("id,x,y,population\n1,0,0,10\n2,500,0,20\n", encoding="utf-8")
    now = read_points(path, "population")
    start_points(path)
    assert pending(path)
    ahead = read_points(path, "population")
    assert not pending(path)  # taken once
    assert ahead.ids.tolist() == now.ids.tolist()
    for name in ("a", "b", "value"):
        assert np.array_equal(getattr(ahead, name), getattr(now, name))


def test_a_file_changed_after_the_read_ahead_is_read_again(tmp_path) -> None:  # noqa: ANN001
    import os

    from minsheng.ingest.spatial.facilities import read_points
    from minsheng.ingest.spatial.read_ahead import pending, start_points

    path = tmp_path / "d.csv"
    path.write_text("id,x,y,population\n1,0,0,10\n", encoding="utf-8")
    start_points(path)
    path.write_text("id,x,y,population\n1,0,0,10\n2,500,0,20\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a new modification time even on a coarse clock
    assert read_points(path, "population").value.tolist() == [10.0, 20.0]
    assert not pending(path)  # the stale table is dropped, not kept


def test_a_bad_file_read_ahead_still_names_its_row(tmp_path) -> None:  # noqa: ANN001
    from minsheng.ingest.spatial.facilities import read_points
    from minsheng.ingest.spatial.read_ahead import start_points

    path = tmp_path / "d.csv"
    path.write_text("id,x,y,population\n1,0,0,10\n2,500,0,many\n", encoding="utf-8")
    start_points(path)
    with pytest.raises(InvalidData, match="row 3"):
        read_points(path, "population")


def test_a_file_that_is_not_csv_is_not_parsed_ahead(tmp_path) -> None:  # noqa: ANN001
    """GeoJSON, Parquet and workbooks are read when asked: the read-ahead leaves nothing."""
    from minsheng.ingest.spatial.facilities import read_points
    from minsheng.ingest.spatial.read_ahead import start_points, take

    path = tmp_path / "d.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
        '{"type": "Point", "coordinates": [0, 0]}, "properties": {"id": 1, "population": 10}}]}',
        encoding="utf-8",
    )
    start_points(path)
    assert take(path) == [None]
    assert read_points(path, "population").value.tolist() == [10.0]


def test_a_refused_run_leaves_no_table_read_ahead(tmp_path) -> None:  # noqa: ANN001
    """A run refused before it read its demand (a bad argument) kept the parsed table."""
    from typer.testing import CliRunner

    from minsheng.cli.main import app
    from minsheng.ingest.spatial.read_ahead import pending

    demand = tmp_path / "d.csv"
    demand.write_text("id,x,y,population\n1,0,0,10\n", encoding="utf-8")
    supply = tmp_path / "s.csv"
    supply.write_text("id,x,y,capacity\n1,0,0,10\n", encoding="utf-8")
    args = ["access", "2sfca", "-d", str(demand), "-s", str(supply), "-r", "-5",
            "--out", str(tmp_path / "o.csv")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert not pending(demand)


def test_a_parsed_table_outlives_its_file(tmp_path: Path) -> None:
    """The parser reads the file through a memory map; the table must not point into it,
    or a run writing its scores over its own demand file (``--out`` = ``--demand``) would
    die reading ids from pages that are gone. In a child process, which such a read kills."""
    import subprocess
    import sys

    path = tmp_path / "d.csv"
    lines = "".join(f"p{i},{i},{i * 2},{i % 7}\n" for i in range(50_000))
    path.write_text("id,x,y,population\n" + lines, encoding="utf-8")
    code = (
        "import sys, pathlib\n"
        "from minsheng.ingest.spatial.point_files import parse_csv\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "table = parse_csv(path)\n"
        "path.open('wb').close()  # truncated, as an output written over it is\n"
        "ids = table.column('id').to_pylist()\n"
        "print(ids[0], ids[-1], len(ids))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["p0", "p49999", "50000"]


def test_what_cannot_be_mapped_is_read_from_its_path(tmp_path: Path) -> None:
    from minsheng.ingest.spatial.point_files import _mapped

    assert _mapped(tmp_path) == tmp_path  # a folder: no map
    path = tmp_path / "d.csv"
    path.write_text("id,x,y\n1,2,3\n", encoding="utf-8")
    assert isinstance(_mapped(path), pa.MemoryMappedFile)
