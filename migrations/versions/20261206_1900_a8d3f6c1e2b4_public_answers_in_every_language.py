"""public answers in Nynorsk and English beside Bokmål

Revision ID: a8d3f6c1e2b4
Revises: a18e7d3c2f41
Create Date: 2026-12-06 18:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a8d3f6c1e2b4'
down_revision = 'a18e7d3c2f41'
branch_labels = None
depends_on = None

COLUMNS = ('public_answer_nn', 'public_answer_nn_html', 'public_answer_en', 'public_answer_en_html')


def upgrade():
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
    _from_templates()


def _from_templates():
    """An answer published word for word from a template was in the moderator's language, whichever
    that was: it gets the template's three texts, Bokmål in the Bokmål slot. Any other answer stays
    where it was, as the Bokmål text every reader falls back to."""
    from app.core.sanitize import markdown_to_html  # the same rendering the app uses for answers

    conn = op.get_bind()
    templates = conn.execute(sa.text("SELECT body_nb, body_nn, body_en FROM answer_templates")).all()
    if not templates:
        return
    by_text = {}
    for nb, nn, en in templates:
        for written in (nb, nn, en):
            by_text.setdefault(written.strip(), (nb, nn, en))
    answers = conn.execute(sa.text("SELECT id, public_answer FROM status_changes WHERE public_answer IS NOT NULL")).all()
    for change_id, answer in answers:
        found = by_text.get(answer.strip())
        if found is None:
            continue
        nb, nn, en = (text.strip() for text in found)
        conn.execute(sa.text(
            "UPDATE status_changes SET public_answer = :nb, public_answer_html = :nb_html, "
            "public_answer_nn = :nn, public_answer_nn_html = :nn_html, "
            "public_answer_en = :en, public_answer_en_html = :en_html WHERE id = :id"),
            {"id": change_id, "nb": nb, "nb_html": str(markdown_to_html(nb)), "nn": nn,
             "nn_html": str(markdown_to_html(nn)), "en": en, "en_html": str(markdown_to_html(en))})


def downgrade():
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
