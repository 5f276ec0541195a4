"""Rules for organisations. Functions flush; the view commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import aliased, selectinload

from app.accounts.models import User
from app.accounts.services import normalise_email
from app.core import audit, secret_links, settings, throttle
from app.core.clients import client_key
from app.core.db import rows_changed, utcnow
from app.core.i18n import current_locale
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail, within_address_cap
from app.core.rules import Forbidden, RuleBroken
from app.core.sanitize import markdown_to_html
from app.core.urls import site_url
from app.districts.models import District
from app.districts.services import refuse_if_retired
from app.events.models import Event
from app.extensions import db
from app.follows import services as following
from app.organisations.models import (
    Membership,
    Organisation,
    OrganisationApplication,
    OrganisationInvitation,
    OrganisationStatus,
)
from app.submissions.models import Status, StatusChange
from app.translation.detect import language_of


class OrganisationError(RuleBroken):
    pass


def list_approved() -> list[Organisation]:
    """The public list: approved organisations that are not retired."""
    return list(db.session.scalars(
        select(Organisation).options(selectinload(Organisation.districts))
        .where(Organisation.status == OrganisationStatus.APPROVED, Organisation.retired_at.is_(None)).order_by(Organisation.name)
    ))


def get(organisation_id: int) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).options(selectinload(Organisation.districts),
                                     selectinload(Organisation.memberships).joinedload(Membership.user))
        .where(Organisation.id == organisation_id)
    )


def can_view(organisation: Organisation, user) -> bool:
    """Approved and active organisations are public; pending, declined and retired ones are seen by
    their members and the moderators of their districts."""
    if (organisation.status == OrganisationStatus.APPROVED and organisation.retired_at is None) or organisation.is_member(user):
        return True
    return any(d.is_moderated_by(user) for d in organisation.districts)


def apply(applicant: User, name: str, description: str, contact_email: str, districts: list[District],
          language: str | None = None) -> Organisation:
    """A resident applies; the application waits in the queue of each district named."""
    if not districts:
        raise OrganisationError(_l("Choose at least one district."), field="districts")
    for district in districts:
        refuse_if_retired(district, OrganisationError, field="districts")
    organisation = Organisation(name=name.strip(), description=description.strip(),
                                description_html=str(markdown_to_html(description.strip())),
                                language=language_of(description, chosen=language),
                                contact_email=normalise_email(contact_email), status=OrganisationStatus.PENDING)
    organisation.districts = list(districts)
    organisation.memberships = [Membership(user_id=applicant.id)]
    db.session.add(organisation)
    db.session.flush()
    for district in districts:
        application = OrganisationApplication(organisation_id=organisation.id, district_id=district.id,
                                              author_id=applicant.id)
        db.session.add(application)
        db.session.flush()
        db.session.add(StatusChange(submission_id=application.id, old_status=None, new_status=Status.NEW,
                                    actor_id=applicant.id))
    db.session.flush()
    return organisation


def decide(application: OrganisationApplication, approve: bool, reason: str | None, actor: User) -> Organisation:
    """Approve or decline; settles the organisation's applications in every district and tells the applicant."""
    organisation = application.organisation
    if organisation.status != OrganisationStatus.PENDING:
        raise OrganisationError(_l("This organisation has already been decided on."))
    if not approve and not (reason or "").strip():
        raise OrganisationError(_l("Give the reason for declining; the applicant is told."), field="reason")
    organisation.status = OrganisationStatus.APPROVED if approve else OrganisationStatus.DECLINED
    organisation.decline_reason = None if approve else (reason or "").strip()
    organisation.decided_at = utcnow()
    siblings = db.session.scalars(select(OrganisationApplication).where(
        OrganisationApplication.organisation_id == organisation.id))
    for sibling in siblings:
        before = sibling.status
        sibling.status = Status.DONE if approve else Status.NOT_PURSUED
        db.session.add(StatusChange(submission_id=sibling.id, old_status=before, new_status=sibling.status,
                                    actor_id=actor.id))
    db.session.flush()
    audit.record(actor, "organisation.approve" if approve else "organisation.decline", organisation, [],
                 {"status": (OrganisationStatus.PENDING, organisation.status)})
    applicant = application.author
    if applicant is not None:
        send_mail(applicant.email, applicant.locale, "organisation_decided",
                  _l("Your organisation on Medvirk has been approved") if approve
                  else _l("Your organisation on Medvirk was not approved"),
                  user=applicant, organisation=organisation, approved=approve,
                  link=site_url("organisations.show", organisation_id=organisation.id))
    return organisation


