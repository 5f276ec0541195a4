"""The one way a template prints what someone wrote: ``user_text`` (and ``user_field`` for an object's field).

Every text goes out in an element with ``lang`` and ``dir`` of its own language (Norwegian on an Arabic
page keeps ``lang="nb" dir="ltr"``), so screen readers pronounce it right and bidi does not jumble it.

Translation is a page-level choice, ``?translate=<reader's language>`` on any GET (no JavaScript, a plain
link). Why the page and not each text: a list of twenty cards is then translated with ONE query for
the stored translations and at most one call to the provider per source language, within one time
budget, instead of twenty links and twenty page loads. How:

- Without the choice, each text is printed as written; a text in another language than the reader's
  (Bokmål and Nynorsk count as one) leaves a mark in the HTML, and the bar at the top of the page
  (``<!--mt-bar-->`` in base.html) then offers "Show translation". Detail pages also put a link beside
  the long texts (``link=True``).
- With it, ``user_text`` prints a placeholder and notes the text; when the page is rendered, the
  ``after_request`` hook looks all of them up at once, asks the provider for those not yet stored (rate
  limited per client), keeps the new ones, and puts each text back translated with its mark
  ("Machine-translated – may contain errors") and the bar's link back to the original. Anything that
  cannot be translated in time is shown as written, with a plain message; never a 500.

Such pages carry ``X-Robots-Tag: noindex`` (the original is what search engines should read); the page
cache keeps them under their own address, but not one with the "not answering" message, and parts of
pages kept for everyone are not used for them (their placeholders belong to one request).

A text whose language was not found (too short to tell, "Juleverksted for barn") is printed as Bokmål,
what most texts here are, and offers no translation by itself; but on a translated page it is sent to the
provider with ``source: "auto"``, which guesses. What comes back unchanged was already in the reader's
language (or the service could not tell): it is shown as written, with no mark.

A human translation wins: ``user_field`` asks the object ``human_translation(field, language)`` (when it
has that method); a text it returns for the reader's language is printed as the author's own, with no
machine translation offered.

Private feedback (``private=True``) is offered for translation only while an administrator has turned
on ``FEEDBACK_MACHINE_TRANSLATION``; it is otherwise never sent to the provider.
"""
from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from flask import current_app, g, has_request_context, request
from markupsafe import Markup, escape

from app.core import clients, settings, throttle, worker_cache
from app.core.i18n import current_locale
from app.core.i18n import lazy_gettext as _l
from app.core.sanitize import markdown_to_html, plain_text_to_html
from app.translation import provider as providers
from app.translation import store
from app.translation.languages import direction, is_known, read_alike, same_language
from app.translation.models import MachineTranslation

ARG = "translate"
DEFAULT_LANGUAGE = "nb"   # what a text of unknown language is marked as: most of what is written here
AUTO = providers.AUTO     # the provider finds the language itself
OFFER = "<!--mt-offer-->"
BAR = "<!--mt-bar-->"
MARK = _l("Machine-translated – may contain errors")
_PAGE = "machine_translation_page"
PAGE_SECONDS = 2.6   # from the request's start to giving up on the provider: the rest is for sending the page


@dataclass
class _Text:
    text: str
    source: str
    tag: str
    attrs: dict[str, Any]
    original: Markup
    format: str | None
    link: bool
    translated: str | None = None


@dataclass
class _Page:
    nonce: str = field(default_factory=lambda: secrets.token_hex(6))
    texts: list[_Text] = field(default_factory=list)
    problem: str | None = None   # why some texts are shown as written


def configured() -> bool:
    return bool((current_app.config.get("TRANSLATE_URL") or "").strip())


def target_language() -> str:
    """The language translations are made into for this reader (Nynorsk readers get Bokmål)."""
    return read_alike(current_locale()) or DEFAULT_LANGUAGE


def translating() -> bool:
    """Whether this reader asked for this page translated (a GET with ``?translate=<their language>``)."""
    if not has_request_context() or request.method not in ("GET", "HEAD") or not configured():
        return False
    return request.args.get(ARG) == current_locale()


def _guessed(language: str | None, text: str | None, *, private: bool = False) -> bool:
    """Whether ``text``, whose language was not found, is sent for translation on this translated page."""
    if language or not text or not text.strip() or not translating():
        return False
    return not private or bool(settings.get("FEEDBACK_MACHINE_TRANSLATION"))


