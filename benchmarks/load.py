"""Load benchmark: Medvirk under gunicorn against a bare Flask "hello" app, on SQLite and PostgreSQL.

    python benchmarks/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test_load
    python benchmarks/load.py --databases sqlite --quick          # a smoke run of about two minutes

For each database it builds the demo data set with the real commands (``flask db upgrade``,
``flask seed``, ``flask demo --scale N``; ``--reuse`` keeps one built before), then serves
``wsgi:app`` (the production configuration) and ``benchmarks/hello_app.py`` with the same
gunicorn settings on 127.0.0.1, and loads each page with ``wrk`` (32 connections, 2 threads)
after a short warm-up. Within a repetition the bare app runs first and then the pages, for
each database in turn (the order of the databases alternates); the whole is repeated and the
medians are printed. The logged-in pages send the session cookie of the demo resident, who
logs in over HTTP like a browser. gthread workers are measured on two pages only.

SQL statements and HTML size come from the same app in-process (test client), three counts
per page: "cold", the first request after a write (nothing kept: districts, effort areas, the
logged-in person and their registrations are read too); "miss", the page (or its shared part)
is built again while those are kept, as when its 30 s are up; "hit", the page cache answers.
A burst of guest registrations for one event is sent to gunicorn at the end: no 5xx, and the
seats taken never above the capacity.

The whole run, as measured for benchmarks/README.md (about 19 minutes):

    python benchmarks/load.py --databases sqlite,postgresql --duration 10 --repeats 3

Only loopback addresses are used; every run is bounded in time, and every server started is
stopped on exit. PostgreSQL: the database given is emptied unless ``--reuse`` (its name must
contain "test" or "bench").
"""
from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404 - starts gunicorn, wrk and flask, all from fixed argument lists
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESIDENT = "beboer@demo.medvirk.no"
USER_AGENT = "medvirk-load-benchmark"
HOST = "127.0.0.1"
WORKERS = 2
THREADS = 4          # gthread: threads per worker
CONNECTIONS = 32
WRK_THREADS = 2
GTHREAD_PAGES = ("home", "ideas (logged in)")


@dataclass
class Page:
    name: str
    path: str
    logged_in: bool = False


def pages(idea_id: int, event_id: int) -> list[Page]:
    return [
        Page("home", "/"),
        Page("district", "/districts/lademoen"),
        Page("ideas", "/ideas/"),
        Page("ideas page 50", "/ideas/?page=50"),
        Page("ideas search", "/ideas/?q=benker"),
        Page("idea", f"/ideas/{idea_id}"),
        Page("events", "/events/"),
        Page("event", f"/events/{event_id}"),
        Page("ideas (logged in)", "/ideas/", logged_in=True),
        Page("event (logged in)", f"/events/{event_id}", logged_in=True),
    ]


# --- helpers ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, headers: dict | None = None, body: str | None = None,
            timeout: float = 30) -> tuple[int, dict[str, list[str]], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"User-Agent": USER_AGENT, **(headers or {})})
        response = conn.getresponse()
        got: dict[str, list[str]] = {}
        for key, value in response.getheaders():
            got.setdefault(key.lower(), []).append(value)
        return response.status, got, response.read()
    finally:
        conn.close()


def cookies_from(headers: dict[str, list[str]], jar: dict[str, str]) -> dict[str, str]:
    for line in headers.get("set-cookie", []):
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def hidden_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


# --- servers --------------------------------------------------------------------------------------------


