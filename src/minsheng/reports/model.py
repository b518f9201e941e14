"""The report as data: sections of paragraphs, tables, figures and notes.

Built once (:mod:`minsheng.reports.build`) and rendered to .docx, HTML, PDF and
.xlsx by renderers that only lay it out, so the four files always say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class Paragraph:
    """Running text. ``numbers`` are the figures it states, each taken from the evaluation.

    ``placeholder`` marks a place left for the analyst's own words (never generated).
    """

    text: str
    numbers: dict[str, float] = field(default_factory=dict)
    placeholder: bool = False
    about: str | None = None  # the indicator a sentence is about (its evaluation row)


@dataclass
class BulletList:
    """Listed facts, each a paragraph with the numbers it states."""

    items: list[Paragraph]


@dataclass
class Column:
    title: str
    kind: Literal["text", "number", "percent", "status", "year"] = "text"
    digits: int = 2  # decimals shown for numbers
    unit_column: bool = False
    nowrap: bool = False  # a short word (unit, nature, yes/no) that should not break
    width: int | None = None  # share of the page width in percent; columns without share the rest


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[list[Any]]  # cells: text, numbers or None
    status_keys: list[str | None] = field(
        default_factory=list
    )  # per row, the verdict code (status or grade)
    key: str = ""  # a stable name (e.g. "indicators") a renderer may look for
    note: str | None = None


@dataclass
class Series:
    label: str
    x: list[int]
    y: list[float | None]
    style: Literal["solid", "dashed", "dotted"] = "solid"


@dataclass
class Figure:
    """A chart as data; :mod:`minsheng.reports.charts` draws it."""

    caption: str
    chart: Literal["stacked_bar", "line"]
    categories: list[str] = field(default_factory=list)  # stacked_bar: one bar each
    stacks: dict[str, list[int]] = field(default_factory=dict)  # stacked_bar: status → counts
    series: list[Series] = field(default_factory=list)  # line
    y_label: str = ""
    key: str = ""


@dataclass
class Note:
    text: str


Block = Paragraph | BulletList | Table | Figure | Note


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    key: str = ""


@dataclass
class Report:
    title: str
    subtitle: str
    #: the cover's line of who made the report, in phrases joined by "；": each phrase is kept
    #: whole on a line (the narrow cover broke 仅依据已发布数据 after 已发)
    made_by: tuple[str, ...]
    made_on: str
    sections: list[Section]
    records: Table  # the calculation record of every indicator (the .xlsx's second sheet)
    notice: str | None = None  # e.g. "contains synthetic demo data"
    #: the end of ``title`` kept whole on the cover (the report's kind: a narrow cover
    #: broke …总结评/估报告); the plan's title before it wraps where it must
    title_tail: str = ""

    def title_lines(self) -> tuple[str, str]:
        """The title as (the plan's name, the part kept whole); the second empty when
        ``title_tail`` does not end the title."""
        tail = self.title_tail if self.title.endswith(self.title_tail) else ""
        return self.title[: len(self.title) - len(tail)], tail

    def walk(self) -> list[tuple[int, Section]]:
        """Every section with its depth (1 = chapter), in reading order."""
        out: list[tuple[int, Section]] = []

        def visit(section: Section, depth: int) -> None:
            out.append((depth, section))
            for sub in section.subsections:
                visit(sub, depth + 1)

        for section in self.sections:
            visit(section, 1)
        return out

    def tables(self, key: str | None = None) -> list[Table]:
        return [
            b
            for _, s in self.walk()
            for b in s.blocks
            if isinstance(b, Table) and (key is None or b.key == key)
        ]

    def figures(self) -> list[Figure]:
        return [b for _, s in self.walk() for b in s.blocks if isinstance(b, Figure)]
