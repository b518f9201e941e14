"""Arrow columns without pandas or pyarrow.compute: ids, numbers, and the parallel CSV writer."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.ingest.spatial import arrow_columns
from minsheng.ingest.spatial.arrow_columns import (
    all_distinct,
    canonical_integers,
    numbers_of,
    write_csv,
)


def _one_write(table: pa.Table, quoting: str) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, quoting_style=quoting))
    return sink.getvalue()


@pytest.mark.parametrize("in_cpp", [True, False])
@pytest.mark.parametrize("special", [False, True])
def test_parts_in_threads_equal_one_write(
    tmp_path: Path, special: bool, in_cpp: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written in parts by threads, the file holds what one write of the whole table holds:
    Arrow's very text, or with the C++ lines (no text to quote) the same fields with each
    number spelled as its shortest text."""
    if not in_cpp:
        monkeypatch.setattr(arrow_columns, "_column_text", None)
    n = 250_001  # more than one part on any machine with two cores
    rng = np.random.default_rng(3)
    ids = np.arange(n).astype(str).astype(object)
    if special:
        ids[n // 2] = 'a, "quoted" id'
    score = rng.random(n) * 10.0 ** rng.integers(-12, 12, n)
    score[::7] = 0.0
    score[::11] = np.nan
    table = pa.table(
        {
            "id": pa.array(ids.tolist(), pa.string()),
            "score": score,
            "count": pa.array(rng.integers(-(2**62), 2**62, n), mask=score > 1e9),
        }
    )
    path = tmp_path / "o.csv"
    write_csv(table, path)
    head, body = path.read_bytes().split(b"\n", 1)
    assert head == b"id,score,count"
    arrow = _one_write(table, "needed" if special else "none")
    if in_cpp and not special:
        ours = [line.split(b",") for line in body.splitlines()]
        theirs = [line.split(b",") for line in arrow.splitlines()]
        assert [(a, c) for a, _, c in ours] == [(a, c) for a, _, c in theirs]
        assert [float(b) for _, b, _ in ours] == pytest.approx(
            [float(b) for _, b, _ in theirs], rel=0, abs=0, nan_ok=True
        )
    else:
        assert body == arrow
    back = pacsv.read_csv(
        path, convert_options=pacsv.ConvertOptions(column_types={"id": pa.string()})
    )
    assert back.column("id").to_pylist() == ids.tolist()
    read = back.column("score").to_numpy()
    assert np.array_equal(read, score, equal_nan=True)  # every float reads back exactly
    assert back.column("count").equals(table.column("count"))


@pytest.mark.parametrize("in_cpp", [True, False])
def test_a_part_that_fails_in_its_thread_is_raised_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_cpp: bool
) -> None:
    """No part is lost or waited for forever: the writer formats a failed part itself and
    the error reaches the caller, every thread joined."""
    if in_cpp:
        real_rows = arrow_columns._column_text.csv_lines

        class FailingAfterTheFirstPart:
            @staticmethod
            def csv_lines(columns: list, start: int, stop: int) -> bytes:
                if start != 0:
                    raise ValueError("cannot format this part")
                return real_rows(columns, start, stop)

        monkeypatch.setattr(arrow_columns, "_column_text", FailingAfterTheFirstPart)
    else:
        real = pacsv.write_csv

        def failing_after_the_first_part(table, sink, options) -> None:  # noqa: ANN001
            if table.column("id")[0].as_py() != "0":
                raise pa.ArrowInvalid("cannot format this part")
            real(table, sink, options)

        monkeypatch.setattr(arrow_columns, "_column_text", None)
        monkeypatch.setattr(pacsv, "write_csv", failing_after_the_first_part)
    n = 250_001
    table = pa.table({"id": pa.array(np.arange(n).astype(str)), "v": np.ones(n)})
    before = threading.active_count()
    with pytest.raises((pa.ArrowInvalid, ValueError), match="cannot format"):
        write_csv(table, tmp_path / "o.csv")
    assert threading.active_count() == before


def test_a_chunked_table_is_written_whole(tmp_path: Path) -> None:
    parts = [
        pa.table({"id": pa.array([str(i) for i in range(k, k + 70_000)]), "v": np.ones(70_000)})
        for k in (0, 70_000, 140_000)
    ]
    table = pa.concat_tables(parts)
    path = tmp_path / "o.csv"
    write_csv(table, path)
    assert path.read_bytes().split(b"\n", 1)[1] == _one_write(table, "none")


@pytest.mark.parametrize(
    ("ids", "distinct"),
    [
        (["1", "2", "3"], True),
        (["3", "1", "2"], True),
        (["1", "2", "1"], False),
        (["7", "07"], True),  # different ids as text, one number: compared as text
        (["0", "-0"], True),
        (["-5", "5"], True),
        (["a", "b", "a"], False),
    ],
)
def test_all_distinct_compares_ids_as_text(ids: list[str], distinct: bool) -> None:
    assert all_distinct(pa.array(ids)) is distinct


_INTEGER_LIKE = st.one_of(
    st.integers(-(2**63), 2**63 - 1).map(str),
    st.sampled_from(["0", "-0", "+7", "007", " 7", "7 ", "1e3", "", "-", "٣", "７", "9" * 19]),
    st.sampled_from(["0x1F", "-0x10", "0X7"]),  # hexadecimal: Arrow's cast reads it
    st.from_regex(r"[-+ 0]{0,2}[0-9]{1,20}", fullmatch=True),
)


@given(
    ids=st.lists(_INTEGER_LIKE, min_size=1, max_size=30),
    cut=st.integers(0, 3),
    large=st.booleans(),
    in_cpp=st.booleans(),
)
def test_canonical_integers_agree_with_the_written_rule(
    ids: list[str], cut: int, large: bool, in_cpp: bool
) -> None:
    """No sign '+', no leading zero, no space, no '-0', within int64: else text compare.
    Sliced arrays (texts before the slice) and large strings read their own bytes; read
    in C++ or by Arrow's cast alike."""
    import re
    from unittest import mock

    def canonical(text: str) -> bool:
        return bool(re.fullmatch(r"0|-?[1-9][0-9]*", text)) and -(2**63) <= int(text) < 2**63

    text = pa.large_string() if large else pa.string()
    native = arrow_columns._column_text if in_cpp else None
    with mock.patch.object(arrow_columns, "_column_text", native):
        got = canonical_integers(pa.array(["x"] * cut + ids, text).slice(cut))
    if all(canonical(t) for t in ids):
        assert got is not None and got.tolist() == [int(t) for t in ids]
    else:
        assert got is None


NUMERIC = [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint16(), pa.uint32(),
           pa.float32(), pa.float64()]  # fmt: skip


@given(
    kind=st.sampled_from(NUMERIC),
    chunks=st.lists(st.lists(st.integers(0, 100), max_size=20), min_size=1, max_size=4),
    cut=st.integers(0, 5),
)
def test_numbers_of_equals_arrows_own_conversion(kind, chunks, cut) -> None:  # noqa: ANN001
    column = pa.chunked_array([pa.array(c, type=kind) for c in chunks], type=kind)
    column = column.slice(min(cut, len(column)))  # an offset into the first chunk
    got = numbers_of(column)
    assert got.dtype == np.dtype(kind.to_pandas_dtype())
    np.testing.assert_array_equal(got, column.to_numpy())
    got[:1] = 0  # writable, as the kernels expect
    as_float = numbers_of(column, np.float64)  # converted, as the coordinates are
    assert as_float.dtype == np.float64
    np.testing.assert_array_equal(as_float, column.to_numpy().astype(np.float64))
