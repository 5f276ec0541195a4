"""Machine translation under attack: hostile addresses, a hostile or broken translation service, and what
one visitor's request may leave behind for the next."""
from __future__ import annotations

import json
import threading
import time

import pytest
from bs4 import BeautifulSoup, Comment
from werkzeug.serving import make_server

from app.extensions import db
from app.translation import provider
from app.translation.models import MachineTranslation
from tests.helpers import (
    PASSWORD,
    Browser,
    count_queries,
    make_comment,
    make_event,
    make_idea,
    make_organisation,
    make_user,
    soup,
)
from tests.places_fixtures import QuietHandler

ARABIC_TITLE = "ممر آمن إلى المدرسة عبر الحديقة"
ARABIC_BODY = ("نقترح إضاءة أفضل على الممر الذي يمر عبر الحديقة، لأن الأطفال يمشون هنا إلى المدرسة "
               "في الظلام خلال فصل الشتاء.")
LINKS = ".translation-bar a, .translate-link a, .mt-mark a"


def _arabic_idea(app) -> int:
    return make_idea(app, make_user(app), "lademoen", ARABIC_TITLE, ARABIC_BODY)


# The bar's and the texts' links rebuild this page's address from its query: names that mean something
# to Flask's url_for (or to the view) must be plain query arguments there, never options.
HOSTILE_QUERIES = [
    "_anchor=x", "_method=POST", "_external=1", "_external=1&_scheme=javascript&x=%0Aalert(1)", "_scheme=https",
    "endpoint=pages.home", "idea_id=99", "_host=evil.example", "values=1",
]


@pytest.mark.parametrize("translate", ["", "&translate=en"])
@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_query_arguments_named_like_link_options_neither_break_the_page_nor_steer_its_links(
        app_factory, fake_translator, query, translate):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    idea_id = _arabic_idea(app)
    response = Browser(app).get(f"/ideas/{idea_id}?lang=en&{query}{translate}")
    assert response.status_code == 200
    links = [a["href"] for a in soup(response).select(LINKS)]
    assert links and all(href.startswith(f"/ideas/{idea_id}?") for href in links), links


def test_an_event_page_part_kept_for_everyone_does_not_carry_the_first_visitors_query(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url, PAGE_CACHE_SECONDS=30)
    organisation = make_organisation(app, districts=("lademoen",))
    event_id = make_event(app, organisation, "lademoen", title="Kulanka hooyooyinka Soomaaliyeed", language="so")
    attacker = Browser(app)
    attacker.get("/?lang=en")
    first = attacker.get(f"/events/{event_id}?ref=planted-by-someone-else")
    assert "planted-by-someone-else" in first.get_data(as_text=True)   # (in their own bar, which is fine)
    reader = Browser(app)
    reader.get("/?lang=en")
    page = soup(reader.get(f"/events/{event_id}"))
    links = [a["href"] for a in page.select(LINKS)]
    assert links and not any("planted" in href for href in links), links


# --- a hostile translation service ------------------------------------------------------------------------

@pytest.fixture
def hostile_translator():
    """A LibreTranslate that answers each translate request with what ``answer(texts)`` gives (a status and
    a body), so a test can make it say anything."""
    from app.translation.fake_libretranslate import languages

    state = {"answer": None, "received": []}

    def app(environ, start_response):
        if environ.get("PATH_INFO", "").endswith("/languages"):
            body = json.dumps(languages()).encode()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body]
        data = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
        state["received"].append(data)
        status, headers, body = state["answer"](data["q"])
        start_response(status, headers)
        return [body]

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider.forget_pairs()
    state["url"] = f"http://127.0.0.1:{server.server_port}/"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        provider.forget_pairs()


def _json(data) -> tuple[str, list, bytes]:
    return "200 OK", [("Content-Type", "application/json")], json.dumps(data).encode()


def _stored(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(MachineTranslation.text)))


@pytest.mark.parametrize("translations", [
    lambda texts: ["" for _ in texts],                      # nothing
    lambda texts: ["   \n " for _ in texts],                 # nothing but spaces
    lambda texts: [f"[en]\x00 {text}" for text in texts],   # a NUL, which PostgreSQL refuses in a text column
])
def test_an_empty_or_unstorable_translation_is_neither_shown_nor_kept(app_factory, hostile_translator, translations):
    hostile_translator["answer"] = lambda texts: _json({"translatedText": translations(texts)})
    app = app_factory(TRANSLATE_URL=hostile_translator["url"])
    idea_id = _arabic_idea(app)
    response = Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en")
    assert response.status_code == 200
    page = soup(response)
    assert all(text.strip() and "\x00" not in text for text in _stored(app))
    assert page.find("h1").get_text().strip() and "\x00" not in response.get_data(as_text=True)


