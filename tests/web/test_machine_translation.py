"""Reading what people wrote in one's own language: a machine translation from a LibreTranslate server
(the fake one on loopback), offered without JavaScript, marked, stored once, never a 500."""
from __future__ import annotations

import time

from app.extensions import db
from app.ideas.models import Comment, Idea
from app.translation.models import MachineTranslation
from tests.helpers import Browser, count_queries, make_comment, make_idea, make_user, soup

ARABIC_TITLE = "ممر آمن إلى المدرسة عبر الحديقة"
ARABIC_BODY = ("نقترح إضاءة أفضل على الممر الذي يمر عبر الحديقة، لأن الأطفال يمشون هنا إلى المدرسة "
               "في الظلام خلال فصل الشتاء.")
POLISH = "Zgadzam się, wieczorem jest tu naprawdę ciemno i niebezpiecznie dla dzieci."
NORWEGIAN = "Det trengs flere benker i parken, særlig i skyggen ved lekeplassen."


def _arabic_idea(app):
    author = make_user(app)
    idea_id = make_idea(app, author, "lademoen", ARABIC_TITLE, ARABIC_BODY)
    return author, idea_id


def test_an_idea_in_another_language_offers_a_translation_and_shows_it_marked(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    _author, idea_id = _arabic_idea(app)
    with app.app_context():
        assert db.session.get(Idea, idea_id).language == "ar"
    client = Browser(app)
    page = soup(client.get(f"/ideas/{idea_id}?lang=en"))
    title = page.find("h1")
    assert (title["lang"], title["dir"], title.get_text()) == ("ar", "rtl", ARABIC_TITLE)
    link = page.select_one(".translation-bar a")
    assert link.get_text() == "Show translation" and "translate=en" in link["href"]
    assert fake_translator.received == []   # offering asks nothing of the service

    translated = soup(client.get(link["href"]))
    title = translated.find("h1")
    assert (title["lang"], title["dir"], title.get_text()) == ("en", "ltr", f"[en] {ARABIC_TITLE}")
    body = translated.find(id="idea-text")
    assert "machine-translated" in body["class"] and body["lang"] == "en"
    assert body.get_text(strip=True) == f"[en] {ARABIC_BODY}"
    mark = body.find_next_sibling(class_="mt-mark")
    assert "Machine-translated – may contain errors" in mark.get_text()
    back = mark.find("a")
    assert back.get_text() == "Show the original" and "translate" not in back["href"]
    assert "Machine-translated – may contain errors" in translated.select_one(".translation-bar").get_text()
    assert sorted(fake_translator.texts) == sorted([ARABIC_TITLE, ARABIC_BODY])
    assert {(item["source"], item["target"]) for item in fake_translator.received} == {("ar", "en")}


def test_norwegian_pages_in_bokmal_say_so_and_nynorsk_readers_get_no_offer(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    author = make_user(app)
    idea_id = make_idea(app, author, "lademoen", "Flere benker i parken", NORWEGIAN)
    client = Browser(app)
    for lang in ("nb", "nn"):
        page = soup(client.get(f"/ideas/{idea_id}?lang={lang}"))
        assert page.find("h1")["lang"] == "nb" and page.find("h1")["dir"] == "ltr"
        assert page.select_one(".translation-bar") is None and "Vis oversettelse" not in page.get_text()
    page = soup(client.get(f"/ideas/{idea_id}?lang=en"))
    assert page.select_one(".translation-bar a").get_text() == "Show translation"


def test_a_translation_is_stored_once_and_reused_and_made_again_after_an_edit(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    author, idea_id = _arabic_idea(app)
    reader = Browser(app)
    reader.get(f"/ideas/{idea_id}?lang=en&translate=en")
    reader.get(f"/ideas/{idea_id}?lang=en&translate=en")
    Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en")
    assert sorted(fake_translator.texts) == sorted([ARABIC_TITLE, ARABIC_BODY])   # once, whoever reads it
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(MachineTranslation)) == 2
        assert ARABIC_BODY not in {row.text for row in db.session.scalars(db.select(MachineTranslation))}

    edited = ARABIC_BODY + " شكراً لكم."
    with app.test_request_context():
        from app.accounts.models import User
        from app.districts.services import get_district
        from app.ideas import services

        idea = db.session.get(Idea, idea_id)
        services.update_idea(idea, db.session.get(User, author.id), get_district("lademoen"), ARABIC_TITLE, edited, None)
        db.session.commit()
    page = soup(reader.get(f"/ideas/{idea_id}?lang=en&translate=en"))
    assert page.find(id="idea-text").get_text(strip=True) == f"[en] {edited}"
    assert fake_translator.texts.count(edited) == 1 and fake_translator.texts.count(ARABIC_TITLE) == 1


def test_comments_in_other_languages_are_translated_with_the_page(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    author = make_user(app)
    idea_id = make_idea(app, author, "lademoen", "Flere benker i parken", NORWEGIAN)
    commenter = make_user(app)
    comment_id = make_comment(app, commenter, idea_id, POLISH)
    with app.app_context():
        assert db.session.get(Comment, comment_id).language == "pl"
    page = soup(Browser(app).get(f"/ideas/{idea_id}?translate=nb"))
    comment = page.find(id=f"comment-text-{comment_id}")
    assert comment.get_text(strip=True) == f"[nb] {POLISH}" and comment["lang"] == "nb"
    assert "Maskinoversatt – kan inneholde feil" in page.get_text()
    assert page.find("h1").get_text() == "Flere benker i parken"   # Bokmål for a Bokmål reader: as written
    assert fake_translator.texts == [POLISH]


def test_the_key_is_sent_and_a_wrong_one_leaves_the_original(app_factory, keyed_translator):
    app = app_factory(TRANSLATE_URL=keyed_translator.url, TRANSLATE_API_KEY="s3cret-key")
    _author, idea_id = _arabic_idea(app)
    page = soup(Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en"))
    assert page.find("h1").get_text() == f"[en] {ARABIC_TITLE}"
    other = app_factory(TRANSLATE_URL=keyed_translator.url, TRANSLATE_API_KEY="wrong")
    # Another text: on PostgreSQL both apps share one database, and the first text's translation is kept there.
    title = "طريق آمن إلى المدرسة عبر الحديقة"
    idea_id = make_idea(other, make_user(other), "lademoen", title, ARABIC_BODY)
    page = soup(Browser(other).get(f"/ideas/{idea_id}?lang=en&translate=en"))
    assert page.find("h1").get_text() == title


def test_no_provider_means_no_links_and_no_errors(app):
    _author, idea_id = _arabic_idea(app)
    client = Browser(app)
    page = soup(client.get(f"/ideas/{idea_id}?lang=en"))
    assert page.select_one(".translation-bar") is None and "Show translation" not in page.get_text()
    assert page.find("h1")["lang"] == "ar"
    asked = client.get(f"/ideas/{idea_id}?lang=en&translate=en")
    assert asked.status_code == 200 and soup(asked).find("h1").get_text() == ARABIC_TITLE


def _original_within_three_seconds(app, idea_id):
    started = time.monotonic()
    response = Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en")
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and elapsed < 3.0, elapsed
    page = soup(response)
    assert page.find("h1").get_text() == ARABIC_TITLE and page.find("h1")["lang"] == "ar"
    assert "not answering just now" in page.select_one(".translation-bar").get_text()
    return response


def test_a_slow_provider_leaves_the_original_within_three_seconds(app_factory, slow_translator):
    app = app_factory(TRANSLATE_URL=slow_translator.url)
    _author, idea_id = _arabic_idea(app)
    _original_within_three_seconds(app, idea_id)


def test_a_provider_that_is_down_or_answers_garbage_leaves_the_original(app_factory, down_translator,
                                                                      garbage_translator):
    for server in (down_translator, garbage_translator):
        app = app_factory(TRANSLATE_URL=server.url)
        _author, idea_id = _arabic_idea(app)
        _original_within_three_seconds(app, idea_id)
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count()).select_from(MachineTranslation)) == 0


def test_translated_pages_are_not_for_search_engines(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    _author, idea_id = _arabic_idea(app)
    client = Browser(app)
    assert "X-Robots-Tag" not in client.get(f"/ideas/{idea_id}?lang=en").headers
    assert client.get(f"/ideas/{idea_id}?lang=en&translate=en").headers["X-Robots-Tag"] == "noindex"


def test_provider_calls_are_limited_per_client(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url, TRANSLATIONS_PER_HOUR=1)
    _author, first = _arabic_idea(app)
    _author, second = _arabic_idea(app)
    with app.app_context():   # the second idea's text differs, so it is not stored yet
        idea = db.session.get(Idea, second)
        idea.body = idea.body + " مرة أخرى."
        db.session.commit()
    client = Browser(app)
    assert soup(client.get(f"/ideas/{first}?lang=en&translate=en")).find("h1").get_text().startswith("[en]")
    page = soup(client.get(f"/ideas/{second}?lang=en&translate=en"))
    assert page.find(id="idea-text")["lang"] == "ar"
    assert "many translations" in page.select_one(".translation-bar").get_text()
    # what is stored already costs nothing, so it is still shown
    assert soup(client.get(f"/ideas/{first}?lang=en&translate=en")).find("h1").get_text().startswith("[en]")


def test_a_translated_idea_page_asks_the_store_once(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    author, idea_id = _arabic_idea(app)
    for _ in range(3):
        make_comment(app, make_user(app), idea_id, POLISH + " " + author.email)
    client = Browser(app)
    client.get(f"/ideas/{idea_id}?lang=en&translate=en")   # translated and stored
    with count_queries(app) as plain:
        client.get(f"/ideas/{idea_id}?lang=en")
    with count_queries(app) as translated:
        client.get(f"/ideas/{idea_id}?lang=en&translate=en")
    lookups = [q for q in translated if "machine_translations" in q]
    assert len(lookups) == 1 and len(translated) == len(plain) + 1


def test_the_language_is_found_when_written_and_the_authors_choice_wins(app, client, login_as):
    login_as("resident")
    idea = soup(client.get("/ideas/new")).find("select", {"name": "language"})
    assert idea.find("option", selected=True).get_text() == "Finn det ut fra teksten"
    author = make_user(app)
    idea_id = make_idea(app, author, "lademoen", "Benker", NORWEGIAN)
    comment = soup(client.get(f"/ideas/{idea_id}")).find("form", action=f"/ideas/{idea_id}/comments")
    assert comment.find("select", {"name": "language"}) is not None   # folded away under the text box
    client.submit(f"/ideas/{idea_id}", {"body": POLISH}, action=f"/ideas/{idea_id}/comments")
    client.submit(f"/ideas/{idea_id}", {"body": "Nie wiem, ale może. Jeg er enig!", "language": "nb"},
                  action=f"/ideas/{idea_id}/comments")
    client.submit(f"/ideas/{idea_id}", {"body": "OK!"}, action=f"/ideas/{idea_id}/comments")
    with app.app_context():
        languages = db.session.scalars(db.select(Comment.language).order_by(Comment.id)).all()
    assert languages == ["pl", "nb", "nb"]   # detected; chosen; too short to tell: the page's


def test_stored_translations_are_purged_after_their_time_and_made_again(app_factory, fake_translator):
    from datetime import timedelta

    from app.core.db import utcnow
    from app.privacy.services import purge_expired

    app = app_factory(TRANSLATE_URL=fake_translator.url)
    _author, idea_id = _arabic_idea(app)
    Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en")
    with app.app_context():
        for row in db.session.scalars(db.select(MachineTranslation)):
            row.created_at = utcnow() - timedelta(days=app.config["MACHINE_TRANSLATION_RETENTION_DAYS"] + 1)
        db.session.commit()
        assert purge_expired()["machine_translations"] == 2
        db.session.commit()
    page = soup(Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en"))
    assert page.find("h1").get_text() == f"[en] {ARABIC_TITLE}" and fake_translator.texts.count(ARABIC_TITLE) == 2


def test_a_translated_page_for_visitors_is_kept_in_the_page_cache_under_its_own_address(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url, PAGE_CACHE_SECONDS=30)
    _author, idea_id = _arabic_idea(app)
    client = Browser(app)
    original = client.get(f"/ideas/{idea_id}?lang=en").get_data(as_text=True)
    first = client.get(f"/ideas/{idea_id}?lang=en&translate=en").get_data(as_text=True)   # made and stored
    client.get(f"/ideas/{idea_id}?lang=en&translate=en")                                   # kept
    with count_queries(app) as queries:
        again = client.get(f"/ideas/{idea_id}?lang=en&translate=en").get_data(as_text=True)
    assert queries == [] and again == first and f"[en] {ARABIC_TITLE}" in again
    assert f"[en] {ARABIC_TITLE}" not in client.get(f"/ideas/{idea_id}?lang=en").get_data(as_text=True)
    assert ARABIC_TITLE in original


def test_what_the_service_answers_is_shown_as_text_never_as_markup(app_factory, monkeypatch):
    from app.translation import fake_libretranslate

    monkeypatch.setattr(fake_libretranslate, "translated",
                        lambda text, source, target: '<script>alert(1)</script><img src=x onerror="alert(2)"> **ok**')
    app = app_factory(TRANSLATE_URL="fixture:")
    _author, idea_id = _arabic_idea(app)
    response = Browser(app).get(f"/ideas/{idea_id}?lang=en&translate=en")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    page = soup(response)
    assert not page.select(".machine-translated script, .machine-translated img")
    assert "<script>alert(1)</script>" in page.find("h1").get_text()          # the title: plain text
    assert page.find(id="idea-text").find("strong").get_text() == "ok"       # the body: cleaned Markdown
