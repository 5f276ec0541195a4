"""The area survey in a browser, as the people it is for use it: an admin builds a survey and opens a round
with printed codes; residents on a 375 px phone answer by keyboard alone, one in Arabic and one in Nynorsk,
one stopping midway and coming back to find the answers kept; a used code is refused; the results are
published with small figures hidden; every page passes axe and reflows at 320 px."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from app.core.db import OSLO, utcnow
from app.districts.services import get_district
from app.extensions import db
from app.surveys import services
from app.surveys.models import AnswerSet, Channel, Reach, SurveyRound
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_keyboard import staff_log_in_by_keyboard, tab_to
from tests.helpers import make_user
from tests.survey_fixtures import make_survey_round


@pytest.fixture(scope="module")
def code_round(live_server):
    app = live_server.app
    ids = make_survey_round(app, make_user(app, role="admin").id, reach=Reach.CODES)
    with app.app_context():
        survey_round = db.session.get_one(SurveyRound, ids.round)
        codes = services.make_codes(survey_round, get_district("lademoen"), 3)
        db.session.commit()
    return ids, codes


@pytest.fixture
def phone(chromium):
    """A fresh phone: a browser of its own, 375 px wide."""
    context = chromium.new_context(viewport={"width": 375, "height": 800}, has_touch=True)
    yield context.new_page()
    context.close()


def press_enter_on(page, selector: str) -> None:
    tab_to(page, selector, limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_by_keyboard(page, value: str) -> None:
    """Tab into the question's radio group and move to ``value`` with the arrow keys, as a keyboard user does."""
    tab_to(page, "form.survey-question input[type=radio]", limit=80)
    for _ in range(10):
        if page.evaluate("(v) => document.activeElement.value === v", value):
            break
        page.keyboard.press("ArrowRight" if page.evaluate("document.dir") != "rtl" else "ArrowLeft")
    page.keyboard.press("Space")
    assert page.evaluate("(v) => document.activeElement.checked && document.activeElement.value === v", value)


def type_answer(page, text: str) -> None:
    tab_to(page, "form.survey-question input[type=text], form.survey-question textarea", limit=80)
    page.keyboard.type(text)


def next_question(page) -> None:
    press_enter_on(page, "form.survey-question button[value=next]")


