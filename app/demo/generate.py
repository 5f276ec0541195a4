"""Demo content: residents, ideas, supports, comments and feedback spread over the agreement's years,
and volunteer organisations with their events and registrations around today.

``build(scale)`` tops the database up to ``scale`` times the base amounts with
bulk inserts, so ``flask demo --scale 10`` is quick and running it again adds
nothing. Texts come from ``corpus``; dates, districts and states are drawn
from a seeded random generator, so every run builds the same content.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Callable

from sqlalchemy import func, insert, select, text

from app.accounts.models import User
from app.core import secret_links
from app.core.db import OSLO, oslo_month, utcnow
from app.core.permissions import Role
from app.core.sanitize import markdown_to_html, plain_text_to_html
from app.demo import corpus
from app.demo.organisations import ACCESS_NEEDS, ONE_OFFS, ORGANISATIONS, SERIES
from app.demo.places import PLACES
from app.districts.models import District, EffortArea
from app.districts.seed_data import DISTRICTS, EFFORT_AREAS
from app.districts.services import seed
from app.events.models import Event, EventStatus, Registration, RegistrationStatus
from app.events.registration import MANAGE
from app.extensions import db
from app.feedback.models import Feedback
from app.feedback.services import new_receipt_code
from app.ideas import search
from app.ideas.models import Comment, Idea, Support
from app.meeting_places.models import MeetingPlace
from app.organisations.models import Membership, Organisation, OrganisationStatus
from app.submissions.models import Kind, Status, StatusChange, Submission

BASE = {"ideas": 1000, "comments": 3000, "feedback": 2000, "residents": 60, "events": 120, "registrations": 5000}
START = datetime(2024, 1, 8, 9, 0, tzinfo=timezone.utc)
BATCH = 2000
DEMO_DOMAIN = "demo.medvirk.no"
# The demo account that organises for every demo organisation (made by `flask demo`).
ORGANISER_EMAIL = f"arrangor@{DEMO_DOMAIN}"

# (status, share of ideas); the rest stay new. Weighted towards older ideas being further along.
OUTCOMES = ((Status.ROUTED, 0.30), (Status.IN_PROGRESS, 0.12), (Status.ANSWERED, 0.10),
            (Status.DONE, 0.06), (Status.NOT_PURSUED, 0.04))
ANSWERS = {
    Status.ANSWERED: "Takk for innspillet! Vi har tatt det med til bydelsteamet, og det blir tema på neste åpne møte.",
    Status.DONE: "Dette er nå gjennomført. Takk til alle som støttet ideen og bidro med innspill.",
    Status.NOT_PURSUED: "Vi går ikke videre med dette nå. Området eies av andre enn kommunen, men vi har sendt "
                        "innspillet videre til grunneieren.",
    Status.IN_PROGRESS: "Vi har startet arbeidet og kommer tilbake med mer når vi vet tidsplanen.",
}


def prepare_empty_database() -> None:
    """Tables, search index and the agreement's data on an empty database, without migrations
    (for measurements on a throwaway database; real databases use `flask db upgrade`)."""
    db.create_all()
    with db.engine.begin() as conn:
        search.install(conn)
    seed(DISTRICTS, EFFORT_AREAS)
    db.session.flush()


@lru_cache(maxsize=None)
def _markdown(source: str) -> str:
    """The corpus repeats its texts: each is rendered (and cleaned) once, not once a row."""
    return str(markdown_to_html(source))


@lru_cache(maxsize=None)
def _plain(source: str) -> str:
    return str(plain_text_to_html(source))


def _now() -> datetime:
    return utcnow()


def _random_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.randrange(max(1, int((end - start).total_seconds()))))


def _next_id(table) -> int:
    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


def _fix_sequences() -> None:
    """Explicit ids were inserted: move PostgreSQL's sequences past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("users", "submissions", "status_changes", "events"):
        # Safe: the table names are the constants of the loop above.
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"  # nosec B608
        ))


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start:start + BATCH])


