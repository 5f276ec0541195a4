"""What the database-down page gives back of a posted form (app/core/outage.py), without a database."""
from __future__ import annotations

from app.core import outage
from app.ideas.forms import IdeaForm


def test_typed_fields_are_shown_with_their_labels_and_the_rest_is_sent_again_unseen(app):
    posted = {"csrf_token": "old", "submission_id": "s" * 24, "district": "lademoen", "publish": "1", "effort_area": "",
              "title": "Benker ved kirka", "body": "Det trengs benker.", "added_by_an_extension": "x"}
    with app.test_request_context("/ideas/new?lang=en", method="POST", data=posted):
        kept = outage.posted_form()
        labels = {name: IdeaForm.__dict__[name].args[0] for name in ("title", "body")}
        assert {f.name: f.label for f in kept.shown} == {
            "title": str(labels["title"]), "body": str(labels["body"]), "added_by_an_extension": "added_by_an_extension"}
    assert {f.name for f in kept.hidden} == {"submission_id", "district", "publish", "effort_area"}
    assert [f.multiline for f in kept.shown] == [False, True, False]
    assert kept.action == "/ideas/new?lang=en" and kept.csrf_names == ["csrf_token"]


def test_passwords_and_csrf_tokens_are_never_given_back_and_a_post_of_nothing_else_gives_nothing(app):
    with app.test_request_context("/account/login", method="POST",
                                  data={"csrf_token": "t", "email": "kari@example.no", "password": "hemmelig passord"}):
        kept = outage.posted_form()
        assert [(f.name, f.value) for f in kept.fields] == [("email", "kari@example.no")]
    with app.test_request_context("/account/logout", method="POST", data={"csrf_token": "t"}):
        assert outage.posted_form() is None
    with app.test_request_context("/ideas/"):
        assert outage.posted_form() is None
