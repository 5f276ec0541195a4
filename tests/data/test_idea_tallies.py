"""The kept tallies of shown ideas agree with a count of the ideas themselves after every kind of change,
whichever way it is made (the ORM, a bulk UPDATE, a foreign-key action), on SQLite and on PostgreSQL."""
from __future__ import annotations

from sqlalchemy import func, select, update

from app.core.db import utcnow
from app.extensions import db
from tests.helpers import make_idea, make_user


def _recount() -> dict:
    from app.ideas.models import Idea
    from app.submissions.visibility import publicly_visible

    placed = Idea.location_lat.is_not(None) & Idea.location_lon.is_not(None)
    key = (Idea.district_id, func.coalesce(Idea.effort_area_id, 0), Idea.status, placed)
    rows = db.session.execute(select(*key, func.count()).where(publicly_visible(Idea)).group_by(*key))
    return {(d, a, str(s), bool(p)): n for d, a, s, p, n in rows}


def _kept() -> dict:
    from app.ideas.tallies import IdeaTally

    return {(t.district_id, t.effort_area_id, t.status, bool(t.placed)): t.ideas
            for t in db.session.scalars(select(IdeaTally)) if t.ideas}


def _agree(app, what: str) -> None:
    with app.app_context():
        assert _kept() == _recount(), what


def _change(app, change) -> None:
    with app.test_request_context():
        change()
        db.session.commit()


def test_tallies_follow_every_change(app):
    from app.accounts.models import User
    from app.districts.models import District, EffortArea
    from app.ideas import tallies
    from app.ideas.models import Idea
    from app.privacy.erasure import erase
    from app.submissions.models import Submission

    author, other, blocked_later = make_user(app), make_user(app), make_user(app)
    ideas = [make_idea(app, author, title=f"Idé nummer {n}") for n in range(4)]
    theirs = make_idea(app, other, district="mollenberg")
    later = [make_idea(app, blocked_later, district="tempe-sorgenfri") for _ in range(2)]
    _agree(app, "created")
    with app.app_context():
        assert tallies.total() == 7
        assert tallies.total(db.session.scalar(select(District.id).where(District.slug == "lademoen"))) == 4
        area = db.session.scalar(select(EffortArea.id).where(EffortArea.number == 3))
        elsewhere = db.session.scalar(select(District.id).where(District.slug == "mollenberg"))

    def idea(n: int) -> Idea:
        return db.session.get(Idea, n)

    steps = [
        ("hidden", lambda: setattr(idea(ideas[0]), "hidden_at", utcnow())),
        ("shown again", lambda: setattr(idea(ideas[0]), "hidden_at", None)),
        ("withdrawn", lambda: setattr(idea(ideas[1]), "withdrawn_at", utcnow())),
        ("held", lambda: setattr(idea(ideas[2]), "held_at", utcnow())),
        ("approved", lambda: setattr(idea(ideas[2]), "held_at", None)),
        ("routed", lambda: setattr(idea(ideas[2]), "effort_area_id", area)),
        ("status", lambda: setattr(idea(ideas[2]), "status", "answered")),
        ("moved", lambda: setattr(idea(ideas[3]), "district_id", elsewhere)),
        ("placed", lambda: setattr(idea(ideas[3]), "location_lat", 63.43) or setattr(idea(ideas[3]), "location_lon", 10.4)),
        ("bulk hide", lambda: db.session.execute(update(Submission).where(Submission.id.in_(later))
                                                 .values(hidden_at=utcnow()))),
        ("bulk show", lambda: db.session.execute(update(Submission).where(Submission.id.in_(later))
                                                 .values(hidden_at=None))),
        ("author blocked", lambda: setattr(db.session.get(User, author.id), "blocked_at", utcnow())),
        ("author unblocked", lambda: setattr(db.session.get(User, author.id), "blocked_at", None)),
        ("blocked in bulk", lambda: db.session.execute(update(User).where(User.id == blocked_later.id)
                                                       .values(blocked_at=utcnow()))),
        ("a blocked author erased", lambda: erase(db.session.get(User, blocked_later.id))),
        ("an author erased", lambda: erase(db.session.get(User, other.id))),
        ("deleted", lambda: db.session.delete(idea(theirs))),
    ]
    for what, change in steps:
        _change(app, change)
        _agree(app, what)
    with app.app_context():
        # The erased blocked author's ideas are shown again, as by a deleted user; the withdrawn one is not.
        assert tallies.total() == 5
        kept = _kept()
        db.session.execute(update(tallies.IdeaTally).values(ideas=99))
        assert tallies.rebuild() == 5
        assert _kept() == kept
        db.session.commit()