def offered(language: str | None, text: str | None, *, private: bool = False) -> bool:
    """Whether a translation of ``text`` (in ``language``) is offered to this reader."""
    if not text or not text.strip() or not configured() or not is_known(language):
        return False
    if same_language(language, current_locale()):
        return False
    if private and not settings.get("FEEDBACK_MACHINE_TRANSLATION"):
        return False
    provider = providers.current()
    pairs = providers.known_pairs(provider, 0.0, ask=False) if provider is not None else None
    if pairs is not None:   # known already: offer only what the service can do (never asked for here)
        source = providers.provider_code(language, pairs)  # type: ignore[arg-type]
        return source is not None and providers.provider_code(target_language(), pairs[source]) is not None
    return True


TAGS = frozenset({"span", "div", "p", "a", "h1", "h2", "h3", "h4", "blockquote", "strong", "dd", "td", "li"})
_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z-]{0,30}$")


def _attributes(attrs: dict[str, Any]) -> Markup:
    parts = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        if not _ATTRIBUTE_NAME.match(name):   # names come from templates; values are escaped
            raise ValueError(f"not an attribute name: {name!r}")
        parts.append(Markup(' {}="{}"').format(Markup(name), value))  # nosec B704 - name checked above
    return Markup("").join(parts)


def _element(tag: str, attrs: dict[str, Any], language: str, content: Markup) -> Markup:
    if tag not in TAGS:
        raise ValueError(f"not a tag for user-written text: {tag!r}")
    return Markup("<{tag}{attrs} lang=\"{lang}\" dir=\"{dir}\">{content}</{tag}>").format(
        tag=Markup(tag), attrs=_attributes(attrs), lang=language, dir=direction(language),  # nosec B704 - in TAGS
        content=content)


def _render(text: str, format: str | None) -> Markup:
    if format == "markdown":
        return markdown_to_html(text)
    if format == "plain":
        return plain_text_to_html(text)
    return escape(text)


def page_url(translate: bool, anchor: str | None = None, *, keep_query: bool = True) -> str:
    """This page (its path, relative) with translations on or off, and the other arguments of its query
    when ``keep_query``. Built from the path rather than ``url_for``: query arguments are anyone's to write,
    and one named like a ``url_for`` option (``_external``, ``_anchor``) or a view argument would steer the
    link elsewhere or break the page. A link printed inside a text passes ``keep_query=False``: the text may
    be part of a page kept for everyone (``page_cache.shared``), which must not carry one visitor's query."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != ARG] if keep_query else []
    if translate:
        args.append((ARG, current_locale()))
    # Quoted, and one slash at the start: "/\\evil.example" or "//evil.example" would be another site.
    url = request.script_root + "/" + quote(request.path, safe="/:@!$&'()*+,;=-._~").lstrip("/")
    if args:
        url += "?" + urlencode(args)
    if anchor:
        url += "#" + quote(anchor, safe="-._~")
    return url


def user_text(text: str | None, language: str | None = None, *, tag: str = "span", html: str | None = None,
              format: str | None = None, link: bool = False, private: bool = False, human: str | None = None,
              human_language: str | None = None, **attrs: Any) -> Markup:
    """``text`` (as written) in a ``tag`` element marked with its language and direction.

    ``html``: the text as stored for showing (cleaned Markdown), printed instead of ``text`` when shown as
    written; ``format`` ("markdown", "plain" or None for a one-line text): how a translation is made
    into HTML the same way. ``link``: a "Show translation" link beside it (for the long texts of a
    detail page). ``human``: the author's own translation into the reader's language (``human_language``
    when it is another one the reader reads, Bokmål for a Nynorsk reader, say). Other keywords
    are the element's attributes (``class_``, ``id``, ``href``)."""
    text = text or ""
    if human:
        return _element(tag, attrs, human_language or current_locale(), _render(human, format))
    language = language or None
    shown_language = language or DEFAULT_LANGUAGE
    original = Markup(html) if html is not None else escape(text)  # nosec B704 - stored already cleaned
    guessed = _guessed(language, text, private=private)
    if not guessed and not offered(language, text, private=private):
        return _element(tag, attrs, shown_language, original)
    if translating():
        page = g.get(_PAGE)
        if page is None:
            page = _Page()
            setattr(g, _PAGE, page)
        page.texts.append(_Text(text=text, source=AUTO if guessed else language, tag=tag, attrs=attrs, original=original,  # type: ignore[arg-type]
                                format=format, link=link))
        return Markup(f"<!--mt:{page.nonce}:{len(page.texts) - 1}-->")  # nosec B704 - our own placeholder
    shown = Markup(OFFER) + _element(tag, attrs, shown_language, original)  # nosec B704
    if link:
        shown += Markup('<p class="translate-link"><a href="{}" rel="nofollow">{}</a></p>').format(
            page_url(True, attrs.get("id"), keep_query=False), _l("Show translation"))
    return shown