def _require_member(organisation: Organisation, user: User) -> None:
    if organisation.status != OrganisationStatus.APPROVED or not organisation.is_member(user):
        raise Forbidden()


# --- inviting members ---------------------------------------------------------------------------------------
#
# An organiser types an address; whatever it is (an account's, a member's, nobody's), the page answers the
# same and an invitation is mailed to it. Nobody is told whether an address has an account, nobody's name is
# shown, and nobody becomes a member unasked: membership starts when the invitation is accepted by an
# account signed in with that very address.

INVITATION = "organisation-invitation"


# The link in the invitation mail: made from the nonce and the secret key when the mail is sent, never
# stored (app/core/secret_links.py).
INVITATION_LINK = secret_links.kind("organisation-invitation", "organisations.invitation",
                                    lambda nonce: secret_links.token_for(INVITATION, nonce))


def invitation_url(invitation: OrganisationInvitation) -> secret_links.SecretLink:
    """The invitation's link, for its mail."""
    return INVITATION_LINK(invitation.token_nonce)


def _invitation_limits(actor: User) -> list[tuple[str, tuple[str, str]]]:
    limit = f"{settings.get('ORGANISATION_INVITATIONS_PER_HOUR')} per hour"
    return [(limit, ("organisation-invite", str(actor.id))), (limit, ("organisation-invite-addr", client_key()))]


def invite_member(organisation: Organisation, email: str, actor: User) -> None:
    """Mail an invitation to ``email``; a new one replaces an earlier one to the same address."""
    _require_member(organisation, actor)
    if any(throttle.retry_after(limit, *key) for limit, key in _invitation_limits(actor)):
        raise OrganisationError(_l("You have sent many invitations in the last hour. Please wait a while and "
                                   "try again; the address is kept below."), field="email", status=429)
    address = normalise_email(email)
    now = utcnow()
    db.session.execute(delete(OrganisationInvitation).where(
        (OrganisationInvitation.expires_at <= now)
        | ((OrganisationInvitation.organisation_id == organisation.id) & (OrganisationInvitation.email == address))))
    nonce = secret_links.new_nonce()
    invitation = OrganisationInvitation(
        organisation_id=organisation.id, email=address, invited_by_id=actor.id, token_nonce=nonce,
        token_hash=secret_links.digest(secret_links.token_for(INVITATION, nonce)), created_at=now,
        expires_at=now + timedelta(days=settings.get("ORGANISATION_INVITATION_DAYS")))
    db.session.add(invitation)
    db.session.flush()
    for limit, key in _invitation_limits(actor):
        throttle.hit(limit, *key)
    audit.record(actor, "organisation.invite", organisation, ["members"])
    # One address is not flooded with invitations; the page says the same either way.
    if not within_address_cap(address, "organisation-invite-mail",
                              settings.get("ORGANISATION_INVITATION_MAILS_PER_ADDRESS_PER_HOUR")):
        return
    send_mail(address, current_locale(), "organisation_invitation",
              _l("You are invited to organise events for %(name)s on Medvirk", name=organisation.name),
              organisation=organisation, inviter=actor, link=invitation_url(invitation),
              days=settings.get("ORGANISATION_INVITATION_DAYS"))


