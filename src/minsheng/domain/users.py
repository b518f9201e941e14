"""Who may do what: roles of the people who use minsheng."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from minsheng.domain.regions import code_prefix


class Role(StrEnum):
    ADMIN = "admin"  # manages users and reference data
    ANALYST = "analyst"  # development and reform commission / statistics bureau
    REPORTER = "reporter"  # county official who enters data for their region
    EVALUATOR = "evaluator"  # third-party evaluator: reads everything, judges qualitative targets
    PUBLIC = "public"  # reads published results


@dataclass(frozen=True)
class Grant:
    """One role in one region (``region_code`` None: every region).

    An account holds one or more grants (an analyst of a province who also reports
    for one county holds two); every rule asks whether any grant allows the act.
    """

    role: Role
    region_code: str | None = None

    def covers(self, region_code: str) -> bool:
        if self.region_code is None:
            return True
        return region_code.startswith(code_prefix(self.region_code))

    def prefix(self) -> str:
        """The code prefix of the subtree the grant works in ("" everywhere)."""
        return "" if self.region_code is None else code_prefix(self.region_code)


@dataclass(frozen=True)
class Actor:
    """Who is acting, with every grant they hold (``username`` None: the system itself)."""

    username: str | None
    grants: tuple[Grant, ...]

    @property
    def is_system(self) -> bool:
        return self.username is None

    @property
    def name(self) -> str:
        return self.username or "system"

    def has(self, roles: Iterable[Role]) -> bool:
        wanted = set(roles)
        return any(g.role in wanted for g in self.grants)

    def may(self, roles: Iterable[Role], region_code: str) -> bool:
        wanted = set(roles)
        return any(g.role in wanted and g.covers(region_code) for g in self.grants)

    def prefixes(self, roles: Iterable[Role]) -> list[str]:
        """The subtrees (code prefixes) where a grant of ``roles`` works, none inside another."""
        wanted = set(roles)
        found = sorted({g.prefix() for g in self.grants if g.role in wanted})
        return [p for p in found if not any(p != q and p.startswith(q) for q in found)]
