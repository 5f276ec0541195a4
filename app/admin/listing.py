"""What the administration's lists of meeting places and organisations share: paging, and the
sentences that say what a merge moved."""
from __future__ import annotations

from flask import request

from app.core.i18n import ngettext
from app.core.params import positive_int

PER_PAGE = 25


def page_number() -> int:
    return positive_int(request.args.get("page"), 1)


def moved_events(count: int) -> str:
    return ngettext("%(num)d event moved to it.", "%(num)d events moved to it.", count)


def moved_followers(count: int) -> str:
    return ngettext("%(num)d follower now follows it.", "%(num)d followers now follow it.", count)
