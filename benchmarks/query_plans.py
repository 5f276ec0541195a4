"""Print, for every main page, how the database reads the big tables: the plans at the demo's real size.

    python benchmarks/query_plans.py --database sqlite:////tmp/s10.sqlite3
    python benchmarks/query_plans.py --database postgresql+psycopg://postgres@127.0.0.1:5432/bench_plans

The database must hold the demo content (``flask db upgrade``, ``flask seed``, ``flask demo --scale 10``);
it is read, never changed, except that the demo moderator gets a two-step login secret when they have
none (so the moderation pages can be opened) and ``ANALYZE`` is run. The pages and people are those of
``tests/data/test_query_plans.py``, which checks the same pages on a small data set; here the planner
sees real sizes, so on PostgreSQL this shows what it picks (``Seq Scan``, ``Index Scan``...) rather than
what it could do. A line marked ``!`` is a full read of a big table: by the test's rule on SQLite, a
``Seq Scan`` of a table with at least ``--min-rows`` rows on PostgreSQL (the demo keeps some tables that
grow in real use small at any scale: accounts, photos, memberships; PostgreSQL rightly reads those whole).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _big_nodes_postgresql(plan: dict, sizes: dict[str, int], min_rows: int) -> list[tuple[str, bool]]:
    from tests.data.test_query_plans import BIG_TABLES

    lines: list[tuple[str, bool]] = []

    def walk(node: dict, limited: bool) -> None:
        limited = limited or node.get("Node Type") == "Limit"
        relation = node.get("Relation Name")
        if relation in BIG_TABLES:
            detail = node.get("Index Cond") or node.get("Filter") or ""
            index = f" using {node['Index Name']}" if "Index Name" in node else ""
            lines.append((f"{node['Node Type']} on {relation}{index} rows={node.get('Plan Rows')} {detail}"[:160],
                          node["Node Type"] == "Seq Scan" and sizes.get(relation, 0) >= min_rows))
        for child in node.get("Plans", ()):
            walk(child, limited)

    walk(plan["Plan"], False)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a database with the demo content")
    parser.add_argument("--only-full", action="store_true", help="print only the full reads of big tables")
    parser.add_argument("--min-rows", type=int, default=1000,
                        help="PostgreSQL: a Seq Scan counts as a full read on a table of at least this many rows "
                             "(the demo's accounts, photos and memberships do not grow with --scale)")
    args = parser.parse_args()
    os.environ.setdefault("MEDVIRK_CONFIG", "testing")

    import pyotp
    from sqlalchemy import select

    from app import create_app
    from app.accounts.models import User
    from app.cli import DEMO_ORGANISER, DEMO_PASSWORD
    from app.core.db import utcnow
    from app.demo.generate import RESIDENT_EMAIL
    from app.extensions import db
    from tests.data import test_query_plans as plans

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": args.database})
    moderator_email = "moderator@demo.medvirk.no"
    with app.app_context():
        moderator = db.session.scalar(select(User).where(User.email == moderator_email))
        if moderator is not None and not moderator.totp_secret:
            moderator.totp_secret, moderator.totp_confirmed_at = pyotp.random_base32(), utcnow()
        db.session.commit()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    people = {"resident": RESIDENT_EMAIL, "organiser": DEMO_ORGANISER, "moderator": moderator_email}
    ran = plans.run_pages(app, people, password=DEMO_PASSWORD)
    full = 0
    with app.app_context(), db.engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        stats = {} if postgres else plans.sqlite_stats(connection)
        partial = frozenset() if postgres else plans.sqlite_partial_indexes(connection)
        sizes = dict(connection.exec_driver_sql(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'").all()) if postgres else {}
        for page, statements in ran.items():
            shown = []
            for statement, parameters in statements:
                if postgres:
                    lines = _big_nodes_postgresql(plans.postgresql_plan(connection, statement, parameters), sizes,
                                                  args.min_rows)
                else:
                    plan = plans.sqlite_plan(connection, statement, parameters)
                    bad = {f.plan_line for f in plans.sqlite_findings(page, statement, plan, stats, partial)}
                    lines = [(line, line in bad) for _id, _parent, line in plan
                             if (match := plans._SCAN.match(line)) and match.group(2) in plans.BIG_TABLES]
                for line, is_full in lines:
                    full += is_full
                    if is_full or not args.only_full:
                        shown.append(f"  {'!' if is_full else ' '} {line}    [{plans._head(statement)}]")
            print(f"{page}  ({len(statements)} statements)")
            print("\n".join(shown) if shown else "    (no big table read whole)")
        connection.rollback()
    print(f"\n{full} full reads of big tables")


if __name__ == "__main__":
    main()
