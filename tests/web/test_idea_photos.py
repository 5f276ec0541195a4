"""Photos on ideas: added with a description on the idea form, shown on the idea's page and as a thumbnail
on its card, refused beside the field (with the rest of the form kept) when they are not photos we take,
and seen by nobody but their author while they wait for a check or their idea is hidden."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.core.db import utcnow
from app.extensions import db
from app.ideas.models import Idea
from app.photos.models import Photo
from tests import photo_samples as samples
from tests.helpers import PASSWORD, Browser, count_queries, form_fields, make_idea, make_user, soup
from tests.photo_samples import make_photo

BODY = "Benken ved lekeplassen i Nonnegata er knekt, og barna klatrer på den."


def post_with_files(client, path: str, data: dict):
    """Send the form on ``path`` as a person does (its hidden fields too), files included. The body is made
    in memory here: the test client would spool a large upload to a temporary file it never closes."""
    values = form_fields(client.get(path), path) | data
    fields = [(k, FileStorage(v[0], filename=v[1]) if isinstance(v, tuple) else v) for k, v in values.items()
              if v is not None]
    boundary, body = encode_multipart(MultiDict(fields))
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _publish(client, photos: dict, **fields):
    data = {"district": "lademoen", "title": "Ny benk ved lekeplassen", "body": BODY, "publish": "1"} | fields
    for number, (content, name, alt) in photos.items():
        data[f"photos-{number}-file"] = (io.BytesIO(content), name)
        data[f"photos-{number}-alt_text"] = alt
    return post_with_files(client, "/ideas/new", data)


def _photos(app) -> list[Photo]:
    with app.app_context():
        found = list(db.session.scalars(select(Photo).order_by(Photo.id)))
        db.session.expunge_all()
        return found


def _ideas(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Idea.id)).all())


def test_a_resident_publishes_an_idea_with_a_described_photo_on_its_page_and_its_card(app, client, login_as):
    login_as("resident")
    response = _publish(client, {0: (samples.phone_jpeg(), "IMG_0042.HEIC.jpg", "Den knekte benken ved sandkassen")})
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    img = page.select_one("ul.photos picture img")
    assert img["alt"] == "Den knekte benken ved sandkassen"
    assert img["loading"] == "lazy" and img["width"] and img["height"] and "1280w" in img["srcset"]
    assert page.select_one("ul.photos picture source[type='image/webp']")["sizes"]
    assert client.get(img["src"]).status_code == 200
    for path in ("/ideas/", "/", "/districts/lademoen"):
        thumb = soup(client.get(path)).select_one(".idea-summary .thumb img")
        assert thumb is not None and thumb["alt"] == "Den knekte benken ved sandkassen", path


def test_the_form_says_why_a_photo_needs_a_description(app, client, login_as):
    login_as("resident")
    page = soup(client.get("/ideas/new"))
    assert page.select_one("form[enctype='multipart/form-data']") is not None
    hint = page.find(id="photos-hint").get_text()
    assert "People who cannot see the photo" in hint or "ikke kan se bildet" in hint
    # Said once above the photos, not again in each of them.
    assert page.select(".photo-field .hint") == []


def test_a_photo_without_a_description_is_refused_beside_it_and_what_was_typed_is_kept(app, client, login_as):
    login_as("resident")
    response = _publish(client, {0: (samples.phone_jpeg(), "benk.jpg", "")}, title="Benk uten beskrivelse")
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="photos-0-alt_text-error") is not None
    assert page.select_one(".error-summary a[href='#photos-0-alt_text']") is not None
    assert page.find(id="title")["value"] == "Benk uten beskrivelse"
    assert page.find(id="body").get_text().strip() == BODY
    assert _ideas(app) == 0 and _photos(app) == []


@pytest.mark.parametrize("content", [samples.php_polyglot(), samples.truncated_jpeg(), samples.forty_megabytes(),
                                     samples.SVG_WITH_SCRIPT], ids=["php-polyglot", "truncated", "40-MB", "svg"])
def test_a_file_we_cannot_take_is_refused_beside_its_field_and_the_rest_is_kept(app, client, login_as, content):
    login_as("resident")
    response = _publish(client, {1: (samples.phone_jpeg(), "fin.jpg", "Lekeplassen sett fra gata"),
                                 0: (content, "benk.jpg", "Benken")}, title="Benk med feil fil")
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="photos-0-file-error") is not None
    assert page.find(id="photos-0-alt_text")["value"] == "Benken"
    assert page.find(id="title")["value"] == "Benk med feil fil"
    assert _ideas(app) == 0 and _photos(app) == []


def test_a_preview_asks_for_the_photos_again_and_stores_nothing(app, client, login_as):
    login_as("resident")
    data = {"district": "lademoen", "title": "Benk med forhåndsvisning", "body": BODY, "preview": "1",
            "photos-0-file": (io.BytesIO(samples.png()), "benk.png"), "photos-0-alt_text": "Benken"}
    page = soup(post_with_files(client, "/ideas/new", data))
    assert page.find(id="photos-0-alt_text")["value"] == "Benken"
    # Said beside the photo itself, and right above the button that publishes, not far up the page.
    assert page.find(id="photos-0-file-error") is not None
    assert page.find(id="photos-1-file-error") is None
    again = page.find(id="photos-again")
    assert again.find_previous_sibling().name == "fieldset" and "photo-fields" in again.find_previous_sibling()["class"]
    assert again.find_next_sibling().select_one("button[name=publish]") is not None
    assert _photos(app) == []


def test_publishing_after_a_preview_without_choosing_the_photo_again_asks_for_it_and_publishes_nothing(
        app, client, login_as):
    login_as("resident")
    data = {"district": "lademoen", "title": "Benk etter forhåndsvisning", "body": BODY, "preview": "1",
            "photos-0-file": (io.BytesIO(samples.png()), "benk.png"), "photos-0-alt_text": "Benken"}
    preview = post_with_files(client, "/ideas/new", data)
    # What the preview page sends when Publiser is pressed, the photo not chosen again.
    fields: dict = form_fields(preview, action="/ideas/new")
    assert fields["photos-0-alt_text"] == "Benken"
    fields.update({"publish": "1"})
    fields.pop("preview", None)
    page = soup(post_with_files(client, "/ideas/new", fields))
    assert "Velg bildet på nytt, eller slett det du skrev om det" in page.find(id="photos-0-file-error").get_text()
    assert page.find(id="photos-0-alt_text")["value"] == "Benken"
    assert _ideas(app) == 0
    # Chosen again, it is published with the photo.
    fields["photos-0-file"] = (io.BytesIO(samples.png()), "benk.png")
    assert post_with_files(client, "/ideas/new", fields).status_code == 302
    assert _ideas(app) == 1 and len(_photos(app)) == 1


def test_a_preview_again_without_the_photo_chosen_again_still_says_so_above_the_button(app, client, login_as):
    login_as("resident")
    data = {"district": "lademoen", "title": "Benk uten bildet", "body": BODY, "preview": "1",
            "photos-0-alt_text": "Benken"}
    page = soup(post_with_files(client, "/ideas/new", data))
    assert page.find(id="photos-again") is not None


def test_finding_the_place_asks_for_the_photos_again_beside_them(app, client, login_as):
    login_as("resident")
    data = {"district": "lademoen", "title": "Benk ved stedet", "body": BODY, "find_place": "1",
            "place": "Nonnegata", "photos-0-file": (io.BytesIO(samples.png()), "benk.png"),
            "photos-0-alt_text": "Benken"}
    page = soup(post_with_files(client, "/ideas/new", data))
    assert page.find(id="photos-0-file-error") is not None
    assert page.find(id="photos-0-alt_text")["value"] == "Benken"
    assert _photos(app) == []


def test_the_author_adds_and_removes_photos_while_changing_the_idea(app, client, login_as):
    me = login_as("resident")
    idea_id = make_idea(app, me)
    old = make_photo(app, idea_id=idea_id, by_id=me.id, alt_text="Gammelt bilde")
    page = soup(client.get(f"/ideas/{idea_id}/edit"))
    assert page.find("input", {"name": "remove_photos", "value": old}) is not None
    assert page.find(id="photos-1-file") is not None and page.find(id="photos-2-file") is None  # room for two more
    response = post_with_files(client, f"/ideas/{idea_id}/edit", {
        "remove_photos": old, "photos-0-file": (io.BytesIO(samples.webp()), "ny.webp"),
        "photos-0-alt_text": "Nytt bilde av benken"})
    assert response.status_code == 302
    assert [p.alt_text for p in _photos(app)] == ["Nytt bilde av benken"]


def test_someone_else_cannot_change_the_photos_of_an_idea(app, client, login_as):
    idea_id = make_idea(app, make_user(app))
    login_as("resident")
    assert client.post(f"/ideas/{idea_id}/edit", data={}).status_code in (400, 403)
    assert client.get(f"/ideas/{idea_id}/edit").status_code == 403


def test_a_photo_waiting_for_a_check_is_shown_to_its_author_only(app_factory):
    app = app_factory(PREMODERATE=frozenset({"photos"}))
    author = Browser(app)
    assert author.submit("/account/login", {"email": make_user(app).email, "password": PASSWORD}).status_code == 302
    response = _publish(author, {0: (samples.phone_jpeg(), "benk.jpg", "Benken som venter")})
    assert response.status_code == 302
    path = response.headers["Location"]
    mine = soup(author.get(path))
    assert "før andre kan se det" in mine.select_one("ul.photos figcaption").get_text()  # "before others can see it"
    src = mine.select_one("ul.photos img")["src"]
    assert author.get(src).status_code == 200
    visitor = Browser(app)
    assert soup(visitor.get(path)).select_one("ul.photos") is None
    assert visitor.get(src).status_code == 404
    assert soup(visitor.get("/ideas/")).select_one(".idea-summary .thumb") is None


@pytest.mark.parametrize("state", ["hidden_at", "withdrawn_at"])
def test_a_hidden_or_withdrawn_idea_hides_its_photos(app, client, state):
    author = make_user(app)
    idea_id = make_idea(app, author)
    key = make_photo(app, idea_id=idea_id, by_id=author.id)
    with app.app_context():
        setattr(db.session.get(Idea, idea_id), state, utcnow())
        db.session.commit()
    assert client.get(f"/photos/{key}-640.jpg").status_code == 404
    assert key not in client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert key not in client.get("/ideas/").get_data(as_text=True)


def test_lists_of_ideas_need_no_more_queries_for_their_photos(app, client):
    author = make_user(app)
    make_photo(app, idea_id=make_idea(app, author, title="Første idé med bilde"), by_id=author.id)

    def measure() -> dict[str, int]:
        counts = {}
        for path in ("/ideas/", "/", "/districts/lademoen", "/ideas/?page=2"):
            client.get(path)
            with count_queries(app) as queries:
                assert client.get(path).status_code == 200
            counts[path] = len(queries)
        return counts

    few = measure()
    for n in range(25):
        idea_id = make_idea(app, author, title=f"Idé nummer {n} med bilder")
        make_photo(app, idea_id=idea_id, by_id=author.id)
        make_photo(app, idea_id=idea_id, by_id=author.id, alt_text="Et bilde til")
    assert measure() == few
    assert len(soup(client.get("/ideas/")).select(".idea-summary .thumb img")) == 20


def test_a_resident_can_report_a_photo_on_someone_elses_idea(app, client, login_as):
    author = make_user(app)
    idea_id = make_idea(app, author)
    key = make_photo(app, idea_id=idea_id, by_id=author.id)
    assert soup(client.get(f"/ideas/{idea_id}")).select_one("ul.photos a.report-photo") is None  # a visitor
    login_as("resident")
    link = soup(client.get(f"/ideas/{idea_id}")).select_one("ul.photos a.report-photo")
    assert link is not None and key in link["href"]


def test_a_moderator_reading_an_idea_sees_its_photos_with_their_state(app, client, login_as):
    author = make_user(app, role="resident")
    idea_id = make_idea(app, author)
    make_photo(app, idea_id=idea_id, by_id=author.id, alt_text="Benken sett forfra")
    make_photo(app, idea_id=idea_id, by_id=author.id, alt_text="Benken sett bakfra", held=True)
    make_photo(app, idea_id=idea_id, by_id=author.id, alt_text="Benken i mørket", hidden_at=utcnow())
    login_as("moderator", districts=("lademoen",))
    page = soup(client.get(f"/moderation/items/idea/{idea_id}"))
    figures = page.select("ul.photos figure")
    assert [f.img["alt"] for f in figures] == ["Benken sett forfra", "Benken sett bakfra", "Benken i mørket"]
    assert figures[1].figcaption is not None                 # waiting for a check
    assert figures[2].find_next_sibling("p") is not None     # hidden
