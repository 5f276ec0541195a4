"""Proposing, finding, supporting and discussing ideas."""
from __future__ import annotations

import pytest

from app.core.db import utcnow
from app.extensions import db
from app.ideas.models import Comment, Idea, Support
from app.moderation import reports
from app.submissions.models import Report
from tests.helpers import Browser, form_fields, make_comment, make_idea, make_user, outbox, soup

BODY = "Det trengs flere benker langs stien ved Lademoen kirke, og noen bord der man kan spise."


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def test_a_visitor_is_sent_to_log_in_and_brought_back_to_the_form(app, client):
    response = client.get("/ideas/new?district=mollenberg")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    user = make_user(app)
    login = client.submit(response.headers["Location"], {"email": user.email, "password": "lilla giraff sykler hjem"})
    assert login.headers["Location"] == "/ideas/new?district=mollenberg"
    page = soup(client.get(login.headers["Location"]))
    assert page.find("option", selected=True, value="mollenberg") is not None


def test_what_was_typed_survives_a_session_that_ended_before_sending(app, client, login_as):
    user = login_as("resident")
    form = form_fields(client.get("/ideas/new"), "/ideas/new")
    with app.app_context():  # the login ended while typing (logged out everywhere from another device)
        from app.accounts.models import User

        db.session.get(User, user.id).session_version += 1
        db.session.commit()
    form.update(district="tempe-sorgenfri", title="Lys i Sorgenfriveien", body=BODY, preview="1")
    response = client.post("/ideas/new", data=form)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    client.submit(response.headers["Location"], {"email": user.email, "password": "lilla giraff sykler hjem"})
    page = soup(client.get("/ideas/new"))
    assert page.find("input", {"name": "title"})["value"] == "Lys i Sorgenfriveien"
    assert page.find("textarea", {"name": "body"}).text.strip() == BODY
    assert page.find("option", selected=True, value="tempe-sorgenfri") is not None


def test_propose_with_preview_then_publish(app, client, login_as):
    login_as("resident")
    preview = client.submit("/ideas/new", {"district": "lademoen", "title": "Benker ved kirka", "body": BODY + " *Takk!*",
                                           "effort_area": "3", "preview": "1"})
    assert preview.status_code == 200
    page = soup(preview)
    assert page.find(class_="preview").find("em").get_text() == "Takk!"
    assert _count(app, Idea) == 0  # nothing is stored by a preview
    values = form_fields(preview, "/ideas/new")
    values.pop("preview", None)
    values["publish"] = "1"
    published = client.post("/ideas/new", data=values)
    assert published.status_code == 302
    idea_page = soup(client.get(published.headers["Location"]))
    assert idea_page.find("h1").get_text() == "Benker ved kirka"
    assert "Mottatt" in idea_page.select_one(".facts").get_text()  # not yet looked at by a moderator
    with app.app_context():
        idea = db.session.scalar(db.select(Idea))
        assert idea.suggested_effort_area.number == 3 and idea.effort_area_id is None


def test_preview_lists_similar_ideas_in_the_same_district(app, client, login_as):
    other = make_user(app)
    make_idea(app, other, "lademoen", "Flere benker i Lademoparken", BODY)
    make_idea(app, other, "mollenberg", "Benker ved elva", BODY)
    login_as("resident")
    preview = client.submit("/ideas/new", {"district": "lademoen", "title": "Benker til eldre", "body": BODY, "preview": "1"})
    similar = soup(preview).find(id="similar-title").find_parent("section")
    titles = [a.get_text() for a in similar.find_all("a")]
    assert titles == ["Flere benker i Lademoparken"]


def test_a_double_submitted_idea_is_stored_once(app, client, login_as):
    login_as("resident")
    values = form_fields(client.get("/ideas/new"), "/ideas/new")
    values.update(district="lademoen", title="Dobbeltklikk", body=BODY, publish="1")
    first, second = client.post("/ideas/new", data=values), client.post("/ideas/new", data=values)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(app, Idea) == 1


