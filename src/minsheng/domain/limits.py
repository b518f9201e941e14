"""How much of one input minsheng agrees to read: the bounds that keep every reader's cost linear.

One upload from a careless or hostile user must not stall a server, so every
reader checks its input against these bounds before (or while) it parses and
refuses with one line that names the bound and the setting that raises it.
The values are configured once at start from :class:`minsheng.settings.Settings`
(``MINSHENG_MAX_*``); readers ask :func:`current`.
"""

from __future__ import annotations

from dataclasses import dataclass

from minsheng.domain.errors import InvalidData


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024  # MINSHENG_MAX_FILE_MB
    max_line_chars: int = 1_000_000  # MINSHENG_MAX_LINE_CHARS
    max_cells: int = 5_000_000  # MINSHENG_MAX_CELLS (observation files, tables)
    max_nesting: int = 200  # MINSHENG_MAX_NESTING (HTML elements, JSON containers)
    max_columns: int = 1000  # MINSHENG_MAX_COLUMNS (columns of one table row)

    def check_size(self, size: int, name: str) -> None:
        """Refuse a file larger than ``max_file_bytes`` before reading it."""
        if size > self.max_file_bytes:
            raise InvalidData(
                f"{name}: {size / 1e6:.1f} MB is more than the {self.max_file_bytes / 1e6:.0f} MB "
                "minsheng reads (MINSHENG_MAX_FILE_MB)"
            )

    def check_lines(self, text: str, name: str) -> None:
        """Refuse text with a line longer than ``max_line_chars`` (one pass, no copies)."""
        if len(text) <= self.max_line_chars:
            return
        start = 0
        while True:
            end = text.find("\n", start)
            stop = len(text) if end < 0 else end
            if stop - start > self.max_line_chars:
                raise InvalidData(
                    f"{name}: a line of {stop - start:,} characters is longer than the "
                    f"{self.max_line_chars:,} minsheng reads (MINSHENG_MAX_LINE_CHARS)"
                )
            if end < 0:
                return
            start = end + 1

    def check_cells(self, cells: int, name: str) -> None:
        if cells > self.max_cells:
            raise InvalidData(f"{name}: more than {self.max_cells:,} cells (MINSHENG_MAX_CELLS)")

    def check_columns(self, columns: int, name: str, row: int) -> None:
        if columns > self.max_columns:
            raise InvalidData(
                f"{name}: row {row} has {columns:,} columns, more than the {self.max_columns:,} "
                "minsheng reads (MINSHENG_MAX_COLUMNS)"
            )

    def nesting_error(self, name: str) -> InvalidData:
        return InvalidData(
            f"{name}: nested more than {self.max_nesting} levels deep (MINSHENG_MAX_NESTING)"
        )


_current = Limits()


def current() -> Limits:
    """The limits in force (the defaults until a face configures them from its settings)."""
    return _current


def configure(limits: Limits) -> None:
    """Set the limits once at start (the CLI and the web app do, from Settings)."""
    global _current
    _current = limits
