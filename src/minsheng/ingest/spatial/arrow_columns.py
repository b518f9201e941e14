"""Arrow columns in and out of the point readers' fast path, without pandas or ``pyarrow.compute``.

Why a module of its own: ``minsheng access`` on a million points is a third of a second
to half a second, and the usual doors to Arrow cost a noticeable share of it.
``pyarrow.compute`` builds a Python wrapper for each of its hundreds of functions on
import (50–80 ms); the few functions needed here are called through the engine's one
entry point instead (:func:`minsheng.arrow_arrays.compute`, shared with the store), and
integer ids and CSV lines, where minsheng's C++ module is built, without loading Arrow's
compute library at all (:mod:`._column_text`). ``to_numpy`` imports pandas on first use;
a null-free number column is its data buffer (:func:`numbers_of`). The rows of a CSV are
formatted in as many parts as there are cores (:func:`write_csv`).
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

import numpy as np

from minsheng.arrow_arrays import compute


def as_text(column: Any) -> Any:  # noqa: ANN401 - a pyarrow (Chunked)Array
    """The column as Arrow strings (a cast only when it is not text already)."""
    import pyarrow as pa

    if column.type == pa.string():
        return column
    from pyarrow._compute import CastOptions

    return compute("cast", column, options=CastOptions.safe(pa.string()))


def numbers_of(column: Any, dtype: Any = None) -> np.ndarray:  # noqa: ANN401 - no nulls
    """A numeric Arrow column as a new NumPy array (of ``dtype``, else the column's own).

    Read from the data buffers by hand: pyarrow's own ``to_numpy`` imports pandas on first
    use (a quarter of a second of a whole ``minsheng access`` run), and a null-free integer
    or float column is its data buffer. The result is writable, like the arrays the
    kernels were always given, and converted in the one copy it needs.
    """
    import pyarrow as pa

    chunks = column.chunks if hasattr(column, "chunks") else [column]
    parts = []
    for chunk in chunks:
        kind = chunk.type
        code = (
            "f"
            if pa.types.is_floating(kind)
            else ("i" if pa.types.is_signed_integer(kind) else "u")
        )
        own = np.dtype(f"<{code}{kind.bit_width // 8}")
        data = chunk.buffers()[1]
        offset = chunk.offset * own.itemsize
        parts.append(np.frombuffer(data, dtype=own, count=len(chunk), offset=offset))
    want = np.dtype(dtype) if dtype is not None else (parts[0].dtype if parts else np.float64)
    if len(parts) == 1:
        return parts[0].astype(want)  # always a copy: frombuffer views are read-only
    # chunks converted straight into one new array (not joined, then converted again)
    return np.concatenate(parts, dtype=want) if parts else np.empty(0, want)


def canonical_integers(ids: Any) -> np.ndarray | None:  # noqa: ANN401 - a pyarrow string Array
    """The ids as int64 (read only) when every one is an integer written canonically, else None.

    Canonical means no sign ``+``, no leading zeros, no spaces, no ``-0``: then text and
    number are one-to-one, and ids can be compared as numbers instead of hashing a million
    strings. Recognised without a regex (which cost more than the whole 2SFCA kernel):
    Arrow's integer cast accepts only an optional ``-`` and then decimal digits or a
    ``0x`` hexadecimal, so a text it accepts is canonical exactly when it is ``0`` or its
    first digit (after any ``-``) is not ``0`` -- read from the first bytes of each text
    in the character buffer, without a pass over whole texts. Where minsheng's C++ module
    is built, it reads them instead, in one pass and without loading Arrow's compute
    library (:mod:`._column_text` says why).
    """
    import pyarrow as pa

    native = _native_integers(ids)
    if native is not NotImplemented:
        return native
    from pyarrow._compute import CastOptions

    try:
        cast = compute("cast", ids, options=CastOptions.safe(pa.int64()))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    # the cast's own buffer, read only (a million ids: no second 8 MB to fault in)
    nums = (
        np.frombuffer(cast.buffers()[1], dtype="<i8", count=len(cast), offset=cast.offset * 8)
        if isinstance(cast, pa.Array) and cast.null_count == 0
        else numbers_of(cast)
    )
    n = len(ids)
    if n == 0:
        return nums
    kind = np.int64 if pa.types.is_large_string(ids.type) else np.int32
    offsets = np.frombuffer(ids.buffers()[1], dtype=kind)[ids.offset : ids.offset + n + 1]
    data = np.frombuffer(ids.buffers()[2], dtype=np.uint8)
    starts = offsets[:-1]
    first = data[starts]  # every text is non-empty: the cast refused empty ones
    lead = first - np.uint8(ord("1")) <= 8  # '1'..'9' (wraps below '1')
    if lead.all():
        return nums
    minus = first == ord("-")
    second = data[starts[minus] + 1]  # a lone '-' was refused by the cast as well
    lead[minus] = second - np.uint8(ord("1")) <= 8
    lead |= (first == ord("0")) & (np.diff(offsets) == 1)  # the text "0" itself
    return nums if lead.all() else None


def _native_integers(ids: Any) -> Any:  # noqa: ANN401 - an int64 array, None or NotImplemented
    """:func:`canonical_integers` by :func:`._column_text.integers`; NotImplemented for
    what it does not read (no module, nulls, not a plain string array)."""
    import pyarrow as pa

    if _column_text is None or not isinstance(ids, pa.Array) or ids.null_count:
        return NotImplemented
    texts = _text_buffers(ids)
    if texts is None:
        return NotImplemented
    if len(ids) == 0:
        return np.empty(0, np.int64)
    wide, offsets, text = texts
    read = _column_text.integers(offsets, text, ids.offset, len(ids), wide)
    return None if read is None else np.frombuffer(read, dtype=np.int64)


def _text_buffers(array: Any) -> tuple[bool, Any, Any] | None:  # noqa: ANN401 - a pyarrow Array
    """A string array's buffers as :mod:`._column_text` reads them: whether its offsets
    are 64-bit (large_string), the offsets, and the characters (an empty buffer when Arrow
    keeps none); None for any other type."""
    import pyarrow as pa

    wide = pa.types.is_large_string(array.type)
    if not (wide or pa.types.is_string(array.type)):
        return None
    _, offsets, text = array.buffers()
    return wide, offsets, text if text is not None else b""


def all_distinct(ids: Any, nums: np.ndarray | None = None) -> bool:  # noqa: ANN401
    """Whether no id repeats: as int64 when all are canonical integers (``nums``, from
    :func:`canonical_integers`: a sort, or a single pass when already ordered), else by
    hashing the text."""
    if nums is None:
        nums = canonical_integers(ids)
    if nums is not None:
        if (nums[1:] > nums[:-1]).all():  # already ascending: no difference array
            return True
        ordered = np.sort(nums)
        return bool((ordered[1:] != ordered[:-1]).all())
    return bool(compute("count_distinct", ids).as_py() == len(ids))


#: rows a part of a CSV write must have before a second thread pays off; parts per thread
_ROWS_PER_PART = 100_000
_PARTS_PER_WORKER = 4

_CSV_SPECIAL = (b",", b'"', b"\r", b"\n")

try:
    from minsheng.ingest.spatial import _column_text
except ImportError:  # installed without a C++ compiler: Arrow's writer does every table
    _column_text = None  # type: ignore[assignment]


def row_columns(table: Any) -> list[tuple[Any, ...]] | None:  # noqa: ANN401 - a pyarrow.Table
    """The table's columns as :func:`._column_text.csv_lines` reads them, or None when one is of a
    type it does not write (only float64, int64 and text) or it is not installed.

    The caller has checked that no text needs quoting; a column of several chunks is
    joined first (a copy, which the tables written here never need).
    """
    import pyarrow as pa

    if _column_text is None or table.num_columns == 0:
        return None
    columns = []
    for column in table.columns:
        array = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
        valid = array.buffers()[0]
        texts = _text_buffers(array)
        if texts is not None:
            wide, offsets, text = texts
            columns.append(("l" if wide else "s", array.offset, text, offsets, valid))
        elif array.type in (pa.float64(), pa.int64()):
            values = array.buffers()[1] or b""  # no rows, no buffer
            code = "f" if array.type == pa.float64() else "i"
            columns.append((code, array.offset, values, None, valid))
        else:
            return None
    return columns


def _may_need_quotes(chunk: Any) -> bool:  # noqa: ANN401 - a pyarrow string Array
    """Whether any text holds a comma, quote or line break, read from the character buffer
    (a regex over a million ids cost a third of the CSV write). A sliced array's buffer may
    hold characters outside the slice: then it quotes where needed, which is only ever safe."""
    data = chunk.buffers()[2]
    if data is None:
        return False
    text = data.to_pybytes()
    return any(c in text for c in _CSV_SPECIAL)


def write_csv(table: Any, path: Path) -> None:  # noqa: ANN401 - a pyarrow.Table
    """A table as CSV, quoting only text that needs it (Arrow quotes every string).

    Formatting a million floats (shortest text that reads back to the same double) is
    most of the write. Tables of numbers and plain text are formatted by
    :mod:`._column_text` (C++'s ``to_chars``, about twice as fast as Arrow's formatter;
    its source says why); anything else, or an install without it, by Arrow's writer.
    Either runs on one core, so the rows are cut into a few parts per core, threads
    format them (both release the GIL), each thread taking every n-th part so the parts
    finish about in order, and this thread writes each part to the file as soon as it
    and those before it are ready: the file's own write (27 MB for a million scores)
    overlaps the formatting instead of following it.
    """
    import csv
    import io

    import pyarrow as pa
    import pyarrow.csv as pacsv

    special = any(
        _may_need_quotes(chunk)
        for col in table.columns
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type)
        for chunk in col.chunks
    )
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow([str(c) for c in table.column_names])
    quoting = "needed" if special else "none"
    # rows per batch: Arrow's default of 1,024 spends a tenth of the write on batch set-up
    options = pacsv.WriteOptions(include_header=False, quoting_style=quoting, batch_size=1 << 16)
    n = table.num_rows
    workers = max(1, min(pa.cpu_count(), n // _ROWS_PER_PART))
    parts = workers * _PARTS_PER_WORKER if workers > 1 else 1
    bounds = [n * k // parts for k in range(parts + 1)]
    texts: list[Any] = [None] * parts
    ready = [threading.Event() for _ in range(parts)]

    columns = None if special else row_columns(table)

    def format_part(k: int) -> Any:  # noqa: ANN401 - bytes or a pyarrow.Buffer
        if columns is not None:
            return _column_text.csv_lines(columns, bounds[k], bounds[k + 1])
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table.slice(bounds[k], bounds[k + 1] - bounds[k]), sink, options)
        return sink.getvalue()

    def worker(first: int) -> None:
        for k in range(first, parts, workers):
            # a part that fails here is left empty and formatted again by the writer
            # below, so the error is raised in the caller's thread
            with contextlib.suppress(Exception):
                texts[k] = format_part(k)
            ready[k].set()

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    try:
        with path.open("wb") as fh:
            fh.write(head.getvalue().encode("utf-8"))
            for k in range(parts):
                ready[k].wait()
                text = texts[k] if texts[k] is not None else format_part(k)
                texts[k] = None  # the part's memory goes back as soon as it is written
                fh.write(text)
    finally:
        for t in threads:
            t.join()
