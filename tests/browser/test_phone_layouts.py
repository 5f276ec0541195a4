"""The site on a 375×812 phone: results come first, the menu folds into one button, and every control
a resident uses is big enough to hit with a thumb."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests.browser.test_accessibility import _login, assert_accessible
from tests.helpers import make_comment, make_event, make_idea, make_organisation, make_user

PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def site(live_server):
    """What a resident finds: ideas in every district, events at a meeting place, an organiser."""
    from app.demo.generate import _places
    from app.districts.services import list_districts
    from app.meeting_places.models import MeetingPlace

    app = live_server.app
    author = make_user(app, display_name="Kari")
    ideas = [make_idea(app, author, district=district, title=f"Benker og lys ved stien {n}")
             for n in range(7) for district in ("lademoen", "tempe-sorgenfri", "mollenberg")]
    make_comment(app, author, ideas[0], body="Enig, særlig om kvelden.")
    with app.app_context():
        _places({d.slug: d.id for d in list_districts()})
        db.session.commit()
        place = db.session.scalar(db.select(MeetingPlace).order_by(MeetingPlace.id))
        place_id, place_district = place.id, place.district.slug
    organiser = make_user(app, display_name="Ola Arrangør")
    organisation = make_organisation(app, organiser, districts=(place_district,), name="Naboklubben")
    events = [make_event(app, organisation, district=place_district, title=f"Språkkafé {n}", starts_in_days=2 + n,
                         meeting_place_id=place_id) for n in range(8)]
    series = [make_event(app, organisation, district=place_district, title="Babysang", starts_in_days=2.5 + 7 * n,
                         meeting_place_id=place_id, series_id="babysang") for n in range(6)]
    with app.test_request_context(method="POST"):
        from app.events import registration as seats
        from app.events.models import Event

        for n in range(2):
            seats.register(db.session.get(Event, events[0]), name=f"Gjest {n}", email=f"gjest{n}@example.no",
                           phone="912 34 567")
        db.session.commit()
    return {"idea": ideas[0], "event": events[0], "place": place_id, "organiser": organiser.email,
            "resident": author.email, "series": series}


def _phone(page):
    page.set_viewport_size(PHONE)


# --- results first ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/ideas/", "/events/", "/districts/lademoen", "/"])
def test_the_first_result_starts_on_the_first_screen_of_a_phone(live_server, page, site, path):
    _phone(page)
    page.goto(f"{live_server.url}{path}")
    # the first item of the page's first list of results (on the home page: the districts)
    first = page.locator("main :is(ul.cards, ul.idea-list) > li").first
    top = first.bounding_box()["y"]
    assert top < PHONE["height"], f"{path}: the first result starts {top:.0f}px down, below the first screen"


@pytest.mark.parametrize("lang, actions", [
    ("nb", ["Foreslå en idé", "Se hva som skjer", "Gi tilbakemelding"]),
    ("nn", ["Kom med ein idé", "Sjå kva som skjer", "Gi tilbakemelding"]),
    ("en", ["Propose an idea", "See what is happening", "Give feedback"]),
])
def test_the_home_page_offers_its_main_actions_on_the_first_screen_of_a_phone(live_server, page, site, lang, actions):
    _phone(page)
    page.goto(f"{live_server.url}/?lang={lang}")
    for name, path in zip(actions, ["/ideas/new", "/events/", "/feedback/"], strict=True):
        action = page.locator("main .home-actions").get_by_role("link", name=name, exact=True)
        box = action.bounding_box()
        assert action.get_attribute("href").startswith(path)
        assert box["y"] + box["height"] <= PHONE["height"], f"{name!r} ends {box['y'] + box['height']:.0f}px down"
        assert box["height"] >= 44 and box["width"] >= 44


@pytest.mark.parametrize("path, chosen", [
    ("/ideas/?district=lademoen&sort=newest&lang=nb", "Filter: Lademoen · Nyeste først"),
    ("/events/?district=mollenberg&free=1&lang=nb", "Filter: Møllenberg · Bare arrangementer med ledige plasser"),
])
def test_filters_are_one_closed_line_that_says_what_is_chosen_and_open_without_script(chromium, live_server, site,
                                                                                       path, chosen):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    fold = page.locator("details.filter-fold")
    assert fold.get_attribute("open") is None
    assert page.locator("details.filter-fold > summary").inner_text() == chosen
    assert not page.locator("main form.filters select").first.is_visible()
    page.click("details.filter-fold > summary")
    assert page.locator("main form.filters select").first.is_visible()
    context.close()


# --- the header ------------------------------------------------------------------------------------

def test_the_header_is_one_line_on_a_phone_and_the_menu_opens_with_the_keyboard_without_script(chromium, live_server):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/ideas/?lang=nb")
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 64, f"the header is {header['height']}px tall"
    menu = page.locator("header details.menu-button > summary")
    assert menu.inner_text() == "Meny"
    events, english = page.locator("nav.main-nav a[href='/events/']"), page.locator("nav.languages a[hreflang=en]")
    assert not events.is_visible() and not english.is_visible()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Meny"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "focus on the menu button must show"
    page.keyboard.press("Enter")
    assert page.locator("header details.menu-button").get_attribute("open") is not None
    assert events.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/ideas/"  # the menu comes next
    assert english.is_visible()
    english.click()
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()


def test_on_a_wide_screen_the_menu_is_shown_and_lines_up_with_the_content(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/ideas/")
    assert not page.locator("header details.menu-button").is_visible()
    first_link = page.locator("nav.main-nav a").first.bounding_box()
    heading = page.locator("main h1").bounding_box()
    assert abs(first_link["x"] - heading["x"]) <= 1
    nynorsk = page.locator("nav.languages a[hreflang=nn]")
    assert not nynorsk.is_visible()   # the languages fold behind their own button
    page.locator("nav.languages summary").click()
    assert nynorsk.is_visible()


# --- the organiser's pages -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_an_organiser_reaches_participants_and_edit_links_on_a_phone_without_scrolling_sideways(
        live_server, page, site, lang):
    _login(page, live_server, site["organiser"])
    _phone(page)
    page.goto(f"{live_server.url}/?lang={lang}")
    page.click("header details.menu-button > summary")
    page.click("nav.main-nav a[href='/organiser/']")
    # Until the page has loaded, its style sheet may not apply yet and the table is still laid out wide.
    page.wait_for_url("**/organiser/", wait_until="load")
    first = page.locator("table.stack tbody tr").first
    for link in (first.locator("a[href$='/edit']"), first.locator(f"a[href='/organiser/events/{site['event']}']")):
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # A weekly series is one card; its dates fold out, each with its participants and edit links in reach.
    series = page.locator("table.stack tbody tr.series")
    assert series.count() == 1
    series.locator("details.series-dates > summary").click()
    for event_id in site["series"]:
        for link in (series.locator(f"a[href='/organiser/events/{event_id}']").last,
                     series.locator(f"a[href='/events/{event_id}/edit']").last):
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_accessible(page, f"/organiser/ ({lang})")
    page.goto(f"{live_server.url}/organiser/events/{site['event']}")
    email = page.locator("table.stack a[href='mailto:gjest0@example.no']")
    phone = page.locator("table.stack a[href='tel:91234567']").first
    for link in (email, phone):
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_accessible(page, f"participants ({lang})")


# --- tap targets -----------------------------------------------------------------------------------

# Every control a resident can tap must be at least 44×44 CSS px (WCAG 2.5.5, target size AAA), with
# the exception WCAG itself makes: a link inside a sentence or a line of other text (its height is set
# by that text's line, 2.5.5/2.5.8 "inline"). A radio button or checkbox is measured by its label, which
# ticks it too. Anything hidden or moved off the screen until focused (the skip link) is left out.
MEASURE = """() => {
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  const small = [];
  const textOutside = (el) => {
    const block = el.parentElement.closest('p, li, dd, dt, td, th, div, h1, h2, h3, h4, span');
    return block && block.textContent.replace(el.textContent, '').trim().length > 0;
  };
  for (const el of controls) {
    let target = el;
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      target = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    }
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    if (!box.width || !box.height || box.right <= 0 || style.visibility === 'hidden') continue;
    if (el.closest('.hp')) continue;  // the trap for robots is never shown to people
    if (el.matches('a') && textOutside(el) && box.height < 44) continue;  // inline in running text
    if (box.width < 43.5 || box.height < 43.5) {
      small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim().slice(0, 40)}" `
                 + `${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


def _small_targets(page) -> list[str]:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # the menu and filters too
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("name", ["home", "district", "ideas", "idea", "events", "event", "place", "places",
                                  "feedback", "give-feedback", "login"])
def test_every_control_a_resident_meets_is_at_least_44_px_square(live_server, page, site, name):
    paths = {"home": "/", "district": "/districts/lademoen", "ideas": "/ideas/", "idea": f"/ideas/{site['idea']}",
             "events": "/events/", "event": f"/events/{site['event']}", "place": f"/meeting-places/{site['place']}",
             "places": "/meeting-places/", "feedback": "/districts/lademoen/feedback", "give-feedback": "/feedback/",
             "login": "/account/login"}
    _phone(page)
    page.goto(f"{live_server.url}{paths[name]}")
    small = _small_targets(page)
    assert not small, f"{paths[name]} as a visitor: " + "; ".join(small)
    if name in ("idea", "event", "home"):
        page.context.clear_cookies()
        _login(page, live_server, site["resident"])
        page.goto(f"{live_server.url}{paths[name]}")
        small = _small_targets(page)
        assert not small, f"{paths[name]} as a resident: " + "; ".join(small)
    if name == "idea":   # the form for a new one too, with its fold for the language the text is written in
        page.goto(f"{live_server.url}/ideas/new")
        small = _small_targets(page)
        assert not small, "/ideas/new: " + "; ".join(small)


def test_the_measure_finds_a_small_button_and_spares_a_link_in_a_sentence(page):
    """Guards the rule above: it must catch a small control and let an inline link be."""
    page.set_content("<main><p>Read <a href='/x'>the rules</a> first.</p><button>OK</button></main>")
    small = _small_targets(page)
    assert len(small) == 1 and small[0].startswith('button "OK"')


# --- what changed, checked with axe in every language ----------------------------------------------

@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_main_pages_with_the_menu_and_filters_folded_and_open_have_no_axe_violations(live_server, page, site, lang):
    for path in ("/", "/districts/lademoen", "/ideas/", "/events/?district=mollenberg", f"/ideas/{site['idea']}",
                 f"/events/{site['event']}", f"/meeting-places/{site['place']}", "/districts/lademoen/feedback",
                 "/account/login"):
        page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert_accessible(page, f"{path} ({lang}) folded")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert_accessible(page, f"{path} ({lang}) opened")


def test_a_rating_is_a_row_of_tiles_one_taps_or_walks_with_the_arrow_keys(live_server, page):
    _phone(page)
    page.goto(f"{live_server.url}/districts/lademoen/feedback?lang=nb")
    tiles = page.locator("fieldset.inline-choices").first.locator(".choice label")
    assert tiles.all_inner_texts()[1:] == ["1", "2", "3", "4", "5"]
    tops = {round(tiles.nth(n).bounding_box()["y"]) for n in range(1, 6)}
    assert len(tops) == 1, "1 to 5 stand in one row"
    page.set_viewport_size({"width": 320, "height": 812})
    assert len({round(tiles.nth(n).bounding_box()["y"]) for n in range(1, 6)}) == 1, "also at 320 px"
    _phone(page)
    tiles.nth(4).scroll_into_view_if_needed()
    box = tiles.nth(4).bounding_box()  # a tap on the middle of tile 4 (the unseen radio button lies over it)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator("fieldset.inline-choices").first.locator("input:checked").get_attribute("value") == "4"
    page.keyboard.press("ArrowRight")
    checked = page.locator("fieldset.inline-choices").first.locator("input:checked")
    assert checked.get_attribute("value") == "5"
    label = page.locator(f"label[for='{checked.get_attribute('id')}']")
    assert label.evaluate("l => getComputedStyle(l).outlineStyle") == "solid", "the focus shows on the tile"


# Each word of the name, as the lines it is laid out on: more than one means it was broken inside the word.
WORD_LINES = """() => {
  const text = document.querySelector('.district-banner h1').firstChild;
  const lines = {};
  let start = 0;
  for (const word of text.data.split(/([\\s-])/)) {
    if (word.trim() && word !== '-') {
      const range = document.createRange();
      range.setStart(text, start);
      range.setEnd(text, start + word.length);
      lines[word] = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    }
    start += word.length;
  }
  return lines;
}"""


@pytest.mark.parametrize("lang", ["nb", "ar"])
def test_a_districts_name_is_never_broken_inside_a_word_on_the_narrowest_phone(live_server, page, lang):
    page.set_viewport_size({"width": 320, "height": 800})
    for slug in ("lademoen", "tempe-sorgenfri", "mollenberg"):
        page.goto(f"{live_server.url}/districts/{slug}?lang={lang}")
        lines = page.evaluate(WORD_LINES)
        assert lines and set(lines.values()) == {1}, (slug, lines)


@pytest.mark.parametrize("lang", ["nb", "ar"])
def test_the_footers_phone_number_stays_on_one_line_on_the_narrowest_phone(live_server, page, lang):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/?lang={lang}")
    lines = page.evaluate("""() => new Set([...document.querySelector('.site-footer a[href^="tel:"]').getClientRects()]
                                   .map(r => Math.round(r.top))).size""")
    assert lines == 1
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
