"""A public service plan as read from its document and kept in the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from minsheng.domain.indicators import PlanIndicator
from minsheng.domain.regions import Level


@dataclass
class ServiceListEntry:
    """One domain's part of a basic public service list (fields of the gold services files)."""

    domain: str
    items: list[str]
    content_and_goal: str | None = None
    declared_count: int | None = None

    @property
    def count_matches(self) -> bool | None:
        return None if self.declared_count is None else self.declared_count == len(self.items)


@dataclass
class KeyProject:
    """A numbered item of a key project box (专栏 …重点工程)."""

    name: str
    domain: str | None = None
    box: str | None = None
    description: str | None = None
    lead_unit: str | None = None
    investment: float | None = None  # 10k yuan (万元)
    start_year: int | None = None
    end_year: int | None = None
    status: str | None = None


@dataclass
class OutlineNode:
    """A heading of the document: 第一章, 第一节, 一、, （一）, 1., 专栏N."""

    level: int
    title: str
    line: int
    kind: str
    children: list[OutlineNode] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "kind": self.kind,
            "title": self.title,
            "line": self.line,
            "children": [c.to_dict() for c in self.children],
        }


@dataclass
class PlanMetadata:
    title: str | None = None
    issuer: str | None = None
    document_number: str | None = None
    issue_date: date | None = None
    publish_date: date | None = None
    region_name: str | None = None
    region_code: str | None = None
    level: Level | None = None
    period_start: int | None = None
    period_end: int | None = None
    #: how sure the reading of the region is (0: unknown, region_code None)
    region_confidence: float | None = None

    def label(self, source_file: str | None, region_name: str | None = None) -> str:
        """The title, or for a document that states none a label that says so.

        Why: a plan must be listed and chosen by a name, but a title the text does not
        give must not be invented (nor a file name passed off as one): the label is
        built from what is known -- the region, the period, the file -- and marked as
        no title (``四川省2021–2025年规划（原文无标题：plan.txt）``). ``region_name``: the
        stored region's, when the text did not name it.
        """
        if self.title:
            return self.title
        region = self.region_name or region_name or "地区未明"
        years = (
            f"{self.period_start}–{self.period_end}年"
            if self.period_start and self.period_end
            else ""
        )
        return f"{region}{years}规划（原文无标题：{source_file or '来源未记'}）"


@dataclass
class Plan:
    """A region's plan for one period, with what was extracted from its document."""

    metadata: PlanMetadata
    indicators: list[PlanIndicator] = field(default_factory=list)
    services: list[ServiceListEntry] = field(default_factory=list)
    projects: list[KeyProject] = field(default_factory=list)
    outline: list[OutlineNode] = field(default_factory=list)
    baseline_year: int | None = None
    target_year: int | None = None
    source_file: str | None = None
    checksum: str | None = None
    higher_plan_id: int | None = None
    warnings: list[str] = field(default_factory=list)
    version: int = 1  # the same document stored again becomes the next version
    #: None for a plan read from its document; PlanKind values for plans entered without one
    kind: str | None = None
    source: str | None = None  # where the figures of a plan without a document come from

    def monitored_years(self, until: int) -> list[int]:
        """The plan period's years up to ``until``: the years monitoring reports on.

        The period's first year, else the year after the baseline (2021 when the plan
        states neither), to its last year (else the target year). The baseline year is
        the plan's stated starting point, not a monitored value: the quality page's header
        and its outlier screen both read this one range, so they cannot disagree.
        """
        meta = self.metadata
        start = meta.period_start or (self.baseline_year + 1 if self.baseline_year else 2021)
        end = meta.period_end or self.target_year or start
        return list(range(start, max(start, min(end, until)) + 1))


class PlanKind:
    """Plans that have no document of their own."""

    TARGETS_ONLY = "targets_only"  # a higher level's targets entered from a table (partial plan)
    DRAFT = "draft"  # a drafted successor plan, confirmed by an analyst