@pytest.mark.parametrize("field,value", [
    ("title", "Kort"), ("title", "x" * 121), ("body", "For kort tekst"), ("body", "y" * 5001),
    ("district", "oslo"), ("title", "Med\x00nullbyte"),
])
def test_invalid_ideas_are_refused_beside_the_field_and_keep_the_text(app, client, login_as, field, value):
    login_as("resident")
    data = {"district": "lademoen", "title": "En god tittel", "body": BODY, "publish": "1"}
    data[field] = value
    response = client.submit("/ideas/new", data)
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id=f"{field}-error") is not None
    kept = page.find("textarea", {"name": "body"}).text.strip()
    assert kept == data["body"].strip()  # the text is given back as typed
    assert _count(app, Idea) == 0


def test_premoderated_ideas_wait_unseen(app_factory):
    app = app_factory(PREMODERATE=frozenset({"ideas"}))
    client = Browser(app)
    author = make_user(app)
    client.submit("/account/login", {"email": author.email, "password": "lilla giraff sykler hjem"})
    values = form_fields(client.get("/ideas/new"), "/ideas/new")
    values.update(district="lademoen", title="Venter på godkjenning", body=BODY, publish="1")
    location = client.post("/ideas/new", data=values).headers["Location"]
    assert client.get(location).status_code == 200  # the author sees it, marked as waiting
    assert "Venter på godkjenning" not in Browser(app).get("/ideas/").get_data(as_text=True)
    assert Browser(app).get(location).status_code == 404


