"""Reading an answer with an HTML parser: which elements and attributes it has, which fields carry an
error message, and whether anything in it was not written by the templates.

An element is the template's when its shape (tag and sorted attribute names) is one the same page
had with benign values, or one that any page of the site has and that cannot run anything, or one
the Markdown sanitiser allows. Wherever it comes from, no element may carry an event handler, a link
to script, or be a script, frame, object, style or meta element the benign site does not have.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from app.core.sanitize import MARKDOWN_ATTRIBUTES, MARKDOWN_TAGS

Shape = tuple[str, tuple[str, ...]]

SANITISER_SHAPES = {(tag, ()) for tag in MARKDOWN_TAGS} | {
    (tag, tuple(sorted(names))) for tag, attrs in MARKDOWN_ATTRIBUTES.items()
    for names in ([*attrs], [a for a in attrs if a != "rel"], [a for a in attrs if a != "href"])
} | {("a", ("dir", "href", "rel"))}   # an address written out in the text, made a link kept left to right
# Elements that load or run something, or change how the page is read: they must match the benign site
# exactly, attribute values included.
ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "style",
               "svg", "math", "img", "video", "audio", "source", "template", "portal", "noscript", "xmp", "plaintext"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "lowsrc",
                  "dynsrc", "ping", "srcset", "cite", "codebase"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")


@dataclass
class Scan:
    """One answer, read once."""

    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @property
    def shapes(self) -> set[Shape]:
        return {(tag, tuple(sorted(attrs))) for tag, attrs in self.elements}

    def error_fields(self) -> set[str]:
        """Names of the fields with an error message beside them, wired to the field by aria-describedby."""
        error_ids = {attrs["id"] for _tag, attrs in self.elements
                     if "error-message" in attrs.get("class", "").split() and attrs.get("id")}
        described = {ref for _tag, attrs in self.elements for ref in attrs.get("aria-describedby", "").split()}
        names_by_id = {attrs["id"]: attrs["name"] for tag, attrs in self.elements
                       if tag in ("input", "textarea", "select") and attrs.get("id") and attrs.get("name")}
        fields = set()
        for error_id in error_ids & described:
            field_id = error_id.removesuffix("-error")
            fields.add(names_by_id.get(field_id) or names_by_id.get(f"{field_id}-0") or field_id)
        return fields

    def has_alert(self) -> bool:
        """A message about the whole form (its error summary or a refusal) or an error flash."""
        return any(attrs.get("role") == "alert" or "flash-error" in attrs.get("class", "").split()
                   for _tag, attrs in self.elements)

    def next_page(self) -> str | None:
        for tag, attrs in self.elements:
            if tag == "a" and "next" in attrs.get("rel", "").split() and attrs.get("href"):
                return html.unescape(attrs["href"]).split("#")[0]
        return None


class _Reader(HTMLParser):
    def __init__(self, scan: Scan):
        super().__init__(convert_charrefs=True)
        self.scan = scan

    def handle_starttag(self, tag, attrs):
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, value or "")
        self.scan.elements.append((tag, values))


def scan(page: str) -> Scan:
    result = Scan()
    reader = _Reader(result)
    reader.feed(page)
    reader.close()
    return result


@dataclass
class Vocabulary:
    """What the templates write: shapes per page (endpoint and method), shapes anywhere, and the active
    elements with their attribute values."""

    by_page: dict[str, set[Shape]] = field(default_factory=dict)
    anywhere: set[Shape] = field(default_factory=set)
    active: set[tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=set)

    def learn(self, page_key: str, page: Scan) -> None:
        shapes = page.shapes
        self.by_page.setdefault(page_key, set()).update(shapes)
        self.anywhere |= shapes
        for tag, attrs in page.elements:
            if tag in ACTIVE_TAGS:
                self.active.add(_active(tag, attrs))


# A stored photo's files on this site (app/photos/views.py): /photos/<random key>-<width>.<webp|jpg>.
_PHOTO_FILE = re.compile(r"^/photos/[a-z2-7]{24}-(\d+\.(?:webp|jpg))(?= |$)")


def _active(tag: str, attrs: dict[str, str]):
    # A CSRF token or a nonce differs between pages; the element is the same. An image drawn by the
    # server into a data: address (a QR code for this person) fetches nothing: judged by its kind alone.
    # A photo's files differ only by the photo's random key (a new photo, a new key): judged without it.
    def value(name: str, text: str) -> str:
        if tag == "img" and name == "src" and text.startswith("data:image/"):
            return text.split(",", 1)[0]
        if tag in ("img", "source") and name in ("src", "srcset"):
            return ", ".join(_PHOTO_FILE.sub(r"/photos/KEY-\1", part) for part in text.split(", "))
        return text
    return tag, tuple(sorted((k, value(k, v)) for k, v in attrs.items() if k not in ("content", "nonce") or tag != "meta"))


_SPACE = re.compile(r"[\x00-\x20]+")


def _scheme(value: str) -> str:
    # Browsers drop control characters and spaces inside a scheme, so judge it as they do.
    return _SPACE.sub("", html.unescape(value)).lower()


def foreign_markup(page: Scan, page_key: str, vocabulary: Vocabulary) -> list[str]:
    """Every element or attribute in ``page`` that the templates did not write."""
    own = vocabulary.by_page.get(page_key, set())
    problems = []
    for tag, attrs in page.elements:
        shape = (tag, tuple(sorted(attrs)))
        if tag in ACTIVE_TAGS and _active(tag, attrs) not in vocabulary.active:
            problems.append(f"<{tag} {attrs}> is no element of the templates")
            continue
        harmless = not any(name.startswith("on") or name == "style" for name in attrs)
        if shape not in own and not (harmless and shape in vocabulary.anywhere) and shape not in SANITISER_SHAPES:
            problems.append(f"<{tag} {attrs}> has a shape the templates never write")
            continue
        for name, value in attrs.items():
            image = tag == "img" and name == "src" and _scheme(value).startswith("data:image/")  # runs no script
            if name in URL_ATTRIBUTES and _scheme(value).startswith(SCRIPT_SCHEMES) and not image:
                problems.append(f"<{tag} {name}={value!r}> links to script")
            if name == "srcdoc":
                problems.append(f"<{tag}> has srcdoc")
    return problems