def find_invitation(token: str) -> OrganisationInvitation | None:
    """The invitation behind a link, while it lasts."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(OrganisationInvitation).where(
        OrganisationInvitation.token_hash == secret_links.digest(token), OrganisationInvitation.expires_at > utcnow()))


WRONG_ADDRESS = _l("This invitation was sent to another address. Log in with the address it was sent to, "
                   "then open the link again.")


def is_invited(invitation: OrganisationInvitation, user: User) -> bool:
    """Whether ``user`` is signed in with the address the invitation was sent to."""
    return normalise_email(user.email) == invitation.email


def accept_invitation(invitation: OrganisationInvitation, user: User) -> Organisation:
    """Membership starts here: only the account with the invited address may accept, and the invitation
    dies when used."""
    organisation = invitation.organisation
    if not is_invited(invitation, user):
        raise OrganisationError(WRONG_ADDRESS, status=403)
    if organisation.status != OrganisationStatus.APPROVED or organisation.retired_at is not None:
        raise OrganisationError(_l("This organisation no longer takes new members."), status=410)
    if not organisation.is_member(user):
        db.session.add(Membership(organisation_id=organisation.id, user_id=user.id))
    db.session.delete(invitation)
    db.session.flush()
    audit.record(user, "organisation.add_member", organisation, ["members"])
    return organisation


def remove_member(organisation: Organisation, user_id: int, actor: User) -> None:
    """Remove a member (or leave, when it is oneself); an organisation is never left without one."""
    _require_member(organisation, actor)
    membership = db.session.get(Membership, (organisation.id, user_id))
    if membership is None:
        raise OrganisationError(_l("That person is not a member."))
    if len(organisation.memberships) <= 1:
        raise OrganisationError(_l("Add someone to take over before you leave: an organisation needs an organiser."))
    db.session.delete(membership)
    db.session.flush()
    audit.record(actor, "organisation.leave" if user_id == actor.id else "organisation.remove_member",
                 organisation, ["members"])


# ---- the administrators' list and actions ------------------------------------------------------------------

RETIRED = "retired"   # shown as a status in the administration; stored as ``retired_at``


def state(organisation: Organisation) -> str:
    """pending, approved, declined or retired."""
    return RETIRED if organisation.retired_at is not None else organisation.status


@dataclass
class OrganisationRow:
    organisation: Organisation
    members: int
    events: int
    merged_into: str | None     # the name of the organisation it was merged into


def _event_model():
    return Event


def admin_list(query: str | None, status: str | None, page: int, per_page: int) -> tuple[list[OrganisationRow], int]:
    """One page of every organisation with its member and event counts, and how many there are:
    the same three queries however many there are."""
    Event = _event_model()
    stmt = select(Organisation)
    if query:
        stmt = stmt.where(func.lower(Organisation.name).contains(query.lower(), autoescape=True))
    if status == RETIRED:
        stmt = stmt.where(Organisation.retired_at.is_not(None))
    elif status in (OrganisationStatus.PENDING, OrganisationStatus.APPROVED, OrganisationStatus.DECLINED):
        stmt = stmt.where(Organisation.status == status, Organisation.retired_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    # Counted for the rows of the page only, each from an index that starts with the organisation.
    members = (select(func.count()).select_from(Membership).where(Membership.organisation_id == Organisation.id)
               .correlate(Organisation).scalar_subquery())
    events = (select(func.count()).select_from(Event).where(Event.organisation_id == Organisation.id)
              .correlate(Organisation).scalar_subquery())
    kept = aliased(Organisation)
    rows = db.session.execute(
        stmt.add_columns(members, events, kept.name)
        .options(selectinload(Organisation.districts))
        .outerjoin(kept, kept.id == Organisation.merged_into_id)
        .order_by(Organisation.retired_at.is_not(None), Organisation.name, Organisation.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return [OrganisationRow(org, n_members or 0, n_events or 0, merged_into)
            for org, n_members, n_events, merged_into in rows], total


def admin_events(organisation: Organisation, limit: int = 50) -> tuple[list, list]:
    """Its upcoming events (soonest first) and past ones (latest first), at most ``limit`` of each."""
    from sqlalchemy.orm import joinedload

    Event = _event_model()
    now = utcnow()
    base = select(Event).options(joinedload(Event.district), joinedload(Event.meeting_place)).where(
        Event.organisation_id == organisation.id)
    upcoming = db.session.scalars(base.where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
                                  .limit(limit)).all()
    past = db.session.scalars(base.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
                              .limit(limit)).all()
    return list(upcoming), list(past)


def event_counts(organisation: Organisation) -> tuple[int, int]:
    """How many of its events have not ended, and how many have."""
    Event = _event_model()
    ahead, every = db.session.execute(
        select(func.sum(case((Event.ends_at > utcnow(), 1), else_=0)), func.count())
        .where(Event.organisation_id == organisation.id)).one()
    return ahead or 0, every - (ahead or 0)


def merge_candidates(organisation: Organisation) -> list[Organisation]:
    """What a duplicate may be merged into: the other approved organisations that are not retired,
    those sharing a district with it first."""
    others = db.session.scalars(
        select(Organisation).options(selectinload(Organisation.districts))
        .where(Organisation.id != organisation.id, Organisation.status == OrganisationStatus.APPROVED,
               Organisation.retired_at.is_(None))
        .order_by(Organisation.name, Organisation.id)).all()
    mine = {d.id for d in organisation.districts}
    return sorted(others, key=lambda o: not any(d.id in mine for d in o.districts))


def update_organisation(organisation: Organisation, name: str, description: str, contact_email: str,
                        districts: list[District], actor: User) -> Organisation:
    """An administrator changes an organisation's name, description (Markdown), contact address and districts."""
    if not districts:
        raise OrganisationError(_l("Choose at least one district."), field="districts")
    values = {"name": name.strip(), "description": description.strip(),
              "contact_email": normalise_email(contact_email)}
    changed = [field for field, value in values.items() if getattr(organisation, field) != value]
    if {d.id for d in organisation.districts} != {d.id for d in districts}:
        changed.append("districts")
    for field, value in values.items():
        setattr(organisation, field, value)
    organisation.description_html = str(markdown_to_html(organisation.description))
    if "description" in changed:   # found anew; otherwise the applicant's choice of language stays
        organisation.language = language_of(organisation.description)
    organisation.districts = list(districts)
    db.session.flush()
    audit.record(actor, "organisation.update", organisation, changed)
    return organisation


