"""The interface languages come from one place (config.LANGUAGES), with their names, directions and whether
a native speaker has checked their catalogue; the page's direction follows the language."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from app.core import languages
from app.core.i18n import current_direction, preference_order, supported
from config import Config
from tests.helpers import soup

ROOT = Path(__file__).resolve().parents[2]
CODES = [line[0] for line in Config.LANGUAGES]


def test_each_configured_language_is_one_line_with_its_own_name_and_a_catalogue():
    assert CODES[:3] == ["nb", "nn", "en"] and {"ar", "so", "ti", "pl", "uk"} <= set(CODES)
    for code, name, direction, shown in Config.LANGUAGES:
        assert name and direction in ("ltr", "rtl") and isinstance(shown, bool), code
        assert (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").exists(), code
    names = {line[0]: line[1] for line in Config.LANGUAGES}
    assert names["ar"] == "العربية" and names["uk"] == "Українська" and names["ti"] == "ትግርኛ"


def test_registry_reads_config_and_catalogue_headers(app):
    with app.test_request_context():
        assert supported() == tuple(CODES)
        arabic = languages.get("ar")
        assert arabic is not None and arabic.direction == "rtl" and arabic.name == "العربية"
        assert languages.get("nb").checked is True
        po = ROOT / "translations" / "ar" / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as f:
            unchecked = "not checked by a native speaker" in (read_po(f).language_team or "")
        assert arabic.checked is not unchecked
        assert languages.get("xx") is None


@pytest.mark.parametrize("code, expected", [
    ("nb", "ltr"), ("ar", "rtl"), ("uk", "ltr"), ("fa", "rtl"), ("he", "rtl"), ("ur", "rtl"), ("es", "ltr"),
    ("xx", "ltr"), ("", "ltr"), (None, "ltr"), ("zz-!!", "ltr"),
])
def test_direction_of_any_language(app, code, expected):
    with app.app_context():
        assert languages.direction(code) == expected


def test_the_page_has_the_direction_of_its_language(client, app):
    html = soup(client.get("/?lang=ar")).find("html")
    assert (html["lang"], html["dir"]) == ("ar", "rtl")
    assert soup(client.get("/?lang=nb")).find("html")["dir"] == "ltr"
    with app.test_request_context(), force_locale("ar"):
        assert current_direction() == "rtl"


def test_a_language_switched_off_is_not_offered_and_its_accounts_get_bokmal(app_factory, login_as):
    app = app_factory(LANGUAGES_OFF=("pl", "nb"))   # Bokmål cannot be switched off
    with app.test_request_context():
        assert "pl" not in supported() and "nb" in supported()
        assert languages.usable("pl") == "nb" and languages.usable("uk") == "uk"
        assert languages.get("pl") is not None   # still installed
    from tests.helpers import Browser

    browser = Browser(app)
    assert soup(browser.get("/?lang=pl")).find("html")["lang"] == "nb"
    assert soup(browser.get("/", headers={"Accept-Language": "pl,en;q=0.5"})).find("html")["lang"] == "en"


def test_the_page_cache_keys_by_the_visitors_order_of_languages():
    """Which languages are on is not known outside a request: the key is the order, up to Bokmål."""
    langs = tuple(CODES)
    assert preference_order(None, None, None, [("pl", 1), ("en", 0.5)], langs, "nb") == ("pl", "en", "nb")
    assert preference_order(None, "ar", None, [("nb", 1), ("en", 0.5)], langs, "nb") == ("ar", "nb")
    assert preference_order(None, None, None, [], langs, "nb") == ("nb",)
    assert preference_order(None, None, "pl", [("en", 1)], langs, "nb") == ("pl", "nb")


def _catalogue(folder: Path, code: str, messages: dict) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalogue = Catalog(locale=code)
    for msgid, msgstr in messages.items():
        catalogue.add(msgid, msgstr)
    (folder / code / "LC_MESSAGES").mkdir(parents=True)
    with (folder / code / "LC_MESSAGES" / "messages.mo").open("wb") as f:
        write_mo(f, catalogue)


def test_a_message_missing_from_a_catalogue_is_shown_in_bokmal(app_factory, tmp_path):
    from app.core.i18n import gettext, ngettext

    _catalogue(tmp_path, "nb", {"Log in": "Logg inn", "Only in Bokmål": "Bare på bokmål",
                                ("%(num)d idea", "%(num)d ideas"): ("%(num)d idé", "%(num)d idéer")})
    _catalogue(tmp_path, "pl", {"Log in": "Zaloguj się"})
    app = app_factory(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path))
    with app.test_request_context(), force_locale("pl"):
        assert gettext("Log in") == "Zaloguj się"
        assert gettext("Only in Bokmål") == "Bare på bokmål"
        assert ngettext("%(num)d idea", "%(num)d ideas", 3) == "3 idéer"
        assert gettext("In no catalogue") == "In no catalogue"
    with app.test_request_context(), force_locale("nb"):
        assert gettext("Log in") == "Logg inn"


def test_a_catalogue_not_checked_by_a_native_speaker_says_so_politely_with_a_way_to_report(app_factory, tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    for code, team in (("nb", "nb <omradesatsingene@trondheim.kommune.no>"), ("pl", "pl (not checked by a native speaker)"),
                       ("uk", "uk <checked@example.no>")):
        catalogue = Catalog(locale=code, language_team=team)
        catalogue.add("This translation has not yet been checked by a native speaker.", {
            "nb": "Denne oversettelsen er ikke kontrollert ennå.", "pl": "To tłumaczenie nie zostało jeszcze sprawdzone.",
            "uk": "x"}[code])
        (tmp_path / code / "LC_MESSAGES").mkdir(parents=True)
        with (tmp_path / code / "LC_MESSAGES" / "messages.mo").open("wb") as f:
            write_mo(f, catalogue)
    app = app_factory(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path), CONTACT_EMAIL="bydel@example.no")
    from tests.helpers import Browser

    browser = Browser(app)
    notice = soup(browser.get("/?lang=pl")).select_one("main .translation-notice")
    assert notice is not None and notice.get_text(" ").startswith("To tłumaczenie nie zostało jeszcze sprawdzone.")
    assert notice.find("a")["href"].startswith("mailto:bydel@example.no?subject=")
    assert soup(browser.get("/?lang=uk")).select_one(".translation-notice") is None   # checked
    assert soup(browser.get("/?lang=nb")).select_one(".translation-notice") is None
    with app.app_context():
        assert languages.get("pl").checked is False and languages.get("uk").checked is True


@pytest.mark.parametrize("code", CODES)
def test_the_notice_follows_each_shipped_catalogues_header(client, code):
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        unchecked = languages.NOT_CHECKED in (read_po(f).language_team or "")
    page = soup(client.get(f"/?lang={code}"))
    assert (page.select_one("main .translation-notice") is not None) is unchecked


ARABIC_INDIC = set("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize("code, period, number", [
    ("ar", "الخميس، 3 ديسمبر 2026، 18:00–20:00", "12,345.5"),
    ("so", "Khamiis, Diseembar 3, 2026 18:00–20:00", "12,345.5"),
    ("ti", "ሓሙስ፣ 3 ታሕሳስ 2026 18:00–20:00", "12,345.5"),
    ("pl", "czwartek, 3 grudnia 2026, 18:00–20:00", "12 345,5"),
    ("uk", "четвер, 3 грудня 2026\u202fр., 18:00–20:00", "12 345,5"),
])
def test_dates_times_and_numbers_in_each_new_language(app, code, period, number):
    """Through Babel, in Oslo time, on the 24-hour clock, with Western digits (Arabic too)."""
    from datetime import datetime, timezone

    from app.core.i18n import format_clock, format_decimal, format_percent, format_period, format_when

    start = datetime(2026, 12, 3, 17, 0, tzinfo=timezone.utc)   # 18:00 in Oslo
    end = datetime(2026, 12, 3, 19, 0, tzinfo=timezone.utc)
    morning = datetime(2026, 12, 3, 8, 5, tzinfo=timezone.utc)
    with app.test_request_context(), force_locale(code):
        texts = [format_period(start, end), format_when(start, "short"), format_when(morning, "medium"),
                 format_clock(start), format_decimal(12345.5), format_percent(0.25)]
        assert texts[0] == period
        assert texts[4] == number.replace(" ", "\u00a0") or texts[4] == number
        assert "18:00" in texts[1] and "09:05:00" in texts[2]
    for text in texts:
        assert not ARABIC_INDIC & set(text), text
        assert not any(mark in text for mark in ("AM", "PM", " م", " ص", "GD", "GH", "ድ.ቀ.", "ቅ.ቀ.")), text


def test_the_main_pages_open_in_every_configured_language(client):
    """Whatever a translator has written so far: no page breaks (a placeholder lost, a plural form missing)."""
    for code in CODES:
        for path in ("/", "/ideas/", "/events/", "/districts/lademoen", "/account/login", "/account/register",
                     "/privacy", "/insights/"):
            response = client.get(f"{path}?lang={code}")
            assert response.status_code == 200, (code, path)
            assert soup(response).find("html")["lang"] == code