def _residents(rng: random.Random, wanted: int) -> list[int]:
    have = db.session.scalars(select(User.id).where(User.email.like(f"resident-%@{DEMO_DOMAIN}"))).all()
    missing = wanted - len(have)
    if missing > 0:
        first = _next_id(User.__table__)
        rows = []
        for n in range(len(have), wanted):
            name = corpus.DISPLAY_NAMES[n % len(corpus.DISPLAY_NAMES)]
            rows.append({
                "id": first + len(rows), "email": f"resident-{n}@{DEMO_DOMAIN}", "display_name": name,
                "password_hash": None, "verified_at": START, "locale": rng.choice(["nb", "nb", "nb", "nn", "en"]),
                "role": Role.RESIDENT, "session_version": 1, "mail_idea_updates": True,
                "mail_followed_events": True, "mail_moderation_digest": True, "created_at": START,
            })
        _insert(User.__table__, rows)
    return list(db.session.scalars(select(User.id).where(User.email.like(f"resident-%@{DEMO_DOMAIN}"))))


def _submission_row(ident: int, kind: Kind, district_id: int, author_id: int | None, created: datetime,
                    status: Status = Status.NEW, area_id: int | None = None, suggested_id: int | None = None) -> dict:
    return {
        "id": ident, "kind": kind.value, "district_id": district_id, "author_id": author_id,
        "status": status.value, "effort_area_id": area_id, "suggested_effort_area_id": suggested_id,
        "created_at": created, "created_month": oslo_month(created), "updated_at": created,
        "held_at": None, "hidden_at": None, "hidden_reason": None, "hidden_by_reports": False,
        "withdrawn_at": None, "edited_by_moderator_at": None, "version": 1,
    }


def _pick_outcome(rng: random.Random, age_share: float) -> Status:
    roll = rng.random() * (0.6 + 0.6 * age_share)  # older ideas have come further
    for status, share in OUTCOMES:
        if roll < share:
            return status
        roll -= share
    return Status.NEW


