"""Examples in docstrings are run, so they cannot drift from the code."""

import doctest
import importlib
import pkgutil

import pytest

import minsheng

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(minsheng.__path__, "minsheng.")
    if ".migrations" not in info.name
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
