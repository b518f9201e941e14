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

Only for commands that exit when done; a server would keep its peak for its lifetime.
"""

from __future__ import annotations

import ctypes
import sys

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
_KEEP = 1 << 30


def keep_freed_memory() -> bool:
    """Keep freed blocks (up to 1 GiB) for reuse in one arena; whether the C library took it
    (glibc only). Called before the process starts other threads."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a libc without mallopt (musl)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    taken = [mallopt(_M_MMAP_THRESHOLD, _KEEP), mallopt(_M_TRIM_THRESHOLD, _KEEP)]
    taken.append(mallopt(_M_ARENA_MAX, 1))
    return all(taken)
