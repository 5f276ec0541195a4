"""/api/v1/ideas: the public ideas exactly as /ideas/ lists them, and one idea with its public answers."""
from __future__ import annotations

import re

import pytest

from app.core.db import utcnow
from app.extensions import db
from config import TestingConfig
from tests.helpers import make_comment, make_idea, make_user, soup

BASE = TestingConfig.BASE_URL  # what absolute links are built on, whatever Host a request names

IDEA_FIELDS = {"id", "url", "title", "body_html", "language", "district", "effort_area", "status", "support_count",
               "comment_count", "created_at", "duplicate_of", "location"}


def _ids(response) -> list[int]:
    return [item["id"] for item in response.get_json()["items"]]


@pytest.fixture
def moderator(app):
    return make_user(app, "admin", display_name="Moderator Mia", email="mia.moderator@example.no")


def _route(app, moderator, idea_id: int, number: int, status: str | None = None, answer: str | None = None) -> None:
    """Route an idea (and give it a status with a public answer) as a moderator does."""
    from app.accounts.models import User
    from app.districts.services import get_effort_area
    from app.ideas.models import Idea
    from app.moderation import services as moderation

    with app.test_request_context():
        idea, actor = db.session.get(Idea, idea_id), db.session.get(User, moderator.id)
        moderation.route(idea, get_effort_area(number), [], actor, None)
        if status:
            moderation.set_status(idea, status, answer, actor, None)
        db.session.commit()


def test_only_public_ideas_are_listed_and_shown(app, client):
    author, blocked = make_user(app), make_user(app)
    visible = make_idea(app, author, title="Synlig forslag")
    make_comment(app, author, visible)
    make_comment(app, author, visible, hidden_at=utcnow(), hidden_reason="spam")
    not_public = [make_idea(app, author, title="Skjult forslag", hidden_at=utcnow(), hidden_reason="spam"),
                  make_idea(app, author, title="Trukket forslag", withdrawn_at=utcnow()),
                  make_idea(app, author, title="Ventende forslag", held_at=utcnow()),
                  make_idea(app, blocked, title="Blokkert forslag")]
    from app.accounts.models import User

    with app.app_context():
        db.session.get(User, blocked.id).blocked_at = utcnow()
        db.session.commit()
    body = client.get("/api/v1/ideas").get_json()
    assert [item["title"] for item in body["items"]] == ["Synlig forslag"]
    assert (body["total"], body["page"], body["pages"], body["per_page"]) == (1, 1, 1, 20)
    item = body["items"][0]
    assert set(item) == IDEA_FIELDS
    assert item["url"] == f"{BASE}/ideas/{visible}" and item["district"] == "lademoen" and item["language"] == "nb"
    assert (item["effort_area"], item["status"], item["comment_count"], item["duplicate_of"]) == (None, "new", 1, None)
    assert item["body_html"].startswith("<p>") and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", item["created_at"])
    detail = client.get(f"/api/v1/ideas/{visible}").get_json()
    assert detail == item | {"answers": []}
    for idea_id in not_public + [999999]:
        response = client.get(f"/api/v1/ideas/{idea_id}")
        assert response.status_code == 404 and response.mimetype == "application/problem+json", idea_id


def test_an_idea_shows_the_municipalitys_public_answers_without_who_gave_them(app, client, moderator):
    idea_id = make_idea(app, make_user(app))
    _route(app, moderator, idea_id, 3, "answered", "Vi tar dette med til **bydelsteamet**.")
    detail = client.get(f"/api/v1/ideas/{idea_id}").get_json()
    assert (detail["effort_area"], detail["status"]) == (3, "answered")
    [answer] = detail["answers"]
    assert set(answer) == {"status", "answered_at", "answer_html", "answer_html_by_language"}
    assert answer["status"] == "answered" and "<strong>bydelsteamet</strong>" in answer["answer_html"]
    # Written in Bokmål only: the other languages say so with null rather than repeating the Bokmål text.
    assert answer["answer_html_by_language"] == {"nb": answer["answer_html"], "nn": None, "en": None}
    assert "Mia" not in str(detail) and "mia.moderator" not in str(detail)


FILTERS = ["", "district=mollenberg", "area=3", "status=routed", "q=benker", "q=benker+parken", "sort=supported",
           "district=lademoen&area=3&status=routed&sort=supported", "q=%C3%B8nsker", "page=2", "district=lademoen&sort=supported"]


@pytest.mark.parametrize("query", FILTERS)
def test_filters_sorting_and_pages_mean_what_they_mean_on_the_ideas_page(app, client, moderator, query):
    author = make_user(app)
    ideas = [make_idea(app, author, district=("lademoen", "mollenberg")[n % 2], title=f"Forslag nummer {n}",
                       body="Flere benker i parken." if n % 3 else "Vi ønsker et nytt lekeapparat.", support_count=n % 5)
             for n in range(23)]
    for idea_id in ideas[2:9:3]:
        _route(app, moderator, idea_id, 3)
    if query == "page=2":   # the ideas page reaches its second page by its "Next page" link
        html = client.get(soup(client.get("/ideas/")).find("a", rel="next")["href"]).get_data(as_text=True)
    else:
        html = client.get(f"/ideas/?{query}").get_data(as_text=True)
    on_page = [int(n) for n in re.findall(r'href="/ideas/(\d+)"', html)]
    assert on_page
    assert _ids(client.get(f"/api/v1/ideas?{query}")) == on_page


