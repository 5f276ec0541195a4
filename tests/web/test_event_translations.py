"""Organisers write an event's title and description in more languages themselves: readers of those
languages see that text (never a machine translation of it), in pages, lists, calendars, the API and mail."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEntry
from app.events.models import Event, EventReview, EventTranslation
from app.extensions import db
from tests.helpers import Browser, count_queries, make_event, make_organisation, make_user, outbox, soup

SOMALI_TITLE = "Kulan qoysaska: caawimaad casharrada"
SOMALI_TEXT = "Waxaan caawinaa carruurta casharrada guriga. Waalidiinta waa la soo dhaweynayaa."
NORWEGIAN_TITLE = "Familiekveld: leksehjelp"
NORWEGIAN_TEXT = "Vi hjelper barna med leksene. Foreldre er *hjertelig* velkommen."
ENGLISH_TITLE = "Family evening: homework help"


def _event(app, organiser=None, **fields):
    organisation = make_organisation(app, organiser, districts=("lademoen",), name="Somalisk foreldreforening")
    event_id = make_event(app, organisation, district="lademoen", title=SOMALI_TITLE, language="so", **fields)
    with app.app_context():
        db.session.get(Event, event_id).description = SOMALI_TEXT
        db.session.commit()
    return event_id


def _translate(app, event_id, language, title, description=""):
    from app.core.sanitize import markdown_to_html

    with app.app_context():
        db.session.add(EventTranslation(event_id=event_id, language=language, title=title, description=description,
                                        description_html=str(markdown_to_html(description))))
        db.session.commit()


def _password():
    from tests.helpers import PASSWORD
    return PASSWORD


# ---- what readers see ------------------------------------------------------------------------------------

def test_a_reader_of_a_written_language_gets_the_organisers_text_and_others_the_original(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    event_id = _event(app)
    _translate(app, event_id, "nb", NORWEGIAN_TITLE, NORWEGIAN_TEXT)
    client = Browser(app)

    page = soup(client.get(f"/events/{event_id}?lang=nb"))
    title = page.find("h1")
    assert (title.get_text(), title["lang"], title["dir"]) == (NORWEGIAN_TITLE, "nb", "ltr")
    text = page.find(id="event-text")
    assert text["lang"] == "nb" and "<em>hjertelig</em>" in str(text)   # the same Markdown as the original
    assert page.select_one(".translation-bar") is None and page.select_one(".translate-link") is None
    assert page.find("title").get_text().startswith(NORWEGIAN_TITLE)

    # Nynorsk readers read the Bokmål version rather than a machine translation.
    page = soup(client.get(f"/events/{event_id}?lang=nn"))
    assert (page.find("h1").get_text(), page.find("h1")["lang"]) == (NORWEGIAN_TITLE, "nb")

    # An English reader gets the Somali original, with the offer of a machine translation.
    page = soup(client.get(f"/events/{event_id}?lang=en"))
    assert (page.find("h1").get_text(), page.find("h1")["lang"]) == (SOMALI_TITLE, "so")
    assert page.select_one(".translation-bar a").get_text() == "Show translation"
    # ...and a Somali reader the original as written.
    page = soup(client.get(f"/events/{event_id}?lang=so"))
    assert page.find("h1").get_text() == SOMALI_TITLE
    assert fake_translator.received == []

    # Asking for the page translated sends nothing the organisers wrote in the reader's language.
    client.get(f"/events/{event_id}?lang=nb&translate=nb")
    assert SOMALI_TITLE not in fake_translator.texts and SOMALI_TEXT not in fake_translator.texts


def test_lists_district_place_and_organisation_pages_show_the_readers_version(app):
    event_id = _event(app)
    _translate(app, event_id, "en", ENGLISH_TITLE)
    client = Browser(app)
    with app.app_context():
        organisation_id = db.session.get(Event, event_id).organisation_id
    for path in ("/events/", "/districts/lademoen", f"/organisations/{organisation_id}", "/"):
        english = client.get(f"{path}?lang=en").get_data(as_text=True)
        norwegian = client.get(f"{path}?lang=nb").get_data(as_text=True)
        assert ENGLISH_TITLE in english and SOMALI_TITLE not in english, path
        assert SOMALI_TITLE in norwegian and ENGLISH_TITLE not in norwegian, path
    card = soup(client.get("/events/?lang=en")).find("a", string=ENGLISH_TITLE)
    assert card["lang"] == "en"


def test_the_calendar_file_and_the_api_carry_the_organisers_versions(app):
    event_id = _event(app)
    _translate(app, event_id, "en", ENGLISH_TITLE, "We help children with **homework**.")
    client = Browser(app)
    ics = client.get(f"/events/{event_id}.ics?lang=en").get_data(as_text=True)
    assert f"SUMMARY:{ENGLISH_TITLE}" in ics and "We help children" in ics
    assert f"SUMMARY:{SOMALI_TITLE}" in client.get(f"/events/{event_id}.ics?lang=nb").get_data(as_text=True)

    data = client.get(f"/api/v1/events/{event_id}").get_json()
    assert data["title"] == SOMALI_TITLE and data["language"] == "so"
    assert data["translations"] == [{"language": "en", "title": ENGLISH_TITLE,
                                     "description_html": "<p>We help children with <strong>homework</strong>.</p>"}]


def test_mail_to_those_registered_uses_the_title_in_their_language(app):
    from app.events import services

    organiser = make_user(app)
    event_id = _event(app, organiser)
    _translate(app, event_id, "en", ENGLISH_TITLE)
    from tests.web.test_organiser import _register
    _register(app, event_id, name="Amina", email="amina@example.no", locale="en")
    _register(app, event_id, name="Kari", email="kari@example.no", locale="nb")
    with app.test_request_context():
        from app.accounts.models import User
        services.cancel(db.session.get(Event, event_id), False, db.session.get(User, organiser.id))
        db.session.commit()
    english, = outbox(app, "amina@example.no")
    assert english.subject == f"Cancelled: {ENGLISH_TITLE}" and ENGLISH_TITLE in english.body
    norwegian, = outbox(app, "kari@example.no")
    assert SOMALI_TITLE in norwegian.subject and ENGLISH_TITLE not in norwegian.body


def test_translations_go_with_a_deleted_event(app):
    event_id = _event(app)
    _translate(app, event_id, "en", ENGLISH_TITLE)
    with app.app_context():
        db.session.delete(db.session.get(Event, event_id))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(EventTranslation)) == 0


def test_the_events_list_needs_as_many_queries_for_3_or_15_translated_events(app):
    organisation = make_organisation(app, districts=("lademoen",))

    def add(count, start):
        for n in range(count):
            event_id = make_event(app, organisation, district="lademoen", title=f"Kveld {start + n}",
                                  starts_in_days=2 + start + n)
            _translate(app, event_id, "en", f"Evening {start + n}")
            _translate(app, event_id, "ar", f"أمسية {start + n}")

    client = Browser(app)

    def measure():
        counts = {}
        for path in ("/events/?lang=en", "/districts/lademoen?lang=en", f"/organisations/{organisation}?lang=en",
                     "/api/v1/events"):
            with count_queries(app) as queries:
                response = client.get(path)
            assert response.status_code == 200, path
            counts[path] = len(queries)
        return counts

    add(3, 0)
    measure()   # warm the caches of settings and districts
    small = measure()
    add(12, 3)
    assert measure() == small
    assert "Evening 14" in client.get("/events/?lang=en").get_data(as_text=True)


# ---- what organisers do ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,expected", [
    ("visitor", 302), ("resident", 403), ("organiser_elsewhere", 403), ("moderator", 403), ("admin", 403),
    ("organiser", 200)])
def test_only_the_events_organisers_may_write_its_translations(app, client, login_as, role, expected):
    owner = make_user(app, locale="en")
    event_id = _event(app, owner)
    if role == "organiser":
        client.submit("/account/login", {"email": owner.email, "password": _password()})
    elif role == "organiser_elsewhere":
        make_organisation(app, login_as("resident", locale="en"), name="Andre lag")
    elif role == "moderator":
        login_as("moderator", districts=("lademoen",), locale="en")
    else:
        login_as(role, locale="en")
    base = f"/events/{event_id}/translations"
    assert client.get(base).status_code == expected
    _translate(app, event_id, "en", ENGLISH_TITLE)
    csrf = {}
    if expected != 302:
        from tests.helpers import form_fields
        csrf = {"csrf_token": form_fields(client.get("/account/"))["csrf_token"]}
    posted = client.post(base, data={**csrf, "language": "ar", "title": "أمسية عائلية", "description": ""})
    changed = client.post(f"{base}/en", data={**csrf, "language": "en", "title": "Something else"})
    removed = client.post(f"{base}/en/remove", data=csrf)
    if expected == 200:
        assert {posted.status_code, changed.status_code, removed.status_code} == {302}
    else:
        assert {posted.status_code, changed.status_code, removed.status_code} == {expected}
    with app.app_context():
        kept = {t.language: t.title for t in db.session.scalars(select(EventTranslation))}
    assert kept == ({"ar": "أمسية عائلية"} if expected == 200 else {"en": ENGLISH_TITLE})


def test_an_organiser_adds_changes_and_removes_a_language(app, client):
    owner = make_user(app, locale="en")
    client.submit("/account/login", {"email": owner.email, "password": _password()})
    event_id = _event(app, owner)
    event_page = soup(client.get(f"/events/{event_id}"))
    base = f"/events/{event_id}/translations"
    assert event_page.find("a", href=base) is not None
    page = soup(client.get(base))
    options = {o["value"]: (o.get_text(), o.get("lang")) for o in page.find("select", id="language").find_all("option")}
    assert "so" not in options                  # the event's own language
    assert options["ar"] == ("العربية", "ar") and options["nb"][1] == "nb"

    response = client.submit(base, {"language": "nb", "title": NORWEGIAN_TITLE, "description": NORWEGIAN_TEXT})
    assert response.status_code == 302
    page = soup(client.get(base))
    assert NORWEGIAN_TITLE in page.get_text() and "nb" not in {o["value"] for o in page.find_all("option")}
    with app.app_context():
        version = db.session.scalar(select(EventTranslation))
        assert version.description_html == "<p>Vi hjelper barna med leksene. Foreldre er <em>hjertelig</em> velkommen.</p>"
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.translation"))
        assert entry.actor_id == owner.id and entry.target_id == str(event_id)

    form_page = soup(client.get(f"/events/{event_id}/edit")).get_text()
    assert "Also written in: Bokmål. When you change the text here, change those too." in form_page

    edit = f"{base}/nb"
    page = soup(client.get(edit))
    assert (page.find(id="title")["lang"], page.find(id="description")["lang"]) == ("nb", "nb")
    assert client.submit(edit, {"title": "Familiekveld med leksehjelp"}).status_code == 302
    assert "Familiekveld med leksehjelp" in client.get(f"/events/{event_id}?lang=nb").get_data(as_text=True)

    assert client.submit(f"{edit}/remove", {}, page=base).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EventTranslation)) == 0
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "event.translation_removed")) == 1
    assert client.get(edit).status_code == 404


@pytest.mark.parametrize("values,field", [
    ({"language": "nb", "title": ""}, "title"),
    ({"language": "nb", "title": "x" * 141}, "title"),
    ({"language": "nb", "title": "Tittel", "description": "y" * 5001}, "description"),
    ({"language": "so", "title": "Tittel på somali"}, "language"),     # the event's own language
    ({"language": "xx", "title": "Tittel"}, "language"),
])
def test_a_translation_that_does_not_add_up_is_shown_again_with_the_error_beside_its_field(app, client, values, field):
    owner = make_user(app, locale="en")
    client.submit("/account/login", {"email": owner.email, "password": _password()})
    event_id = _event(app, owner)
    response = client.submit(f"/events/{event_id}/translations", {"description": "Kept text", **values})
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id=f"{field}-error") is not None
    assert page.find(id="title")["value"] == values["title"] if values["title"] else True
    if "description" not in values:
        assert page.find("textarea", id="description").get_text().strip() == "Kept text"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EventTranslation)) == 0


def test_a_post_without_the_forms_token_changes_nothing(app, client):
    owner = make_user(app, locale="en")
    client.submit("/account/login", {"email": owner.email, "password": _password()})
    event_id = _event(app, owner)
    response = client.post(f"/events/{event_id}/translations", data={"language": "en", "title": "No token"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EventTranslation)) == 0


def test_a_weekly_series_gets_the_version_for_this_and_later_dates(app, client):
    owner = make_user(app, locale="en")
    client.submit("/account/login", {"email": owner.email, "password": _password()})
    organisation = make_organisation(app, owner, districts=("lademoen",))
    ids = [make_event(app, organisation, district="lademoen", title="Språkkafé", starts_in_days=days,
                      series_id="s1", language="nb") for days in (3, 10, 17)]
    assert client.submit(f"/events/{ids[1]}/translations",
                         {"language": "en", "title": "Language café"}).status_code == 302
    with app.app_context():
        assert sorted(t.event_id for t in db.session.scalars(select(EventTranslation))) == ids[1:]


def test_with_events_held_for_approval_a_new_version_is_looked_at_first(app_factory):
    app = app_factory(PREMODERATE=frozenset({"events"}))
    owner = make_user(app, locale="en")
    event_id = _event(app, owner, status="published")
    client = Browser(app)
    client.submit("/account/login", {"email": owner.email, "password": _password()})
    assert client.submit(f"/events/{event_id}/translations",
                         {"language": "en", "title": "Anything at all"}).status_code == 302
    with app.app_context():
        assert db.session.get(Event, event_id).status == "held"
        review_id = db.session.scalar(select(EventReview.id))
    # The moderator reads the original and every version the organisers wrote.
    moderator = Browser(app)
    mod = make_user(app, role="moderator", districts=("lademoen",), locale="en")
    moderator.submit("/account/login", {"email": mod.email, "password": _password()})
    page = soup(moderator.get(f"/moderation/items/event/{review_id}"))
    assert page.find(string=SOMALI_TITLE) is not None and page.find(string="Anything at all") is not None
    assert "The organisers' text in English" in page.get_text()
