"""`flask db upgrade` on an empty database gives exactly the models' schema, on both databases."""
from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.districts.seed_data import DISTRICTS, EFFORT_AREAS
from app.districts.services import seed
from app.extensions import db
from app.ideas.search import is_search_object
from app.places.geometry import district_at

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
def empty_database_url(tmp_path):
    """An empty database of the kind the suite runs on."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    server = make_url(TEST_DATABASE_URL)
    name = f"medvirk_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _differences(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": lambda obj, name, *rest: not is_search_object(name)}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        assert _differences(app) == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "districts", "effort_areas", "sub_themes", "audit_entries", "outbox_messages"} <= tables

        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

        upgrade()
        assert _differences(app) == []
        db.session.remove()
        db.engine.dispose()


def test_seed_runs_on_a_migrated_database(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
    assert runner.invoke(args=["seed"]).exit_code == 0
    result = runner.invoke(args=["seed"])
    assert "0 new districts" in result.output
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM districts")).scalar() == 3
        db.session.remove()
        db.engine.dispose()


def test_a_new_idea_is_found_by_search_on_a_migrated_database(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        from app.districts.seed_data import DISTRICTS, EFFORT_AREAS
        from app.districts.services import get_district, seed
        from app.ideas import services
        from tests.helpers import make_user

        seed(DISTRICTS, EFFORT_AREAS)
        db.session.commit()
        user = make_user(app)
        from app.accounts.models import User

        services.create_idea(db.session.get(User, user.id), get_district("lademoen"),
                             "Benker ved Lademoen kirke", "Det trengs flere benker langs stien ved kirka.", None)
        db.session.commit()
        page = services.list_ideas(q="benker")
        assert [idea.title for idea, _ in page.items] == ["Benker ved Lademoen kirke"]
        assert services.list_ideas(q="ingenting-slikt").total == 0
        # The idea tallies' triggers are there at the head (a table rebuilt by a later migration loses its own).
        assert services.list_ideas().total == 1
        if db.engine.dialect.name == "postgresql":
            # The trigger functions at the head are the ones create_all makes (app/ideas/tallies.py).
            from app.ideas.tallies import POSTGRESQL_DDL

            wanted = {statement.split("FUNCTION ")[1].split("(")[0]: statement.split("$$")[1]
                      for statement in POSTGRESQL_DDL if statement.startswith("CREATE OR REPLACE FUNCTION")}
            found = dict(db.session.execute(text("SELECT proname, prosrc FROM pg_proc "
                                                 "WHERE proname LIKE 'idea\\_tallies\\_%'")).all())
            assert found == wanted
            triggers = db.session.scalars(text("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'idea\\_tallies\\_%'"))
            assert set(triggers) == {"idea_tallies_lock", "idea_tallies_submissions", "idea_tallies_block",
                                     "idea_tallies_erase"}
        db.session.remove()
        db.engine.dispose()


def test_upgrading_keeps_existing_rows(empty_database_url):
    """Batch migrations copy tables on SQLite; rows that point at them must survive the copy."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="7f3e50cfe8b5")  # ideas and submissions exist, moderation does not yet
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO districts (id, slug, position, name_nb, name_nn, name_en, description_nb, "
                              "description_nn, description_en) VALUES (1, 'lademoen', 0, 'L', 'L', 'L', '', '', '')"))
            conn.execute(text("INSERT INTO submissions (id, kind, district_id, status, created_at, created_month, "
                              "updated_at, hidden_by_reports, version) VALUES (1, 'idea', 1, 'new', :t, '2025-01', :t, "
                              "false, 1)"), {"t": "2025-01-01 10:00:00"})
            conn.execute(text("INSERT INTO ideas (id, title, body, body_html, support_count) "
                              "VALUES (1, 'Benker', 'Flere benker', '<p>Flere benker</p>', 0)"))
        upgrade()
        assert db.session.execute(text("SELECT title FROM ideas")).scalars().all() == ["Benker"]
        assert db.session.execute(text("SELECT count(*) FROM submissions")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_existing_supports_get_the_oslo_month_they_were_given(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="12f667abc4b7")  # before supports kept their month
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO districts (id, slug, position, name_nb, name_nn, name_en, description_nb, "
                              "description_nn, description_en) VALUES (1, 'lademoen', 0, 'L', 'L', 'L', '', '', '')"))
            conn.execute(text("INSERT INTO users (id, email, display_name, role, session_version, locale, "
                              "mail_idea_updates, mail_followed_events, mail_moderation_digest, created_at) "
                              "VALUES (1, 'a@example.no', 'A', 'resident', 1, 'nb', true, true, true, :t), "
                              "(2, 'b@example.no', 'B', 'resident', 1, 'nb', true, true, true, :t)"),
                         {"t": "2025-01-01 10:00:00"})
            conn.execute(text("INSERT INTO submissions (id, kind, district_id, status, created_at, created_month, "
                              "updated_at, hidden_by_reports, version) VALUES (1, 'idea', 1, 'new', :t, '2025-01', :t, "
                              "false, 1)"), {"t": "2025-01-01 10:00:00"})
            conn.execute(text("INSERT INTO ideas (id, title, body, body_html, support_count, language) "
                              "VALUES (1, 'Benker', 'Flere benker', '<p>Flere benker</p>', 2, 'nb')"))
            # 23:30 UTC on 31 January is 1 February in Oslo; 12:00 UTC on 15 March is still March.
            conn.execute(text("INSERT INTO supports (idea_id, user_id, created_at) VALUES "
                              "(1, 1, '2025-01-31 23:30:00'), (1, 2, '2025-03-15 12:00:00')"))
        upgrade()
        months = db.session.execute(text("SELECT user_id, created_month FROM supports ORDER BY user_id")).all()
        assert [tuple(row) for row in months] == [(1, "2025-02"), (2, "2025-03")]
        db.session.remove()
        db.engine.dispose()


