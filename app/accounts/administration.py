"""Looking after people from the administration: finding them, roles and districts, inviting staff,
blocking and unblocking. Functions flush, never commit: the view commits once.

Roles change only through ``services.change_role``, the same path as ``flask users grant/revoke``.
Audit entries hold ids, role codes and district slugs; never an address, a name or a reason.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.accounts import services, tokens
from app.accounts.models import User
from app.core import audit, secret_links, settings
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.params import page_count
from app.core.permissions import Role
from app.core.rules import RuleBroken
from app.core.security import hash_password
from app.core.urls import site_url
from app.districts.models import District
from app.events.models import Registration
from app.extensions import db
from app.ideas.models import Support
from app.moderation.models import PostingBlock
from app.submissions.models import Kind, Submission

PER_PAGE = 25
ACTIVITY_DAYS = 90
INVITED_ROLES = (Role.MODERATOR, Role.ADMIN)

ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Administrator"),
}


class AlreadyHasAccount(RuleBroken):
    """The address already belongs to an account: ``user`` is that account."""

    def __init__(self, user: User):
        super().__init__(_l("This email address already has an account."), field="email")
        self.user = user


# --- finding people ------------------------------------------------------------------------------


@dataclass
class Activity:
    """What a person did in the last ACTIVITY_DAYS days. Feedback is never tied to an account, so it is not here."""

    ideas: int = 0
    comments: int = 0
    supports: int = 0
    registrations: int = 0


@dataclass
class PeoplePage:
    items: list[User]
    total: int
    page: int
    per_page: int = PER_PAGE
    activity: dict[int, Activity] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def _contains(column, text: str):
    """``column`` holds ``text``, whatever the case of its letters. PostgreSQL lowers every letter; SQLite
    only A to Z, so there the text is also tried as typed and capitalised (names start with a capital: "Øystein")."""
    lowered = func.lower(column)
    variants = dict.fromkeys((text.lower(), text, text.capitalize(), text.title()))
    return or_(*(lowered.contains(v, autoescape=True) for v in variants)) if db.engine.dialect.name == "sqlite" \
        else lowered.contains(text.lower(), autoescape=True)


def find_people(q: str | None = None, role: str | None = None, blocked: bool | None = None,
                page: int = 1, per_page: int = PER_PAGE) -> PeoplePage:
    """One page of accounts, with their districts and recent activity: five queries whatever the page holds."""
    stmt = select(User)
    q = (q or "").strip()
    if q:
        stmt = stmt.where(or_(_contains(User.display_name, q), _contains(User.email, q)))
    if role in ROLE_LABELS:
        stmt = stmt.where(User.role == role)
    if blocked is True:
        stmt = stmt.where(User.blocked_at.is_not(None))
    elif blocked is False:
        stmt = stmt.where(User.blocked_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, min(page, page_count(total, per_page)))
    users = list(db.session.scalars(
        stmt.options(selectinload(User.districts)).order_by(func.lower(User.display_name), User.id)
        .limit(per_page).offset((page - 1) * per_page)))
    return PeoplePage(users, total, page, per_page, activity_of([u.id for u in users]))


def activity_of(user_ids: list[int]) -> dict[int, Activity]:
    """Recent activity of these accounts, counted with one GROUP BY per kind (three queries, none per person)."""
    found = {user_id: Activity() for user_id in user_ids}
    if not user_ids:
        return found
    since = utcnow() - timedelta(days=ACTIVITY_DAYS)
    written = db.session.execute(
        select(Submission.author_id, Submission.kind, func.count())
        .where(Submission.author_id.in_(user_ids), Submission.kind.in_((Kind.IDEA.value, Kind.COMMENT.value)),
               Submission.created_at >= since)
        .group_by(Submission.author_id, Submission.kind))
    for user_id, kind, count in written:
        if kind == Kind.IDEA.value:
            found[user_id].ideas = count
        else:
            found[user_id].comments = count
    for model, name in ((Support, "supports"), (Registration, "registrations")):
        counted = db.session.execute(
            select(model.user_id, func.count()).where(model.user_id.in_(user_ids), model.created_at >= since)
            .group_by(model.user_id))
        for user_id, count in counted:
            setattr(found[user_id], name, count)
    return found


def posting_blocks(user: User) -> list:
    """The districts ``user`` may not post in, each with its block, in the districts' order."""
    return list(db.session.execute(
        select(PostingBlock, District).join(District, District.id == PostingBlock.district_id)
        .where(PostingBlock.user_id == user.id).order_by(District.position, District.slug)))


def invitation_pending(user: User) -> bool:
    """Invited as staff and not yet accepted: no password chosen, address not confirmed."""
    return user.is_staff and user.verified_at is None and user.password_hash is None


# --- roles -------------------------------------------------------------------------------------------


def set_role(user: User, role: Role, districts: list[District], actor: User) -> list[str]:
    """Give ``user`` this role and these districts from the administration; returns the fields changed.

    A moderator needs at least one district; a resident keeps none. Nobody takes away their own
    admin role, and the last admin keeps theirs (``services.change_role`` refuses): someone must be able to give it back.
    """
    if role is Role.MODERATOR and not districts:
        raise RuleBroken(_l("Choose at least one district for a moderator."), field="districts")
    if role is Role.RESIDENT:
        districts = []
    if user.role == Role.ADMIN and role is not Role.ADMIN:
        if user.id == actor.id:
            raise RuleBroken(_l("You cannot take away your own administrator role. Ask another administrator."),
                             field="role")
    if user.role == role and {d.id for d in user.districts} == {d.id for d in districts}:
        return []
    return services.change_role(user, role, districts, actor)


