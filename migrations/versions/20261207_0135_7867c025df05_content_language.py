"""content language: the language of events, feedback, meeting places' and organisations' texts, found for
what is already written; and the table of stored machine translations

Revision ID: 7867c025df05
Revises: f97c3884f7b3
Create Date: 2026-12-07 01:35:19.223645

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7867c025df05'
down_revision = 'f97c3884f7b3'
branch_labels = None
depends_on = None

# table → the columns whose text together tells its language
TEXTS = {
    "events": ("title", "description"),
    "feedback": ("body",),
    "meeting_places": ("description", "opening_hours", "accessibility_notes"),
    "organisations": ("description",),
    "ideas": ("title", "body"),
    "comments": ("body",),
}


def upgrade():
    op.create_table('machine_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_key', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_machine_translations')),
    sa.UniqueConstraint('source_key', 'target', name='uq_machine_translations_source_target')
    )
    for table in ("events", "feedback", "meeting_places", "organisations"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    _backfill()


def _backfill():
    """What is already written gets its language, detected offline (ideas and comments had the page's
    language: detection knows better). A few thousand texts take seconds; an empty database none."""
    connection = op.get_bind()
    from app.translation.detect import detect_language

    for table, columns in TEXTS.items():
        rows = connection.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}")).all()  # nosec B608 - names above
        for row in rows:
            found = detect_language("\n".join(part for part in row[1:] if part))
            if found is not None:
                connection.execute(sa.text(f"UPDATE {table} SET language = :language WHERE id = :id"),  # nosec B608
                                   {"language": found, "id": row[0]})


def downgrade():
    for table in ("organisations", "meeting_places", "feedback", "events"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('language')
    op.drop_table('machine_translations')