class Servers:
    """gunicorn processes, each in its own process group, all stopped by ``stop_all``."""

    def __init__(self, logdir: Path):
        self.procs: list[subprocess.Popen] = []
        self.logdir = logdir

    def start(self, name: str, target: str, worker_class: str, env: dict[str, str], chdir: Path,
              workers: int = WORKERS) -> int:
        port = free_port()
        args = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", worker_class,
                "--bind", f"{HOST}:{port}", "--chdir", str(chdir), "--timeout", "60",
                "--log-level", "warning", target]
        if worker_class == "gthread":
            args[args.index("--worker-class") + 2:args.index("--worker-class") + 2] = ["--threads", str(THREADS)]
        log = open(self.logdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT,  # nosec B603
                                start_new_session=True)
        self.procs.append(proc)
        ready_path = "/healthz" if target == "wsgi:app" else "/"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} stopped while starting; see {self.logdir / (name + '.log')}")
            try:
                if request(port, "GET", ready_path, timeout=5)[0] == 200:
                    return port
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer within 60 s")

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        self.procs.clear()


# --- wrk ------------------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def wrk(port: int, path: str, seconds: int, cookie: str | None = None, connections: int = CONNECTIONS,
        threads: int = WRK_THREADS) -> dict:
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency",
            "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    args.append(f"http://{HOST}:{port}{path}")
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout  # nosec B603
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99_ms": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx_3xx": 0, "socket_errors": 0,
    }
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        result["non_2xx_3xx"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["socket_errors"] = sum(int(x) for x in m.groups())
    return result


# --- data -----------------------------------------------------------------------------------------------


def flask_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDVIRK_", "FLASK_"))}
    env.update(FLASK_APP="app", MEDVIRK_CONFIG="development", DATABASE_URL=url, PYTHONPATH=str(ROOT))
    return env


def flask(url: str, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "flask", *args], env=flask_env(url), cwd=ROOT,  # nosec B603
                          capture_output=True, text=True, timeout=1800)
    if done.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stderr[-3000:]}")


def empty_postgresql(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database or ""
    if "test" not in name and "bench" not in name:
        sys.exit(f"Refusing to empty the database {name!r}: give one whose name contains 'test' or 'bench'.")
    server = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:  # a fresh machine has no such database yet
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def build(url: str, scale: int, reuse: bool) -> dict:
    """The demo data set at ``url``: built with the real commands, or reused. Returns what was timed."""
    if reuse:
        return {"reused": True}
    if url.startswith("postgresql"):
        empty_postgresql(url)
    timings = {}
    for label, args in (("upgrade", ("db", "upgrade")), ("seed", ("seed",)), ("demo", ("demo", "--scale", str(scale)))):
        started = time.perf_counter()
        flask(url, *args)
        timings[f"{label}_s"] = round(time.perf_counter() - started, 1)
    return timings


def facts(url: str) -> dict:
    """Counts of the data set, the idea and event the pages show, and an event for the registration burst."""
    from sqlalchemy import create_engine, func, select

    from app.core.db import utcnow
    from app.events.models import Event, Registration
    from app.feedback.models import Feedback
    from app.ideas.models import Comment, Idea

    engine = create_engine(url)
    now = utcnow()
    with engine.connect() as conn:
        counts = {name: conn.scalar(select(func.count()).select_from(model.__table__))
                  for name, model in (("ideas", Idea), ("comments", Comment), ("feedback", Feedback),
                                      ("events", Event), ("registrations", Registration))}
        idea_id = conn.scalar(select(Comment.__table__.c.idea_id).group_by(Comment.__table__.c.idea_id)
                              .order_by(func.count().desc(), Comment.__table__.c.idea_id).limit(1))
        events = Event.__table__.c
        upcoming = (select(events.id).where(events.status == "published", events.starts_at > now,
                                            events.capacity.is_not(None), events.registration_deadline.is_(None))
                    .order_by(events.starts_at, events.id))
        event_id, burst_event_id = conn.scalars(upcoming.limit(2)).all()
    engine.dispose()
    return {"counts": counts, "idea_id": idea_id, "event_id": event_id, "burst_event_id": burst_event_id}


# --- in-process: SQL statements and HTML size ----------------------------------------------------------


def app_overrides(url: str, base_url: str = "http://127.0.0.1") -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url, "BASE_URL": base_url, "SECRET_KEY": "load-benchmark",
            "RATELIMIT_STORAGE_URI": "memory://", "MAIL_BACKEND": "outbox", "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False}


def statements_and_sizes(url: str, page_list: list[Page], workdir: Path) -> dict[str, dict]:
    """Per page: statements for the very first request ("cold": the shared generation was just bumped),
    for a request the page cache does not answer while the districts and effort areas are kept
    ("miss"), and for one it answers ("hit"); and the size of the HTML."""
    from sqlalchemy import event, select

    from app import create_app
    from app.accounts.models import User
    from app.extensions import db

    app = create_app("production", {**app_overrides(url), "PAGE_CACHE_SECONDS": 30,
                                    "PAGE_CACHE_GENERATION_FILE": str(workdir / "statements-generation")})
    # None: a version of Medvirk before the page cache ("page_cache": before it was split in two)
    cache = app.extensions.get("worker_cache") or app.extensions.get("page_cache")
    seen: list[str] = []
    with app.app_context():
        user_key = db.session.scalar(select(User).where(User.email == RESIDENT)).get_id()
        event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))

    def count(client, path: str) -> tuple[int, bytes]:
        seen.clear()
        response = client.get(path, headers={"User-Agent": USER_AGENT})
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
        return sum(1 for s in seen if not s.lstrip().upper().startswith(
            ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))), response.get_data()

    out = {}
    anonymous, member = app.test_client(), app.test_client()
    with member.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = user_key, True
    for page in page_list:
        client = member if page.logged_in else anonymous
        if page.logged_in and b"/account/logout" not in client.get(page.path).get_data():
            raise RuntimeError("the statements of a logged-in page were counted for a visitor")
        if cache is not None:
            cache.bump()
        cold, _ = count(client, page.path)
        if cache is not None:
            with cache.store.lock:
                for key in [k for k in cache.store.entries if k[0] in ("page", "fragment")]:
                    del cache.store.entries[key]
        miss, body = count(client, page.path)
        hit, _ = count(client, page.path)
        out[page.name] = {"sql_cold": cold, "sql_miss": miss, "sql_hit": hit, "html_bytes": len(body)}
    return out


