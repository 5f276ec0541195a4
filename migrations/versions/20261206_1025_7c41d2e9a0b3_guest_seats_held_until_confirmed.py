"""guest seats held until confirmed

Revision ID: 7c41d2e9a0b3
Revises: b7e1c4d2a9f0
Create Date: 2026-12-06 10:25:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c41d2e9a0b3'
down_revision = 'b7e1c4d2a9f0'
branch_labels = None
depends_on = None


def upgrade():
    # Registrations made before this change were taken as confirmed, so they stay without a deadline.
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_by', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # A seat still held for a guest who never confirmed is given back before the column goes.
    op.execute("UPDATE events SET seats_taken = seats_taken - COALESCE((SELECT SUM(party_size) FROM registrations "
               "WHERE registrations.event_id = events.id AND registrations.status = 'pending'), 0)")
    op.execute("UPDATE registrations SET status = 'cancelled' WHERE confirm_by IS NOT NULL AND status IN ('pending', 'waitlisted')")
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('confirm_by')
