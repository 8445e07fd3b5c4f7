"""match season: seasons, quotas, rank order lists, match runs

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import painfellow.db.base

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "match_seasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rol_opens_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "certify_deadline", painfellow.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("release_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "certify_deadline > rol_opens_at", name=op.f("ck_match_seasons_deadline_after_opening")
        ),
        sa.CheckConstraint(
            "release_at > certify_deadline", name=op.f("ck_match_seasons_release_after_deadline")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_seasons")),
        sa.UniqueConstraint("year", name=op.f("uq_match_seasons_year")),
    )
    op.create_table(
        "match_quotas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.CheckConstraint("quota > 0", name=op.f("ck_match_quotas_quota_positive")),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_match_quotas_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["match_seasons.id"],
            name=op.f("fk_match_quotas_season_id_match_seasons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_quotas")),
        sa.UniqueConstraint(
            "season_id", "program_id", name=op.f("uq_match_quotas_season_id_program_id")
        ),
    )
    with op.batch_alter_table("match_quotas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_quotas_season_id"), ["season_id"], unique=False)

    op.create_table(
        "match_rank_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("applicant_user_id", sa.Integer(), nullable=True),
        sa.Column("certified_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("certified_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(program_id IS NULL) <> (applicant_user_id IS NULL)",
            name=op.f("ck_match_rank_lists_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["applicant_user_id"],
            ["users.id"],
            name=op.f("fk_match_rank_lists_applicant_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["certified_by_user_id"],
            ["users.id"],
            name=op.f("fk_match_rank_lists_certified_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_match_rank_lists_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["match_seasons.id"],
            name=op.f("fk_match_rank_lists_season_id_match_seasons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_rank_lists")),
        sa.UniqueConstraint(
            "season_id",
            "applicant_user_id",
            name=op.f("uq_match_rank_lists_season_id_applicant_user_id"),
        ),
        sa.UniqueConstraint(
            "season_id", "program_id", name=op.f("uq_match_rank_lists_season_id_program_id")
        ),
    )
    with op.batch_alter_table("match_rank_lists", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_rank_lists_season_id"), ["season_id"], unique=False
        )

    op.create_table(
        "match_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column(
            "snapshot",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("snapshot_sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "result",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "stats",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "violations",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("created_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("approved_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approved_by_user_id"],
            ["users.id"],
            name=op.f("fk_match_runs_approved_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_match_runs_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["match_seasons.id"],
            name=op.f("fk_match_runs_season_id_match_seasons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_runs")),
    )
    with op.batch_alter_table("match_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_runs_season_id"), ["season_id"], unique=False)

    op.create_table(
        "match_rank_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("ranked_program_id", sa.Integer(), nullable=True),
        sa.Column("ranked_applicant_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(ranked_program_id IS NULL) <> (ranked_applicant_id IS NULL)",
            name=op.f("ck_match_rank_entries_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["match_rank_lists.id"],
            name=op.f("fk_match_rank_entries_list_id_match_rank_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ranked_applicant_id"],
            ["users.id"],
            name=op.f("fk_match_rank_entries_ranked_applicant_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ranked_program_id"],
            ["programs.id"],
            name=op.f("fk_match_rank_entries_ranked_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_rank_entries")),
        sa.UniqueConstraint("list_id", "rank", name=op.f("uq_match_rank_entries_list_id_rank")),
        sa.UniqueConstraint(
            "list_id",
            "ranked_applicant_id",
            name=op.f("uq_match_rank_entries_list_id_ranked_applicant_id"),
        ),
        sa.UniqueConstraint(
            "list_id",
            "ranked_program_id",
            name=op.f("uq_match_rank_entries_list_id_ranked_program_id"),
        ),
    )
    with op.batch_alter_table("match_rank_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_rank_entries_list_id"), ["list_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("match_rank_entries")
    op.drop_table("match_runs")
    op.drop_table("match_rank_lists")
    op.drop_table("match_quotas")
    op.drop_table("match_seasons")
