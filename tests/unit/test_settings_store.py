"""Settings an administrator stores in the database win over the config; the rest come from the config."""
from __future__ import annotations

from app.core import settings
from app.core.models import Setting
from app.extensions import db


def _store(app, key, value):
    with app.app_context():
        db.session.merge(Setting(key=key, value=value))
        db.session.commit()


def test_a_stored_value_wins_over_the_config_and_removing_it_falls_back(app):
    app.config["MAX_REPORTS_BEFORE_HIDING"] = 3
    with app.test_request_context():
        assert settings.get("MAX_REPORTS_BEFORE_HIDING") == 3
    _store(app, "MAX_REPORTS_BEFORE_HIDING", 7)
    with app.test_request_context():
        assert settings.get("MAX_REPORTS_BEFORE_HIDING") == 7
        assert settings.configured("MAX_REPORTS_BEFORE_HIDING") == 3
    with app.app_context():
        db.session.delete(db.session.get(Setting, "MAX_REPORTS_BEFORE_HIDING"))
        db.session.commit()
        assert settings.get("MAX_REPORTS_BEFORE_HIDING") == 3


def test_premoderation_is_stored_as_a_list_and_read_as_a_set(app):
    _store(app, "PREMODERATE", ["idea", "comment"])
    with app.test_request_context():
        assert settings.is_premoderated("idea") and settings.is_premoderated("comment")
        assert not settings.is_premoderated("feedback")


def test_only_tunable_keys_are_read_from_the_database(app):
    _store(app, "SECRET_KEY", "from-the-database")
    with app.app_context():
        assert settings.get("SECRET_KEY") == app.config["SECRET_KEY"] != "from-the-database"


def test_the_footer_shows_the_stored_contact_details(app, client):
    _store(app, "CONTACT_EMAIL", "bydel@example.no")
    page = client.get("/").get_data(as_text=True)
    assert "bydel@example.no" in page
