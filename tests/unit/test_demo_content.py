"""flask demo builds content people can show: natural titles, something coming up in every district
whenever it is built, organisations where their names say, and a moderation backlog and answers that
look like a working team's."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.demo import corpus, generate
from app.demo.generate import build
from app.districts.models import District, EffortArea
from app.events.models import Event, EventStatus
from app.extensions import db
from app.feedback.models import Feedback
from app.ideas.models import Idea
from app.moderation.services import ANY_ITEM, waiting
from app.organisations.models import Organisation
from app.submissions.models import Kind, Status, StatusChange, Submission

ON_DAYS = {"Familiesøndag med vafler": {6}, "Byttemarked og språkkafé": {6}, "Sommerfest på Lademoen": {5},
           "Nabomøte om trafikken i Mellomveien": {0, 1, 2, 3}, "Foreldremøte: slik fungerer skolen i Norge": {0, 1, 2, 3}}
AMOUNTS = {"ideas": 450, "comments": 0, "feedback": 900, "events": 60, "registrations": 300}


@pytest.fixture
def demo(app):
    with app.app_context():
        build(amounts=AMOUNTS)
        db.session.commit()
        yield


def test_idea_titles_have_no_counters_and_stay_distinct(demo):
    titles = db.session.scalars(select(Idea.title)).all()
    assert len(titles) == AMOUNTS["ideas"] > 4 * len(corpus.IDEAS)
    assert [t for t in titles if re.search(r"\(\d+\)$", t)] == []
    assert len(set(titles)) == len(titles)
    # A text drawn again names a street or spot of its own district.
    for idea in db.session.scalars(select(Idea).where(Idea.title.not_in([i["title"] for i in corpus.IDEAS]))):
        source = next(i for i in corpus.IDEAS if i["body"] == idea.body)
        assert idea.district.slug == source["district"]
        names = [corpus.NYNORSK_SPOTS.get(name, name) if source["lang"] == "nn" else name
                 for name, _, _ in corpus.WHERE[source["district"]]]
        names += [phrase for _, _, phrase in corpus.WHERE[source["district"]] if phrase]
        assert any(name in idea.title for name in names), idea.title


def test_title_variants_are_natural_and_many_at_a_large_scale():
    index = next(n for n, i in enumerate(corpus.IDEAS) if i["title"] == "Benker og skygge i Lademoparken")
    variants = generate._title_variants(index)
    assert len(set(variants)) == len(variants) >= 80       # enough for every copy at --scale 10 and beyond
    assert "Mellomveien: benker og skygge i Lademoparken" in variants
    assert "Benker og skygge i Lademoparken – også ved Lademoen kirke" in variants
    assert not any("ved Lademoparken" in v for v in variants)   # never the place the title already names
    english = next(n for n, i in enumerate(corpus.IDEAS) if i["lang"] == "en")
    assert all(" også " not in v for v in generate._title_variants(english))


@pytest.mark.parametrize("now", [
    datetime(2026, 7, 10, 9, 0, tzinfo=timezone.utc),      # summer: homework help and baby singing pause
    datetime(2026, 12, 22, 20, 0, tzinfo=timezone.utc),    # just before the Christmas break
    datetime(2027, 3, 3, 6, 0, tzinfo=timezone.utc),
], ids=["july", "christmas", "march"])
def test_every_district_has_events_coming_up_whenever_the_demo_is_built(app, monkeypatch, now):
    monkeypatch.setattr(generate, "_now", lambda: now)
    with app.app_context():
        build(amounts=AMOUNTS)
        db.session.commit()
        upcoming = db.session.scalars(select(Event).where(
            Event.status == EventStatus.PUBLISHED, Event.starts_at > now,
            Event.starts_at < now + timedelta(days=21))).all()
        series = {e.series_id for e in db.session.scalars(select(Event).where(Event.series_id.is_not(None)))}
        for district in db.session.scalars(select(District)):
            mine = [e for e in upcoming if e.district_id == district.id]
            assert mine, f"nothing coming up in {district.slug} at {now}"
            assert any(e.series_id in series for e in mine), district.slug   # a weekly series among them
        for event in db.session.scalars(select(Event)):
            local = event.starts_at.astimezone(generate.OSLO)
            assert 9 <= local.hour <= 20, event.title                         # daytime or evening, Oslo time
            assert (local.month, local.day) not in ((12, 24), (12, 25), (12, 31), (5, 17)), event.title
            if "Leksehjelp" in event.title or event.title == "Babysang":
                assert local.month != 7
            # A family Sunday on a Sunday, a neighbours' meeting on a weeknight.
            assert local.weekday() in ON_DAYS.get(event.title, range(7)), (event.title, local)


def test_organisations_are_filed_under_the_districts_their_names_say(demo):
    districts = db.session.scalars(select(District)).all()
    named = 0
    for organisation in db.session.scalars(select(Organisation)):
        says = {d.slug for d in districts
                if d.name_nb in organisation.name or d.name_nb.split("-")[-1] in organisation.name}
        if says:
            named += 1
            assert {d.slug for d in organisation.districts} == says, organisation.name
    assert named >= 5


def test_the_backlog_looks_like_a_working_teams(demo):
    now = generate._now()
    total = db.session.scalar(select(func.count(Submission.id)).where(Submission.kind.in_((Kind.IDEA, Kind.FEEDBACK))))
    waiting_items = db.session.scalars(select(ANY_ITEM).where(waiting())).all()
    assert 0.05 <= len(waiting_items) / total <= 0.25
    # The queue, oldest first, starts weeks ago, not years ago; most of it came in the last few weeks.
    assert min(s.created_at for s in waiting_items) > now - timedelta(days=60)
    assert sum(s.created_at > now - timedelta(days=30) for s in waiting_items) > len(waiting_items) / 2
    # Some of what waits looks urgent, and it is recent.
    urgent_texts = {f["text"] for f in corpus.FEEDBACK if f.get("urgent")}
    urgent = [s for s in waiting_items if isinstance(s, Feedback) and s.body in urgent_texts]
    assert urgent and all(s.created_at > now - timedelta(days=3) for s in urgent)
    if generate.URGENT_COLUMN:
        flagged = db.session.scalars(select(Submission).where(Submission.urgent.is_(True))).all()  # type: ignore[attr-defined]
        assert flagged and {s.id for s in flagged} <= {s.id for s in urgent}


def test_routing_decisions_follow_what_the_texts_are_about(demo):
    number = dict(db.session.execute(select(EffortArea.id, EffortArea.number)).all())
    intended = {i["body"]: i["area"] for i in corpus.IDEAS}
    intended.update({f["text"]: f["area"] or f["routed"] for f in corpus.FEEDBACK if f["text"]})
    decisions = ([(body, area) for body, area in db.session.execute(
                    select(Idea.body, Idea.effort_area_id).where(Idea.effort_area_id.is_not(None)))]
                 + [(body, area) for body, area in db.session.execute(
                    select(Feedback.body, Feedback.effort_area_id).where(Feedback.effort_area_id.is_not(None),
                                                                         Feedback.body.is_not(None)))])
    assert len(decisions) > 500
    agree = sum(intended[body] == number[area] for body, area in decisions)
    assert 0.9 <= agree / len(decisions) < 1      # a few reasonable second choices, nothing random
    for body, area in decisions:
        if intended[body] != number[area]:
            assert number[area] == generate.SECOND_CHOICE[intended[body]]
    # Feedback with ratings only and no area chosen goes where safety, well-being and belonging are.
    ratings_only = db.session.scalars(select(Feedback.effort_area_id).where(
        Feedback.body.is_(None), Feedback.suggested_effort_area_id.is_(None), Feedback.effort_area_id.is_not(None))).all()
    assert ratings_only and {number[a] for a in ratings_only} <= {3, generate.SECOND_CHOICE[3]}


def test_answers_look_like_a_running_programme(demo):
    now = generate._now()
    answered = [Status.IN_PROGRESS, Status.ANSWERED, Status.DONE, Status.NOT_PURSUED]
    ideas = db.session.scalars(select(Idea)).all()
    share = sum(i.status in answered for i in ideas) / len(ideas)
    assert 0.3 <= share <= 0.7
    seen = set()
    for idea in ideas:
        history = idea.history
        assert [c.created_at for c in history] == sorted(c.created_at for c in history)
        assert history[0].created_at == idea.created_at and history[-1].created_at <= now
        assert history[-1].new_status == idea.status
        if idea.status in answered:
            last = history[-1]
            # Written in every language, as the answer form asks.
            texts = (last.public_answer, last.public_answer_nn, last.public_answer_en)
            assert all(texts) and len(set(texts)) == 3 and not any("{" in t for t in texts), texts
            assert history[-1].created_at - idea.created_at >= timedelta(days=7)
            seen.add(last.public_answer)
    assert len(seen) >= 20
    # Older ideas have come further than recent ones.
    recent = [i for i in ideas if i.created_at > now - timedelta(days=30)]
    assert not any(i.status in answered for i in recent if i.created_at > now - timedelta(days=7))
    assert db.session.scalar(select(func.count(StatusChange.id)).where(StatusChange.created_at > now)) == 0
    # Residents write in waking hours.
    assert all(i.created_at.astimezone(generate.OSLO).hour >= 7 for i in ideas)
