"""Private feedback is easy to find: "Gi tilbakemelding" in the menu and on the home page, and a
"Har du en referansekode?" box that leads to the code's page, forgiving how the code is typed, and
counting wrong codes as the receipt page always has."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests.helpers import Browser, soup


def _receipt(app) -> str:
    from app.districts.services import get_district
    from app.feedback import services

    with app.test_request_context():
        feedback = services.submit_feedback(get_district("lademoen"), "Undergangen er mørk om kvelden.", {}, None,
                                            None, None, None, False, "someone-else")
        db.session.commit()
        return feedback.receipt_code


@pytest.mark.parametrize("path", ["/", "/ideas/", "/feedback/"])
def test_the_main_menu_leads_to_feedback(client, path):
    links = soup(client.get(path)).select("header nav a[href='/feedback/']")
    assert [a.get_text(strip=True) for a in links] == ["Gi tilbakemelding"]


def test_the_home_page_has_a_feedback_block_with_each_district_and_the_code_box(client):
    block = soup(client.get("/")).select_one("section.feedback-block")
    assert block.find("h2").get_text(strip=True) == "Gi tilbakemelding"
    hrefs = {a["href"] for a in block.select("a")}
    assert {"/districts/lademoen/feedback", "/districts/tempe-sorgenfri/feedback", "/districts/mollenberg/feedback"} <= hrefs
    box = block.select_one("form[action='/feedback/find']")
    assert box["method"] == "get" and box.select_one("label[for=code]").get_text(strip=True) == "Referansekode"
    assert "Har du en referansekode?" in block.get_text()


@pytest.mark.parametrize("path", ["/feedback/", "/districts/lademoen/feedback"])
def test_the_feedback_pages_have_the_code_box(client, path):
    assert soup(client.get(path)).select_one("form[action='/feedback/find'] input[name=code]") is not None


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "  {spaced}  ", "{bare}", "{bare_lower}"])
def test_the_code_box_forgives_case_spaces_and_missing_dashes(app, client, typed):
    code = _receipt(app)
    bare = code.replace("-", "")
    text = typed.format(code=code, lower=code.lower(), spaced=" ".join(bare), bare=bare, bare_lower=bare.lower())
    response = client.get("/feedback/find", query_string={"code": text})
    assert response.status_code == 302 and response.headers["Location"] == f"/feedback/{code}"
    assert code in client.get(response.headers["Location"]).get_data(as_text=True)


def test_something_that_is_not_a_code_is_answered_beside_the_field(client):
    response = client.get("/feedback/find", query_string={"code": "hei"})
    assert response.status_code == 400
    page = soup(response)
    assert "12 bokstaver og tall" in page.select_one("#code-error").get_text()
    assert page.select_one(".error-summary a[href='#code']") is not None
    empty = client.get("/feedback/find", query_string={"code": "  "})
    assert empty.status_code == 400 and soup(empty).select_one("#code-error") is not None


def test_a_code_not_found_gets_a_plain_page_with_the_box_again(client):
    response = client.get("/feedback/find", query_string={"code": "abcd efgh jklm"})
    page = client.get(response.headers["Location"])
    assert page.status_code == 404
    main = soup(page).find("main")
    assert "Vi fant ingen tilbakemelding med den koden" in main.get_text()
    assert "Feilkode" not in main.get_text()
    assert main.select_one("input[name=code]")["value"] == "ABCD-EFGH-JKLM"


def test_wrong_codes_through_the_box_are_limited_like_the_receipt_page(app_factory):
    app = app_factory(RECEIPT_LOOKUP_FAILURES_PER_HOUR=3)
    code = _receipt(app)
    browser = Browser(app)
    for guess in ("AAAA-BBBB-CCCC", "DDDD-EEEE-FFFF", "GGGG-HHHH-JJJJ"):
        found = browser.get(browser.get("/feedback/find", query_string={"code": guess}).headers["Location"])
        assert found.status_code == 404
    # Now even the right code is refused for a while, so a guess that hits tells nothing.
    right = browser.get(browser.get("/feedback/find", query_string={"code": code.lower()}).headers["Location"])
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0
    # Another client is not affected.
    assert Browser(app).get(f"/feedback/{code}", environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 200
