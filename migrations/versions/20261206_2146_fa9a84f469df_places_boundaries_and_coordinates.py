"""places: district boundaries, and coordinates of meeting places, events and submissions

Revision ID: fa9a84f469df
Revises: e7b2c4d9f1a6
Create Date: 2026-12-06 21:46:53.148068

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'fa9a84f469df'
down_revision = 'e7b2c4d9f1a6'
branch_labels = None
depends_on = None


def upgrade():
    # Every column is nullable (or defaults to "not official"): nothing had a place before.
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('boundary', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('boundary_official', sa.Boolean(), server_default=sa.text('false'), nullable=False))
        batch_op.add_column(sa.Column('boundary_updated_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))

    with op.batch_alter_table('meeting_places', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))

    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('location_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('location_lon', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('location_label', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('location_label')
        batch_op.drop_column('location_lon')
        batch_op.drop_column('location_lat')

    with op.batch_alter_table('meeting_places', schema=None) as batch_op:
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')

    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.drop_column('boundary_updated_at')
        batch_op.drop_column('boundary_official')
        batch_op.drop_column('boundary')