# --- invitations ---------------------------------------------------------------------------------------


def invite(email: str, display_name: str, role: Role, districts: list[District], locale: str, actor: User | None) -> User:
    """Make an account for a new moderator or admin, with no password yet, and mail them the invitation."""
    if role not in INVITED_ROLES:
        raise RuleBroken(_l("Invite a moderator or an administrator."), field="role")
    if role is Role.MODERATOR and not districts:
        raise RuleBroken(_l("Choose at least one district for a moderator."), field="districts")
    existing = services.find_by_email(email)
    if existing is not None:
        raise AlreadyHasAccount(existing)
    user = User(email=services.normalise_email(email), display_name=display_name.strip(), password_hash=None,
                locale=locale)
    db.session.add(user)
    db.session.flush()
    services.change_role(user, role, districts, actor, "user.invite")
    _send_invitation(user)
    return user


def _send_invitation(user: User) -> None:
    """Mail a new invitation link. The one sent before stops working: only the newest nonce is kept."""
    max_age = settings.get("SET_PASSWORD_MAX_AGE")
    user.invitation_nonce = secret_links.new_nonce()
    db.session.flush()
    send_mail(
        user.email, user.locale, "invitation", _l("You are invited to help run Medvirk"),
        user=user, role_label=ROLE_LABELS[user.role], districts=list(user.districts),
        is_moderator=user.role == Role.MODERATOR,
        accept_url=tokens.INVITATION_LINK(invitation_payload(user)), hours=max_age // 3600,
    )


def invitation_payload(user: User) -> dict:
    """What an invitation link signs: the account's link key and the nonce of the newest invitation."""
    return {"k": user.link_key, "n": user.invitation_nonce}


def resend_invitation(user: User, actor: User) -> None:
    if user.blocked_at is not None:
        raise RuleBroken(_l("This account is blocked. Unblock it before sending a new invitation."))
    if not invitation_pending(user):
        raise RuleBroken(_l("This person has already accepted the invitation."))
    _send_invitation(user)
    audit.record(actor, "user.invite", user, ["mail"])


def user_for_invitation(token: str) -> User | None:
    """The account an invitation link is for, while it is valid: signed, not too old, the newest one sent
    and not used (its nonce is still the account's: accepting clears it), and the account not blocked."""
    payload = tokens.read(tokens.INVITATION, token, settings.get("SET_PASSWORD_MAX_AGE"))
    if payload is None:
        return None
    user = services.by_link_key(payload)
    if (user is None or user.blocked_at is not None or not user.invitation_nonce
            or not isinstance(payload.get("n"), str)
            or not hmac.compare_digest(payload["n"], user.invitation_nonce)):
        return None
    return user


def accept_invitation(user: User, password: str) -> None:
    """The invited person chose a password: the address is confirmed, and the link is used up with it."""
    user.password_hash = hash_password(password)
    user.invitation_nonce = None   # the link dies with its first use
    if user.verified_at is None:
        user.verified_at = utcnow()
    user.last_login_at = utcnow()
    services.end_all_sessions(user)
    audit.record(user, "user.accept_invitation", user, ["password"])


def resend_verification(user: User, actor: User) -> None:
    """Mail an unverified resident a new confirmation link (the mail they got when they registered)."""
    if user.verified_at is not None:
        raise RuleBroken(_l("This person has already confirmed their email address."))
    if invitation_pending(user):
        raise RuleBroken(_l("This person was invited: send a new invitation instead."))
    if user.blocked_at is not None:
        raise RuleBroken(_l("This account is blocked. Unblock it before sending a new link."))
    services.send_verification(user)
    audit.record(actor, "user.resend_verification", user, ["mail"])


# --- blocking ------------------------------------------------------------------------------------------


def block(user: User, reason: str, actor: User) -> None:
    """Block the account: its sessions end, it cannot log in or post, and what it wrote leaves the public
    pages (app/submissions/visibility.py). The reason is for staff; the person gets a neutral notice."""
    if user.id == actor.id:
        raise RuleBroken(_l("You cannot block yourself."))
    if user.blocked_at is not None:
        raise RuleBroken(_l("This account is blocked already."))
    services.refuse_leaving_no_admin(user)
    user.blocked_at = utcnow()
    user.blocked_reason = reason
    services.end_all_sessions(user)
    audit.record(actor, "user.block", user, ["blocked_at", "blocked_reason"])
    send_mail(user.email, user.locale, "account_blocked", _l("Your Medvirk account is blocked"),
              user=user, contact_email=settings.contact().email)


def unblock(user: User, actor: User) -> None:
    if user.blocked_at is None:
        raise RuleBroken(_l("This account is not blocked."))
    user.blocked_at = None
    user.blocked_reason = None
    db.session.flush()
    audit.record(actor, "user.unblock", user, ["blocked_at", "blocked_reason"])
    send_mail(user.email, user.locale, "account_unblocked", _l("Your Medvirk account is open again"),
              user=user, login_url=site_url("accounts.login"))


def lift_posting_block(user: User, district: District, actor: User) -> None:
    """Let ``user`` post in ``district`` again (a block a moderator set there)."""
    posting_block = db.session.get(PostingBlock, (user.id, district.id))
    if posting_block is None:
        raise RuleBroken(_l("This person may already post in this district."))
    db.session.delete(posting_block)
    db.session.flush()
    audit.record(actor, "user.unblock_in_district", user, [], {"district": (district.slug, None)})
