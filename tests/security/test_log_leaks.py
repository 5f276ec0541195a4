"""No password, email address, phone number or session cookie in any log line the app writes.

Every test checks the lines written while it ran (tests/log_leaks.py, used by an autouse fixture in
tests/conftest.py), so this file needs no place in the order: it shows the check sees what the app
logs and finds what it looks for.
"""
from __future__ import annotations

import logging

from tests.helpers import PASSWORD
from tests.log_leaks import LOG_LINES, leaks


def test_a_line_the_app_logs_reaches_the_check_and_a_leak_in_it_is_found():
    logging.getLogger("medvirk.errors").error("a line the check must see: %s", "checked")
    logging.getLogger("medvirk.mail").warning("could not deliver to %s", "kari@example.no")
    written = LOG_LINES.take()  # taken here, so the planted leak does not fail this test's own check
    assert any("a line the check must see" in line for line in written)
    assert leaks(written) == ["WARNING medvirk.mail: could not deliver to kari@example.no"]


def test_the_check_finds_what_it_looks_for():
    for line in ("sent to kari@example.no", "call 912 34 567", f"password {PASSWORD}", "Cookie: session=abc"):
        assert leaks([line]) == [line], line


def test_the_check_lets_ordinary_lines_pass():
    assert leaks(["INFO medvirk.mail: message 42 sent", "ERROR medvirk.errors: OperationalError on ideas.index",
                  "INFO medvirk.audit: idea 12 hidden at 2026-12-06 10:15:00"]) == []
