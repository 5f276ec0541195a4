"""Test helpers: apps on a fresh database, a browser-like client that fills in forms, users, query counting."""
from __future__ import annotations

import itertools
import re
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import CodeType
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import Integer, Table, event, exists, select, text
from sqlalchemy.exc import DBAPIError
from werkzeug.test import TestResponse

from app import create_app
from app.extensions import db

PASSWORD = "lilla giraff sykler hjem"
_counter = itertools.count(1)


def create_schema() -> None:
    """The models' tables plus the search structures the migrations add (inside an app context)."""
    from app.ideas import search

    db.create_all()
    with db.engine.begin() as conn:
        search.install(conn)


_schema_ready: set[str] = set()
_IN_MEMORY = ("sqlite://", "sqlite:///:memory:")
# The schema and the seed, made once per test process in a database of its own in memory, which each
# app's database in memory is then a copy of (SQLite's backup copies tables, triggers and the search
# index page by page, far faster than creating and seeding them again).
_seeded_template: sqlite3.Connection | None = None


def _seed() -> None:
    from app.districts.seed_data import DISTRICTS, EFFORT_AREAS
    from app.districts.services import seed

    seed(DISTRICTS, EFFORT_AREAS)
    db.session.commit()


def _copy_of_seeded_template() -> None:
    """Fill this app's (empty, in-memory) database with the seeded schema."""
    global _seeded_template
    if _seeded_template is None:
        template_app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
        with template_app.app_context():
            create_schema()
            _seed()
            template = sqlite3.connect(":memory:", check_same_thread=False)
            db.engine.raw_connection().driver_connection.backup(template)
            db.session.remove()
            db.engine.dispose()
        _seeded_template = template
    db.session.remove()
    connection = db.engine.raw_connection()   # the one connection of the StaticPool
    try:
        _seeded_template.backup(connection.driver_connection)
    finally:
        connection.close()


def _fresh_schema(app) -> bool:
    """SQLite in memory starts as a copy of the seeded template (True: seeded already); a SQLite file
    starts empty; PostgreSQL keeps one schema and is emptied after each test."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url in _IN_MEMORY:
        _copy_of_seeded_template()
        return True
    if url.startswith("sqlite"):
        create_schema()
    elif url not in _schema_ready:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        create_schema()
        _schema_ready.add(url)
    return False


# PostgreSQL: the rows the seed makes, read once per database after the first seed and written back
# in one statement per table after that (the seed itself asks and writes row by row).
_seeded_rows: dict[str, list[tuple[Table, list[dict]]]] = {}


def _seed_postgresql(url: str) -> None:
    if url in _seeded_rows:
        tables = _seeded_rows[url]
        with db.engine.begin() as conn:
            if not any(conn.scalar(select(exists().select_from(table))) for table, _rows in tables):
                for table, rows in tables:
                    conn.execute(table.insert(), rows)
                _move_sequences_past(conn, [table for table, _rows in tables])
                return
        _seed()   # another app on this database seeded it already: the seed adds what is missing
        return
    _seed()
    with db.engine.connect() as conn:
        _seeded_rows[url] = [(table, [dict(row._mapping) for row in conn.execute(select(table))])
                             for table in db.metadata.sorted_tables if conn.scalar(select(exists().select_from(table)))]


def _move_sequences_past(conn, tables: list[Table]) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto" and isinstance(column.type, Integer)
                                                and len(table.primary_key.columns) == 1):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'), "
                                  f"(SELECT max(\"{column.name}\") FROM \"{table.name}\"))"))


def _empty_tables(app) -> None:
    """PostgreSQL: the tables a test wrote to are emptied and every sequence starts again at 1, as after
    ``TRUNCATE ... RESTART IDENTITY`` of all of them, which takes far longer (a new file per table)."""
    if db.engine.dialect.name == "postgresql":
        tables = db.metadata.sorted_tables
        with db.engine.begin() as conn:
            written = set(conn.scalars(text(" UNION ALL ".join(
                f"SELECT {i} WHERE EXISTS (SELECT 1 FROM \"{table.name}\")" for i, table in enumerate(tables)))))
            try:
                with conn.begin_nested():
                    for i in reversed(range(len(tables))):
                        if i in written:
                            conn.execute(tables[i].delete())
            except DBAPIError:   # rows that refer to each other in a circle: TRUNCATE takes them all at once
                names = ", ".join(f'"{tables[i].name}"' for i in written)
                conn.execute(text(f"TRUNCATE {names} CASCADE"))
            for name in conn.scalars(text("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) "
                                          "FROM pg_sequences WHERE last_value IS NOT NULL")):
                conn.execute(text(f"ALTER SEQUENCE {name} RESTART"))
    db.engine.dispose()


def _cache_url_builders() -> None:
    """Every app made in the tests compiles the same URL rules into the same builder functions (Python
    code werkzeug generates per rule and per app, most of the time it takes to make an app). A builder
    depends only on the rule's parts and defaults, so each is compiled once per test process."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    if getattr(compile_builder, "cached", False):
        return
    builders: dict = {}

    def cached_compile_builder(self, append_unknown: bool = True):
        defaults = self.defaults or {}
        key = (
            tuple(self._trace),
            tuple((name, self._converters[name].to_url(value) if name in self._converters else None)
                  for name, value in defaults.items()),
            append_unknown,
        )
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    cached_compile_builder.cached = True  # type: ignore[attr-defined]
    Rule._compile_builder = cached_compile_builder  # type: ignore[method-assign]


