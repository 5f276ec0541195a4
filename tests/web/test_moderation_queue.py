"""The moderation queue list: finding an item, its order (urgent first, oldest or newest), pages without OFFSET."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.db import utcnow
from app.core.models import AuditEntry
from app.extensions import db
from app.feedback.models import Feedback
from app.submissions.models import Submission
from tests.helpers import Browser, count_queries, make_idea, make_user, outbox, soup


def _feedback(app, body: str, district: str = "lademoen", days_ago: float = 0, client: str = "1.1.1.1") -> tuple[int, str]:
    from app.districts.services import get_district
    from app.feedback import services

    with app.test_request_context():
        item = services.submit_feedback(get_district(district), body, {"safety": 3}, None, None, None, None, False, client)
        item.created_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()
        return item.id, item.receipt_code


def _many(app, n: int, district: str = "lademoen") -> list[int]:
    """``n`` waiting feedback items, one a minute apart, the first the oldest."""
    start = utcnow() - timedelta(days=1)
    ids = []
    with app.app_context():
        from app.districts.services import get_district
        from app.feedback.services import new_receipt_code

        district_id = get_district(district).id
        for number in range(n):
            item = Feedback(district_id=district_id, body=f"Tilbakemelding nummer {number}", receipt_code=new_receipt_code(),
                            created_at=start + timedelta(minutes=number))
            db.session.add(item)
            db.session.flush()
            ids.append(item.id)
        db.session.commit()
    return ids


def _rows(response) -> list[str]:
    return [row.find("a")["href"].rsplit("/", 1)[1] for row in soup(response).select("table.queue tbody tr")]


def _link(response, rel: str) -> str | None:
    found = soup(response).find("a", rel=rel)
    return found["href"] if found else None


@pytest.fixture
def moderator(login_as):
    return login_as("moderator", districts=("lademoen",))


# --- finding an item --------------------------------------------------------------------------------------


def test_a_moderator_finds_an_item_by_receipt_code_however_it_is_read_out(app, client, moderator):
    wanted, code = _feedback(app, "Søpla ved Rosendal er ikke hentet på tre uker.")
    _feedback(app, "Noe helt annet om benker.", client="2.2.2.2")
    for typed in (code, code.lower(), code.replace("-", " "), code.replace("-", ""), f"  {code.lower().replace('-', ' - ')} "):
        assert _rows(client.get("/moderation/", query_string={"q": typed})) == [str(wanted)], typed


def test_a_receipt_code_or_number_also_finds_an_item_already_handled_in_the_moderators_districts(app, client, moderator):
    """A resident calls about feedback answered last month: the code they read out still leads to it."""
    handled, code = _feedback(app, "Lekeplassen ved skolen trenger nytt gjerde.")
    elsewhere, other_code = _feedback(app, "Benken ved kirka er knust.", district="mollenberg", client="3.3.3.3")
    with app.app_context():
        for item_id in (handled, elsewhere):
            db.session.get(Submission, item_id).status = "answered"
        db.session.commit()
    page = soup(client.get("/moderation/", query_string={"q": code.lower().replace("-", " ")}))
    assert not page.select("table.queue tbody tr")                       # it no longer waits ...
    found = page.select(".handled-matches a")                            # ... but it is found, with its status
    assert [a["href"] for a in found] == [f"/moderation/items/feedback/{handled}"]
    assert page.select_one(".handled-matches li").get_text(" ", strip=True).endswith("Besvart – se svaret")
    assert not soup(client.get(f"/moderation/?q=%23{handled}")).select("table.queue tbody tr")
    assert soup(client.get(f"/moderation/?q=%23{handled}")).select(".handled-matches a")
    for outside in (other_code, f"#{elsewhere}"):                        # another district's stays unseen
        assert not soup(client.get("/moderation/", query_string={"q": outside})).select(".handled-matches")
    assert not soup(client.get("/moderation/?q=gjerde")).select(".handled-matches")   # words search the queue only


def test_a_moderator_finds_an_item_by_a_word_of_its_text_or_its_number(app, client, moderator):
    author = make_user(app)
    idea = make_idea(app, author, title="Grillplass ved elva", body="En felles grill ville samlet naboene om sommeren.")
    make_idea(app, make_user(app), title="Flere benker i parken")
    feedback, _code = _feedback(app, "Gatelyset i Jonsvannsveien har vært mørkt lenge.")
    assert _rows(client.get("/moderation/?q=GRILL")) == [str(idea)]          # title, any case
    assert _rows(client.get("/moderation/?q=naboene+sommeren")) == [str(idea)]  # every word, in the body
    assert _rows(client.get("/moderation/?q=jonsvannsveien")) == [str(feedback)]
    assert _rows(client.get(f"/moderation/?q=%23{feedback}")) == [str(feedback)]
    assert _rows(client.get(f"/moderation/?q={idea}")) == [str(idea)]
    assert _rows(client.get("/moderation/?q=grill%00%0a")) == [str(idea)]     # control characters are dropped
    page = soup(client.get("/moderation/?q=100%25+_&lang=en"))    # LIKE's wildcards are only characters
    assert not page.select("table.queue tbody tr") and "0 waiting items found" in page.get_text()
    # The search is kept in the form, and the tabs and the order keep it in their links.
    page = soup(client.get("/moderation/?q=grill&lang=en"))
    assert page.find("input", attrs={"name": "q"})["value"] == "grill"
    assert all("q=grill" in a["href"] for a in page.select("nav.tabs a, nav.sort a"))


def test_a_search_finds_only_in_the_moderators_districts_and_an_admin_finds_everywhere(app, client, login_as):
    elsewhere, code = _feedback(app, "Knust glass på lekeplassen på Møllenberg.", district="mollenberg")
    login_as("moderator", districts=("lademoen",))
    for typed in (code, "glass", str(elsewhere)):
        page = client.get("/moderation/", query_string={"q": typed})
        assert page.status_code == 200 and _rows(page) == [], typed
    admin = Browser(app)
    login_as("admin", browser=admin)
    for typed in (code, "glass", str(elsewhere)):
        assert _rows(admin.get("/moderation/", query_string={"q": typed})) == [str(elsewhere)], typed
    resident = Browser(app)
    login_as("resident", browser=resident)
    assert resident.get("/moderation/?q=glass").status_code == 403


# --- order and urgency ------------------------------------------------------------------------------------------


def test_oldest_first_by_default_newest_one_tap_away_and_urgent_first_in_both(app, client, moderator):
    ids = _many(app, 4)
    default = client.get("/moderation/?lang=en")
    assert _rows(default) == [str(i) for i in ids]
    newest_link = soup(default).find("nav", class_="sort").find("a", string="Newest first")["href"]
    assert _rows(client.get(newest_link)) == [str(i) for i in reversed(ids)]
    with app.app_context():
        db.session.get(Submission, ids[2]).urgent = True
        db.session.commit()
    assert _rows(client.get("/moderation/")) == [str(ids[2]), str(ids[0]), str(ids[1]), str(ids[3])]
    assert _rows(client.get(newest_link)) == [str(ids[2]), str(ids[3]), str(ids[1]), str(ids[0])]


def _act(client, kind, item_id, action):
    page = f"/moderation/items/{kind}/{item_id}"
    return client.submit(page, {}, action=f"{page}/{action}")


def test_marking_urgent_and_unmarking_is_audited_and_moves_the_item(app, client, moderator):
    ids = _many(app, 3)
    response = _act(client, "feedback", ids[2], "urgent")
    assert response.status_code == 302
    assert _rows(client.get("/moderation/"))[0] == str(ids[2])
    row = soup(client.get("/moderation/?lang=en")).select("table.queue tbody tr")[0]
    assert "Urgent" in row.get_text() and "urgent" in row["class"]
    item_page = soup(client.get(f"/moderation/items/feedback/{ids[2]}?lang=en"))
    assert item_page.find("button", string="No longer urgent") is not None
    assert _act(client, "feedback", ids[2], "not-urgent").status_code == 302
    assert _rows(client.get("/moderation/")) == [str(i) for i in ids]
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.target_id == str(ids[2]))
                                     .order_by(AuditEntry.id)).all()
        assert [e.action for e in entries if "urgent" in e.action] == ["submission.urgent", "submission.not_urgent"]
        assert entries[-1].actor_id == moderator.id
    # Without the form's token nothing changes.
    assert client.post(f"/moderation/items/feedback/{ids[0]}/urgent").status_code in (400, 302)
    with app.app_context():
        assert db.session.get(Submission, ids[0]).urgent is False


def test_only_a_moderator_of_the_district_may_mark_urgent(app, client, login_as):
    elsewhere, _code = _feedback(app, "Noen truer folk ved butikken.", district="mollenberg")
    login_as("moderator", districts=("lademoen",))
    assert client.post(f"/moderation/items/feedback/{elsewhere}/urgent").status_code == 403
    resident = Browser(app)
    login_as("resident", browser=resident)
    assert resident.post(f"/moderation/items/feedback/{elsewhere}/urgent").status_code == 403
    with app.app_context():
        assert db.session.get(Submission, elsewhere).urgent is False


def test_urgent_looking_text_is_suggested_never_marked_and_one_tap_marks_it(app, client, moderator):
    calm, _ = _feedback(app, "Fint med nye benker i parken.", days_ago=2)
    alarming, _ = _feedback(app, "Heisen i blokk C har stoppet og en eldre dame sitter fast!", days_ago=1, client="3.3.3.3")
    with app.app_context():
        assert db.session.get(Submission, alarming).urgent is False      # words alone mark nothing
    queue = client.get("/moderation/?lang=en")
    rows = soup(queue).select("table.queue tbody tr")
    assert _rows(queue) == [str(calm), str(alarming)]
    assert "May be urgent" not in rows[0].get_text()
    assert "May be urgent: Heisen, sitter fast." in rows[1].get_text()
    button = rows[1].find("button", string="Mark as urgent")
    form = soup(queue).find("form", id=button["form"])
    data = {i["name"]: i["value"] for i in form.find_all("input")}
    response = client.post(form["action"], data=data, headers={"Referer": "http://localhost/moderation/?lang=en"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/moderation/?lang=en")
    assert _rows(client.get("/moderation/")) == [str(alarming), str(calm)]


def test_the_digest_names_urgent_items_first(app, moderator):
    plain, _ = _feedback(app, "Vanlig tilbakemelding.", days_ago=3)
    urgent, _ = _feedback(app, "Det brenner i søppelkassene hver natt.", client="4.4.4.4")
    with app.app_context():
        db.session.get(Submission, urgent).urgent = True
        db.session.commit()
    assert app.test_cli_runner().invoke(args=["moderation", "digest"]).exit_code == 0
    [mail] = outbox(app, moderator.email)
    assert f"/moderation/items/feedback/{urgent}" in mail.body
    assert f"/moderation/items/feedback/{plain}" not in mail.body
    assert mail.body.index(f"items/feedback/{urgent}") < mail.body.index("2 ")
    assert "brenner" not in mail.body     # private feedback text stays out of the mailbox


# --- pages without OFFSET ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["oldest", "newest"])
def test_next_and_previous_pages_walk_every_item_once_in_order(app, client, moderator, sort):
    ids = _many(app, 60)
    with app.app_context():
        for item_id in (ids[10], ids[45]):
            db.session.get(Submission, item_id).urgent = True
        db.session.commit()
    rest = [i for i in ids if i not in (ids[10], ids[45])]
    expected = [ids[10], ids[45]] + rest if sort == "oldest" else [ids[45], ids[10]] + rest[::-1]
    url, seen, pages = f"/moderation/?sort={sort}&lang=en", [], []
    while url:
        response = client.get(url)
        pages.append(response)
        seen += [int(i) for i in _rows(response)]
        url = _link(response, "next")
    assert seen == expected and len(pages) == 3
    assert "Page 3 of 3" in soup(pages[2]).find("nav", class_="pagination").get_text()
    assert "Page 2 of 3" in soup(pages[1]).find("nav", class_="pagination").get_text()
    assert f"sort={sort}" in _link(pages[1], "next")
    back = client.get(_link(pages[2], "prev"))
    assert _rows(back) == _rows(pages[1])
    back = client.get(_link(back, "prev"))
    assert _rows(back) == _rows(pages[0]) and _link(back, "prev") is None


def test_odd_page_keys_show_the_first_page(app, client, moderator):
    ids = _many(app, 3)
    for odd in ("x", "1.2", "2.1.1", "0.99999999999999999999999.1", "0.1." + "9" * 30, "0.-5.1", "0.１２.1"):
        for name in ("after", "before"):
            response = client.get("/moderation/", query_string={name: odd})
            assert response.status_code == 200 and _rows(response) == [str(i) for i in ids], (name, odd)


def test_a_deep_page_and_a_search_need_as_few_statements_as_the_first(app, client, moderator):
    _many(app, 30)
    client.get("/moderation/")
    with count_queries(app) as first:
        response = client.get("/moderation/")
    deep_url = _link(response, "next")
    with count_queries(app) as deep:
        client.get(deep_url)
    with count_queries(app) as found:
        client.get("/moderation/?q=nummer+2")
    _many(app, 200)
    with count_queries(app) as more:
        response = client.get("/moderation/?sort=newest")
    with count_queries(app) as deeper:
        client.get(_link(response, "next"))
    assert len(first) == len(deep) == len(found) == len(more) == len(deeper)
    # A later page starts after the last item shown (SQLite's driver writes "OFFSET 0" after every LIMIT).
    assert any("(submissions.created_at, submissions.id) >" in s for s in deep)
    assert any("(submissions.created_at, submissions.id) <" in s for s in deeper)


def test_a_held_comment_waits_in_the_queue_and_a_shown_one_never_does(app, client, moderator):
    from tests.helpers import make_comment

    author = make_user(app)
    idea = make_idea(app, author, district="lademoen")
    shown = make_comment(app, author, idea, "Denne vises med en gang.")
    held = make_comment(app, author, idea, "Denne venter på godkjenning.", held_at=utcnow())
    page = client.get("/moderation/?kind=comment")
    assert _rows(page) == [str(held)]
    assert str(shown) not in [row for row in _rows(client.get("/moderation/"))]
    tab = next(link for link in soup(page).select("a[aria-current=page]") if "kind=comment" in link["href"])
    assert "(1)" in tab.get_text()
