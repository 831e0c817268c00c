"""A group linked to a class (class_group)

Revision ID: class_groups
Revises: drop_delivery
Create Date: 2026-11-29 08:10:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = "class_groups"
down_revision: Union[str, None] = "drop_delivery"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "class_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("linked_by", sa.BigInteger(), nullable=False),
        sa.Column("linked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("unlinked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["class_id"], ["classroom.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("class_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_group_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_class_group_class_id"), ["class_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("class_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_group_class_id"))
        batch_op.drop_index(batch_op.f("ix_class_group_chat_id"))
    op.drop_table("class_group")
