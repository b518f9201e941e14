"""Observation bounds ('>95' kept with its sign) and plan versions.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """A value reported only as a bound keeps its comparator; a plan keeps its version and
    how sure the region reading is (a region that could not be read stays NULL)."""
    with op.batch_alter_table("observations") as batch:
        batch.add_column(sa.Column("bound", sa.String(length=2), nullable=True))
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("region_confidence", sa.Float(), nullable=True))
        batch.add_column(sa.Column("history", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("history")
        batch.drop_column("region_confidence")
        batch.drop_column("version")
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("bound")
