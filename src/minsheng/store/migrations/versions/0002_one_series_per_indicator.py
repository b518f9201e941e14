"""One series per (indicator, region, year): the move audit table, derived measures, the data move.

Values entered under a plan indicator that was already mapped to a canonical
indicator move into the canonical series (audited in ``series_moves``); where
the canonical series holds a different value for the same region and year,
nothing moves and the conflict is recorded. Canonical indicators gain
``derived_measure``: only an indicator marked so receives values minsheng computes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "series_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_indicator_id", sa.Integer(), nullable=True),
        sa.Column("plan_indicator_name", sa.String(length=300), nullable=False),
        sa.Column("canonical_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("versions", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("canonical_value", sa.Float(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("moved_by", sa.String(length=100), nullable=True),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["canonical_id"],
            ["canonical_indicators.id"],
            name=op.f("fk_series_moves_canonical_id_canonical_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_indicator_id"],
            ["plan_indicators.id"],
            name=op.f("fk_series_moves_plan_indicator_id_plan_indicators"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_series_moves_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series_moves")),
    )
    with op.batch_alter_table("series_moves", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_series_moves_plan_indicator_id"), ["plan_indicator_id"], unique=False
        )
    with op.batch_alter_table("canonical_indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("derived_measure", sa.String(length=32), nullable=True))

    # the data: plan series of indicators mapped before one series per indicator was the rule
    from minsheng.store.repositories.series_moves import move_every_mapped_series

    move_every_mapped_series(op.get_bind(), moved_by="migration 0002")


def downgrade() -> None:
    # moved values stay in the canonical series (the audit rows go with the table)
    with op.batch_alter_table("canonical_indicators", schema=None) as batch_op:
        batch_op.drop_column("derived_measure")
    with op.batch_alter_table("series_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_series_moves_plan_indicator_id"))
    op.drop_table("series_moves")
