"""What a points file is called and how a CSV of points is parsed, without NumPy.

Why a module of its own: ``minsheng access`` parses its demand file in a background
thread while the command still imports its kernels (:mod:`.read_ahead`). The thread
starts the parse sooner the less it must import first; this module needs only Arrow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CSV = (".csv", ".txt")
GEOJSON = (".geojson", ".json")
PARQUET = (".parquet", ".geoparquet", ".pq")
WORKBOOK = (".xlsx", ".xlsm")
#: Column names read for each role, English or Chinese (as county and bureau tables head
#: them); matched without case or surrounding spaces. A value column with another name
#: (床位数, 学位数 …) is named by the caller, never guessed.
ALIASES = {
    "id": ("id", "编号", "标识码"),
    "x": ("x", "easting", "x坐标"),
    "y": ("y", "northing", "y坐标"),
    "lon": ("lon", "lng", "long", "longitude", "经度"),
    "lat": ("lat", "latitude", "纬度"),
    "region": ("region", "region_code", "code", "adcode", "区划代码", "行政区划代码"),
    "type": ("type", "kind", "category", "类型", "类别"),
    "population": ("population", "人口", "常住人口", "人口数"),
    "capacity": ("capacity", "容量", "服务容量"),
}


_TEXT = {n for key in ("id", "region", "type") for n in ALIASES.get(key, (key,))}


def csv_header(path: Path) -> tuple[list[str], str] | None:
    """The header cells of a CSV and its encoding (UTF-8, BOM allowed, else GB18030, as
    :func:`minsheng.ingest.spreadsheets.decode_csv` reads), or None when unreadable."""
    import csv

    from minsheng.ingest.spreadsheets import CSV_ENCODINGS

    with path.open("rb") as fh:
        line = fh.readline(1 << 20)
    for encoding in CSV_ENCODINGS:
        try:
            cells = next(csv.reader([line.decode(encoding)]), None)
        except (UnicodeDecodeError, csv.Error):
            continue
        return (cells, "utf8" if encoding == "utf-8-sig" else encoding) if cells else None
    return None


def parse_csv(path: Path) -> Any:  # noqa: ANN401 - a pyarrow.Table or None
    """Arrow's multi-threaded parser (numbers typed, ids and codes kept as text), or None."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    head = csv_header(path)
    if head is None:
        return None
    names, encoding = head
    text = {c: pa.string() for c in names if str(c).strip().lower() in _TEXT}
    size = _size(path)
    block = _block(size)
    # a file of one block is parsed on this thread: Arrow's pool would only queue it
    # behind a parse already running there (the demand file's, read ahead)
    threads = size > block
    try:
        return pacsv.read_csv(
            _mapped(path),
            read_options=pacsv.ReadOptions(
                encoding=encoding, block_size=block, use_threads=threads
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=text, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _mapped(path: Path) -> Any:  # noqa: ANN401 - a pyarrow.MemoryMappedFile, or the path
    """The file memory-mapped for Arrow's parser, else its path.

    Why: from a path, Arrow reads each block into a new buffer, so every byte of the file
    is copied once and every page of those buffers is faulted in and zeroed first; from a
    map its blocks are slices of the page cache. A million points (21 MB): the parse
    took 88 instead of 107 ms (medians of six fresh processes), the kernel's share of its
    CPU time falling by a half. Anything that cannot be mapped (a pipe, a special file)
    is read from its path as before. The one cost: were another program to cut the file
    short during the parse (a fraction of a second), the process would end on a bus
    error where a read would have raised. The table holds no slice of the map, so
    nothing afterwards depends on the file (a run may write its scores over it).
    """
    import pyarrow as pa

    try:
        return pa.memory_map(str(path))
    except (OSError, pa.ArrowException):
        return path


def block_size(path: Path) -> int:
    """Bytes per block for Arrow's CSV parser: two blocks per core, from 1 MiB (Arrow's
    default) to 16 MiB.

    Why: each block is parsed, typed and converted on its own, and a block costs more
    than its bytes. A million points (21 MB) in Arrow's 1 MiB blocks took about 150 ms of
    CPU on the 2-core machine, in 5 MB blocks about 115 ms, the time on the clock falling
    alike; two blocks per core keep every core busy to the end. Larger blocks also type
    each column from more rows before the rest of the file is converted.
    """
    return _block(_size(path))


def _block(size: int) -> int:
    import pyarrow as pa

    return max(1 << 20, min(16 << 20, size // (2 * max(1, pa.cpu_count()))))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def parser_modules() -> None:
    """Import what :func:`parse_csv` needs (for a caller about to parse in another thread)."""
    import pyarrow.csv  # noqa: F401

    from minsheng.ingest import spreadsheets  # noqa: F401


def parse_ahead(path: Path) -> tuple[Any, Any] | None:
    """What :func:`.read_ahead.start_points` prepares in the background: a CSV's Arrow
    table and its checked ids and coordinates (:func:`.arrow_points.arrow_layout`, None if
    anything is off), or None for a file that is not CSV or does not parse."""
    table = parse_csv(path) if path.suffix.lower() in CSV else None
    if table is None:
        return None
    from minsheng.ingest.spatial.arrow_points import arrow_layout

    return table, arrow_layout(table, None)
