"""Plans entered without a document: a plan's kind and its source.

A higher level's 2026–2030 targets typed from a table (kind ``targets_only``) or a
confirmed draft imported back from its workbook (kind ``draft``) have no document
to checksum; ``source`` records where their figures come from.

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("source", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("source")
        batch.drop_column("kind")
