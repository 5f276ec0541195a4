"""survey staff: the members of staff an administrator names to run the area survey

Revision ID: d4f1a7b3c9e2
Revises: c8e2f4a6b1d3
Create Date: 2026-12-07 16:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4f1a7b3c9e2'
down_revision = 'c8e2f4a6b1d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_staff',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('named_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_survey_staff_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_survey_staff'))
    )


def downgrade():
    op.drop_table('survey_staff')
