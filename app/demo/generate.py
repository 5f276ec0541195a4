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
from typing import Any, Callable

from sqlalchemy import func, insert, select, text, update

from app.accounts.models import User
from app.core import secret_links
from app.core.db import OSLO, oslo_month, utcnow
from app.core.permissions import Role
from app.core.sanitize import markdown_to_html, plain_text_to_html
from app.demo import corpus
from app.demo.organisations import ACCESS_NEEDS, ONE_OFFS, ORGANISATIONS, SERIES
from app.demo.places import PLACES, SPOT_SPREAD, SPOTS, STREETS
from app.demo.surveys import build_survey
from app.districts.models import District, EffortArea
from app.districts.seed_data import DISTRICTS, EFFORT_AREAS
from app.districts.services import seed
from app.events.models import Event, EventStatus, EventTranslation, Registration, RegistrationStatus
from app.events.registration import MANAGE
from app.extensions import db
from app.feedback.models import Feedback
from app.feedback.services import new_receipt_code
from app.follows.models import Follow
from app.follows.services import PURPOSE as FOLLOW_PURPOSE
from app.ideas import search, tallies
from app.ideas.models import Comment, Idea, Support
from app.meeting_places.models import MeetingPlace
from app.organisations.models import Membership, Organisation, OrganisationStatus
from app.submissions.models import Kind, Status, StatusChange, Submission
from app.translation.detect import language_of

PLACE_DISTRICTS = {place["name"]: place["district"] for place in PLACES}
BASE = {"ideas": 1000, "comments": 3000, "feedback": 2000, "residents": 60, "events": 120, "registrations": 5000}
START = datetime(2024, 1, 8, 9, 0, tzinfo=timezone.utc)
BATCH = 2000
DEMO_DOMAIN = "demo.medvirk.no"
# Moderators can mark an item urgent where the submissions table has the column.
URGENT_COLUMN = "urgent" in Submission.__table__.c
# The demo account that organises for every demo organisation (made by `flask demo`).
ORGANISER_EMAIL = f"arrangor@{DEMO_DOMAIN}"
# The demo resident people log in as (made by `flask demo`): their "My page" should show what a
# resident who takes part has, not an empty page.
RESIDENT_EMAIL = f"beboer@{DEMO_DOMAIN}"

# How much of what came in at a given age still waits for a moderator: a working team routes most
# items within days and nothing waits for months. Public ideas and feedback with ratings only (nothing
# to read) go quickly; written feedback takes longer. (age limit in days, share waiting)
QUICK = ((1, 0.6), (4, 0.25), (30, 0.05))
WAITING_BY_AGE = {"quick": QUICK, "written": ((3, 0.9), (14, 0.85), (45, 0.6))}
# Where a text touches two areas a moderator sometimes picks the neighbouring one: education and
# youth lie between 1 and 2, meeting places between 2 and 3, and 4's measurements serve participation.
SECOND_CHOICE = {1: 2, 2: 3, 3: 2, 4: 1}
SECOND_CHOICE_SHARE = 0.04
# What becomes of a routed idea once its area has had time to look at it (weights).
PROGRESS = {Status.IN_PROGRESS: 30, Status.ANSWERED: 35, Status.DONE: 22, Status.NOT_PURSUED: 13}
# Public answers are written in Bokmål, Nynorsk and English, as the answer form asks; {team}, {where}
# and {month} are filled in. Plain language: short sentences, "vi" for the municipality.
TEAMS = {
    "nb": {1: "dem i kommunen som jobber med skole, arbeid og deltakelse",
           2: "dem i kommunen som jobber med frivillighet og nabolag",
           3: "dem i kommunen som jobber med boliger, gater og parker",
           4: "forskerne som følger områdesatsingen"},
    "nn": {1: "dei i kommunen som jobbar med skule, arbeid og deltaking",
           2: "dei i kommunen som jobbar med frivilligheit og nabolag",
           3: "dei i kommunen som jobbar med bustader, gater og parkar",
           4: "forskarane som følgjer områdesatsinga"},
    "en": {1: "the municipality's team for school, work and taking part",
           2: "the municipality's team for volunteering and neighbourhoods",
           3: "the municipality's team for housing, streets and parks",
           4: "the researchers who follow the area programme"},
}
WHERE = {
    "nb": {"lademoen": "på Lademoen", "tempe-sorgenfri": "i Tempe-Sorgenfri", "mollenberg": "på Møllenberg"},
    "nn": {"lademoen": "på Lademoen", "tempe-sorgenfri": "i Tempe-Sorgenfri", "mollenberg": "på Møllenberg"},
    "en": {"lademoen": "in Lademoen", "tempe-sorgenfri": "in Tempe-Sorgenfri", "mollenberg": "in Møllenberg"},
}
MONTHS = {
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "desember"),
    "nn": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
