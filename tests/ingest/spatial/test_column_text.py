"""The C++ text of Arrow columns (ingest/spatial/_column_text.cpp) against what it stands for.

Written: a number must read back as the very double or integer it was; text is copied as
it is; a null is an empty field. Read: ids are numbers only when written canonically
(:func:`minsheng.ingest.spatial.arrow_columns.canonical_integers` has the property test
against Arrow's cast). Anything the caller describes wrongly is an error, never a read
outside a buffer.
"""

from __future__ import annotations

import math
import struct

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.ingest.spatial import arrow_columns
from minsheng.ingest.spatial._column_text import csv_lines, integers

_PLAIN_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=',"\r\n'),
    max_size=8,
)


def test_the_module_is_built_here() -> None:
    """The project's machines build it (./run installs a C++ compiler): the fast path is the
    one tested."""
    assert arrow_columns._column_text is not None


def _fields(text: bytes, columns: int) -> list[list[str]]:
    lines = text.decode("utf-8").split("\n")
    assert lines[-1] == ""  # every line ends with its line break
    return [line.split(",", columns - 1) for line in lines[:-1]]


def _bits(value: float) -> bytes:
    return struct.pack("<d", value)


@settings(max_examples=200, deadline=None)
@given(
    data=st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
            st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
            st.one_of(st.none(), _PLAIN_TEXT),
        ),
        min_size=1,
        max_size=40,
    ),
    cut=st.integers(0, 5),
    large=st.booleans(),
)
def test_every_value_reads_back_as_it_was(
    data: list[tuple[float | None, int | None, str | None]], cut: int, large: bool
) -> None:
    floats, ints, texts = (list(c) for c in zip(*data, strict=True))
    table = pa.table(
        {
            "f": pa.array(floats, pa.float64()),
            "i": pa.array(ints, pa.int64()),
            "t": pa.array(texts, pa.large_string() if large else pa.string()),
        }
    )
    table = table.slice(min(cut, len(data) - 1))  # arrays with an offset into their buffers
    columns = arrow_columns.row_columns(table)
    assert columns is not None
    got = _fields(csv_lines(columns, 0, table.num_rows), 3)
    assert len(got) == table.num_rows
    for (f, i, t), (f_text, i_text, t_text) in zip(
        zip(*(c.to_pylist() for c in table.columns), strict=True), got, strict=True
    ):
        if f is None:
            assert f_text == ""
        elif math.isnan(f):
            assert f_text == "nan"
        else:
            assert _bits(float(f_text)) == _bits(f)  # -0.0 and subnormals included
        assert i_text == ("" if i is None else str(i))
        assert t_text == ("" if t is None else t)


@given(
    values=st.lists(st.floats(allow_nan=False), min_size=1, max_size=60),
    start=st.integers(0, 60),
    stop=st.integers(0, 60),
)
def test_a_range_of_rows_is_those_rows(values: list[float], start: int, stop: int) -> None:
    start, stop = sorted((min(start, len(values)), min(stop, len(values))))
    columns = arrow_columns.row_columns(pa.table({"v": pa.array(values, pa.float64())}))
    assert columns is not None
    got = [float(line[0]) for line in _fields(csv_lines(columns, start, stop), 1)]
    assert [_bits(v) for v in got] == [_bits(v) for v in values[start:stop]]


@pytest.mark.parametrize(
    "column",
    [
        pa.array([True, False]),
        pa.array([1, 2], pa.int32()),
        pa.array([1.5, 2.5], pa.float32()),
        pa.array([b"a", b"b"], pa.binary()),
    ],
)
def test_other_types_are_left_to_arrow(column: pa.Array) -> None:
    assert arrow_columns.row_columns(pa.table({"v": column, "w": [1.0, 2.0]})) is None


def _described(values: object, offsets: object = None, kind: str = "f") -> list[tuple]:
    return [(kind, 0, values, offsets, None)]


@pytest.mark.parametrize(
    ("columns", "stop"),
    [
        (_described(np.zeros(2).tobytes()), 3),  # three rows asked of two doubles
        (_described(b"abc", np.array([0, 1, 9], np.int32).tobytes(), "s"), 2),  # past the text
        (_described(b"abc", np.array([0, 2, 1], np.int32).tobytes(), "s"), 2),  # going back
        (_described(b"abc", np.array([0, 1], np.int32).tobytes(), "s"), 2),  # too few offsets
        (_described(b"abc", None, "s"), 1),  # text without its offsets
        (_described(np.zeros(2).tobytes(), kind="x"), 1),  # no such kind
        ([("f", 0, np.zeros(16).tobytes(), None, b"\x01")], 9),  # a bitmap of eight rows
        ([], 0),
    ],
)
def test_a_wrong_description_is_an_error_not_a_read_out_of_bounds(
    columns: list[tuple], stop: int
) -> None:
    with pytest.raises((ValueError, TypeError)):
        csv_lines(columns, 0, stop)


def test_integer_offsets_past_the_text_are_refused() -> None:
    offsets = np.array([0, 1, 9], np.int32).tobytes()
    with pytest.raises(ValueError, match="offsets"):
        integers(offsets, b"123", 0, 2, False)
    with pytest.raises(ValueError, match="offsets"):
        integers(offsets, b"123", 1, 2, False)  # two texts from the second: one offset short


def test_rows_backwards_are_refused() -> None:
    with pytest.raises(ValueError, match="rows asked for"):
        csv_lines(_described(np.zeros(4).tobytes()), 3, 1)
