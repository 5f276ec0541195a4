"""photo moderation: held photos wait in the moderation queue (photo_reviews), reports can name a photo,
and a photo hidden by reports is shown again when they are dismissed

Revision ID: f97c3884f7b3
Revises: c5a79cac8249
Create Date: 2026-12-06 22:07:20.492160

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f97c3884f7b3'
down_revision = 'c5a79cac8249'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('photo_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['submissions.id'], name=op.f('fk_photo_reviews_id_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_photo_reviews_photo_id_photos'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo_reviews'))
    )
    with op.batch_alter_table('photo_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_reviews_photo_id'), ['photo_id'], unique=False)

    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_by_reports', sa.Boolean(), server_default=sa.text('false'), nullable=False))

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_id', sa.Integer(), nullable=True))
        batch_op.alter_column('target_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_reports_photo_id'), ['photo_id'], unique=False)
        batch_op.create_unique_constraint('uq_reports_photo_reporter', ['photo_id', 'reporter_id'])
        batch_op.create_foreign_key(batch_op.f('fk_reports_photo_id_photos'), 'photos', ['photo_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_reports_one_target'), 'target_id IS NULL OR photo_id IS NULL')



def downgrade():
    # Reports on photos have no post to name: they go with the column.
    op.execute("DELETE FROM submissions WHERE id IN (SELECT id FROM reports WHERE target_id IS NULL)")
    op.execute("DELETE FROM reports WHERE target_id IS NULL")
    op.execute("DELETE FROM submissions WHERE kind = 'photo'")
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_reports_one_target'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_reports_photo_id_photos'), type_='foreignkey')
        batch_op.drop_constraint('uq_reports_photo_reporter', type_='unique')
        batch_op.drop_index(batch_op.f('ix_reports_photo_id'))
        batch_op.alter_column('target_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('photo_id')

    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_column('hidden_by_reports')

    with op.batch_alter_table('photo_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_reviews_photo_id'))

    op.drop_table('photo_reviews')
