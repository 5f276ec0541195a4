"""Counting attempts in a moving window, for rules that answer with a form instead of an error page."""
from __future__ import annotations

import math
import time

from limits import parse

from app.extensions import limiter


def retry_after(limit: str, *key: str) -> int | None:
    """Seconds to wait when ``limit`` (e.g. "5 per minute") is used up for ``key``, else None."""
    item = parse(limit)
    if limiter.limiter.test(item, *key):
        return None
    reset_at, _remaining = limiter.limiter.get_window_stats(item, *key)
    return max(1, math.ceil(reset_at - time.time()))


def hit(limit: str, *key: str) -> None:
    limiter.limiter.hit(parse(limit), *key)
