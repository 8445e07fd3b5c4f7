"""program favourites

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import painfellow.db.base

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "program_favourites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_user_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("created_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_user_id"],
            ["users.id"],
            name=op.f("fk_program_favourites_applicant_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_program_favourites_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_favourites")),
        sa.UniqueConstraint(
            "applicant_user_id",
            "program_id",
            name=op.f("uq_program_favourites_applicant_user_id_program_id"),
        ),
    )
    with op.batch_alter_table("program_favourites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_program_favourites_program_id"), ["program_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("program_favourites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_favourites_program_id"))
    op.drop_table("program_favourites")
