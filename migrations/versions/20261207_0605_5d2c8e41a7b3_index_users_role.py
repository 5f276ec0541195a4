"""index users by role: the staff a moderation item can be assigned to are found without reading every account

Revision ID: 5d2c8e41a7b3
Revises: d4f1a2b3c5e6
Create Date: 2026-12-07 06:05:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '5d2c8e41a7b3'
down_revision = 'd4f1a2b3c5e6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_role'), ['role'], unique=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_role'))
