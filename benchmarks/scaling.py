"""Scaling benchmark: does a page's cost stay flat as the data grows, and how fast are pages without the cache?

    python benchmarks/scaling.py --reuse                 # the whole run, SQLite and PostgreSQL
    python benchmarks/scaling.py --quick                 # a smoke run of a few minutes (1x and 10x)
    python benchmarks/scaling.py --reuse --no-load       # part 1 only: the pages in-process
    python benchmarks/scaling.py --reuse --no-pages --duration 5 --repeats 1   # parts 2 and 3 only

In one run, for each database (SQLite and PostgreSQL):

1. **Pages at 1x, 10x and 100x demo scale**, in-process (test client, production configuration, page
   cache off): each page's median wall time and median CPU time of the process over ``--rounds``
   requests, its SQL statements, and the ratios of the largest scale's times to the smallest's (the CPU
   time is less disturbed by other work on the machine; on SQLite it includes the SQL, on PostgreSQL
   the server's own work is not in it). Every page's idea, event, place and organisation is
   chosen the same way at every scale (the idea with the most comments, the organiser's next event,
   the first meeting place and organisation); the deep page of the idea list is reached by following
   the list's own "Next page" link. Logged-in pages are seen as the demo resident, organiser and
   moderator (the benchmark gives the moderator an authenticator secret and passes the second step).
2. **Under load at 10x** with gunicorn (2 sync workers) and ``wrk`` (2 threads, 32 connections), as in
   ``benchmarks/load.py``: a bare Flask "hello", every public page with the page cache off, and the
   logged-in pages with the cache on while another resident supports and withdraws support on one idea
   twice a second through HTTP (with the CSRF token, like a browser). Requests per second, the fraction
   of "hello", p50 and p99, and answers that were not 2xx or 3xx.
3. **Scale-out on PostgreSQL with Redis** (the page cache's generation and the rate limits in Redis,
   the page cache off):
   one gunicorn with 1 worker, one with 2 workers, and two gunicorn processes with 1 worker each (two
   ports, the same SECRET_KEY; a session made through one is used through the other) loaded at once
   by two ``wrk`` runs of 16 connections each, their requests per second summed.

The data sets are built with the real commands (``flask db upgrade``, ``flask seed``, ``flask demo
--scale N``, each timed). ``--reuse`` keeps the ones built by an earlier run: SQLite files in
``--workdir``, PostgreSQL databases ``bench_s1``, ``bench_s10``, ``bench_s100`` (only ``flask db
upgrade`` runs again). The benchmark's copies are changed in two ways only: the demo moderator gets
an authenticator secret, and one demo resident (the writer) the demo password.

Only loopback addresses are used; the run is bounded in time (``--time-limit``), every server started
is stopped on exit, and the JSON of the run goes to ``--workdir``. The tables are printed at the end
as markdown, ready for benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402 - benchmarks/load.py: servers, wrk, HTTP helpers, building the data
from load import ROOT, Servers, cookie_header, cookies_from, hidden_fields, request, wrk  # noqa: E402

RESIDENT = load.RESIDENT
ORGANISER = "arrangor@demo.medvirk.no"
MODERATOR = "moderator@demo.medvirk.no"
WRITERS = ("resident-0@demo.medvirk.no", "resident-1@demo.medvirk.no")   # the first that did not write the idea
LOAD_SCALE = 10
WRITES_PER_SECOND = 2
DEEP_PAGE = 50            # the idea list's page reached by following "Next page"
POSTGRESQL_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str | None = None     # None: a visitor; otherwise the email of the person logged in


def public_pages(facts: dict) -> list[Page]:
    return [
        Page("home", "/"),
        Page("district", "/districts/lademoen"),
        Page("effort area", "/effort-areas/3"),
        Page("ideas", "/ideas/"),
        Page("ideas, most supported", "/ideas/?sort=supported"),
        Page("ideas, one district", "/ideas/?district=lademoen"),
        Page("ideas, one effort area", "/ideas/?area=3"),
        Page("ideas, done", "/ideas/?status=done"),
        Page(f"ideas, page {facts['deep_page_number']}", facts["deep_page"]),
        Page("ideas, search", "/ideas/?q=benker"),
        Page("idea", f"/ideas/{facts['idea_id']}"),
        Page("events", "/events/"),
        Page("event", f"/events/{facts['event_id']}"),
        Page("meeting place", f"/meeting-places/{facts['place_id']}"),
        Page("organisation", f"/organisations/{facts['organisation_id']}"),
        Page("insights", "/insights/"),
    ]


def logged_in_pages(facts: dict) -> list[Page]:
    return [
        Page("home", "/", RESIDENT),
        Page("ideas", "/ideas/", RESIDENT),
        Page("idea", f"/ideas/{facts['idea_id']}", RESIDENT),
        Page("events", "/events/", RESIDENT),
        Page("event", f"/events/{facts['event_id']}", RESIDENT),
        Page("my page", "/account/", RESIDENT),
        Page("organiser", "/organiser/", ORGANISER),
        Page("organiser's event", f"/organiser/events/{facts['event_id']}", ORGANISER),
        Page("moderation queue", "/moderation/", MODERATOR),
    ]


def in_process_pages(facts: dict) -> list[Page]:
    """What part 1 measures: every public page, and the pages only a logged-in person sees."""
    mine = [page for page in logged_in_pages(facts) if page.path in ("/account/",) or page.who != RESIDENT]
    return public_pages(facts) + [Page("idea", f"/ideas/{facts['idea_id']}", RESIDENT)] + mine


def who(page: Page) -> str:
    return {None: "visitor", RESIDENT: "resident", ORGANISER: "organiser", MODERATOR: "moderator"}[page.who]


# --- the data sets -------------------------------------------------------------------------------------------


def database_url(database: str, scale: int, workdir: Path, server: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{workdir / f'scaling-s{scale}.sqlite3'}"
    return f"{server}/bench_s{scale}"


def build_data(database: str, scale: int, url: str, workdir: Path, reuse: bool) -> dict:
    """The demo data set at ``scale``, built with the real commands and timed, or an earlier one reused
    (its schema brought up to date). A marker file says that a build finished."""
    marker = workdir / f"built-{database}-s{scale}.json"
    if reuse and marker.exists():
        load.flask(url, "db", "upgrade")
        return {**json.loads(marker.read_text()), "reused": True}
    marker.unlink(missing_ok=True)
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    timings = load.build(url, scale, reuse=False)   # empties a PostgreSQL database first
    marker.write_text(json.dumps(timings))
    return timings


def production_app(url: str, workdir: Path, **settings):
    from app import create_app

    return create_app("production", {**load.app_overrides(url), "PAGE_CACHE_SECONDS": 0,
                                     "PAGE_CACHE_GENERATION_FILE": str(workdir / "in-process-generation"),
                                     **settings})


def prepare_accounts(app, idea_author: int | None) -> str:
    """The benchmark's copy only: the moderator gets an authenticator secret (as after setting up two-step
    login) and a demo resident who did not write the busiest idea gets the demo password, to write with."""
    import pyotp
    from sqlalchemy import select

    from app.accounts.models import User
    from app.cli import DEMO_PASSWORD
    from app.core.db import utcnow
    from app.core.security import hash_password
    from app.extensions import db

    with app.app_context():
        moderator = db.session.scalar(select(User).where(User.email == MODERATOR))
        if moderator.totp_confirmed_at is None:
            moderator.totp_secret, moderator.totp_confirmed_at = pyotp.random_base32(), utcnow()
        writer = next(user for user in db.session.scalars(select(User).where(User.email.in_(WRITERS))
                                                          .order_by(User.email)) if user.id != idea_author)
        if writer.password_hash is None:
            writer.password_hash = hash_password(DEMO_PASSWORD)
        db.session.commit()
        return writer.email


def totp_code(url: str, email: str) -> str:
    """The code the moderator's authenticator app shows now, for a step the account has not used yet
    (as tests/helpers.py: the next step if this one was just used, forgetting used steps if need be)."""
    import pyotp
    from sqlalchemy import create_engine, select, update

    from app.accounts.models import User

    users = User.__table__
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            secret, last = conn.execute(select(users.c.totp_secret, users.c.totp_last_step)
                                        .where(users.c.email == email)).one()
            totp = pyotp.TOTP(secret)
            now = int(time.time()) // totp.interval
            if last is not None and last >= now + 1:
                conn.execute(update(users).where(users.c.email == email).values(totp_last_step=None))
                last = None
            return totp.generate_otp(now if last is None or last < now else now + 1)
    finally:
        engine.dispose()


def choose(app, client) -> dict:
    """The idea, event, place and organisation the pages show, chosen the same way at every scale,
    and the deep page of the idea list, reached by its own "Next page" links."""
    from sqlalchemy import func, select

    from app.accounts.models import User
    from app.core.db import utcnow
    from app.events.models import Event, EventStatus
    from app.extensions import db
    from app.ideas.models import Comment, Idea
    from app.meeting_places.models import MeetingPlace
    from app.organisations.models import Organisation, OrganisationStatus

    with app.app_context():
        shown = Idea.hidden_at.is_(None) & Idea.withdrawn_at.is_(None) & Idea.held_at.is_(None)
        comments = (select(Comment.idea_id.label("idea_id"), func.count().label("comments"))
                    .group_by(Comment.idea_id).subquery())
        idea_id, author = db.session.execute(
            select(Idea.id, Idea.author_id).join(comments, comments.c.idea_id == Idea.id).where(shown)
            .order_by(comments.c.comments.desc(), Idea.id).limit(1)).one()
        organiser = select(User.id).where(User.email == ORGANISER).scalar_subquery()
        event_id = db.session.scalar(
            select(Event.id).where(Event.created_by_id == organiser, Event.status == EventStatus.PUBLISHED,
                                   Event.starts_at > utcnow()).order_by(Event.starts_at, Event.id).limit(1))
        place_id = db.session.scalar(select(MeetingPlace.id).order_by(MeetingPlace.id).limit(1))
        organisation_id = db.session.scalar(select(Organisation.id).where(
            Organisation.status == OrganisationStatus.APPROVED).order_by(Organisation.id).limit(1))
    path, number = "/ideas/", 1
    while number < DEEP_PAGE:
        found = next_link(client.get(path).get_data(as_text=True))
        if found is None:
            break
        path, number = found, number + 1
    return {"idea_id": idea_id, "idea_author": author, "event_id": event_id, "place_id": place_id,
            "organisation_id": organisation_id, "deep_page": path, "deep_page_number": number}


def next_link(html: str) -> str | None:
    for tag in re.findall(r"<a\b[^>]*>", html):
        if re.search(r'\brel="next"', tag) and (href := re.search(r'\bhref="([^"]+)"', tag)):
            return unescape(href.group(1))
    return None


# --- 1. in-process: time and statements at each scale -------------------------------------------------------


def log_in_client(client, email: str, second_step=None) -> None:
    """Logs the test client in as ``email`` through the login form (and the code page for staff)."""
    from app.cli import DEMO_PASSWORD

    form = hidden_fields(client.get("/account/login").get_data(as_text=True))
    response = client.post("/account/login", data={**form, "email": email, "password": DEMO_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"logging in as {email} answered {response.status_code}")
    if urllib.parse.urlsplit(response.headers["Location"]).path == "/account/two-factor":
        form = hidden_fields(client.get("/account/two-factor").get_data(as_text=True))
        response = client.post("/account/two-factor", data={**form, "code": second_step()})
        if response.status_code != 302:
            raise RuntimeError(f"the second step for {email} answered {response.status_code}")
    client.get(response.headers["Location"])   # shows (and so removes) "You are logged in"


def time_pages_in_process(app, url: str, clients: dict, page_list: list[Page], rounds: int) -> dict[str, dict]:
    """Per page: the median wall time and the median CPU time of this process (``time.process_time``:
    with SQLite the SQL too, with PostgreSQL not the server's work) of ``rounds`` requests (after one
    not counted), the SQL statements of one request and the size of the HTML."""
    from sqlalchemy import event

    from app.extensions import db

    seen: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    results = {}
    try:
        for page in page_list:
            client = clients[page.who]
            first = client.get(page.path, headers={"User-Agent": load.USER_AGENT})
            if first.status_code != 200:
                raise RuntimeError(f"{page.path} as {who(page)}: {first.status_code}")
            if page.who and b"/account/logout" not in first.get_data():
                raise RuntimeError(f"{page.path}: not logged in as {page.who}")
            settle()
            times, cpu_times = [], []
            for _ in range(rounds):
                seen.clear()
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(page.path, headers={"User-Agent": load.USER_AGENT})
                cpu_times.append((time.process_time() - cpu_started) * 1000)
                times.append((time.perf_counter() - started) * 1000)
            results[f"{page.name} ({who(page)})"] = {
                "path": page.path, "who": who(page), "ms": round(statistics.median(times), 2),
                "cpu_ms": round(statistics.median(cpu_times), 2),
                "sql": statements(seen), "kb": round(len(response.get_data()) / 1024, 1)}
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return results


def settle(limit_s: float = 300) -> None:
    """Wait for work a first request started beside the pages (the insights' recount, the routing model's
    rebuild): it runs in this process, and its CPU time would be counted to the pages measured meanwhile."""
    deadline = time.monotonic() + limit_s
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and thread.daemon and thread.name in BACKGROUND_WORK:
            thread.join(max(0.0, deadline - time.monotonic()))


BACKGROUND_WORK = ("insights-recount", "routing-rebuild")


def statements(seen: list[str]) -> int:
    return sum(1 for s in seen if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT",
                                                                      "RELEASE")))


def measure_scale(database: str, scale: int, url: str, workdir: Path, rounds: int, pages_too: bool = True) -> dict:
    """Part 1 for one database at one scale; also chooses the pages' idea, event, place and organisation
    and prepares the accounts the load needs (all that is done with ``pages_too`` false)."""
    app = production_app(url, workdir)
    anonymous = app.test_client()
    facts = choose(app, anonymous)
    writer = prepare_accounts(app, facts["idea_author"])
    pages: dict[str, dict] = {}
    if pages_too:
        clients = {None: anonymous}
        for email in (RESIDENT, ORGANISER, MODERATOR):
            clients[email] = app.test_client()
            log_in_client(clients[email], email, lambda: totp_code(url, MODERATOR))
        started = time.perf_counter()
        pages = time_pages_in_process(app, url, clients, in_process_pages(facts), rounds)
        print(f"  {database} {scale}x: {len(pages)} pages in {time.perf_counter() - started:.0f} s", flush=True)
        for name, result in pages.items():
            print(f"    {name:40} {result['ms']:8.1f} ms {result['cpu_ms']:8.1f} CPU ms {result['sql']:4d} SQL "
                  f"{result['kb']:6.1f} KB", flush=True)
    with app.app_context():
        from app.extensions import db
        db.engine.dispose()
    return {"facts": {**facts, "writer": writer}, "pages": pages}


# --- 2. under load ---------------------------------------------------------------------------------------


class Writer(threading.Thread):
    """A resident supporting and withdrawing support on one idea, ``WRITES_PER_SECOND`` times a second,
    like a browser: the form from the idea page (with its CSRF token), the POST, the redirect followed."""

    def __init__(self, port: int, cookie: str, idea_id: int):
        super().__init__(daemon=True)
        self.port, self.idea_id = port, idea_id
        self.jar = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
        self.stopping = threading.Event()
        self.writes, self.failures = 0, 0

    def run(self) -> None:
        page = self.get(f"/ideas/{self.idea_id}")
        due = time.monotonic()
        while not self.stopping.wait(max(0.0, due - time.monotonic())):
            # On time however long a write took; when behind, at once, but never a burst to catch up.
            due = max(due + 1 / WRITES_PER_SECOND, time.monotonic())
            try:
                form = support_form(page, self.idea_id)
                status, headers, _ = request(self.port, "POST", f"/ideas/{self.idea_id}/support",
                                             body=urllib.parse.urlencode(form),
                                             headers={"Cookie": cookie_header(self.jar),
                                                      "Content-Type": "application/x-www-form-urlencoded"})
                cookies_from(headers, self.jar)
                if status != 302:
                    raise RuntimeError(status)
                where = urllib.parse.urlsplit(headers["location"][0])
                page = self.get(where.path + (f"?{where.query}" if where.query else ""))
                self.writes += 1
            except (OSError, RuntimeError, KeyError):
                self.failures += 1
                page = self.get(f"/ideas/{self.idea_id}")

    def get(self, path: str) -> str:
        try:
            status, headers, body = request(self.port, "GET", path, headers={"Cookie": cookie_header(self.jar)})
        except OSError:
            return ""
        cookies_from(headers, self.jar)
        return body.decode()

    def stop(self) -> dict:
        self.stopping.set()
        self.join(timeout=35)
        return {"writes": self.writes, "failures": self.failures}


def support_form(html: str, idea_id: int) -> dict[str, str]:
    match = re.search(rf'<form[^>]*action="/ideas/{idea_id}/support"[^>]*>(.*?)</form>', html, re.S)
    if match is None:
        raise RuntimeError("no support form on the idea page")
    return hidden_fields(match.group(1))


def check_page(port: int, page: Page, cookies: dict[str, str]) -> None:
    status, headers, body = request(port, "GET", page.path, headers={"Cookie": cookies[page.who]} if page.who else {})
    if status != 200:
        raise RuntimeError(f"{page.path} as {who(page)}: {status}")
    if page.who and b"/account/logout" not in body:
        raise RuntimeError(f"{page.path}: not logged in as {page.who}")


def warm(port: int, page: Page, cookies: dict[str, str], workers: int) -> None:
    """Every worker has built the page at least once (templates compiled, translations loaded)."""
    def get(_n: int) -> None:
        request(port, "GET", page.path, headers={"Cookie": cookies[page.who]} if page.who else {})

    with concurrent.futures.ThreadPoolExecutor(4 * workers) as pool:
        list(pool.map(get, range(16 * workers)))


def load_run(label: str, port: int, page: Page, cookies: dict[str, str], seconds: int, warmup: int) -> dict:
    cookie = cookies[page.who] if page.who else None
    if warmup:
        wrk(port, page.path, warmup, cookie)
        drain(port, page.path, cookie)
    result = wrk(port, page.path, seconds, cookie)
    print_load(label, result)
    return result


def drain(port: int, path: str, cookie: str | None) -> None:
    """Waits for the requests the warm-up left queued: one more request is answered after them."""
    request(port, "GET", path, headers={"Cookie": cookie} if cookie else {}, timeout=60)


def print_load(label: str, result: dict) -> None:
    print(f"    {label:52} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms"
          + (f"  non-2xx {result['non_2xx_3xx']}" if result["non_2xx_3xx"] else "")
          + (f"  socket errors {result['socket_errors']}" if result["socket_errors"] else ""), flush=True)


@dataclass
class LoadTarget:
    database: str
    url: str
    facts: dict
    hello: int = 0
    cache_off: int = 0
    cache_on: int = 0
    cookies: dict | None = None
    writer_cookie: str = ""


def start_load_servers(servers: Servers, target: LoadTarget, workdir: Path) -> None:
    env = load.server_env(target.url, workdir / f"generation-{target.database}", None)
    target.hello = servers.start(f"hello-{target.database}", "hello_app:app", "sync", env, ROOT / "benchmarks")
    target.cache_off = servers.start(f"cache-off-{target.database}", "wsgi:app", "sync",
                                     {**env, "PAGE_CACHE_SECONDS": "0"}, ROOT)
    target.cache_on = servers.start(f"cache-on-{target.database}", "wsgi:app", "sync", env, ROOT)
    target.cookies = {email: load.log_in(target.cache_on, email, lambda: totp_code(target.url, MODERATOR))
                      for email in (RESIDENT, ORGANISER, MODERATOR)}
    target.writer_cookie = load.log_in(target.cache_on, target.facts["writer"])
    for page in public_pages(target.facts):
        check_page(target.cache_off, page, target.cookies)
        warm(target.cache_off, page, target.cookies, load.WORKERS)
    for page in logged_in_pages(target.facts):
        check_page(target.cache_on, page, target.cookies)
        warm(target.cache_on, page, target.cookies, load.WORKERS)
    warm(target.hello, Page("hello", "/"), target.cookies, load.WORKERS)


def measure_under_load(target: LoadTarget, seconds: int, warmup: int, reverse: bool) -> dict[str, dict]:
    """Part 2, one repetition for one database: hello, the public pages with the cache off, the
    logged-in pages with the cache on while the writer writes."""
    results = {"hello": load_run("hello", target.hello, Page("hello", "/"), target.cookies, seconds, warmup)}
    public = public_pages(target.facts)
    for page in reversed(public) if reverse else public:
        results[f"{page.name} (visitor, cache off)"] = load_run(
            f"{page.name} (cache off)", target.cache_off, page, target.cookies, seconds, warmup)
    writer = Writer(target.cache_on, target.writer_cookie, target.facts["idea_id"])
    writer.start()
    try:
        logged_in = logged_in_pages(target.facts)
        for page in reversed(logged_in) if reverse else logged_in:
            results[f"{page.name} ({who(page)}, cache on + writer)"] = load_run(
                f"{page.name} ({who(page)}, cache on + writer)", target.cache_on, page, target.cookies, seconds,
                warmup)
    finally:
        results["writer"] = writer.stop()
    print(f"    writer: {results['writer']['writes']} writes, {results['writer']['failures']} failed", flush=True)
    for page in logged_in_pages(target.facts):   # still logged in: no run measured a login page
        check_page(target.cache_on, page, target.cookies)
    return results


# --- 3. scale-out on PostgreSQL and Redis ------------------------------------------------------------------------


SCALE_OUT_SETUPS = ("1 process, 1 worker", "1 process, 2 workers", "2 processes, 1 worker each")


def start_scale_out_servers(servers: Servers, target: LoadTarget, redis_url: str, workdir: Path) -> dict:
    """Three setups against the same PostgreSQL database and Redis, all with one SECRET_KEY (a session
    made through one process is used through the others), the page cache off: what is measured is the
    pages' own work."""
    env = {**load.server_env(target.url, workdir / "generation-unused", redis_url), "PAGE_CACHE_SECONDS": "0"}
    ports = {
        "one worker": servers.start("scale-out-1w", "wsgi:app", "sync", env, ROOT, workers=1),
        "two workers": servers.start("scale-out-2w", "wsgi:app", "sync", env, ROOT, workers=2),
        "second process": servers.start("scale-out-second", "wsgi:app", "sync", env, ROOT, workers=1),
    }
    cookie = load.log_in(ports["one worker"])
    cookies = {None: "", RESIDENT: cookie}
    for page in scale_out_pages(target.facts):
        for port in ports.values():
            check_page(port, page, cookies)
            warm(port, page, cookies, 2)
    return {"ports": ports, "cookies": cookies}


