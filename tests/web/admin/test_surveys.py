"""The area survey's builder: who may run surveys, building one from the bank plus a conditional question,
rounds with codes and invitations, closing, and reading free text."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import pytest

from app.core.db import OSLO, utcnow
from app.extensions import db
from app.surveys import codes, services
from app.surveys.models import Invitation, Reach, Survey, SurveyRound, SurveyStaff
from tests.helpers import PASSWORD, Browser, count_queries, form_fields, link_in, make_user, outbox, soup
from tests.survey_fixtures import make_survey_round


def _name_staff(app, user_id: int) -> None:
    with app.app_context():
        db.session.add(SurveyStaff(user_id=user_id))
        db.session.commit()


def _errors(response) -> list[str]:
    return [p.get_text(" ", strip=True) for p in soup(response).select(".error-message")]


def _round_of(app, round_id: int) -> SurveyRound:
    with app.app_context():
        survey_round = db.session.get(SurveyRound, round_id)
        db.session.expunge(survey_round)
        return survey_round


# ---- who ----------------------------------------------------------------------------------------------


def test_a_moderator_runs_surveys_once_an_admin_names_them_and_not_after(app, client, login_as):
    moderator = login_as("moderator", districts=("mollenberg",))
    assert client.get("/admin/surveys/").status_code == 403

    admin = Browser(app)
    admin_user = make_user(app, role="admin")
    admin.submit("/account/login", {"email": admin_user.email, "password": PASSWORD})
    page = admin.get("/admin/surveys/staff?lang=en")
    options = [o.get_text() for o in soup(page).select("select[name=user] option")]
    assert any(moderator.display_name in option for option in options)
    named = admin.submit("/admin/surveys/staff", {"user": str(moderator.id)})
    assert named.status_code == 302
    assert client.get("/admin/surveys/").status_code == 200
    # The staff page itself stays with the administrators.
    assert client.get("/admin/surveys/staff").status_code == 403

    listed = soup(admin.get("/admin/surveys/staff?lang=en"))
    remove = listed.find("form", action=f"/admin/surveys/staff/{moderator.id}/remove")
    assert remove is not None and moderator.display_name in listed.get_text()
    admin.post(remove["action"], data=form_fields(admin.get("/admin/surveys/staff"), remove["action"]))
    assert client.get("/admin/surveys/").status_code == 403


def test_only_a_moderator_can_be_named(app, client, login_as):
    login_as("admin")
    resident = make_user(app)
    page = client.get("/admin/surveys/staff")
    assert str(resident.id) not in [o.get("value") for o in soup(page).select("select[name=user] option")]
    refused = client.post("/admin/surveys/staff", data={**form_fields(page), "user": str(resident.id)})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.get(SurveyStaff, resident.id) is None


def test_may_run_surveys_needs_the_second_factor_as_staff_powers_do(app, client, login_as):
    moderator = login_as("moderator", two_factor=False)
    _name_staff(app, moderator.id)
    response = client.get("/admin/surveys/")
    assert response.status_code == 302 and "/account/two-factor" in response.headers["Location"]


# ---- the builder's journey ----------------------------------------------------------------------------


def _create_survey(client) -> int:
    response = client.submit("/admin/surveys/new", {"title_nb": "Nabolagsundersøkelsen", "title_en": "The neighbourhood survey",
                                                     "intro_nb": "Det tar fem minutter."})
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_builder_journey_from_the_bank_a_conditional_question_and_a_round_with_codes(app, client, login_as):
    login_as("admin")
    survey_id = _create_survey(client)
    page = client.get(f"/admin/surveys/{survey_id}?lang=en")
    assert soup(page).find("h1").get_text() == "The neighbourhood survey"
    for key in ("safety", "met_neighbours_at_meeting_place"):
        added = client.submit(f"/admin/surveys/{survey_id}/questions", {"question": f"bank:{key}", "required": "y"},
                              page=f"/admin/surveys/{survey_id}")
        assert added.status_code == 302
    with app.app_context():
        met = services.question_from_bank("met_neighbours_at_meeting_place").id
    new_page = client.get(f"/admin/surveys/{survey_id}/questions/new?lang=en")
    condition = soup(new_page).find("input", {"name": "shown_if_values", "value": f"{met}:yes"})
    assert condition is not None
    label = soup(new_page).find("label", {"for": condition["id"]}).get_text()
    assert "meeting place" in label and label.endswith("Yes")
    made = client.submit(f"/admin/surveys/{survey_id}/questions/new", {
        "kind": "single", "wording_nb": "Hvor møtte du dem?", "choices_nb": "Biblioteket\nParken",
        "choices_en": "The library\nThe park", "shown_if_values": f"{met}:yes"})
    assert made.status_code == 302
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        last = survey.placements[-1]
        assert [p.question.key for p in survey.placements[:2]] == ["safety", "met_neighbours_at_meeting_place"]
        assert last.condition_question_id == met and last.condition_values == ["yes"]
        assert [c["label"] for c in last.question.choices] == [{"nb": "Biblioteket", "en": "The library"},
                                                               {"nb": "Parken", "en": "The park"}]
    opens = utcnow().astimezone(OSLO) - timedelta(days=1)
    closes = opens + timedelta(days=30)
    created = client.submit(f"/admin/surveys/{survey_id}/rounds/new", {
        "label": "høsten 2026", "opens_on": opens.date().isoformat(), "opens_time": "09:00",
        "closes_on": closes.date().isoformat(), "closes_time": "23:59", "reach": "codes",
        "districts": [str(_district_id(app, "lademoen"))]})
    assert created.status_code == 302
    round_path = created.headers["Location"]
    round_id = int(round_path.rsplit("/", 1)[1])
    survey_round = _round_of(app, round_id)
    assert survey_round.opens_at.astimezone(OSLO).strftime("%H:%M") == "09:00"
    assert survey_round.reach == Reach.CODES

    download = client.submit(f"{round_path}/codes", {"codes-district": str(_district_id(app, "lademoen")),
                                                     "codes-count": "3"}, page=round_path)
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert "attachment" in download.headers["Content-Disposition"] and download.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    sheet = next(name for name in archive.namelist() if name.endswith(".csv"))
    rows = list(csv.DictReader(io.StringIO(archive.read(sheet).decode())))
    assert len(rows) == 3 and {row["district"] for row in rows} == {"lademoen"}
    assert any(name.endswith(".html") for name in archive.namelist())
    with app.app_context():
        from app.surveys.models import AccessCode

        hashes = set(db.session.scalars(db.select(AccessCode.code_hash).where(AccessCode.round_id == round_id)))
        assert hashes == {codes.code_hash(row["code"]) for row in rows}
        assert not {row["code"] for row in rows} & hashes      # never kept in clear
    figures = soup(client.get(f"{round_path}?lang=en"))
    lademoen = figures.find("th", string="Lademoen").find_parent("tr")
    assert [td.get_text(strip=True) for td in lademoen.find_all("td")] == ["3", "0", "0 %"]
    assert figures.find("a", href=f"/surveys/{round_id}/print") is not None
    assert figures.find("a", href=f"/surveys/{round_id}/paper") is not None


def test_questions_move_up_but_not_before_the_question_they_depend_on(app, client, login_as):
    admin = login_as("admin")
    ids = make_survey_round(app, admin.id)
    path = f"/admin/surveys/{ids.survey}"

    def order():
        with app.app_context():
            return [p.question_id for p in db.session.get(Survey, ids.survey).placements]

    before = order()
    uses, which = ids.questions["uses"], ids.questions["which"]
    moved = client.submit(path, {}, action=f"{path}/questions/{uses}/up")
    assert moved.status_code == 302
    after = order()
    assert after.index(uses) == before.index(uses) - 1 and sorted(after) == sorted(before)
    client.submit(path, {}, action=f"{path}/questions/{which}/up")      # past the question before it
    assert order().index(which) == order().index(uses) + 1
    refused = client.submit(path, {}, action=f"{path}/questions/{which}/up")
    assert refused.status_code == 302 and order().index(which) == order().index(uses) + 1   # not before "uses"
    assert "blir stående etter" in soup(client.get(path)).select_one(".flash-error").get_text()   # in Bokmål, as the page


def _district_id(app, slug: str) -> int:
    from app.districts.services import get_district

    with app.app_context():
        return get_district(slug).id


def test_a_survey_without_a_bokmal_title_is_refused_beside_the_field_keeping_what_was_typed(app, client, login_as):
    login_as("admin")
    response = client.submit("/admin/surveys/new?lang=en", {"title_en": "Only English", "intro_nb": "Hei"})
    assert response.status_code == 400
    page = soup(response)
    assert page.find("input", {"name": "title_nb"})["aria-invalid"] == "true"
    assert "Bokmål" in page.select_one("#title_nb-error").get_text()
    assert page.find("input", {"name": "title_en"})["value"] == "Only English"


def test_a_round_that_closes_before_it_opens_is_refused_beside_the_closing_date(app, client, login_as):
    admin = login_as("admin")
    ids = make_survey_round(app, admin.id)
    response = client.submit(f"/admin/surveys/{ids.survey}/rounds/new", {
        "label": "våren 2027", "opens_on": "2027-03-01", "opens_time": "09:00", "closes_on": "2027-02-01",
        "closes_time": "09:00", "reach": "open", "districts": [str(_district_id(app, "lademoen"))]})
    assert response.status_code == 400
    assert soup(response).find("input", {"name": "closes_on"})["aria-invalid"] == "true"
    assert soup(response).find("input", {"name": "label"})["value"] == "våren 2027"


def test_a_question_with_answers_refuses_change_and_offers_a_new_version(app, client, login_as):
    admin = login_as("admin")
    ids = make_survey_round(app, admin.id)
    which = ids.questions["uses"]
    with app.test_request_context():
        survey_round = db.session.get(SurveyRound, ids.round)
        started = services.start_open(survey_round, survey_round.coverage[0].district)
        services.save_answer(started.answer_set, services.get_question(which), "yes")
        db.session.commit()
    path = f"/admin/surveys/{ids.survey}/questions/{which}"
    page = soup(client.get(f"{path}?lang=en"))
    assert "has answers" in page.select_one("#answered-note").get_text()
    refused = client.submit(path, {"wording_nb": "Bruker du en møteplass her?"})
    assert refused.status_code == 400
    assert "Make a new version" in soup(refused).select_one("#wording_nb-error").get_text()
    assert soup(refused).find("input", {"name": "wording_nb"})["value"] == "Bruker du en møteplass her?"
    made = client.submit(path, {"wording_nb": "Bruker du en møteplass her?", "new_version": "y"})
    assert made.status_code == 302
    with app.app_context():
        old = services.get_question(which)
        assert old.wording["nb"] == "Bruker du en møteplass i nærområdet?"
        fresh = db.session.scalar(db.select(services.Question).where(services.Question.key == old.key,
                                                                      services.Question.version == 2))
        assert fresh.wording["nb"] == "Bruker du en møteplass her?" and fresh.choice_values == ["yes", "no"]


# ---- invitations --------------------------------------------------------------------------------------


def test_invitations_are_mailed_once_per_address_in_their_language_with_a_working_link(app, client, login_as):
    admin = login_as("admin")
    ids = make_survey_round(app, admin.id, reach=Reach.INVITATIONS)
    path = f"/admin/surveys/rounds/{ids.round}"
    district = str(_district_id(app, "lademoen"))
    sent = client.submit(f"{path}/invitations", {"invitations-district": district, "invitations-locale": "nb",
                                                 "invitations-addresses": "ola@example.no\nKari@Example.no,en\n"},
                         page=path)
    assert sent.status_code == 302
    again = client.submit(f"{path}/invitations", {
        "invitations-district": district, "invitations-locale": "nb",
        "invitations-addresses_file": (io.BytesIO(b"email\nola@example.no\nper@example.no\n"), "list.csv")},
        page=path, content_type="multipart/form-data")
    assert again.status_code == 302
    mails = [m for m in outbox(app) if m.template == "survey_invitation"]
    assert sorted(m.recipient for m in mails) == ["kari@example.no", "ola@example.no", "per@example.no"]
    kari = next(m for m in mails if m.recipient == "kari@example.no")
    assert kari.locale == "en" and "area survey" in kari.subject
    link = link_in(kari, f"/surveys/{ids.round}/invitation/")
    with app.test_request_context():
        token = link.rsplit("/", 1)[1]
        started = services.start_by_invitation(db.session.get(SurveyRound, ids.round), token)
        assert started.answer_set.channel.value == "invitation"
        db.session.rollback()
    stored = [m for m in outbox(app, as_stored=True) if m.template == "survey_invitation"]
    assert all(link.rsplit("/", 1)[1] not in m.body for m in stored)   # the token is made when sent, never kept


def test_invitations_leave_through_the_mail_server_once_each_with_a_link_that_starts_the_survey(
        app, client, login_as, monkeypatch):
    from app.core import mail
    from tests import fake_smtp

    server = fake_smtp.install(monkeypatch)
    admin = login_as("admin")
    ids = make_survey_round(app, admin.id, reach=Reach.INVITATIONS)
    path = f"/admin/surveys/rounds/{ids.round}"
    fields = {"invitations-district": str(_district_id(app, "mollenberg")), "invitations-locale": "nn",
              "invitations-addresses": "ola@example.no\nkari@example.no"}
    for _ in range(2):   # the same list twice: no second mail
        client.submit(f"{path}/invitations", fields, page=path)
    with app.app_context():
        assert mail.deliver_queued()["sent"] == 2
        db.session.commit()
        assert mail.deliver_queued()["sent"] == 0
    assert sorted(message["To"] for message in server.received) == ["kari@example.no", "ola@example.no"]
    body = server.received[0].get_content()
    mollenberg = _district_id(app, "mollenberg")
    token = body.split(f"/surveys/{ids.round}/invitation/", 1)[1].split()[0]
    with app.test_request_context():
        survey_round = db.session.get(SurveyRound, ids.round)
        started = services.start_by_invitation(survey_round, token)
        assert started.answer_set.district_id == mollenberg
        with pytest.raises(services.SurveyRefused):
            services.start_by_invitation(survey_round, token)   # each invitation answers once


def test_closing_a_round_deletes_its_list_and_a_waiting_invitation_no_longer_opens(app, client, login_as):
    admin = login_as("admin")
    ids = make_survey_round(app, admin.id, reach=Reach.INVITATIONS)
    path = f"/admin/surveys/rounds/{ids.round}"
    client.submit(f"{path}/invitations", {"invitations-district": str(_district_id(app, "lademoen")),
                                          "invitations-locale": "nb", "invitations-addresses": "ola@example.no"},
                  page=path)
    closed = client.post(f"{path}/close", data=form_fields(client.get(path), f"{path}/close"))
    assert closed.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 0
        assert db.session.get(SurveyRound, ids.round).closed_at is not None
    mail = next(m for m in outbox(app) if m.template == "survey_invitation")
    assert f"/surveys/{ids.round}/invitation/gone" in mail.body
    assert soup(client.get(path)).find("form", action=f"{path}/invitations") is None


def test_an_address_list_too_large_is_refused_beside_the_file(app, client, login_as):
    admin = login_as("admin")
    ids = make_survey_round(app, admin.id, reach=Reach.INVITATIONS)
    path = f"/admin/surveys/rounds/{ids.round}"
    big = b"".join(f"person{n}@example.no\n".encode() for n in range(12_000))
    response = client.submit(f"{path}/invitations", {
        "invitations-district": str(_district_id(app, "lademoen")), "invitations-locale": "nb",
        "invitations-addresses_file": (io.BytesIO(big), "list.txt")}, page=path, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "200 KB" in soup(response).select_one("#invitations-addresses_file-error").get_text()
    assert not [m for m in outbox(app) if m.template == "survey_invitation"]


def test_a_list_without_an_address_is_refused_beside_it_keeping_what_was_typed(app, client, login_as):
    admin = login_as("admin")
    ids = make_survey_round(app, admin.id, reach=Reach.INVITATIONS)
    path = f"/admin/surveys/rounds/{ids.round}"
    response = client.submit(f"{path}/invitations", {"invitations-district": str(_district_id(app, "lademoen")),
                                                     "invitations-locale": "nb", "invitations-addresses": "Ola Nordmann"},
                             page=path)
    assert response.status_code == 400
    assert "e-postadresse" in soup(response).select_one("#invitations-addresses-error").get_text()
    assert soup(response).find("textarea", {"name": "invitations-addresses"}).get_text().strip() == "Ola Nordmann"


def test_forms_without_the_page_token_change_nothing(app, client, login_as):
    admin = login_as("admin")
    ids = make_survey_round(app, admin.id)
    assert client.post("/admin/surveys/new", data={"title_nb": "Uten token"}).status_code == 400
    client.post(f"/admin/surveys/rounds/{ids.round}/close")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Survey)) == 1
        assert db.session.get(SurveyRound, ids.round).closed_at is None


# ---- free text ----------------------------------------------------------------------------------------


def _answer_free_text(app, round_id: int, question_id: int, text: str, finish: bool = True) -> None:
    with app.test_request_context():
        survey_round = db.session.get(SurveyRound, round_id)
        started = services.start_open(survey_round, survey_round.coverage[0].district)
        answer_set = started.answer_set
        services.save_answer(answer_set, services.get_question(question_id), text)
        if finish:
            answer_set.finished_on = services.today()
        db.session.commit()


def test_free_text_is_read_by_survey_staff_only_and_only_from_sent_answers(app, client, login_as):
    admin = make_user(app, role="admin")
    ids = make_survey_round(app, admin.id)
    _answer_free_text(app, ids.round, ids.questions["anything_else"], "Mer lys i parken, takk.")
    _answer_free_text(app, ids.round, ids.questions["anything_else"], "Ikke sendt ennå.", finish=False)
    path = f"/admin/surveys/rounds/{ids.round}/free-text"
    moderator = login_as("moderator")
    assert client.get(path).status_code == 403
    _name_staff(app, moderator.id)
    page = client.get(f"{path}?lang=en")
    assert page.status_code == 200
    text = soup(page).get_text()
    assert "Mer lys i parken, takk." in text and "Ikke sendt ennå." not in text
    assert "deleted 30 days" in text or "deleted" in text


def _statements(app, client, url: str) -> int:
    client.get(url)
    with count_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/admin/surveys/", "/admin/surveys/{survey}", "/admin/surveys/rounds/{round}",
                                  "/admin/surveys/rounds/{round}/free-text"])
def test_builder_pages_ask_the_database_as_often_however_much_they_list(app, client, login_as, path):
    admin = login_as("admin")
    ids = make_survey_round(app, admin.id)
    url = path.format(survey=ids.survey, round=ids.round)
    few = _statements(app, client, url)
    for _ in range(3):
        make_survey_round(app, admin.id)
    with app.app_context():   # more questions in the survey, more free text in the round
        survey = db.session.get(Survey, ids.survey)
        for key in ("wellbeing", "belonging", "know_where_to_take_part"):
            services.add_question(db.session.get(services.User, admin.id), survey, services.question_from_bank(key))
        db.session.commit()
    for text in ("Flere benker.", "Mer lys.", "Et bibliotek."):
        _answer_free_text(app, ids.round, ids.questions["anything_else"], text)
    many = _statements(app, client, url)
    assert many == few and few <= 20, (few, many)