ANSWERS: dict[Status, tuple[dict[str, str], ...]] = {
    Status.IN_PROGRESS: (
        {"nb": "Takk for forslaget. Vi har begynt å se på dette sammen med {team}. Vi skriver her igjen når vi "
               "vet mer om når det kan skje.",
         "nn": "Takk for forslaget. Vi har byrja å sjå på dette saman med {team}. Vi skriv her att når vi veit "
               "meir om når det kan skje.",
         "en": "Thank you for the idea. We have started looking at it with {team}. We will write here again when "
               "we know more about when it can happen."},
        {"nb": "Vi jobber med saken. Først vil vi snakke med noen av dem som bor {where}. Følg ideen, så får du "
               "beskjed når noe skjer.",
         "nn": "Vi jobbar med saka. Først vil vi snakke med nokre av dei som bur {where}. Følg ideen, så får du "
               "beskjed når noko skjer.",
         "en": "We are working on it. First we want to talk to some of the people who live {where}. Follow the "
               "idea and we will tell you when something happens."},
        {"nb": "Vi har satt av tid til dette i {month}. Vi snakker med naboene før vi bestemmer noe.",
         "nn": "Vi har sett av tid til dette i {month}. Vi snakkar med naboane før vi bestemmer noko.",
         "en": "We have set aside time for this in {month}. We will talk to the neighbours before we decide "
               "anything."},
    ),
    Status.ANSWERED: (
        {"nb": "Takk for innspillet! Bydelsteamet har lest det, og vi tar det opp på det åpne møtet {where} i "
               "{month}. Alle er velkomne.",
         "nn": "Takk for innspelet! Bydelsteamet har lese det, og vi tek det opp på det opne møtet {where} i "
               "{month}. Alle er velkomne.",
         "en": "Thank you for the idea! The district team has read it, and we will bring it up at the open "
               "meeting {where} in {month}. Everyone is welcome."},
        {"nb": "Takk! Vi har sendt forslaget til {team}. De har ansvaret for dette og svarer her når de har sett "
               "på det.",
         "nn": "Takk! Vi har sendt forslaget til {team}. Dei har ansvaret for dette og svarer her når dei har sett "
               "på det.",
         "en": "Thank you! We have sent the idea to {team}. They are in charge of this and will answer here when "
               "they have looked at it."},
        {"nb": "Flere har foreslått noe lignende. Vi samler forslagene og legger dem fram for styringsgruppa i "
               "{month}.",
         "nn": "Fleire har foreslått noko liknande. Vi samlar forslaga og legg dei fram for styringsgruppa i "
               "{month}.",
         "en": "Several people have suggested something similar. We are collecting the ideas and will put them "
               "to the steering group in {month}."},
    ),
    Status.DONE: (
        {"nb": "Nå er dette gjort. Takk til alle som støttet ideen og kom med gode innspill underveis.",
         "nn": "No er dette gjort. Takk til alle som støtta ideen og kom med gode innspel undervegs.",
         "en": "This is now done. Thank you to everyone who supported the idea and gave good advice along the "
               "way."},
        {"nb": "Dette er på plass {where}. Si gjerne fra her hvis noe ikke virker som det skal.",
         "nn": "Dette er på plass {where}. Sei gjerne frå her dersom noko ikkje verkar som det skal.",
         "en": "This is now in place {where}. Please tell us here if something does not work as it should."},
        {"nb": "Ferdig! Vi prøver det ut et halvt år og spør naboene hva de synes før vi bestemmer om det blir "
               "fast.",
         "nn": "Ferdig! Vi prøver det ut eit halvt år og spør naboane kva dei synest før vi bestemmer om det blir "
               "fast.",
         "en": "Done! We will try it for six months and ask the neighbours what they think before we decide "
               "whether it stays."},
    ),
    Status.NOT_PURSUED: (
        {"nb": "Vi går ikke videre med dette nå. Området eies ikke av kommunen, men vi har sendt forslaget videre "
               "til grunneieren.",
         "nn": "Vi går ikkje vidare med dette no. Kommunen eig ikkje området, men vi har sendt forslaget vidare "
               "til grunneigaren.",
         "en": "We are not taking this further for now. The municipality does not own the land, but we have "
               "passed the idea on to the landowner."},
        {"nb": "Dette får vi ikke til i år, fordi pengene i områdesatsingen allerede er fordelt. Vi tar forslaget "
               "med når vi planlegger neste år.",
         "nn": "Dette får vi ikkje til i år, fordi pengane i områdesatsinga alt er fordelte. Vi tek forslaget med "
               "når vi planlegg neste år.",
         "en": "We cannot do this this year, because the area programme's money has already been shared out. "
               "We will take the idea with us when we plan next year."},
        {"nb": "Det finnes allerede et lignende tilbud på biblioteket. Vi har bedt dem gjøre det bedre kjent "
               "{where}.",
         "nn": "Det finst alt eit liknande tilbod på biblioteket. Vi har bede dei gjere det betre kjent {where}.",
         "en": "There is already something similar at the library. We have asked them to make it better known "
               "{where}."},
    ),
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
    for table in ("users", "submissions", "status_changes", "events", "survey_answer_sets"):
        # Safe: the table names are the constants of the loop above.
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"  # nosec B608
        ))


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start:start + BATCH])


def _insert_new(tables: tuple[tuple[Any, list[dict]], ...], inserted: dict[str, int]) -> None:
    """Inserts the rows added to each table's list since the last call, the tables in the order given
    (so rows are written as they are made, and a progress bar moves while they are)."""
    for table, rows in tables:
        _insert(table, rows[inserted.get(table.name, 0):])
        inserted[table.name] = len(rows)


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
        "location_lat": None, "location_lon": None, "location_label": None,
    }


def _awake(moment: datetime, now: datetime) -> datetime:
    """People write between morning and midnight: a moment in the small hours moves to the morning."""
    local = moment.astimezone(OSLO)
    if local.hour < 7:
        morning = moment + timedelta(hours=8)
        if morning <= now - timedelta(minutes=5):
            return morning
        # That morning has not come yet (the demo is built at dawn): the evening before instead.
        return (local - timedelta(days=1)).replace(hour=22).astimezone(moment.tzinfo)
    return moment


