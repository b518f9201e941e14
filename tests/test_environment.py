"""CI must exercise both engines: a missing PostgreSQL is a failure there, not a skip."""

import os

import pytest


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI insists on PostgreSQL")
def test_ci_runs_the_postgresql_tests() -> None:
    assert os.environ.get("MINSHENG_TEST_POSTGRES_URL"), (
        "CI must start PostgreSQL (./run test does)"
    )
