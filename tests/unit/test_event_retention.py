"""Registrations: access needs go when the event ends; whole months are counted into aggregates, then deleted.

The figures below are worked out by hand from the fixture (see the comments on each registration).
"""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from app.core import secret_links
from app.events import retention
from app.events.models import Event, EventStatus, Registration, RegistrationAggregate
from app.extensions import db
from app.privacy.services import purge_expired
from tests.helpers import make_user

UTC = timezone.utc
# "Now" for these tests: March is over and its last event ended more than 30 days ago; April's last has not.
NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
_tokens = itertools.count(1)


@pytest.fixture
def world(app):
    """Two districts' events in March and April 2026 and their registrations; returns ids by name."""
    from app.districts.models import EffortArea
    from app.districts.services import get_district
    from app.organisations.models import Organisation, OrganisationStatus

    with app.app_context():
        u1, u2 = make_user(app, email="u1@example.no"), make_user(app, email="u2@example.no")
        organisation = Organisation(name="Språkkafeen", description="", description_html="",
                                    contact_email="kafe@example.no", status=OrganisationStatus.APPROVED)
        db.session.add(organisation)
        db.session.flush()
        mollenberg, lademoen = get_district("mollenberg").id, get_district("lademoen").id
        area1 = db.session.scalar(db.select(EffortArea.id).where(EffortArea.number == 1))
        ids = {"u1": u1.id, "u2": u2.id, "mollenberg": mollenberg, "lademoen": lademoen, "area1": area1}

        def event(name, district, starts_at, area=area1, audience="newcomers", status=EventStatus.PUBLISHED.value,
                  hours=2):
            row = Event(organisation_id=organisation.id, district_id=district, address="Nonnegata 14",
                        title=name, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                        effort_area_id=area, audience=audience, status=status, capacity=None, seats_taken=0)
            db.session.add(row)
            db.session.flush()
            ids[name] = row.id

        def registration(name, event_name, status="confirmed", party=1, attended=None, user=None, guest=None,
                         email=None, phone=None, access_needs=None):
            row = Registration(event_id=ids[event_name], user_id=user, name=guest, email=email, phone=phone,
                               party_size=party, status=status, attended=attended, access_needs=access_needs,
                               token_nonce=secret_links.new_nonce(), token_hash=f"{next(_tokens):064x}")
            db.session.add(row)
            db.session.flush()
            ids[name] = row.id

        # Cell March × Møllenberg × area 1 × newcomers: two weekly café evenings.
        event("E1", mollenberg, datetime(2026, 3, 4, 17, 0, tzinfo=UTC))
        event("E2", mollenberg, datetime(2026, 3, 11, 17, 0, tzinfo=UTC))
        registration("r1", "E1", party=2, attended=True, user=u1.id)                       # U1
        registration("r2", "E1", attended=False, guest="Ali", email="ali@example.no")       # Ali
        registration("r3", "E1", party=3, attended=True, guest="Per Telefon", phone="900 00 000")  # Per
        registration("r4", "E1", status="cancelled", attended=True, guest="Bea", email="bea@example.no")  # not counted
        registration("r5", "E1", status="waitlisted", guest="Cato", email="cato@example.no")
        registration("r6", "E2", user=u1.id)                                                 # U1 again
        registration("r7", "E2", party=2, attended=True, guest="Ali", email="ali@example.no")  # Ali again
        registration("r8", "E2", guest="per telefon", phone="90000000")                      # Per again
        registration("r9", "E2", status="waitlisted", attended=True, guest="Cato", email="cato@example.no")  # walked in
        # Cell March × Møllenberg × no area × everyone: one event with people, one without anyone.
        event("E3", mollenberg, datetime(2026, 3, 20, 10, 0, tzinfo=UTC), area=None, audience="everyone")
        event("E3b", mollenberg, datetime(2026, 3, 27, 10, 0, tzinfo=UTC), area=None, audience="everyone")
        registration("r10", "E3", attended=True, user=u2.id)
        registration("r11", "E3", user=u1.id)
        # Lademoen in March: cancelled, so not counted; its registration is deleted all the same.
        event("E4", lademoen, datetime(2026, 3, 25, 17, 0, tzinfo=UTC), status=EventStatus.CANCELLED.value)
        registration("r12", "E4", guest="Dina", email="dina@example.no")
        # 31 March 22:30 UTC is 1 April 00:30 in Oslo: an April event, and April is not ready.
        event("E5", mollenberg, datetime(2026, 3, 31, 22, 30, tzinfo=UTC))
        registration("r13", "E5", guest="Eva", email="eva@example.no", access_needs="Rullestol")
        event("E6", mollenberg, datetime(2026, 4, 20, 17, 0, tzinfo=UTC))
        registration("r14", "E6", guest="Finn", email="finn@example.no", access_needs="Teleslynge")
        # May: one event going on at NOW, one ahead.
        event("E7", mollenberg, datetime(2026, 5, 10, 11, 0, tzinfo=UTC))
        registration("r15", "E7", guest="Gro", email="gro@example.no", access_needs="Trinnfri inngang")
        event("E8", mollenberg, datetime(2026, 5, 20, 17, 0, tzinfo=UTC))
        registration("r16", "E8", guest="Gro", email="gro@example.no", access_needs="Trinnfri inngang")
        db.session.commit()
    return ids