def test_markup_in_a_translation_is_shown_as_text_and_cannot_forge_the_bar_or_a_placeholder(
        app_factory, hostile_translator):
    evil = ('<script>alert(1)</script><img src=x onerror=alert(2)><!--mt-bar--><!--mt-offer-->'
            '[click](javascript:alert(3)) <a href="javascript:alert(4)">x</a>')
    hostile_translator["answer"] = lambda texts: _json({"translatedText": [evil for _ in texts]})
    app = app_factory(TRANSLATE_URL=hostile_translator["url"])
    idea_id = _arabic_idea(app)
    html = Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en").get_data(as_text=True)
    page = BeautifulSoup(html, "html.parser")
    assert not [script for script in page.find_all("script") if "alert" in script.get_text()]
    assert not page.select("img[onerror], [onerror]") and not page.select('a[href^="javascript"]')
    assert not [c for c in page.find_all(string=lambda s: isinstance(s, Comment)) if "mt-" in c]
    assert len(page.select(".translation-bar")) == 1 and "alert(2)" in page.find("h1").get_text()


def _drip(texts):
    def body():
        yield b'{"translatedText": ["'
        for _ in range(100):
            time.sleep(0.2)
            yield b"x" * 10
    return "200 OK", [("Content-Type", "application/json")], body()


BROKEN_ANSWERS = {
    "one too few": lambda texts: _json({"translatedText": [f"[en] {t}" for t in texts][:-1]}),
    "one too many": lambda texts: _json({"translatedText": [f"[en] {t}" for t in texts] + ["extra"]}),
    "numbers": lambda texts: _json({"translatedText": [1 for _ in texts]}),
    "a string for many": lambda texts: _json({"translatedText": "[en] all of it"}),
    "a list at the top": lambda texts: _json([f"[en] {t}" for t in texts]),
    "nested deep": lambda texts: ("200 OK", [], b"[" * 100_000 + b"]" * 100_000),
    "not UTF-8": lambda texts: ("200 OK", [], b'{"translatedText": ["\xff\xfe"]}'),
    "huge": lambda texts: ("200 OK", [], b'{"translatedText": ["' + b"x" * (3 * 1024 * 1024) + b'"]}'),
    "a redirect": lambda texts: ("302 Found", [("Location", "http://127.0.0.1:9/translate")], b""),
    "an error": lambda texts: _json({"error": "Too many requests"}),
    "dripping": _drip,
}


@pytest.mark.parametrize("name", BROKEN_ANSWERS)
def test_a_broken_answer_leaves_the_page_as_written_in_time_and_keeps_nothing(app_factory, hostile_translator, name):
    hostile_translator["answer"] = BROKEN_ANSWERS[name]
    app = app_factory(TRANSLATE_URL=hostile_translator["url"])
    idea_id = _arabic_idea(app)
    started = time.monotonic()
    response = Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en")
    assert time.monotonic() - started < 3.0
    assert response.status_code == 200 and hostile_translator["received"]
    assert soup(response).find("h1").get_text() == ARABIC_TITLE and _stored(app) == []


# --- what asking for translations costs everyone else -------------------------------------------------------

def _cost(app, path: str, lang: str | None = None) -> int:
    visitor = app.test_client()
    if lang:
        visitor.set_cookie("lang", lang)
    with count_queries(app) as statements:
        assert visitor.get(path).status_code == 200
    return len(statements)


