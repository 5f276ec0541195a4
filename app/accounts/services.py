"""Account rules. Functions flush, never commit: the view commits once."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.accounts import tokens
from app.accounts.models import OPTIONAL_MAILS, User
from app.core import audit, mail, settings
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.permissions import Role
from app.core.rules import RuleBroken
from app.core.security import hash_password, password_needs_rehash, verify_password
from app.core.urls import site_url
from app.districts.models import District
from app.extensions import db


class AccountError(RuleBroken):
    """A rule about accounts was broken; ``field`` names the form field the message belongs beside."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def _link(endpoint: str, **values) -> str:
    return site_url(endpoint, **values)


def by_link_key(payload: dict) -> User | None:
    """The account a signed link names (``k``: its link key, never its id)."""
    key = payload.get("k")
    if not isinstance(key, str):
        return None
    return db.session.scalar(db.select(User).where(User.link_key == key))


def unsubscribe_url(user: User, kind: str):
    assert kind in OPTIONAL_MAILS
    return tokens.UNSUBSCRIBE_LINK({"k": user.link_key, "kind": kind})


# --- registration and verification -------------------------------------------------


def register(email: str, display_name: str, password: str, locale: str, next_path: str | None = None) -> User | None:
    """Create an unverified account and mail the link.

    When the address already has an account, mail its owner instead and
    return None: the person registering sees the same page either way.
    """
    email = normalise_email(email)
    # Hash in both cases, so the time taken does not tell whether the address has an account.
    password_hash = hash_password(password)
    existing = find_by_email(email)
    if existing is not None:
        if not within_address_cap(existing.email):
            return None
        send_mail(
            existing.email, existing.locale, "account_exists",
            _l("Someone tried to register with your email address"),
            user=existing, login_url=_link("accounts.login"), reset_url=_link("accounts.request_reset"),
        )
        return None
    user = User(email=email, display_name=display_name.strip(), password_hash=password_hash, locale=locale)
    db.session.add(user)
    db.session.flush()
    send_verification(user, next_path)
    return user


def send_verification(user: User, next_path: str | None = None) -> None:
    """Mail the link that confirms ``user``'s address. ``next_path`` (a path on this site) is signed into
    the link, so opening it leads back to what the person was doing when they asked for it."""
    if not within_address_cap(user.email):
        return
    payload = {"k": user.link_key, "e": tokens.fingerprint(user.email)}
    if next_path:
        payload["n"] = next_path
    send_mail(
        user.email, user.locale, "verify_email", _l("Confirm your email address for Medvirk"),
        user=user, verify_url=tokens.VERIFY_LINK(payload), hours=48,
    )


def verification_next(token: str) -> str | None:
    """The path signed into a confirmation link, if any (the caller still checks it stays on this site)."""
    payload = tokens.read(tokens.VERIFY_EMAIL, token, settings.get("VERIFY_EMAIL_MAX_AGE")) or {}
    return payload.get("n") if isinstance(payload.get("n"), str) else None


def verify_email(token: str) -> User | None:
    payload = tokens.read(tokens.VERIFY_EMAIL, token, settings.get("VERIFY_EMAIL_MAX_AGE"))
    if payload is None:
        return None
    user = by_link_key(payload)
    if user is None or tokens.fingerprint(user.email) != payload.get("e"):
        return None
    if user.verified_at is None:
        user.verified_at = utcnow()
        # Someone may have registered with this address before its owner and still be signed in
        # (account pre-hijacking): the owner's confirmation must not hand that session a confirmed account.
        end_all_sessions(user)
    return user


