"""Hints that unlock: the failed attempts that unlock each next hint of an exercise (0: never).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('course_exercises') as batch:
        batch.add_column(sa.Column('hint_every', sa.Integer(), nullable=False, server_default='3'))


def downgrade() -> None:
    with op.batch_alter_table('course_exercises') as batch:
        batch.drop_column('hint_every')
