"""What the administration's lists of meeting places and organisations share: paging, and the
sentences that say what a merge moved."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request

from app.core.i18n import ngettext
from app.core.params import page_count, positive_int

PER_PAGE = 25


@dataclass
class Pages:
    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def page_number() -> int:
    return positive_int(request.args.get("page"), 1)


def moved_events(count: int) -> str:
    return ngettext("%(num)d event moved to it.", "%(num)d events moved to it.", count)


def moved_followers(count: int) -> str:
    return ngettext("%(num)d follower now follows it.", "%(num)d followers now follow it.", count)
