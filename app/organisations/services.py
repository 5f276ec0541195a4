"""Rules for organisations. Functions flush; the view commits."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.accounts.services import find_by_email, normalise_email
from app.core import audit
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail, site_url
from app.core.rules import RuleBroken
from app.core.sanitize import markdown_to_html
from app.districts.models import District
from app.districts.services import refuse_if_retired
from app.extensions import db
from app.organisations.models import APPROVED, DECLINED, PENDING, Membership, Organisation, OrganisationApplication
from app.submissions.models import Status, StatusChange


class OrganisationError(RuleBroken):
    pass


def list_approved() -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).options(selectinload(Organisation.districts))
        .where(Organisation.status == APPROVED).order_by(Organisation.name)
    ))


def get(organisation_id: int) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).options(selectinload(Organisation.districts),
                                     selectinload(Organisation.memberships).joinedload(Membership.user))
        .where(Organisation.id == organisation_id)
    )


def can_view(organisation: Organisation, user) -> bool:
    if organisation.status == APPROVED or organisation.is_member(user):
        return True
    return any(d.is_moderated_by(user) for d in organisation.districts)


def apply(applicant: User, name: str, description: str, contact_email: str, districts: list[District]) -> Organisation:
    """A resident applies; the application waits in the queue of each district named."""
    if not districts:
        raise OrganisationError(_l("Choose at least one district."), field="districts")
    for district in districts:
        refuse_if_retired(district, OrganisationError, field="districts")
    organisation = Organisation(name=name.strip(), description=description.strip(),
                                description_html=str(markdown_to_html(description.strip())),
                                contact_email=normalise_email(contact_email), status=PENDING)
    organisation.districts = list(districts)
    organisation.memberships = [Membership(user_id=applicant.id)]
    db.session.add(organisation)
    db.session.flush()
    for district in districts:
        application = OrganisationApplication(organisation_id=organisation.id, district_id=district.id,
                                              author_id=applicant.id)
        db.session.add(application)
        db.session.flush()
        db.session.add(StatusChange(submission_id=application.id, old_status=None, new_status=Status.NEW.value,
                                    actor_id=applicant.id))
    db.session.flush()
    return organisation


def decide(application: OrganisationApplication, approve: bool, reason: str | None, actor: User) -> Organisation:
    """Approve or decline; settles the organisation's applications in every district and tells the applicant."""
    organisation = application.organisation
    if organisation.status != PENDING:
        raise OrganisationError(_l("This organisation has already been decided on."))
    if not approve and not (reason or "").strip():
        raise OrganisationError(_l("Give the reason for declining; the applicant is told."), field="reason")
    organisation.status = APPROVED if approve else DECLINED
    organisation.decline_reason = None if approve else reason.strip()
    organisation.decided_at = utcnow()
    siblings = db.session.scalars(select(OrganisationApplication).where(
        OrganisationApplication.organisation_id == organisation.id))
    for sibling in siblings:
        before = sibling.status
        sibling.status = Status.DONE.value if approve else Status.NOT_PURSUED.value
        db.session.add(StatusChange(submission_id=sibling.id, old_status=before, new_status=sibling.status,
                                    actor_id=actor.id))
    db.session.flush()
    audit.record(actor, "organisation.approve" if approve else "organisation.decline", organisation, [],
                 {"status": (PENDING, organisation.status)})
    applicant = application.author
    if applicant is not None:
        send_mail(applicant.email, applicant.locale, "organisation_decided",
                  _l("Your organisation on Medvirk has been approved") if approve
                  else _l("Your organisation on Medvirk was not approved"),
                  user=applicant, organisation=organisation, approved=approve,
                  link=site_url("organisations.show", organisation_id=organisation.id))
    return organisation


def _require_member(organisation: Organisation, user: User) -> None:
    if organisation.status != APPROVED or not organisation.is_member(user):
        raise PermissionError


def add_member(organisation: Organisation, email: str, actor: User) -> Membership:
    _require_member(organisation, actor)
    person = find_by_email(email)
    if person is None or person.verified_at is None or person.blocked_at is not None:
        raise OrganisationError(
            _l("There is no confirmed account with that address. Ask the person to create an account first."),
            field="email")
    if organisation.is_member(person):
        raise OrganisationError(_l("That person is already a member."), field="email")
    membership = Membership(organisation_id=organisation.id, user_id=person.id)
    db.session.add(membership)
    db.session.flush()
    audit.record(actor, "organisation.add_member", organisation, ["members"])
    return membership


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