def user_field(obj: Any, name: str, **options: Any) -> Markup:
    """``obj.<name>`` through ``user_text``, in ``obj.language``, with ``obj.<name>_html`` when there is one,
    and the object's own translation for the reader when it has one (``human_translation``)."""
    human = human_language = None
    if hasattr(obj, "human_translation"):
        human = obj.human_translation(name, current_locale())
        if human and hasattr(obj, "human_translation_language"):
            human_language = obj.human_translation_language(current_locale())
    options.setdefault("html", getattr(obj, f"{name}_html", None))
    return user_text(getattr(obj, name), getattr(obj, "language", None), human=human, human_language=human_language,
                     **options)


# --- after the page is rendered -----------------------------------------------------------------------------

NOT_ANSWERING = _l("The translation service is not answering just now, so texts are shown as they were written.")
TOO_MANY = _l("You have asked for many translations in a short time, so texts are shown as they were written. "
              "Try again in a while.")
NOT_AVAILABLE = _l("Some texts cannot be translated into your language, so they are shown as they were written.")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _usable(translation: str, original: str) -> str | None:
    """What of the service's answer may be kept and shown, or None. Control characters go (PostgreSQL
    refuses a NUL in a text, and none belongs in one); an empty answer to a text that has words would blank
    it out for every reader once kept; and a translation is not a novel, so a long one is cut."""
    cleaned = _CONTROL.sub("", translation)[: 4 * len(original) + 200]
    return cleaned if cleaned.strip() else None


def _translate(page: _Page) -> None:
    """Fill in ``translated`` for each text: stored ones first (one query), then one provider batch."""
    target = target_language()
    keys = {id(item): store.source_key(item.text, item.source) for item in page.texts}
    stored = store.found(keys.values(), target)
    missing: dict[str, _Text] = {}
    for item in page.texts:
        key = keys[id(item)]
        if key in stored:
            item.translated = stored[key]
        else:
            missing.setdefault(key, item)
    if not missing:
        return
    provider = providers.current()
    if provider is None:
        return
    limit = f"{settings.get('TRANSLATIONS_PER_HOUR')} per hour"
    client = clients.client_key()
    if throttle.retry_after(limit, "translate", client) is not None:
        page.problem = str(TOO_MANY)
        return
    throttle.hit(limit, "translate", client)
    # The provider's budget, but never past the moment the page must be on its way (3 s from the request).
    deadline = min(time.monotonic() + providers.budget(), g.get("translation_started", time.monotonic()) + PAGE_SECONDS)
    made: dict[str, str] = {}
    try:
        pairs = providers.known_pairs(provider, deadline)
        if pairs is None:
            raise providers.TranslationUnavailable("languages unknown")
        by_source: dict[str, list[str]] = {}
        for key, item in missing.items():
            by_source.setdefault(item.source, []).append(key)
        size = 0
        for source, group in by_source.items():
            code = AUTO if source == AUTO else providers.provider_code(source, pairs)
            into = providers.provider_code(target, _targets(pairs, code)) if code else None
            if code is None or into is None:
                page.problem = page.problem or str(NOT_AVAILABLE)
                continue
            texts = [missing[key].text for key in group]
            size += sum(len(text) for text in texts)
            if size > providers.MAX_BATCH_CHARS:
                break
            for key, text in zip(group, provider.translate(texts, code, into, deadline), strict=True):
                usable = _usable(text, missing[key].text)
                if usable is None:
                    page.problem = page.problem or str(NOT_AVAILABLE)
                else:
                    made[key] = usable
    except providers.TranslationUnavailable:
        page.problem = str(NOT_ANSWERING)
    if made:
        store.keep(made, target)
    for item in page.texts:
        key = keys[id(item)]
        if item.translated is None and key in made:
            item.translated = made[key]


