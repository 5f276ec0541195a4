"""The 500 handler logged the request path, and a path can hold a secret: a receipt code, a token
from a mail link. The tester broke a page behind a receipt code and found the code in the log.
The log now names the endpoint (the rule), never the path."""
from __future__ import annotations

import logging

from app.feedback import services

CODE = "QWER-TY23"


def test_an_error_on_a_page_behind_a_receipt_code_does_not_log_the_code(app, client, caplog, monkeypatch):
    def broken(code):
        raise RuntimeError("something broke")

    monkeypatch.setattr(services, "find_by_code", broken)
    with caplog.at_level(logging.INFO):
        response = client.get(f"/feedback/{CODE}?new=1")
    assert response.status_code == 500
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "incident" in logged and "feedback.status" in logged
    assert CODE not in logged and CODE not in caplog.text
