"""What the printable posters of events, meeting places and districts share."""
from __future__ import annotations

from markupsafe import Markup

EVENTS = 4          # the next events on a place's or a district's poster: what fits on A4 beside the code
EXCERPT = 320       # characters of the description: a few lines, read in passing


def excerpt(html: str, length: int = EXCERPT) -> str:
    """The first words of sanitised HTML as plain text, cut at a word: for print, and for answers in lists."""
    text = Markup(html).striptags()  # nosec B704 - only read as text; striptags gives plain text, escaped on output
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:–-") + " …"
