"""Failed sign-ins, counted by the sign-in throttle.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'failed_sign_ins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=80), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_failed_sign_ins_username_at', 'failed_sign_ins', ['username', 'at'])
    op.create_index('ix_failed_sign_ins_address_at', 'failed_sign_ins', ['address', 'at'])


def downgrade() -> None:
    op.drop_index('ix_failed_sign_ins_address_at', table_name='failed_sign_ins')
    op.drop_index('ix_failed_sign_ins_username_at', table_name='failed_sign_ins')
    op.drop_table('failed_sign_ins')
