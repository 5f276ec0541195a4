"""The area survey in a browser, as the people it is for use it: residents on a 375 px phone answer by
keyboard alone, one in Arabic and one in Nynorsk, one stopping midway and coming back to find the answers
kept; a used code is refused; every page passes axe and reflows at 320 px."""
from __future__ import annotations

import pytest

from app.districts.services import get_district
from app.extensions import db
from app.surveys import services
from app.surveys.models import AnswerSet, Channel, Reach, SurveyRound
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_keyboard import tab_to
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
