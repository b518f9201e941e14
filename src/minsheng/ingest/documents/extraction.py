"""What reading one document produced: the plan, and an honest account of what was not read."""

from __future__ import annotations

from dataclasses import dataclass, field

from minsheng.domain.plans import Plan

#: An extraction whose confidence is below this is stored as "needs review".
REVIEW_THRESHOLD = 0.5
#: Exit status of ``minsheng ingest`` when it read every document but one needs review.
EXIT_NEEDS_REVIEW = 3
#: How a stored plan's warnings say it needs review (plans keep their warnings).
NEEDS_REVIEW = "needs review"


@dataclass(frozen=True)
class UnparsedLine:
    """A line that looked like a table row but could not be read (1-based line number)."""

    line: int
    text: str
    reason: str = ""

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"line": self.line, "text": self.text}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class FieldSource:
    """Where a metadata field was read: its line (1-based; None when inferred), that line as
    written, how sure the reading is (0–1) and how it was found."""

    line: int | None
    text: str
    confidence: float
    how: str

    def to_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "text": self.text,
            "confidence": round(self.confidence, 3),
            "how": self.how,
        }


@dataclass(frozen=True)
class Removal:
    """Text the cleaner took out of the document, and why (website chrome, injected spam)."""

    line: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "text": self.text, "reason": self.reason}


@dataclass
class Match:
    """A plan indicator's best canonical indicator (score 0–1); ``code`` is None below the threshold."""

    name: str
    code: str | None
    score: float
    candidates: list[tuple[str, str, float]] = field(default_factory=list)  # (code, name, score)

    @property
    def matched(self) -> bool:
        return self.code is not None


@dataclass
class Extraction:
    """A plan read from one document, with warnings, unread lines, removals and a confidence."""

    document: str
    plan: Plan
    warnings: list[str] = field(default_factory=list)
    unparsed_lines: list[UnparsedLine] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    confidence: float = 0.0
    matches: list[Match] = field(default_factory=list)
    metadata_sources: dict[str, FieldSource] = field(default_factory=dict)
    review_reasons: list[str] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)  # line of each indicator row (1-based)

    def to_json_dict(self) -> dict[str, object]:
        """The ``minsheng ingest --json`` object (see :mod:`minsheng.ingest.documents.plan_json`)."""
        from minsheng.ingest.documents.plan_json import extraction_to_dict

        return extraction_to_dict(self)

    @property
    def needs_review(self) -> bool:
        """A person should check this extraction before it is used (see ``review_reasons``)."""
        return bool(self.review_reasons)

    @property
    def unmatched(self) -> list[Match]:
        return [m for m in self.matches if not m.matched]
