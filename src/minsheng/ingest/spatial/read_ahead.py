"""Parse a file in the background while the process still has modules to import.

Why: ``minsheng access`` on a million points is a half-second run, a tenth of it
importing the kernels. Arrow parses in its own threads with the GIL released, so the
command starts the parse first (:func:`start`) and the reader takes the result
(:func:`take`). A parse is taken once, and only while the file is unchanged (path,
modification time, size); anything odd in the background (an unreadable file, a parse
error) leaves it to the reader to read the file again and say what is wrong.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

_AHEAD: dict[str, tuple[tuple[int, int], threading.Thread, list[Any]]] = {}


def _file_key(path: Path) -> tuple[str, tuple[int, int]]:
    st = path.stat()
    return str(path.resolve()), (st.st_mtime_ns, st.st_size)


def start(path: Path, parse: Callable[[Path], Any]) -> None:
    """Run ``parse(path)`` in a thread of its own; a file that cannot be stated is left.

    A parse of this very file already under way is kept (the console entry starts one
    before the command does, :mod:`minsheng.cli.launch`).
    """
    try:
        if not path.is_file():
            return
        name, stamp = _file_key(path)
    except OSError:
        return
    if name in _AHEAD:
        if _AHEAD[name][0] == stamp:
            return
        forget(path)
    box: list[Any] = []

    def run() -> None:
        # anything raised here is raised again, with its message, when the reader reads
        with contextlib.suppress(Exception):
            box.append(parse(path))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    _AHEAD[name] = (stamp, worker, box)


def start_points(path: str | Path) -> None:
    """Start parsing a points file for :func:`~minsheng.ingest.spatial.facilities.read_points`.

    Meant to be called before anything heavy is imported. The parser's modules (Arrow, and
    NumPy with it) are imported here, in the calling thread: importing holds the
    interpreter lock, so a thread importing them beside a main thread importing its own
    would only take turns with it, and begin parsing late. Imported first, the parse
    starts at once and runs in Arrow's threads while the command loads its modules.
    Only CSV is parsed ahead; other files yield nothing.
    """
    from minsheng.ingest.spatial.point_files import parse_ahead, parser_modules

    parser_modules()
    start(Path(path), parse_ahead)


def take(path: Path) -> list[Any]:
    """``[result]`` of the parse started for this very file, else ``[]`` (none, or stale)."""
    try:
        name, stamp = _file_key(path)
    except OSError:
        return []
    ahead = _AHEAD.pop(name, None)
    if ahead is None:
        return []
    ahead[1].join()
    return ahead[2] if ahead[0] == stamp else []


def forget(path: str | Path) -> None:
    """Drop a parse nobody took (a run refused before it read its input)."""
    with contextlib.suppress(OSError):
        ahead = _AHEAD.pop(str(Path(path).resolve()), None)
        if ahead is not None:
            ahead[1].join()


def _forget_all() -> None:
    """Wait for every parse nobody took: Arrow's threads are not cut off as the process ends."""
    for name in list(_AHEAD):
        forget(name)


# a process that leaves early (an argument refused) waits for its parses to end
atexit.register(_forget_all)


def pending(path: str | Path) -> bool:
    """Whether a parse of ``path`` waits to be taken."""
    return str(Path(path).resolve()) in _AHEAD
