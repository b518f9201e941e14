"""A one-shot run keeps freed blocks for reuse instead of faulting their pages in again."""

from __future__ import annotations

import subprocess
import sys

import pytest

FAULTS = """
import resource, sys
from minsheng.cli.memory import keep_freed_memory

def faults_of_one_block():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block = bytearray(64 << 20)  # zero-filled: every page is written
    del block
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

if sys.argv[1] == "keep":
    assert keep_freed_memory()
faults_of_one_block()
print(faults_of_one_block())  # the second block of the same size
"""


def _faults(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", FAULTS, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_a_freed_block_is_reused_without_faulting_its_pages_again() -> None:
    plain, kept = _faults("plain"), _faults("keep")
    assert plain > 4_000  # 64 MiB handed back and faulted in again, page by page
    assert kept < plain / 10
