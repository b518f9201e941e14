"""Standard lists as versioned data: date, source, reason, author of each version; item
category and source; remembered confirmations of fuzzy matches.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("standard_lists") as batch:
        batch.add_column(sa.Column("issued_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("source", sa.Text(), nullable=True))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("author", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("plan_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("standard_items") as batch:
        batch.add_column(sa.Column("category", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("source", sa.Text(), nullable=True))
    op.create_table(
        "standard_match_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("local_item", sa.Text(), nullable=False),
        sa.Column("reference_item", sa.Text(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=100), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard_match_confirmations")),
        sa.UniqueConstraint(
            "local_item",
            "reference_item",
            name=op.f("uq_standard_match_confirmations_local_item_reference_item"),
        ),
    )


def downgrade() -> None:
    op.drop_table("standard_match_confirmations")
    with op.batch_alter_table("standard_items") as batch:
        batch.drop_column("source")
        batch.drop_column("category")
    with op.batch_alter_table("standard_lists") as batch:
        for column in ("plan_id", "created_at", "author", "reason", "source", "issued_on"):
            batch.drop_column(column)
