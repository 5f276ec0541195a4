"""A mail server in the test process: ``smtplib.SMTP`` replaced by a class that records every
connection and every message, and refuses them when told to."""
from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class FakeMailServer:
    connections: list[dict] = field(default_factory=list)   # host, port, timeout, tls, login of each
    received: list[EmailMessage] = field(default_factory=list)
    refuse_connection: Exception | None = None       # raised when a connection is opened
    refuse_message: Exception | None = None          # raised for every message
    refuse_recipient: dict[str, Exception] = field(default_factory=dict)   # raised for mail to these
    quits: int = 0

    def smtp_class(self):
        server = self

        class FakeSMTP:
            def __init__(self, host="", port=0, timeout=None, **_kwargs):
                self.record = {"host": host, "port": port, "timeout": timeout, "tls": False, "login": None}
                server.connections.append(self.record)
                if server.refuse_connection is not None:
                    raise server.refuse_connection

            def starttls(self, *args, **kwargs):
                self.record["tls"] = True

            def login(self, user, password):
                self.record["login"] = user

            def send_message(self, msg, *args, **kwargs):
                if server.refuse_message is not None:
                    raise server.refuse_message
                refused = server.refuse_recipient.get(msg["To"])
                if refused is not None:
                    raise refused
                # As it went over the wire, read back as the receiving side would.
                server.received.append(message_from_bytes(msg.as_bytes(), policy=policy.default))
                return {}

            def quit(self):
                server.quits += 1

            def close(self):
                pass

        return FakeSMTP


def install(monkeypatch) -> FakeMailServer:
    """The fake in place of ``smtplib.SMTP`` for the rest of the test."""
    server = FakeMailServer()
    monkeypatch.setattr(smtplib, "SMTP", server.smtp_class())
    return server
