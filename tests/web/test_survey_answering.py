"""Answering the area survey as a resident does: in by an open link, a printed code or an invitation; one
question a page with the progress shown; answers kept when the person stops and comes back; a conditional
question shown only when it applies; a review page; sending once; the paper version and the staff form."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import utcnow
from app.districts.services import get_district
from app.extensions import db
from app.surveys import services
from app.surveys.models import Answer, AnswerSet, Channel, Invitation, Question, Reach, SurveyRound
from tests.helpers import PASSWORD, Browser, count_queries, form_fields, make_user, soup
from tests.survey_fixtures import make_survey_round


@pytest.fixture
def admin_id(app):
    return make_user(app, role="admin").id


@pytest.fixture
def open_round(app, admin_id):
    return make_survey_round(app, admin_id)


def _codes(app, ids, count=2, district="lademoen") -> list[str]:
    with app.app_context():
        made = services.make_codes(db.session.get_one(SurveyRound, ids.round), get_district(district), count)
        db.session.commit()
        return made


def _answer_sets(app, **where) -> list[AnswerSet]:
    with app.app_context():
        query = select(AnswerSet)
        for name, value in where.items():
            query = query.where(getattr(AnswerSet, name) == value)
        found = list(db.session.scalars(query))
        for answer_set in found:
            db.session.expunge(answer_set)
        return found


def _question_heading(response) -> str:
    legend = soup(response).select_one("form.survey-question legend, form.survey-question label")
    return legend.get_text(" ", strip=True) if legend else ""


def _progress(response) -> str:
    return soup(response).select_one(".survey-progress span").get_text(strip=True)


def _start_open(browser: Browser, ids, district="lademoen"):
    response = browser.submit(f"/surveys/{ids.round}/start", {"district": district}, page=f"/surveys/{ids.round}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser.get(response.headers["Location"], follow_redirects=True)


def _answer(browser: Browser, page, value, go="next"):
    """Answer the question on ``page`` with ``value`` and press a button; the page that follows."""
    url = page.request.path
    name = soup(page).select_one("form.survey-question [name=answer]")["name"]
    response = browser.submit(url, {name: value, "go": go})
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser.get(response.headers["Location"], follow_redirects=True)


def test_an_open_round_is_answered_page_by_page_with_the_progress_shown_and_sent_once(app, open_round):
    browser = Browser(app)
    page = browser.get(f"/surveys/{open_round.round}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Områdeundersøkelsen" in text and "Hvor bor du?" in text
    assert "valgte selv" in text   # an open round says its answers are self-selected

    page = _start_open(browser, open_round)
    assert _progress(page) == "Spørsmål 1 av 6"   # the conditional question is not counted yet
    assert "Hvor trygg føler du deg i bydelen?" in _question_heading(page)
    page = _answer(browser, page, "4")
    assert _progress(page) == "Spørsmål 2 av 6"
    page = _answer(browser, page, "2")
    page = _answer(browser, page, "yes")
    page = _answer(browser, page, "12")
    page = _answer(browser, page, "")                 # the free text is optional: left out
    assert "Bruker du en møteplass" in _question_heading(page)
    page = _answer(browser, page, "yes")              # shows the question that depends on it
    assert _progress(page) == "Spørsmål 7 av 7"
    page = _answer(browser, page, ["library", "park"])
    assert page.request.path == f"/surveys/{open_round.round}/review"
    review = page.get_data(as_text=True)
    assert "Biblioteket, Parken" in review and "Ikke svart" in review

    sent = browser.submit(f"/surveys/{open_round.round}/send", {}, page=f"/surveys/{open_round.round}/review")
    assert sent.headers["Location"].endswith(f"/surveys/{open_round.round}/thanks")
    again = browser.submit(f"/surveys/{open_round.round}/send", {}, page=f"/surveys/{open_round.round}/review")
    assert again.status_code == 302   # a second press finds the answers sent
    [answer_set] = _answer_sets(app)
    assert answer_set.finished and answer_set.channel == Channel.OPEN and answer_set.resume_hash is None

    # Once per browser: the round's page now says so, and offers no new start.
    page = browser.get(f"/surveys/{open_round.round}")
    assert "Svarene dine er sendt" in page.get_data(as_text=True)
    assert soup(page).select_one(f"form[action='/surveys/{open_round.round}/start']") is None
    # A start sent anyway (the page kept open in another tab) makes no second answer set.
    again = browser.post(f"/surveys/{open_round.round}/start", data={"district": "lademoen"})
    assert again.status_code == 409 and len(_answer_sets(app)) == 1


def test_a_person_who_stops_midway_finds_their_answers_kept_and_carries_on(app, open_round):
    browser = Browser(app)
    page = _start_open(browser, open_round, "mollenberg")
    page = _answer(browser, page, "3")
    page = _answer(browser, page, "4")
    # The tab is closed; later the person opens the survey's address again.
    page = browser.get(f"/surveys/{open_round.round}")
    assert "Fortsett" in page.get_data(as_text=True)
    page = browser.get(f"/surveys/{open_round.round}/continue", follow_redirects=True)
    assert _progress(page) == "Spørsmål 3 av 6"
    back = _answer(browser, page, "", go="back")       # the previous question, with the answer given
    assert soup(back).select_one("input[value='4']").has_attr("checked")
    [answer_set] = _answer_sets(app)
    assert not answer_set.finished


def test_a_required_question_is_asked_again_with_a_message_beside_it(app, open_round):
    browser = Browser(app)
    page = _start_open(browser, open_round)
    name = soup(page).select_one("form.survey-question [name=answer]")["name"]
    response = browser.submit(page.request.path, {"go": "next"})
    assert response.status_code == 400
    assert "Svar på dette spørsmålet" in soup(response).select_one(".error-message").get_text()
    assert soup(response).select_one(f"fieldset.field-error [name={name}]") is not None


def test_a_wrong_number_comes_back_with_what_was_typed(app, open_round):
    browser = Browser(app)
    page = _start_open(browser, open_round)
    for value in ("4", "2", "yes"):
        page = _answer(browser, page, value)
    response = browser.submit(page.request.path, {"answer": "tolv", "go": "next"})
    assert response.status_code == 400
    assert soup(response).select_one("input[name=answer]")["value"] == "tolv"
    assert "fra 0 til 100" in soup(response).select_one(".error-message").get_text()


def test_a_printed_code_starts_once_and_is_refused_when_used(app, admin_id):
    ids = make_survey_round(app, admin_id, reach=Reach.CODES)
    code = _codes(app, ids)[0]
    browser = Browser(app)
    page = browser.get(f"/surveys/{ids.round}/code/{code}")
    assert soup(page).select_one("input[name=code]")["value"] == code
    # The code is in the address: no other site is told it, no search engine keeps it, no cache stores it.
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow" and "no-store" in page.headers["Cache-Control"]
    assert _answer_sets(app) == []   # opening the printed link spends nothing
    response = browser.submit(f"/surveys/{ids.round}/code", {"code": code.lower()}, page=f"/surveys/{ids.round}/code/{code}")
    assert response.status_code == 302
    [answer_set] = _answer_sets(app)
    assert answer_set.channel == Channel.CODE and answer_set.district_id == get_district_id(app, "lademoen")

    someone_else = Browser(app)
    refused = someone_else.submit(f"/surveys/{ids.round}/code", {"code": code}, page=f"/surveys/{ids.round}")
    assert refused.status_code == 409
    assert "brukt" in soup(refused).select_one(".error-message").get_text()
    assert len(_answer_sets(app)) == 1


def test_the_same_start_sent_twice_makes_one_answer_set_and_spends_the_code_once(app, admin_id):
    ids = make_survey_round(app, admin_id, reach=Reach.CODES)
    code = _codes(app, ids)[0]
    browser = Browser(app)
    page = browser.get(f"/surveys/{ids.round}")
    values = {**form_fields(page, f"/surveys/{ids.round}/code"), "code": code}
    first = browser.post(f"/surveys/{ids.round}/code", data=values)
    browser.client.delete_cookie(f"survey{ids.round}", path="/surveys/")   # the second press left before the first's answer came
    second = browser.post(f"/surveys/{ids.round}/code", data=values)
    assert first.status_code == second.status_code == 302
    assert len(_answer_sets(app)) == 1


def test_a_code_typed_on_the_surveys_page_finds_its_round(app, admin_id):
    ids = make_survey_round(app, admin_id, reach=Reach.CODES)
    code = _codes(app, ids, district="mollenberg")[0]
    browser = Browser(app)
    response = browser.submit("/surveys/code", {"code": code}, page="/surveys/")
    assert response.headers["Location"].endswith(f"/surveys/{ids.round}/continue")
    wrong = browser.submit("/surveys/code", {"code": "AAAAA-AAAAA"}, page="/surveys/")
    assert wrong.status_code == 400 and "ikke riktig" in soup(wrong).select_one(".error-message").get_text()


def test_guessing_codes_is_stopped(app, admin_id):
    ids = make_survey_round(app, admin_id, reach=Reach.CODES)
    code = _codes(app, ids)[0]
    app.config["SURVEY_CODE_FAILURES_PER_HOUR"] = 3
    browser = Browser(app)
    for _ in range(3):
        assert browser.submit(f"/surveys/{ids.round}/code", {"code": "BBBBB-BBBBB"}, page=f"/surveys/{ids.round}").status_code == 400
    stopped = browser.submit(f"/surveys/{ids.round}/code", {"code": code}, page=f"/surveys/{ids.round}")
    assert stopped.status_code == 429   # a right code too, so a guess that hits tells nothing
    assert _answer_sets(app) == []


def test_new_open_answers_from_one_connection_are_bounded(app, open_round):
    app.config["SURVEY_STARTS_PER_HOUR"] = 2
    for _ in range(2):
        _start_open(Browser(app), open_round)
    response = Browser(app).submit(f"/surveys/{open_round.round}/start", {"district": "lademoen"},
                                   page=f"/surveys/{open_round.round}")
    assert response.status_code == 429
    assert len(_answer_sets(app)) == 2


def test_an_invitation_link_starts_once(app, admin_id):
    ids = make_survey_round(app, admin_id, reach=Reach.INVITATIONS)
    with app.app_context():
        survey_round = db.session.get_one(SurveyRound, ids.round)
        services.invite(db.session.get_one(User, ids.admin), survey_round, get_district("lademoen"), ["kari@example.org"])
        db.session.commit()
        invitation = db.session.scalar(select(Invitation).where(Invitation.round_id == ids.round))
        token = services.invitation_token(invitation.token_nonce)
    url = f"/surveys/{ids.round}/invitation/{token}"
    browser = Browser(app)
    assert browser.get(url).status_code == 200 and _answer_sets(app) == []
    assert browser.submit(url, {}).status_code == 302
    used = Browser(app).submit(url, {})
    assert used.status_code == 409
    [answer_set] = _answer_sets(app)
    assert answer_set.channel == Channel.INVITATION


def test_a_closed_round_says_so_and_takes_no_answers(app, admin_id):
    ids = make_survey_round(app, admin_id, opens_in_days=-30, closes_in_days=-1)
    page = Browser(app).get(f"/surveys/{ids.round}")
    assert page.status_code == 200 and "ble avsluttet" in page.get_data(as_text=True)
    assert soup(page).select_one("form[action$='/start']") is None


def test_the_survey_reads_in_the_readers_language_and_falls_back_to_bokmal_marked_as_such(app, open_round):
    browser = Browser(app)
    page = browser.get(f"/surveys/{open_round.round}?lang=en")
    assert "The area survey" in page.get_data(as_text=True)
    page = _start_open(browser, open_round)
    assert "How safe do you feel in the district?" in _question_heading(page)
    nynorsk = browser.get(f"/surveys/{open_round.round}?lang=nn")
    heading = soup(nynorsk).select_one("h1")
    assert heading.get_text() == "Områdeundersøkinga" and not heading.has_attr("lang")
    arabic = browser.get(f"/surveys/{open_round.round}?lang=ar")
    assert soup(arabic).select_one("h1")["lang"] == "nb"   # no Arabic title written: Bokmål, marked


def test_the_question_page_reads_no_more_rows_with_more_answers(app, open_round):
    browser = Browser(app)
    page = _start_open(browser, open_round)
    url = page.request.path
    with count_queries(app) as few:
        assert browser.get(url).status_code == 200
    for _ in range(5):
        _start_open(Browser(app), open_round)
    with count_queries(app) as many:
        assert browser.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_paper_version_prints_every_question_and_staff_type_it_in(app, admin_id, open_round):
    printed = Browser(app).get(f"/surveys/{open_round.round}/print")
    text = printed.get_data(as_text=True)
    assert printed.status_code == 200 and "Hvilken møteplass bruker du mest?" in text
    assert re.search(r"Bare hvis du svarte Ja på spørsmål 6", text)

    make_user(app, role="moderator", email="mod@example.org", districts=["lademoen"])
    staff = Browser(app)
    staff.submit("/account/login", {"email": "mod@example.org", "password": PASSWORD})
    page = staff.get(f"/surveys/{open_round.round}/paper")
    assert page.status_code == 200
    assert [o["value"] for o in soup(page).select("select[name=district] option")] == ["", "lademoen"]
    questions = open_round.questions
    response = staff.submit(f"/surveys/{open_round.round}/paper", {
        "district": "lademoen", f"q{questions['safety']}": "2", f"q{questions['years_in_district']}": "200"})
    assert response.status_code == 400 and _answer_sets(app) == [], soup(response).select_one("main")
    assert "fra 0 til 100" in soup(response).select_one(".error-message").get_text()
    response = staff.submit(f"/surveys/{open_round.round}/paper", {
        "district": "lademoen", f"q{questions['safety']}": "2", f"q{questions['years_in_district']}": "20"})
    assert response.status_code == 302
    [answer_set] = _answer_sets(app)
    assert answer_set.channel == Channel.PAPER and answer_set.finished
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 2


def test_a_resident_and_another_districts_moderator_cannot_type_in_paper_forms(app, open_round):
    make_user(app, email="resident@example.org")
    make_user(app, role="moderator", email="tempe@example.org", districts=["tempe-sorgenfri"])
    for email in ("resident@example.org", "tempe@example.org"):
        browser = Browser(app)
        browser.submit("/account/login", {"email": email, "password": PASSWORD})
        assert browser.get(f"/surveys/{open_round.round}/paper").status_code == 403


def get_district_id(app, slug):
    with app.app_context():
        return get_district(slug).id


def test_a_form_id_read_off_the_page_does_not_open_someone_elses_answers(app, admin_id, open_round):
    resident = Browser(app)
    page = resident.get(f"/surveys/{open_round.round}")
    copied = form_fields(page, f"/surveys/{open_round.round}/start")["submission_id"]
    page = _start_open(resident, open_round)
    _answer(resident, page, "1")
    stranger = Browser(app)   # a session of their own, the resident's form id in the post
    stranger.get(f"/surveys/{open_round.round}")
    values = {**form_fields(stranger.get(f"/surveys/{open_round.round}"), f"/surveys/{open_round.round}/start"),
              "submission_id": copied, "district": "lademoen"}
    assert stranger.post(f"/surveys/{open_round.round}/start", data=values).status_code == 302
    review = stranger.get(f"/surveys/{open_round.round}/review").get_data(as_text=True)
    assert review.count("Ikke svart") == 6   # a start of their own (six questions asked), none answered
    assert len(_answer_sets(app)) == 2
    # The same id on a code round: the code is checked, and nothing of the resident's is reached.
    codes = make_survey_round(app, admin_id, reach=Reach.CODES)
    values = {**form_fields(stranger.get(f"/surveys/{codes.round}"), f"/surveys/{codes.round}/code"),
              "submission_id": copied, "code": "WRONG-WRONG"}
    assert stranger.post(f"/surveys/{codes.round}/code", data=values).status_code == 400


def test_results_are_published_when_staff_close_the_round_after_the_last_paper_forms(app, admin_id):
    ids = make_survey_round(app, admin_id, opens_in_days=-30, closes_in_days=-1)   # closed for answers yesterday
    make_user(app, role="moderator", email="mod@example.org", districts=["lademoen"])
    staff = Browser(app)
    staff.submit("/account/login", {"email": "mod@example.org", "password": PASSWORD})
    paper = {"district": "lademoen", f"q{ids.questions['safety']}": "2"}
    assert staff.submit(f"/surveys/{ids.round}/paper", paper).status_code == 302   # a late paper form is typed in
    [listed] = Browser(app).get("/api/v1/surveys").get_json()["items"]
    assert listed["published"] == []       # closed for answers, not yet published
    assert "Høsten 2026".lower() not in Browser(app).get(f"/insights/surveys/{ids.survey}/results.csv").get_data(as_text=True).lower()
    with app.app_context():
        services.close_round(db.session.get_one(User, admin_id), db.session.get_one(SurveyRound, ids.round))
        db.session.commit()
    assert "høsten 2026" in Browser(app).get(f"/insights/surveys/{ids.survey}/results.csv").get_data(as_text=True).lower()
    assert Browser(app).get("/api/v1/surveys").get_json()["items"][0]["published"] == [ids.round]
    assert staff.submit(f"/surveys/{ids.round}/paper", paper).status_code == 410   # published: nothing more
    assert len(_answer_sets(app)) == 1


def test_a_change_on_the_review_page_that_opens_a_question_asks_it_and_a_missing_answer_is_named(app, open_round):
    browser = Browser(app)
    page = _start_open(browser, open_round)
    for value in ("4", "2", "yes", "12", "", "no"):
        page = _answer(browser, page, value)
    assert page.request.path.endswith("/review")
    uses = f"/surveys/{open_round.round}/questions/{open_round.questions['uses']}?review=1"
    response = browser.submit(uses, {"answer": "yes", "go": "next"})
    # The question that depends on the changed answer is asked before going back to the review.
    assert response.headers["Location"].endswith(f"/questions/{open_round.questions['which']}?review=1")
    sent = browser.submit(f"/surveys/{open_round.round}/send", {}, page=f"/surveys/{open_round.round}/review")
    assert sent.status_code == 400
    problem = soup(sent).select_one(".error-summary a")
    assert "Hvilken møteplass bruker du mest?" in problem.get_text()
    assert problem["href"].endswith(f"/questions/{open_round.questions['which']}?review=1")


def test_someone_midway_when_the_round_closes_is_told_so(app, open_round):
    browser = Browser(app)
    page = _start_open(browser, open_round)
    url = page.request.path
    with app.app_context():
        db.session.get_one(SurveyRound, open_round.round).closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = browser.get(url, follow_redirects=True)
    assert page.request.path == f"/surveys/{open_round.round}"
    assert "ble avsluttet før svarene dine ble sendt" in page.get_data(as_text=True)


def test_free_text_counts_a_line_break_as_the_browser_does_and_refuses_direction_tricks(app, open_round):
    with app.test_request_context():
        question = db.session.get_one(Question, open_round.questions["anything_else"])
        lines = "\r\n".join(["x" * 99] * 5)          # 495 letters and four line breaks: 499 in the browser
        assert services.checked_value(question, lines)["text"] == lines.replace("\r\n", "\n")
        with pytest.raises(services.SurveyRefused):
            services.checked_value(question, "Fint her \u202eenknatS")


def test_a_code_typed_with_a_long_dash_or_spaces_is_the_same_code():
    from app.surveys.codes import normalise

    assert normalise("abcde–fghjk") == normalise("ABCDE-FGHJK") == normalise(" ABCDE \u2011 FGHJK ") == "ABCDEFGHJK"
