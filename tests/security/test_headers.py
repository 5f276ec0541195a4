"""Response headers every page sends."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["/", "/account/login", "/nope", "/healthz"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in headers  # only in production


def _assert_protected(headers, label: str) -> None:
    csp = headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, label
    assert "script-src" not in csp or "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0], label
    assert headers.get("X-Content-Type-Options") == "nosniff", label
    assert headers.get("Referrer-Policy"), label
    for cookie in headers.getlist("Set-Cookie"):
        flags = cookie.lower()
        assert "httponly" in flags and "samesite=lax" in flags, (label, cookie.split("=", 1)[0])


@pytest.mark.parametrize("role", ["visitor", "admin"])
def test_every_route_sends_the_security_headers(app, client, login_as, role):
    """Every GET route in the URL map, with example arguments, as a visitor and as an admin:
    a route added later is covered without changing this test."""
    from tests.security.test_architecture import EXEMPT, _example_path

    login_as(role)
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in EXEMPT and "GET" in rule.methods]
    assert len(rules) > 60
    for rule in rules:
        path = _example_path(rule)
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        _assert_protected(response.headers, f"{path} as {role}")


def _start_production(env_extra: dict) -> subprocess.CompletedProcess:
    """Start the app the way gunicorn does (``wsgi.py``), in a fresh process with its own environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "MEDVIRK_CONFIG")}
    env.update(DATABASE_URL="sqlite://", RATELIMIT_STORAGE_URI="memory://", BASE_URL="https://medvirk.example", **env_extra)
    code = (
        "from wsgi import app\n"
        "r = app.test_client().get('/healthz')\n"
        "print(r.headers.get('Strict-Transport-Security'), app.config['SESSION_COOKIE_SECURE'])\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_refuses_to_start_without_a_secret_key():
    result = _start_production({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_sends_hsts_and_secure_cookies():
    result = _start_production({"SECRET_KEY": "x" * 40})
    assert result.returncode == 0, result.stderr
    hsts, secure = result.stdout.strip().rsplit(" ", 1)
    assert hsts.startswith("max-age=") and secure == "True"


def test_session_cookie_is_httponly_and_samesite_lax(client, login_as):
    login_as("resident")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_no_inline_script_or_style_in_pages(client):
    from tests.helpers import soup

    page = soup(client.get("/account/register"))
    assert all(tag.get("src") for tag in page.find_all("script"))
    assert not page.find_all(style=True) and not page.find_all("style")


def test_trusted_proxies_decide_the_client_address(app_factory):
    app = app_factory(TRUSTED_PROXIES=1)
    from flask import request

    seen = {}

    @app.get("/_test/addr")
    def _addr():
        seen["addr"] = request.remote_addr
        return ""

    _addr.access = "public"
    app.test_client().get("/_test/addr", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen["addr"] == "203.0.113.9"
