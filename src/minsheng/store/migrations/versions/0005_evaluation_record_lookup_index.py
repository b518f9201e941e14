"""Evaluation records: an index for reading one plan indicator's results by region and year.

The web app answers pages from stored results; without this index a read of one
region's results scans every region's records of each indicator.

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_evaluation_records_lookup",
        "evaluation_records",
        ["plan_indicator_id", "region_id", "evaluation_year"],
    )


def downgrade() -> None:
    op.drop_index("ix_evaluation_records_lookup", table_name="evaluation_records")
