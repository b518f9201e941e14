"""Who may do what: roles of the people who use minsheng."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # manages users and reference data
    ANALYST = "analyst"  # development and reform commission / statistics bureau
    REPORTER = "reporter"  # county official who enters data for their region
    EVALUATOR = "evaluator"  # third-party evaluator: reads everything, judges qualitative targets
    PUBLIC = "public"  # reads published results
