"""One error hierarchy for the whole product.

Faces (CLI, web) turn these into one line or one JSON shape; library code raises
them and never prints. ``status`` follows HTTP so the web layer maps them in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

#: Characters of one message a user is shown. Messages quote the cell they refuse, and a
#: cell can be a 100 KB run of digits: quoted whole, one refusal filled the terminal.
MESSAGE_CHARS = 500


def clipped(text: str | None) -> str | None:
    """``text`` cut to :data:`MESSAGE_CHARS`, saying how much was left out.

    A message a little over the bound is kept whole, so a clipped message quoted in
    another (a refusal wrapped with its file's name) is not cut again, miscounting.
    """
    if text is None or len(text) <= MESSAGE_CHARS + 60:
        return text
    return f"{text[:MESSAGE_CHARS]}… [+{len(text) - MESSAGE_CHARS:,} characters]"


class MinshengError(Exception):
    """Base of every error a user can cause and read about."""

    status = 400

    def __init__(self, message: str, *, message_zh: str | None = None) -> None:
        message = clipped(message) or ""
        super().__init__(message)
        self.message = message  # English: the CLI's line and the API's ``message``
        self.message_zh = clipped(message_zh)  # the same in Chinese for pages, where given


class NotFound(MinshengError):
    status = 404


class Conflict(MinshengError):
    status = 409


class PermissionDenied(MinshengError):
    status = 403


class Unavailable(MinshengError):
    """The store cannot take the write now (locked by another writer, disk full); nothing was written."""

    status = 503


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one row (1-based, as a spreadsheet shows it) of an input."""

    row: int | None
    field: str | None
    message: str  # English: the CLI's line and the API's ``message``
    severity: str = "error"  # "error" refuses the input, "warning" lets it through
    message_zh: str | None = None  # the same in Chinese, for pages (and the API's ``message_zh``)
    #: the workbook sheet the row is on (None for a CSV file or a form). The messages name
    #: it already; kept apart so a workbook's problems sort by sheet, then row
    sheet: str | None = None

    def __post_init__(self) -> None:  # a quoted cell may be any length; a message is not
        object.__setattr__(self, "message", clipped(self.message) or "")
        object.__setattr__(self, "message_zh", clipped(self.message_zh))

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(self.field)
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass
class ValidationReport:
    """Problems found while validating an input; errors refuse the whole input."""

    problems: list[Problem] = field(default_factory=list)

    def error(
        self,
        row: int | None,
        field_name: str | None,
        message: str,
        *,
        zh: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.problems.append(Problem(row, field_name, message, "error", zh, sheet))

    def warn(
        self,
        row: int | None,
        field_name: str | None,
        message: str,
        *,
        zh: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.problems.append(Problem(row, field_name, message, "warning", zh, sheet))

    def in_reading_order(self, sheets: Sequence[str | None]) -> None:
        """Sort the problems as a reader goes through the input: by sheet, in ``sheets``'
        order (the workbook's, as its rows were read; repeats allowed), then by row.

        Checks that compare rows (repeats, shares, jumps) find their problems after the
        row-by-row checks; listed as found, a workbook's sheets interleaved. The sort is
        stable: one row's problems keep the order found, a problem of no row leads its
        sheet, a sheet not in ``sheets`` comes last. A CSV file or a form (no sheet) sorts
        by row.
        """
        order = {name: i for i, name in enumerate(dict.fromkeys(sheets))}
        self.problems.sort(key=lambda p: (order.get(p.sheet, len(order)), p.row or 0))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


class InvalidData(MinshengError):
    """Input that cannot be accepted; carries the row-numbered problems."""

    status = 422

    def __init__(
        self, message: str, problems: list[Problem] | None = None, *, message_zh: str | None = None
    ) -> None:
        super().__init__(message, message_zh=message_zh)
        self.problems = list(problems or [])

    @classmethod
    def from_report(
        cls, what: str, report: ValidationReport, *, what_zh: str | None = None
    ) -> InvalidData:
        """``what_zh`` names the input in Chinese (default: ``what``, e.g. a file name)."""
        n = len(report.errors)
        return cls(
            f"{what}: {n} error{'s' if n != 1 else ''}; nothing was imported",
            report.problems,
            message_zh=f"{what_zh or what}：{n} 处错误，未导入任何数据",
        )


class NotAuthenticated(MinshengError):
    """No credentials, or credentials that do not hold (a wrong password, an expired token)."""

    status = 401


class TooManyAttempts(MinshengError):
    """Too many failed logins for an account or from an address; try again later."""

    status = 429
