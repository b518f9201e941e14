"""Every indicator table of a document: under their headers, and runs of numbered rows
whose page lost its header; rows numbered through the document where no 序号 says."""

from __future__ import annotations

from minsheng.ingest.documents.headerless import find_headerless
from minsheng.ingest.documents.table_lines import find_headers, names_a_column
from minsheng.ingest.documents.table_rows import IndicatorTable
from minsheng.ingest.documents.tables import TableReader


def read_indicator_tables(
    lines: list[str], joined: frozenset[int] | set[int] = frozenset()
) -> list[IndicatorTable]:
    """Every indicator table of a document, in order, rows numbered through when no 序号 column.

    ``joined`` are lines emptied because their text was joined into a line above
    (see :mod:`minsheng.ingest.documents.vertical`): passed over, never a table's end."""
    tables: list[IndicatorTable] = []
    skip_until = -1
    for index, header in find_headers(lines):
        if index < skip_until:
            continue
        pipe = "|" in lines[index]
        table = TableReader(lines, index, header, pipe, joined).read()
        if index > 0 and index - 1 >= skip_until and names_a_column(lines[index - 1]):
            table.header_line = index  # the first of a two-row header (merged cells)
        skip_until = table.end_line
        tables.append(table)
    covered = {k for t in tables for k in range(t.header_line - 1, t.end_line)}
    for index, header in find_headerless(lines, covered, joined):
        table = TableReader(lines, index, header, "|" in lines[index], joined, True).read()
        table.warnings.append(
            f"line {index + 1}: rows of a table whose header is missing (the page starts "
            "mid-table): columns read from the rows' shape"
        )
        tables.append(table)
    tables.sort(key=lambda t: t.header_line)
    for table in tables:
        given = [row.seq for row in table.rows if row.seq is not None]
        if len(set(given)) < len(given):
            table.warnings.append(
                f"line {table.header_line}: 序号 restarts within the table (per category); "
                "seq keeps the table's numbering, so it does not name a row on its own"
            )
    counter = 0
    for table in tables:
        for row in table.rows:
            counter += 1
            if row.seq is None:
                row.seq = counter
    return tables