# --- over HTTP ------------------------------------------------------------------------------------------


def log_in(port: int, email: str = RESIDENT, second_step=None) -> str:
    """The cookie header of ``email`` (the resident unless told), got by logging in like a browser.
    ``second_step``: for staff, a function giving the code their authenticator app shows."""
    from app.cli import DEMO_PASSWORD

    status, headers, body = request(port, "GET", "/account/login")
    jar = cookies_from(headers, {})
    form = hidden_fields(body.decode())
    form.update(email=email, password=DEMO_PASSWORD)
    status, headers, _ = request(port, "POST", "/account/login", body=urllib.parse.urlencode(form),
                                 headers={"Cookie": cookie_header(jar),
                                          "Content-Type": "application/x-www-form-urlencoded"})
    cookies_from(headers, jar)
    if status != 302:
        raise RuntimeError(f"logging in answered {status}")
    if second_step is not None and urllib.parse.urlsplit(headers["location"][0]).path == "/account/two-factor":
        status, headers, body = request(port, "GET", "/account/two-factor", headers={"Cookie": cookie_header(jar)})
        cookies_from(headers, jar)
        form = hidden_fields(body.decode())
        form.update(code=second_step())
        status, headers, _ = request(port, "POST", "/account/two-factor", body=urllib.parse.urlencode(form),
                                     headers={"Cookie": cookie_header(jar),
                                              "Content-Type": "application/x-www-form-urlencoded"})
        cookies_from(headers, jar)
        if status != 302:
            raise RuntimeError(f"the second step of logging in answered {status}")
    # The page after logging in shows (and so removes) the "You are logged in" message.
    status, headers, _ = request(port, "GET", headers["location"][0], headers={"Cookie": cookie_header(jar)})
    cookies_from(headers, jar)
    return cookie_header(jar)


