"""No password, email address, phone number or session cookie in any log line the app wrote
while the whole suite ran (mail goes to the outbox in tests, so no mail backend prints any).

This file is named to run last; run alone, it checks the lines of that run.
"""
from __future__ import annotations

import logging
import re

from tests.conftest import LOG_LINES
from tests.helpers import PASSWORD

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\d.:-])(\+47[ ]?)?\d{3}[ ]?\d{2}[ ]?\d{3}(?![\d.:-])")
SECRETS = (PASSWORD, "blå sykkel under broen", "session=", "remember_token=")


def test_no_log_line_holds_personal_data_or_secrets():
    logging.getLogger("medvirk.errors").error("a line the check must see: %s", "checked")
    assert any("a line the check must see" in line for line in LOG_LINES.lines)
    found = [line for line in LOG_LINES.lines
             if EMAIL.search(line) or PHONE.search(line) or any(secret in line for secret in SECRETS)]
    assert found == [], "\n".join(found[:20])


def test_the_check_finds_what_it_looks_for():
    for line in ("sent to kari@example.no", "call 912 34 567", f"password {PASSWORD}", "Cookie: session=abc"):
        assert EMAIL.search(line) or PHONE.search(line) or any(secret in line for secret in SECRETS), line