def test_recount_command(app):
    make_idea(app, make_user(app))
    result = app.test_cli_runner().invoke(args=["ideas", "recount"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output


def test_recount_check_reports_drift_and_changes_nothing(app):
    from app.ideas.tallies import IdeaTally

    make_idea(app, make_user(app))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ideas", "recount", "--check"])
    assert result.exit_code == 0, result.output
    assert "equal a count" in result.output
    with app.app_context():
        db.session.execute(update(IdeaTally).values(ideas=5))
        db.session.commit()
    result = runner.invoke(args=["ideas", "recount", "--check"])
    assert result.exit_code == 1
    assert "kept 5, counted 1" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.sum(IdeaTally.ideas))) == 5   # a check writes nothing
    assert runner.invoke(args=["ideas", "recount"]).exit_code == 0
    assert runner.invoke(args=["ideas", "recount", "--check"]).exit_code == 0


TRIGGERS = {"idea_tallies_insert", "idea_tallies_delete", "idea_tallies_update", "idea_tallies_block",
            "idea_tallies_erase"}
PG_TRIGGERS = {"idea_tallies_lock", "idea_tallies_submissions", "idea_tallies_block", "idea_tallies_erase"}


def _triggers_in_place() -> bool:
    from sqlalchemy import text

    if db.engine.dialect.name == "postgresql":
        # As the migrations test checks at head, and each of them enabled ('O').
        found = dict(db.session.execute(text("SELECT tgname, tgenabled FROM pg_trigger "
                                             "WHERE tgname LIKE 'idea\\_tallies\\_%'")).all())
        return found == dict.fromkeys(PG_TRIGGERS, "O")
    # The search index holds every idea (FTS5 compares it with the ideas) and is kept by its triggers again.
    db.session.execute(text("INSERT INTO ideas_fts(ideas_fts, rank) VALUES ('integrity-check', 1)"))
    names = set(db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    return names >= TRIGGERS | {"ideas_fts_insert", "ideas_fts_delete", "ideas_fts_update"}


def test_demo_counts_its_ideas_once_and_leaves_the_triggers_in_place(app, monkeypatch):
    from app.demo import generate
    from app.ideas import tallies
    from app.ideas.models import Idea
    from app.submissions.models import Submission

    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        before = db.session.scalar(select(func.count(Idea.id)))
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Idea.id))) > before
        assert tallies.drift() == [] and tallies.total() > 0
        assert _triggers_in_place()
        # They count again: hiding an idea takes it off the totals.
        shown = tallies.total()
        newest = db.session.scalar(select(func.max(Idea.id)).where(
            Idea.hidden_at.is_(None), Idea.withdrawn_at.is_(None), Idea.held_at.is_(None)))
        db.session.execute(update(Submission).where(Submission.id == newest).values(hidden_at=utcnow()))
        assert tallies.total() == shown - 1 and tallies.drift() == []
        db.session.commit()
    user = make_user(app)
    make_idea(app, user, title="Sykkelstativ ved Qwertyveien")
    with app.app_context():
        from app.ideas import services

        assert [idea.title for idea, _ in services.list_ideas(q="Qwertyveien").items] == ["Sykkelstativ ved Qwertyveien"]
    # A demo that fails half way leaves nothing: no rows, the triggers as they were.
    with app.app_context():
        ideas = db.session.scalar(select(func.count(Idea.id)))

    def fails(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(generate, "_event_points", fails)
    assert app.test_cli_runner().invoke(args=["demo", "--scale", "2"]).exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Idea.id))) == ideas
        assert _triggers_in_place() and tallies.drift() == []
