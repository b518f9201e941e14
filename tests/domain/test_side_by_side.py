"""Independent parts run at once: results in order, a failure raised only when all are done."""

from __future__ import annotations

import threading
import time

import pytest

from minsheng.domain.side_by_side import MIN_ELEMENTS, in_background, together


def test_results_come_back_in_the_order_of_the_jobs() -> None:
    assert together([lambda: "a", lambda: "b", lambda: "c"], MIN_ELEMENTS) == ["a", "b", "c"]


def test_large_jobs_run_on_threads_of_their_own() -> None:
    seen: list[str] = []

    def job() -> None:
        seen.append(threading.current_thread().name)

    together([job, job], MIN_ELEMENTS)
    assert len(set(seen)) == 2


def test_small_jobs_stay_on_the_callers_thread() -> None:
    seen: list[threading.Thread] = []
    together([lambda: seen.append(threading.current_thread())] * 2, MIN_ELEMENTS - 1)
    assert seen == [threading.current_thread()] * 2


def test_a_failure_is_raised_after_every_job_has_finished() -> None:
    finished = threading.Event()

    def slow() -> None:
        time.sleep(0.05)
        finished.set()

    def broken() -> None:
        raise ValueError("bad part")

    with pytest.raises(ValueError, match="bad part"):
        together([broken, slow], MIN_ELEMENTS)
    assert finished.is_set()


def test_a_background_job_gives_its_result_when_asked() -> None:
    started = threading.Event()

    def job() -> int:
        started.set()
        return 42

    outcome = in_background(job)
    assert started.wait(5)
    assert outcome() == 42
    assert outcome() == 42  # asked twice: the same result


def test_a_background_jobs_error_is_raised_where_its_result_is_asked_for() -> None:
    def job() -> None:
        raise ValueError("no geometry")

    outcome = in_background(job)
    with pytest.raises(ValueError, match="no geometry"):
        outcome()
