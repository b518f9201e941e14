"""Freed memory kept in the process for a one-shot run's next arrays.

Why: glibc hands every large block back to the kernel when it is freed, and the next
array of that size has its pages faulted in again, one by one. A million-point
``minsheng access`` run allocates and frees dozens of 8 MiB arrays: measured on the
2-core benchmark machine, it took 27,600 page faults against 7,500 for a bare process
reading and writing the same files, and on a virtual machine a fault costs enough
that the kernel's share of the run's CPU time was up to half. With the thresholds
raised, freed blocks stay in the heap and are reused: 15,000 faults. One arena for
all threads, so the arrays the read-ahead thread frees are reused by the main thread
(with an arena per thread: 21,000 faults).

Arrow's buffers (the parsed table, casts, the CSV writer's text) come from the same
heap: by default Arrow takes them from its bundled mimalloc, whose segments are
committed and released on their own schedule. Measured on the same machine, a grid
2SFCA run then peaked at 340 MiB and spent 0.3 s in the OS kernel (the median of 12
runs), against 240 MiB and 0.16 s with Arrow on the system allocator; scattered
E2SFCA peaked at 500 against 340 MiB.

Only for commands that exit when done; a server would keep its peak for its lifetime.
"""

from __future__ import annotations

import ctypes
import os
import sys

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
_KEEP = 1 << 30


def keep_freed_memory() -> bool:
    """Keep freed blocks (up to 1 GiB) for reuse in one arena, Arrow's buffers included;
    whether the C library took it (glibc only). Called before the process starts other
    threads, and before Arrow is imported (it reads its allocator's name then); a user's
    own ``ARROW_DEFAULT_MEMORY_POOL`` is kept."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a libc without mallopt (musl)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    taken = [mallopt(_M_MMAP_THRESHOLD, _KEEP), mallopt(_M_TRIM_THRESHOLD, _KEEP)]
    taken.append(mallopt(_M_ARENA_MAX, 1))
    if all(taken) and "pyarrow" not in sys.modules:
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    return all(taken)