def test_asking_for_translations_does_not_empty_the_page_cache_for_everyone(app_factory, fake_translator, tmp_path):
    """Any other write retires every page kept; a stored translation changes no page kept (a translated page is
    kept only when all of it was translated), so anyone asking for one must not empty the cache of the site."""
    app = app_factory(TRANSLATE_URL=fake_translator.url, PAGE_CACHE_SECONDS=30,
                      PAGE_CACHE_GENERATION_FILE=str(tmp_path / "generation"))
    first = _arabic_idea(app)
    second = make_idea(app, make_user(app), "lademoen", "Więcej koszy na śmieci przy przystanku",
                       "Przy przystanku autobusowym brakuje koszy na śmieci, a w weekendy jest bałagan.")
    assert _cost(app, "/ideas/") > 0 and _cost(app, "/ideas/") == 0
    for idea_id in (first, second):
        _cost(app, f"/ideas/{idea_id}?lang=en&translate=en")
        _cost(app, f"/ideas/{idea_id}?lang=uk&translate=uk")
    assert len(_stored(app)) == 8 and len(fake_translator.received) == 8
    assert _cost(app, "/ideas/") == 0
    assert _cost(app, f"/ideas/{first}?translate=en", "en") > 0
    assert _cost(app, f"/ideas/{first}?translate=en", "en") == 0   # the translated page itself is kept


def test_a_page_whose_translation_failed_is_not_kept_for_the_next_visitor(app_factory, down_translator, tmp_path):
    app = app_factory(TRANSLATE_URL=down_translator.url, PAGE_CACHE_SECONDS=30,
                      PAGE_CACHE_GENERATION_FILE=str(tmp_path / "generation"))
    idea_id = _arabic_idea(app)
    assert _cost(app, f"/ideas/{idea_id}?translate=en", "en") > 0
    assert _cost(app, f"/ideas/{idea_id}?translate=en", "en") > 0   # asked afresh: the service may be back