def build(scale: int = 1, progress: Callable[[str, int], None] | None = None, seed: int = 2024,
          amounts: dict[str, int] | None = None) -> dict[str, int]:
    """Top the database up to ``scale`` times the base amounts (or to ``amounts``). Returns how many rows were added."""
    target = {kind: (amounts or {}).get(kind, BASE[kind] * scale)
              for kind in ("ideas", "comments", "feedback", "events", "registrations")}
    rng = random.Random(seed + scale)
    now = _now()
    report = progress or (lambda _label, _n: None)
    districts = {d.slug: d.id for d in db.session.scalars(select(District))}
    areas = {a.number: a.id for a in db.session.scalars(select(EffortArea))}
    if not districts or not areas:
        raise RuntimeError("Run 'flask seed' before 'flask demo'.")
    residents = _residents(rng, BASE["residents"])
    added = {"ideas": 0, "comments": 0, "supports": 0, "feedback": 0, "places": 0}

    # Ideas, their history and supports.
    missing = target["ideas"] - db.session.scalar(select(func.count(Idea.id)))
    if missing > 0:
        next_sub, next_change = _next_id(Submission.__table__), _next_id(StatusChange.__table__)
        subs, ideas, changes, supports = [], [], [], []
        for n in range(missing):
            source = corpus.IDEAS[n % len(corpus.IDEAS)]
            created = _random_moment(rng, START, now - timedelta(hours=2))
            age_share = (now - created) / (now - START)
            status = _pick_outcome(rng, age_share)
            area_id = areas[source["area"]] if status != Status.NEW else None
            ident = next_sub + n
            author = rng.choice(residents)
            district_id = districts[source["district"]] if n < len(corpus.IDEAS) else districts[rng.choice(list(districts))]
            subs.append(_submission_row(ident, Kind.IDEA, district_id, author, created, status, area_id,
                                        areas[source["area"]] if rng.random() < 0.4 else None))
            title = source["title"] if n < len(corpus.IDEAS) else f"{source['title']} ({n // len(corpus.IDEAS) + 1})"
            backers = rng.sample(residents, k=min(len(residents), int(rng.expovariate(1 / 6))))
            backers = [b for b in backers if b != author]
            ideas.append({"id": ident, "title": title[:120], "body": source["body"],
                          "body_html": _markdown(source["body"]), "support_count": len(backers),
                          "duplicate_of_id": None, "language": source["lang"]})
            supported_at = min(now, created + timedelta(days=1))
            supports.extend({"idea_id": ident, "user_id": b, "created_at": supported_at,
                             "created_month": oslo_month(supported_at)} for b in backers)
            changes.append({"id": next_change + len(changes), "submission_id": ident, "old_status": None,
                            "new_status": Status.NEW, "effort_area_id": None, "actor_id": author,
                            "public_answer": None, "public_answer_html": None, "created_at": created})
            if status != Status.NEW:
                routed_at = min(now, created + timedelta(days=rng.randint(1, 20)))
                changes.append({"id": next_change + len(changes), "submission_id": ident, "old_status": "new",
                                "new_status": Status.ROUTED, "effort_area_id": area_id, "actor_id": None,
                                "public_answer": None, "public_answer_html": None, "created_at": routed_at})
                if status != Status.ROUTED:
                    answer = ANSWERS.get(status)
                    changes.append({"id": next_change + len(changes), "submission_id": ident, "old_status": "routed",
                                    "new_status": status.value, "effort_area_id": area_id, "actor_id": None,
                                    "public_answer": answer, "public_answer_html": _markdown(answer),
                                    "created_at": min(now, routed_at + timedelta(days=rng.randint(3, 60)))})
            if n % BATCH == BATCH - 1:
                report("ideas", BATCH)
        _insert(Submission.__table__, subs)
        _insert(Idea.__table__, ideas)
        _insert(StatusChange.__table__, changes)
        _insert(Support.__table__, supports)
        report("ideas", missing % BATCH)
        added["ideas"], added["supports"] = missing, len(supports)

    # Comments on existing ideas.
    missing = target["comments"] - db.session.scalar(select(func.count(Comment.id)))
    if missing > 0:
        idea_rows = db.session.execute(select(Idea.id, Idea.district_id, Idea.created_at)).all()
        next_sub = _next_id(Submission.__table__)
        subs, comments = [], []
        for n in range(missing):
            idea_id, district_id, idea_created = rng.choice(idea_rows)
            source = corpus.COMMENTS[n % len(corpus.COMMENTS)]
            created = _random_moment(rng, idea_created, now) if idea_created < now else now
            ident = next_sub + n
            subs.append(_submission_row(ident, Kind.COMMENT, district_id, rng.choice(residents), created))
            comments.append({"id": ident, "idea_id": idea_id, "body": source["text"],
                             "body_html": _plain(source["text"]), "language": source["lang"]})
            if n % BATCH == BATCH - 1:
                report("comments", BATCH)
        _insert(Submission.__table__, subs)
        _insert(Comment.__table__, comments)
        report("comments", missing % BATCH)
        added["comments"] = missing

    # Feedback: never linked to an account.
    missing = target["feedback"] - db.session.scalar(select(func.count(Feedback.id)))
    if missing > 0:
        next_sub, next_change = _next_id(Submission.__table__), _next_id(StatusChange.__table__)
        subs, feedback, changes, codes = [], [], [], set()
        for n in range(missing):
            source = corpus.FEEDBACK[n % len(corpus.FEEDBACK)]
            created = _random_moment(rng, START, now)
            status = Status.ROUTED if rng.random() < 0.6 else Status.NEW
            area_id = areas[source["area"]] if source["area"] and status != Status.NEW else None
            ident = next_sub + n
            district_id = districts[source["district"]] if n < len(corpus.FEEDBACK) else districts[rng.choice(list(districts))]
            subs.append(_submission_row(ident, Kind.FEEDBACK, district_id, None, created, status, area_id,
                                        areas[source["area"]] if source["area"] else None))
            changes.append({"id": next_change + len(changes), "submission_id": ident, "old_status": None,
                            "new_status": Status.NEW, "effort_area_id": None, "actor_id": None,
                            "public_answer": None, "public_answer_html": None, "created_at": created})
            if area_id is not None:
                changes.append({"id": next_change + len(changes), "submission_id": ident, "old_status": "new",
                                "new_status": Status.ROUTED, "effort_area_id": area_id, "actor_id": None,
                                "public_answer": None, "public_answer_html": None,
                                "created_at": min(now, created + timedelta(days=rng.randint(1, 14)))})
            code = new_receipt_code()
            while code in codes:
                code = new_receipt_code()
            codes.add(code)
            safety, wellbeing, belonging = source["ratings"]
            feedback.append({"id": ident, "body": source["text"] or None, "rating_safety": safety,
                             "rating_wellbeing": wellbeing, "rating_belonging": belonging, "contact_name": None,
                             "contact_email": None, "contact_phone": None, "contact_consent": False,
                             "receipt_code": code, "locale": source["lang"]})
            if n % BATCH == BATCH - 1:
                report("feedback", BATCH)
        _insert(Submission.__table__, subs)
        _insert(Feedback.__table__, feedback)
        _insert(StatusChange.__table__, changes)
        report("feedback", missing % BATCH)
        added["feedback"] = missing

    added["places"] = _places(districts)
    db.session.flush()
    added.update(_events(target["events"], target["registrations"], residents, seed, now, report))
    _fix_sequences()
    db.session.flush()
    if any(added.values()):
        _analyze()
    return added