def check_pages(port: int, page_list: list[Page], cookie: str) -> None:
    for page in page_list:
        status, headers, body = request(port, "GET", page.path, headers={"Cookie": cookie} if page.logged_in else {})
        if status != 200:
            raise RuntimeError(f"{page.path}: {status}")
        if page.logged_in and b"/account/logout" not in body:
            raise RuntimeError(f"{page.path}: not logged in")
        if page.logged_in and "set-cookie" in headers:
            raise RuntimeError(f"{page.path}: the session cookie changed on a plain GET")


def prime(port: int, page_list: list[Page], cookie: str, rounds: int = 4) -> None:
    """Every worker (and thread) has built every page once: its first request compiles templates and
    loads translations, which takes about a second and is no part of what is measured."""
    def get(page: Page) -> None:
        request(port, "GET", page.path, headers={"Cookie": cookie} if page.logged_in else {})

    with concurrent.futures.ThreadPoolExecutor(WORKERS * THREADS) as pool:
        for page in page_list:
            for _ in range(rounds):
                list(pool.map(get, [page] * WORKERS * THREADS))


def registration_burst(port: int, url: str, event_id: int, guests: int) -> dict:
    """``guests`` visitors open the form, wait as long as a person must, then all send at once."""
    from sqlalchemy import create_engine, func, select

    from app.events.models import Event, Registration

    def open_form(n: int):
        status, headers, body = request(port, "GET", f"/events/{event_id}/register")
        if status != 200:
            return None
        form = hidden_fields(body.decode())
        form.update(name=f"Gjest {n}", email=f"burst-{n}-{secrets.token_hex(3)}@example.no", phone="",
                    party_size=str(1 + n % 3), access_needs="", website="")
        return cookie_header(cookies_from(headers, {})), form

    def send(opened) -> int:
        jar, form = opened
        return request(port, "POST", f"/events/{event_id}/register", body=urllib.parse.urlencode(form),
                       headers={"Cookie": jar, "Content-Type": "application/x-www-form-urlencoded"})[0]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        forms = [f for f in pool.map(open_form, range(guests)) if f]
    time.sleep(3.5)   # REGISTRATION_MIN_SECONDS: a form sent quicker is taken for a robot
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(CONNECTIONS) as pool:
        statuses = list(pool.map(send, forms))
    elapsed = time.perf_counter() - started
    engine = create_engine(url)
    with engine.connect() as conn:
        ev = conn.execute(select(Event.__table__.c.capacity, Event.__table__.c.seats_taken)
                          .where(Event.__table__.c.id == event_id)).one()
        r = Registration.__table__.c
        # Guests' seats are held ("pending") until they confirm by mail; held seats count as taken.
        confirmed = conn.scalar(select(func.coalesce(func.sum(r.party_size), 0))
                                .where(r.event_id == event_id, r.status.in_(("confirmed", "pending"))))
    engine.dispose()
    by_status: dict[str, int] = {}
    for status in statuses:
        by_status[str(status)] = by_status.get(str(status), 0) + 1
    return {"sent": len(forms), "seconds": round(elapsed, 2), "statuses": by_status,
            "server_errors": sum(1 for s in statuses if s >= 500), "capacity": ev.capacity,
            "seats_taken": ev.seats_taken, "confirmed_seats": confirmed,
            "ok": all(s < 500 for s in statuses) and ev.seats_taken <= ev.capacity and ev.seats_taken == confirmed}


# --- the run --------------------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    url: str
    facts: dict = field(default_factory=dict)
    ports: dict = field(default_factory=dict)
    cookie: str = ""
    pages: list = field(default_factory=list)
    results: dict = field(default_factory=dict)   # (page, worker class) -> list of wrk results