# --- logging in and out ------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The account when the password is right and the account is not blocked, else None."""
    user = find_by_email(email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    if user.blocked_at is not None:
        # Answered like a wrong password, after the same one password check: a blocked account's login
        # must not tell whether the password was right (its owner was told of the block by mail).
        return None
    if user.password_hash and password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def end_all_sessions(user: User) -> None:
    """Make every session cookie issued so far worthless."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


# --- passwords -----------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Mail a reset link when the account exists; say nothing either way."""
    user = find_by_email(email)
    if user is None or user.blocked_at is not None:
        return
    if not within_address_cap(user.email):
        return  # enough mail to this address for now; the asker sees the same page
    send_mail(
        user.email, user.locale, "reset_password", _l("Choose a new password for Medvirk"),
        user=user, reset_url=tokens.RESET_LINK(reset_payload(user)), minutes=60,
    )


def reset_payload(user: User) -> dict:
    """What a reset link signs: the account, and its password as it is now, so the link works once."""
    return {"k": user.link_key, "pw": tokens.password_fingerprint(user.password_hash)}


def reset_token(user: User, purpose: str = tokens.RESET_PASSWORD) -> str:
    """The token a reset link carries when it is sent now (for tests; mail passes ``tokens.RESET_LINK``)."""
    return tokens.make(purpose, reset_payload(user))


def within_address_cap(address: str) -> bool:
    """Whether one more account mail may go to ``address`` this hour (counted when it may). Anyone can
    type an address into the reset or registration form; this keeps them from flooding its owner."""
    return mail.within_address_cap(address)


def user_for_reset(token: str) -> User | None:
    """The account a reset or set-password link is for, if the link is valid and unused."""
    for purpose, max_age in (
        (tokens.RESET_PASSWORD, settings.get("RESET_PASSWORD_MAX_AGE")),
        (tokens.SET_PASSWORD, settings.get("SET_PASSWORD_MAX_AGE")),
    ):
        payload = tokens.read(purpose, token, max_age)
        if payload is None:
            continue
        user = by_link_key(payload)
        if user is not None and payload.get("pw") == tokens.password_fingerprint(user.password_hash):
            return user
    return None


def set_password(user: User, password: str) -> None:
    """Set a new password, end every other session and confirm by mail.

    Following a reset link also proves the address, so it counts as verified.
    """
    user.password_hash = hash_password(password)
    if user.verified_at is None:
        user.verified_at = utcnow()
    end_all_sessions(user)
    send_mail(
        user.email, user.locale, "password_changed", _l("Your Medvirk password was changed"),
        user=user, reset_url=_link("accounts.request_reset"),
    )


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_l("The current password is not correct."), field="current_password")
    set_password(user, new_password)


# --- profile, email and mail preferences ---------------------------------------------


def update_profile(user: User, display_name: str, locale: str) -> None:
    user.display_name = display_name.strip()
    user.locale = locale
    db.session.flush()


