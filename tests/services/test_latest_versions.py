"""The latest version of each value: the one-integer sort equals the plain multi-column one."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from minsheng.services.plans import latest_versions

KEYS = ["plan_indicator_id", "region_code", "year"]


def _reference(frame: pl.DataFrame) -> pl.DataFrame:
    """The definition: for each key, the row of its highest version, in key order."""
    top = frame.group_by(KEYS).agg(pl.col("version").max())
    return frame.join(top, on=[*KEYS, "version"], how="semi").sort(KEYS)


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    # small ranges take the one-integer sort; ids near 2**62 or far-apart years the columns
    ids = draw(st.sampled_from([st.integers(1, 40), st.integers(1, 2**62)]))
    years = draw(st.sampled_from([st.integers(2019, 2026), st.integers(-(2**40), 2**40)]))
    codes = st.sampled_from(["110000", "110101", "500118", "500116", "5001", "", "东"])
    rows = draw(
        st.lists(
            st.tuples(ids, codes, years, st.integers(1, 5), st.floats(allow_nan=False)),
            max_size=60,
            unique_by=lambda r: r[:4],  # one row per key and version, as the store keeps them
        )
    )
    return pl.DataFrame(
        rows,
        schema={
            "plan_indicator_id": pl.Int64,
            "region_code": pl.Utf8,
            "year": pl.Int64,
            "version": pl.Int64,
            "value": pl.Float64,
        },  # fmt: skip
        orient="row",
    )


@given(frames())
def test_latest_versions_equal_the_definition(frame: pl.DataFrame) -> None:
    assert latest_versions(frame).equals(_reference(frame))
