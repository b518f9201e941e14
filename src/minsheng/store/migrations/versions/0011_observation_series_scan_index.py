"""A covering index for the bulk scan of observations.

Evaluating a whole country reads every version of a plan's series: ids, region,
year, version, value, unit and the three flags. From the table itself SQLite must
walk each wide row (source, note, timestamps) to reach them; from an index holding
just those columns, in series order, it reads a fifth less and seeks each series
directly. The cost is one more index to maintain on insert, which observations —
appended in batches, never updated — can afford.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as the model has them (store/models/observations.py); written out, since a migration
# must keep creating what it created when the model changes later
COLUMNS = [
    "plan_indicator_id", "canonical_id", "region_id", "year", "version",
    "value", "unit", "synthetic", "status", "bound",
]  # fmt: skip


def upgrade() -> None:
    op.create_index("ix_observations_series_scan", "observations", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_observations_series_scan", table_name="observations")