def test_texts_that_look_like_the_bar_or_a_placeholder_stay_text(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    forged = "<!--mt-bar--> <!--mt-offer--> <!--mt:000000000000:0--> " + ARABIC_BODY
    idea_id = make_idea(app, make_user(app), "lademoen", "<!--mt-bar-->" + ARABIC_TITLE, forged)
    make_comment(app, make_user(app), idea_id, "<!--mt-bar--> " + ARABIC_BODY)
    for query in ("?lang=en", "?lang=en&translate=en", "?lang=nb&translate=nb"):
        page = soup(Browser(app).get(f"/ideas/{idea_id}{query}"))
        assert len(page.select(".translation-bar")) == 1
        assert not [c for c in page.find_all(string=lambda s: isinstance(s, Comment)) if "mt" in c]
        assert "<!--mt-bar-->" in page.find("h1").get_text()


# --- private feedback -----------------------------------------------------------------------------------------

FEEDBACK = "Waxaan dareemayaa in jidka dugsiga uu yahay mid mugdi ah oo aan ammaan ahayn habeenkii."


@pytest.fixture
def app(app_factory, fake_translator):
    return app_factory(TRANSLATE_URL=fake_translator.url)


def test_private_feedback_reaches_the_service_by_no_path_while_the_setting_is_off(app, fake_translator, login_as):
    from app.districts.services import get_district
    from app.feedback import services

    with app.test_request_context():
        feedback = services.submit_feedback(get_district("lademoen"), FEEDBACK, {}, None, None, None, None, False,
                                            "client-1")
        db.session.commit()
        feedback_id, code = feedback.id, getattr(feedback, "code", None)
    for role in ("moderator", "admin"):
        browser = Browser(app)
        login_as(role, browser=browser, districts=("lademoen",))
        for lang in ("nb", "en", "ar"):
            paths = ["/moderation/", f"/moderation/items/feedback/{feedback_id}", "/feedback/", "/insights/",
                     "/insights/export.csv", "/insights/export.json", "/districts/lademoen", "/"]
            if code:
                paths.append(f"/feedback/{code}")
            for path in paths:
                response = browser.get(f"{path}?lang={lang}&translate={lang}")
                assert response.status_code == 200, path
                if path.startswith("/moderation/items/"):
                    assert FEEDBACK in response.get_data(as_text=True)
    anonymous = Browser(app)
    for path in ("/feedback/", "/insights/", "/districts/lademoen", "/"):
        anonymous.get(f"{path}?lang=en&translate=en")
    assert FEEDBACK not in fake_translator.texts


# --- the service's bill -------------------------------------------------------------------------------------

def test_one_client_cannot_send_more_pages_to_the_service_than_the_limit(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url, TRANSLATIONS_PER_HOUR=2)
    ideas = [make_idea(app, make_user(app), "lademoen", f"{ARABIC_TITLE} {n}", f"{ARABIC_BODY} {n}")
             for n in range(6)]
    for n, idea_id in enumerate(ideas):
        visitor = app.test_client()   # a new visitor each time, who says it is someone else
        headers = {"X-Forwarded-For": f"10.0.0.{n}", "X-Real-IP": f"10.0.1.{n}", "Forwarded": f"for=10.0.2.{n}"}
        method = visitor.head if n % 2 else visitor.get
        assert method(f"/ideas/{idea_id}?lang=en&translate=en", headers=headers).status_code == 200
    assert fake_translator.requests <= 2


# --- switched off, secret -----------------------------------------------------------------------------------

def test_a_language_switched_off_is_reached_by_no_way_of_asking_for_it(app, fake_translator, tmp_path):
    from app.core import settings_admin

    idea_id = _arabic_idea(app)
    polish = make_idea(app, make_user(app), "lademoen", "Więcej koszy na śmieci przy przystanku",
                       "Przy przystanku autobusowym brakuje koszy na śmieci, a w weekendy jest bałagan.")
    with app.test_request_context():
        settings_admin.save({"LANGUAGES_OFF": ["ar"]}, None)
        db.session.commit()
    asks = [({}, "?lang=ar&translate=ar"), ({"Accept-Language": "ar-SA,ar;q=0.9"}, "?translate=ar"),
            ({"Cookie": "lang=ar"}, "?translate=ar")]
    for headers, query in asks:
        for path in (f"/ideas/{polish}", f"/ideas/{idea_id}", "/ideas/"):
            response = app.test_client().get(path + query, headers=headers)
            page = soup(response)
            assert page.html["lang"] == "nb" and page.html["dir"] == "ltr"
            assert not page.select('nav.languages a[hreflang="ar"]')
            assert "lang=ar" not in response.headers.get("Set-Cookie", "")
    assert all(item["target"] != "ar" for item in fake_translator.received)


def test_the_services_key_is_neither_shown_to_administrators_nor_logged(app_factory, keyed_translator, caplog):
    app = app_factory(TRANSLATE_URL=keyed_translator.url, TRANSLATE_API_KEY="wrong-s3cret-key")
    idea_id = _arabic_idea(app)
    admin = Browser(app)
    user = make_user(app, role="admin")
    admin.submit("/account/login", {"email": user.email, "password": PASSWORD})
    with caplog.at_level("DEBUG"):
        settings_page = admin.get("/admin/settings")
        assert settings_page.status_code == 200
        assert "s3cret" not in settings_page.get_data(as_text=True)
        page = soup(Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en"))
    assert page.find("h1").get_text() == ARABIC_TITLE   # refused: shown as written
    assert caplog.records and not [r for r in caplog.records if "s3cret" in r.getMessage()]


@pytest.mark.parametrize("path", ["/%5Cevil.example", "/%5C%5Cevil.example", "/%2F%2Fevil.example",
                                  "/%2F%5Cevil.example", "/ideas/%5C%5Cevil.example"])
def test_the_language_menu_on_any_address_links_to_this_site(app, path):
    """A browser reads a backslash in a link as a slash: "/\\evil.example" is another site."""
    page = soup(app.test_client().get(path))
    links = [a["href"] for a in page.select("nav.languages a")]
    assert links
    for href in links:
        assert href.startswith("/") and href[1:2] not in ("/", "\\") and "\\" not in href, href


def test_a_translation_full_of_brackets_does_not_hold_the_page_past_its_time(app_factory, hostile_translator):
    """A translation is made into HTML when the page is shown, not when it is stored: text that is slow to
    make into HTML (a long run of "(" makes the link finder take seconds) must not be."""
    hostile_translator["answer"] = lambda texts: _json({"translatedText": ["(" * (4 * len(t)) for t in texts]})
    app = app_factory(TRANSLATE_URL=hostile_translator["url"])
    body = (ARABIC_BODY + " ") * (4900 // (len(ARABIC_BODY) + 1))
    idea_id = make_idea(app, make_user(app), "lademoen", ARABIC_TITLE, body)
    started = time.monotonic()
    response = Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en")
    assert response.status_code == 200 and time.monotonic() - started < 3.0


def test_text_with_a_long_run_of_brackets_is_made_into_html_quickly_and_links_still_work():
    from app.core.sanitize import markdown_to_html, plain_text_to_html

    for make in (markdown_to_html, plain_text_to_html):
        started = time.monotonic()
        html = make("(" * 20000 + " https://example.no")
        assert time.monotonic() - started < 1.0 and "(" * 100 in html
        assert 'href="https://example.no"' in make("Se (https://example.no) og ((((hei)))).")