def _analyze() -> None:
    """Fresh planner statistics after a bulk load: without them PostgreSQL plans the idea list
    as if the tables were empty and takes minutes over a page."""
    if db.engine.dialect.name in ("postgresql", "sqlite"):
        db.session.execute(text("ANALYZE"))


def _places(districts: dict[str, int]) -> int:
    """The demo meeting places, once."""
    existing = set(db.session.scalars(select(MeetingPlace.name)))
    added = 0
    for place in PLACES:
        if place["name"] in existing:
            continue
        values = {k: v for k, v in place.items() if k != "district"}
        db.session.add(MeetingPlace(district_id=districts[place["district"]],
                                    description_html=str(markdown_to_html(values["description"])), **values))
        added += 1
    return added


def _organisations() -> tuple[dict[str, int], int]:
    """The demo organisations, once: approved, with the demo organiser as a member of each."""
    names = [spec["name"] for spec in ORGANISATIONS]
    existing = {o.name: o for o in db.session.scalars(select(Organisation).where(Organisation.name.in_(names)))}
    organiser = db.session.scalar(select(User.id).where(User.email == ORGANISER_EMAIL))
    by_slug = {d.slug: d for d in db.session.scalars(select(District))}
    added = 0
    for spec in ORGANISATIONS:
        organisation = existing.get(spec["name"])
        if organisation is None:
            organisation = Organisation(name=spec["name"], description=spec["description"],
                                        description_html=str(markdown_to_html(spec["description"])),
                                        contact_email=spec["contact_email"], status=OrganisationStatus.APPROVED,
                                        created_at=START, decided_at=START)
            organisation.districts = [by_slug[slug] for slug in spec["districts"]]
            db.session.add(organisation)
            existing[spec["name"]] = organisation
            added += 1
        if organiser is not None and not any(m.user_id == organiser for m in organisation.memberships):
            organisation.memberships.append(Membership(user_id=organiser))
    db.session.flush()
    return {name: o.id for name, o in existing.items()}, added


# How big a party registers, by audience: families come several together, pupils alone.
PARTY_WEIGHTS = {"families": (25, 45, 18, 9, 3), "youth": (90, 8, 2, 0, 0)}
USUAL_PARTY = (78, 14, 5, 2, 1)
PARTY_SIZES = (1, 2, 3, 4, 5)