def test_existing_answers_keep_their_text_and_template_answers_get_every_language(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="a18e7d3c2f41")  # before answers had a text per language
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO districts (id, slug, position, name_nb, name_nn, name_en, description_nb, "
                              "description_nn, description_en) VALUES (1, 'lademoen', 0, 'L', 'L', 'L', '', '', '')"))
            conn.execute(text("INSERT INTO effort_areas (id, number, title_nb, title_nn, title_en, goal_nb, goal_nn, goal_en, "
                              "description_nb, description_nn, description_en) VALUES (1, 3, 'T', 'T', 'T', '', '', '', '', '', '')"))
            conn.execute(text("INSERT INTO answer_templates (id, effort_area_id, title, body_nb, body_nn, body_en, created_at) "
                              "VALUES (1, 1, 'Lys', 'Vi melder det i morgen.', 'Vi melder det i morgon.', 'We report it tomorrow.', :t)"),
                         {"t": "2025-01-01 10:00:00"})
            conn.execute(text("INSERT INTO submissions (id, kind, district_id, status, created_at, created_month, "
                              "updated_at, hidden_by_reports, version) VALUES (1, 'idea', 1, 'answered', :t, '2025-01', :t, "
                              "false, 1)"), {"t": "2025-01-01 10:00:00"})
            conn.execute(text("INSERT INTO ideas (id, title, body, body_html, support_count, language) "
                              "VALUES (1, 'Lys', 'Mørkt', '<p>Mørkt</p>', 0, 'nb')"))
            # One answer published from the template by a moderator reading Nynorsk, one written freely.
            conn.execute(text("INSERT INTO status_changes (id, submission_id, new_status, public_answer, public_answer_html, "
                              "created_at) VALUES (1, 1, 'answered', 'Vi melder det i morgon.', '<p>Vi melder det i morgon.</p>', :t), "
                              "(2, 1, 'answered', 'Vi ser på saken.', '<p>Vi ser på saken.</p>', :t)"), {"t": "2025-01-02 10:00:00"})
        upgrade()
        rows = db.session.execute(text("SELECT public_answer, public_answer_nn, public_answer_en, public_answer_en_html "
                                       "FROM status_changes ORDER BY id")).all()
        assert tuple(rows[0]) == ("Vi melder det i morgen.", "Vi melder det i morgon.", "We report it tomorrow.",
                                  "<p>We report it tomorrow.</p>")
        assert tuple(rows[1]) == ("Vi ser på saken.", None, None, None)
        db.session.remove()
        db.engine.dispose()


