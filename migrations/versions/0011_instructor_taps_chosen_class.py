"""The class an instructor chose: their commands act on it (classinstructor.chosen_at); a waiting step names
what it completes (conversationstep.class_ref: "#12 {when} lesson m1-images", up to 96 characters)

Revision ID: instructor_taps_chosen_class
Revises: trust2_shown_items
Create Date: 2026-12-07 20:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = "instructor_taps_chosen_class"
down_revision: Union[str, None] = "trust2_shown_items"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("classinstructor") as batch:
        batch.add_column(sa.Column("chosen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table("conversationstep") as batch:
        batch.alter_column("class_ref", type_=sqlmodel.sql.sqltypes.AutoString(length=96),
                           existing_type=sqlmodel.sql.sqltypes.AutoString(length=16), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("conversationstep") as batch:
        batch.alter_column("class_ref", type_=sqlmodel.sql.sqltypes.AutoString(length=16),
                           existing_type=sqlmodel.sql.sqltypes.AutoString(length=96), existing_nullable=True)
    with op.batch_alter_table("classinstructor") as batch:
        batch.drop_column("chosen_at")