def _aggregates(app) -> dict[tuple, tuple]:
    with app.app_context():
        rows = db.session.scalars(db.select(RegistrationAggregate))
        return {(a.month, a.district_id, a.effort_area_id, a.audience):
                (a.events, a.registrations, a.seats, a.attended, a.participants) for a in rows}


def _registrations(app) -> dict[int, Registration]:
    with app.app_context():
        rows = {r.id: r for r in db.session.scalars(db.select(Registration))}
        db.session.expunge_all()
        return rows


def _purge(app, now=NOW) -> dict[str, int]:
    with app.app_context():
        removed = purge_expired(now)
        db.session.commit()
        return removed


def test_a_month_is_counted_by_hand_then_its_registrations_deleted(app, world):
    removed = _purge(app)

    assert _aggregates(app) == {
        # events 2; registrations r1 r2 r3 r5 r6 r7 r8 r9 = 8; seats 2+1+3+1+2+1 = 10;
        # attended r1 2 + r3 3 + r7 2 + r9 1 = 8; participants U1, Ali, Per = 3 (Cato only waited).
        ("2026-03", world["mollenberg"], world["area1"], "newcomers"): (2, 8, 10, 8, 3),
        # events E3 and E3b; r10 and r11; U1 counts again here: another cell.
        ("2026-03", world["mollenberg"], None, "everyone"): (2, 2, 2, 1, 2),
    }
    left = _registrations(app)
    assert sorted(left) == sorted(world[name] for name in ("r13", "r14", "r15", "r16"))
    assert removed["event_registrations"] == 12
    assert removed["registration_months_counted"] == 1
    with app.app_context():
        folded = {e.title: e.registrations_folded_at for e in db.session.scalars(db.select(Event))}
    assert all(folded[name] is not None for name in ("E1", "E2", "E3", "E3b", "E4"))
    assert all(folded[name] is None for name in ("E5", "E6", "E7", "E8"))


def test_access_needs_are_erased_once_the_event_has_ended(app, world):
    removed = _purge(app)
    left = _registrations(app)
    assert left[world["r13"]].access_needs is None          # E5 ended in April
    assert left[world["r14"]].access_needs is None          # E6 ended, though April is not counted yet
    assert left[world["r15"]].access_needs == "Trinnfri inngang"   # E7 is going on
    assert left[world["r16"]].access_needs == "Trinnfri inngang"   # E8 is ahead
    assert left[world["r14"]].email == "finn@example.no"    # the rest stays until April is counted
    assert removed["access_needs"] == 2


