"""A one-shot run keeps freed blocks for reuse instead of faulting their pages in again."""

from __future__ import annotations

import subprocess
import sys

import pytest

FAULTS = """
import resource, sys, threading
from minsheng.cli.memory import keep_freed_memory

def faults_of_one_block(size):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block = bytearray(size)  # zero-filled: every page is written
    del block
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

mode, where, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "keep":
    assert keep_freed_memory()
if where == "thread":  # the first block is taken and freed by another thread
    worker = threading.Thread(target=faults_of_one_block, args=(size,))
    worker.start()
    worker.join()
else:
    faults_of_one_block(size)
print(faults_of_one_block(size))  # the next block of that size, in the main thread
"""


def _faults(mode: str, where: str, size: int) -> int:
    out = subprocess.run(
        [sys.executable, "-c", FAULTS, mode, where, str(size)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
@pytest.mark.parametrize(
    ("where", "size"),
    [("main", 64 << 20), ("thread", 16 << 20)],
    ids=["freed-by-this-thread", "freed-by-another-thread"],
)
def test_a_freed_block_is_reused_without_faulting_its_pages_again(where: str, size: int) -> None:
    plain, kept = _faults("plain", where, size), _faults("keep", where, size)
    assert plain > size // 4096 // 2  # handed back (or kept apart) and faulted in again
    assert kept < plain / 10


POOL = """
import sys
from minsheng.cli.memory import keep_freed_memory
assert keep_freed_memory()
import pyarrow as pa
print(pa.default_memory_pool().backend_name)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
@pytest.mark.parametrize(
    ("chosen", "expected"), [(None, "system"), ("mimalloc", "mimalloc")], ids=["ours", "users"]
)
def test_arrow_takes_its_buffers_from_the_same_heap_unless_the_user_chose(
    chosen: str | None, expected: str
) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if chosen:
        env["ARROW_DEFAULT_MEMORY_POOL"] = chosen
    out = subprocess.run(
        [sys.executable, "-c", POOL], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == expected
