"""Every door fuzzed: generated inputs to the readers, the target grammar, plan JSON and the CLI.

In CI each harness runs a few hundred examples (over 2,000 in all); set
``MINSHENG_FUZZ_EXAMPLES`` (e.g. 20000 each) for a long run on demand. A door may
accept an input or refuse it with a MinshengError (one line for the user); anything
else — a traceback — fails the test.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.domain.errors import MinshengError
from minsheng.domain.targets import parse_target
from minsheng.ingest.documents.document import read_plan
from minsheng.ingest.documents.plan_json import plans_from_json
from minsheng.ingest.observations.workbooks import read_observation_rows

EXAMPLES = int(os.environ.get("MINSHENG_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 500,
    suppress_health_check=list(HealthCheck),
    deadline=None,
    database=None,
)

PLAN_WORDS = ["≥", "≤", ">", "<", "%", "左右", "以上", "以下", "【", "】", "*", "万人", "—", "-",
              "提高", "达到", "95", "0.5", "１２", "個", "基本实现", "\n", " ", "|", ",", "年"]  # fmt: skip
HTML_BITS = ["<p>", "</p>", "<table>", "<tr>", "<td rowspan=99999>", "</td>", "<div>", "</div>",
             "<meta charset=x-gbk>", "<meta charset=bogus>", "<pre>", "<!--", "-->", "&amp;",
             "指标", "学前教育毛入园率", "90", "≥95", "\x00", "\ufffd"]  # fmt: skip
CSV_BITS = ["指标", "地区", "年份", "数值", ",", "\n", '"', "500118", "999999", "2023", "2023年",
            "inf", "nan", "95%", "—", "1,234", "\t", ";", "学前教育毛入园率", "\x00"]  # fmt: skip

texts = st.one_of(
    st.text(max_size=400), st.lists(st.sampled_from(PLAN_WORDS), max_size=60).map("".join)
)


def _refused_or_read(call) -> None:  # noqa: ANN001
    try:
        call()
    except MinshengError as exc:
        assert exc.message and len(exc.message) < 2000


@FUZZ
@given(texts)
def test_target_grammar(text: str) -> None:
    _refused_or_read(lambda: parse_target(text))


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.lists(st.sampled_from(HTML_BITS + PLAN_WORDS), max_size=80).map(
            lambda p: "".join(p).encode()
        ),
    ),
    st.sampled_from([".txt", ".html"]),
)
def test_document_readers(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_bytes(data)
        _refused_or_read(lambda: read_plan(path))


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=1000),
        st.lists(st.sampled_from(CSV_BITS), max_size=80).map(lambda p: "".join(p).encode()),
    )
)
def test_observation_reader(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "obs.csv"
        path.write_bytes(data)
        _refused_or_read(lambda: read_observation_rows(path))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "indicators",
                    "name",
                    "target",
                    "baseline",
                    "kind",
                    "value",
                    "metadata",
                    "region_code",
                    "outline",
                    "children",
                    "level",
                    "seq",
                    "parts",
                    "target_raw",
                    "unit",
                    "projects",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@FUZZ
@given(json_values)
def test_plan_json(obj: object) -> None:
    json.dumps(obj, default=str)
    _refused_or_read(lambda: plans_from_json(obj))


def _paths(group, prefix=()):  # noqa: ANN001, ANN202
    out = []
    for name, command in group.commands.items():
        out += (
            _paths(command, (*prefix, name)) if hasattr(command, "commands") else [(*prefix, name)]
        )
    return out


COMMANDS = _paths(get_command(app))
ARG_BITS = ["1", "0", "-1", "2023", "99999", "12345678901234567890", "500118", "999999", "inf",
            "nan", "--year", "--plan", "--region", "--out", "/nonexistent-minsheng-dir/x.csv",
            "--json", "--crs", "EPSG:0", "--radius", "--tile", "学前教育毛入园率", "", "--", "-x"]  # fmt: skip


@settings(
    max_examples=EXAMPLES or 300,
    suppress_health_check=list(HealthCheck),
    deadline=None,
    database=None,
)
@given(st.sampled_from(COMMANDS), st.lists(st.sampled_from(ARG_BITS), max_size=6))
def test_cli_arguments(command: tuple[str, ...], args: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {"MINSHENG_DATA_DIR": tmp, "MINSHENG_DATABASE_URL": "", "MINSHENG_SHARED_DIR": tmp}
        if command == ("demo",):
            args = [a for a in args if a != "--shared"]
        result = CliRunner().invoke(app, [*command, *args], env=env, input="pw\npw\n")
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"minsheng {' '.join([*command, *args])}: {result.exception!r}"
    )
    assert not Path("/nonexistent-minsheng-dir").exists()