def _plan_events(rng: random.Random, missing: int, today: date) -> list[tuple[dict, date, str | None, float]]:
    """What to add: weekly runs of the series (up to 26 weeks, like the event form) and one-offs,
    from about eleven months back to a few months ahead. Each with how popular it is."""
    plans = []
    while len(plans) < missing:
        if rng.random() < 0.25:      # a run adds about 17 occurrences: about one event in seven is a one-off
            spec = rng.choice(SERIES)
            first = today + timedelta(days=rng.randint(-330, 60))
            first += timedelta(days=(spec["weekday"] - first.weekday()) % 7)
            series_id = f"{rng.getrandbits(128):032x}"
            popularity = rng.uniform(0.6, 1.4)
            for week in range(min(rng.randint(8, 26), missing - len(plans))):
                plans.append((spec, first + timedelta(weeks=week), series_id, popularity * rng.uniform(0.8, 1.2)))
        else:
            spec = rng.choice(ONE_OFFS)
            day = today + timedelta(days=rng.randint(-330, 75))
            while day.month not in spec.get("months", range(1, 13)):
                day = today + timedelta(days=rng.randint(-330, 75))
            plans.append((spec, day, None, rng.uniform(0.7, 1.3)))
    return plans


def _shares(weights: list[float], total: int) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), so the sum is exact."""
    exact = [w * total / sum(weights) for w in weights]
    shares = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: shares[i] - exact[i])[:total - sum(shares)]:
        shares[i] += 1
    return shares


def _guest(k: int) -> dict:
    """Guest number ``k``: the same person every time the demo picks them."""
    return {"name": corpus.DISPLAY_NAMES[k % len(corpus.DISPLAY_NAMES)], "email": f"gjest-{k}@{DEMO_DOMAIN}",
            "phone": f"9{k:07d}", "locale": ("nb", "nb", "nb", "nn", "en")[k % 5]}


def _events(target_events: int, target_registrations: int, residents: list[int], seed: int, now: datetime,
            report: Callable[[str, int], None]) -> dict[str, int]:
    """Demo organisations' events at the demo meeting places, topped up to ``target_events``, with
    registrations in proportion. Seats follow the registration rules: in the order people joined,
    a party is confirmed while it fits and waits otherwise, so ``seats_taken`` is the sum of the
    confirmed parties and never above the capacity."""
    organisations, added_organisations = _organisations()
    have = db.session.scalar(select(func.count(Event.id)).where(Event.organisation_id.in_(organisations.values())))
    missing = target_events - have
    added = {"organisations": added_organisations, "events": 0, "registrations": 0}
    if missing <= 0:
        return added
    rng = random.Random(seed * 7919 + have)
    places = {p.name: p for p in db.session.scalars(select(MeetingPlace))}
    areas = {a.number: a.id for a in db.session.scalars(select(EffortArea))}
    district_ids = dict(db.session.execute(select(District.slug, District.id)).all())
    organiser = db.session.scalar(select(User.id).where(User.email == ORGANISER_EMAIL))
    locales = dict(db.session.execute(select(User.id, User.locale).where(User.id.in_(residents))).all())
    guests = max(600, target_registrations // 15)   # a guest comes about fifteen times
    plans = _plan_events(rng, missing, now.astimezone(OSLO).date())
    wanted = _shares([spec["turnout"] * popularity for spec, _day, _series, popularity in plans],
                     round(missing * target_registrations / max(1, target_events)))
    confirmed, waitlisted, cancelled = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                                         RegistrationStatus.CANCELLED)
    regulars: dict[str, list[int]] = {}
    html = {}
    next_event = _next_id(Event.__table__)
    events, registrations = [], []

    for (spec, day, series_id, _popularity), count in zip(plans, wanted, strict=True):
        ident = next_event + len(events)
        starts = datetime.combine(day, time(*spec["time"]), tzinfo=OSLO).astimezone(timezone.utc)
        ends = starts + timedelta(hours=spec["hours"])
        created = min(starts - timedelta(days=rng.randint(10, 45)), now - timedelta(hours=1))
        deadline = starts - timedelta(days=1) if series_id is None and rng.random() < 0.5 else None
        event_cancelled = rng.random() < 0.02
        place = places.get(spec.get("place"))
        capacity = spec["capacity"]
        party_weights = spec.get("party") or PARTY_WEIGHTS.get(spec["audience"], USUAL_PARTY)
        if spec["description"] not in html:
            html[spec["description"]] = str(markdown_to_html(spec["description"]))

        # Who registers: some residents with accounts, guests (mostly the series' regulars), a few by phone.
        count = min(count, len(residents) + guests)
        from_accounts = min(len(residents), round(count * rng.uniform(0.05, 0.25)))
        by_phone = round((count - from_accounts) * 0.04)
        pool = regulars.setdefault(series_id or f"one-{ident}",
                                   rng.sample(range(guests), min(guests, spec["turnout"] * 3)))
        chosen = set(rng.sample(pool, min(len(pool), (count - from_accounts) * 4 // 5)))
        while len(chosen) < count - from_accounts:
            chosen.add(rng.randrange(guests))
        people = [("account", user_id) for user_id in rng.sample(residents, from_accounts)]
        people += [("phone" if n < by_phone else "guest", k) for n, k in enumerate(chosen)]
        rng.shuffle(people)

        open_until = min(deadline or starts, now)
        moments = sorted(created + (open_until - created) * rng.random() for _ in people)
        taken = 0
        ended = ends <= now
        attendance_taken = ended and not event_cancelled and rng.random() < 0.6
        for (kind, who), queued in zip(people, moments, strict=True):
            party = rng.choices(PARTY_SIZES, party_weights)[0]
            if rng.random() < 0.07:
                status = cancelled
            elif capacity is None or taken + party <= capacity:
                status, taken = confirmed, taken + party
            else:
                status = waitlisted
            guest = _guest(who) if kind != "account" else None
            attended = None
            if attendance_taken and status == confirmed:
                attended = rng.random() < 0.88
            elif attendance_taken and status == waitlisted and rng.random() < 0.1:
                attended = True   # came anyway and got a seat at the door
            # Past events had their reminder from the hourly cron; upcoming ones are left for
            # `flask events send-reminders` to show.
            reminded = max(queued, starts - timedelta(hours=24)) + timedelta(minutes=30)
            nonce = secret_links.new_nonce()
            registrations.append({
                "event_id": ident, "user_id": who if kind == "account" else None,
                "name": guest["name"] if guest else None,
                "email": guest["email"] if kind == "guest" else None,
                "phone": guest["phone"] if kind == "phone" else None,
                "party_size": party,
                "access_needs": rng.choice(ACCESS_NEEDS)
                if not ended and status != cancelled and rng.random() < 0.03 else None,
                "status": status, "queued_at": queued,
                "confirmed_at": queued if status == confirmed else None,
                "cancelled_at": queued + (open_until - queued) * rng.random()
                if status == cancelled else None,
                "attended": attended, "added_by_organiser": kind == "phone",
                "locale": locales.get(who, "nb") if kind == "account" else guest["locale"],
                "token_nonce": nonce,
                "token_hash": secret_links.digest(secret_links.token_for(MANAGE, nonce)),
                "reminder_sent_at": reminded if status == confirmed and kind != "phone"
                and not event_cancelled and starts <= now and reminded < starts else None,
                "created_at": queued,
            })
        events.append({
            "id": ident, "organisation_id": organisations[spec["organisation"]],
            "district_id": place.district_id if place else district_ids[spec["district"]],
            "meeting_place_id": place.id if place else None, "address": "" if place else spec["address"],
            "title": spec["title"], "description": spec["description"], "description_html": html[spec["description"]],
            "starts_at": starts, "ends_at": ends, "starts_month": oslo_month(starts), "capacity": capacity,
            "seats_taken": taken, "registration_deadline": deadline, "effort_area_id": areas.get(spec["area"]),
            "languages": spec["languages"], "audience": spec["audience"], "series_id": series_id,
            "status": EventStatus.CANCELLED if event_cancelled else EventStatus.PUBLISHED,
            "decline_reason": None, "cancelled_at": min(now, starts - timedelta(days=1)) if event_cancelled else None,
            "created_by_id": organiser, "created_at": created, "updated_at": created, "registrations_folded_at": None,
        })
        if len(registrations) >= BATCH or len(events) == len(plans):
            # The events first: their registrations point at them.
            _insert(Event.__table__, events[added["events"]:])
            _insert(Registration.__table__, registrations)
            report("registrations", len(registrations))
            added["events"], added["registrations"] = len(events), added["registrations"] + len(registrations)
            registrations.clear()
    return added
