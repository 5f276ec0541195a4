"""A cross-site POST logged any user out and planted text in their idea form.

The session cookie is SameSite=Lax, so a form on another site that posts to ``/ideas/new`` arrives
without it; the answer kept the posted text as a draft in a new session and its cookie replaced the
person's own. Now a cross-site request never creates or replaces a session, and keeps nothing.
"""
from __future__ import annotations

from http.cookies import SimpleCookie

from sqlalchemy import func, select

from app.core.models import FormDraft
from app.extensions import db
from tests.helpers import PASSWORD, Browser, make_user, soup

PLANTED = "Kjøp billige klokker på evil.example"
CROSS_SITE = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site", "Referer": "https://evil.example/x"}


def take_cookies(browser: Browser, response) -> None:
    """What the person's browser does with the answer to the cross-site request: it keeps its cookies."""
    for header in response.headers.getlist("Set-Cookie"):
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                browser.delete_cookie(name)
            else:
                browser.set_cookie(name, morsel.value)


def test_a_cross_site_post_neither_logs_out_nor_plants_text(app):
    user = make_user(app)
    person = Browser(app)
    person.submit("/account/login", {"email": user.email, "password": PASSWORD})
    assert person.get("/ideas/new").status_code == 200

    # The attacker's page posts the form; SameSite=Lax keeps the person's cookie from going with it.
    response = app.test_client().post("/ideas/new", headers=CROSS_SITE,
                                      data={"district": "lademoen", "title": PLANTED, "body": PLANTED * 3})
    assert response.status_code < 500
    assert not [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    take_cookies(person, response)

    page = person.get("/ideas/new")
    assert page.status_code == 200, "the person was logged out"
    assert PLANTED not in page.get_data(as_text=True)
    # Even after logging in again, nothing of the attacker's is in the form.
    person.get("/account/logout")
    person.submit("/account/login", {"email": user.email, "password": PASSWORD})
    assert PLANTED not in soup(person.get("/ideas/new")).get_text()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 0