def enter_code(page, live_server, round_id: int, code: str, lang: str) -> None:
    page.goto(f"{live_server.url}/surveys/{round_id}?lang={lang}")
    assert_accessible(page, f"survey start ({lang})")
    tab_to(page, "#code", limit=80)
    page.keyboard.type(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def progress(page) -> str:
    return page.locator(".survey-progress span").inner_text()


def test_two_residents_answer_by_keyboard_in_arabic_and_nynorsk_one_coming_back(live_server, code_round, chromium):
    ids, codes = code_round
    arabic = chromium.new_context(viewport={"width": 375, "height": 800}).new_page()
    nynorsk = chromium.new_context(viewport={"width": 375, "height": 800}).new_page()

    # Arabic, right to left: the whole way through at once.
    enter_code(arabic, live_server, ids.round, codes[0], "ar")
    assert arabic.locator("html").get_attribute("dir") == "rtl"
    assert "إلى أي حد تشعر بالأمان في الحي؟" in arabic.locator("form.survey-question legend").inner_text()
    assert_accessible(arabic, "question page (ar)")
    for value in ("4", "2", "yes"):
        choose_by_keyboard(arabic, value)
        next_question(arabic)
    type_answer(arabic, "7")
    next_question(arabic)
    next_question(arabic)                       # the free text is optional: left out
    choose_by_keyboard(arabic, "no")            # does not use a meeting place: the next question is not asked
    next_question(arabic)
    assert arabic.url.endswith(f"/surveys/{ids.round}/review")
    assert_accessible(arabic, "review page (ar)")
    press_enter_on(arabic, "#send button[type=submit]")
    assert arabic.url.endswith(f"/surveys/{ids.round}/thanks")
    assert_accessible(arabic, "thanks page (ar)")

    # Nynorsk: stops after two questions, closes the tab, comes back later on the same phone.
    enter_code(nynorsk, live_server, ids.round, codes[1], "nn")
    assert "Kor trygg kjenner du deg i bydelen?" in nynorsk.locator("form.survey-question legend").inner_text()
    choose_by_keyboard(nynorsk, "3")
    next_question(nynorsk)
    choose_by_keyboard(nynorsk, "5")
    next_question(nynorsk)
    assert progress(nynorsk) == "Spørsmål 3 av 6"
    context = nynorsk.context
    nynorsk.close()
    later = context.new_page()
    later.goto(f"{live_server.url}/surveys/{ids.round}?lang=nn")
    assert_accessible(later, "start page, started (nn)")
    press_enter_on(later, f"a[href='/surveys/{ids.round}/continue']")
    assert progress(later) == "Spørsmål 3 av 6"
    press_enter_on(later, "form.survey-question button[value=back]")
    assert later.locator("form.survey-question input[value='5']").is_checked()   # the answer was kept
    next_question(later)
    choose_by_keyboard(later, "no")
    next_question(later)
    type_answer(later, "tolv")                  # not a number: said beside the field, and kept
    next_question(later)
    assert later.locator(".error-message").count() == 1
    assert later.locator("form.survey-question input[type=text]").input_value() == "tolv"
    assert_accessible(later, "question with an error (nn)")
    later.locator("form.survey-question input[type=text]").fill("")
    type_answer(later, "12")
    next_question(later)
    next_question(later)
    choose_by_keyboard(later, "yes")            # uses a meeting place: which one is asked now
    next_question(later)
    assert progress(later) == "Spørsmål 7 av 7"
    tab_to(later, "form.survey-question input[type=checkbox][value=library]", limit=80)
    later.keyboard.press("Space")
    next_question(later)
    assert "Biblioteket" in later.locator(".survey-answers").inner_text()
    press_enter_on(later, "#send button[type=submit]")
    assert later.url.endswith(f"/surveys/{ids.round}/thanks")

    # The Arabic resident's code, typed again on another phone, is refused.
    someone = chromium.new_context(viewport={"width": 375, "height": 800}).new_page()
    enter_code(someone, live_server, ids.round, codes[0], "nb")
    assert "brukt" in someone.locator(".error-message").inner_text()
    assert_accessible(someone, "used code (nb)")
    for page in (arabic, later, someone):
        page.context.close()

    with live_server.app.app_context():
        sets = db.session.scalars(db.select(AnswerSet).where(AnswerSet.round_id == ids.round)).all()
        assert sorted((s.channel, s.finished) for s in sets) == [(Channel.CODE, True), (Channel.CODE, True)]


def test_the_paper_version_and_the_surveys_page_pass_axe(live_server, code_round, page):
    ids, _codes = code_round
    for path in ("/surveys/", f"/surveys/{ids.round}/print"):
        for lang in ("nb", "ar"):
            page.goto(f"{live_server.url}{path}?lang={lang}")
            assert_accessible(page, f"{path} ({lang})")


def test_an_admin_builds_a_survey_residents_answer_it_by_code_and_its_results_show_hidden(live_server, chromium):
    """The whole way: an admin builds a survey from the question bank plus a question asked only after an
    answer, opens a round with printed codes and downloads them; two residents answer on a phone by keyboard
    (in Arabic, and in Nynorsk after a break); a used code is refused; the round is closed and its results,
    from two people, are published with every figure hidden."""
    app = live_server.app
    admin = make_user(app, role="admin", two_factor=True, email="survey-admin@example.no")
    desk = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    staff_log_in_by_keyboard(desk, live_server, admin.email, "nb")

    desk.goto(f"{live_server.url}/admin/surveys/new")
    assert_accessible(desk, "new survey")
    desk.fill("#title_nb", "Nabolagsundersøkelsen")
    desk.fill("#title_nn", "Nabolagsundersøkinga")
    desk.click("main form button[type=submit]")
    survey_path = urlsplit(desk.url).path
    for key in ("safety", "met_neighbours_at_meeting_place"):
        desk.select_option("#question", f"bank:{key}")
        desk.check("#required")
        desk.click(f"main form[action='{survey_path}/questions'] button[type=submit]")
    desk.goto(f"{live_server.url}{survey_path}/questions/new")
    assert_accessible(desk, "new question")
    desk.check("input[name=kind][value=single]")
    desk.fill("#wording_nb", "Hvor møtte du dem?")
    desk.fill("#wording_nn", "Kvar møtte du dei?")
    desk.fill("#choices_nb", "På biblioteket\nI parken")
    desk.fill("#choices_nn", "På biblioteket\nI parken")
    desk.check("input[name=shown_if_values][value$=':yes']")
    desk.click("main form button[type=submit]")
    assert desk.locator("main table tbody tr").count() == 3
    assert "Ja" in desk.locator("main table tbody tr").nth(2).inner_text()   # asked only after a "Ja"

    desk.goto(f"{live_server.url}{survey_path}/rounds/new")
    opens = utcnow().astimezone(OSLO) - timedelta(days=1)
    desk.fill("#label", "Høsten 2026")
    desk.fill("#opens_on", opens.date().isoformat())
    desk.fill("#closes_on", (opens + timedelta(days=30)).date().isoformat())
    desk.check("input[name=reach][value=codes]")
    desk.check("input[name=districts] + label:has-text('Lademoen') >> xpath=preceding-sibling::input")
    desk.click("main form button[type=submit]")
    round_path = urlsplit(desk.url).path
    round_id = int(round_path.rsplit("/", 1)[1])
    assert_accessible(desk, "round page")
    desk.select_option("select[name='codes-district']", label="Lademoen")
    desk.fill("input[name='codes-count']", "3")
    with desk.expect_download() as download:
        desk.click(f"main form[action='{round_path}/codes'] button[type=submit]")
    with zipfile.ZipFile(download.value.path()) as archive:
        sheet = next(name for name in archive.namelist() if name.endswith(".csv"))
        printed = [row["code"] for row in csv.DictReader(io.StringIO(archive.read(sheet).decode()))]
    assert len(printed) == 3

    # In Arabic, right to left, by keyboard: met neighbours, so the follow-up question is asked.
    arabic = chromium.new_context(viewport={"width": 375, "height": 800}).new_page()
    enter_code(arabic, live_server, round_id, printed[0], "ar")
    assert progress(arabic).endswith("2")            # two questions, until an answer opens the third
    choose_by_keyboard(arabic, "4")
    next_question(arabic)
    choose_by_keyboard(arabic, "yes")
    next_question(arabic)
    assert "Hvor møtte du dem?" in arabic.locator("form.survey-question legend").inner_text()   # no Arabic written
    assert arabic.locator("form.survey-question legend").get_attribute("lang") == "nb" or \
        arabic.locator("form.survey-question").get_attribute("lang") == "nb"
    tab_to(arabic, "form.survey-question input[type=radio]", limit=80)
    arabic.keyboard.press("Space")
    next_question(arabic)
    press_enter_on(arabic, "#send button[type=submit]")
    assert arabic.url.endswith(f"/surveys/{round_id}/thanks")

    # In Nynorsk: one answer, a break, then the rest.
    nynorsk = chromium.new_context(viewport={"width": 375, "height": 800}).new_page()
    enter_code(nynorsk, live_server, round_id, printed[1], "nn")
    choose_by_keyboard(nynorsk, "2")
    next_question(nynorsk)
    context = nynorsk.context
    nynorsk.close()
    later = context.new_page()
    later.goto(f"{live_server.url}/surveys/{round_id}?lang=nn")
    press_enter_on(later, f"a[href='/surveys/{round_id}/continue']")
    assert progress(later) == "Spørsmål 2 av 2"
    press_enter_on(later, "form.survey-question button[value=back]")
    assert later.locator("form.survey-question input[value='2']").is_checked()
    next_question(later)
    choose_by_keyboard(later, "no")
    next_question(later)
    press_enter_on(later, "#send button[type=submit]")
    assert later.url.endswith(f"/surveys/{round_id}/thanks")

    again = chromium.new_context(viewport={"width": 375, "height": 800}).new_page()
    enter_code(again, live_server, round_id, printed[0], "nb")
    assert "brukt" in again.locator(".error-message").inner_text()

    # The round is closed by staff, and its results are published: two people, so every figure hidden.
    desk.goto(f"{live_server.url}{round_path}")
    desk.click(f"main form[action='{round_path}/close'] button[type=submit]")
    results = chromium.new_context(viewport={"width": 375, "height": 800}).new_page()
    survey_id = int(survey_path.rsplit("/", 1)[1])
    results.goto(f"{live_server.url}/insights/surveys/{survey_id}?lang=nb")
    assert_accessible(results, "survey results")
    text = results.locator("main").inner_text()
    assert "Høsten 2026" in text and "skjult" in text and "Hvor trygg føler du deg i bydelen?" in text
    cells = results.locator("table", has=results.locator("caption", has_text="Lademoen")).first.locator("td")
    assert cells.count() > 0 and set(cells.all_inner_texts()) == {"skjult"}   # not even the number of answers
    for page in (desk, arabic, later, again, results):
        page.context.close()
