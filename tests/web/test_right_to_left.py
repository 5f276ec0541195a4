"""What an Arabic page says in its markup: right to left, Bokmål stand-ins marked as Bokmål, codes, names and
arrows that keep their order, and charts drawn as mirror images."""
from __future__ import annotations

from tests.helpers import soup


def test_an_arabic_page_is_right_to_left_and_marks_the_bokmal_it_falls_back_to(client):
    page = soup(client.get("/?lang=ar"))
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")
    hints = page.select("ol.effort-areas .hint")
    assert hints and all((hint["lang"], hint["dir"]) == ("nb", "ltr") for hint in hints)
    area = soup(client.get("/effort-areas/2?lang=ar"))
    assert (area.select_one("h1 span")["lang"], area.select_one("div.prose")["dir"]) == ("nb", "ltr")
    district = soup(client.get("/districts/lademoen?lang=ar")).select_one("div.prose")
    assert district["lang"] == "nb"


def test_a_page_in_a_language_with_its_own_text_marks_nothing(client):
    for lang in ("nb", "en"):
        page = soup(client.get(f"/effort-areas/2?lang={lang}"))
        assert not page.select_one("h1 span").has_attr("lang") and not page.select_one("div.prose").has_attr("lang")
        assert not page.select("ol.effort-areas [lang]")


def test_a_receipt_code_in_an_arabic_sentence_is_isolated_left_to_right(app, client):
    from app.districts.services import get_district
    from app.extensions import db
    from app.feedback import services as feedback

    with app.test_request_context():
        code = feedback.submit_feedback(get_district("lademoen"), "Mørkt i undergangen.", {"safety": 2}, None,
                                        None, None, None, False, "127.0.0.1").receipt_code
        db.session.commit()
    page = soup(client.get(f"/feedback/{code}?lang=ar"))
    assert page.select_one("h1 bdi[dir=ltr]").get_text() == code
    assert code in page.title.get_text() and "<bdi" not in page.title.get_text()


def test_an_arabic_chart_has_its_scale_on_the_right_and_a_norwegian_one_on_the_left(app, client):
    from tests.data.test_indicators import build

    build(app)
    for lang, on_the_right in (("nb", False), ("ar", True)):
        svg = soup(client.get(f"/insights/?lang={lang}")).select_one("svg.bars.wide")
        width = float(svg["viewbox"].split()[2])
        ticks = [float(t["x"]) for t in svg.select("text.tick")]
        assert ticks and all((x > width / 2) == on_the_right for x in ticks), lang


def test_the_audit_logs_arrow_turns_with_the_line_and_its_values_stand_apart(app, client, login_as):
    from tests.helpers import make_idea, make_user

    login_as("moderator", districts=("lademoen",))
    idea = make_idea(app, make_user(app))
    page = f"/moderation/items/idea/{idea}"
    client.submit(page, {"route-area": "2"}, action=f"{page}/route")
    row = soup(client.get("/moderation/audit?action=submission.route&lang=ar")).select_one("tbody tr")
    assert row.select("span.forward") and row.select("bdi")
    assert "effort area: – → 2" in soup(client.get("/moderation/audit?action=submission.route&lang=en")).get_text(
        " ", strip=True)


def test_the_registration_forms_title_and_place_stand_apart_from_the_arabic_around_them(app, client):
    from tests.helpers import make_event, make_organisation

    event_id = make_event(app, make_organisation(app), title="Språkkafé?", address="Rosenborg gate 10, 7014 Trondheim")
    page = soup(client.get(f"/events/{event_id}/register?lang=ar"))
    assert page.select_one("h1 bdi").get_text() == "Språkkafé?"
    assert "<bdi" not in page.title.get_text()
    when_where = page.select_one("p.event-when-where")
    assert when_where.select_one("time + br + bdi").get_text() == "Rosenborg gate 10, 7014 Trondheim"


def test_the_insights_table_by_effort_area_marks_the_bokmal_titles_on_an_arabic_page(client):
    rows = soup(client.get("/insights/?lang=ar")).select("#by-area ~ .table-wrap tbody th")
    assert len(rows) > 1
    assert [(th.get("lang"), th.get("dir")) for th in rows[:-1]] == [("nb", "ltr")] * (len(rows) - 1)
    assert not rows[-1].has_attr("lang")   # "not yet routed" is the page's own words
    assert not soup(client.get("/insights/?lang=en")).select("#by-area ~ .table-wrap tbody th[lang]")


def test_effort_areas_offered_in_forms_and_filters_are_marked_as_bokmal_where_it_stands_in(client):
    for page, name in (("/ideas/", "area"), ("/events/", "area"), ("/districts/lademoen/feedback", "topic")):
        options = soup(client.get(f"{page}?lang=ar")).select(f"[name={name}] option[value!=''], "
                                                             f"input[name={name}][value!=''] + label")
        marked = [o for o in options if o.get("lang") == "nb" or o.parent.get("lang") == "nb"]
        assert options and len(marked) == len(options), page
        english = soup(client.get(f"{page}?lang=en")).select(f"[name={name}] [lang], [name={name}][lang]")
        assert not english, page