def test_author_may_edit_and_withdraw_while_new_but_not_after_routing(app, client, login_as):
    author = login_as("resident")
    idea_id = make_idea(app, author)
    response = client.submit(f"/ideas/{idea_id}/edit", {"title": "Ny tittel her", "body": BODY, "district": "lademoen"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Idea, idea_id).title == "Ny tittel her"
        db.session.get(Idea, idea_id).status = "routed"
        db.session.commit()
    assert client.get(f"/ideas/{idea_id}/edit").status_code == 302
    other = make_idea(app, author, title="Skal trekkes")
    client.submit(f"/ideas/{other}", {}, action=f"/ideas/{other}/withdraw")
    assert Browser(app).get(f"/ideas/{other}").status_code == 404
    assert "Skal trekkes" not in Browser(app).get("/ideas/").get_data(as_text=True)


def test_others_cannot_edit_or_withdraw(app, client, login_as):
    idea_id = make_idea(app, make_user(app))
    login_as("resident")
    assert client.get(f"/ideas/{idea_id}/edit").status_code == 403
    assert client.submit(f"/ideas/{idea_id}", {}, action=f"/ideas/{idea_id}/withdraw").status_code == 403


def test_support_once_and_withdraw(app, client, login_as):
    idea_id = make_idea(app, make_user(app))
    login_as("resident")
    values = form_fields(client.get(f"/ideas/{idea_id}"), f"/ideas/{idea_id}/support")
    for _ in range(2):  # a double click sends the same form twice
        assert client.post(f"/ideas/{idea_id}/support", data=values).status_code == 302
    assert _count(app, Support) == 1
    with app.app_context():
        assert db.session.get(Idea, idea_id).support_count == 1
    assert soup(client.get(f"/ideas/{idea_id}")).find(id="support").find("input", {"name": "withdraw"})
    client.submit(f"/ideas/{idea_id}", {}, action=f"/ideas/{idea_id}/support")  # the form now withdraws
    assert _count(app, Support) == 0
    with app.app_context():
        assert db.session.get(Idea, idea_id).support_count == 0


def test_supporters_and_author_are_told_when_the_status_changes_in_their_language(app, client):
    from app.accounts.models import User
    from app.ideas import services
    from app.submissions.models import StatusChange

    author = make_user(app, locale="en")
    idea_id = make_idea(app, author)
    supporter = make_user(app, locale="nn")
    quiet = make_user(app)
    with app.test_request_context():
        idea = db.session.get(Idea, idea_id)
        for user in (supporter, quiet):
            services.support(idea, db.session.get(User, user.id))
        db.session.get(User, quiet.id).mail_idea_updates = False
        change = StatusChange(submission_id=idea_id, old_status="new", new_status="answered",
                              public_answer="Vi ser på det.")
        db.session.add(change)
        db.session.flush()
        assert services.notify_status_change(idea, change) == 2
        db.session.commit()
    [to_author] = outbox(app, author.email)
    [to_supporter] = outbox(app, supporter.email)
    assert to_author.locale == "en" and "Vi ser på det." in to_author.body
    assert to_supporter.locale == "nn" and "/account/unsubscribe/" in to_supporter.body
    assert outbox(app, quiet.email) == []


def test_comments_are_plain_text_with_clickable_links(app, client, login_as):
    idea_id = make_idea(app, make_user(app))
    login_as("resident")
    response = client.submit(f"/ideas/{idea_id}", {"body": "Se https://trondheim.kommune.no/ <b>fet</b>"},
                             action=f"/ideas/{idea_id}/comments")
    assert response.status_code == 302
    comments = soup(client.get(f"/ideas/{idea_id}")).find(class_="comment-list")
    link = comments.find("a", href="https://trondheim.kommune.no/")
    assert link is not None and set(link["rel"]) == {"nofollow", "ugc", "noopener"}
    assert comments.find("b") is None and "<b>fet</b>" in comments.get_text()


def test_comment_length_limits(app, client, login_as):
    idea_id = make_idea(app, make_user(app))
    login_as("resident")
    for body in ("", "x" * 2001):
        response = client.submit(f"/ideas/{idea_id}", {"body": body}, action=f"/ideas/{idea_id}/comments")
        assert response.status_code == 400
        assert soup(response).find(id="body-error") is not None
    assert _count(app, Comment) == 0


def test_report_once_per_person_per_item(app, client, login_as):
    author = make_user(app)
    idea_id = make_idea(app, author)
    comment_id = make_comment(app, author, idea_id)
    login_as("resident")
    for path in (f"/ideas/{idea_id}/report", f"/ideas/comments/{comment_id}/report"):
        assert client.submit(path, {"reason": "spam", "details": "reklame"}).status_code == 302
        again = client.submit(path, {"reason": "harassment"}, follow_redirects=True)
        assert again.status_code == 200
    assert _count(app, Report) == 2
    other = make_idea(app, author, title="Enda en idé")
    refused = client.submit(f"/ideas/{other}/report", {"reason": "not-a-reason", "details": "noe"})
    assert refused.status_code == 400
    assert soup(refused).find(id="reason-error") is not None
    assert soup(refused).find("textarea", {"name": "details"}).text.strip() == "noe"


def test_hidden_items_show_a_placeholder_with_the_reason_never_the_content(app, client):
    author = make_user(app)
    idea_id = make_idea(app, author, title="Skjult tittel", body="Hemmelig innhold som ikke skal vises.",
                        hidden_at=utcnow(), hidden_reason="harassment")
    page = client.get(f"/ideas/{idea_id}?lang=en").get_data(as_text=True)
    assert "Skjult tittel" not in page and "Hemmelig innhold" not in page
    assert "Hidden by a moderator: harassment" in page
    visible = make_idea(app, author, title="Synlig idé")
    make_comment(app, author, visible, body="Vises ikke", hidden_at=utcnow(), hidden_by_reports=True)
    page = client.get(f"/ideas/{visible}?lang=en").get_data(as_text=True)
    assert "Vises ikke" not in page and "temporarily hidden while we review it" in page


def test_public_lists_use_the_one_visibility_filter(app, client):
    author = make_user(app)
    blocked = make_user(app)
    make_idea(app, author, title="Synlig forslag")
    make_idea(app, author, title="Skjult forslag", hidden_at=utcnow(), hidden_reason="spam")
    make_idea(app, author, title="Trukket forslag", withdrawn_at=utcnow())
    make_idea(app, author, title="Ventende forslag", held_at=utcnow())
    make_idea(app, blocked, title="Blokkert forslag")
    from app.accounts.models import User

    with app.app_context():
        db.session.get(User, blocked.id).blocked_at = utcnow()
        db.session.commit()
    for path in ("/ideas/", "/ideas/?q=forslag", "/districts/lademoen", "/"):
        text = client.get(path).get_data(as_text=True)
        assert "Synlig forslag" in text, path
        for hidden in ("Skjult forslag", "Trukket forslag", "Ventende forslag", "Blokkert forslag"):
            assert hidden not in text, (path, hidden)
    assert "1 idé" in soup(client.get("/ideas/")).find(id="results").get_text()


def test_search_treats_search_syntax_as_text(app, client):
    make_idea(app, make_user(app), title="Lys på stien", body="Stien trenger lys om vinteren, den er mørk.")
    for q in ('"', "lys OR", "NEAR(lys stien)", "lys*", "-lys", "lys AND NOT stien", "^lys", "'; DROP TABLE ideas;--",
              "\x00", "title:lys", "(((", "lys:*"):
        response = client.get("/ideas/", query_string={"q": q})
        assert response.status_code == 200, q
    assert "Lys på stien" in client.get("/ideas/?q=lys+stien").get_data(as_text=True)
    assert "Lys på stien" not in client.get("/ideas/?q=lys+sykkel").get_data(as_text=True)


def test_filters_sorting_and_pages(app, client):
    author = make_user(app)
    supporters = [make_user(app) for _ in range(2)]
    first = make_idea(app, author, "lademoen", "Første idé om parken", BODY)
    make_idea(app, author, "mollenberg", "Idé fra Møllenberg", BODY)
    popular = make_idea(app, author, "lademoen", "Populær idé om parken", BODY)
    from app.accounts.models import User
    from app.ideas import services

    with app.test_request_context():
        for s in supporters:
            services.support(db.session.get(Idea, popular), db.session.get(User, s.id))
        db.session.get(Idea, first).status = "answered"
        db.session.commit()
    titles = lambda path: [h.get_text() for h in soup(client.get(path)).select(".idea-list h3")]  # noqa: E731
    assert titles("/ideas/?district=lademoen") == ["Populær idé om parken", "Første idé om parken"]
    assert titles("/ideas/?sort=supported")[0] == "Populær idé om parken"
    assert titles("/ideas/?status=answered") == ["Første idé om parken"]
    assert titles("/ideas/?district=nowhere&status=bogus&sort=x&page=-1")  # bad values are ignored
    for n in range(21):
        make_idea(app, author, "tempe-sorgenfri", f"Masse ideer nummer {n}", BODY)
    first = soup(client.get("/ideas/?district=tempe-sorgenfri"))
    assert len(first.select(".idea-list > li")) == 20 and first.find("a", rel="prev") is None
    page2 = soup(client.get(first.find("a", rel="next")["href"]))
    assert [h.get_text() for h in page2.select(".idea-list h3")] == ["Masse ideer nummer 0"]
    assert page2.find("a", rel="next") is None
    back = soup(client.get(page2.find("a", rel="prev")["href"]))
    assert [h.get_text() for h in back.select(".idea-list h3")][0] == "Masse ideer nummer 20"
    assert back.find("a", rel="prev") is None and back.find("a", rel="next")
    # An old link to a numbered page shows the first page.
    assert len(soup(client.get("/ideas/?district=tempe-sorgenfri&page=2")).select(".idea-list > li")) == 20
    # A key no idea could have, or one past the end, shows no error.
    assert client.get("/ideas/?after=99999999999999999999.1").status_code == 200
    assert client.get("/ideas/?after=1.1&sort=supported").status_code == 200
    # More supporters than a database integer holds (PostgreSQL refuses to compare with it).
    for key in ("after", "before"):
        assert client.get(f"/ideas/?{key}=2147483648.1&sort=supported").status_code == 200
        assert client.get(f"/ideas/?{key}=253370764800000000.1&sort=supported").status_code == 200


def test_account_lists_my_ideas_comments_and_supports(app, client, login_as):
    me = login_as("resident")
    mine = make_idea(app, me, title="Min egen idé")
    theirs = make_idea(app, make_user(app), title="Andres idé")
    make_comment(app, me, theirs, body="Min kommentar her")
    client.submit(f"/ideas/{theirs}", {}, action=f"/ideas/{theirs}/support")
    account = soup(client.get("/account/"))
    assert account.find("a", href=f"/ideas/{mine}").get_text() == "Min egen idé"
    assert "Min kommentar her" in account.find(id="my-comments-title").find_parent("section").get_text()
    assert account.find(id="my-supports-title").find_parent("section").find("a", href=f"/ideas/{theirs}")


def test_district_and_effort_area_pages_show_their_latest_ideas(app, client):
    author = make_user(app)
    make_idea(app, author, "mollenberg", "Idé for Møllenberg", BODY)
    routed = make_idea(app, author, "lademoen", "Sortert idé", BODY)
    from app.districts.services import get_effort_area

    with app.app_context():
        db.session.get(Idea, routed).effort_area_id = get_effort_area(3).id
        db.session.get(Idea, routed).status = "routed"
        db.session.commit()
    assert "Idé for Møllenberg" in client.get("/districts/mollenberg").get_data(as_text=True)
    assert "Idé for Møllenberg" not in client.get("/districts/lademoen").get_data(as_text=True)
    area = client.get("/effort-areas/3").get_data(as_text=True)
    assert "Sortert idé" in area and "Idé for Møllenberg" not in area


def test_markup_in_an_idea_is_shown_as_text(app, client):
    idea_id = make_idea(app, make_user(app), body="Vi trenger <en plass> ved skolen, og <b>mer</b> lys.")
    prose = soup(client.get(f"/ideas/{idea_id}")).find(class_="prose")
    assert "<en plass>" in prose.get_text() and "<b>mer</b>" in prose.get_text()
    assert prose.find("b") is None


def test_a_hidden_idea_hides_its_comments_too(app, client):
    author = make_user(app)
    idea_id = make_idea(app, author)
    make_comment(app, author, idea_id, body="Sitat fra den skjulte ideen")
    with app.app_context():
        db.session.get(Idea, idea_id).hidden_at = utcnow()
        db.session.commit()
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "Sitat fra den skjulte ideen" not in page


def test_held_ideas_are_seen_by_their_author_and_their_districts_moderators_only(app, client, login_as):
    idea_id = make_idea(app, make_user(app), district="lademoen", held_at=utcnow())
    for role, districts, expected in (("moderator", ("mollenberg",), 404), ("moderator", ("lademoen",), 200),
                                      ("admin", (), 200), ("resident", (), 404)):
        browser = Browser(app)
        login_as(role, browser=browser, districts=districts)
        assert browser.get(f"/ideas/{idea_id}").status_code == expected, (role, districts)


def test_editing_under_premoderation_waits_for_approval_again(app_factory):
    app = app_factory(PREMODERATE=frozenset({"ideas"}))
    author = make_user(app)
    idea_id = make_idea(app, author, held_at=None)  # approved already
    browser = Browser(app)
    browser.submit("/account/login", {"email": author.email, "password": "lilla giraff sykler hjem"})
    browser.submit(f"/ideas/{idea_id}/edit", {"title": "Endret etter godkjenning", "body": BODY, "district": "lademoen"})
    assert "Endret etter godkjenning" not in Browser(app).get("/ideas/").get_data(as_text=True)


def test_moving_an_idea_to_another_district_moves_its_comments_and_reports(app, client, login_as):
    author = login_as("resident")
    idea_id = make_idea(app, author, district="lademoen")
    commenter = make_user(app)
    comment_id = make_comment(app, commenter, idea_id)
    from app.accounts.models import User
    from app.submissions.models import Submission

    with app.test_request_context():
        reports.report(db.session.get(Comment, comment_id), db.session.get(User, author.id), "spam", None)
        db.session.commit()
    client.submit(f"/ideas/{idea_id}/edit", {"title": "Flyttet idé", "body": BODY, "district": "mollenberg"})
    with app.app_context():
        slugs = {s.district.slug for s in db.session.scalars(db.select(Submission))}
    assert slugs == {"mollenberg"}


def test_authors_cannot_support_their_own_idea(app, client, login_as):
    author = login_as("resident")
    idea_id = make_idea(app, author)
    assert soup(client.get(f"/ideas/{idea_id}")).find(id="support").find("form") is None
    client.post(f"/ideas/{idea_id}/support", data=form_fields(client.get(f"/ideas/{idea_id}")))
    assert _count(app, Support) == 0


def test_withdrawing_asks_first(app, client, login_as):
    author = login_as("resident")
    idea_id = make_idea(app, author)
    confirm = client.get(f"/ideas/{idea_id}/withdraw")
    assert confirm.status_code == 200 and soup(confirm).find("form", action=f"/ideas/{idea_id}/withdraw")
    with app.app_context():
        assert db.session.get(Idea, idea_id).withdrawn_at is None


# Who may use which idea route: (method, path template, role) -> expected status or "login".
ROUTE_TABLE = [
    ("GET", "/ideas/new", "visitor", "login"), ("GET", "/ideas/new", "unverified", 403),
    ("GET", "/ideas/new", "resident", 200), ("GET", "/ideas/new", "moderator", 200),
    ("GET", "/ideas/{idea}/edit", "visitor", "login"), ("GET", "/ideas/{idea}/edit", "resident", 403),
    ("GET", "/ideas/{idea}/edit", "author", 200), ("GET", "/ideas/{idea}/edit", "unverified", 403),
    ("GET", "/ideas/{idea}/withdraw", "resident", 403), ("GET", "/ideas/{idea}/withdraw", "author", 200),
    ("GET", "/ideas/{idea}/report", "visitor", "login"), ("GET", "/ideas/{idea}/report", "unverified", 403),
    ("GET", "/ideas/{idea}/report", "resident", 200),
    ("POST", "/ideas/{idea}/support", "visitor", "login"), ("POST", "/ideas/{idea}/support", "unverified", 403),
    ("POST", "/ideas/{idea}/support", "resident", 302),
    ("POST", "/ideas/{idea}/comments", "unverified", 403), ("POST", "/ideas/{idea}/comments", "visitor", "login"),
    ("GET", "/ideas/{idea}", "visitor", 200), ("GET", "/ideas/", "visitor", 200),
    ("GET", "/districts/lademoen/feedback", "visitor", 200), ("GET", "/districts/lademoen/feedback", "resident", 200),
]


@pytest.mark.parametrize("method,path,role,expected", ROUTE_TABLE)
def test_idea_routes_per_role(app, client, login_as, method, path, role, expected):
    author = make_user(app)
    idea_id = make_idea(app, author)
    if role == "author":
        client.submit("/account/login", {"email": author.email, "password": "lilla giraff sykler hjem"})
    else:
        login_as(role)
    url = path.format(idea=idea_id)
    token = form_fields(client.get("/account/reset"))["csrf_token"]
    response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
    if expected == "login":
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    else:
        assert response.status_code == expected


def test_an_idea_and_a_comment_are_marked_up_in_the_language_they_are_written_in(app, client, login_as):
    """An English idea on a Bokmål page carries lang="en", so a screen reader reads it in English."""
    login_as("resident")
    form = soup(client.get("/ideas/new"))
    choice = form.find("select", {"name": "language"})
    assert choice.find("option", selected=True)["value"] == ""   # found from the text unless the author says
    assert choice.find("option", value="ar")["lang"] == "ar" and choice.find("option", value="ar").get_text() == "العربية"
    values = form_fields(client.get("/ideas/new"), "/ideas/new")
    values.update(district="lademoen", title="Benches in the park", body="We need more benches in the park, please.",
                  language="en", publish="1")
    published = client.post("/ideas/new", data=values)
    assert published.status_code == 302
    page = soup(client.get(published.headers["Location"]))
    assert page.find("html")["lang"] == "nb"
    assert page.find("h1")["lang"] == "en" and page.select_one(".idea .prose")["lang"] == "en"
    listed = soup(client.get("/ideas/")).find("a", string="Benches in the park")
    assert listed["lang"] == "en"
    idea_id = int(published.headers["Location"].rsplit("/", 1)[1])
    client.get("/?lang=nn")
    client.submit(f"/ideas/{idea_id}", {"body": "Eg er einig."}, action=f"/ideas/{idea_id}/comments")
    comment = soup(client.get(f"/ideas/{idea_id}")).find(string=lambda text: text and "Eg er einig." in text)
    assert comment.find_parent(class_="prose")["lang"] == "nn"
    # A language we do not know is found from the text instead.
    values.update(title="Nok en benk", language="xx", submission_id="another-submission-id-123")
    other = client.post("/ideas/new", data=values)
    with app.app_context():
        assert db.session.get(Idea, int(other.headers["Location"].rsplit("/", 1)[1])).language == "en"


def test_a_search_counts_its_matches_up_to_a_limit(app, client, monkeypatch):
    from app.ideas import services

    author = make_user(app)
    for n in range(4):
        make_idea(app, author, title=f"Benker ved elva nummer {n}")
    make_idea(app, author, title="Noe helt annet", body="Om lys langs stien om kvelden, ikke noe mer.")
    heading = lambda path: soup(client.get(path)).select_one("#results").get_text()  # noqa: E731
    assert heading("/ideas/?q=benker") == "4 ideer"
    monkeypatch.setattr(services, "SEARCH_COUNT_LIMIT", 2)
    assert heading("/ideas/?q=benker") == "Mer enn 2 ideer"
    assert heading("/ideas/") == "5 ideer"   # the total of every idea comes from the kept tallies
    assert heading("/ideas/?q=benker&view=map") == "0 ideer med sted"