def _targets(pairs: dict[str, frozenset[str]], source: str) -> frozenset[str]:
    """What the provider translates ``source`` into; for a guessed language, whatever it translates into."""
    if source == AUTO:
        return frozenset().union(*pairs.values())
    return pairs.get(source, frozenset())


def _as_written(item: _Text) -> bool:
    """Whether the text is shown as written: not translated, or (its language guessed) given back unchanged."""
    return item.translated is None or (item.source == AUTO and item.translated.strip() == item.text.strip())


def _shown(item: _Text, target: str) -> Markup:
    if _as_written(item):
        return _element(item.tag, item.attrs, DEFAULT_LANGUAGE if item.source == AUTO else item.source, item.original)
    attrs = dict(item.attrs)
    attrs["class_"] = " ".join(filter(None, [attrs.get("class_"), "machine-translated"]))
    shown = _element(item.tag, attrs, target, _render(item.translated, item.format))
    if item.link:
        return shown + Markup('<p class="mt-mark">{} · <a href="{}">{}</a></p>').format(
            MARK, page_url(False, item.attrs.get("id")), _l("Show the original"))
    return shown + Markup(' <small class="mt-mark">({})</small>').format(_l("machine-translated"))


def _bar(page: _Page | None, offer: bool) -> Markup:
    if translating():
        lines = []
        if page is not None and not all(_as_written(item) for item in page.texts):
            lines.append(Markup("<strong>{}</strong>").format(MARK))
        if page is not None and page.problem:
            lines.append(escape(page.problem))
        if not lines:
            return Markup("")
        return Markup('<p class="notice translation-bar">{} <a href="{}">{}</a></p>').format(
            Markup(" ").join(lines), page_url(False), _l("Show the original"))
    if offer:
        return Markup('<p class="translation-bar"><a href="{}" rel="nofollow">{}</a> <span class="hint">{}</span></p>').format(
            page_url(True), _l("Show translation"), _l("Some of what people wrote here is in another language."))
    return Markup("")


def finish_page(response):
    """Put translations (or the texts as written) in place of the placeholders, and the bar on top."""
    if (response.direct_passthrough or response.is_streamed or response.status_code != 200
            or not response.mimetype == "text/html"):
        return response
    page: _Page | None = g.get(_PAGE)
    body = response.get_data(as_text=True)
    if BAR not in body and page is None and OFFER not in body:
        return response
    if translating():
        response.headers["X-Robots-Tag"] = "noindex"
    if page is not None and page.texts:
        target = target_language()
        try:
            _translate(page)
        except Exception:   # noqa: BLE001 - whatever went wrong, the page is shown with the texts as written
            current_app.logger.exception("translating a page failed")
            page.problem = str(NOT_ANSWERING)
        if page.problem:
            request.personal_page = True   # type: ignore[attr-defined]  # not kept in the page cache
        for index, item in enumerate(page.texts):
            body = body.replace(f"<!--mt:{page.nonce}:{index}-->", str(_shown(item, target)), 1)
    offer = OFFER in body
    body = body.replace(OFFER, "").replace(BAR, str(_bar(page, offer)), 1)
    response.set_data(body)
    return response


def _parts_not_shared() -> None:
    if translating():
        g.translation_started = time.monotonic()
        g.page_parts_uncached = True   # page_cache.shared: placeholders belong to this request only


def init_app(app) -> None:
    """After the page cache: ``finish_page`` must run before the cache decides whether to keep the page."""
    app.config.setdefault("TRANSLATE_URL", None)
    # Storing a translation changes no page kept (a translated page is kept only when all of it was
    # translated): it must not retire the page cache, or every visitor asking for one would empty it.
    worker_cache.unshown_table(MachineTranslation.__tablename__)
    app.before_request(_parts_not_shared)
    app.after_request(finish_page)
    app.jinja_env.globals.update(user_text=user_text, user_field=user_field, translating=translating)
