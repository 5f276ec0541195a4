"""What every template can use. A domain adds its own names itself (``app/submissions/labels.py``)."""
from __future__ import annotations

from typing import Any, Callable
from urllib.parse import quote, urlencode

from flask import current_app, request
from flask_login import current_user
from markupsafe import Markup

from app.core import drafts, i18n, languages, page_cache, posters, sanitize, settings
from app.core.i18n import lazy_gettext as _l
from app.core.permissions import Permission, has_permission
from app.core.urls import site_url


def url_with_lang(lang: str) -> str:
    """The current page in another language: a plain link, no JavaScript.

    Built from the path and query as they are (never through url_for, whose
    own arguments a query string could otherwise set).
    """
    rule = request.url_rule
    this_page = rule is None or "GET" in (rule.methods or ())
    # The path as the browser must read it: request.path is decoded, and a backslash or a second slash at
    # its start ("/%5Cevil.example") would make the link lead to another site. A referrer's path (the
    # page a form posted from) is still encoded.
    path = quote(request.path, safe=_PATH_SAFE) if this_page else quote(drafts.return_path(), safe=_PATH_SAFE + "%")
    path = "/" + path.lstrip("/")
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] if this_page else []
    return f"{path}?{urlencode(query + [('lang', lang)])}"


_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def left_to_right(value) -> Markup:
    """A code, number or address that is always written left to right, as a unit of its own inside a
    sentence, so that it keeps its order in right-to-left text ("Your reference code is ABCD-EFGH-JKLM.")."""
    return Markup('<bdi dir="ltr">%s</bdi>') % value


def isolated(value) -> Markup:
    """A name someone chose (a display name), as a unit of its own that takes its direction from its first
    letter: "Rowena D." keeps its full stop, and an Arabic name its order, whatever the page's direction."""
    return Markup("<bdi>%s</bdi>") % value


def fallback_lang(obj, field: str) -> Markup:
    """` lang="nb" dir="ltr"` for the element that shows ``localized(obj, field)`` when the page's language has
    no text of its own there and Bokmål stands in (an effort area on an Arabic page), else nothing: screen
    readers then read it as Norwegian, and its full stop stays at its end inside right-to-left text."""
    if getattr(obj, f"{field}_{i18n.current_locale()}", None):
        return Markup("")
    return Markup(' lang="nb" dir="%s"') % languages.direction("nb")


# The main menu; a section appears once its blueprint is registered.
NAV = (
    ("ideas.index", _l("Ideas")),
    ("events.index", _l("Events")),
    ("feedback.index", _l("Give feedback")),   # the no-account channel: private, anonymous if wished
    ("meeting_places.index", _l("Meeting places")),
    ("districts.index", _l("Districts")),
    ("insights.index", _l("Insights")),
)
STAFF_NAV = (("moderation.index", _l("Moderation")),)
ADMIN_NAV = (("admin.index", _l("Administration")),)


def add_personal_nav(app, items: Callable[[Any], list[tuple[str, Any]]]) -> None:
    """Let a domain put its own items in the main menu for the person signed in (``items(user)``
    gives (endpoint, label) pairs): the organiser page for members of an organisation, so the core
    need not know what an organisation is."""
    app.extensions.setdefault("personal_nav", []).append(items)


def nav_items():
    views = current_app.view_functions
    items = [(endpoint, label) for endpoint, label in NAV if endpoint in views]
    if current_user.is_authenticated:
        for personal in current_app.extensions.get("personal_nav", ()):
            items += [(endpoint, label) for endpoint, label in personal(current_user) if endpoint in views]
    if has_permission(current_user, Permission.MODERATE):
        items += [(endpoint, label) for endpoint, label in STAFF_NAV if endpoint in views]
    if has_permission(current_user, Permission.ADMINISTER):
        items += [(endpoint, label) for endpoint, label in ADMIN_NAV if endpoint in views]
    return items


def site_footer():
    """The footer is the same on every page in a language: built once, then from the page cache."""
    return page_cache.shared(("site_footer",), lambda: page_cache.render_part("_footer.html"))


def init_app(app) -> None:
    sanitize.init_app(app)

    @app.context_processor
    def _globals():
        return {
            "contact": settings.contact(),
            "retention": settings.retention(),
            "can": lambda permission: has_permission(current_user, Permission(permission)),
        }

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(url_with_lang=url_with_lang, nav_items=nav_items, site_footer=site_footer,
                                 fallback_lang=fallback_lang,
                                 site_url=site_url)  # absolute addresses, for sharing and posters
    app.jinja_env.filters["ltr"] = left_to_right
    app.jinja_env.filters["bdi"] = isolated
    app.jinja_env.filters["excerpt"] = posters.excerpt  # the posters' plain-text cut, for answers in lists too
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
