"""The language switcher: every offered language in its own name, a list in the menu on a phone, a button
with a list dropping down on a wide screen; no script, 44 px targets, the keyboard reaches it."""
from __future__ import annotations

PHONE = {"width": 320, "height": 700}
NAMES = ["Bokmål", "Nynorsk", "English", "العربية", "Soomaali", "ትግርኛ", "Polski", "Українська"]


def _sizes(page):
    return page.evaluate("""[...document.querySelectorAll('nav.languages li > *')].map(e => {
        const r = e.getBoundingClientRect(); return [e.textContent.trim(), r.width, r.height]; })""")


def test_on_a_phone_the_languages_are_a_list_in_the_menu(chromium, live_server):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    polish = page.locator("nav.languages a[hreflang=pl]")
    assert not polish.is_visible()
    page.locator("header details.menu-button > summary").click()
    assert polish.is_visible() and not page.locator("nav.languages summary").is_visible()
    sizes = _sizes(page)
    assert [name for name, _w, _h in sizes] == NAMES
    assert all(height >= 44 and width >= 44 for _name, width, height in sizes), sizes
    overflowing = page.evaluate("""[...document.querySelectorAll('nav.languages li > *')]
        .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > 320; }).length""")
    assert overflowing == 0, "every language fits the phone's width"
    polish.click()
    assert page.locator("html").get_attribute("lang") == "pl"
    context.close()


def test_on_a_wide_screen_a_button_opens_the_list_with_the_keyboard(chromium, live_server):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/ideas/?lang=nb")
    summary = page.locator("nav.languages summary")
    assert summary.inner_text() == "Språk / Language"
    assert summary.bounding_box()["height"] >= 44
    assert not page.locator("nav.languages ul").is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("nav.languages ul").is_visible()
    assert all(height >= 44 for _name, _width, height in _sizes(page))
    page.keyboard.press("Tab")   # past the current language (not a link) to the next
    assert page.evaluate("document.activeElement.getAttribute('hreflang')") == "nn"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.url.endswith("/ideas/?lang=nn")
    context.close()


def test_the_open_language_list_and_the_unchecked_notice_have_no_axe_violations(live_server, page):
    from tests.browser.test_accessibility import assert_accessible

    for lang in ("ar", "pl"):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{live_server.url}/?lang={lang}")
        page.locator("nav.languages summary").click()
        assert_accessible(page, f"the home page with the language list open ({lang})")
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(f"{live_server.url}/?lang={lang}")
        page.locator("header details.menu-button > summary").click()
        assert_accessible(page, f"the phone menu with the languages ({lang})")
