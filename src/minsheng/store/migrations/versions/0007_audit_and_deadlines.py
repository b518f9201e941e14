"""The audit trail, the reporting cycle's due dates, and accounts with roles in several regions.

Values already keep every version (who and when); this adds where each version was
entered from, an ``audit_events`` table for every other write (accounts, plans,
mappings, due dates, publishing) with its before and after, and the due date of a
plan's values for each year, and ``user_grants``: further roles in regions an account
holds beside its own.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.add_column(sa.Column("entered_from", sa.String(length=200), nullable=True))
    # the audit trail reads the newest versions first
    op.create_index(op.f("ix_observations_entered_at"), "observations", ["entered_at"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.Column("origin", sa.String(length=200), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"])
    op.create_index(op.f("ix_audit_events_region_code"), "audit_events", ["region_code"])
    op.create_table(
        "reporting_deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            ondelete="CASCADE",
            name=op.f("fk_reporting_deadlines_plan_id_plans"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_deadlines")),
        sa.UniqueConstraint("plan_id", "year", name=op.f("uq_reporting_deadlines_plan_id_year")),
    )

    op.create_table(
        "user_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("granted_by", sa.String(length=100), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            ondelete="CASCADE",
            name=op.f("fk_user_grants_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_user_grants_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_grants")),
        sa.UniqueConstraint(
            "user_id", "role", "region_id", name=op.f("uq_user_grants_user_id_role_region_id")
        ),
    )
    op.create_index(op.f("ix_user_grants_user_id"), "user_grants", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_user_grants_user_id"), table_name="user_grants")
    op.drop_table("user_grants")
    op.drop_table("reporting_deadlines")
    op.drop_index(op.f("ix_audit_events_region_code"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index(op.f("ix_observations_entered_at"), table_name="observations")
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("entered_from")
