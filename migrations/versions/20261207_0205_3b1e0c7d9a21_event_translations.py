"""event translations: organisers' own title and description of an event in other languages

Revision ID: 3b1e0c7d9a21
Revises: 7867c025df05
Create Date: 2026-12-07 02:05:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3b1e0c7d9a21'
down_revision = '7867c025df05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_translations_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_translations')),
    sa.UniqueConstraint('event_id', 'language', name=op.f('uq_event_translations_event_language'))
    )
    with op.batch_alter_table('event_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_translations_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_translations_event_id'))

    op.drop_table('event_translations')
