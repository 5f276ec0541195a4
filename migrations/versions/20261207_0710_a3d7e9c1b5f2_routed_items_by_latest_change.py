"""index routed items by their latest change: routing suggestions see whether they are fresh without counting

Revision ID: a3d7e9c1b5f2
Revises: 7c3e5a9d2f18
Create Date: 2026-12-07 07:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a3d7e9c1b5f2'
down_revision = '7c3e5a9d2f18'
branch_labels = None
depends_on = None


def upgrade():
    # A plain CREATE INDEX (no batch mode): rebuilding submissions on SQLite would drop its triggers.
    op.create_index('ix_submissions_routed_updated', 'submissions', ['updated_at'], unique=False,
                    sqlite_where=sa.text('effort_area_id IS NOT NULL'),
                    postgresql_where=sa.text('effort_area_id IS NOT NULL'))


def downgrade():
    op.drop_index('ix_submissions_routed_updated', table_name='submissions')
