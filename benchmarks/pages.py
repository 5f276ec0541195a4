"""Measure SQL queries, HTML size and response time of the main pages on demo data.

    python benchmarks/pages.py --scale 1      # 1,000 ideas, 3,000 comments, 2,000 feedback
    python benchmarks/pages.py --scale 10     # ten times as much

Builds a fresh SQLite database in a temporary folder (or uses DATABASE_URL when
--database is given), loads the demo content, then requests each page several
times through the test client and prints the median time, the number of SQL
statements and the size of the HTML.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, func, select  # noqa: E402

PAGES = [
    "/", "/ideas/", "/ideas/?sort=supported", "/ideas/?q=benker", "/ideas/?district=lademoen&page=3",
    "/ideas/{busiest}", "/districts/lademoen", "/effort-areas/3", "/districts/lademoen/feedback",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", help="a SQLAlchemy URL of an empty database (default: a new SQLite file)")
    args = parser.parse_args()

    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("MEDVIRK_CONFIG", "testing")
    from app import create_app
    from app.demo.generate import build, prepare_empty_database
    from app.extensions import db
    from app.ideas.models import Comment

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        prepare_empty_database()
        started = time.perf_counter()
        added = build(args.scale)
        db.session.commit()
        print(f"demo --scale {args.scale}: {added} in {time.perf_counter() - started:.1f} s")
        busiest = db.session.execute(
            select(Comment.idea_id, func.count()).group_by(Comment.idea_id).order_by(func.count().desc()).limit(1)
        ).first()
        engine = db.engine

    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    client = app.test_client()
    print(f"{'page':45} {'median ms':>10} {'queries':>8} {'KB':>7}")
    for path in PAGES:
        path = path.format(busiest=busiest[0])
        times = []
        for _ in range(args.repeat):
            statements.clear()
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        queries = sum(1 for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")))
        print(f"{path:45} {statistics.median(times):10.1f} {queries:8d} {len(response.get_data()) / 1024:7.1f}")


if __name__ == "__main__":
    main()