def test_running_it_again_counts_nothing_twice(app, world):
    _purge(app)
    first = _aggregates(app)
    again = _purge(app)
    assert _aggregates(app) == first
    assert (again["access_needs"], again["registration_months_counted"], again["event_registrations"]) == (0, 0, 0)


def test_a_month_waits_until_its_last_event_ended_long_enough_ago(app, world):
    last_april_end = datetime(2026, 4, 20, 19, 0, tzinfo=UTC)
    with app.app_context():
        assert retention.months_ready(last_april_end + timedelta(days=30, minutes=-1)) == ["2026-03"]
        assert retention.months_ready(last_april_end + timedelta(days=30, minutes=1)) == ["2026-03", "2026-04"]
    _purge(app, last_april_end + timedelta(days=30, minutes=1))
    assert _aggregates(app)[("2026-04", world["mollenberg"], world["area1"], "newcomers")] == (2, 2, 2, 0, 2)


def test_the_retention_period_is_a_setting(app_factory):
    app = app_factory(REGISTRATION_RETENTION_DAYS=60)
    with app.app_context():
        from app.districts.services import get_district
        from app.organisations.models import Organisation, OrganisationStatus

        organisation = Organisation(name="Turlaget", description="", description_html="",
                                    contact_email="tur@example.no", status=OrganisationStatus.APPROVED)
        db.session.add(organisation)
        db.session.flush()
        starts = datetime(2026, 3, 31, 8, 0, tzinfo=UTC)
        db.session.add(Event(organisation_id=organisation.id, district_id=get_district("lademoen").id,
                             title="Tur", address="Lademoen kirke", starts_at=starts,
                             ends_at=starts + timedelta(hours=2)))
        db.session.commit()
        assert retention.months_ready(NOW) == []            # 40 days ago: within 60
        assert retention.months_ready(NOW + timedelta(days=21)) == ["2026-03"]


def test_the_month_in_progress_is_never_counted(app, world):
    """Even when its events so far ended long enough ago, more can still be added to it."""
    app.config["REGISTRATION_RETENTION_DAYS"] = 0
    with app.app_context():
        assert retention.months_ready(datetime(2026, 5, 31, 21, 0, tzinfo=UTC)) == ["2026-03", "2026-04"]
        # 22:00 UTC is midnight in Oslo: May is over.
        assert retention.months_ready(datetime(2026, 5, 31, 22, 0, tzinfo=UTC)) == ["2026-03", "2026-04", "2026-05"]


def test_an_event_added_to_a_counted_month_is_added_to_its_cell(app, world):
    _purge(app)
    with app.app_context():
        late = Event(organisation_id=db.session.get(Event, world["E1"]).organisation_id,
                     district_id=world["mollenberg"], effort_area_id=world["area1"], audience="newcomers",
                     title="Ekstra kveld", address="Nonnegata 14", starts_at=datetime(2026, 3, 18, 17, 0, tzinfo=UTC),
                     ends_at=datetime(2026, 3, 18, 19, 0, tzinfo=UTC))
        db.session.add(late)
        db.session.flush()
        db.session.add(Registration(event_id=late.id, name="Hanne", email="hanne@example.no", party_size=1,
                                    status="confirmed", token_nonce="n", token_hash="f" * 64))
        db.session.commit()
    removed = _purge(app)
    assert removed["event_registrations"] == 1
    assert _aggregates(app)[("2026-03", world["mollenberg"], world["area1"], "newcomers")] == (3, 9, 11, 8, 4)
    assert len(_aggregates(app)) == 2                       # one row per cell, still


def test_flask_privacy_purge_reports_the_counts(app, world):
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    # Today is long after May 2026: every month is counted, and so every registration is gone.
    assert "event registrations" in result.output and "access needs" in result.output
    assert "16 event registrations" in result.output
    assert "0 unverified accounts" in result.output
    assert _registrations(app) == {}
