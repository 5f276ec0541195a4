"""Following a meeting place or an organisation: a mail in one's own language when it posts a new event.

Residents follow with one click (their follow counts at once); visitors give an
email address and follow once they open the confirmation link. Each follow has
one secret link (the database keeps its nonce and the link's hash only) that
confirms it and, in every mail, stops it without logging in.

Who follows is seen by nobody but the follower: pages show a count only.
Functions flush; the view commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, distinct, func, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.accounts.services import normalise_email
from app.core import robots, secret_links, settings, throttle
from app.core.db import rows_changed, utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.rules import RuleBroken
from app.core.urls import site_url
from app.events.models import Event, EventStatus
from app.extensions import db
from app.follows.models import Follow
from app.meeting_places.models import MeetingPlace
from app.organisations.models import Organisation

PURPOSE = "follow"
# Overridable in the config; the defaults are the feedback form's.

Target = MeetingPlace | Organisation


class FollowRefused(RuleBroken):
    """Why a visitor's request was not taken; shown above the form, which keeps the address typed."""


@dataclass
class Summary:
    followers: int      # confirmed, each person once
    following: bool     # the current account follows it


# ---- targets and links ---------------------------------------------------------------------------

def _column(target: Target):
    if isinstance(target, MeetingPlace):
        return Follow.meeting_place_id
    if isinstance(target, Organisation):
        return Follow.organisation_id
    raise TypeError(f"cannot follow {type(target).__name__}")


def target_of(follow: Follow) -> Target:
    return follow.meeting_place if follow.meeting_place_id is not None else follow.organisation  # type: ignore[return-value]  # a follow has one target (CHECK constraint)


def stop_action(follow: Follow) -> tuple[str, dict] | None:
    """Where a resident's "stop following" button posts (the follow page's own form), or None when the place
    or organisation is closed: it sends no more events then, and its follow page is gone."""
    target = target_of(follow)
    if target.retired_at is not None:
        return None
    if follow.meeting_place_id is not None:
        return "follows.place", {"place_id": follow.meeting_place_id}
    return "follows.organisation", {"organisation_id": follow.organisation_id}


def target_url(follow: Follow) -> tuple[str, dict]:
    """The endpoint and values of the followed page (or its list, when the place is closed)."""
    if follow.meeting_place_id is not None:
        if follow.meeting_place.retired_at is not None:  # type: ignore[union-attr]  # its id is set
            return "meeting_places.index", {}
        return "meeting_places.show", {"place_id": follow.meeting_place_id}
    if follow.organisation.retired_at is not None:  # type: ignore[union-attr]  # no place, so an organisation
        return "organisations.index", {}
    return "organisations.show", {"organisation_id": follow.organisation_id}


def token_of(follow: Follow) -> str:
    return secret_links.token_for(PURPOSE, follow.token_nonce)


# The links in mail: made from the nonce when the mail is sent, never stored (app/core/secret_links.py).
CONFIRM_LINK = secret_links.kind("follow-confirm", "follows.confirm", lambda nonce: secret_links.token_for(PURPOSE, nonce))
STOP_LINK = secret_links.kind("follow-stop", "follows.unsubscribe", lambda nonce: secret_links.token_for(PURPOSE, nonce))


def unsubscribe_url(follow: Follow) -> secret_links.SecretLink:
    return STOP_LINK(follow.token_nonce)


def confirm_url(follow: Follow) -> secret_links.SecretLink:
    return CONFIRM_LINK(follow.token_nonce)


def find_by_token(token: str) -> Follow | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(Follow).options(joinedload(Follow.meeting_place), joinedload(Follow.organisation))
        .where(Follow.token_hash == secret_links.digest(token)))


def _new(target: Target, **fields) -> Follow:
    nonce = secret_links.new_nonce()
    follow = Follow(token_nonce=nonce, token_hash=secret_links.digest(secret_links.token_for(PURPOSE, nonce)),
                    **fields)
    if isinstance(target, MeetingPlace):
        follow.meeting_place_id, follow.meeting_place = target.id, target
    else:
        follow.organisation_id, follow.organisation = target.id, target
    return follow


def _insert(follow: Follow, find_existing) -> Follow:
    """Add ``follow``; when another request added the same one a moment ago (a unique
    constraint says so), give back that one instead. The outer transaction goes on."""
    try:
        with db.session.begin_nested():
            db.session.add(follow)
            db.session.flush()
    except IntegrityError:
        existing = find_existing()
        if existing is None:
            raise
        return existing
    return follow


# ---- what pages show ---------------------------------------------------------------------------------

