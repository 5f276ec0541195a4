"""The one place user-written and admin-written text becomes HTML.

Everything goes through bleach, so swapping the cleaner later touches this
file only.
"""
from __future__ import annotations

import re

import bleach
import markdown as md
from bleach.linkifier import Linker
from markupsafe import Markup

MARKDOWN_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a"})
MARKDOWN_ATTRIBUTES = {"a": ["href", "rel"]}
PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
MAX_LINK_BRACKETS = 50


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    if new:  # an address written out keeps its order inside right-to-left text
        attrs[(None, "dir")] = "ltr"
    return attrs


# bleach's link pattern starts with "\(*": on a run of opening brackets it takes time growing with the
# square of the run's length (5,000 of them: most of a second; 20,000: seconds). Text with such a run is
# shown without its addresses made into links.
_BRACKET_RUN = re.compile(r"\({40,}")


def _linkify(html: str) -> str:
    if _BRACKET_RUN.search(html):
        return html
    # A Linker holds a parser that is not safe to share between threads: one per call.
    return Linker(callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False).linkify(html)


def _markdown() -> md.Markdown:
    """Markdown that treats HTML as text: "<en plass>" is shown, not dropped."""
    converter = md.Markdown(extensions=["nl2br", "sane_lists"], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def markdown_to_html(text: str | None) -> Markup:
    """Markdown limited to paragraphs, line breaks, emphasis, lists, quotes and links."""
    if not text:
        return Markup("")
    if text.count("[") > MAX_LINK_BRACKETS:
        # Many brackets make Markdown's link parsing take seconds; such text is shown as written.
        text = text.replace("[", "\\[")
    raw = _markdown().convert(text)
    cleaned = bleach.clean(raw, tags=MARKDOWN_TAGS, attributes=MARKDOWN_ATTRIBUTES, protocols=PROTOCOLS, strip=True)
    # Safe: bleach has cleaned it to the allowed tags just above.
    return Markup(_linkify(cleaned))  # nosec B704


def plain_text_to_html(text: str | None) -> Markup:
    """Plain text, escaped, with line breaks kept and links made clickable."""
    if not text:
        return Markup("")
    escaped = bleach.clean(text, tags=set(), strip=False)  # markup is shown as the text it is
    paragraphs = [p.replace("\n", "<br>\n") for p in escaped.split("\n\n") if p.strip()]
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    # Safe: built from escaped text and our own <p> and <br>.
    return Markup(_linkify(html))  # nosec B704


def init_app(app) -> None:
    app.jinja_env.filters.update(markdown=markdown_to_html, plaintext=plain_text_to_html)

