"""Initial schema: every table of the data model.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=6), nullable=True),
        sa.Column("valid_from", sa.Integer(), nullable=True),
        sa.Column("valid_to", sa.Integer(), nullable=True),
        sa.Column("successor_code", sa.String(length=6), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
    )
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regions_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_regions_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_regions_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_regions_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "service_domains",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=50), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_service_domains")),
    )
    op.create_table(
        "service_tiers",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=50), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_service_tiers")),
    )
    op.create_table(
        "canonical_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("polarity", sa.String(length=16), nullable=False),
        sa.Column("domain_code", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("lower_bound", sa.Float(), nullable=True),
        sa.Column("upper_bound", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["domain_code"],
            ["service_domains.code"],
            name=op.f("fk_canonical_indicators_domain_code_service_domains"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canonical_indicators")),
        sa.UniqueConstraint("code", name=op.f("uq_canonical_indicators_code")),
    )
    with op.batch_alter_table("canonical_indicators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_canonical_indicators_name"), ["name"], unique=False)

    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("region_name", sa.String(length=100), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("period_start", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=True),
        sa.Column("document_number", sa.String(length=100), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("publish_date", sa.Date(), nullable=True),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.Column("checksum", sa.String(length=64), nullable=True),
        sa.Column("higher_plan_id", sa.Integer(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("outline", sa.JSON(), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["higher_plan_id"],
            ["plans.id"],
            name=op.f("fk_plans_higher_plan_id_plans"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_plans_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plans_checksum"), ["checksum"], unique=False)
        batch_op.create_index(batch_op.f("ix_plans_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plans_title"), ["title"], unique=False)

    op.create_table(
        "region_populations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("population", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["regions.id"],
            name=op.f("fk_region_populations_region_id_regions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_populations")),
        sa.UniqueConstraint(
            "region_id", "year", "source", name=op.f("uq_region_populations_region_id_year_source")
        ),
    )
    op.create_table(
        "standard_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_standard_lists_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard_lists")),
        sa.UniqueConstraint(
            "name", "version", "region_id", name=op.f("uq_standard_lists_name_version_region_id")
        ),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_users_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "indicator_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["canonical_indicators.id"],
            name=op.f("fk_indicator_aliases_indicator_id_canonical_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_aliases")),
        sa.UniqueConstraint(
            "indicator_id", "alias", name=op.f("uq_indicator_aliases_indicator_id_alias")
        ),
    )
    with op.batch_alter_table("indicator_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_aliases_alias"), ["alias"], unique=False)

    op.create_table(
        "key_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("domain_label", sa.String(length=200), nullable=True),
        sa.Column("domain_code", sa.String(length=32), nullable=True),
        sa.Column("box", sa.String(length=300), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("lead_unit", sa.String(length=300), nullable=True),
        sa.Column("investment", sa.Float(), nullable=True),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["domain_code"],
            ["service_domains.code"],
            name=op.f("fk_key_projects_domain_code_service_domains"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_key_projects_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_projects")),
    )
    with op.batch_alter_table("key_projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_key_projects_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("domain_label", sa.String(length=200), nullable=True),
        sa.Column("domain_code", sa.String(length=32), nullable=True),
        sa.Column("canonical_id", sa.Integer(), nullable=True),
        sa.Column("match_score", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("baseline_raw", sa.String(length=300), nullable=True),
        sa.Column("baseline", sa.JSON(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("target_raw", sa.String(length=300), nullable=True),
        sa.Column("target", sa.JSON(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("nature", sa.String(length=16), nullable=True),
        sa.Column("polarity", sa.String(length=16), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["canonical_id"],
            ["canonical_indicators.id"],
            name=op.f("fk_plan_indicators_canonical_id_canonical_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["domain_code"],
            ["service_domains.code"],
            name=op.f("fk_plan_indicators_domain_code_service_domains"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_indicators_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_indicators")),
    )
    with op.batch_alter_table("plan_indicators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_indicators_canonical_id"), ["canonical_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_indicators_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("domain_label", sa.String(length=200), nullable=False),
        sa.Column("domain_code", sa.String(length=32), nullable=True),
        sa.Column("content_and_goal", sa.Text(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("declared_count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["domain_code"],
            ["service_domains.code"],
            name=op.f("fk_plan_services_domain_code_service_domains"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_services_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_services")),
    )
    with op.batch_alter_table("plan_services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_services_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "standard_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("domain_label", sa.String(length=200), nullable=False),
        sa.Column("domain_code", sa.String(length=32), nullable=True),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("served", sa.Text(), nullable=True),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("standard", sa.Text(), nullable=True),
        sa.Column("spending_responsibility", sa.Text(), nullable=True),
        sa.Column("lead_department", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["domain_code"],
            ["service_domains.code"],
            name=op.f("fk_standard_items_domain_code_service_domains"),
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["standard_lists.id"],
            name=op.f("fk_standard_items_list_id_standard_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard_items")),
    )
    with op.batch_alter_table("standard_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_standard_items_list_id"), ["list_id"], unique=False)

    op.create_table(
        "evaluation_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_indicator_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("evaluation_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("rho", sa.Float(), nullable=True),
        sa.Column("expected", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(length=32), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("value_year", sa.Integer(), nullable=True),
        sa.Column("target_kind", sa.String(length=32), nullable=True),
        sa.Column("method", sa.String(length=64), nullable=True),
        sa.Column("inputs", sa.JSON(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_indicator_id"],
            ["plan_indicators.id"],
            name=op.f("fk_evaluation_records_plan_indicator_id_plan_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_evaluation_records_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_records")),
    )
    with op.batch_alter_table("evaluation_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_records_plan_indicator_id"),
            ["plan_indicator_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_evaluation_records_region_id"), ["region_id"], unique=False
        )

    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_indicator_id", sa.Integer(), nullable=True),
        sa.Column("canonical_id", sa.Integer(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("entered_by", sa.String(length=100), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(plan_indicator_id IS NULL) <> (canonical_id IS NULL)",
            name=op.f("ck_observations_one_indicator"),
        ),
        sa.ForeignKeyConstraint(
            ["canonical_id"],
            ["canonical_indicators.id"],
            name=op.f("fk_observations_canonical_id_canonical_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_indicator_id"],
            ["plan_indicators.id"],
            name=op.f("fk_observations_plan_indicator_id_plan_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_observations_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
        sa.UniqueConstraint(
            "canonical_id",
            "region_id",
            "year",
            "version",
            name=op.f("uq_observations_canonical_id_region_id_year_version"),
        ),
        sa.UniqueConstraint(
            "plan_indicator_id",
            "region_id",
            "year",
            "version",
            name=op.f("uq_observations_plan_indicator_id_region_id_year_version"),
        ),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observations_region_id"), ["region_id"], unique=False)

    op.create_table(
        "project_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["key_projects.id"],
            name=op.f("fk_project_progress_project_id_key_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_progress")),
        sa.UniqueConstraint("project_id", "year", name=op.f("uq_project_progress_project_id_year")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("project_progress")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observations_region_id"))

    op.drop_table("observations")
    with op.batch_alter_table("evaluation_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_records_region_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_records_plan_indicator_id"))

    op.drop_table("evaluation_records")
    with op.batch_alter_table("standard_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standard_items_list_id"))

    op.drop_table("standard_items")
    with op.batch_alter_table("plan_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_services_plan_id"))

    op.drop_table("plan_services")
    with op.batch_alter_table("plan_indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_indicators_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_indicators_canonical_id"))

    op.drop_table("plan_indicators")
    with op.batch_alter_table("key_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_projects_plan_id"))

    op.drop_table("key_projects")
    with op.batch_alter_table("indicator_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_aliases_alias"))

    op.drop_table("indicator_aliases")
    op.drop_table("users")
    op.drop_table("standard_lists")
    op.drop_table("region_populations")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_title"))
        batch_op.drop_index(batch_op.f("ix_plans_region_id"))
        batch_op.drop_index(batch_op.f("ix_plans_checksum"))

    op.drop_table("plans")
    with op.batch_alter_table("canonical_indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canonical_indicators_name"))

    op.drop_table("canonical_indicators")
    op.drop_table("service_tiers")
    op.drop_table("service_domains")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regions_parent_code"))
        batch_op.drop_index(batch_op.f("ix_regions_name"))
        batch_op.drop_index(batch_op.f("ix_regions_level"))
        batch_op.drop_index(batch_op.f("ix_regions_code"))

    op.drop_table("regions")
