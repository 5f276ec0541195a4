"""Machine translation under attack: hostile addresses, a hostile or broken translation service, and what
one visitor's request may leave behind for the next."""
from __future__ import annotations

import pytest

from tests.helpers import Browser, make_event, make_idea, make_organisation, make_user, soup

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