def _created(rng: random.Random, now: datetime) -> datetime:
    """When an item came in: more often lately, as the programme became known (use grows over the years,
    and the last six weeks, with the events and posters around the districts, brought a good many)."""
    if rng.random() < 0.12:
        return _awake(now - timedelta(hours=rng.uniform(2, 45 * 24)), now)
    share = rng.random()
    if rng.random() < 0.6:
        share **= 0.5
    return _awake(START + (now - timedelta(hours=2) - START) * share, now)


def _waits(rng: random.Random, pace: str, age: timedelta) -> bool:
    for days, share in WAITING_BY_AGE[pace]:
        if age < timedelta(days=days):
            return rng.random() < share
    return False


def _decided_area(rng: random.Random, area: int) -> int:
    """The area a moderator routes a text to: the one it is about, now and then the neighbouring one."""
    return SECOND_CHOICE[area] if rng.random() < SECOND_CHOICE_SHARE else area


def _answer(rng: random.Random, status: Status, area: int, district: str, when: datetime) -> dict[str, str]:
    """The answer in each language; a meeting it mentions is in the month after the answer."""
    month = when.astimezone(OSLO).month % 12
    texts = rng.choice(ANSWERS[status])
    return {lang: text.format(team=TEAMS[lang][area], where=WHERE[lang][district], month=MONTHS[lang][month])
            for lang, text in texts.items()}


@lru_cache(maxsize=None)
def _title_variants(index: int) -> tuple[str, ...]:
    """Titles for the same idea raised again from other streets and spots of its district (a bigger
    scale draws the corpus several times): "Mellomveien: benker og skygge i Lademoparken", "… – også
    ved Lademoen kirke". Never a counter in brackets. Shuffled by the idea, simpler forms first."""
    source = corpus.IDEAS[index]
    title, english = source["title"], source["lang"] == "en"
    # In Arabic, Somali, Polish or Ukrainian a place keeps its own name alone, without Norwegian words around it.
    foreign = source["lang"] not in ("nb", "nn", "en")
    where = [(corpus.NYNORSK_SPOTS.get(name, name) if source["lang"] == "nn" else name, prep, phrase)
             for name, prep, phrase in corpus.WHERE[source["district"]]]
    also = {name: (name if foreign else f"also {phrase}" if english else f"også {prep} {name}")
            for name, prep, phrase in where if name.lower() not in title.lower() and (phrase or not english)}
    streets = [name for name, prep, _ in where if prep in ("i", "på") and name in also]
    lead = title if english or foreign else title[0].lower() + title[1:]
    rng = random.Random(index)
    simple = [f"{title} – {phrase}" for phrase in also.values()] + [f"{street}: {lead}" for street in streets]
    combined = [f"{street}: {lead} – {phrase}" for street in streets for name, phrase in also.items() if name != street]
    combined += [f"{a} og {b}: {lead}" for n, a in enumerate(streets) for b in streets[n + 1:]]
    rng.shuffle(simple)
    rng.shuffle(combined)
    return tuple(t for t in simple + combined if len(t) <= 120)


def _interleaved(items: list[dict]) -> list[int]:
    """Indexes of ``items`` taking the districts in turn, so a stretch of time mixes the districts."""
    groups: dict[str, list[int]] = {}
    for n, item in enumerate(items):
        groups.setdefault(item["district"], []).append(n)
    columns = list(groups.values())
    return [column[row] for row in range(max(map(len, columns))) for column in columns if row < len(column)]


# A share of the ideas about streets and parks (effort area 3) that name no place are still placed on
# a street of their district; everything else that names no place is about the whole district.
STREET_SHARE = 0.3
# A copy titled after a street ("Mellomveien: benker og skygge ...") is placed on that street this often.
TITLED_STREET_SHARE = 0.5
# Written feedback that names a place has its point this often (the rest said it in words only).
FEEDBACK_POINT_SHARE = 0.7


def _at(rng: random.Random, district: str, where: str) -> tuple[float, float, str]:
    """A point and its label for ``where`` in ``district``: a house number along a street, or a spot with
    the spread of people tapping the map around it."""
    if where in STREETS[district]:
        (lat1, lon1), (lat2, lon2), first, last = STREETS[district][where]
        number = rng.randint(first, last)
        share = (number - first) / (last - first)
        return (round(lat1 + (lat2 - lat1) * share, 6), round(lon1 + (lon2 - lon1) * share, 6), f"{where} {number}")
    lat, lon = SPOTS[district][where]
    spread_lat, spread_lon = SPOT_SPREAD
    return (round(lat + rng.uniform(-spread_lat, spread_lat), 6), round(lon + rng.uniform(-spread_lon, spread_lon), 6),
            where)


def _idea_location(rng: random.Random, source: dict, title: str) -> tuple[float, float, str] | None:
    """Where an idea is about: the place its text names, the street its title starts with, now and then a
    street for one about streets and parks, otherwise nowhere in particular (the whole district)."""
    district = source["district"]
    if source.get("where"):
        return _at(rng, district, source["where"])
    street = title.split(":", 1)[0].split(" og ")[0] if ":" in title else ""
    if street in STREETS[district] and rng.random() < TITLED_STREET_SHARE:
        return _at(rng, district, street)
    if source["area"] == 3 and rng.random() < STREET_SHARE:
        return _at(rng, district, rng.choice(sorted(STREETS[district])))
    return None


