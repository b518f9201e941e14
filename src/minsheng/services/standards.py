"""Basic public service standard lists (基本公共服务标准): store and read them."""

from __future__ import annotations

from minsheng.domain.standards import StandardList
from minsheng.store.database import Database
from minsheng.store.repositories import standards as standards_repo


def save_standard_list(db: Database, standard: StandardList) -> int:
    """Store a list with its items; the same name, version and region twice is a Conflict."""
    with db.session() as session:
        return standards_repo.add_standard_list(session, standard).id


def list_standard_lists(db: Database) -> list[tuple[int, StandardList]]:
    with db.session() as session:
        return standards_repo.standard_lists(session)


def get_standard_list(db: Database, list_id: int) -> StandardList:
    with db.session() as session:
        return standards_repo.standard_list(session, list_id)
