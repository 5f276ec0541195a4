"""Choosing the language, and dates in Europe/Oslo per locale."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask_babel import force_locale

from app.core.i18n import format_when
from tests.helpers import PASSWORD, soup


def lang_of(response) -> str:
    return soup(response).find("html")["lang"]


def test_default_is_bokmal(client):
    assert lang_of(client.get("/")) == "nb"


@pytest.mark.parametrize("header,expected", [
    ("no", "nb"), ("nb-NO", "nb"), ("nb", "nb"), ("nn-NO,nn;q=0.9", "nn"), ("en-GB,en;q=0.8", "en"),
    ("de-DE", "nb"), ("sv-SE,en;q=0.5", "en"), ("nb-NO, en;q=0.5", "nb"), ("nn-NO, en;q=0.5", "nn"),
    ("en-US,en;q=0.9,nb;q=0.8", "en"), ("no-NO,nn;q=0.9", "nb"),
    ("ar-SA,ar;q=0.9", "ar"), ("ar", "ar"), ("so-SO", "so"), ("ti-ER,en;q=0.5", "ti"), ("pl-PL,pl;q=0.9", "pl"),
    ("uk-UA,uk;q=0.9,ru;q=0.8", "uk"), ("fa-IR,ar;q=0.8", "ar"), ("de-DE,pl;q=0.3", "pl"),
])
def test_accept_language_is_followed(client, header, expected):
    assert lang_of(client.get("/", headers={"Accept-Language": header})) == expected


def test_lang_parameter_wins_and_is_remembered_in_a_cookie(client):
    response = client.get("/?lang=nn", headers={"Accept-Language": "en"})
    assert lang_of(response) == "nn"
    assert "lang=nn" in response.headers["Set-Cookie"]
    assert lang_of(client.get("/districts/", headers={"Accept-Language": "en"})) == "nn"


def test_unknown_lang_parameter_is_ignored(client):
    assert lang_of(client.get("/?lang=xx")) == "nb"


def test_account_preference_comes_before_accept_language(client, login_as):
    login_as("resident", locale="en")
    assert lang_of(client.get("/", headers={"Accept-Language": "nb"})) == "en"


def test_language_switcher_links_keep_the_page_and_work_without_javascript(client):
    page = soup(client.get("/districts/lademoen"))
    switcher = page.find("nav", class_="languages")
    hrefs = {a["lang"]: a["href"] for a in switcher.find_all("a")}
    assert hrefs == {code: f"/districts/lademoen?lang={code}" for code in ("nn", "en", "ar", "so", "ti", "pl", "uk")}
    assert switcher.find(attrs={"aria-current": "true"}).get_text() == "Bokmål"
    assert page.find("script") is None or page.find("script").get("src", "").startswith("/static/")


def test_pages_are_translated(client):
    assert "Logg inn" in client.get("/account/login?lang=nb").get_data(as_text=True)
    assert "Log in" in client.get("/account/login?lang=en").get_data(as_text=True)
    nn = client.get("/?lang=nn").get_data(as_text=True)
    assert "Bydelar" in nn


def test_dates_are_shown_in_oslo_time_and_the_locales_format(app):
    summer = datetime(2026, 7, 1, 16, 30, tzinfo=timezone.utc)   # 18:30 in Oslo (CEST)
    winter = datetime(2026, 12, 1, 16, 30, tzinfo=timezone.utc)  # 17:30 in Oslo (CET)
    with app.test_request_context():
        with force_locale("nb"):
            assert format_when(summer, "short") == "01.07.2026, 18:30"
            assert "17:30" in format_when(winter, "short")
        with force_locale("en"):
            text = format_when(summer, "medium")
            assert "1 Jul 2026" in text and "18:30" in text


def test_the_switcher_names_each_language_in_its_own_language_behind_one_button(client):
    page = soup(client.get("/ideas/?lang=ar"))
    switcher = page.find("nav", class_="languages")
    assert switcher.select_one("details.language-button > summary").get_text(" ", strip=True).endswith("/ Language")
    items = switcher.select("ul > li > *")
    assert [item.get_text() for item in items] == ["Bokmål", "Nynorsk", "English", "العربية", "Soomaali", "ትግርኛ",
                                                  "Polski", "Українська"]
    for item in items:
        if item.name == "a":
            assert item["lang"] == item["hreflang"] and item["href"] == f"/ideas/?lang={item['lang']}"
        else:
            assert (item["lang"], item["aria-current"]) == ("ar", "true")
    assert len(switcher.find_all("a")) == 7


def test_an_account_may_choose_any_offered_language_for_pages_and_mail(app, client, login_as):
    from tests.helpers import outbox

    user = login_as("resident")
    choices = soup(client.get("/account/")).select("input[name=profile-locale]")
    assert [box["value"] for box in choices] == ["nb", "nn", "en", "ar", "so", "ti", "pl", "uk"]
    assert all(box.find_parent(class_="choice")["lang"] == box["value"] for box in choices)
    response = client.submit("/account/", {"profile-locale": "ti"}, action="/account/profile")
    assert response.status_code == 302 and response.headers["Location"].endswith("lang=ti")
    assert lang_of(client.get("/", headers={"Accept-Language": "en"})) == "ti"
    client.submit("/account/", {"email-new_email": "ny@example.no", "email-current_password": PASSWORD},
                  action="/account/email")
    assert outbox(app, user.email)[-1].locale == "ti"