def _located(row: dict, location: tuple[float, float, str] | None) -> dict:
    if location is not None:
        row["location_lat"], row["location_lon"], row["location_label"] = location
    return row


_IDEA_ORDER = _interleaved(corpus.IDEAS)
_FEEDBACK_ORDER = _interleaved(corpus.FEEDBACK)


def _idea_title(position: int) -> str:
    index, copy = _IDEA_ORDER[position % len(corpus.IDEAS)], position // len(corpus.IDEAS)
    if copy == 0:
        return corpus.IDEAS[index]["title"]
    variants = _title_variants(index)
    return variants[(copy - 1) % len(variants)]


def _change(ident: int, submission: int, old: Status | None, new: Status, area: int | None, when: datetime,
            actor: int | None = None, answer: dict[str, str] | None = None) -> dict:
    texts = answer or {}
    row = {"id": ident, "submission_id": submission, "old_status": old.value if old else None,
           "new_status": new.value, "effort_area_id": area, "actor_id": actor, "created_at": when}
    for lang, column in (("nb", "public_answer"), ("nn", "public_answer_nn"), ("en", "public_answer_en")):
        text = texts.get(lang)
        row[column], row[f"{column}_html"] = text, _markdown(text) if text else None
    return row


def _idea_history(rng: random.Random, ident: int, author: int, source: dict, created: datetime, now: datetime,
                  areas: dict[int, int]) -> tuple[Status, int | None, list[dict]]:
    """Where an idea has got to, and its history: new; routed within days unless it still waits;
    after weeks or months most get a public answer, and some of those work ends as done."""
    history = [_change(0, ident, None, Status.NEW, None, created, actor=author)]
    age = now - created
    if _waits(rng, "quick", age):
        return Status.NEW, None, history
    number = _decided_area(rng, source["area"])
    area = areas[number]
    routed = created + min(age * 0.8, timedelta(hours=rng.uniform(2, 120)))
    history.append(_change(0, ident, Status.NEW, Status.ROUTED, area, routed))
    answered = routed + timedelta(days=rng.uniform(7, 100))
    if answered >= now or rng.random() > 0.65:
        return Status.ROUTED, area, history
    status = rng.choices(list(PROGRESS), list(PROGRESS.values()))[0]
    first = Status.IN_PROGRESS if status == Status.DONE else status
    history.append(_change(0, ident, Status.ROUTED, first, area, answered,
                           answer=_answer(rng, first, number, source["district"], answered)))
    done = answered + timedelta(days=rng.uniform(20, 150))
    if status == Status.DONE and done < now:
        history.append(_change(0, ident, Status.IN_PROGRESS, Status.DONE, area, done,
                               answer=_answer(rng, Status.DONE, number, source["district"], done)))
        return Status.DONE, area, history
    return first, area, history


def build(scale: int = 1, progress: Callable[[str, int], None] | None = None, seed: int = 2024,
          amounts: dict[str, int] | None = None) -> dict[str, int]:
    """Top the database up to ``scale`` times the base amounts (or to ``amounts``). Returns how many rows were added.
    Writes in the session's transaction: the caller commits, or rolls back after an error."""
    # The idea tallies' triggers would count each idea as it is written (an upsert, a look-up of the author
    # and on PostgreSQL a lock on the author's row, per row), and SQLite's search index would take each idea
    # in one by one, at a cost that grows with the index (most of the time spent on ideas at 10x and up).
    # Both are off while the rows go in; the tallies are counted and the search index built once at the end.
    with tallies.suspended(), search.suspended(db.session.connection()):
        return _build(scale, progress, seed, amounts)