def retire(organisation: Organisation, actor: User) -> Organisation:
    """A retired organisation leaves the public list and publishes no new events; its past events stay."""
    if organisation.retired_at is not None:
        raise OrganisationError(_l("This organisation is already retired."))
    if organisation.status != OrganisationStatus.APPROVED:
        raise OrganisationError(_l("Only an approved organisation can be retired; "
                                   "one waiting for approval is decided on in the moderation queue."))
    organisation.retired_at = utcnow()
    db.session.flush()
    audit.record(actor, "organisation.retire", organisation, [], {"retired": (False, True)})
    return organisation


def reinstate(organisation: Organisation, actor: User) -> Organisation:
    if organisation.merged_into_id is not None:
        raise OrganisationError(_l("An organisation that was merged into another cannot be reinstated: "
                                   "its members, events and followers belong to the other one now."))
    if organisation.retired_at is None:
        raise OrganisationError(_l("This organisation is not retired."))
    organisation.retired_at = None
    db.session.flush()
    audit.record(actor, "organisation.reinstate", organisation, [], {"retired": (True, False)})
    return organisation


@dataclass
class Merged:
    members: int
    events: int
    follows: int


def merge(duplicate: Organisation, kept: Organisation, actor: User) -> Merged:
    """Move the duplicate's members (each person once), events, followers and districts to ``kept``,
    then retire the duplicate with a pointer to ``kept``, whose page its old address leads to. Both
    must be approved and active."""
    Event = _event_model()
    if duplicate.id == kept.id:
        raise OrganisationError(_l("Choose another organisation than the one being merged."), field="keep")
    if duplicate.retired_at is not None:
        raise OrganisationError(_l("This organisation is already retired."))
    if duplicate.status != OrganisationStatus.APPROVED:
        raise OrganisationError(_l("Only an approved organisation can be merged; "
                                   "one waiting for approval is decided on in the moderation queue."))
    if kept.status != OrganisationStatus.APPROVED or kept.retired_at is not None:
        raise OrganisationError(_l("Choose an approved organisation that is not retired."), field="keep")
    already = {m.user_id for m in kept.memberships}
    members = len(duplicate.memberships)
    for membership in list(duplicate.memberships):
        duplicate.memberships.remove(membership)
        if membership.user_id not in already:
            kept.memberships.append(Membership(user_id=membership.user_id, created_at=membership.created_at))
    db.session.flush()
    events = rows_changed(db.session.execute(
        update(Event).where(Event.organisation_id == duplicate.id).values(organisation_id=kept.id)
        .execution_options(synchronize_session="fetch")))
    follows = following.move_all(duplicate, kept)
    kept.districts = kept.districts + [d for d in duplicate.districts if d not in kept.districts]
    db.session.execute(update(Organisation).where(Organisation.merged_into_id == duplicate.id)
                       .values(merged_into_id=kept.id).execution_options(synchronize_session="fetch"))
    duplicate.retired_at = utcnow()
    duplicate.merged_into_id = kept.id
    db.session.flush()
    audit.record(actor, "organisation.merge", duplicate,
                 ["members"] * bool(members) + ["events"] * bool(events) + ["follows"] * bool(follows),
                 {"merged_into": (None, kept.id), "retired": (False, True)})
    return Merged(members, events, follows)
