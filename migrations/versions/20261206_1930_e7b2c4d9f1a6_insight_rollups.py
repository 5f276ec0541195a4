"""insight rollups: the counted figures kept, so the first request of a worker need not count

Revision ID: e7b2c4d9f1a6
Revises: d4f1a7c9e3b5
Create Date: 2026-12-06 19:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e7b2c4d9f1a6'
down_revision = 'd4f1a7c9e3b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'insight_rollups',
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('counted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_insight_rollups')),
    )


def downgrade():
    op.drop_table('insight_rollups')
