"""The ``minsheng`` console entry: a head start for the measures that read a big file.

Why: before a command runs, Typer and the command's modules take a fifth of a second
to import, and ``minsheng access 2sfca`` on a million points spends about as long
parsing its demand file. Arrow parses in its own threads, so the parse is started
here, from the raw argument list, before anything heavy is imported.

A head start, never a decision: Typer still parses the arguments and reports any
mistake in them, and the parsed table is used only if the command then reads that very
file (same path, size and modification time, :mod:`minsheng.ingest.spatial.read_ahead`);
otherwise it is dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: The option naming a measure's demand file (``minsheng.cli.access`` declares it with these).
DEMAND_FLAGS = ("--demand", "-d")
#: The ``minsheng access`` commands that read a demand file and start its parse early.
MEASURES = ("2sfca", "e2sfca", "coverage")


def demand_named(args: list[str]) -> str | None:
    """The demand file of ``access <measure> … --demand PATH``, else None.

    None as well when help is asked for: printing help must not load Arrow.
    """
    if len(args) < 3 or args[0] != "access" or args[1] not in MEASURES or "--help" in args:
        return None
    for flag, value in zip(args[2:], args[3:], strict=False):
        if flag in DEMAND_FLAGS:
            return value
    long = f"{DEMAND_FLAGS[0]}="
    return next((a.removeprefix(long) for a in args[2:] if a.startswith(long)), None)


def prepare_measure(demand: str | Path) -> None:
    """A measure's run set up: freed arrays kept for reuse (:mod:`minsheng.cli.memory`) and
    the demand file's parse started (:func:`.read_ahead.start_points`). Called here, before
    Typer loads, and again by the command itself (a no-op then), which tests and
    ``minsheng.cli.main.run`` reach without this entry."""
    from minsheng.cli.memory import keep_freed_memory
    from minsheng.ingest.spatial import read_ahead

    keep_freed_memory()
    read_ahead.start_points(demand)


def run() -> None:
    path = demand_named(sys.argv[1:])
    if path is not None:
        _no_cycle_collection()
        _one_blas_thread()
        prepare_measure(path)
    from minsheng.cli.main import run as run_command

    if path is None:
        run_command()
        return
    try:
        run_command()
    except SystemExit as done:
        if done.code not in (0, None):
            raise
    _leave_now()


def _no_cycle_collection() -> None:
    """A measure's run does without Python's cycle collector.

    Why: importing Typer, Click and the command's modules makes hundreds of thousands of
    objects, and the collector walked them again and again while the demand file was
    parsed: 23 ms of a 0.50 s run (median of 16 interleaved runs on a million points,
    0.501 → 0.478 s). The run itself makes few objects and ends right after writing its
    scores (:func:`_leave_now`), so no garbage is left to grow; reference counting still
    frees everything that is not a cycle. Every other command (the web server above all)
    keeps the collector.
    """
    import gc

    gc.disable()


def _one_blas_thread() -> None:
    """A measure's run keeps OpenBLAS to the calling thread (unless the user set it).

    Why: NumPy's OpenBLAS starts a thread per further core when NumPy is imported, and
    each spins for about a tenth of a second before it sleeps; on the 2-core machine that
    took a core from the demand file's parse. The measures make no BLAS call that threads
    would help (E2SFCA's Gaussian windows multiply small matrices). Ten interleaved runs
    on a million points: the run's CPU time 0.61 → 0.52 s, its end 488 → 477 ms (medians).
    Set before Arrow, and with it NumPy, is first imported; no other command is touched.
    """
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _leave_now() -> None:
    """End a measure's finished run without taking the interpreter apart.

    Why: after the scores are written, Python would free every array and object and
    unload NumPy, Arrow and Typer one module at a time: 50-100 ms of a 0.6 s run, which
    nobody waits for. The exit handlers still run (every library's, and the wait for
    any background parse) and the output streams are flushed; only the teardown is
    skipped. Not when the run opened the database (``coverage --store-as``): that run
    ends the ordinary way, closing its connections.
    """
    import atexit
    import os

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if "sqlalchemy" in sys.modules or run_exit_handlers is None:
        return
    run_exit_handlers()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away: the status Python gives a failed flush
        os._exit(120)
    os._exit(0)