def _build(scale: int, progress: Callable[[str, int], None] | None, seed: int,
           amounts: dict[str, int] | None) -> dict[str, int]:
    target = {kind: (amounts or {}).get(kind, BASE[kind] * scale)
              for kind in ("ideas", "comments", "feedback", "events", "registrations")}
    rng = random.Random(seed + scale)
    # Locations draw from their own generator, so the rest of the content is the same with or without them.
    where_rng = random.Random(seed * 7 + scale)
    now = _now()
    report = progress or (lambda _label, _n: None)
    districts = {d.slug: d.id for d in db.session.scalars(select(District))}
    areas = {a.number: a.id for a in db.session.scalars(select(EffortArea))}
    if not districts or not areas:
        raise RuntimeError("Run 'flask seed' before 'flask demo'.")
    residents = _residents(rng, BASE["residents"])
    added = {"ideas": 0, "comments": 0, "supports": 0, "feedback": 0, "places": 0}

    # Ideas, their history and supports.
    have = db.session.scalar(select(func.count(Idea.id)))
    missing = target["ideas"] - have
    if missing > 0:
        next_sub, next_change = _next_id(Submission.__table__), _next_id(StatusChange.__table__)
        subs, ideas, changes, supports = [], [], [], []
        tables, inserted = ((Submission.__table__, subs), (Idea.__table__, ideas), (StatusChange.__table__, changes),
                            (Support.__table__, supports)), {}
        # Newest first, in the corpus' order: any stretch of time has each text once, and the newest
        # ideas (the first page people see) carry the corpus' own titles.
        moments = sorted((_created(rng, now) for _ in range(missing)), reverse=True)
        for n, created in enumerate(moments):
            position = have + n
            source = corpus.IDEAS[_IDEA_ORDER[position % len(corpus.IDEAS)]]
            ident = next_sub + n
            author = rng.choice(residents)
            status, area_id, history = _idea_history(rng, ident, author, source, created, now, areas)
            title = _idea_title(position)
            row = _submission_row(ident, Kind.IDEA, districts[source["district"]], author, created, status, area_id,
                                  areas[source["area"]] if rng.random() < 0.4 else None)
            _located(row, _idea_location(where_rng, source, title))
            row["updated_at"] = history[-1]["created_at"]
            subs.append(row)
            backers = rng.sample(residents, k=min(len(residents), int(rng.expovariate(1 / 6))))
            backers = [b for b in backers if b != author]
            ideas.append({"id": ident, "title": title, "body": source["body"],
                          "body_html": _markdown(source["body"]), "support_count": len(backers),
                          "duplicate_of_id": None, "language": source["lang"]})
            supported_at = min(now, created + timedelta(days=1))
            supports.extend({"idea_id": ident, "user_id": b, "created_at": supported_at,
                             "created_month": oslo_month(supported_at)} for b in backers)
            for change in history:
                changes.append({**change, "id": next_change + len(changes)})
            if n % BATCH == BATCH - 1:
                _insert_new(tables, inserted)
                report("ideas", BATCH)
        _insert_new(tables, inserted)
        report("ideas", missing % BATCH)
        added["ideas"], added["supports"] = missing, len(supports)

    # Comments on existing ideas.
    missing = target["comments"] - db.session.scalar(select(func.count(Comment.id)))
    if missing > 0:
        idea_rows = db.session.execute(select(Idea.id, Idea.district_id, Idea.created_at)).all()
        next_sub = _next_id(Submission.__table__)
        subs, comments = [], []
        tables, inserted = ((Submission.__table__, subs), (Comment.__table__, comments)), {}
        for n in range(missing):
            idea_id, district_id, idea_created = rng.choice(idea_rows)
            source = corpus.COMMENTS[n % len(corpus.COMMENTS)]
            created = _awake(_random_moment(rng, idea_created, now), now) if idea_created < now else now
            ident = next_sub + n
            subs.append(_submission_row(ident, Kind.COMMENT, district_id, rng.choice(residents), created))
            comments.append({"id": ident, "idea_id": idea_id, "body": source["text"],
                             "body_html": _plain(source["text"]), "language": source["lang"]})
            if n % BATCH == BATCH - 1:
                _insert_new(tables, inserted)
                report("comments", BATCH)
        _insert_new(tables, inserted)
        report("comments", missing % BATCH)
        added["comments"] = missing

    # Feedback: never linked to an account. Routed like ideas, never answered in public; what a
    # moderator would deal with first is marked urgent while it waits (where the model has the flag).
    have = db.session.scalar(select(func.count(Feedback.id)))
    missing = target["feedback"] - have
    if missing > 0:
        next_sub, next_change = _next_id(Submission.__table__), _next_id(StatusChange.__table__)
        subs, feedback, changes, codes = [], [], [], set()
        tables, inserted = ((Submission.__table__, subs), (Feedback.__table__, feedback),
                            (StatusChange.__table__, changes)), {}
        urgent_texts = [f for f in corpus.FEEDBACK if f.get("urgent")]
        moments = sorted((_created(rng, now) for _ in range(missing)), reverse=True)
        for n, created in enumerate(moments):
            source = corpus.FEEDBACK[_FEEDBACK_ORDER[(have + n) % len(corpus.FEEDBACK)]]
            if n < 12 and n % 4 == 1:
                # Among the newest, a few that a moderator would deal with first.
                source = urgent_texts[n // 4 % len(urgent_texts)]
            age = now - created
            # Urgent texts are seen to within days, whatever else waits.
            waits = _waits(rng, "written" if source["text"] else "quick", age) and (not source.get("urgent") or age < timedelta(days=3))
            ident = next_sub + n
            changes.append(_change(next_change + len(changes), ident, None, Status.NEW, None, created))
            row = _submission_row(ident, Kind.FEEDBACK, districts[source["district"]], None, created,
                                  suggested_id=areas[source["area"]] if source["area"] else None)
            if source.get("where") and where_rng.random() < FEEDBACK_POINT_SHARE:
                # Private, as the person's contact details: only the district's moderators see it.
                _located(row, _at(where_rng, source["district"], source["where"]))
            if not waits:
                area_id = areas[_decided_area(rng, source["area"] or source.get("routed") or 3)]
                routed = created + min(age * 0.8, timedelta(hours=rng.uniform(2, 120)))
                changes.append(_change(next_change + len(changes), ident, Status.NEW, Status.ROUTED, area_id, routed))
                row.update(status=Status.ROUTED.value, effort_area_id=area_id, updated_at=routed)
            if URGENT_COLUMN:
                row["urgent"] = bool(waits and source.get("urgent"))
            subs.append(row)
            code = new_receipt_code()
            while code in codes:
                code = new_receipt_code()
            codes.add(code)
            safety, wellbeing, belonging = source["ratings"]
            feedback.append({"id": ident, "body": source["text"] or None, "rating_safety": safety,
                             "rating_wellbeing": wellbeing, "rating_belonging": belonging, "contact_name": None,
                             "contact_email": None, "contact_phone": None, "contact_consent": False,
                             "receipt_code": code, "locale": source["lang"], "language": source["lang"]})
            if n % BATCH == BATCH - 1:
                _insert_new(tables, inserted)
                report("feedback", BATCH)
        _insert_new(tables, inserted)
        report("feedback", missing % BATCH)
        added["feedback"] = missing

    added["places"] = _places(districts)
    db.session.flush()
    added.update(_events(target["events"], target["registrations"], residents, seed, now, report))
    _event_points()
    _resident_page(now)
    added["survey_answer_sets"] = build_survey(seed, now)
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
    """The demo meeting places, once; one made before places had points gets its point."""
    existing = {p.name: p for p in db.session.scalars(select(MeetingPlace).where(
        MeetingPlace.name.in_([place["name"] for place in PLACES])))}
    added = 0
    for place in PLACES:
        if place["name"] in existing:
            made = existing[place["name"]]
            if made.latitude is None:
                made.latitude, made.longitude = place["latitude"], place["longitude"]
            continue
        values = {k: v for k, v in place.items() if k != "district"}
        db.session.add(MeetingPlace(district_id=districts[place["district"]],
                                    description_html=str(markdown_to_html(values["description"])),
                                    language=language_of(values["description"], values.get("opening_hours"),
                                                         values.get("accessibility_notes")), **values))
        added += 1
    return added


def _event_points() -> None:
    """Demo events at an address made before events had points get the address's point."""
    for spec in ONE_OFFS:
        if "point" in spec:
            db.session.execute(update(Event).where(
                Event.meeting_place_id.is_(None), Event.address == spec["address"], Event.latitude.is_(None),
            ).values(latitude=spec["point"][0], longitude=spec["point"][1]))


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
                                        language=language_of(spec["description"]),
                                        contact_email=spec["contact_email"], status=OrganisationStatus.APPROVED,
                                        created_at=START, decided_at=START)
            organisation.districts = [by_slug[slug] for slug in spec["districts"]]
            db.session.add(organisation)
            existing[spec["name"]] = organisation
            added += 1
        elif {d.slug for d in organisation.districts} != set(spec["districts"]):
            # Filed as its name says, also where an earlier demo filed it elsewhere.
            organisation.districts = [by_slug[slug] for slug in spec["districts"]]
        if organiser is not None and not any(m.user_id == organiser for m in organisation.memberships):
            organisation.memberships.append(Membership(user_id=organiser))
    db.session.flush()
    return {name: o.id for name, o in existing.items()}, added


