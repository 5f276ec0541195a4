"""A public answer is given in Bokmål, Nynorsk and English: each reader, on the idea page and in the
mail to supporters, gets their own language, or Bokmål with a note saying so."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.ideas.models import Idea
from tests.helpers import make_idea, make_user, outbox, soup

TEXTS = {"nb": "Vi melder lyset til bydrift i morgen.", "nn": "Vi melder lyset til bydrift i morgon.",
         "en": "We will report the light to the city's maintenance tomorrow."}


@pytest.fixture
def moderator(login_as):
    return login_as("moderator", districts=("lademoen",))


def _supporters(app, idea_id):
    from app.accounts.models import User
    from app.ideas import services

    people = {lang: make_user(app, locale=lang) for lang in TEXTS}
    with app.test_request_context():
        for person in people.values():
            services.support(db.session.get(Idea, idea_id), db.session.get(User, person.id))
        db.session.commit()
    return people


def _answer_block(response):
    [answer] = soup(response).select(".history .answer")
    return answer


def test_a_template_answer_is_read_in_bokmal_nynorsk_and_english_on_the_page_and_in_the_mail(app, client, moderator):
    client.submit("/moderation/templates", {"area": "3", "title": "Lys", "body_nb": TEXTS["nb"], "body_nn": TEXTS["nn"],
                                            "body_en": TEXTS["en"]})
    idea = make_idea(app, make_user(app), effort_area_id=3, status="routed")
    people = _supporters(app, idea)
    with app.app_context():
        from app.moderation.models import AnswerTemplate

        template_id = db.session.scalar(db.select(AnswerTemplate.id))
    page = f"/moderation/items/idea/{idea}?template={template_id}"
    # Choosing the template fills every language, whatever language the moderator reads the page in.
    form = soup(client.get(page + "&lang=en"))
    assert [form.find("textarea", {"name": name}).text.strip() for name in ("status-answer", "status-answer_nn", "status-answer_en")] \
        == [TEXTS["nb"], TEXTS["nn"], TEXTS["en"]]
    response = client.submit(page, {"status-status": "answered"}, action=f"/moderation/items/idea/{idea}/status")
    assert response.status_code == 302

    for lang, text in TEXTS.items():
        answer = _answer_block(client.get(f"/ideas/{idea}?lang={lang}"))
        assert text in answer.get_text() and answer.find(lang=lang) is not None
        assert "not been written in your language" not in answer.get_text() and "ikkje skrive" not in answer.get_text()
        others = [other for other in TEXTS.values() if other != text]
        assert not any(other in answer.get_text() for other in others)
        [mail] = outbox(app, people[lang].email)
        assert text in mail.body and not any(other in mail.body for other in others), lang


def test_an_answer_in_bokmal_only_is_shown_in_bokmal_with_a_note_to_the_other_readers(app, client, moderator):
    idea = make_idea(app, make_user(app), effort_area_id=3, status="routed")
    people = _supporters(app, idea)
    page = f"/moderation/items/idea/{idea}"
    refused = client.submit(page, {"status-status": "answered", "status-answer_en": "Only English."},
                            action=f"{page}/status")
    assert refused.status_code == 400 and soup(refused).find(id="status-answer-error") is not None
    assert client.submit(page, {"status-status": "answered", "status-answer": TEXTS["nb"]},
                         action=f"{page}/status").status_code == 302

    english = _answer_block(client.get(f"/ideas/{idea}?lang=en"))
    assert "not been written in your language" in english.get_text()
    assert TEXTS["nb"] in english.find(lang="nb").get_text()
    nynorsk = _answer_block(client.get(f"/ideas/{idea}?lang=nn"))
    assert "ikkje skrive på ditt språk" in nynorsk.get_text() and nynorsk.find(lang="nb") is not None
    bokmal = _answer_block(client.get(f"/ideas/{idea}?lang=nb"))
    assert TEXTS["nb"] in bokmal.get_text() and "ikke skrevet" not in bokmal.get_text()
    [mail] = outbox(app, people["en"].email)
    assert TEXTS["nb"] in mail.body and "not been written in your language" in mail.body
    [mail] = outbox(app, people["nb"].email)
    assert TEXTS["nb"] in mail.body and "ikke skrevet" not in mail.body


def test_the_you_said_we_did_list_gives_the_readers_language(app, client, moderator):
    idea = make_idea(app, make_user(app), title="Lys i undergangen", effort_area_id=3, status="routed")
    page = f"/moderation/items/idea/{idea}"
    client.submit(page, {"status-status": "done", "status-answer": TEXTS["nb"], "status-answer_en": TEXTS["en"]},
                  action=f"{page}/status")
    english = soup(client.get("/effort-areas/3?lang=en"))
    assert TEXTS["en"] in english.get_text() and TEXTS["nb"] not in english.get_text()
    nynorsk = soup(client.get("/effort-areas/3?lang=nn"))
    assert nynorsk.find(class_="answer", lang="nb") is not None and TEXTS["nb"] in nynorsk.get_text()


def test_routing_then_answering_writes_the_status_once_in_the_public_history(app, client, moderator):
    idea = make_idea(app, make_user(app), title="Møteplass",
                     body="Vi trenger en sosial møteplass i nærmiljøet, et sted der naboene kan treffes om kvelden.")
    page = f"/moderation/items/idea/{idea}"
    assert client.submit(page, {}, action=f"{page}/use-proposal").status_code == 302
    # The usual next step: the status stays "sent to the right team" and an answer is added.
    assert client.submit(page, {"status-answer": TEXTS["nb"]}, action=f"{page}/status").status_code == 302
    history = soup(client.get(f"/ideas/{idea}?lang=en")).select_one(".history")
    lines = [li.get_text(" ", strip=True) for li in history.select("ol > li")]
    assert sum("Sent to the right team" in line for line in lines) == 1, lines
    assert TEXTS["nb"] in history.get_text()
