"""Redis going away and coming back while the app runs (point 4 of the second security review).

With Redis (the production rate-limit store, and here the page cache's generation too) stopped,
login, sign-up, feedback, guest registration, following and the whole API answered 500. The app
now reaches Redis through a proxy this test cuts (tests/faults/proxy.py): every page and form
answers as usual, limits are counted in the worker's memory meanwhile, the outage is one log line,
and once Redis is back the limits are counted there again.

It runs on the suite's own database (SQLite, or PostgreSQL on the second pass), not the database
fault tests' proxy.
"""
from __future__ import annotations

import logging
import uuid

import pytest
import redis

from app.extensions import db
from tests.faults.proxy import fault_redis_url, redis_url_through, start_redis_proxy
from tests.helpers import PASSWORD, Browser, make_event, make_idea, make_organisation, make_user


@pytest.fixture
def redis_proxy():
    running = start_redis_proxy()
    yield running
    running.stop()


@pytest.fixture
def prefix():
    """Keys of this test only, in a Redis database other tests share."""
    name = f"medvirk-fault-{uuid.uuid4().hex[:12]}"
    yield name
    store = redis.Redis.from_url(fault_redis_url())
    for key in store.scan_iter(f"*{name}*"):
        store.delete(key)


@pytest.fixture
def redis_app(app_factory, redis_proxy, prefix):
    url = redis_url_through(redis_proxy)
    return app_factory(RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix, RATELIMIT_STORAGE_RETRY_SECONDS=0,
                       PAGE_CACHE_SECONDS=30, PAGE_CACHE_REDIS_URL=url,
                       FEEDBACK_MIN_SECONDS=0, REGISTRATION_MIN_SECONDS=0, FOLLOW_MIN_SECONDS=0)


def _place(app) -> int:
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    with app.app_context():
        place = MeetingPlace(district_id=get_district("lademoen").id, name="Bydelskafeen", address="Innherredsveien 60")
        db.session.add(place)
        db.session.commit()
        return place.id


def _outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_pages_and_forms_work_while_redis_is_cut_and_limits_come_back_with_it(redis_app, redis_proxy, prefix, caplog):
    app = redis_app
    user = make_user(app)
    idea = make_idea(app, user, title="Benker i skyggen")
    event = make_event(app, make_organisation(app))
    place = _place(app)
    assert Browser(app).get("/").status_code == 200   # the connections are made before the cut

    redis_proxy.cut()
    with caplog.at_level(logging.INFO):
        visitor = Browser(app)
        assert visitor.get("/").status_code == 200
        assert visitor.get(f"/ideas/{idea}").status_code == 200
        assert visitor.get("/account/login").status_code == 200
        login = Browser(app).submit("/account/login", {"email": user.email, "password": PASSWORD})
        assert login.status_code == 302 and "/account/login" not in login.headers["Location"]
        wrong = Browser(app).submit("/account/login", {"email": user.email, "password": "gjetning nummer en"})
        assert wrong.status_code == 200
        signup = Browser(app).submit("/account/register", {"email": "ny.beboer@example.no", "display_name": "Nora",
                                                           "password": PASSWORD})
        assert signup.status_code == 302
        feedback = Browser(app).submit("/districts/lademoen/feedback", {"body": "Mørkt under brua om kvelden."})
        assert feedback.status_code == 302
        guest = Browser(app).submit(f"/events/{event}/register", {"name": "Amina Yusuf", "email": "amina@example.no",
                                                                   "phone": "912 34 567", "party_size": "1"})
        assert guest.status_code == 302
        page = f"/meeting-places/{place}"
        follow = Browser(app).submit(f"{page}/follow", {"email": "gjest@example.no"})
        assert follow.status_code == 302
        api = Browser(app).get("/api/v1/ideas")
        assert api.status_code == 200 and api.is_json
        # Limits still hold meanwhile, counted in this worker's memory.
        stranger = Browser(app)
        tries = [stranger.submit("/account/login", {"email": "ukjent@example.no", "password": f"gjetning {n} her"}).status_code
                 for n in range(6)]
        assert tries[-1] == 429
    lines = _outage_lines(caplog)
    assert len(lines) == 1 and "Redis" in lines[0] and "not answering" in lines[0], lines
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.name != "medvirk.redis"]

    redis_proxy.restore()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        again = Browser(app)
        email = f"offer-{prefix}@example.no"
        tries = [again.submit("/account/login", {"email": email, "password": f"gjetning {n} her"},
                              environ_base={"REMOTE_ADDR": f"10.0.{n}.1"}).status_code for n in range(6)]
    assert tries[:5] == [200] * 5 and tries[5] == 429
    assert any("answers again" in line for line in _outage_lines(caplog))
    # Counted in Redis again, where every worker sees it.
    assert list(redis.Redis.from_url(fault_redis_url()).scan_iter(f"*{prefix}*"))
