"""Submissions say whether they cost the student an attempt.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('charged', sa.Boolean(), server_default=sa.true(), nullable=False))
    # Until now every error was free: the stored ones stay free, since their cause was not recorded.
    op.execute(sa.text("UPDATE submissions SET charged = false WHERE status = 'error'"))


def downgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('charged')