def request_email_change(user: User, current_password: str, new_email: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_l("The current password is not correct."), field="current_password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise AccountError(_l("This is already your email address."), field="new_email")
    # The new address waits on the account; the link carries only fingerprints, never addresses
    # (links end up in access logs).
    user.pending_email = new_email
    db.session.flush()
    link = tokens.CHANGE_EMAIL_LINK({"k": user.link_key, "old": tokens.fingerprint(user.email),
                                     "new": tokens.fingerprint(new_email)})
    # An address that belongs to someone else gets the same mail; the link then
    # fails politely, so this form cannot be used to find out who has an account.
    if within_address_cap(new_email):
        send_mail(
            new_email, user.locale, "confirm_new_email", _l("Confirm your new email address for Medvirk"),
            user=user, confirm_url=link, hours=48,
        )
    send_mail(
        user.email, user.locale, "email_change_requested", _l("Someone asked to change the email address of your Medvirk account"),
        user=user, reset_url=_link("accounts.request_reset"),
    )


def confirm_email_change(token: str) -> User:
    payload = tokens.read(tokens.CHANGE_EMAIL, token, settings.get("VERIFY_EMAIL_MAX_AGE"))
    user = by_link_key(payload) if payload else None
    if (payload is None or user is None or not user.pending_email or tokens.fingerprint(user.email) != payload.get("old")
            or tokens.fingerprint(user.pending_email) != payload.get("new")):
        raise AccountError(_l("This link is not valid any more. Ask for a new one from your account page."))
    if find_by_email(user.pending_email) is not None:
        raise AccountError(_l("Another account already uses this email address."))
    user.email, user.pending_email = user.pending_email, None
    user.verified_at = utcnow()
    try:
        # Like a new password: a session on another device (perhaps whoever asked for the change) ends.
        end_all_sessions(user)
    except IntegrityError:
        # Someone took the address a moment ago.
        db.session.rollback()
        raise AccountError(_l("Another account already uses this email address.")) from None
    return user


def set_mail_preferences(user: User, wanted: dict[str, bool]) -> None:
    for kind in OPTIONAL_MAILS:
        if kind in wanted:
            setattr(user, f"mail_{kind}", bool(wanted[kind]))
    db.session.flush()


def read_unsubscribe(token: str) -> tuple[User, str] | None:
    payload = tokens.read(tokens.UNSUBSCRIBE, token, max_age=None)
    if payload is None or payload.get("kind") not in OPTIONAL_MAILS:
        return None
    user = by_link_key(payload)
    return (user, payload["kind"]) if user is not None else None


def unsubscribe(user: User, kind: str) -> None:
    setattr(user, f"mail_{kind}", False)
    db.session.flush()


# --- administration from the command line --------------------------------------------


def create_admin(email: str, display_name: str | None = None, actor: User | None = None) -> User:
    """Create (or promote) an admin and mail a link to set the password."""
    email = normalise_email(email)
    user = find_by_email(email)
    if user is None:
        user = User(email=email, display_name=display_name or email.split("@")[0], password_hash=None, locale="nb")
        db.session.add(user)
        db.session.flush()
    changed = ["role"] if user.role != Role.ADMIN else []
    user.role = Role.ADMIN
    db.session.flush()
    audit.record(actor, "user.create_admin", user, changed)
    send_mail(
        user.email, user.locale, "set_password", _l("You are an administrator of Medvirk: choose your password"),
        user=user, reset_url=tokens.SET_PASSWORD_LINK(reset_payload(user)), hours=48,
    )
    return user


def other_active_admins(user: User) -> int:
    """How many administrators besides ``user`` can sign in: not blocked, and with a password (an invitation
    not yet accepted may expire unused, and would then leave nobody)."""
    return db.session.scalar(db.select(db.func.count(User.id)).where(
        User.role == Role.ADMIN, User.blocked_at.is_(None), User.password_hash.is_not(None),
        User.id != user.id)) or 0


def refuse_leaving_no_admin(user: User, field: str | None = None) -> None:
    """Raise when ``user`` is the last unblocked administrator: someone must always be able to give the
    role to another person, so the last one keeps it and keeps the account."""
    if user.role == Role.ADMIN and other_active_admins(user) == 0:
        raise AccountError(_l("This is the last administrator. Make someone else an administrator first."), field=field)


def change_role(user: User, role: Role, districts, actor: User | None = None, action: str | None = None) -> list[str]:
    """Give ``user`` exactly ``role`` and these moderator ``districts``: the one way a role changes, for the
    command line's grant and revoke and the administration's form alike. Returns the fields that changed.

    Losing something (a lower role, a district) ends every session that carried it: the person
    signs in again with what they have now. The audit entry holds role codes and district slugs only.
    """
    before_role, before = user.role, list(user.districts)
    if before_role is Role.ADMIN and role is not Role.ADMIN:
        refuse_leaving_no_admin(user, field="role")
    wanted = sorted({d.id: d for d in districts}.values(), key=lambda d: (d.position, d.slug))
    retired = [d for d in wanted if d.retired_at is not None and d not in before]
    if retired:
        raise AccountError(_l("The district %(district)s is retired: nobody new moderates it.",
                              district=retired[0].slug), field="districts")
    changes: dict[str, tuple] = {}
    if before_role is not role:
        user.role = role
        changes["role"] = (before_role.value, role.value)
    if {d.id for d in before} != {d.id for d in wanted}:
        user.districts = wanted
        changes["districts"] = ([d.slug for d in before], [d.slug for d in wanted])
    kept = {d.id for d in wanted}
    if _rank(role) < _rank(before_role) or any(d.id not in kept for d in before):
        end_all_sessions(user)
    db.session.flush()
    if action is None:
        action = _role_action(before_role, role, before, wanted)
    audit.record(actor, action, user, changes=changes)
    return sorted(changes)


def _role_action(before_role: Role, role: Role, before: list[District], after: list[District]) -> str:
    """The audit code of a change made in one go: higher is a grant, lower a revoke of the role lost."""
    if _rank(role) > _rank(before_role):
        return f"user.grant_{role.value}"
    if _rank(role) < _rank(before_role):
        return f"user.revoke_{before_role.value}"
    added = {d.id for d in after} - {d.id for d in before}
    removed = {d.id for d in before} - {d.id for d in after}
    if added and not removed:
        return "user.grant_moderator"
    if removed and not added:
        return "user.revoke_moderator"
    return "user.change_districts"


def grant(user: User, role: Role, district: District | None = None, actor: User | None = None) -> None:
    if district is not None and role is not Role.MODERATOR:
        raise AccountError(_l("Only moderators cover districts."))
    current = user.role
    districts = list(user.districts)
    if district is not None and district not in districts:
        districts.append(district)
    change_role(user, role if _rank(role) > _rank(current) else current, districts, actor, f"user.grant_{role.value}")


def revoke(user: User, role: Role, district: District | None = None, actor: User | None = None) -> None:
    current = user.role
    districts = list(user.districts)
    if district is not None:
        districts = [d for d in districts if d.id != district.id]
    elif current is role and role is not Role.RESIDENT:
        current = Role.MODERATOR if role is Role.ADMIN and districts else Role.RESIDENT
        if current is Role.RESIDENT:
            districts = []
    change_role(user, current, districts, actor, f"user.revoke_{role.value}")


def _rank(role: Role) -> int:
    return {Role.RESIDENT: 0, Role.MODERATOR: 1, Role.ADMIN: 2}[role]
