"""The forms on a page, as a person sees them: their fields, what the page put in them, and which
fields take typed text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, SoupStrainer

STYLESHEET = Path(__file__).resolve().parents[3] / "app" / "static" / "style.css"
TEXT_INPUTS = {"text", "search", "email", "tel", "url"}
NOT_SENT = {"submit", "button", "reset", "image", "file"}


def hidden_classes() -> set[str]:
    """Classes the stylesheet never shows (a field inside one is a trap for robots, not for people)."""
    css = STYLESHEET.read_text()
    return set(re.findall(r"^\.([\w-]+)\s*\{\s*display:\s*none;?\s*\}", css, re.MULTILINE))


@dataclass
class Control:
    name: str
    kind: str                       # the input's type, or "textarea" / "select"
    value: list[str]                # what the page sends when nobody touches it
    options: list[str] = field(default_factory=list)  # radio, checkbox and select values, in order
    hidden_from_people: bool = False
    minlength: int | None = None
    maxlength: int | None = None

    @property
    def typed(self) -> bool:
        """A field a person types text into."""
        return (self.kind in TEXT_INPUTS or self.kind == "textarea") and not self.hidden_from_people


@dataclass
class HtmlForm:
    method: str
    action: str
    controls: dict[str, Control]
    buttons: list[tuple[str, str]]  # named submit buttons, in order

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.controls)

    def defaults(self) -> dict[str, list[str]]:
        return {name: list(control.value) for name, control in self.controls.items()}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_forms(page: str, page_path: str, invisible: set[str]) -> list[HtmlForm]:
    forms = []
    if "<form" not in page:
        return forms
    for element in BeautifulSoup(page, "html.parser", parse_only=SoupStrainer("form")).find_all("form"):
        action = element.get("action") or page_path
        controls: dict[str, Control] = {}
        buttons: list[tuple[str, str]] = []
        for tag in element.find_all(["input", "textarea", "select", "button"]):
            name = tag.get("name")
            kind = "textarea" if tag.name == "textarea" else "select" if tag.name == "select" else (
                "submit" if tag.name == "button" else (tag.get("type") or "text").lower())
            if not name or tag.has_attr("disabled"):
                continue
            if kind in NOT_SENT:
                if kind == "submit":
                    buttons.append((name, tag.get("value", "")))
                continue
            hidden = any(set(parent.get("class") or []) & invisible or parent.has_attr("hidden")
                         for parent in tag.parents if parent is not element and parent.name != "[document]")
            control = controls.get(name)
            if kind in ("radio", "checkbox"):
                if control is None:
                    control = controls[name] = Control(name, kind, [], hidden_from_people=hidden)
                control.options.append(tag.get("value", "on"))
                if tag.has_attr("checked"):
                    control.value.append(tag.get("value", "on"))
                continue
            if kind == "textarea":
                value = [tag.text.removeprefix("\n")]
            elif kind == "select":
                options = tag.find_all("option")
                chosen = [o for o in options if o.has_attr("selected")] or options[:1]
                value = [o.get("value", o.text) for o in chosen]
                control = Control(name, kind, value, [o.get("value", o.text) for o in options], hidden)
                controls[name] = control
                continue
            else:
                value = [tag.get("value", "")]
            controls[name] = Control(name, kind, value, hidden_from_people=hidden,
                                     minlength=_int(tag.get("minlength")), maxlength=_int(tag.get("maxlength")))
        forms.append(HtmlForm((element.get("method") or "get").lower(), action, controls, buttons))
    return forms


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
