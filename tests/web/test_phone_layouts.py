"""What a phone needs from the pages themselves: filters folded into one line that names what is
chosen, phone fields that bring up the number pad, a phone number one can tap to call, and the
organiser page in the menu for organisers. (How it looks at 375 px: tests/browser/test_phone_layouts.py.)"""
from __future__ import annotations

import importlib
import pkgutil

from flask_wtf import FlaskForm
from wtforms import TelField

import app as application
from tests.helpers import make_organisation, soup


def _summary(client, path: str) -> str:
    fold = soup(client.get(path)).select_one("details.filter-fold")
    assert fold is not None and not fold.has_attr("open"), "the filters are folded away until asked for"
    assert fold.select_one("form.filters") is not None
    return fold.summary.get_text(strip=True)


def test_the_folded_filters_say_what_is_chosen(client):
    assert _summary(client, "/ideas/?lang=nb") == "Filter: Nyeste først"
    assert _summary(client, "/ideas/?lang=nb&district=lademoen&q=benker&sort=supported") == \
        "Filter: Søk: benker · Lademoen · Mest støttet først"
    assert _summary(client, "/events/?lang=nb") == "Filter: ingenting valgt"
    assert _summary(client, "/events/?lang=en&district=mollenberg&free=1") == \
        "Filter: Møllenberg · Only events with free seats"
    assert _summary(client, "/events/?lang=nb&start=2027-01-05") == "Filter: Fra dato 5. jan. 2027"
    assert _summary(client, "/events/?lang=nn&district=tull&start=ikke-en-dato") == "Filter: ingenting valt"


def _forms():
    for module in pkgutil.walk_packages(application.__path__, "app."):
        if module.name.endswith("forms"):
            importlib.import_module(module.name)
    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        found.append(form)
        todo += form.__subclasses__()
    return found


def test_every_phone_field_brings_up_the_number_pad():
    phone_fields = [(form.__name__, name, unbound.field_class) for form in _forms()
                    for name, unbound in vars(form).items()
                    if "phone" in name and hasattr(unbound, "field_class")]
    assert len(phone_fields) >= 5, phone_fields  # feedback, registration, organiser, meeting place, settings
    assert [(form, name) for form, name, kind in phone_fields if not issubclass(kind, TelField)] == []


def test_the_phone_fields_on_the_pages_are_type_tel(client):
    for path, name in (("/districts/lademoen/feedback", "contact_phone"),):
        field = soup(client.get(path)).find("input", attrs={"name": name})
        assert field["type"] == "tel" and field["autocomplete"] == "tel"


def test_the_footer_email_address_may_break_after_the_at_sign_only(client):
    link = soup(client.get("/")).select_one("footer a[href^='mailto:']")
    assert link["href"] == "mailto:omradesatsingene@trondheim.kommune.no"
    assert link.get_text() == "omradesatsingene@trondheim.kommune.no"
    assert str(link).count("<wbr/>") == 1 and "@<wbr/>trondheim.kommune.no" in str(link)


def test_the_phone_number_in_the_footer_can_be_tapped_to_call(client):
    link = soup(client.get("/")).select_one("footer a[href^='tel:']")
    assert link is not None and link["href"] == "tel:+4772540000" and link.get_text() == "+47 72 54 00 00"


def test_the_organiser_page_is_in_the_menu_for_organisers_only(app, client, login_as):
    def menu() -> list[str]:
        return [a["href"] for a in soup(client.get("/?lang=nb")).select("nav.main-nav a")]

    assert "/organiser/" not in menu()
    resident = login_as("resident")
    assert "/organiser/" not in menu()
    make_organisation(app, resident, name="Naboklubben", status="pending")
    assert "/organiser/" not in menu(), "not before the organisation is approved"
    make_organisation(app, resident, name="Strikkeklubben")
    assert "/organiser/" in menu()
    link = soup(client.get("/organiser/?lang=nb")).select_one("nav.main-nav a[href='/organiser/']")
    assert link.get_text() == "Mine arrangementer" and link["aria-current"] == "page"


def test_the_menu_is_folded_behind_one_button_with_the_languages_inside(client):
    header = soup(client.get("/?lang=nn")).find("header")
    button = header.select_one("details.menu-button > summary")
    assert button.get_text(strip=True) == "Meny"
    menu = header.select_one("details.menu-button + .menu")
    assert menu.select_one("nav.main-nav") and menu.select_one("nav.languages a[hreflang=en]")


def test_organiser_tables_say_on_a_phone_what_each_number_is(app, client, login_as):
    from tests.helpers import make_event

    organiser = login_as("resident")
    make_event(app, make_organisation(app, organiser), title="Strikkekafé")
    row = soup(client.get("/organiser/?lang=nb")).find("a", string="Strikkekafé").find_parent("tr")
    assert [td["data-label"] for td in row.select("td[data-label]")] == ["Bekreftede plasser", "Venteliste"]
    assert row.find("a", href=lambda h: h and h.endswith("/edit")) is not None
