"""Where a message's translation comes from: the page language's catalogue, and for a message it does not
have (a new string its translator has not reached yet), Bokmål's, the site's first language, rather than the
English the code is written in."""
from __future__ import annotations

from babel import support
from flask import current_app
from flask_babel import Babel, Domain, get_locale
from flask_babel import _get_current_context as current_context
from werkzeug.utils import cached_property


class FallbackDomain(Domain):
    def get_translations(self):
        if current_context() is None:
            return support.NullTranslations()
        locale = str(get_locale())
        # Keyed by the folders too: apps with other catalogues (tests) do not share what is kept.
        key = (tuple(self.translation_directories), locale, self.domain[0])
        try:
            return self.cache[key]
        except KeyError:
            pass
        translations = self._load(locale)
        default = current_app.config.get("BABEL_DEFAULT_LOCALE", "nb")
        if locale != default:
            translations.add_fallback(self._load(default))
        self.cache[key] = translations
        return translations

    def _load(self, locale: str) -> support.NullTranslations:
        """A fresh catalogue object (a fallback is added to it, so it is not shared between languages)."""
        translations: support.NullTranslations | None = None
        for directory in self.translation_directories:
            catalogue = support.Translations.load(directory, [locale], self.domain[0])
            if translations is None:
                translations = catalogue
            elif isinstance(translations, support.Translations) and isinstance(catalogue, support.Translations):
                translations.merge(catalogue)
        return translations if translations is not None else support.NullTranslations()


class FallbackBabel(Babel):
    @cached_property
    def domain_instance(self):
        return FallbackDomain(domain=self.domain)
