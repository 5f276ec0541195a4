"""Rules for district feedback. Never linked to an account, even when the person is logged in."""
from __future__ import annotations

import secrets
from collections.abc import Sequence

from flask import has_request_context
from sqlalchemy import select

from app.core import robots, settings, throttle
from app.core.i18n import current_locale
from app.core.i18n import lazy_gettext as _l
from app.core.rules import RuleBroken
from app.districts.models import District, EffortArea
from app.districts.services import refuse_if_retired
from app.extensions import db
from app.feedback.models import RATINGS, Feedback
from app.photos import services as photos
from app.photos.processing import ProcessedPhoto
from app.places.location import NOWHERE, Location
from app.submissions.models import StatusChange
from app.translation.detect import language_of

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
# 12 characters, 60 bits: with wrong guesses limited per client (find_by_code) there is no finding one.
# Receipts given before had 8 (40 bits); they still open.
CODE_LENGTH = 12
CODE_LENGTHS = (8, 12)


class FeedbackRefused(RuleBroken):
    """Why a submission was not taken; shown above the form, which keeps what was typed."""


class TooManyGuesses(RuleBroken):
    """Too many wrong receipt codes from this client; ``wait`` is the seconds until it may ask again."""

    def __init__(self, wait: int):
        super().__init__(_l("Too many attempts"), status=429)
        self.wait = wait


def new_receipt_code() -> str:
    return _grouped("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))


def _grouped(raw: str) -> str:
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def normalise_code(code: str) -> str:
    raw = "".join(c for c in code.upper() if c in CODE_ALPHABET)
    return _grouped(raw) if len(raw) in CODE_LENGTHS else ""


def check_not_a_robot(started: str | None, honeypot: str | None, client: str) -> None:
    """Spam checks without a CAPTCHA: a field people cannot see, a minimum fill time, a rate limit."""
    robots.check(started, honeypot, settings.get("FEEDBACK_MIN_SECONDS"),
                 _l("That was very quick, so we could not be sure a person sent it. Check your feedback and press send again."),
                 refuse=FeedbackRefused)
    limit = f"{settings.get('FEEDBACK_PER_HOUR')} per hour"
    if throttle.retry_after(limit, "feedback", client) is not None:
        raise FeedbackRefused(_l("Many messages have been sent from your connection in the last hour. Please wait a while and try again; what you wrote is kept below."), status=429)


def count_photo_attempt(client: str) -> None:
    """Every post of the form with photos counts, sent or refused, against the hourly limit of feedback:
    reading a photo costs the server seconds, so a refused one must not be free to send again and again."""
    limit = f"{settings.get('FEEDBACK_PER_HOUR')} per hour"
    if throttle.retry_after(limit, "feedback-photos", client) is not None:
        raise FeedbackRefused(_l("Many photos have been sent from your connection in the last hour. Please wait a "
                                 "while and try again; what you wrote is kept below, but choose the photos again."),
                              status=429)
    throttle.hit(limit, "feedback-photos", client)


def submit_feedback(district: District, body: str | None, ratings: dict[str, int | None], topic: EffortArea | None,
                    contact_name: str | None, contact_email: str | None, contact_phone: str | None,
                    consent: bool, client: str, location: Location = NOWHERE,
                    pictures: Sequence[tuple[ProcessedPhoto, str]] = (), language: str | None = None) -> Feedback:
    """``pictures``: (processed photo, what it shows) pairs. They are private: the district's moderators
    alone see them, they are never tied to an account (``by=None``, as the feedback is not), and they go
    with the contact details (``app.privacy.services``)."""
    refuse_if_retired(district, FeedbackRefused)
    values = {name: ratings.get(name) for name in RATINGS}
    if not (body or "").strip() and not any(values.values()):
        raise FeedbackRefused(_l("Write something or give at least one rating."))
    feedback = Feedback(
        district_id=district.id,
        author_id=None,
        body=(body or "").strip() or None,
        rating_safety=values["safety"], rating_wellbeing=values["wellbeing"], rating_belonging=values["belonging"],
        suggested_effort_area_id=topic.id if topic else None,
        contact_name=(contact_name or "").strip() or None,
        contact_email=(contact_email or "").strip().lower() or None,
        contact_phone=(contact_phone or "").strip() or None,
        contact_consent=consent,
        receipt_code=new_receipt_code(),
        locale=current_locale() if has_request_context() else "nb",
        language=language_of(body, chosen=language),
        # Personal data like the contact details: moderators of the district only, purged with them.
        location_lat=location.lat, location_lon=location.lon, location_label=location.label,
    )
    db.session.add(feedback)
    db.session.flush()
    db.session.add(StatusChange(submission_id=feedback.id, old_status=None, new_status=feedback.status))
    db.session.flush()
    for position, (processed, alt_text) in enumerate(pictures):
        photos.add_photo(feedback, processed, alt_text=alt_text, by=None, private=True, position=position)
    throttle.hit(f"{settings.get('FEEDBACK_PER_HOUR')} per hour", "feedback", client)
    return feedback


def find_by_code(code: str, client: str | None = None) -> Feedback | None:
    """The feedback behind a receipt code. With ``client`` (a visitor asking), wrong codes are counted,
    and after ``RECEIPT_LOOKUP_FAILURES_PER_HOUR`` of them every lookup is refused with
    ``TooManyGuesses`` for a while, a right one too, so a guess that hits tells nothing."""
    limit = f"{settings.get('RECEIPT_LOOKUP_FAILURES_PER_HOUR')} per hour"
    if client is not None:
        wait = throttle.retry_after(limit, "receipt-guess", client)
        if wait is not None:
            raise TooManyGuesses(wait)
    code = normalise_code(code)
    found = db.session.scalar(select(Feedback).where(Feedback.receipt_code == code)) if code else None
    if found is None and client is not None:
        throttle.hit(limit, "receipt-guess", client)
    return found
