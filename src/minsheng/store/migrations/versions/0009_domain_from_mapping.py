"""Where a plan indicator's service domain came from.

A row the plan files under no domain takes the domain of the catalogue entry a person
maps it to; undoing that mapping must take the domain away again, but never a domain
the plan document gave. ``plan_indicators.domain_from`` says which: NULL the plan's own
(and every row stored before this revision), ``"mapping"`` the entry the row is mapped to
(matched when the document was read, or confirmed by a person).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan_indicators") as batch:
        batch.add_column(sa.Column("domain_from", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_indicators") as batch:
        batch.drop_column("domain_from")
