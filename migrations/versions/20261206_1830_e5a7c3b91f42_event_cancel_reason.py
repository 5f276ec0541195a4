"""the reason an organiser gives when cancelling an event

Revision ID: e5a7c3b91f42
Revises: 7c41d2e9a0b3
Create Date: 2026-12-06 18:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5a7c3b91f42'
down_revision = '7c41d2e9a0b3'
branch_labels = None
depends_on = None


def upgrade():
    # Events cancelled before this change have no reason: they are shown as cancelled, as before.
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
