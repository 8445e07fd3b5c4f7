"""training additions: rotation shift hours, duty-hour calendars, case-log favourites,
who entered a schedule request

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import painfellow.db.base

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty_hour_calendars",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("year_start_month", sa.Integer(), nullable=False),
        sa.Column("year_start_day", sa.Integer(), nullable=False),
        sa.Column("period_anchor", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "year_start_day BETWEEN 1 AND 28", name=op.f("ck_duty_hour_calendars_day_range")
        ),
        sa.CheckConstraint(
            "year_start_month BETWEEN 1 AND 12", name=op.f("ck_duty_hour_calendars_month_range")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_duty_hour_calendars_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_duty_hour_calendars")),
    )
    op.create_table(
        "case_log_favourites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("fellow_user_id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.String(length=60), nullable=False),
        sa.Column("created_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["fellow_user_id"],
            ["users.id"],
            name=op.f("fk_case_log_favourites_fellow_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_case_log_favourites_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_log_favourites")),
        sa.UniqueConstraint(
            "program_id",
            "fellow_user_id",
            "procedure_id",
            name=op.f("uq_case_log_favourites_program_id_fellow_user_id_procedure_id"),
        ),
    )
    with op.batch_alter_table("schedule_rotations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shift_start", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("shift_end", sa.Time(), nullable=True))
        batch_op.add_column(
            sa.Column("shift_weekdays", sa.String(length=7), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("shift_kind", sa.String(length=30), nullable=False, server_default="in_house")
        )
    with op.batch_alter_table("schedule_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_schedule_requests_created_by_user_id_users"),
            "users",
            ["created_by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("schedule_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_schedule_requests_created_by_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("created_by_user_id")
    with op.batch_alter_table("schedule_rotations", schema=None) as batch_op:
        batch_op.drop_column("shift_kind")
        batch_op.drop_column("shift_weekdays")
        batch_op.drop_column("shift_start")
        batch_op.drop_column("shift_end")
    op.drop_table("case_log_favourites")
    op.drop_table("duty_hour_calendars")
