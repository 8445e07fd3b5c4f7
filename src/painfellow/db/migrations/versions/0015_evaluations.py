"""evaluations of fellows: forms, items and the objectives they assess, submitted evaluations

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import painfellow.db.base

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=True),
        sa.Column("retired_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_evaluation_forms_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rotation_id"],
            ["schedule_rotations.id"],
            name=op.f("fk_evaluation_forms_rotation_id_schedule_rotations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_forms")),
        sa.UniqueConstraint("program_id", "name", name=op.f("uq_evaluation_forms_program_id_name")),
    )
    with op.batch_alter_table("evaluation_forms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_forms_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "evaluation_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("scale", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["evaluation_forms.id"],
            name=op.f("fk_evaluation_items_form_id_evaluation_forms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_evaluation_items_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_items")),
        sa.UniqueConstraint(
            "form_id", "position", name=op.f("uq_evaluation_items_form_id_position")
        ),
    )
    with op.batch_alter_table("evaluation_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_items_form_id"), ["form_id"], unique=False)

    op.create_table(
        "fellow_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("fellow_user_id", sa.Integer(), nullable=False),
        sa.Column("evaluator_user_id", sa.Integer(), nullable=True),
        sa.Column("rotation_id", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("comments", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", painfellow.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_fellow_evaluations_period_order")
        ),
        sa.ForeignKeyConstraint(
            ["evaluator_user_id"],
            ["users.id"],
            name=op.f("fk_fellow_evaluations_evaluator_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["fellow_user_id"],
            ["users.id"],
            name=op.f("fk_fellow_evaluations_fellow_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["evaluation_forms.id"],
            name=op.f("fk_fellow_evaluations_form_id_evaluation_forms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_fellow_evaluations_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rotation_id"],
            ["schedule_rotations.id"],
            name=op.f("fk_fellow_evaluations_rotation_id_schedule_rotations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["fellow_evaluations.id"],
            name=op.f("fk_fellow_evaluations_supersedes_id_fellow_evaluations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fellow_evaluations")),
    )
    with op.batch_alter_table("fellow_evaluations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_fellow_evaluations_evaluator", ["program_id", "evaluator_user_id"], unique=False
        )
        batch_op.create_index(
            "ix_fellow_evaluations_fellow", ["program_id", "fellow_user_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fellow_evaluations_form_id"), ["form_id"], unique=False
        )

    op.create_table(
        "evaluation_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("rating_halves", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "rating_halves BETWEEN 2 AND 10", name=op.f("ck_evaluation_answers_rating_range")
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["fellow_evaluations.id"],
            name=op.f("fk_evaluation_answers_evaluation_id_fellow_evaluations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["evaluation_items.id"],
            name=op.f("fk_evaluation_answers_item_id_evaluation_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_answers")),
        sa.UniqueConstraint(
            "evaluation_id", "item_id", name=op.f("uq_evaluation_answers_evaluation_id_item_id")
        ),
    )
    with op.batch_alter_table("evaluation_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_answers_evaluation_id"), ["evaluation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluation_answers_item_id"), ["item_id"], unique=False
        )

    op.create_table(
        "evaluation_item_objectives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["evaluation_items.id"],
            name=op.f("fk_evaluation_item_objectives_item_id_evaluation_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["curriculum_objectives.id"],
            name=op.f("fk_evaluation_item_objectives_objective_id_curriculum_objectives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_item_objectives")),
        sa.UniqueConstraint(
            "item_id",
            "objective_id",
            name=op.f("uq_evaluation_item_objectives_item_id_objective_id"),
        ),
    )
    with op.batch_alter_table("evaluation_item_objectives", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_item_objectives_item_id"), ["item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluation_item_objectives_objective_id"), ["objective_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("evaluation_item_objectives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_item_objectives_objective_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_item_objectives_item_id"))

    op.drop_table("evaluation_item_objectives")
    with op.batch_alter_table("evaluation_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_answers_item_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_answers_evaluation_id"))

    op.drop_table("evaluation_answers")
    with op.batch_alter_table("fellow_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fellow_evaluations_form_id"))
        batch_op.drop_index("ix_fellow_evaluations_fellow")
        batch_op.drop_index("ix_fellow_evaluations_evaluator")

    op.drop_table("fellow_evaluations")
    with op.batch_alter_table("evaluation_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_items_form_id"))

    op.drop_table("evaluation_items")
    with op.batch_alter_table("evaluation_forms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_forms_program_id"))

    op.drop_table("evaluation_forms")