def scale_out_pages(facts: dict) -> list[Page]:
    return [Page("ideas", "/ideas/?sort=supported"), Page("idea", f"/ideas/{facts['idea_id']}", RESIDENT)]


def measure_scale_out(setup: dict, facts: dict, seconds: int, warmup: int) -> dict[str, dict]:
    """Part 3, one repetition: each page on each setup; two processes are loaded at once and summed."""
    ports, cookies = setup["ports"], setup["cookies"]
    results = {}
    for page in scale_out_pages(facts):
        cookie = cookies[page.who] if page.who else None
        for name, port in (("1 process, 1 worker", ports["one worker"]), ("1 process, 2 workers", ports["two workers"])):
            results[f"{page.name}: {name}"] = load_run(f"{page.name}: {name}", port, page, cookies, seconds, warmup)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            running = [pool.submit(_warm_then_wrk, port, page.path, seconds, warmup, cookie)
                       for port in (ports["one worker"], ports["second process"])]
            both = [future.result() for future in running]
        summed = {"rps": sum(r["rps"] for r in both), "p50_ms": max(r["p50_ms"] for r in both),
                  "p99_ms": max(r["p99_ms"] for r in both), "requests": sum(r["requests"] for r in both),
                  "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in both),
                  "socket_errors": sum(r["socket_errors"] for r in both), "each": both}
        label = f"{page.name}: {SCALE_OUT_SETUPS[2]}"
        print_load(label, summed)
        results[label] = summed
    return results


