"""Measure SQL queries, HTML size and response time of the event pages on demo data.

    python benchmarks/events.py --scale 10     # 1,200 events, 50,000 registrations

Builds a fresh SQLite database in a temporary folder (or uses the empty
database given with --database), loads the demo organisations, events and
registrations (not the ideas and feedback, which these pages do not show),
then requests the list of events and the busiest upcoming event several
times through the test client, as a visitor and as the demo organiser (and
that event's participant list, when the organiser pages are there), and
prints the median time, the number of SQL statements and the size of the HTML.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, func, select  # noqa: E402

PASSWORD = "benchmark-passord-for-medvirk"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", help="a SQLAlchemy URL of an empty database (default: a new SQLite file)")
    args = parser.parse_args()

    from flask import url_for

    from app import create_app
    from app.accounts.models import User
    from app.core.db import utcnow
    from app.core.security import hash_password
    from app.demo.generate import BASE, ORGANISER_EMAIL, build, prepare_empty_database
    from app.events.models import Event, EventStatus, Registration
    from app.extensions import db

    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'events.sqlite3'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    missing = {"events.index", "events.show"} - set(app.view_functions)
    if missing:
        sys.exit(f"The event pages are not there yet (no {', '.join(sorted(missing))}).")
    with app.app_context():
        prepare_empty_database()
        # The demo makes this account an organiser of every demo organisation.
        db.session.add(User(email=ORGANISER_EMAIL, display_name="Arrangør", password_hash=hash_password(PASSWORD),
                            verified_at=utcnow(), role="resident"))
        db.session.flush()
        started = time.perf_counter()
        added = build(amounts={"ideas": 0, "comments": 0, "feedback": 0, "events": BASE["events"] * args.scale,
                               "registrations": BASE["registrations"] * args.scale})
        db.session.commit()
        print(f"demo events at scale {args.scale}: {added['events']} events, {added['registrations']} registrations "
              f"in {time.perf_counter() - started:.1f} s")
        busiest = db.session.execute(
            select(Event.id, func.count(Registration.id))
            .join(Registration, Registration.event_id == Event.id)
            .where(Event.status == EventStatus.PUBLISHED.value, Event.starts_at > utcnow())
            .group_by(Event.id).order_by(func.count(Registration.id).desc(), Event.id).limit(1)
        ).one()
        print(f"busiest upcoming event: {busiest[0]} with {busiest[1]} registrations")
        engine = db.engine
    with app.test_request_context():
        pages = [(url_for("events.index"), ("visitor", "organiser")),
                 (url_for("events.show", event_id=busiest[0]), ("visitor", "organiser"))]
        if "organiser.participants" in app.view_functions:
            pages.append((url_for("organiser.participants", event_id=busiest[0]), ("organiser",)))

    visitor, organiser = app.test_client(), app.test_client()
    login = organiser.get("/account/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login.get_data(as_text=True)).group(1)
    response = organiser.post("/account/login", data={"email": ORGANISER_EMAIL, "password": PASSWORD,
                                                      "csrf_token": token})
    assert response.status_code == 302, "the organiser could not log in"

    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    print(f"{'page':32} {'as':10} {'median ms':>10} {'queries':>8} {'KB':>7}")
    clients = {"visitor": visitor, "organiser": organiser}
    for path, whom in pages:
        for who in whom:
            client = clients[who]
            times = []
            for _ in range(args.repeat):
                statements.clear()
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, who, response.status_code)
            queries = sum(1 for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")))
            print(f"{path:32} {who:10} {statistics.median(times):10.1f} {queries:8d} "
                  f"{len(response.get_data()) / 1024:7.1f}")


if __name__ == "__main__":
    main()
