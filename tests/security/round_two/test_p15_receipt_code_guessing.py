"""Receipt codes could be guessed at about 127 a second.

The tester asked ``/feedback/<code>`` for one made-up code after another. Wrong guesses are now
counted per client (an IPv6 client by its /64) and after a few the lookup answers 429 for a while,
even for a right code; new receipts get longer codes, and the old short ones still open.
"""
from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.feedback.models import Feedback
from app.feedback.services import CODE_ALPHABET

GUESSES = 60


def make_feedback(app, code: str | None = None) -> str:
    from app.districts.services import get_district
    from app.feedback.services import new_receipt_code

    with app.app_context():
        feedback = Feedback(district_id=get_district("lademoen").id, body="Mørkt under brua.",
                            receipt_code=code or new_receipt_code())
        db.session.add(feedback)
        db.session.commit()
        return feedback.receipt_code


def guess(number: int) -> str:
    raw = "".join(CODE_ALPHABET[(number * 7 + i) % len(CODE_ALPHABET)] for i in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def test_guessing_codes_is_stopped_after_a_few_wrong_ones(app, client):
    real = make_feedback(app)
    answers = [client.get(f"/feedback/{guess(n)}").status_code for n in range(GUESSES)]
    assert set(answers) <= {404, 429} and answers.count(404) <= 20
    assert answers[-1] == 429
    # The right code no longer answers either: a guess that hits gives nothing away.
    refused = client.get(f"/feedback/{real}")
    assert refused.status_code == 429 and refused.headers.get("Retry-After", "").isdigit()
    # Someone else, from another address, still opens their own receipt.
    other = app.test_client()
    assert other.get(f"/feedback/{real}", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200


def test_an_ipv6_client_cannot_get_fresh_guesses_from_its_other_addresses(app):
    client = app.test_client()
    answers = [client.get(f"/feedback/{guess(n)}", environ_base={"REMOTE_ADDR": f"2001:db8:1:2::{n + 1:x}"}).status_code
               for n in range(GUESSES)]
    assert answers.count(404) <= 20 and answers[-1] == 429


def test_new_codes_are_longer_and_old_ones_still_open(app, client):
    new = make_feedback(app)
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){2}", new)   # 12 characters: 60 bits
    old = make_feedback(app, "ABCD-EFGH")
    assert client.get(f"/feedback/{new}").status_code == 200
    assert client.get(f"/feedback/{old}").status_code == 200
    assert client.get(f"/feedback/{new.replace('-', '').lower()}").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Feedback.receipt_code).where(Feedback.receipt_code == new)) == new
