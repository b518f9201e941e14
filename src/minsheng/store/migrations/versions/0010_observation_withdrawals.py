"""Withdrawn values: a version of an observation may withdraw it.

A value stored under the wrong region, indicator or year is taken back by a new
version with ``withdrawn`` set (who, when and why on record like a correction);
from that version on the key has no current value until one is entered again.
Every version stored before this revision is an ordinary one. A partial index
holds only the withdrawals, which every scan of the observations asks for.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.add_column(
            sa.Column("withdrawn", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_index(
        "ix_observations_withdrawn",
        "observations",
        ["canonical_id", "plan_indicator_id"],
        sqlite_where=sa.text("withdrawn = 1"),
        postgresql_where=sa.text("withdrawn"),
    )


def downgrade() -> None:
    op.drop_index("ix_observations_withdrawn", table_name="observations")
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("withdrawn")
