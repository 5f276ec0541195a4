"""Every message exists in every configured interface language (config.LANGUAGES): nothing untranslated,
nothing fuzzy. A language configured without a complete catalogue fails here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from config import Config

ROOT = Path(__file__).resolve().parents[2]
CONFIGURED = [line[0] for line in Config.LANGUAGES]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog(locale):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def _template_ids():
    with (ROOT / "translations" / "messages.pot").open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("locale", CONFIGURED)
def test_catalogue_header_is_not_fuzzy(locale):
    """A "#, fuzzy" on the header makes `pybabel compile` skip the whole catalogue: every page in that
    language would then come out in English."""
    assert not _catalog(locale).fuzzy, f"{locale}: remove '#, fuzzy' above the header (msgid \"\")"


@pytest.mark.parametrize("locale", CONFIGURED)
def test_catalogue_is_complete(locale):
    catalog = _catalog(locale)
    missing = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"{locale}: {len(missing)} untranslated, e.g. {missing[:3]}"
    assert not fuzzy, f"{locale}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}"
    absent = _template_ids() - {m.id for m in catalog if m.id}
    assert not absent, f"{locale}: run 'make translations'; missing {list(absent)[:3]}"


@pytest.mark.parametrize("locale", CONFIGURED)
def test_translations_keep_their_placeholders(locale):
    for message in _catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= wanted | set(PLACEHOLDER.findall(ids[0])), (locale, message.id)


def test_every_string_in_the_code_is_in_the_template():
    """The .pot is up to date with the code: extracting again adds nothing."""
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "check.pot"
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
             "-k", "lazy_gettext", "--ignore-dirs", ".*", "-o", str(out), "--no-location", "."],
            cwd=ROOT, check=True, capture_output=True,
        )
        with out.open("rb") as f:
            extracted = {m.id for m in read_po(f) if m.id}
    assert extracted - _template_ids() == set(), "new strings: run 'make translations' and translate them"


def test_strings_of_every_template_folder_are_in_the_catalogue():
    """Babel skips folders starting with "_" unless told otherwise; the macros live in one."""
    ids = _template_ids()
    assert "There is a problem" in ids and "Error:" in ids


def test_every_template_with_text_is_read_by_the_extractor():
    """The extractor silently skips a template it cannot parse; then its strings are never translated."""
    from babel.messages.extract import extract_from_file

    options = {"extensions": "jinja2.ext.do"}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    skipped = []
    for path in sorted((ROOT / "app").rglob("templates/**/*")):
        if path.suffix not in (".html", ".txt"):
            continue
        source = path.read_text(encoding="utf-8")
        if "_(" not in source and "{% trans" not in source and "ngettext(" not in source:
            continue
        if not list(extract_from_file("jinja2", str(path), keywords=keywords, options=options)):
            skipped.append(str(path.relative_to(ROOT)))
    assert skipped == []
