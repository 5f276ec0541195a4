"""The map drawn on the server: every district outline, numbered markers inside the drawing, the same
numbers in the list under it, and a title and description for screen readers."""
from __future__ import annotations

from bs4 import BeautifulSoup
from flask import render_template_string

from app.districts.models import District
from app.extensions import db
from app.places.svgmap import MARKER_RADIUS, Marker, draw_map


def test_the_map_draws_the_districts_and_numbers_each_marker_as_in_its_list(app):
    with app.test_request_context():
        districts = db.session.scalars(db.select(District).order_by(District.position)).all()
        lademoen = next(d for d in districts if d.slug == "lademoen")
        drawing = draw_map("map", "Lademoen on a map", "The boundary of Lademoen and two meeting places.", districts,
                           [(1, 63.4352, 10.4240, "Lademoen bydelskafé", "/meeting-places/1", "Innherredsveien 60"),
                            Marker(2, 63.4372, 10.4265, "Fritidsklubben")], current=lademoen)
        html = render_template_string('{% from "places/_map.html" import place_map %}{{ place_map(m) }}', m=drawing)
    page = BeautifulSoup(html, "html.parser")
    svg = page.select_one("svg")
    assert svg["role"] == "img"
    labelled = svg["aria-labelledby"].split()
    assert page.find(id=labelled[0]).text == "Lademoen on a map"
    assert "two meeting places" in page.find(id=labelled[1]).text
    assert len(page.select("path.area")) == 3 and len(page.select("path.area.current")) == 1
    assert [t.text for t in page.select(".marker-number")] == ["1", "2"]
    assert len(page.select("path.marker")) == 2
    items = page.select("ol.map-list li")
    assert [(li["value"], li.get_text(" ", strip=True)) for li in items] == [
        ("1", "Lademoen bydelskafé Innherredsveien 60"), ("2", "Fritidsklubben")]
    assert items[0].a["href"] == "/meeting-places/1"
    for marker in drawing.markers:           # inside the drawing
        assert 0 < marker.x < drawing.width and 0 < marker.y < drawing.height


def test_a_map_without_boundaries_or_markers_still_draws(app):
    with app.test_request_context():
        drawing = draw_map("empty", "Map", "Nothing here yet.", [], [])
        html = render_template_string('{% from "places/_map.html" import place_map %}{{ place_map(m) }}', m=drawing)
    assert "<svg" in html and "map-list" not in html


def test_markers_at_one_point_stand_apart_and_leave_the_district_name_readable(app):
    with app.test_request_context():
        lademoen = db.session.scalar(db.select(District).where(District.slug == "lademoen"))
        # A meeting place and two events there, and an idea a few metres away: four numbers on one spot.
        at_the_cafe = [(n, 63.4352, 10.4240, f"Item {n}") for n in (1, 2, 3)] + [(4, 63.43522, 10.42405, "Item 4")]
        drawing = draw_map("map", "Lademoen", "Lademoen and four items.", [lademoen], at_the_cafe, current=lademoen)
    markers = drawing.markers
    for n, one in enumerate(markers):
        for other in markers[n + 1:]:
            assert (one.x - other.x) ** 2 + (one.y - other.y) ** 2 >= (2 * MARKER_RADIUS) ** 2   # no number hides another
    assert markers[0].leader == "" and all(m.leader for m in markers[1:])                     # a line back to the point
    name = drawing.areas[0]
    half = len(name.name) * 4
    for m in markers:   # the name's box is clear of every disc
        assert not (name.label_x - half - MARKER_RADIUS < m.x < name.label_x + half + MARKER_RADIUS
                    and name.label_y - 11 - MARKER_RADIUS < m.y < name.label_y + 3 + MARKER_RADIUS)
