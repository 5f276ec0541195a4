"""One item in moderation: the next step first (route with the proposal one press away, then answer), the
rest folded into named sections, and reports shown with what was reported, in its place, by whom."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.ideas.models import Idea
from tests.helpers import PASSWORD, Browser, make_comment, make_idea, make_user, soup

MEETING_PLACE = "Vi trenger en sosial møteplass i nærmiljøet, et sted der naboene kan treffes om kvelden."


@pytest.fixture
def moderator(login_as):
    return login_as("moderator", districts=("lademoen",))


def _area_id(app, number):
    from app.districts.models import EffortArea

    with app.app_context():
        return db.session.scalar(db.select(EffortArea.id).where(EffortArea.number == number))


def test_the_next_step_comes_first_with_the_proposal_chosen_and_the_rest_folded(app, client, moderator):
    idea = make_idea(app, make_user(app), title="Møteplass", body=MEETING_PLACE, suggested_effort_area_id=_area_id(app, 2))
    page = soup(client.get(f"/moderation/items/idea/{idea}?lang=nb"))
    step = page.find("section", class_="next-step")
    headings = [h.get_text(strip=True) for h in step.find_all("h3")]
    assert headings[:2] == ["1. Send til et innsatsområde", "2. Status og offentlig svar"]
    # The proposal: area 3 with the sub-theme its words meet, one button; the select starts on area 3 as well.
    proposal = step.find(class_="proposal")
    assert "3. Å skape gode bo- og nærmiljø" in proposal.get_text() and "Etablering av sosiale møteplasser" in proposal.get_text()
    assert proposal.find("button").get_text(strip=True) == "Bruk forslaget"
    assert step.find("select", {"name": "route-area"}).find("option", selected=True)["value"] == "3"
    # One filled button in the step; every other one is outlined.
    primary = [b for b in step.find_all("button") if "secondary" not in b["class"]]
    assert [b.get_text(strip=True) for b in primary] == ["Bruk forslaget"]
    # Everything else sits in a named, closed section.
    more = page.find("section", class_="more-actions")
    folded = {d.summary.get_text(strip=True).split(" (")[0]: d.has_attr("open") for d in more.find_all("details")}
    assert folded == {"Gi saken til noen": False, "Interne notater": False, "Merk som duplikat": False, "Skjul": False,
                      "Sperr forfatteren fra å publisere i Lademoen": False,
                      "Rediger teksten for å fjerne personopplysninger eller sjikane": False, "Historikk": False}
    # What the resident chose, in words.
    with app.test_request_context("/?lang=nb"):
        from app.districts.models import EffortArea

        plain = db.session.scalar(db.select(EffortArea).where(EffortArea.number == 2)).public_name
    facts = page.find("dl", class_="facts").get_text(" ", strip=True)
    assert f"Innbyggeren foreslo {plain}" in facts and "2. Bygge lokalsamfunn" in facts
    row = soup(client.get("/moderation/?lang=nb")).find("a", id=f"item-link-{idea}").find_parent("td").get_text(" ", strip=True)
    assert f"Innbyggeren foreslo: {plain}" in row and "Foreslått av innbyggeren" not in row


def test_use_the_proposal_routes_to_its_area_and_sub_theme_in_one_press(app, client, moderator):
    idea = make_idea(app, make_user(app), title="Møteplass", body=MEETING_PLACE)
    page = f"/moderation/items/idea/{idea}"
    response = client.submit(page, {}, action=f"{page}/use-proposal")
    assert response.status_code == 302
    with app.app_context():
        routed = db.session.get(Idea, idea)
        assert routed.effort_area.number == 3 and [t.slug for t in routed.sub_themes] == ["social-meeting-places"]
    # Routed: the answer is the next step and the button that counts; routing again is folded away.
    after = soup(client.get(page + "?lang=en")).find("section", class_="next-step")
    assert after.find("h3").get_text(strip=True) == "Status and public answer"
    assert [b.get_text(strip=True) for b in after.find_all("button") if "secondary" not in b["class"]] == ["Save status"]
    assert after.find("details").summary.get_text(strip=True).startswith("Change the effort area (now 3.")
    assert after.find(class_="proposal") is None


def test_a_section_with_an_error_opens_by_itself(app, client, moderator):
    idea = make_idea(app, make_user(app))
    page = f"/moderation/items/idea/{idea}"
    refused = client.submit(page, {"duplicate-original": "x"}, action=f"{page}/duplicate")
    assert refused.status_code == 400
    opened = soup(refused).find(id="duplicate-original").find_parent("details")
    assert opened.has_attr("open")


def test_a_report_shows_the_comment_in_its_place_and_who_wrote_it(app, client, moderator):
    from app.accounts.models import User
    from app.ideas.models import Comment
    from app.moderation import reports

    writer = make_user(app, display_name="Kari Kommentar")
    idea = make_idea(app, make_user(app))
    for n in range(21):  # the reported comment is on the thread's second page
        make_comment(app, make_user(app), idea, body=f"Innlegg {n}")
    comment = make_comment(app, writer, idea, body="Dette er en stygg kommentar.")
    reporter = make_user(app, display_name="Rita Rapport")
    with app.test_request_context():
        report = reports.report(db.session.get(Comment, comment), db.session.get(User, reporter.id), "harassment", "Sjikane")
        db.session.commit()
        report_id = report.id
    page = soup(client.get(f"/moderation/items/report/{report_id}?lang=nb"))
    reported = page.find("figure", class_="reported")
    assert "Dette er en stygg kommentar." in reported.get_text() and "skrevet av Kari Kommentar" in reported.get_text()
    link = page.find("a", string="Se det der det ble skrevet")["href"]
    assert link == f"/ideas/{idea}?comments=2#comment-{comment}"
    assert f'id="comment-{comment}"' in client.get(link.split("#")[0]).get_data(as_text=True)
    # The writer's name is for moderators: the resident who reported does not get the page.
    other = Browser(app)
    other.submit("/account/login", {"email": reporter.email, "password": PASSWORD})
    assert other.get(f"/moderation/items/report/{report_id}").status_code in (302, 403)


def test_no_guess_is_proposed_when_the_model_knows_none_of_the_words(app, client, moderator):
    unknown = make_idea(app, make_user(app), title="Hei", body="Hei hallo, zyxqvw.")
    page = soup(client.get(f"/moderation/items/idea/{unknown}?lang=en"))
    assert page.find(class_="proposal") is None
    assert page.find("select", {"name": "route-area"}).find("option", selected=True) is None
    # The resident's own choice is then what is proposed, and said to be theirs.
    chosen = make_idea(app, make_user(app), title="Hei", body="Hei hallo, zyxqvw.", suggested_effort_area_id=_area_id(app, 4))
    proposal = soup(client.get(f"/moderation/items/idea/{chosen}?lang=en")).find(class_="proposal")
    assert "4. " in proposal.get_text() and "the resident's own choice" in proposal.get_text()


def test_an_urgent_looking_text_still_has_one_filled_button_the_next_step(app, client, moderator):
    # "Mark as urgent" beside the route step would give two equal calls to action at the top of a phone screen.
    idea = make_idea(app, make_user(app), title="Heisen", body="Heisen har stoppet og en eldre dame sitter fast. " + MEETING_PLACE)
    page = soup(client.get(f"/moderation/items/idea/{idea}?lang=en"))
    urgency = page.find("div", class_="urgency")
    assert "May be urgent" in urgency.get_text()
    assert "secondary" in urgency.find("button", string="Mark as urgent")["class"]
    primary = [b.get_text(strip=True) for b in page.find("main").find_all("button")
               if "secondary" not in b["class"] and "danger" not in b["class"]]
    assert primary == ["Use the proposal"]
