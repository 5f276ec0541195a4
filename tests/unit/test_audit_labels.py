"""Every action the code writes to the audit log has a name people can read in the log."""
from __future__ import annotations

import re
from pathlib import Path

from app.moderation.audit_labels import ACTIONS, TARGETS

APP = Path(__file__).resolve().parents[2] / "app"


NAMESPACES = ("account", "answer_template", "event", "feedback", "mail", "meeting_place", "organisation", "registration",
              "report", "review", "settings", "submission", "user", "district", "effort_area", "sub_theme")
# Endpoint names look the same ("feedback.status"), so strings given to url_for or site_url are not codes.
CODE = re.compile(r'(?<!url_for\()(?<!site_url\()"((?:%s)\.[a-z_]+)"' % "|".join(NAMESPACES))


def test_every_audited_action_has_a_label():
    written = set()
    for path in APP.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "audit.record(" in source:
            written |= set(CODE.findall(source))
    assert {"event.create", "event.cancel", "registration.attendance", "submission.route"} <= written
    assert {"district.create", "district.retire", "effort_area.update", "sub_theme.delete"} <= written
    assert written - set(ACTIONS) == set()


def test_every_audited_kind_of_object_has_a_label():
    from app.extensions import db

    audited = {"Event", "Registration", "Organisation", "MeetingPlace", "User", "AnswerTemplate", "Setting", "OutboxMessage",
               "District", "EffortArea", "SubTheme"}
    models = {mapper.class_.__name__ for mapper in db.Model.registry.mappers}
    assert audited <= models
    assert audited - set(TARGETS) == set()
