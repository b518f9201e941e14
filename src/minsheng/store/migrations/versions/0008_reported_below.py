"""Which of a plan's indicators the regions below the plan's own region report.

A national or provincial plan holds indicators only its own level reports (national
totals, provincial programmes); the reporting cycle must not expect them of every
county. ``plan_indicators.reported_below`` records, per row, what whoever sets the
plan's due dates said: true (the regions below report it), false (only the plan's own
region does), NULL (nobody has said yet — the dashboard shows "not set", never a guess).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan_indicators") as batch:
        batch.add_column(sa.Column("reported_below", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_indicators") as batch:
        batch.drop_column("reported_below")
