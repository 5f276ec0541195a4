"""Counting failed logins, per normalised email and per client address, and failed second-factor codes,
per account and per client address."""
from __future__ import annotations

from app.core import clients, settings, throttle

# A 6-digit code is right by chance once in a million; with a step of drift either way, three codes
# count at any moment. This many wrong codes a day from one client keep the chance of guessing one
# below 1 in 10,000 a day for someone who has the password, while a person who mistypes still gets in.
SECOND_FACTOR_FAILURES_PER_DAY = 30
# Wrong codes are counted per account AND client, never per account alone: a stranger with the
# password must not be able to lock the owner out by spending the account's attempts. What keeps a
# stranger with many addresses in check is the owner: after this many wrong codes in a day, from
# any client, the owner gets one mail a day saying their password is known and how to change it.
SECOND_FACTOR_FAILURES_BEFORE_TELLING = 10


def _limit() -> str:
    return f"{settings.get('LOGIN_FAILURES_PER_MINUTE')} per minute"


def _keys(email: str) -> list[tuple[str, str]]:
    return [("login-email", email), ("login-addr", clients.client_key())]


def _second_factor_limits(user_id: int) -> list[tuple[str, tuple[str, ...]]]:
    client = clients.client_key()
    return [
        (_limit(), ("two-factor-user-addr", str(user_id), client)),
        (_limit(), ("two-factor-addr", client)),
        (f"{SECOND_FACTOR_FAILURES_PER_DAY} per day", ("two-factor-user-addr-day", str(user_id), client)),
    ]


def _longest_wait(limits) -> int | None:
    waits = [wait for limit, key in limits if (wait := throttle.retry_after(limit, *key)) is not None]
    return max(waits) if waits else None


def retry_after(email: str) -> int | None:
    """Seconds to wait when either counter is full, else None."""
    return _longest_wait([(_limit(), key) for key in _keys(email)])


def record_failure(email: str) -> None:
    for key in _keys(email):
        throttle.hit(_limit(), *key)


def second_factor_retry_after(user_id: int) -> int | None:
    """Seconds to wait before the next code may be tried, or None."""
    return _longest_wait(_second_factor_limits(user_id))


def record_second_factor_failure(user_id: int) -> bool:
    """Count a wrong code; True when the owner is to be told now (the first time today the account's
    wrong codes, from all clients together, reach SECOND_FACTOR_FAILURES_BEFORE_TELLING)."""
    for limit, key in _second_factor_limits(user_id):
        throttle.hit(limit, *key)
    counted = (f"{SECOND_FACTOR_FAILURES_BEFORE_TELLING - 1} per day", "two-factor-user-day", str(user_id))
    told = ("1 per day", "two-factor-owner-told", str(user_id))
    if throttle.retry_after(*counted) is None:
        throttle.hit(*counted)
        return False
    if throttle.retry_after(*told) is not None:
        return False
    throttle.hit(*told)
    return True
