"""plain public names for the effort areas

Revision ID: e5a7c0d3b912
Revises: e5a7c3b91f42
Create Date: 2026-12-06 18:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5a7c0d3b912'
down_revision = 'e5a7c3b91f42'
branch_labels = None
depends_on = None

COLUMNS = [(f'public_name_{code}', 80) for code in ('nb', 'nn', 'en')] + \
    [(f'public_explanation_{code}', 200) for code in ('nb', 'nn', 'en')]


def upgrade():
    # Empty until `flask seed` (run at every start) fills them; it never overwrites what an admin wrote.
    with op.batch_alter_table('effort_areas', schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=False, server_default=''))
    # The agreement writes effort area 4's title this way; an earlier seed had tidied it. Only the
    # untouched seeded title is corrected, so an admin's own wording stays.
    op.execute("UPDATE effort_areas SET title_nb = 'Forsknings, Utviklings- og Innovasjonssamarbeid' "
               "WHERE number = 4 AND title_nb = 'Forsknings-, utviklings- og innovasjonssamarbeid'")


def downgrade():
    with op.batch_alter_table('effort_areas', schema=None) as batch_op:
        for name, _length in reversed(COLUMNS):
            batch_op.drop_column(name)
