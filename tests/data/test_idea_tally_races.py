"""The kept idea tallies stay equal to a count of the ideas when moderators, authors and administrators
change the same author's ideas at once: a hide while the author is blocked, a new idea while its author is
blocked, a withdrawal while the author is unblocked, a hide or withdrawal while a blocked author's account is erased,
in either order.

On PostgreSQL (TEST_DATABASE_URL) the two changes really overlap: the first is written but not committed
while the second runs in another thread and connection, then the first commits. On SQLite, which lets one
writer at a time, the same changes run one after the other and the tallies must agree just the same."""
from __future__ import annotations

import threading

import pytest

from app.core.db import utcnow
from app.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.data.test_idea_tallies import _kept, _recount
from tests.helpers import make_idea, make_user


def _block(author_id: int):
    from app.accounts.models import User
    return lambda ids: setattr(db.session.get(User, author_id), "blocked_at", utcnow())


def _unblock(author_id: int):
    from app.accounts.models import User
    return lambda ids: setattr(db.session.get(User, author_id), "blocked_at", None)


def _hide(ids):
    from app.ideas.models import Idea
    db.session.get(Idea, ids[0]).hidden_at = utcnow()


def _withdraw(ids):
    from app.ideas.models import Idea
    db.session.get(Idea, ids[1]).withdrawn_at = utcnow()


def _erase(author_id: int):
    from app.accounts.models import User
    from app.privacy.erasure import erase
    return lambda ids: erase(db.session.get(User, author_id))


def _new_idea(author_id: int):
    def change(ids):
        from app.accounts.models import User
        from app.districts.services import get_district
        from app.ideas import services
        services.create_idea(db.session.get(User, author_id), get_district("mollenberg"),
                             "Et nytt forslag om gatelys", "Det trengs bedre gatelys langs elva om kvelden.", None)
    return change


def _overlap(app, ids, first, second) -> None:
    """``first`` is written and waits uncommitted while ``second`` is made and committed (or waits for it),
    then ``first`` commits."""
    written, go, failures = threading.Event(), threading.Event(), []

    def run(change, hold: bool) -> None:
        try:
            with app.test_request_context():
                change(ids)
                db.session.flush()
                if hold:
                    written.set()
                    go.wait(30)
                db.session.commit()
        except Exception as error:  # noqa: BLE001  (reported below, in the test's thread)
            failures.append(error)
            written.set()

    if not TEST_DATABASE_URL:   # SQLite: one writer at a time
        run(first, False)
        run(second, False)
        return
    holder = threading.Thread(target=run, args=(first, True))
    holder.start()
    assert written.wait(30)
    follower = threading.Thread(target=run, args=(second, False))
    follower.start()
    follower.join(1.0)   # it either waits for the first to commit or is done already
    go.set()
    holder.join(30)
    follower.join(30)
    assert not failures, failures


SCENARIOS = {
    "hide, then block": (lambda a: _hide, _block, False),
    "block, then hide": (_block, lambda a: _hide, False),
    "new idea, then block": (_new_idea, _block, False),
    "block, then new idea": (_block, _new_idea, False),
    "withdraw, then unblock": (lambda a: _withdraw, _unblock, True),
    "unblock, then withdraw": (_unblock, lambda a: _withdraw, True),
    # A blocked author's ideas count again once the account is erased (shown as by a deleted user).
    "hide, then erase": (lambda a: _hide, _erase, True),
    "erase, then withdraw": (_erase, lambda a: _withdraw, True),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_tallies_equal_a_recount_when_an_author_is_blocked_or_unblocked_meanwhile(app, scenario):
    from app.accounts.models import User

    first, second, blocked = SCENARIOS[scenario]
    author, other = make_user(app), make_user(app)
    ids = [make_idea(app, author, title=f"Idé nummer {n} om parken") for n in range(3)]
    make_idea(app, other, district="mollenberg")
    if blocked:
        with app.app_context():
            db.session.get(User, author.id).blocked_at = utcnow()
            db.session.commit()
    _overlap(app, ids, first(author.id), second(author.id))
    with app.app_context():
        assert _kept() == _recount(), scenario
    # And after the block is lifted (or set) again, still nothing drifts.
    with app.app_context():
        user = db.session.get(User, author.id)
        if user is None:
            return
        user.blocked_at = utcnow() if user.blocked_at is None else None
        db.session.commit()
        assert _kept() == _recount(), scenario
