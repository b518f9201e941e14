"""The package's names load with their modules on first use, and only then."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import minsheng.analytics.access as access


@pytest.mark.parametrize("name", access.__all__)
def test_every_name_is_its_modules_own(name: str) -> None:
    home = importlib.import_module(f"minsheng.analytics.access.{access._HOME[name]}")
    assert getattr(access, name) is getattr(home, name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_kernel"):
        access.no_such_kernel  # noqa: B018 - the access is the test


def test_a_2sfca_run_does_not_import_siting_tiling_or_routing() -> None:
    code = (
        "import sys\n"
        "from minsheng.services.accessibility import run_fca\n"
        "loaded = [m for m in ('minsheng.analytics.access.siting', 'minsheng.analytics.access.tiles',"
        " 'minsheng.analytics.access.network', 'minsheng.services.road_travel') if m in sys.modules]\n"
        "print(loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
