"""Arabic, read right to left: every kind of page axe-clean at phone width with nothing to scroll sideways at
320 px, the layout the mirror image of a Norwegian page, codes and numbers in their own order, and a guest who
signs up for an event with the keyboard alone. One browser, one context per role."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests.browser.test_accessibility import (  # noqa: F401  (fixtures, shared with the pages they describe)
    PUBLIC_PAGES,
    _login,
    assert_accessible,
    content,
    moderation_content,
)
from tests.browser.test_insights_pages import figures  # noqa: F401
from tests.browser.test_keyboard import tab_to
from tests.browser.test_phone_layouts import site  # noqa: F401
from tests.helpers import link_in, make_user, outbox

PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="module")
def browse(chromium, live_server):
    """browse(role) -> a page in a context of its own for that role, logged in on first use (module-wide)."""
    contexts = {}

    def open_as(role: str, email: str | None = None):
        if role not in contexts:
            context = chromium.new_context(viewport=PHONE)
            contexts[role] = context.new_page()
            if email:
                _login(contexts[role], live_server, email)
        return contexts[role]

    yield open_as
    for page in contexts.values():
        page.context.close()


def _arabic(page, live_server, path: str) -> None:
    page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang=ar")


def _check(page, label: str, problems: list[str]) -> None:
    """The page is in Arabic, right to left, axe-clean and fits 320 px; what is wrong is kept, not raised,
    so one run lists every page that needs work."""
    html = page.locator("html")
    if (html.get_attribute("lang"), html.get_attribute("dir")) != ("ar", "rtl"):
        problems.append(f"{label}: lang={html.get_attribute('lang')} dir={html.get_attribute('dir')}")
    try:
        assert_accessible(page, f"{label} (ar)")
    except AssertionError as error:
        problems.append(str(error))


def _visit_all(page, live_server, paths, problems: list[str], suffix: str = "") -> None:
    for path in paths:
        _arabic(page, live_server, path)
        _check(page, f"{path}{suffix}", problems)


def _with_errors(page, live_server, path: str, fill: dict[str, str], submit: str, problems: list[str]) -> None:
    _arabic(page, live_server, path)
    for field, value in fill.items():
        page.fill(field, value)
    page.click(submit)
    page.wait_for_selector(".error-summary")
    _check(page, f"{path} with errors", problems)


def test_every_kind_of_page_in_arabic_is_accessible_and_fits_a_phone(browse, live_server, site, content,  # noqa: F811
                                                                     moderation_content, figures):  # noqa: F811
    app = live_server.app
    problems: list[str] = []
    visitor = browse("visitor")
    _visit_all(visitor, live_server, PUBLIC_PAGES + [
        f"/ideas/{content['idea']}", f"/ideas/{content['hidden']}", f"/feedback/{content['code']}", "/feedback/",
        "/events/", f"/events/{site['event']}", f"/events/{site['event']}/register", "/meeting-places/",
        f"/meeting-places/{site['place']}", "/organisations/", "/insights/", "/insights/about", "/open-data",
        "/districts/find"], problems)
    for path in ("/", "/ideas/", "/insights/"):   # the menu, the filters and the tables of figures opened
        _arabic(visitor, live_server, path)
        visitor.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        _check(visitor, f"{path} opened", problems)
    _with_errors(visitor, live_server, "/account/register", {"#email": "not-an-address"}, "main button[type=submit]",
                 problems)
    _with_errors(visitor, live_server, "/districts/lademoen/feedback", {"#contact_email": "meg@example.no"},
                 "main button[type=submit]", problems)
    _with_errors(visitor, live_server, f"/events/{site['event']}/register", {}, "main button[type=submit]", problems)

    resident = browse("resident", content["author"])
    _visit_all(resident, live_server, ["/account/", "/ideas/new?district=lademoen", f"/ideas/{content['idea']}",
                                       f"/ideas/{content['idea']}/report", f"/ideas/{content['own']}/edit",
                                       "/organisations/apply"],
               problems, " (resident)")
    _with_errors(resident, live_server, "/ideas/new", {"#title": "x"}, "main button[name=preview]", problems)

    organiser = browse("organiser", site["organiser"])
    _visit_all(organiser, live_server, ["/organiser/", f"/organiser/events/{site['event']}", "/events/new"],
               problems, " (organiser)")
    _with_errors(organiser, live_server, "/events/new", {"#capacity": "0"}, "main form button[type=submit]", problems)

    moderator = browse("moderator", make_user(app, role="moderator", districts=("lademoen", "mollenberg")).email)
    _visit_all(moderator, live_server, ["/moderation/", "/moderation/audit", "/moderation/templates"] + [
        f"/moderation/items/{kind}/{item_id}" for kind, item_id in moderation_content.items() if kind != "template"]
        + ["/meeting-places/new", f"/meeting-places/{site['place']}/edit"], problems, " (moderator)")

    admin = browse("admin", make_user(app, role="admin").email)
    _visit_all(admin, live_server, ["/admin/", "/admin/people", "/admin/settings"], problems, " (admin)")
    assert not problems, "\n\n".join(problems)


# --- the mirror image ------------------------------------------------------------------------------

def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


def test_the_page_is_the_mirror_image_of_a_norwegian_one(browse, live_server, site):  # noqa: F811
    page = browse("visitor")
    _arabic(page, live_server, "/")
    page.keyboard.press("Tab")
    skip = _box(page, ".skip-link:focus")
    assert abs(skip["x"] + skip["width"] - PHONE["width"]) <= 1, "the skip link shows at the right edge"
    name, menu = _box(page, ".site-name"), _box(page, ".menu-button > summary")
    assert name["x"] > PHONE["width"] / 2 > menu["x"] + menu["width"], "the name on the right, the menu button left"
    heading = _box(page, "main h1")
    assert heading["x"] + heading["width"] >= PHONE["width"] - 17, "headings start at the right"

    # A field with an error has its red bar on the right, where its line starts.
    _arabic(page, live_server, "/account/register")
    page.fill("#email", "not-an-address")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-summary")
    bar = page.locator(".field-error").first.evaluate(
        "e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]")
    assert bar == ["5px", "0px"]
    summary, field = _box(page, ".error-summary h2"), _box(page, ".field-error .error-message")
    assert summary["x"] + summary["width"] > PHONE["width"] - 40 and field["x"] + field["width"] > PHONE["width"] - 40

    # A district's emblem stands before its name (on its right), also after a Latin address.
    _arabic(page, live_server, "/events/")
    for tag in page.locator("main .meta span.district-tag").all()[:3]:
        emblem, after = tag.evaluate("""t => { const r = document.createRange(); r.selectNodeContents(t);
          const text = r.getBoundingClientRect(), box = t.getBoundingClientRect();
          return [box.right - text.right, text.left - box.left]; }""")
        assert emblem > 10 and after < 2, (emblem, after)

    # The map's zoom buttons in the top corner where lines start, its credit line at the other end.
    _arabic(page, live_server, f"/meeting-places/{site['place']}")
    page.wait_for_selector(".leaflet-control-zoom")
    assert page.locator(".leaflet-top.leaflet-right .leaflet-control-zoom").count() == 1
    assert page.locator(".leaflet-bottom.leaflet-left .leaflet-control-attribution").count() == 1


def test_the_charts_are_mirrored_with_their_scale_on_the_right(browse, live_server, figures):  # noqa: F811
    page = browse("visitor")
    _arabic(page, live_server, "/insights/")
    drawings = page.locator("svg.bars.narrow").all()
    assert len(drawings) >= 2
    for svg in drawings[:2]:
        grid = svg.locator("path.grid").evaluate("p => { const b = p.getBBox(); return [b.x, b.x + b.width]; }")
        ticks = svg.locator("text.tick").evaluate_all("all => all.map(t => { const b = t.getBBox(); return [b.x, b.x + b.width]; })")
        bars = svg.locator("path[class^=s]").evaluate_all("all => all.map(p => p.getBBox().x)")
        assert ticks and all(start >= grid[1] - 1 for start, _end in ticks), "the scale stands right of the grid"
        assert all(end <= 320 for _start, end in ticks), "and inside the drawing"
        assert bars and max(bars) < grid[1]
    # A district's name broken over two lines keeps its dash at the end of the first: "Tempe-", not "-Tempe".
    dash = page.locator("svg.bars.narrow text.label", has_text="Tempe-").first.evaluate(
        "t => [t.getStartPositionOfChar(0).x, t.getStartPositionOfChar(5).x]")
    assert dash[0] < dash[1]


def test_codes_numbers_and_addresses_keep_their_order_inside_arabic_text(browse, live_server, content):  # noqa: F811
    page = browse("visitor")
    _arabic(page, live_server, f"/feedback/{content['code']}")

    def reads_left_to_right(locator) -> bool:
        """The first character is drawn left of the last one, as in the code as written."""
        return locator.evaluate("""e => {
          const text = e.firstChild.nodeType === 3 ? e.firstChild : e.querySelector('*').firstChild;
          const range = document.createRange();
          range.setStart(text, 0); range.setEnd(text, 1);
          const first = range.getBoundingClientRect().x;
          const last = text.textContent.trimEnd().length - 1;
          range.setStart(text, last); range.setEnd(text, last + 1);
          return first < range.getBoundingClientRect().x;
        }""")

    assert page.locator("main h1 bdi").inner_text() == content["code"]
    assert reads_left_to_right(page.locator("main h1 bdi"))
    phone = page.locator("footer a[href^='tel:']")
    assert phone.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
    assert reads_left_to_right(phone), "a phone number's groups stay in their order"
    email = page.locator("footer a[href^='mailto:']")
    assert reads_left_to_right(email)


def test_a_guest_signs_up_for_an_event_in_arabic_by_keyboard_alone(browse, live_server, site):  # noqa: F811
    from app.events.models import Registration

    app = live_server.app
    app.config["REGISTRATION_MIN_SECONDS"] = 0  # a fast typist is not a robot in this test
    page = browse("keyboard")
    try:
        _arabic(page, live_server, f"/events/{site['event']}")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('skip-link')")
        tab_to(page, f"main a[href='/events/{site['event']}/register']", limit=80)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/events/{site['event']}/register")
        assert page.locator("html").get_attribute("dir") == "rtl"
        tab_to(page, "#name")
        page.keyboard.type("ضيف لوحة المفاتيح")
        tab_to(page, "#email")
        page.keyboard.type("guest.rtl@example.no")
        tab_to(page, "main form button[type=submit]")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid", "the focus shows"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.split("?")[0].endswith(f"/events/{site['event']}/register/sent")
        link = link_in(outbox(app, "guest.rtl@example.no")[0], "/registrations/")
        _arabic(page, live_server, link)
        tab_to(page, "form[action$='/confirm'] button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("html").get_attribute("dir") == "rtl"
    finally:
        app.config["REGISTRATION_MIN_SECONDS"] = 3
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).where(Registration.email == "guest.rtl@example.no"))
        assert (registration.name, registration.status) == ("ضيف لوحة المفاتيح", "confirmed")
