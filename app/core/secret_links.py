"""Unguessable links that work without an account (a registration's manage link, a follow's unsubscribe link).

The database keeps a random nonce and the hash of the link's token, never the
token itself: a copy of the database alone opens nothing. With the secret key
the token can be made again from the nonce, so a lost link can be mailed anew
without changing it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from app.core import settings
from app.core.urls import site_url


def new_nonce() -> str:
    return secrets.token_hex(16)


def token_for(purpose: str, nonce: str) -> str:
    mac = hmac.new(settings.get("SECRET_KEY").encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- secret links in mail ------------------------------------------------------------------------------
#
# A mail is kept in the outbox for weeks, so a link that opens something must never be written into it:
# the outbox keeps a marker where the link's token goes, and beside it what is needed to make the token
# again (a nonce, or a signed link's payload: nothing that opens anything without SECRET_KEY). The token
# is made when the mail is sent (app/core/mail.py ``as_sent``) and never stored.
#
# A module that mails such a link registers its kind once:
#     MANAGE_LINK = secret_links.kind("registration", "events.manage_registration", lambda nonce: token_for(MANAGE, nonce))
# and passes ``MANAGE_LINK(registration.token_nonce)`` to ``send_mail`` where it passed the URL before.


class SecretLink:
    """A link to write into a mail: it becomes a marker when the mail is rendered, and a real link when it
    is sent. ``reference`` is what ``mint`` needs to make the token: JSON, and no secret of its own."""

    __slots__ = ("kind", "reference")

    def __init__(self, kind: str, reference: Any):
        self.kind, self.reference = kind, reference

    def __str__(self) -> str:
        collector = _collector.get()
        if collector is None:
            raise RuntimeError("A secret link is written only into a mail, by app.core.mail.send_mail.")
        return collector.add(self)

    def __repr__(self) -> str:
        return f"SecretLink({self.kind!r})"


class Kind:
    """One kind of secret link: the page it opens and how its token is made from the reference. ``path``
    builds the page's path from the reference and the token where the page takes more than the token
    (``/surveys/<round_id>/invitation/<token>``)."""

    def __init__(self, name: str, endpoint: str, mint: Callable[[Any], str | None],
                 path: Callable[[Any, str], str] | None = None):
        self.name, self.endpoint, self.mint, self.path = name, endpoint, mint, path

    def __call__(self, reference: Any) -> SecretLink:
        return SecretLink(self.name, reference)


_KINDS: dict[str, Kind] = {}


def kind(name: str, endpoint: str, mint: Callable[[Any], str | None],
         path: Callable[[Any, str], str] | None = None) -> Kind:
    """Register a kind of secret link (once, at import). ``mint(reference)`` returns the token, or None when
    what the link was for is gone (the mail then carries a link that says so)."""
    known = _KINDS.get(name)
    if known is not None and known.endpoint != endpoint:
        raise ValueError(f"two kinds of secret link are called {name}")
    _KINDS[name] = Kind(name, endpoint, mint, path)
    return _KINDS[name]


def kinds() -> dict[str, Kind]:
    return dict(_KINDS)


# Where a token goes in a stored mail. Characters that stay as they are in a URL path, so the marker is
# found again exactly; what an administrator reading the outbox sees instead of the token.
def marker(name: str) -> str:
    return f"(secret-link-{name})"


MARKER_PATTERN = re.compile(r"\(secret-link-[0-9]+\)")
# Used when what a link was for is gone: the page then says the link does not work.
GONE = "gone"


class _Collector:
    def __init__(self):
        self.links: dict[str, list] = {}

    def add(self, link: SecretLink) -> str:
        found = _KINDS.get(link.kind)
        if found is None:
            raise ValueError(f"unknown kind of secret link {link.kind}")
        # The same link twice (the unsubscribe link in the body and its header) is one marker.
        name = next((name for name, (kind_name, reference) in self.links.items()
                     if kind_name == link.kind and reference == link.reference), None)
        if name is None:
            name = str(len(self.links) + 1)
            self.links[name] = [link.kind, link.reference]
        if found.path is not None:
            return settings.get("BASE_URL").rstrip("/") + found.path(link.reference, marker(name))
        return site_url(found.endpoint, token=marker(name))


_collector: ContextVar[_Collector | None] = ContextVar("secret_link_collector", default=None)


@contextmanager
def collecting():
    """While a mail is rendered: every ``SecretLink`` written becomes a marker; yields the links found
    ({name: [kind, reference]}), to be stored with the mail."""
    collector = _Collector()
    reset = _collector.set(collector)
    try:
        yield collector.links
    finally:
        _collector.reset(reset)


def render(text: str, links: dict | None) -> str:
    """``text`` with every marker replaced by its token: only ever for a mail on its way out."""
    for name, (kind_name, reference) in (links or {}).items():
        found = _KINDS.get(kind_name)
        token = found.mint(reference) if found is not None else None
        text = text.replace(marker(name), token or GONE)
    return text


def token_of(link: SecretLink) -> str | None:
    """The token ``link`` carries once its mail is sent: for tests and for the person's own page, never
    for anything that is stored."""
    found = _KINDS.get(link.kind)
    return found.mint(link.reference) if found is not None else None