def summary(target: Target, user=None) -> Summary:
    """How many people follow (confirmed, each address once) and whether ``user`` does: one query."""
    user_id = user.id if getattr(user, "is_authenticated", False) else None
    mine = func.max(case((Follow.user_id == user_id, 1), else_=0)) if user_id is not None else literal(0)
    count, following = db.session.execute(
        select(func.count(distinct(func.coalesce(User.email, Follow.email))), mine)
        .select_from(Follow).outerjoin(User, User.id == Follow.user_id)
        .where(_column(target) == target.id, Follow.confirmed_at.is_not(None))
    ).one()
    return Summary(followers=count or 0, following=bool(following))


def followed_by(user: User) -> list[Follow]:
    """What a resident follows with their account, for "Min side": meeting places first, then organisations,
    each by name. One query, however many they follow."""
    rows = db.session.scalars(
        select(Follow).where(Follow.user_id == user.id)
        .options(joinedload(Follow.meeting_place), joinedload(Follow.organisation))).unique().all()
    return sorted(rows, key=lambda f: (f.meeting_place is None, (target_of(f).name or "").casefold()))


# ---- residents: one click ------------------------------------------------------------------------------

def _account_follow(target: Target, user: User) -> Follow | None:
    return db.session.scalar(select(Follow).where(_column(target) == target.id, Follow.user_id == user.id))


def follow(target: Target, user: User) -> Follow:
    """Follow with an account; counts at once (the address is verified). Doing it twice changes nothing."""
    existing = _account_follow(target, user)
    if existing is not None:
        return existing
    return _insert(_new(target, user_id=user.id, locale=user.locale, confirmed_at=utcnow()),
                   lambda: _account_follow(target, user))


def unfollow(target: Target, user: User) -> bool:
    """Stop following with an account; False when it did not follow. A follow made earlier by email
    with the account's address goes too: "you no longer follow" must mean no more mail."""
    removed = rows_changed(db.session.execute(
        delete(Follow).where(_column(target) == target.id,
                             or_(Follow.user_id == user.id, Follow.email == normalise_email(user.email)))
        .execution_options(synchronize_session="fetch")))
    db.session.flush()
    return bool(removed)


# ---- visitors: by a confirmed email address ----------------------------------------------------------------

def _limit(name: str) -> str:
    return f"{settings.get(name)} per hour"


def check_not_a_robot(started: str | None, honeypot: str | None, client: str) -> None:
    """Spam checks without a CAPTCHA: a field people cannot see, a minimum fill time, a rate limit per client."""
    robots.check(started, honeypot, settings.get("FOLLOW_MIN_SECONDS"),
                 _l("That was very quick, so we could not be sure a person sent it. "
                    "Check your email address and press the button again."), refuse=FollowRefused)
    if throttle.retry_after(_limit("FOLLOW_REQUESTS_PER_HOUR"), "follow", client) is not None:
        raise FollowRefused(_l("Many requests have been sent from your connection in the last hour. "
                               "Please wait a while and try again; your address is kept below."), status=429)


def _by_address(target: Target, address: str) -> Follow | None:
    """The follow of ``target`` by this address, as a guest or through an account; a confirmed one first."""
    return db.session.scalar(
        select(Follow).outerjoin(User, User.id == Follow.user_id)
        .options(joinedload(Follow.user))
        .where(_column(target) == target.id, or_(Follow.email == address, User.email == address))
        .order_by(Follow.confirmed_at.is_(None), Follow.id).limit(1))


def ask_by_email(target: Target, email: str, locale: str, client: str) -> None:
    """A visitor asks to follow. Whatever the address's state, the answer is the same
    ("check your mail") and at most one follow exists: a new or unconfirmed one is sent
    the confirmation link (again), a confirmed one a note that it already follows with
    the link to stop."""
    throttle.hit(_limit("FOLLOW_REQUESTS_PER_HOUR"), "follow", client)
    address = normalise_email(email)
    found = _by_address(target, address)
    if found is None:
        found = _insert(_new(target, email=address, locale=locale), lambda: _by_address(target, address))
    if found.confirmed_at is None:
        found.locale = locale
        db.session.flush()
    per_address = _limit("FOLLOW_MAILS_PER_ADDRESS_PER_HOUR")
    address_key = secret_links.digest(address)   # no addresses in the rate limiter's store
    if throttle.retry_after(per_address, "follow-mail", address_key) is not None:
        return  # enough mail to this address for now; the asker sees the same page
    throttle.hit(per_address, "follow-mail", address_key)
    name = target.name
    if found.confirmed_at is None:
        send_mail(found.email, found.locale, "follow_confirm",  # type: ignore[arg-type]  # only follows by address wait
                  _l("Confirm that you want to follow %(name)s", name=name),
                  name=name, confirm_url=confirm_url(found))
    else:
        send_mail(found.mail_address, found.mail_locale, "follow_already",  # type: ignore[arg-type]  # found by its address
                  _l("You already follow %(name)s", name=name),
                  unsubscribe_url=unsubscribe_url(found), name=name)