def test_pages_link_to_their_neighbours_by_key_with_the_same_filters(app, client):
    author = make_user(app)
    for n in range(25):
        make_idea(app, author, title=f"Forslag {n}")
    first = client.get("/api/v1/ideas?district=lademoen&sort=newest").get_json()
    assert (first["total"], first["page"], first["pages"], len(first["items"])) == (25, 1, 2, 20)
    assert first["links"]["prev"] is None
    assert re.fullmatch(rf"/api/v1/ideas\?district=lademoen&sort=newest&after=[0-9]+\.{first['items'][-1]['id']}",
                        first["links"]["next"])
    second = client.get(first["links"]["next"]).get_json()
    assert len(second["items"]) == 5 and set(_ids(client.get(first["links"]["next"]))).isdisjoint(
        item["id"] for item in first["items"])
    assert (second["page"], second["total"], second["links"]["next"]) == (None, 25, None)
    back = client.get(second["links"]["prev"]).get_json()
    assert back["items"] == first["items"] and back["links"]["prev"] is None
    assert client.get(first["links"]["next"] + "&page=1").get_json() == second   # a key wins over page
    numbered = client.get("/api/v1/ideas?district=lademoen&sort=newest&page=2").get_json()
    assert numbered["items"] == second["items"] and numbered["page"] == 2
    beyond = client.get("/api/v1/ideas?page=3").get_json()
    assert beyond["items"] == [] and beyond["page"] == 3
    assert beyond["links"] == {"next": None, "prev": "/api/v1/ideas?page=2"}


@pytest.mark.parametrize("sort", ["newest", "supported"])
def test_following_next_reads_every_idea_once_in_the_order_of_the_list(app, client, sort):
    author = make_user(app)
    ids = [make_idea(app, author, title=f"Forslag {n}") for n in range(45)]
    with app.app_context():
        from app.ideas.models import Idea
        for n, idea_id in enumerate(ids):
            db.session.get(Idea, idea_id).support_count = n % 4   # ties, broken by id
        db.session.commit()
    seen, url = [], f"/api/v1/ideas?sort={sort}"
    while url:
        body = client.get(url).get_json()
        seen += [item["id"] for item in body["items"]]
        url = body["links"]["next"]
    assert seen == _ids(client.get(f"/api/v1/ideas?sort={sort}&page=1")) + _ids(
        client.get(f"/api/v1/ideas?sort={sort}&page=2")) + _ids(client.get(f"/api/v1/ideas?sort={sort}&page=3"))
    assert sorted(seen) == sorted(ids)


def test_a_deep_page_by_number_is_refused_and_points_at_the_links(client):
    response = client.get("/api/v1/ideas?page=51")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert response.get_json()["parameter"] == "page" and "links.next" in response.get_json()["detail"]
    assert client.get("/api/v1/ideas?page=50").status_code == 200
    assert client.get("/api/v1/ideas.geojson?page=6").status_code == 400
    assert client.get("/api/v1/ideas.geojson?page=5").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/ideas", "/api/v1/ideas.geojson", "/api/v1/events"])
@pytest.mark.parametrize("query, parameter", [
    ("after=garbage", "after"), ("after=", "after"), ("after=12", "after"), ("after=1.2.3", "after"),
    ("after=-5.3", "after"), ("after=5.-3", "after"), ("after=5.0", "after"), ("after=+5.3", "after"),
    ("after=05.3", "after"), ("after=5.%203", "after"), ("before=%EF%BC%95.3", "before"),
    ("after=253370764800000001.3", "after"), ("after=99999999999999999999999999.3", "after"),
    ("before=5.2147483648", "before"), ("after=5.3&after=6.3", "after"), ("after=5.3&page=0", "page"),
    ("after=5.3&before=x", "before"), ("after=x&before=5.3", "after"),
])
def test_a_key_not_from_the_links_is_refused(client, path, query, parameter):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert response.get_json()["parameter"] == parameter


@pytest.mark.parametrize("path", ["/api/v1/ideas", "/api/v1/ideas?sort=supported", "/api/v1/ideas.geojson",
                                  "/api/v1/events"])
@pytest.mark.parametrize("key", ["0.1", "253370764800000000.2147483647", "1796625877553428.1"])
def test_a_key_at_the_ends_of_its_range_answers(app, client, path, key):
    make_idea(app, make_user(app))
    for side in ("after", "before"):
        response = client.get(f"{path}{'&' if '?' in path else '?'}{side}={key}")
        assert response.status_code == 200, (side, response.get_data(as_text=True))


@pytest.mark.parametrize("query, parameter", [
    ("district=nowhere", "district"), ("district=", "district"), ("district=lademoen&district=mollenberg", "district"),
    ("area=9", "area"), ("area=abc", "area"), ("area=03", "area"), ("status=open", "status"), ("sort=oldest", "sort"),
    ("page=0", "page"), ("page=-1", "page"), ("page=1.5", "page"), ("page=2147483648", "page"), ("page=²", "page"),
    ("q=" + "a" * 201, "q"),
])
def test_a_value_that_is_not_allowed_is_refused_with_the_parameter_named(client, query, parameter):
    response = client.get(f"/api/v1/ideas?{query}")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400 and body["parameter"] == parameter and parameter in body["detail"]


def test_parameters_the_api_does_not_know_are_ignored(app, client):
    make_idea(app, make_user(app))
    assert len(_ids(client.get("/api/v1/ideas?utm_source=nyhetsbrev&_=12345"))) == 1
