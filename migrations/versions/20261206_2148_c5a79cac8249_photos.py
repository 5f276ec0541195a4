"""photos: pictures on ideas, feedback, events and meeting places (their files are in the photo storage)

Revision ID: c5a79cac8249
Revises: fa9a84f469df
Create Date: 2026-12-06 21:48:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c5a79cac8249'
down_revision = 'fa9a84f469df'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('meeting_place_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('alt_text', sa.String(length=250), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('widths', sa.String(length=40), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.String(length=32), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(CASE WHEN submission_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN event_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN meeting_place_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_photos_one_owner')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_photos_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_place_id'], ['meeting_places.id'], name=op.f('fk_photos_meeting_place_id_meeting_places'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_photos_submission_id_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_photos_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photos')),
    sa.UniqueConstraint('key', name=op.f('uq_photos_key'))
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photos_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photos_meeting_place_id'), ['meeting_place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photos_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photos_uploaded_by_id'), ['uploaded_by_id'], unique=False)



def downgrade():
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photos_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_photos_submission_id'))
        batch_op.drop_index(batch_op.f('ix_photos_meeting_place_id'))
        batch_op.drop_index(batch_op.f('ix_photos_event_id'))

    op.drop_table('photos')
