"""the queue's index for oldest first

Revision ID: c5e2b8a4d7f3
Revises: a8d3f6c1e2b4
Create Date: 2026-12-06 19:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c5e2b8a4d7f3'
down_revision = 'a8d3f6c1e2b4'
branch_labels = None
depends_on = None

QUEUE_PREDICATE = "withdrawn_at IS NULL AND (held_at IS NOT NULL OR status = 'new')"


def upgrade():
    op.create_index('ix_submissions_queue_oldest', 'submissions', [sa.text('urgent DESC'), 'created_at', 'id'],
                    unique=False, sqlite_where=sa.text(QUEUE_PREDICATE), postgresql_where=sa.text(QUEUE_PREDICATE))


def downgrade():
    op.drop_index('ix_submissions_queue_oldest', table_name='submissions',
                  sqlite_where=sa.text(QUEUE_PREDICATE), postgresql_where=sa.text(QUEUE_PREDICATE))
