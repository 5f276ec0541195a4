"""Time the moderation queue with many waiting items.

    python benchmarks/moderation_queue.py --waiting 10000
    python benchmarks/moderation_queue.py --waiting 10000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_queue

Builds a scratch database (SQLite in a temporary folder; PostgreSQL at ``--database-url``, whose name
must contain "test" or "bench", emptied first) with that many unrouted ideas and feedback items in the
moderator's districts (and ``--history`` more already routed, which the queue must not read). Logs in as a moderator, follows the queue's "next page" links from page 1 to
page 200 (keyset pages: each link names the last item shown), then requests page 1, page 200, both
newest first, a filtered page and two searches several times each, and prints the median time, the SQL
statements per request and the HTML size. ``--explain`` prints the database's plan for the page-200
query and for a word search.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

DEEP = 200


def _next(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" rel="next"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _walk_to(client, start: str, page: int) -> str:
    url = start
    for _ in range(page - 1):
        found = _next(client.get(url).get_data(as_text=True))
        assert found, f"no next page before page {page}"
        url = found
    return url


def _empty(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    if "test" not in name and "bench" not in name:
        raise SystemExit(f"refusing to empty database {name!r}: its name must contain 'test' or 'bench'")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--history", type=int, default=0,
                        help="also this many items already routed (not waiting), as on a site in use for years")
    parser.add_argument("--database-url", default=None, help="PostgreSQL to use instead of a scratch SQLite file")
    parser.add_argument("--explain", action="store_true", help="print the query plans of page 200 and of a search")
    args = parser.parse_args()

    import pyotp

    from app import create_app
    from app.accounts.models import User
    from app.core.db import utcnow
    from app.core.security import hash_password
    from app.demo.generate import build, prepare_empty_database
    from app.districts.services import list_districts
    from app.extensions import db
    from app.feedback.models import Feedback

    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'queue.sqlite3'}"
    if args.database_url:
        _empty(url)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        prepare_empty_database()
        total = args.waiting + args.history
        ideas = total * 6 // 10
        build(amounts={"ideas": ideas, "comments": 0, "feedback": total - ideas})
        # the demo routes some of them: route them all, then make ``--waiting`` of them, drawn at random, wait
        db.session.execute(db.text("UPDATE submissions SET status = 'routed', effort_area_id = 1, held_at = NULL, "
                                   "withdrawn_at = NULL"))
        db.session.execute(db.text("UPDATE submissions SET status = 'new', effort_area_id = NULL WHERE id IN "
                                   "(SELECT id FROM submissions ORDER BY random() LIMIT :n)"), {"n": args.waiting})
        moderator = User(email="mod@example.no", display_name="Mod", password_hash=hash_password("x" * 16),
                         verified_at=utcnow(), role="moderator", totp_secret=pyotp.random_base32(),
                         totp_confirmed_at=utcnow())
        moderator.districts = list_districts()
        db.session.add(moderator)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        secret = moderator.totp_secret
        waiting = db.session.execute(db.text("SELECT count(*) FROM submissions WHERE status = 'new'")).scalar()
        code = db.session.scalar(db.select(Feedback.receipt_code).where(Feedback.status == "new")
                                 .order_by(Feedback.id.desc()).limit(1))
        engine = db.engine

    client = app.test_client()
    page = client.get("/account/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    client.post("/account/login", data={"email": "mod@example.no", "password": "x" * 16, "csrf_token": token})
    # Staff pages need the second step too: the code the moderator's authenticator app shows now.
    page = client.get("/account/two-factor")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})

    deep = _walk_to(client, "/moderation/", DEEP)
    deep_newest = _walk_to(client, "/moderation/?sort=newest", DEEP)
    paths = [
        ("page 1", "/moderation/"),
        (f"page {DEEP}", deep),
        ("page 1, newest first", "/moderation/?sort=newest"),
        (f"page {DEEP}, newest first", deep_newest),
        ("feedback in one district", "/moderation/?kind=feedback&district=lademoen"),
        ("search: a word", "/moderation/?q=gatelys"),
        ("search: a receipt code", "/moderation/?q=" + code.lower().replace("-", "+")),
    ]
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for _label, path in paths:     # warm: templates compiled, settings and districts kept
        client.get(path)
    # Round-robin over the pages, so that a busy moment on a shared machine falls on all of them alike;
    # CPU time (this process: Python and SQLite) is less disturbed by other processes than the wall clock.
    wall: dict[str, list[float]] = {label: [] for label, _ in paths}
    cpu: dict[str, list[float]] = {label: [] for label, _ in paths}
    last = {}
    for _ in range(args.repeat):
        for label, path in paths:
            statements.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            wall[label].append((time.perf_counter() - start) * 1000)
            cpu[label].append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, response.status_code
            queries = sum(1 for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")))
            last[label] = (response, queries)
    print(f"database: {engine.dialect.name}; waiting items: {waiting} (of {args.waiting + args.history}); "
          f"median of {args.repeat} requests")
    print(f"{'page':28} {'wall ms':>8} {'CPU ms':>7} {'queries':>8} {'KB':>6}  shown")
    for label, _path in paths:
        response, queries = last[label]
        html = response.get_data(as_text=True)
        shown = re.search(r"(Side|Page) (\d+) (av|of) (\d+)", html)
        rows = html.count('<tr class="')
        print(f"{label:28} {statistics.median(wall[label]):8.1f} {statistics.median(cpu[label]):7.1f} {queries:8d} "
              f"{len(response.get_data()) / 1024:6.1f}  {rows} rows"
              f"{', page ' + shown.group(2) + ' of ' + shown.group(4) if shown else ''}")
    for order, suffix in (("oldest first", ""), ("newest first", ", newest first")):
        deep_label, first_label = f"page {DEEP}{suffix}", f"page 1{suffix}"
        print(f"page {DEEP} / page 1, {order}: wall {statistics.median(wall[deep_label]) / statistics.median(wall[first_label]):.2f}, "
              f"CPU {statistics.median(cpu[deep_label]) / statistics.median(cpu[first_label]):.2f}")

    if args.explain:
        _explain(app, client, deep, engine)


def _explain(app, client, deep: str, engine) -> None:
    """The plan of each statement that reads the queue, for page 200 and for a word search."""
    from app.extensions import db

    captured: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "FROM submissions" in statement and "count(" in statement.lower() or "ORDER BY submissions.urgent" in statement:
            captured.append((statement, parameters))

    for label, path in ((f"page {DEEP}", deep), ("search: a word", "/moderation/?q=gatelys")):
        captured.clear()
        event.listen(engine, "before_cursor_execute", keep)
        client.get(path)
        event.remove(engine, "before_cursor_execute", keep)
        with app.app_context():
            conn = db.session.connection()
            for statement, parameters in captured:
                prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
                rows = conn.exec_driver_sql(prefix + statement, parameters).all()
                print(f"\n--- {label}: {'counts' if 'count(' in statement.lower() else 'page'} ---")
                for row in rows:
                    print("  " + " | ".join(str(c) for c in row))


if __name__ == "__main__":
    main()
