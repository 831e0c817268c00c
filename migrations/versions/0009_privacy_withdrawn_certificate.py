"""Withdrawn certificates: a forgotten learner's certificate codes answer /verify as withdrawn

Revision ID: privacy_withdrawn_certificate
Revises: main_conversation_steps
Create Date: 2026-12-07 16:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = "privacy_withdrawn_certificate"
down_revision: Union[str, None] = "main_conversation_steps"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "withdrawn_certificate",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("course_title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )


def downgrade() -> None:
    op.drop_table("withdrawn_certificate")
