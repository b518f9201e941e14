"""Key projects' yearly progress (a plan's 专栏 projects, as monitored)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.store.models import KeyProjectRow, ProjectProgressRow


def record_project_progress(
    session: Session, project_id: int, year: int, percent: float | None, note: str | None
) -> None:
    """Set a key project's progress for one year (one row per project and year)."""
    project = session.get(KeyProjectRow, project_id)
    if project is None:
        raise NotFound(f"no key project with id {project_id}")
    if percent is not None and not 0 <= percent <= 100:
        raise InvalidData(f"progress must be between 0 and 100 %, not {percent}")
    row = next((p for p in project.progress if p.year == year), None)
    if row is None:
        row = ProjectProgressRow(year=year)
        project.progress.append(row)
    row.percent, row.note = percent, note
    session.flush()


def project_progress(
    session: Session, plan_id: int
) -> list[tuple[int, str, int, float | None, str | None]]:
    """(project id, project name, year, percent, note) of a plan's key projects."""
    stmt = (
        select(
            KeyProjectRow.id,
            KeyProjectRow.name,
            ProjectProgressRow.year,
            ProjectProgressRow.percent,
            ProjectProgressRow.note,
        )
        .join(ProjectProgressRow, ProjectProgressRow.project_id == KeyProjectRow.id)
        .where(KeyProjectRow.plan_id == plan_id)
        .order_by(KeyProjectRow.position, ProjectProgressRow.year)
    )
    return [tuple(r) for r in session.execute(stmt).all()]  # type: ignore[misc]