# How big a party registers, by audience: families come several together, pupils alone.
PARTY_WEIGHTS = {"families": (25, 45, 18, 9, 3), "youth": (90, 8, 2, 0, 0)}
USUAL_PARTY = (78, 14, 5, 2, 1)
PARTY_SIZES = (1, 2, 3, 4, 5)


def _district_of(spec: dict) -> str:
    return PLACE_DISTRICTS[spec["place"]] if "place" in spec else spec["district"]


def _in_season(spec: dict, day: date) -> bool:
    """In the spec's months, and not over Christmas and New Year or on Constitution Day, when volunteers rest."""
    holiday = (day.month, day.day) >= (12, 23) or (day.month, day.day) in ((1, 1), (5, 17))
    return day.month in spec.get("months", range(1, 13)) and not holiday


def _on_its_weekday(spec: dict, day: date) -> date:
    """The first day from ``day`` on a weekday the one-off keeps (a family Sunday on a Sunday)."""
    while day.weekday() not in spec.get("weekdays", range(7)):
        day += timedelta(days=1)
    return day


def _current_runs(rng: random.Random, missing: int, today: date) -> list[tuple[dict, date, str | None, float]]:
    """Weekly series running now in every district (begun a few weeks ago, going on for weeks) and
    something that happens once in the coming weeks, so whenever the demo is built each district has
    things coming up. Two of each where the amount asked for leaves room, one otherwise."""
    plans: list[tuple[dict, date, str | None, float]] = []
    each = 2 if missing >= 100 else 1
    for slug in dict.fromkeys(place["district"] for place in PLACES):
        specs = [spec for spec in SERIES if _district_of(spec) == slug and _in_season(spec, today)]
        for spec in rng.sample(specs, min(each, len(specs))):
            back, ahead = rng.randint(1, 4), rng.randint(5, 9)
            length = min(back + ahead, max(4, missing // 6 // each), missing - len(plans))
            back = min(back, max(0, length - 3))
            first = today - timedelta(weeks=back)
            first += timedelta(days=(spec["weekday"] - first.weekday()) % 7)
            series_id = f"{rng.getrandbits(128):032x}"
            popularity = rng.uniform(0.8, 1.3)
            days = [first + timedelta(weeks=week) for week in range(length)]
            plans.extend((spec, day, series_id, popularity * rng.uniform(0.8, 1.2))
                         for day in days if _in_season(spec, day))
        for _ in range(each):
            for _attempt in range(20):
                spec = rng.choice([spec for spec in ONE_OFFS if _district_of(spec) == slug])
                day = _on_its_weekday(spec, today + timedelta(days=rng.randint(3, 35)))
                if _in_season(spec, day) and not _planned(plans, spec, day):
                    if len(plans) < missing:
                        plans.append((spec, day, None, rng.uniform(0.8, 1.2)))
                    break
    return plans[:missing]


def _plan_events(rng: random.Random, missing: int, today: date) -> list[tuple[dict, date, str | None, float]]:
    """What to add: a series running now in each district, then weekly runs of the series (up to 26
    weeks, like the event form) and one-offs, from about eleven months back to a few months ahead,
    each in its season. Each with how popular it is."""
    plans = _current_runs(rng, missing, today)
    taken = {(id(spec), day) for spec, day, _series, _p in plans}   # each event once at a time on a day
    # Where the days each event keeps cannot hold what is asked for (a big --scale), the same events
    # are on at other hours too, with room to spare, so that free hours are quick to find.
    days = _days_to_hold(today)
    sittings, refused = (1 if missing <= days else min(MAX_SITTINGS, -(-2 * missing // days))), 0
    while len(plans) < missing:
        if refused >= SATURATED:
            # Every day each event keeps is taken (a big --scale): the same events again at other hours.
            sittings, refused = sittings + 1, 0
            if sittings > MAX_SITTINGS:
                raise RuntimeError(f"{missing} demo events do not fit in the year's days and hours.")
        before = len(plans)
        if rng.random() < 0.25:      # a run adds about 17 occurrences: about one event in seven is a one-off
            spec = rng.choice(SERIES)
            first = today + timedelta(days=rng.randint(-330, 60))
            first += timedelta(days=(spec["weekday"] - first.weekday()) % 7)
            series_id = f"{rng.getrandbits(128):032x}"
            popularity = rng.uniform(0.6, 1.4)
            days = [first + timedelta(weeks=week) for week in range(rng.randint(8, 26))]
            free = [(at, d) for d in days if _in_season(spec, d) and (at := _free_sitting(taken, spec, d, sittings))]
            for at, day in free[:missing - len(plans)]:
                plans.append((at, day, series_id, popularity * rng.uniform(0.8, 1.2)))
                taken.add((id(at), day))
        else:
            spec = rng.choice(ONE_OFFS)
            day = _on_its_weekday(spec, today + timedelta(days=rng.randint(-330, 75)))
            while not _in_season(spec, day):
                day = _on_its_weekday(spec, today + timedelta(days=rng.randint(-330, 75)))
            if at := _free_sitting(taken, spec, day, sittings):
                plans.append((at, day, None, rng.uniform(0.7, 1.3)))
                taken.add((id(at), day))
        refused = refused + 1 if len(plans) == before else 0
    return plans


# Draws in a row that found the day taken before the plan puts the same events on at one more hour too
# (should the days to hold them have been counted too many). At most this many sittings a day.
SATURATED = 1000
MAX_SITTINGS = 14
_SITTINGS: dict[tuple[int, int], dict] = {}
SPECS_BY_ID = {id(spec): spec for spec in (*SERIES, *ONE_OFFS)}


def _days_to_hold(today: date) -> int:
    """How many (event, day) pairs the plan can choose from: each one-off on its weekdays and each
    series on its weekday, in season, within the stretch of time the plan draws from."""
    one_offs = {(id(spec), _on_its_weekday(spec, today + timedelta(days=offset)))
                for spec in ONE_OFFS for offset in range(-330, 76)}
    series = {(id(spec), today + timedelta(days=offset)) for spec in SERIES for offset in range(-330, 61 + 26 * 7)
              if (today + timedelta(days=offset)).weekday() == spec["weekday"]}
    return sum(1 for spec_id, day in one_offs | series if _in_season(SPECS_BY_ID[spec_id], day))


def _free_sitting(taken: set[tuple[int, date]], spec: dict, day: date, sittings: int) -> dict | None:
    """``spec`` at the first of its ``sittings`` that day still free (its own hour first), or None."""
    for sitting in range(sittings):
        at = _sitting(spec, sitting)
        if (id(at), day) not in taken:
            return at
    return None


def _sitting(spec: dict, sitting: int) -> dict:
    """``spec`` on again ``sitting`` hours later on the same day (between 08 and 23, wrapping round)."""
    if sitting == 0:
        return spec
    key = (id(spec), sitting)
    if key not in _SITTINGS:
        hour, minute = spec["time"]
        _SITTINGS[key] = {**spec, "time": (8 + (hour - 8 + sitting) % 15, minute)}
    return _SITTINGS[key]


def _planned(plans: list[tuple[dict, date, str | None, float]], spec: dict, day: date) -> bool:
    """The event is already on that day: the same course twice at the same hour would look like a mistake."""
    return any(planned is spec and planned_day == day for planned, planned_day, _series, _p in plans)


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
    today = now.astimezone(OSLO).date()
    plans = _plan_events(rng, missing, today)
    # Registration is still open for what is coming up: the later it is, the fewer have signed up so far.
    so_far = {day: 1.0 if day <= today else max(0.15, 1 - (day - today).days / 45) for _spec, day, _s, _p in plans}
    wanted = _shares([spec["turnout"] * popularity * so_far[day] for spec, day, _series, popularity in plans],
                     round(missing * target_registrations / max(1, target_events)))
    confirmed, waitlisted, cancelled = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                                         RegistrationStatus.CANCELLED)
    regulars: dict[str, list[int]] = {}
    html = {}
    written: dict[str, str | None] = {}   # the language of each text, found once
    next_event = _next_id(Event.__table__)
    events, registrations, translations = [], [], []

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
            written[spec["description"]] = language_of(spec["title"], spec["description"])

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
            "latitude": None if place else spec["point"][0], "longitude": None if place else spec["point"][1],
            "title": spec["title"], "description": spec["description"], "description_html": html[spec["description"]],
            "language": written[spec["description"]],
            "starts_at": starts, "ends_at": ends, "starts_month": oslo_month(starts), "capacity": capacity,
            "seats_taken": taken, "registration_deadline": deadline, "effort_area_id": areas.get(spec["area"]),
            "languages": spec["languages"], "audience": spec["audience"], "series_id": series_id,
            "status": EventStatus.CANCELLED if event_cancelled else EventStatus.PUBLISHED,
            "decline_reason": None, "cancelled_at": min(now, starts - timedelta(days=1)) if event_cancelled else None,
            "created_by_id": organiser, "created_at": created, "updated_at": created, "registrations_folded_at": None,
        })
        for language, (title, description) in spec.get("translations", {}).items():
            translations.append({"event_id": ident, "language": language, "title": title, "description": description,
                                 "description_html": _markdown(description),
                                 "created_at": created, "updated_at": created})
        if len(registrations) >= BATCH or len(events) == len(plans):
            # The events first: their registrations and translations point at them.
            _insert(Event.__table__, events[added["events"]:])
            _insert(EventTranslation.__table__, translations)
            translations.clear()
            _insert(Registration.__table__, registrations)
            report("registrations", len(registrations))
            added["events"], added["registrations"] = len(events), added["registrations"] + len(registrations)
            registrations.clear()
    return added


def _resident_page(now: datetime) -> None:
    """Give the demo resident two ideas, a comment, a few supports, a followed meeting place and
    organisation and a seat at an upcoming event. Each part is added only while missing, so running
    the demo again changes nothing."""
    me = db.session.scalar(select(User).where(User.email == RESIDENT_EMAIL))
    if me is None:
        return
    visible = Submission.hidden_at.is_(None) & Submission.withdrawn_at.is_(None) & Submission.held_at.is_(None)
    # Two of the newest demo ideas become theirs (with their history), rather than new texts.
    mine = db.session.scalar(select(func.count(Idea.id)).where(Idea.author_id == me.id))
    if not mine:
        for idea in db.session.scalars(select(Idea).where(visible, Idea.author_id.is_not(None))
                                       .order_by(Idea.created_at.desc()).limit(2)):
            db.session.execute(StatusChange.__table__.update()
                               .where(StatusChange.submission_id == idea.id, StatusChange.actor_id == idea.author_id)
                               .values(actor_id=me.id))
            own = db.session.get(Support, (idea.id, me.id))
            if own is not None:   # nobody supports their own idea
                db.session.delete(own)
                idea.support_count -= 1
            idea.author_id = me.id
    db.session.flush()
    others = select(Idea).where(visible, Idea.author_id != me.id).order_by(Idea.created_at.desc())
    if not db.session.scalar(select(func.count(Comment.id)).where(Comment.author_id == me.id)):
        discussed = db.session.scalars(others.limit(1)).first()
        if discussed is not None:
            source = corpus.COMMENTS[0]
            created = max(discussed.created_at, now - timedelta(days=2))
            ident = _next_id(Submission.__table__)
            _insert(Submission.__table__, [_submission_row(ident, Kind.COMMENT, discussed.district_id, me.id, created)])
            _insert(Comment.__table__, [{"id": ident, "idea_id": discussed.id, "body": source["text"],
                                         "body_html": _plain(source["text"]), "language": source["lang"]}])
    if not db.session.scalar(select(func.count()).select_from(Support).where(Support.user_id == me.id)):
        for idea in db.session.scalars(others.limit(3)):
            db.session.add(Support(idea_id=idea.id, user_id=me.id, created_at=now))
            idea.support_count += 1
    place = db.session.scalars(select(MeetingPlace).order_by(MeetingPlace.id)).first()
    organisation = db.session.scalars(select(Organisation).where(Organisation.status == OrganisationStatus.APPROVED)
                                      .order_by(Organisation.id)).first()
    follows = db.session.scalars(select(Follow).where(Follow.user_id == me.id)).all()
    wanted = []
    if place is not None and not any(f.meeting_place_id == place.id for f in follows):
        wanted.append({"meeting_place_id": place.id})
    if organisation is not None and not any(f.organisation_id == organisation.id for f in follows):
        wanted.append({"organisation_id": organisation.id})
    for target in wanted:
        nonce = secret_links.new_nonce()
        db.session.add(Follow(user_id=me.id, locale=me.locale, confirmed_at=now, created_at=now, token_nonce=nonce,
                              token_hash=secret_links.digest(secret_links.token_for(FOLLOW_PURPOSE, nonce)), **target))
    registered = db.session.scalar(select(func.count(Registration.id)).join(Event).where(
        Registration.user_id == me.id, Event.starts_at > now, Registration.status == RegistrationStatus.CONFIRMED))
    if not registered:
        event = db.session.scalars(select(Event).where(
            Event.status == EventStatus.PUBLISHED, Event.starts_at > now + timedelta(days=2),
            (Event.registration_deadline.is_(None)) | (Event.registration_deadline > now),
            (Event.capacity.is_(None)) | (Event.seats_taken + 2 <= Event.capacity),
            ~Event.id.in_(select(Registration.event_id).where(Registration.user_id == me.id)),
        ).order_by(Event.starts_at)).first()
        if event is not None:
            nonce = secret_links.new_nonce()
            db.session.add(Registration(
                event_id=event.id, user_id=me.id, party_size=2, status=RegistrationStatus.CONFIRMED, queued_at=now,
                confirmed_at=now, locale=me.locale, token_nonce=nonce, added_by_organiser=False,
                token_hash=secret_links.digest(secret_links.token_for(MANAGE, nonce)), created_at=now))
            event.seats_taken += 2
    db.session.flush()