def _warm_then_wrk(port: int, path: str, seconds: int, warmup: int, cookie: str | None) -> dict:
    if warmup:
        wrk(port, path, warmup, cookie, connections=16, threads=1)
        drain(port, path, cookie)
    return wrk(port, path, seconds, cookie, connections=16, threads=1)


# --- tables ------------------------------------------------------------------------------------------------


def markdown_table(header: list[str], rows: list[list], right_from: int = 1) -> str:
    """A markdown table: the columns from ``right_from`` on are aligned right (numbers)."""
    lines = ["| " + " | ".join(header) + " |",
             "| " + " | ".join("---" if n < right_from else "---:" for n in range(len(header))) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def cpu(result: dict) -> str:
    return f"{result['cpu_ms']:.1f}" if "cpu_ms" in result else "–"   # runs before the CPU time was kept


def ratio(small: dict | None, large: dict | None, key: str) -> str:
    if not small or not large or not small.get(key) or key not in large:
        return "–"
    return f"{large[key] / small[key]:.2f}"


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def tables(report: dict) -> str:
    out = []
    scales = report["scales"]
    for database, by_scale in report["in_process"].items():
        names = list(by_scale[str(scales[0])]["pages"])
        if not names:
            continue
        first, last = f"{scales[0]}×", f"{scales[-1]}×"
        # The last two scales compared too: a page that lists up to ten events shows three at 1× and ten at
        # 10×, so from 1× its cost grows with what it shows (the KB say so); after that only the data grows.
        second = f"{scales[-2]}×" if len(scales) > 2 else None
        header = (["page", "who"] + [f"{s}× wall / CPU ms / SQL / KB" for s in scales]
                  + [f"{last} / {first} wall", f"{last} / {first} CPU"]
                  + ([f"{last} / {second} CPU"] if second else []))
        rows = []
        for name in names:
            found = [by_scale[str(s)]["pages"].get(name) for s in scales]
            cells = [f"{r['ms']:.1f} / {cpu(r)} / {r['sql']} / {r['kb']:.0f}" if r else "–" for r in found]
            rows.append([name.rsplit(" (", 1)[0], found[0]["who"] if found[0] else "", *cells,
                         ratio(found[0], found[-1], "ms"), ratio(found[0], found[-1], "cpu_ms")]
                        + ([ratio(found[-2], found[-1], "cpu_ms")] if second else []))
        sql_note = ("the SQL's work is in it" if database == "sqlite"
                    else "the database server's work is not in it, only the wall time has it")
        out.append(f"In-process, page cache off, {database} (median of {report['rounds']} requests; CPU is the "
                   f"time.process_time() of the process serving the page: {sql_note}):\n\n"
                   + markdown_table(header, rows, right_from=2))
    rows = []
    for database, runs in report["load"].items():
        hello = median_of([run["hello"] for run in runs], "rps")
        for name in runs[0]:
            if name == "writer":
                continue
            got = [run[name] for run in runs]
            rps = median_of(got, "rps")
            rows.append([name, database, f"{rps:.0f}", f"{rps / hello:.2f}", f"{median_of(got, 'p50_ms'):.1f}",
                         f"{median_of(got, 'p99_ms'):.1f}", sum(r["non_2xx_3xx"] + r["socket_errors"] for r in got)])
        writes = [run["writer"] for run in runs]
        rows.append([f"(writer: {sum(w['writes'] for w in writes)} writes, {sum(w['failures'] for w in writes)} "
                     "failed)", database, "", "", "", "", ""])
    if rows:
        out.append(f"Under load at {report['load_scale']}×, gunicorn {load.WORKERS} sync workers, wrk "
                   f"{load.CONNECTIONS} connections, median of {report['repeats']} × {report['duration_s']} s:\n\n"
                   + markdown_table(["page", "database", "req/s", "fraction of hello", "p50 ms", "p99 ms",
                                     "non-2xx / errors"], rows, right_from=2))
    if report.get("scale_out"):
        runs = report["scale_out"]
        rows = []
        for name in runs[0]:
            got = [run[name] for run in runs]
            page, setup = name.split(": ", 1)
            base = median_of([run[f"{page}: {SCALE_OUT_SETUPS[0]}"] for run in runs], "rps")
            rps = median_of(got, "rps")
            rows.append([page, setup, f"{rps:.0f}", f"{rps / base:.2f}", f"{median_of(got, 'p50_ms'):.1f}",
                         f"{median_of(got, 'p99_ms'):.1f}", sum(r["non_2xx_3xx"] + r["socket_errors"] for r in got)])
        out.append(f"Scale-out on PostgreSQL + Redis at {report['load_scale']}×, page cache off, {load.CONNECTIONS} connections "
                   f"in all, median of {report['repeats']} × {report['duration_s']} s:\n\n"
                   + markdown_table(["page", "setup", "req/s", "× 1 worker", "p50 ms", "p99 ms", "non-2xx / errors"],
                                    rows, right_from=2))
    builds = [[database, f"{scale}×", (", ".join(f"{k.removesuffix('_s')} {v} s" for k, v in timing.items()
                                                  if k.endswith("_s")) or "–")
               + (" (built by an earlier run, reused)" if timing.get("reused") else "")]
              for database, by_scale in report["builds"].items() for scale, timing in by_scale.items()]
    out.append("Building the data sets:\n\n" + markdown_table(["database", "scale", "seconds"], builds, right_from=3))
    return "\n\n".join(out)


# --- the run -----------------------------------------------------------------------------------------------


def expected_minutes(args, databases: list[str]) -> float:
    page_runs = 1 + len(public_pages(DUMMY_FACTS)) + len(logged_in_pages(DUMMY_FACTS))
    per_run = args.duration + args.warmup + 1
    load_s = page_runs * per_run * args.repeats * len(databases) if args.load else 0
    scale_out_s = 6 * per_run * args.repeats if args.load and args.scale_out and "postgresql" in databases else 0
    pages_s = (len(args.scales) * len(databases) * (20 + len(in_process_pages(DUMMY_FACTS)) * (args.rounds + 1) * 0.1)
               if args.pages else 0)
    return (load_s + scale_out_s + pages_s) / 60


DUMMY_FACTS = {"idea_id": 0, "event_id": 0, "place_id": 0, "organisation_id": 0, "deep_page": "/",
               "deep_page_number": DEEP_PAGE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,100", help="demo scales for the in-process pages (default 1,10,100)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both (default)")
    parser.add_argument("--postgresql", default=os.environ.get("SCALING_POSTGRESQL", POSTGRESQL_SERVER),
                        help="the PostgreSQL server; the databases bench_s<scale> on it are emptied unless --reuse")
    parser.add_argument("--redis-url", default=os.environ.get("SCALING_REDIS_URL", "redis://127.0.0.1:6379/0"),
                        help="the Redis database for the scale-out part (page cache generation, rate limits)")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "medvirk-scaling"),
                        help="SQLite databases, server logs and the JSON of the run")
    parser.add_argument("--reuse", action="store_true", help="keep the data sets an earlier run built")
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run (default 10)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of load before each measured run")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions of the load runs (default 3)")
    parser.add_argument("--rounds", type=int, default=9, help="requests per page in-process (default 9)")
    parser.add_argument("--no-load", dest="load", action="store_false",
                        help="only part 1, the in-process pages (no servers, no wrk)")
    parser.add_argument("--no-pages", dest="pages", action="store_false",
                        help="leave out part 1: only the load scale's data set is prepared, for parts 2 and 3")
    parser.add_argument("--no-scale-out", dest="scale_out", action="store_false", help="leave out part 3")
    parser.add_argument("--time-limit", type=int, default=180, help="minutes before the run gives up (default 180)")
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few minutes: scales 1 and 10, "
                                                             "3 s runs, one repetition, 3 requests a page")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warmup, args.repeats, args.rounds = 3, 1, 1, 3
        if args.scales == parser.get_default("scales"):
            args.scales = "1,10"
    args.scales = sorted(int(s) for s in args.scales.split(","))
    if not args.load and not args.pages:
        sys.exit("--no-load and --no-pages together leave nothing to run.")
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    if shutil.which("wrk") is None and args.load:
        sys.exit("wrk is not installed (apt-get install wrk).")
    load_scale = LOAD_SCALE if LOAD_SCALE in args.scales else args.scales[-1]
    if not args.pages:
        args.scales = [load_scale]
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"About {expected_minutes(args, databases):.0f} minutes after the data sets are built "
          f"(each 100× set takes a few minutes to build; --reuse keeps them).", flush=True)

    def give_up(signum, frame):
        raise TimeoutError(f"stopped after {args.time_limit} minutes (--time-limit)")

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGALRM, give_up)
    signal.signal(signal.SIGTERM, stop)
    signal.alarm(args.time_limit * 60)

    report: dict = {"scales": args.scales, "load_scale": load_scale, "rounds": args.rounds, "repeats": args.repeats,
                    "duration_s": args.duration, "builds": {}, "in_process": {}, "load": {}, "scale_out": []}
    servers = Servers(workdir)
    targets: list[LoadTarget] = []
    try:
        for database in databases:
            report["builds"][database], report["in_process"][database] = {}, {}
            for scale in args.scales:
                url = database_url(database, scale, workdir, args.postgresql)
                print(f"{database} {scale}x: building the data set...", flush=True)
                report["builds"][database][scale] = build_data(database, scale, url, workdir, args.reuse)
                print(f"  {report['builds'][database][scale]}", flush=True)
                measured = measure_scale(database, scale, url, workdir, args.rounds, pages_too=args.pages)
                report["in_process"][database][str(scale)] = measured
                if scale == load_scale:
                    targets.append(LoadTarget(database, url, measured["facts"]))

        if args.load:
            for target in targets:
                print(f"{target.database}: starting the servers...", flush=True)
                start_load_servers(servers, target, workdir)
            for rep in range(args.repeats):
                for target in targets if rep % 2 == 0 else reversed(targets):
                    print(f"Under load, repetition {rep + 1}/{args.repeats}, {target.database}", flush=True)
                    report["load"].setdefault(target.database, []).append(
                        measure_under_load(target, args.duration, args.warmup, reverse=rep % 2 == 1))
            servers.stop_all()

        postgresql = next((t for t in targets if t.database == "postgresql"), None)
        if args.load and args.scale_out and postgresql is not None:
            print("Scale-out on PostgreSQL + Redis: starting the servers...", flush=True)
            setup = start_scale_out_servers(servers, postgresql, args.redis_url, workdir)
            for rep in range(args.repeats):
                print(f"Scale-out, repetition {rep + 1}/{args.repeats}", flush=True)
                report["scale_out"].append(measure_scale_out(setup, postgresql.facts, args.duration, args.warmup))
    finally:
        signal.alarm(0)
        servers.stop_all()
        out = workdir / "scaling-results.json"
        out.write_text(json.dumps(report, indent=2, default=str))
        print(f"\nResults: {out}")

    print()
    print(tables(report))


if __name__ == "__main__":
    main()
