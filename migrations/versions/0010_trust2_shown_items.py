"""Shown items: the lesson ends and questions the bot really showed a learner, checked by done: and ans:

Revision ID: trust2_shown_items
Revises: privacy_withdrawn_certificate
Create Date: 2026-12-07 17:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = "trust2_shown_items"
down_revision: Union[str, None] = "privacy_withdrawn_certificate"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "shown_item",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("item_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["learner_id"], ["learner.id"]),
        sa.PrimaryKeyConstraint("learner_id", "kind", "item_id", "detail"),
    )


def downgrade() -> None:
    op.drop_table("shown_item")
