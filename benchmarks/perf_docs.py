"""Keep docs/performance.md current: each benchmark writes its own section between markers.

A section is replaced whole (``<!-- bench:NAME -->`` … ``<!-- /bench:NAME -->``), so a figure
in the docs is always the last one a benchmark printed, with its date and machine.
"""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
README = Path(__file__).resolve().parents[1] / "README.md"


def machine_line() -> str:
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    return f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def load_line() -> str:
    """The machine's load (it is shared): figures are read beside it."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min)"


def write_section(name: str, body: str, doc: Path = DOC) -> None:
    """Replace (or append) the section ``name`` of ``doc`` (docs/performance.md, or README)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _: block, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + block + "\n"
    )
    doc.write_text(text, encoding="utf-8")
    print(f"wrote section {name!r} of {doc}")
