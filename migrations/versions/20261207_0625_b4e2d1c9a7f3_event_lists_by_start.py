"""event lists by start: an organisation's, a meeting place's, a district's and a series' events indexed in order of their start

Revision ID: b4e2d1c9a7f3
Revises: e7a9c3d1b2f4
Create Date: 2026-12-07 06:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b4e2d1c9a7f3'
down_revision = 'e7a9c3d1b2f4'
branch_labels = None
depends_on = None

COLUMNS = (("organisation", "organisation_id"), ("meeting_place", "meeting_place_id"), ("district", "district_id"),
           ("series", "series_id"))


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        for name, column in COLUMNS:
            batch_op.create_index(f'ix_events_{name}_starts_at', [column, 'starts_at'], unique=False)
            batch_op.drop_index(f'ix_events_{column}')


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        for name, column in COLUMNS:
            batch_op.create_index(f'ix_events_{column}', [column], unique=False)
            batch_op.drop_index(f'ix_events_{name}_starts_at')
