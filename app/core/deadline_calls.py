"""Asking another service (address register, translation server) without letting it hold a page.

The call runs in a thread the page waits for until its deadline; a server that trickles its answer
past that has its socket shut, so the thread ends too instead of at its own socket timeout. At most as
many calls run at once per process as the caller's semaphore allows: a hanging service cannot tie up
every worker thread.
"""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable


class CallUnfinished(Exception):
    """The call gave no answer in time, was refused, or failed; ``reason`` says which (for the log)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def call_by(deadline: float, slots: threading.BoundedSemaphore, name: str, busy: str,
            request: Callable[[dict[str, object]], bytes]) -> bytes:
    """``request(outcome)`` in a thread named ``name``, by ``deadline`` (time.monotonic()). The request
    puts its open connection in ``outcome["connection"]`` so that it can be hung up on."""
    if not slots.acquire(blocking=False):
        raise CallUnfinished(busy)
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["body"] = request(outcome)
        except Exception as error:   # noqa: BLE001 - any failure of the call is the same to the page
            outcome["error"] = error
        finally:
            slots.release()

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        _hang_up(outcome.get("connection"))
        raise CallUnfinished("timed out")
    if "error" in outcome:
        raise CallUnfinished(type(outcome["error"]).__name__)
    return outcome["body"]  # type: ignore[return-value]


def _hang_up(connection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def read_bounded(connection, response, deadline: float, max_bytes: int) -> bytes:
    """The whole body of ``response``, refused when it grows past ``max_bytes`` or is still coming at
    ``deadline``: each read waits only for what is left of the time."""
    chunks, size = [], 0
    while True:
        if connection.sock is not None:
            connection.sock.settimeout(max(0.05, deadline - time.monotonic()))
        chunk = response.read(16384)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise ValueError("answer too large")
        if time.monotonic() > deadline:
            raise TimeoutError("answer too slow")
        chunks.append(chunk)
    return b"".join(chunks)
