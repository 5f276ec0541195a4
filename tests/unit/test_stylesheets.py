"""The style sheets say start and end, not left and right, so an Arabic page is the mirror of a Norwegian one."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"
STYLESHEETS = ["style.css", "map.css", "poster.css"]
PHYSICAL_NAME = re.compile(r"(^|-)(left|right)($|-)")
PHYSICAL_VALUE = re.compile(r"\b(left|right)\b")
# Shorthands whose four values name top, right, bottom, left: right and left must be the same.
BOX_SHORTHANDS = {"margin", "padding", "inset", "border-width", "border-style", "border-color", "scroll-margin",
                  "scroll-padding"}


def rules(css: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(selector, [(property, value)]) for each rule holding declarations, inside @media too."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = [part.split(":", 1) for part in body.split(";") if ":" in part]
        found.append((" ".join(selector.split()), [(name.strip().lower(), value.strip()) for name, value in declarations]))
    return found


def physical(css: str) -> list[str]:
    """What a style sheet says in left and right, outside the rules that say how a right-to-left page differs
    (each of their selectors has :dir(), one rule per direction). Data URLs (drawings) are left out: they are pictures, not layout."""
    wrong = []
    for selector, declarations in rules(css):
        if all(":dir(" in part for part in selector.split(",")):
            continue
        for name, value in declarations:
            value = re.sub(r"url\([^)]*\)", "url()", value)
            values = value.split()
            if PHYSICAL_NAME.search(name) or PHYSICAL_VALUE.search(value):
                wrong.append(f"{selector} {{ {name}: {value} }}")
            elif name in BOX_SHORTHANDS and len(values) == 4 and values[1] != values[3]:
                wrong.append(f"{selector} {{ {name}: {value} }} (use {name}-inline)")
    return wrong


@pytest.mark.parametrize("name", STYLESHEETS)
def test_the_stylesheet_uses_logical_properties_only(name):
    assert physical((STATIC / name).read_text()) == []


def test_the_check_finds_left_and_right_and_spares_the_right_to_left_rules():
    css = """
    .a { margin-left: 1rem; } .b { text-align: right; } .c { float: left; }
    @media (min-width: 40rem) { .d { padding: 0 1rem 0 2rem; } }
    .e { background: url("data:image/svg+xml,<svg class='left'/>") center; padding: 0 1rem 0 1rem; }
    .f:dir(rtl) { background-position: left 1rem top 1rem; }
    .g { margin-inline-start: 1rem; text-align: start; float: inline-end; }
    """
    assert physical(css) == [".a { margin-left: 1rem }", ".b { text-align: right }", ".c { float: left }",
                             ".d { padding: 0 1rem 0 2rem } (use padding-inline)"]
