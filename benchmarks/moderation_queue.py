"""Time the moderation queue with many waiting items.

    python benchmarks/moderation_queue.py --waiting 10000

Builds a SQLite database with that many unrouted ideas and feedback items in
the moderator's districts, then requests /moderation/ (and a filtered and a
later page) several times as a logged-in moderator and prints the median time,
the SQL statements per request and the HTML size.
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

from sqlalchemy import event  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    import pyotp

    from app import create_app
    from app.accounts.models import User
    from app.core.db import utcnow
    from app.core.security import hash_password
    from app.demo.generate import build, prepare_empty_database
    from app.districts.services import list_districts
    from app.extensions import db

    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'queue.sqlite3'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        prepare_empty_database()
        ideas = args.waiting * 6 // 10
        build(amounts={"ideas": ideas, "comments": 0, "feedback": args.waiting - ideas})
        # the demo routes some of them; make every one wait
        db.session.execute(db.text("UPDATE submissions SET status = 'new', effort_area_id = NULL"))
        moderator = User(email="mod@example.no", display_name="Mod", password_hash=hash_password("x" * 16),
                         verified_at=utcnow(), role="moderator", totp_secret=pyotp.random_base32(),
                         totp_confirmed_at=utcnow())
        moderator.districts = list_districts()
        db.session.add(moderator)
        db.session.commit()
        secret = moderator.totp_secret
        waiting = db.session.execute(db.text("SELECT count(*) FROM submissions WHERE status = 'new'")).scalar()
        engine = db.engine

    client = app.test_client()
    page = client.get("/account/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    client.post("/account/login", data={"email": "mod@example.no", "password": "x" * 16, "csrf_token": token})
    # Staff pages need the second step too: the code the moderator's authenticator app shows now.
    page = client.get("/account/two-factor")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    print(f"waiting items: {waiting}")
    print(f"{'page':40} {'median ms':>10} {'queries':>8} {'KB':>7}")
    for path in ("/moderation/", "/moderation/?kind=feedback&district=lademoen", "/moderation/?page=200"):
        times = []
        for _ in range(args.repeat):
            statements.clear()
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        queries = sum(1 for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")))
        print(f"{path:40} {statistics.median(times):10.1f} {queries:8d} {len(response.get_data()) / 1024:7.1f}")


if __name__ == "__main__":
    main()
