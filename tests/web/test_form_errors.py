"""Wrong input on each form: a message beside the field, and what was typed kept (never a password)."""
from __future__ import annotations

import pytest

from tests.helpers import make_user, soup

# (page, form action, data, field in error, whether the typed value is shown again)
CASES = [
    ("/account/register", None, {"email": "a@b", "display_name": "Åse", "password": "lang nok passord her"}, "email", True),
    ("/account/register", None, {"email": "ok@example.no", "display_name": "x", "password": "lang nok passord her"}, "display_name", True),
    ("/account/register", None, {"email": "ok@example.no", "display_name": "Bad\x00Name", "password": "lang nok passord her"}, "display_name", True),
    ("/account/register", None, {"email": "ok@example.no", "display_name": "Åse", "password": ""}, "password", False),
    ("/account/login", None, {"email": "", "password": "noe"}, "email", True),
    ("/account/login", None, {"email": "ok@example.no", "password": ""}, "password", False),
    ("/account/reset", None, {"email": "ikke en adresse"}, "email", True),
    ("/account/", "/account/profile", {"profile-display_name": "", "profile-locale": "nb"}, "profile-display_name", True),
    ("/account/", "/account/profile", {"profile-display_name": "Gyldig Navn", "profile-locale": "sv"}, "profile-locale", False),
    ("/account/", "/account/email", {"email-new_email": "feil@", "email-current_password": "x"}, "email-new_email", True),
    ("/account/", "/account/password", {"password-current_password": "", "password-new_password": "kort"}, "password-new_password", False),
]


@pytest.mark.parametrize("page,action,data,field,kept", CASES)
def test_wrong_input_is_explained_beside_the_field(client, login_as, page, action, data, field, kept):
    if page == "/account/":
        login_as("resident")
    response = client.submit(page, data, action=action)
    assert response.status_code in (200, 400)
    html = soup(response)
    error = html.find(id=f"{field}-error")
    assert error is not None and error.get_text(strip=True), f"no message beside {field}"
    control = html.find(attrs={"name": field})
    summary_links = [a["href"] for a in html.find(class_="error-summary").find_all("a")]
    assert f"#{control.get('id', field)}" in summary_links
    if kept and control.name == "input":
        typed = data[field].replace("\x00", "")
        assert control.get("value", "") in (data[field], typed)


def test_reset_password_form_refuses_a_guessable_password(app, client):
    from app.accounts import services
    from app.accounts.models import User
    from app.extensions import db

    user = make_user(app)
    with app.test_request_context():
        token = services.reset_token(db.session.get(User, user.id))
    response = client.submit(f"/account/reset/{token}", {"password": "password1234"})
    assert soup(response).find(id="password-error") is not None


def test_a_huge_body_is_refused_with_a_page_not_a_crash(client):
    response = client.post("/account/register", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert soup(response).find("main") is not None


def test_wtforms_own_messages_are_in_nynorsk_too(app, client, login_as):
    login_as("resident")
    response = client.submit("/ideas/new?lang=nn", {"district": "lademoen", "title": "Ein god tittel",
                                                   "body": "Ein lang nok tekst om parken vår.", "effort_area": "9",
                                                   "publish": "1"})
    assert soup(response).find(id="effort_area-error").get_text(strip=True).endswith("Dette er ikkje eit gyldig val.")


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_no_line_of_the_idea_forms_error_summary_just_repeats_its_fields_label(client, login_as, lang):
    login_as("resident")
    client.get(f"/?lang={lang}")
    html = soup(client.submit("/ideas/new", {"district": "", "title": "", "body": "", "preview": "1"}))
    lines = [a.get_text(" ", strip=True) for a in html.select(".error-summary a")]
    assert len(lines) >= 3
    for line in lines:
        label, _sep, message = line.partition(": ")
        assert message.rstrip(".") != label, line
