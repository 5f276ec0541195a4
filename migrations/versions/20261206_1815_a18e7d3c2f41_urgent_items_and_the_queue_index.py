"""urgent items and the queue's index

Revision ID: a18e7d3c2f41
Revises: e5a7c0d3b912
Create Date: 2026-12-06 18:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a18e7d3c2f41'
down_revision = 'e5a7c0d3b912'
branch_labels = None
depends_on = None

QUEUE_PREDICATE = "withdrawn_at IS NULL AND (held_at IS NOT NULL OR status = 'new')"


def upgrade():
    # Nothing was urgent before a moderator could say so.
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.create_index('ix_submissions_queue', 'submissions', ['urgent', 'created_at', 'id'], unique=False,
                    sqlite_where=sa.text(QUEUE_PREDICATE), postgresql_where=sa.text(QUEUE_PREDICATE))


def downgrade():
    op.drop_index('ix_submissions_queue', table_name='submissions',
                  sqlite_where=sa.text(QUEUE_PREDICATE), postgresql_where=sa.text(QUEUE_PREDICATE))
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('urgent')
