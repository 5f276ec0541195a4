"""Measure the insights page and exports on demo data: response time, SQL statements and size.

    python benchmarks/insights.py --scale 10      # 10,000 ideas, 30,000 comments, 20,000 feedback,
                                                  # 1,200 events, 50,000 registrations

Builds a fresh SQLite database in a temporary folder (or uses the empty database
given with --database) with the whole demo at that scale, then requests each page
several times through the test client and prints two medians: "counting", with the
figures counted on every request (INSIGHTS_CACHE_SECONDS=0, what a visitor would wait
for if nothing were kept), "first", the first request of a new worker, which reads the
figures ``flask insights rollup`` kept in the database, and "kept", the usual case,
where the worker reuses the figures it already has.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

PAGES = (
    "/insights/",
    "/insights/?by=quarter",
    "/insights/?from=2024&to=2026&by=month",
    "/insights/?from=2025&to=2025&district=mollenberg",
    "/insights/export.csv",
    "/insights/export.json?by=quarter",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", help="a SQLAlchemy URL of an empty database (default: a new SQLite file)")
    args = parser.parse_args()

    from app import create_app
    from app.demo.generate import build, prepare_empty_database
    from app.extensions import db

    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'insights.sqlite3'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        prepare_empty_database()
        started = time.perf_counter()
        added = build(scale=args.scale)
        db.session.commit()
        print(f"demo at scale {args.scale} in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{n} {kind}" for kind, n in added.items()))
        engine = db.engine

    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a, **k: statements.append(a[2]))
    client = app.test_client()
    from app.insights import figures

    with app.app_context():
        started = time.perf_counter()
        figures.rollup()
        print(f"flask insights rollup: {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"{'page':48} {'counting':>9} {'first':>7} {'kept':>7} {'queries':>10} {'KB':>6}")
    for path in PAGES:
        timings = {}
        for label, seconds in (("counting", 0), ("first", 300), ("kept", 300)):
            app.config["INSIGHTS_CACHE_SECONDS"] = seconds
            client.get(path)        # warm up templates (and, for "kept", the counted figures)
            runs = []
            for _ in range(args.repeat):
                if label == "first":
                    figures._kept.clear()     # a worker that has kept nothing yet
                statements.clear()
                start = time.perf_counter()
                response = client.get(path)
                runs.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            timings[label] = (statistics.median(runs), len(statements), len(response.data))
        counting, first, kept = timings["counting"], timings["first"], timings["kept"]
        print(f"{path:48} {counting[0]:7.1f}ms {first[0]:5.1f}ms {kept[0]:5.1f}ms "
              f"{counting[1]:3d}/{first[1]:d}/{kept[1]:<3d} {counting[2] / 1024:6.1f}")


if __name__ == "__main__":
    main()