def server_env(url: str, generation_file: Path, redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDVIRK_", "FLASK_"))}
    env.update(
        MEDVIRK_CONFIG="production", DATABASE_URL=url, SECRET_KEY=secrets.token_urlsafe(32),
        BASE_URL=f"http://{HOST}", MAIL_BACKEND="outbox", PAGE_CACHE_GENERATION_FILE=str(generation_file),
        RATELIMIT_STORAGE_URI=redis_url or "memory://",
        # The registration burst comes from one address: the per-address limits would refuse it.
        GUEST_REGISTRATIONS_PER_HOUR="100000", EVENT_PENDING_GUESTS="100000",
    )
    if redis_url:
        env["PAGE_CACHE_REDIS_URL"] = redis_url
    return env


def measure(label: str, port: int, path: str, seconds: int, warmup: int, cookie: str | None) -> dict:
    if warmup:
        wrk(port, path, warmup, cookie)
    result = wrk(port, path, seconds, cookie)
    print(f"  {label:48} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms"
          + (f"  non-2xx {result['non_2xx_3xx']}" if result["non_2xx_3xx"] else "")
          + (f"  socket errors {result['socket_errors']}" if result["socket_errors"] else ""), flush=True)
    return result


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def table(targets: list[Target], hello: dict[str, list[dict]]) -> str:
    lines = ["| page | database | workers | req/s | fraction of hello | p50 ms | p99 ms | HTML KB | SQL cold / miss / hit |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind in ("sync", "gthread"):
        for target in targets:
            key = f"{target.name}/{kind}"
            if key not in hello:
                continue
            lines.append(f"| hello | {target.name} | {kind} | {median_of(hello[key], 'rps'):.0f} | 1.00 | "
                         f"{median_of(hello[key], 'p50_ms'):.1f} | {median_of(hello[key], 'p99_ms'):.1f} | – | – |")
            for page in target.pages:
                runs = target.results.get((page.name, kind))
                if not runs:
                    continue
                rps = median_of(runs, "rps")
                sizes = target.facts["pages"][page.name]
                fraction = rps / median_of(hello[key], "rps")
                lines.append(
                    f"| {page.name} | {target.name} | {kind} | {rps:.0f} | {fraction:.2f} | "
                    f"{median_of(runs, 'p50_ms'):.1f} | {median_of(runs, 'p99_ms'):.1f} | "
                    f"{sizes['html_bytes'] / 1024:.1f} | {sizes['sql_cold']} / {sizes['sql_miss']} / {sizes['sql_hit']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both (default)")
    parser.add_argument("--database-url", default=os.environ.get(
        "LOAD_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_load"),
        help="the PostgreSQL database to use (emptied unless --reuse)")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "medvirk-load"),
                        help="where the SQLite database, the server logs and the JSON results go")
    parser.add_argument("--reuse", action="store_true", help="use the data set a previous run built")
    parser.add_argument("--duration", type=int, default=20, help="seconds per measured run (default 20)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up before each run (every worker "
                                                               "has built every page before the first)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--burst", type=int, default=96, help="guest registrations sent at once at the end")
    parser.add_argument("--redis-url", help="rate limits and the page cache's generation in Redis (as in "
                                            "production) instead of per-process memory and a file")
    parser.add_argument("--quick", action="store_true", help="a smoke run: scale 1, 3 s runs, one repetition")
    args = parser.parse_args()
    if args.quick:
        args.scale, args.duration, args.warmup, args.repeats, args.burst = 1, 3, 1, 1, 24
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk).")

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    wanted = [name.strip() for name in args.databases.split(",") if name.strip()]
    urls = {"sqlite": f"sqlite:///{workdir / f'load-{args.scale}.sqlite3'}", "postgresql": args.database_url}
    targets = [Target(name, urls[name]) for name in wanted]
    runs_per_rep = sum(len(pages(0, 0)) + 1 + len(GTHREAD_PAGES) + 1 for _ in targets)
    expected = runs_per_rep * args.repeats * (args.duration + args.warmup + 1)
    print(f"About {expected / 60:.0f} minutes of load after the data is built "
          f"({runs_per_rep} runs of {args.duration} s per repetition, {args.repeats} repetitions).", flush=True)

    report: dict = {"scale": args.scale, "duration_s": args.duration, "repeats": args.repeats,
                    "connections": CONNECTIONS, "workers": WORKERS, "threads": THREADS, "databases": {}}
    servers = Servers(workdir)
    hello: dict[str, list[dict]] = {}

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        for target in targets:
            if target.name == "sqlite" and not args.reuse:
                Path(urls["sqlite"].removeprefix("sqlite:///")).unlink(missing_ok=True)
            print(f"{target.name}: building the data set (scale {args.scale})...", flush=True)
            timings = build(target.url, args.scale, args.reuse)
            target.facts = facts(target.url)
            target.pages = pages(target.facts["idea_id"], target.facts["event_id"])
            target.facts["pages"] = statements_and_sizes(target.url, target.pages, workdir)
            target.facts["build"] = timings
            print(f"  {timings} {target.facts['counts']}", flush=True)
            env = server_env(target.url, workdir / f"generation-{target.name}", args.redis_url)
            for kind in ("sync", "gthread"):
                target.ports[kind] = servers.start(f"medvirk-{target.name}-{kind}", "wsgi:app", kind, env, ROOT)
                target.ports[f"hello-{kind}"] = servers.start(f"hello-{target.name}-{kind}", "hello_app:app", kind,
                                                              env, ROOT / "benchmarks")
            target.cookie = log_in(target.ports["sync"])
            for kind in ("sync", "gthread"):
                check_pages(target.ports[kind], target.pages, target.cookie)
                prime(target.ports[kind], target.pages, target.cookie)
                prime(target.ports[f"hello-{kind}"], [Page("hello", "/")], "")

        for rep in range(args.repeats):
            order = targets if rep % 2 == 0 else list(reversed(targets))
            for target in order:
                print(f"repetition {rep + 1}/{args.repeats}, {target.name}", flush=True)
                for kind in ("sync", "gthread"):
                    hello.setdefault(f"{target.name}/{kind}", []).append(measure(
                        f"hello ({kind})", target.ports[f"hello-{kind}"], "/", args.duration, args.warmup, None))
                    chosen = [p for p in target.pages if kind == "sync" or p.name in GTHREAD_PAGES]
                    if rep % 2:
                        chosen.reverse()
                    for page in chosen:
                        target.results.setdefault((page.name, kind), []).append(measure(
                            f"{page.name} ({kind})", target.ports[kind], page.path, args.duration, args.warmup,
                            target.cookie if page.logged_in else None))

        for target in targets:
            print(f"{target.name}: registration burst of {args.burst} guests...", flush=True)
            burst = registration_burst(target.ports["sync"], target.url, target.facts["burst_event_id"], args.burst)
            print(f"  {burst}", flush=True)
            report["databases"][target.name] = {
                "facts": target.facts, "burst": burst,
                "runs": {f"{page}/{kind}": runs for (page, kind), runs in target.results.items()},
                "hello": {kind: hello.get(f"{target.name}/{kind}", []) for kind in ("sync", "gthread")},
            }
    finally:
        servers.stop_all()

    text = table(targets, hello)
    errors = [f"{t.name} {page} ({kind}): {sum(r['non_2xx_3xx'] for r in runs)} non-2xx, "
              f"{sum(r['socket_errors'] for r in runs)} socket errors"
              for t in targets for (page, kind), runs in t.results.items()
              if any(r["non_2xx_3xx"] or r["socket_errors"] for r in runs)]
    text += "\n\nNon-2xx answers or socket errors under load: " + ("; ".join(errors) or "none") + "."
    print()
    print(text)
    report["table"] = text
    out = workdir / "load-results.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nResults: {out}")
    failed = [t.name for t in targets if not report["databases"][t.name]["burst"]["ok"]]
    if failed:
        sys.exit(f"The registration burst failed on {', '.join(failed)}.")


if __name__ == "__main__":
    main()
