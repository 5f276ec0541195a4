"""Two app servers behind one address, on one database and one Redis: whatever a person does through one
shows through the other on the next request, whichever answers it; sessions and rate limits are shared, and
nothing one server keeps in memory (pages, parts of pages, districts, the account behind a session, a
person's registrations, the administrators' settings) outlives a write made through the other.

Every case runs for two workers on one machine (one generation file) and, when the suite has a Redis
(``TEST_REDIS_URL``), for two machines: each with a generation file of its own that the other never sees,
sharing Redis for the generation and the rate limits, as ``docs/operations.md`` says to run them. Those
are two apps in one process; the last test runs two server processes over HTTP, so that nothing module-level
(Flask-Limiter's one storage, above all) can be shared by accident.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis
from flask import Flask

from app.core.worker_cache import RedisGeneration
from tests.helpers import PASSWORD, Browser, make_event, make_idea, make_organisation, make_user, soup

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("TEST_REDIS_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"   # where nothing may be left out
SETUPS = ["one machine"] + (["two machines"] if REDIS or IN_CI else [])


def _redis() -> str:
    if not REDIS:
        pytest.fail("two app servers share Redis: set TEST_REDIS_URL (CI does, in .ci/run)")
    return REDIS


def two_machines(app_factory, tmp_path, monkeypatch, **settings) -> tuple:
    """Two apps set up as docs/operations.md says for two machines: one database, one Redis (rate limits),
    and each its own instance folder, where a generation file of one is never seen by the other."""
    shared = _redis()
    made = []
    for name in ("a", "b"):
        with monkeypatch.context() as patch:
            patch.setattr(Flask, "auto_find_instance_path", lambda self, name=name: str(tmp_path / name))
            made.append(app_factory(**settings, RATELIMIT_STORAGE_URI=shared))
    assert made[0].instance_path != made[1].instance_path
    return tuple(made)


@pytest.fixture(autouse=True)
def site_prefix():
    """The prefix of this test's keys in Redis, each site's own; they are deleted after it."""
    prefix = uuid.uuid4().hex
    yield prefix
    if REDIS:
        client = redis.Redis.from_url(REDIS)
        for pattern in (f"{prefix}:*", f"LIMITS:LIMITER/{prefix}/*"):   # generations, limits
            for key in client.scan_iter(pattern):
                client.delete(key)
        client.close()


def _common(tmp_path, prefix: str) -> dict:
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    return {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_KEY_PREFIX": prefix}


@pytest.fixture(params=SETUPS)
def servers(request, app_factory, tmp_path, monkeypatch, site_prefix):
    """Two apps with the page cache on, as two servers behind a load balancer."""
    common = {**_common(tmp_path, site_prefix), "PAGE_CACHE_SECONDS": 30}
    if request.param == "two machines":
        return two_machines(app_factory, tmp_path, monkeypatch, **common)
    return tuple(app_factory(**common, PAGE_CACHE_GENERATION_FILE=str(tmp_path / "generation")) for _ in "ab")


def through(browser: Browser, app) -> Browser:
    """The same browser, its cookies and all, with its next requests answered by ``app``."""
    other = Browser(app, second_factor=browser.second_factor)
    other.client._cookies = browser.client._cookies   # one cookie jar: the person's browser
    return other


def logged_in(app, user) -> Browser:
    browser = Browser(app)
    assert browser.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def _text(response) -> str:
    return response.get_data(as_text=True)


def _is_logged_in(browser: Browser) -> bool:
    response = browser.get("/account/")
    return response.status_code == 200 and "/account/logout" in _text(response)


def test_a_person_logged_in_through_one_server_is_logged_in_on_the_other(servers):
    a, b = servers
    person = make_user(a, display_name="Solveig Sol")
    on_a = logged_in(a, person)
    on_b = through(on_a, b)
    page = on_b.get("/account/?lang=en")
    assert page.status_code == 200 and "Solveig Sol" in _text(page)
    assert "/account/logout" in _text(on_b.get("/ideas/"))


def test_a_support_through_one_server_shows_at_once_on_the_others_idea_page(servers):
    a, b = servers
    idea = make_idea(a, make_user(a), title="Benker ved elva")
    on_a = logged_in(a, make_user(a))
    on_b = through(on_a, b)
    before = _text(on_b.get(f"/ideas/{idea}?lang=en"))
    assert "0 residents support this idea." in before and "Support this idea" in before
    for visitor_of in (a, b):   # both servers keep the anonymous page
        assert "0 residents" in _text(visitor_of.test_client().get(f"/ideas/{idea}?lang=en"))

    assert on_a.submit(f"/ideas/{idea}/support", {}, page=f"/ideas/{idea}").status_code == 302

    after = _text(on_b.get(f"/ideas/{idea}?lang=en"))   # others may see the count late, never the person
    assert "1 resident supports this idea." in after and "Withdraw my support" in after
    assert on_a.submit(f"/ideas/{idea}/support", {}, page=f"/ideas/{idea}").status_code == 302   # withdrawn
    again = _text(on_b.get(f"/ideas/{idea}?lang=en"))
    assert "0 residents support this idea." in again and "Support this idea" in again


def test_an_account_blocked_through_one_server_is_refused_by_the_other_at_its_next_request(servers):
    a, b = servers
    resident = make_user(a)
    theirs = through(logged_in(a, resident), b)
    assert _is_logged_in(theirs) and _is_logged_in(theirs)   # the second from the account kept on b
    admin = logged_in(a, make_user(a, role="admin"))
    person = f"/admin/people/{resident.id}"
    answer = admin.submit(f"{person}/block", {"reason": "Gjentatte personangrep", "confirm": "y"}, page=person)
    assert answer.status_code == 302

    assert not _is_logged_in(theirs)
    assert theirs.get("/account/").status_code == 302


def test_logging_out_through_one_server_ends_the_persons_sessions_on_the_other(servers):
    a, b = servers
    resident = make_user(a)
    phone = logged_in(a, resident)
    laptop = logged_in(b, resident)
    assert _is_logged_in(laptop) and _is_logged_in(through(phone, b))

    assert phone.submit("/account/logout", {}, page="/account/").status_code == 302

    assert not _is_logged_in(laptop)
    assert not _is_logged_in(through(laptop, a))


def test_a_language_switched_off_and_a_setting_changed_through_one_server_are_followed_by_the_other(servers):
    a, b = servers
    visitor = b.test_client()
    for _ in range(2):   # the second from b's kept page
        page = soup(visitor.get("/", headers={"Accept-Language": "pl"}))
        assert page.html["lang"] == "pl" and "+47 72 54 00 00" in page.get_text()
    admin = logged_in(a, make_user(a, role="admin"))
    languages = [line[0] for line in a.config["LANGUAGES"] if line[0] not in ("nb", "pl")]
    answer = admin.submit("/admin/settings", {"languages_on": languages, "contact_phone": "+47 73 00 00 00"})
    assert answer.status_code == 302

    page = soup(visitor.get("/", headers={"Accept-Language": "pl"}))
    assert page.html["lang"] == "nb"
    assert "+47 73 00 00 00" in page.get_text() and "+47 72 54 00 00" not in page.get_text()
    assert page.select_one("nav.languages a[hreflang=pl]") is None


def test_an_idea_hidden_through_one_server_leaves_the_others_pages_for_visitors(servers):
    a, b = servers
    idea = make_idea(a, make_user(a), title="Navnet til naboen min")
    for _ in range(2):
        assert "Navnet til naboen min" in _text(b.test_client().get("/ideas/"))
        assert "Navnet til naboen min" in _text(b.test_client().get(f"/ideas/{idea}?lang=en"))
    moderator = logged_in(a, make_user(a, role="moderator", districts=("lademoen",)))
    item = f"/moderation/items/idea/{idea}"
    answer = moderator.submit(item, {"hide-reason": "personal_data", "hide-explanation": "Navn på naboen."},
                              action=f"{item}/hide")
    assert answer.status_code == 302

    assert "Navnet til naboen min" not in _text(b.test_client().get("/ideas/"))
    page = _text(b.test_client().get(f"/ideas/{idea}?lang=en"))
    assert "Navnet til naboen min" not in page and "Hidden idea" in page


def test_a_district_renamed_through_one_server_is_renamed_on_the_other(servers):
    a, b = servers
    for _ in range(2):
        assert soup(b.test_client().get("/districts/lademoen?lang=nn")).find("h1").get_text() == "Lademoen"
    admin = logged_in(a, make_user(a, role="admin"))
    answer = admin.submit("/admin/districts/lademoen/edit", {"name_nn": "Lademoen (nynorsk)"})
    assert answer.status_code == 302

    assert soup(b.test_client().get("/districts/lademoen?lang=nn")).find("h1").get_text() == "Lademoen (nynorsk)"


def test_a_registration_made_through_one_server_is_on_the_persons_page_on_the_other(servers):
    a, b = servers
    event = make_event(a, make_organisation(a), title="Strikkekafé på Møllenberg")
    on_a = logged_in(a, make_user(a, locale="en"))
    on_b = through(on_a, b)
    for _ in range(2):
        assert "Strikkekafé på Møllenberg" not in _text(on_b.get("/account/"))

    assert on_a.submit(f"/events/{event}/register", {}).status_code == 302

    assert "Strikkekafé på Møllenberg" in _text(on_b.get("/account/"))
    assert "You are registered (1 person)" in _text(on_b.get(f"/events/{event}"))


@pytest.mark.skipif(not (REDIS or IN_CI), reason="needs a Redis: set TEST_REDIS_URL")
def test_a_generation_lost_with_redis_data_is_never_given_again():
    """Redis restarted without its data (or the key evicted): a page a server kept before must not
    become current again as writes go on."""
    generations = RedisGeneration(_redis(), key=f"medvirk:test:{uuid.uuid4().hex}")
    seen = set()
    for _ in range(3):
        generations.bump()
        seen.add(generations.read())
    generations.client.delete(generations.KEY)
    try:
        for _ in range(5):
            assert generations.read() not in seen
            generations.bump()
    finally:
        generations.client.delete(generations.KEY)


def test_a_write_that_could_not_reach_redis_retires_the_kept_pages_once_redis_answers_again(monkeypatch):
    """A moderator hides an idea while their server cannot reach Redis for a moment: the other servers
    still hold the generation of before, so once Redis answers again the write must retire it (at that
    server's next request), not leave their kept pages shown for PAGE_CACHE_SECONDS."""
    key = f"medvirk:test:{uuid.uuid4().hex}"
    writer, other = RedisGeneration(_redis(), key=key), RedisGeneration(_redis(), key=key)
    try:
        before = other.read()
        with monkeypatch.context() as blip:
            blip.setattr(writer.client, "set", lambda *a, **k: (_ for _ in ()).throw(redis.ConnectionError("down")))
            writer.bump()   # before the commit
            writer.bump()   # after it
        assert other.read() == before   # nobody could know yet
        writer.read()   # the writer's next request: Redis answers again
        assert other.read() != before
    finally:
        writer.client.delete(key)


# --- two real processes ------------------------------------------------------------------------------------
# In one process the two apps above share Flask-Limiter's one storage and every module-level value; here
# each server is a process of its own with its own instance folder, as on two machines.

SERVER = """
import json, sys
from flask import Flask
from werkzeug.serving import make_server
Flask.auto_find_instance_path = lambda self: sys.argv[1]
from app import create_app
server = make_server("127.0.0.1", 0, create_app("testing", json.loads(sys.argv[2])), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


class Person:
    """A browser over HTTP: one cookie jar, whichever server answers."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def get(self, server: str, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(server + path))

    def submit(self, server: str, path: str, data: dict, page: str | None = None) -> tuple[int, str]:
        _, form = self.get(server, page or path)
        values = {**_form_values(form, path), **data}
        body = urllib.parse.urlencode(values, doseq=True).encode()
        return self._open(urllib.request.Request(server + path, data=body, method="POST"))

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:   # 302, 429...
            return answer.code, answer.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _form_values(page: str, action: str) -> dict:
    from bs4 import BeautifulSoup

    for form in BeautifulSoup(page, "html.parser").find_all("form"):
        if form.get("action", "").split("?")[0] == action and form.find("input", {"name": "csrf_token"}):
            return {field["name"]: field.get("value", "") for field in form.find_all("input", {"type": "hidden"})}
    raise AssertionError(f"no form for {action}")


@contextmanager
def processes(tmp_path, settings: dict):
    running = []
    try:
        for name in ("a", "b"):
            process = subprocess.Popen([sys.executable, "-c", SERVER, str(tmp_path / name), json.dumps(settings)],
                                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            running.append(process)
            port = process.stdout.readline().strip()
            assert port.isdigit(), f"server {name} did not start"
            running[-1].url = f"http://127.0.0.1:{port}"
        yield tuple(process.url for process in running)
    finally:
        for process in running:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()


@pytest.mark.skipif(not (REDIS or IN_CI), reason="two machines share Redis: set TEST_REDIS_URL")
def test_two_server_processes_share_sessions_writes_and_login_limits(app_factory, tmp_path, site_prefix):
    shared = _redis()
    settings = {**_common(tmp_path, site_prefix), "PAGE_CACHE_SECONDS": 30, "RATELIMIT_STORAGE_URI": shared,
                "LOGIN_FAILURES_PER_MINUTE": 5}
    setup = app_factory(**settings)
    resident, guessed = make_user(setup), make_user(setup)
    with processes(tmp_path, settings) as (a, b):
        phone, laptop = Person(), Person()
        assert phone.submit(a, "/account/login", {"email": resident.email, "password": PASSWORD})[0] == 302
        assert laptop.submit(b, "/account/login", {"email": resident.email, "password": PASSWORD})[0] == 302
        for person in (phone, laptop):
            for server in (b, b, a):   # logged in on both servers, the account kept by each
                status, page = person.get(server, "/account/")
                assert status == 200 and "/account/logout" in page

        assert phone.submit(a, "/account/logout", {}, page="/account/")[0] == 302

        assert laptop.get(b, "/account/")[0] == 302   # its session ended through the other server

        thief = Person()
        for server in (a, b, a, b, a):
            assert thief.submit(server, "/account/login", {"email": guessed.email, "password": "feil"})[0] == 200
        assert thief.submit(b, "/account/login", {"email": guessed.email, "password": PASSWORD})[0] == 429