def confirm(follow: Follow) -> None:
    if follow.confirmed_at is None:
        follow.confirmed_at = utcnow()
        db.session.flush()


def stop(follow: Follow) -> None:
    """Stop following by the secret link, with or without an account."""
    db.session.delete(follow)
    db.session.flush()


def move_all(source: Target, target: Target) -> int:
    """Move every follow of ``source`` to ``target``, when an administrator merges a duplicate into it.
    Someone who follows both keeps the one follow of ``target`` (counted as confirmed when either
    was). Returns how many follows ``source`` had: each of those people now follows ``target``."""
    column, relation = _column(source), ("meeting_place" if isinstance(source, MeetingPlace) else "organisation")
    kept = db.session.scalars(select(Follow).where(column == target.id)).all()
    by_user = {f.user_id: f for f in kept if f.user_id is not None}
    by_email = {f.email: f for f in kept if f.email is not None}
    moved = 0
    for follow in db.session.scalars(select(Follow).where(column == source.id).order_by(Follow.id)).all():
        moved += 1
        twin = by_user.get(follow.user_id) or by_email.get(follow.email)  # type: ignore[arg-type]  # None finds nothing
        if twin is not None:
            if twin.confirmed_at is None and follow.confirmed_at is not None:
                twin.confirmed_at = follow.confirmed_at
            db.session.delete(follow)
            continue
        setattr(follow, relation, target)
        if follow.user_id is not None:
            by_user[follow.user_id] = follow
        if follow.email is not None:
            by_email[follow.email] = follow
    db.session.flush()
    return moved


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Delete addresses that were never confirmed, after a week; meant to run in the privacy purge."""
    before = (now or utcnow()) - timedelta(days=settings.get("FOLLOW_UNCONFIRMED_DAYS"))
    removed = rows_changed(db.session.execute(
        delete(Follow).where(Follow.confirmed_at.is_(None), Follow.created_at < before)
        .execution_options(synchronize_session=False)))
    db.session.flush()
    return removed


# ---- new events ----------------------------------------------------------------------------------------------

@dataclass
class _Recipient:
    address: str
    locale: str
    name: str | None
    follows: list[Follow]


def _recipients(event: Event) -> list[_Recipient]:
    """Confirmed followers of the event's place or organisation, each address once
    (an account's own language and name win over a guest follow of the same address)."""
    wanted = [Follow.organisation_id == event.organisation_id]
    if event.meeting_place_id is not None:
        wanted.append(Follow.meeting_place_id == event.meeting_place_id)
    follows = db.session.scalars(
        select(Follow).options(joinedload(Follow.user), joinedload(Follow.meeting_place),
                               joinedload(Follow.organisation))
        .where(or_(*wanted), Follow.confirmed_at.is_not(None))
        .order_by(Follow.user_id.is_(None), Follow.id)).all()
    by_address: dict[str, _Recipient] = {}
    declined: set[str] = set()
    for follow in follows:
        user = follow.user
        address = normalise_email(follow.mail_address or "")
        if not address:
            continue
        if user is not None and (user.blocked_at is not None or user.verified_at is None
                                 or not user.wants_mail("followed_events")):
            declined.add(address)   # the account turned these mails off: none to that address
            continue
        recipient = by_address.setdefault(address, _Recipient(address, follow.mail_locale,
                                                              user.display_name if user else None, []))
        if all(target_of(f) is not target_of(follow) for f in recipient.follows):
            recipient.follows.append(follow)
    return [r for address, r in by_address.items() if address not in declined]


def announce(event: Event, occurrences: int) -> None:
    """Mail the confirmed followers of the event's meeting place and organisation (once each)."""
    if event.status != EventStatus.PUBLISHED:
        return
    event_link = site_url("events.show", event_id=event.id)
    for recipient in _recipients(event):
        stops: list[dict[str, Any]] = [{"name": target_of(f).name, "url": unsubscribe_url(f)} for f in recipient.follows]
        send_mail(recipient.address, recipient.locale, "followed_new_event",
                  _l("New event from %(name)s: %(title)s", name=event.organisation.name, title=event.reader_title()),
                  unsubscribe_url=stops[0]["url"], event=event, occurrences=occurrences, event_link=event_link,
                  name=recipient.name, stops=stops)
