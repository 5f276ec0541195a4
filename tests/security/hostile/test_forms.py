"""Hostile strings through every form of the site, found by crawling it: never a server error, never markup
the templates did not write, and each string stored as typed (after the form's own filters) or refused with
a message beside its field.

The forms are found, not listed: every GET route of the URL map is opened by a visitor, a resident, an
organiser, a moderator and an admin, with real objects in its arguments, and every form on those pages is
tied to the FlaskForm class behind it. A form class that no page shows fails the first test by name, so a
new form is either covered or flagged without editing this file.
"""
from __future__ import annotations

import re

import pytest

from tests.security.hostile import corpus
from tests.security.hostile.discovery import class_id, discover, form_classes
from tests.security.hostile.exercise import Exerciser
from tests.security.hostile.world import World

FORM_CLASSES = form_classes()

# Links from mail that act when opened and show no form (a wrong token answers 400).
ACTING_LINKS = {"/account/verify/<token>", "/account/email/confirm/<token>"}
# Routes that only point elsewhere (browsers ask for /favicon.ico by themselves; it leads to the PNG icon;
# a survey's "continue" leads to the first question not yet answered).
REDIRECTS = {"/favicon.ico", "/surveys/<int:round_id>/continue"}
# Forms that benign values do not pass: their strings can only be refused.
NEVER_TAKEN = {
    "LoginForm": "logging in needs the password of an existing account",
    "TwoFactorCodeForm": "the code changes every 30 seconds and is read off the person's authenticator app",
    "RecoveryCodeForm": "a recovery code is random and was shown only once",
    "ReceiptLookupForm": "a reference code is random and given only to the person who sent the feedback",
    "CodeForm": "a survey code is random and printed on one letter",
    "BoundaryForm": "a boundary is the GeoJSON of an area in Norway, which no ordinary text is",
    "QuestionForm": "a choice question needs two choices, a line each, and a scale its two ends: a line of ordinary "
                    "text in every field is neither (tests/web/admin/test_surveys.py sends real ones)",
    "PlacePhotoForm": "it adds photos, and the crawl chooses no file (tests/web/test_photo_moderation.py sends real ones)",
}
# Typed text that is used but kept nowhere.
NOT_KEPT = {("RequestResetForm", "email"): "an address without an account leaves no trace"}
# A photo's description is kept with the photo; the crawl chooses no file, so there is none to keep it with
# (tests/web/test_photo_files.py and the photo form tests check it is kept when there is).
PHOTO_DESCRIPTION = re.compile(r"-\d+-alt_text$")


def test_every_form_class_is_on_a_page_the_crawl_reaches(app, login_as, monkeypatch):
    discovery = discover(app, login_as, monkeypatch)
    missing = [class_id(cls) + (" (made, but in no form on the page)" if cls in discovery.instantiated else "")
               for cls in FORM_CLASSES if cls not in discovery.reached]
    assert not missing, f"form classes that no page reached by the crawl shows: {missing}"
    assert set(discovery.unopened) <= ACTING_LINKS | REDIRECTS, f"GET routes no role could open: {discovery.unopened}"


def test_every_form_takes_benign_values_and_keeps_what_is_typed(app, login_as, monkeypatch):
    """What the hostile tests rely on: each form takes ordinary values, and the place each typed field is
    stored in was found (so a hostile string that is taken can be looked up there)."""
    discovery = discover(app, login_as, monkeypatch)
    for spec in discovery.specs:
        name = spec.form_class.__name__ if spec.form_class else None
        if not spec.typed or name in NEVER_TAKEN:
            continue
        assert spec.accepted, f"{spec} refuses benign values"
        if spec.method == "get":
            continue
        for field in spec.typed:
            bare = field.split("-", 1)[-1]
            assert spec.storage.get(field) or (name, bare) in NOT_KEPT or PHOTO_DESCRIPTION.search(field) \
                or field in spec.numbers, \
                f"{spec}: where {field} is kept was not found"


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=class_id)
def test_hostile_strings_in_every_form(form_class, app, login_as, monkeypatch):
    """Each string once per form (fields of one form take different strings in one post); a form with
    nothing to type is sent once as its page gives it. Each form starts from a world of its own. A class
    on several pages gets the whole list on the first and the sample on the others."""
    discovery = discover(app, login_as, monkeypatch)
    specs = discovery.specs_for(form_class)
    assert specs, f"no page shows {class_id(form_class)}"
    world = World(app, login_as)
    for number, spec in enumerate(specs):
        world.reset()
        exerciser = Exerciser(world, spec, discovery.vocabulary)
        exerciser.open()
        if spec.typed or spec.free_selects:
            exerciser.run_strings(corpus.strings(first=number == 0))
            if spec.accepted and any(spec.storage.get(name) for name in spec.typed if name not in spec.emails):
                assert exerciser.stats["stored"], f"{spec}: not one string was stored"  # (no string is an address)
        else:
            exerciser.run_once()


def test_hostile_strings_in_forms_without_a_form_class(app, login_as, monkeypatch):
    """Forms written by hand in a template (filters that are links in disguise)."""
    discovery = discover(app, login_as, monkeypatch)
    world = World(app, login_as)
    plain = [spec for spec in discovery.specs if spec.form_class is None]
    for spec in plain:
        world.reset()
        exerciser = Exerciser(world, spec, discovery.vocabulary)
        exerciser.open()
        if spec.typed:
            exerciser.run_strings(corpus.strings())
        else:
            exerciser.run_once()
