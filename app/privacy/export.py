"""Everything Medvirk holds about one person, as one JSON document (the right of access, GDPR art. 15).

One statement per kind of data, whatever the amount. The photos on their ideas are listed with each
idea: what it shows, and a link to the file at its largest (JPEG, which anything opens); the links
work for them while they are signed in, also for a photo waiting for a check or hidden. Photos sent
with feedback are not: only the district's moderators may open those. What is about the person but
was not made through the account is included where it carries their (verified)
email address: guest registrations and follows, mail sent to them, and feedback
on which they left it as contact.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.db import iso_utc, same_email, utcnow
from app.core.models import AuditEntry, OutboxMessage
from app.core.urls import site_url
from app.events.models import Registration
from app.extensions import db
from app.feedback.models import Feedback
from app.follows.models import Follow
from app.ideas.models import Comment, CommentRevision, Idea, Support
from app.organisations.models import Membership
from app.photos.models import Photo
from app.submissions.models import Report, ReviewRequest


def _submission(item) -> dict:
    return {"id": item.id, "district": item.district.slug, "status": item.status,
            "effort_area": item.effort_area.number if item.effort_area else None,
            "created_at": iso_utc(item.created_at), "withdrawn_at": iso_utc(item.withdrawn_at),
            "hidden_at": iso_utc(item.hidden_at), "hidden_reason": item.hidden_reason}


def _place(item) -> dict | None:
    if item.location_label is None and item.location_lat is None:
        return None
    return {"label": item.location_label, "latitude": item.location_lat, "longitude": item.location_lon}


def registration_data(r: Registration) -> dict:
    """One registration as its person may download it (also a guest, through their link)."""
    return {
        "event": r.event_id, "title": r.event.title, "starts_at": iso_utc(r.event.starts_at), "status": r.status,
        "party_size": r.party_size, "name": r.name, "email": r.email, "phone": r.phone,
        "access_needs": r.access_needs, "attended": r.attended, "created_at": iso_utc(r.created_at),
    }


def personal_data(user: User) -> dict:
    verified = user.verified_at is not None
    ideas = db.session.scalars(select(Idea).where(Idea.author_id == user.id)
                               .options(joinedload(Idea.effort_area)).order_by(Idea.id)).unique()
    comments = db.session.scalars(select(Comment).where(Comment.author_id == user.id).order_by(Comment.id))
    idea_photos: dict[int, list[dict]] = {}
    for photo in db.session.scalars(select(Photo).join(Idea, Idea.id == Photo.submission_id)
                                    .where(Idea.author_id == user.id).order_by(Photo.position, Photo.id)):
        idea_photos.setdefault(photo.submission_id or 0, []).append({
            "description": photo.alt_text, "width": photo.width, "height": photo.height,
            "file": site_url("photos.show", key=photo.key, width=max(photo.width_list), ext="jpg"),
            "waiting_for_check": photo.held_at is not None, "hidden": photo.hidden_at is not None,
            "created_at": iso_utc(photo.created_at)})
    # What their comments said before they changed them: theirs too, in one query.
    earlier: dict[int, list[dict]] = {}
    for revision in db.session.scalars(select(CommentRevision).join(Comment, Comment.id == CommentRevision.comment_id)
                                       .where(Comment.author_id == user.id).order_by(CommentRevision.id)):
        earlier.setdefault(revision.comment_id, []).append(
            {"text": revision.body, "replaced_at": iso_utc(revision.replaced_at)})
    supports = db.session.execute(select(Support.idea_id, Support.created_at, Idea.title)
                                  .join(Idea, Idea.id == Support.idea_id)
                                  .where(Support.user_id == user.id).order_by(Support.created_at))
    reports = db.session.scalars(select(Report).where(Report.reporter_id == user.id).order_by(Report.id))
    reviews = db.session.scalars(select(ReviewRequest).where(ReviewRequest.author_id == user.id)
                                 .order_by(ReviewRequest.id))
    mine_by_address = verified  # an address not yet confirmed may not be theirs
    registrations = db.session.scalars(
        select(Registration).options(joinedload(Registration.event))
        .where(or_(Registration.user_id == user.id,
                   same_email(Registration.email, user.email) if mine_by_address else False))
        .order_by(Registration.id)).unique()
    follows = db.session.scalars(
        select(Follow).options(joinedload(Follow.meeting_place), joinedload(Follow.organisation))
        .where(or_(Follow.user_id == user.id, same_email(Follow.email, user.email) if mine_by_address else False))
        .order_by(Follow.id)).unique()
    mail = db.session.scalars(select(OutboxMessage).where(same_email(OutboxMessage.recipient, user.email))
                              .order_by(OutboxMessage.id)) if mine_by_address else []
    feedback = db.session.scalars(select(Feedback).where(same_email(Feedback.contact_email, user.email))
                                  .order_by(Feedback.id)) if mine_by_address else []
    memberships = db.session.scalars(select(Membership).options(joinedload(Membership.organisation))
                                     .where(Membership.user_id == user.id)).unique()
    actions = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == user.id).order_by(AuditEntry.id))
    return {
        "exported_at": iso_utc(utcnow()),
        "profile": {
            "email": user.email, "pending_email": user.pending_email, "display_name": user.display_name,
            "language": user.locale, "role": user.role, "districts_moderated": [d.slug for d in user.districts],
            "created_at": iso_utc(user.created_at), "verified_at": iso_utc(user.verified_at),
            "last_login_at": iso_utc(user.last_login_at), "blocked_at": iso_utc(user.blocked_at),
            # That it is on, not the secret or the recovery codes: a download can be left lying about.
            "two_step_login_since": iso_utc(user.totp_confirmed_at),
            "mail": {"idea_updates": user.mail_idea_updates, "followed_events": user.mail_followed_events,
                     "moderation_digest": user.mail_moderation_digest},
        },
        "ideas": [_submission(i) | {"title": i.title, "text": i.body, "language": i.language, "place": _place(i),
                                    "photos": idea_photos.get(i.id, [])} for i in ideas],
        "comments": [_submission(c) | {"idea": c.idea_id, "text": c.body, "language": c.language,
                                       "edited_at": iso_utc(c.edited_at), "earlier_texts": earlier.get(c.id, [])}
                     for c in comments],
        "supports": [{"idea": row.idea_id, "title": row.title, "created_at": iso_utc(row.created_at)}
                     for row in supports],
        "reports": [{"id": r.id, "about": r.target_id, "reason": r.reason, "details": r.details,
                     "status": r.status, "created_at": iso_utc(r.created_at)} for r in reports],
        "review_requests": [{"id": r.id, "about": r.target_id, "message": r.message, "status": r.status,
                             "created_at": iso_utc(r.created_at)} for r in reviews],
        "registrations": [registration_data(r) for r in registrations],
        "follows": [{
            "meeting_place": f.meeting_place.name if f.meeting_place else None,
            "organisation": f.organisation.name if f.organisation else None, "email": f.email,
            "confirmed_at": iso_utc(f.confirmed_at), "created_at": iso_utc(f.created_at),
        } for f in follows],
        "organisations": [{"organisation": m.organisation.name, "member_since": iso_utc(m.created_at)}
                          for m in memberships],
        "mail_sent_to_you": [{"subject": m.subject, "text": m.body, "status": m.status,
                              "created_at": iso_utc(m.created_at), "sent_at": iso_utc(m.sent_at)} for m in mail],
        "feedback_with_your_address": [{
            "receipt_code": f.receipt_code, "district": f.district.slug, "text": f.body, "status": f.status,
            "ratings": {"safety": f.rating_safety, "wellbeing": f.rating_wellbeing, "belonging": f.rating_belonging},
            "contact": {"name": f.contact_name, "email": f.contact_email, "phone": f.contact_phone},
            "place": _place(f),
            "created_at": iso_utc(f.created_at),
        } for f in feedback],
        "your_actions_as_staff": [{"action": a.action, "target": f"{a.target_type}:{a.target_id}",
                                   "fields": a.changed_fields, "at": iso_utc(a.created_at)} for a in actions],
    }
