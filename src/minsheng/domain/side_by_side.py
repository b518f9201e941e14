"""Independent parts of a bulk check run at once, one on this thread and the rest on threads.

Why: Arrow's casts and NumPy's element-wise passes over large arrays let go of the GIL,
so two parts that share nothing (a points file's coordinates and its ids; an output's
geometry and the scores it will hold) keep both cores of a small machine busy where one
would idle. Threads, not processes: the arrays are shared, not copied. A plain thread
per part rather than ``concurrent.futures``: a run makes a handful of calls, and that
module's import would cost more than a pool saves.

Measured, and not used for the grid kernels: in a fresh process their parts fault in
new memory, and on two threads they took longer than on one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: below this many array elements a part is done on this thread: a thread's start-up
#: (~50 µs) and the GIL hand-overs cost more than the part
MIN_ELEMENTS = 200_000


def together(jobs: list[Callable[[], T]], size: int) -> list[T]:
    """Each job's result, in order; the first job runs here, the others on threads.

    ``size`` is the number of array elements each job walks: small jobs run one after
    the other on this thread. An exception in any job is raised here, after every job
    has finished, so no thread is left writing into arrays the caller has given up on.
    """
    if len(jobs) <= 1 or size < MIN_ELEMENTS:
        return [job() for job in jobs]
    pending = [in_background(job) for job in jobs[1:]]
    settled = [_settle(jobs[0]), *(_settle(outcome) for outcome in pending)]
    for _, error in settled:
        if error is not None:
            raise error
    return [result for result, _ in settled]


def _settle(call: Callable[[], T]) -> tuple[Any, BaseException | None]:
    """``call``'s result, or the error it raised, so every job is waited for first."""
    try:
        return call(), None
    except BaseException as error:  # noqa: BLE001 - raised by the caller once all are done
        return None, error


def in_background(job: Callable[[], T]) -> Callable[[], T]:
    """Start ``job`` on a thread now; the call returned waits for it and gives its result
    (or raises its error). For work whose result is needed only later, such as an output
    file's geometry while the scores are still being computed."""
    result: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(job())
        except BaseException as error:  # noqa: BLE001 - re-raised where the result is asked for
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def outcome() -> T:
        thread.join()
        if errors:
            raise errors[0]
        return result[0]

    return outcome
