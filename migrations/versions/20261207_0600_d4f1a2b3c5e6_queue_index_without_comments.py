"""the queue's indexes hold what may wait only, without the comments that never do

Revision ID: d4f1a2b3c5e6
Revises: 3b1e0c7d9a21
Create Date: 2026-12-07 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4f1a2b3c5e6'
down_revision = '3b1e0c7d9a21'
branch_labels = None
depends_on = None

OLD = "withdrawn_at IS NULL AND (held_at IS NOT NULL OR status = 'new')"
NEW = "withdrawn_at IS NULL AND (held_at IS NOT NULL OR (status = 'new' AND kind <> 'comment'))"
COLUMNS = {'ix_submissions_queue': ['urgent', 'created_at', 'id'],
           'ix_submissions_queue_oldest': [sa.text('urgent DESC'), 'created_at', 'id']}


def _recreate(predicate: str) -> None:
    for name, columns in COLUMNS.items():
        op.drop_index(name, table_name='submissions')
        op.create_index(name, 'submissions', columns, unique=False,
                        sqlite_where=sa.text(predicate), postgresql_where=sa.text(predicate))


def upgrade():
    _recreate(NEW)


def downgrade():
    _recreate(OLD)
