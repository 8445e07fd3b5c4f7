"""training gaps: rotations marked off site (didactic sessions missed there are excused)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("schedule_rotations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("off_site", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("schedule_rotations", schema=None) as batch_op:
        batch_op.drop_column("off_site")
