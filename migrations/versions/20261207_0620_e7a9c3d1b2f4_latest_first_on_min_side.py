"""a person's latest ideas, comments and supports are read by index, newest first

Revision ID: e7a9c3d1b2f4
Revises: 5d2c8e4f1a60
Create Date: 2026-12-07 06:15:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e7a9c3d1b2f4'
down_revision = '5d2c8e4f1a60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_submissions_author_created', 'submissions', ['author_id', 'created_at'], unique=False)
    op.create_index('ix_supports_user_created', 'supports', ['user_id', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_supports_user_created', table_name='supports')
    op.drop_index('ix_submissions_author_created', table_name='submissions')
