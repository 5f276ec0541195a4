"""Insights in the browser: the page with its charts and tables, open and closed, with errors,
and the data dictionary, axe-clean in Bokmål and English at phone width."""
from __future__ import annotations

import pytest

from tests.browser.test_accessibility import _login, assert_accessible
from tests.data.test_indicators import build
from tests.helpers import make_user


@pytest.fixture(scope="module")
def figures(live_server):
    build(live_server.app)


def _open_every_table(page) -> None:
    page.eval_on_selector_all("main details", "all => all.forEach(d => d.open = true)")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_insights_pages_have_no_axe_violations(live_server, page, figures, lang):
    for path in ("/insights/", "/insights/?from=2025&to=2025&district=mollenberg&by=quarter",
                 "/insights/?from=2024&to=2026&by=month", "/insights/about"):
        page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert_accessible(page, f"{path} ({lang})")
        _open_every_table(page)
        assert_accessible(page, f"{path} with its tables open ({lang})")
    page.goto(f"{live_server.url}/insights/?from=2027&to=2025&lang={lang}")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, f"insights with an error ({lang})")


def test_a_researcher_picks_mollenberg_and_2025_by_keyboard(live_server, page, figures):
    page.goto(f"{live_server.url}/insights/?lang=en")
    page.get_by_role("checkbox", name="Møllenberg").check()
    page.get_by_label("From").select_option("2025")
    page.get_by_label("To and including").select_option("2025")
    page.get_by_role("button", name="Show the figures").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**district=mollenberg**")
    assert page.get_by_role("heading", name="2025: Møllenberg").is_visible()
    chart = page.get_by_role("img", name="Events and registrations over time")
    assert chart.is_visible()
    download = page.get_by_role("link", name="Download CSV")
    assert "district=mollenberg" in download.get_attribute("href")


def test_moderators_page_is_accessible_with_exact_figures(live_server, page, figures):
    moderator = make_user(live_server.app, role="moderator", districts=("mollenberg",), locale="en")
    _login(page, live_server, moderator.email)
    page.goto(f"{live_server.url}/insights/?from=2025&to=2025&lang=en")
    assert page.get_by_text("You see exact figures").is_visible()
    assert_accessible(page, "insights for a moderator (en)")


def test_printing_shows_every_table_of_figures(live_server, page, figures):
    page.goto(f"{live_server.url}/insights/?lang=en")
    tables = page.locator("main details table")
    assert tables.count() >= 4 and not tables.first.is_visible()
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert all(tables.nth(n).is_visible() for n in range(tables.count()))


SPLIT_WORDS = """() => {
  const split = [];
  for (const dt of document.querySelectorAll('.key-figures dt')) {
    const text = dt.firstChild;
    for (const match of text.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      // A word on one line has one line box; a word broken across lines has two (or more).
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      const box = dt.getBoundingClientRect(), word = range.getBoundingClientRect();
      if (tops.size > 1 || word.right > box.right + 1) split.push(match[0]);
    }
  }
  return split;
}"""

AXIS_TEXT = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll('svg.bars')) {
    if (!svg.getClientRects().length) continue;          // the drawing for the other screen size
    const texts = [...svg.querySelectorAll('text.label, text.tick, text.count')];
    const boxes = texts.map(t => t.getBoundingClientRect()), frame = svg.getBoundingClientRect();
    boxes.forEach((b, i) => {
      if (b.left < frame.left - 0.5 || b.right > frame.right + 0.5) problems.push(`${texts[i].textContent} is cut off`);
    });
    texts.forEach((t, i) => {
      const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
      if (size < 12) problems.push(`${t.textContent} is ${size.toFixed(1)} px`);
      boxes.slice(i + 1).forEach((b, j) => {
        const a = boxes[i];
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
          problems.push(`${t.textContent} overlaps ${texts[i + 1 + j].textContent}`);
      });
    });
  }
  return problems;
}"""


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_figures_read_whole_on_a_phone(live_server, page, figures, width):
    """Tile labels never break mid-word, chart labels are 12 px or more and never overlap, and
    a table wider than the screen scrolls with a shadow at the edge that says there is more."""
    page.set_viewport_size({"width": width, "height": 800})
    for lang in ("nb", "nn", "en"):
        for query in ("", "by=quarter", "from=2024&to=2026&by=month", "from=2025&to=2025&district=mollenberg"):
            page.goto(f"{live_server.url}/insights/?{query}&lang={lang}")
            assert page.evaluate(SPLIT_WORDS) == [], f"{lang} {query} at {width}"
            assert page.evaluate(AXIS_TEXT) == [], f"{lang} {query} at {width}: {page.evaluate(AXIS_TEXT)}"
            assert page.locator("svg.bars:visible").count() >= 3
    _open_every_table(page)
    wide = page.locator("#by-area ~ .table-wrap").first
    if width < 400:
        assert wide.evaluate("el => el.scrollWidth > el.clientWidth")
        assert "gradient" in wide.evaluate("el => getComputedStyle(el).backgroundImage")