def test_effort_area_4_gets_the_agreements_own_title_and_nothing_else_changes(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="e5a7c3b91f42")  # before the plain names
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO effort_areas (id, number, title_nb, title_nn, title_en, goal_nb, goal_nn, goal_en, "
                              "description_nb, description_nn, description_en) VALUES "
                              "(1, 4, 'Forsknings-, utviklings- og innovasjonssamarbeid', 'F', 'R', '', '', '', '', '', ''), "
                              "(2, 3, 'Forsknings-, utviklings- og innovasjonssamarbeid', 'F', 'R', '', '', '', '', '', '')"))
        upgrade(revision="e5a7c0d3b912")
        rows = db.session.execute(text("SELECT number, title_nb, public_name_nb FROM effort_areas ORDER BY number")).all()
        assert [tuple(row) for row in rows] == [
            (3, "Forsknings-, utviklings- og innovasjonssamarbeid", ""),   # not area 4: left alone
            (4, "Forsknings, Utviklings- og Innovasjonssamarbeid", ""),   # filled in by `flask seed`
        ]
        db.session.remove()
        db.engine.dispose()


def test_existing_districts_get_no_boundary_until_seeded_and_then_an_approximate_one(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="e7b2c4d9f1a6")  # before districts had boundaries
        with db.engine.begin() as conn:
            # The id from the database's own sequence, as the district's first insert took it (PostgreSQL
            # does not move its sequence past an id given by hand, and the seed inserts after it).
            conn.execute(text("INSERT INTO districts (slug, position, name_nb, name_nn, name_en, description_nb, "
                              "description_nn, description_en) VALUES ('mollenberg', 2, 'Møllenberg', 'Møllenberg', "
                              "'Møllenberg', '', '', '')"))
        upgrade(revision="fa9a84f469df")
        row = db.session.execute(text("SELECT boundary, boundary_official FROM districts")).one()
        assert row.boundary is None and not row.boundary_official
        db.session.remove()
        upgrade()
        seed(DISTRICTS, EFFORT_AREAS)
        db.session.commit()
        assert district_at(63.4315, 10.4150).slug == "mollenberg"    # Nonnegata 14
        db.session.remove()
        db.engine.dispose()


def test_texts_already_written_get_the_language_they_are_in(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="f97c3884f7b3")  # before texts kept their language
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO districts (id, slug, position, name_nb, name_nn, name_en, description_nb, "
                              "description_nn, description_en) VALUES (1, 'lademoen', 0, 'L', 'L', 'L', '', '', '')"))
            for ident, kind in ((1, "idea"), (2, "feedback"), (3, "feedback")):
                conn.execute(text("INSERT INTO submissions (id, kind, district_id, status, created_at, created_month, "
                                  "updated_at, hidden_by_reports, version, urgent) VALUES (:id, :kind, 1, 'new', :t, "
                                  "'2025-01', :t, false, 1, false)"), {"id": ident, "kind": kind, "t": "2025-01-01 10:00:00"})
            conn.execute(text("INSERT INTO ideas (id, title, body, body_html, support_count, language) VALUES "
                              "(1, 'Zadaszone stojaki na rowery', 'Na naszej ulicy prawie nie ma miejsca na rowery, "
                              "a zimą leżą one na chodniku.', '<p>…</p>', 0, 'nb')"))
            conn.execute(text("INSERT INTO feedback (id, body, contact_consent, receipt_code, locale) VALUES "
                              "(2, 'Det er veldig mørkt på gangveien bak kirka om kvelden.', false, 'A1', 'nb'), "
                              "(3, NULL, false, 'A2', 'nb')"))
        upgrade()
        assert db.session.execute(text("SELECT language FROM ideas")).scalar() == "pl"   # was the page's
        languages = db.session.execute(text("SELECT id, language FROM feedback ORDER BY id")).all()
        assert [tuple(row) for row in languages] == [(2, "nb"), (3, None)]
        db.session.remove()
        db.engine.dispose()