_cache_url_builders()


class _CompiledTemplates(BytecodeCache):
    """Jinja compiles each template anew for each app (each has its own environment), the largest part of a
    test's first page. The apps the tests make have the same environment, so a template's code, compiled
    once per test process, is used by every app (kept as long as the template's text is unchanged)."""

    def __init__(self) -> None:
        self.code: dict[str, tuple[str | None, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self.code.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.code[bucket.key] = (bucket.checksum, bucket.code)


_compiled_templates = _CompiledTemplates()


def build_app(**overrides):
    """An app on a fresh, seeded database; give it to ``discard_app`` when done.

    ``app_factory`` uses this per test; a test module that reuses one app for all its
    tests (a module-scoped fixture) calls it directly."""
    app = create_app("testing", overrides)
    app.jinja_env.bytecode_cache = _compiled_templates
    with app.app_context():
        if _fresh_schema(app):
            pass
        elif db.engine.dialect.name == "postgresql":
            _seed_postgresql(app.config["SQLALCHEMY_DATABASE_URI"])
        else:
            _seed()
    return app


def discard_app(app) -> None:
    with app.app_context():
        db.session.remove()
        _empty_tables(app)


@dataclass
class UserInfo:
    id: int
    email: str
    role: str
    display_name: str
    districts: list[str] = field(default_factory=list)
    totp_secret: str | None = None


STAFF = ("moderator", "admin")


def make_user(app, role: str = "resident", email: str | None = None, districts=(), password: str = PASSWORD,
              display_name: str | None = None, locale: str = "nb", two_factor: bool = True) -> UserInfo:
    """An account; staff get two-step login already set up (``two_factor=False``: not yet)."""
    import pyotp

    from app.accounts.models import User
    from app.core.db import utcnow
    from app.core.security import hash_password
    from app.districts.services import get_district

    n = next(_counter)
    email = email or f"{role}{n}@example.no"
    if role == "moderator" and not districts:
        districts = ("lademoen",)
    with app.app_context():
        user = User(
            email=email,
            display_name=display_name or f"{role.title()} {n}",
            password_hash=hash_password(password),
            verified_at=None if role == "unverified" else utcnow(),
            role="resident" if role == "unverified" else role,
            locale=locale,
        )
        if role in STAFF and two_factor:
            user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), utcnow()
        user.districts = [get_district(slug) for slug in districts]
        db.session.add(user)
        db.session.commit()
        return UserInfo(user.id, user.email, role, user.display_name, list(districts), user.totp_secret)


def totp_code(app, email: str) -> str:
    """The code a staff member's authenticator app shows now, for a step the account has not used yet.

    Normally the current step, or the next one (within the allowed drift) when the current one was
    just used. A test that logs the same account in a third time within 30 seconds would find both
    used; a person would wait for the next code, so here the record of used steps is forgotten instead.
    """
    import pyotp

    from app.accounts.models import User

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
        totp = pyotp.TOTP(user.totp_secret)
        now = int(time.time()) // totp.interval
        last = user.totp_last_step
        if last is not None and last >= now + 1:
            user.totp_last_step = None
            db.session.commit()
            last = None
        step = now if last is None or last < now else now + 1
        return totp.generate_otp(step)


def soup(response: TestResponse) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def form_fields(response: TestResponse, action: str | None = None) -> dict:
    """The prefilled values of a form on the page (hidden fields, CSRF token, defaults)."""
    page = soup(response)
    forms = page.find_all("form")
    if action is not None:
        path = urlsplit(action).path
        forms = [f for f in forms if urlsplit(f.get("action") or "").path == path] or forms
    values: dict[str, str] = {}
    for form in forms:
        if form.find("input", {"name": re.compile("csrf_token$")}) is None:
            continue
        for element in form.find_all(["input", "textarea", "select"]):
            name = element.get("name")
            if not name:
                continue
            kind = element.get("type", "text")
            if kind in ("checkbox", "radio"):
                if element.has_attr("checked") and kind == "checkbox" and name in values:
                    # boxes of one name ticked together: all of them, as a browser sends them
                    before = values[name]
                    values[name] = [*(before if isinstance(before, list) else [before]), element.get("value", "y")]
                elif element.has_attr("checked"):
                    values[name] = element.get("value", "y")
            elif element.name == "textarea":
                values[name] = element.text.removeprefix("\n")
            elif element.name == "select":
                chosen = element.find("option", selected=True) or element.find("option")
                values[name] = chosen.get("value", chosen.text) if chosen else ""
            else:
                values[name] = element.get("value", "")
        break
    return values


class Browser:
    """A Flask test client that submits forms the way a person does: it loads the
    page first and sends the form's hidden fields (CSRF token, submission id) along.

    After a moderator's or admin's login it goes on to the code page and enters the code
    their authenticator app shows, as they do; ``second_factor=False`` stops at the password."""

    def __init__(self, app, second_factor: bool = True):
        self.app = app
        self.client = app.test_client()
        self.second_factor = second_factor

    def __getattr__(self, name):
        return getattr(self.client, name)

    def submit(self, url: str, data: dict, page: str | None = None, action: str | None = None, **kwargs) -> TestResponse:
        form_page = self.client.get(page or url, **{k: v for k, v in kwargs.items() if k == "headers"})
        values = form_fields(form_page, action or url)
        values.update(data)
        values = {k: v for k, v in values.items() if v is not None}
        response = self.client.post(action or url, data=values, **kwargs)
        if self.second_factor and urlsplit(action or url).path == "/account/login" and response.status_code == 302:
            location = response.headers["Location"]
            if urlsplit(location).path == "/account/two-factor":
                return self.submit(location, {"code": totp_code(self.app, data["email"])}, action="/account/two-factor")
        return response


def outbox(app, recipient: str | None = None, as_stored: bool = False):
    """The mail in the outbox, oldest first, as it is sent: secret links made from the stored references
    (``as_stored``: as the database keeps it, with a marker where each token goes)."""
    from app.core.mail import as_sent
    from app.core.models import OutboxMessage

    with app.app_context():
        query = db.select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient:
            query = query.where(OutboxMessage.recipient == recipient)
        messages = list(db.session.scalars(query))
        db.session.expunge_all()
        if not as_stored:
            for message in messages:   # detached: what is set here is never written back
                message.body, message.headers = as_sent(message)
        return messages


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in a mail that starts with ``path_prefix``."""
    for url in re.findall(r"https?://\S+", message.body):
        path = urlsplit(url).path
        if path.startswith(path_prefix):
            query = urlsplit(url).query
            return path + (f"?{query}" if query else "")
    raise AssertionError(f"no link to {path_prefix} in mail {message.template}")


@contextmanager
def count_queries(app):
    """Count the SQL statements run inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def query_string(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def make_idea(app, author: UserInfo, district: str = "lademoen", title: str = "Flere benker i parken",
              body: str = "Det trengs flere benker i parken, særlig i skyggen ved lekeplassen.", **state) -> int:
    """An idea made through the service, then put in ``state`` (status, hidden_at, held_at...)."""
    from app.accounts.models import User
    from app.districts.services import get_district
    from app.ideas import services

    with app.test_request_context():
        idea = services.create_idea(db.session.get(User, author.id), get_district(district), title, body, None)
        for name, value in state.items():
            setattr(idea, name, value)
        db.session.commit()
        return idea.id


def give_standing(app, user: UserInfo) -> UserInfo:
    """Make ``user`` a reporter whose reports count towards hiding: an account older than
    REPORT_STANDING_DAYS that has written an idea still shown (in Tempe-Sorgenfri, out of the way)."""
    from datetime import timedelta

    from app.accounts.models import User
    from app.core.db import utcnow

    make_idea(app, user, district="tempe-sorgenfri", title=f"Et forslag fra {user.display_name}")
    with app.app_context():
        db.session.get(User, user.id).created_at = utcnow() - timedelta(days=app.config["REPORT_STANDING_DAYS"] + 1)
        db.session.commit()
    return user


def make_comment(app, author: UserInfo, idea_id: int, body: str = "Godt forslag!", **state) -> int:
    from app.accounts.models import User
    from app.ideas import services
    from app.ideas.models import Idea

    with app.test_request_context():
        comment = services.add_comment(db.session.get(Idea, idea_id), db.session.get(User, author.id), body)
        for name, value in state.items():
            setattr(comment, name, value)
        db.session.commit()
        return comment.id


def make_organisation(app, organiser: UserInfo | None = None, districts=("mollenberg",), name: str = "Språkkafeen",
                      status: str = "approved") -> int:
    from app.districts.services import get_district
    from app.organisations.models import Membership, Organisation

    with app.app_context():
        organisation = Organisation(name=name, description="Vi øver norsk sammen.", description_html="<p>Vi øver norsk sammen.</p>",
                                    contact_email="kafe@example.no", status=status)
        organisation.districts = [get_district(slug) for slug in districts]
        if organiser is not None:
            organisation.memberships = [Membership(user_id=organiser.id)]
        db.session.add(organisation)
        db.session.commit()
        return organisation.id


def make_event(app, organisation_id: int, district: str = "mollenberg", title: str = "Språkkafé",
               starts_in_days: float = 7, hours: float = 2, capacity: int | None = 10, **fields) -> int:
    from datetime import timedelta

    from app.core.db import utcnow
    from app.districts.services import get_district
    from app.events.models import Event

    with app.app_context():
        starts = (utcnow() + timedelta(days=starts_in_days)).replace(second=0, microsecond=0)
        event = Event(organisation_id=organisation_id, district_id=get_district(district).id, title=title,
                      description="Vi snakker norsk over en kopp kaffe.", description_html="<p>Vi snakker norsk.</p>",
                      address=fields.pop("address", "Rosenborg gate 10"), starts_at=starts,
                      ends_at=starts + timedelta(hours=hours), capacity=capacity, seats_taken=0, **fields)
        db.session.add(event)
        db.session.commit()
        return event.id
