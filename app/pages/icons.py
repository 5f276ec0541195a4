"""Draws Medvirk's icon once: the SVG favicon and the PNG app icons in app/static/icons/.

    python -m app.pages.icons

The icon is a speech bubble on the brand navy with the three district emblems in it (a circle,
a triangle and a square, as on the district pages). One list of shapes makes both the SVG and
the PNGs, so they cannot drift apart. The PNGs are drawn here with signed distances and written
with zlib: no imaging library is needed for a handful of small files that change rarely.
Run it again after changing a shape or a colour, and commit the files it writes.
"""
from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "static" / "icons"

NAVY = "#003d6b"
WHITE = "#ffffff"
# The district colours of the stylesheet (--d-lademoen, --d-tempe-sorgenfri, --d-mollenberg).
TEAL, CLAY, PLUM = "#00786f", "#b4441b", "#6f3a8c"

# Shapes on a 512 × 512 canvas, painted in order: (kind, colour, geometry).
BUBBLE = [
    ("rect", WHITE, (88, 104, 424, 376, 64)),              # x0, y0, x1, y1, corner radius
    ("poly", WHITE, ((140, 340), (236, 340), (118, 440))),  # the bubble's tail
    ("circle", TEAL, (162, 240, 42)),                        # Lademoen
    ("poly", CLAY, ((256, 196), (302, 282), (210, 282))),    # Tempe-Sorgenfri
    ("rect", PLUM, (310, 198, 394, 282, 6)),                 # Møllenberg
]


def _scaled(shapes, factor: float):
    """The shapes shrunk around the centre (a maskable icon keeps them inside its safe circle)."""
    def p(v):
        return 256 + (v - 256) * factor
    out: list[tuple] = []
    for kind, colour, g in shapes:
        if kind == "rect":
            out.append((kind, colour, (p(g[0]), p(g[1]), p(g[2]), p(g[3]), g[4] * factor)))
        elif kind == "circle":
            out.append((kind, colour, (p(g[0]), p(g[1]), g[2] * factor)))
        else:
            out.append((kind, colour, tuple((p(x), p(y)) for x, y in g)))
    return out


def icon(maskable: bool = False):
    """The whole picture: a rounded navy tile, or a full-bleed one with the content inside the safe zone."""
    background = ("rect", NAVY, (0, 0, 512, 512, 0 if maskable else 112))
    return [background] + (_scaled(BUBBLE, 0.78) if maskable else BUBBLE)


# --- SVG ------------------------------------------------------------------------------------------------------------

def svg(shapes) -> str:
    parts = []
    for kind, colour, g in shapes:
        if kind == "rect":
            x0, y0, x1, y1, r = g
            parts.append(f'<rect x="{x0:g}" y="{y0:g}" width="{x1 - x0:g}" height="{y1 - y0:g}" rx="{r:g}" fill="{colour}"/>')
        elif kind == "circle":
            parts.append(f'<circle cx="{g[0]:g}" cy="{g[1]:g}" r="{g[2]:g}" fill="{colour}"/>')
        else:
            points = " ".join(f"{x:g},{y:g}" for x, y in g)
            parts.append(f'<polygon points="{points}" fill="{colour}"/>')
    return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">' + "".join(parts) + "</svg>\n"


# --- PNG ------------------------------------------------------------------------------------------------------------

def _distance(kind, g, x: float, y: float) -> float:
    """Signed distance from (x, y) to the shape's edge: negative inside."""
    if kind == "circle":
        return math.hypot(x - g[0], y - g[1]) - g[2]
    if kind == "rect":
        x0, y0, x1, y1, r = g
        cx, cy, hw, hh = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 - r, (y1 - y0) / 2 - r
        qx, qy = abs(x - cx) - hw, abs(y - cy) - hh
        return math.hypot(max(qx, 0), max(qy, 0)) + min(max(qx, qy), 0) - r
    # A convex polygon, listed clockwise on screen: the largest distance past any edge.
    worst = -math.inf
    for (ax, ay), (bx, by) in zip(g, g[1:] + g[:1], strict=True):
        ex, ey = bx - ax, by - ay
        length = math.hypot(ex, ey)
        worst = max(worst, ((x - ax) * ey - (y - ay) * ex) / length)
    return worst


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def png(shapes, size: int) -> bytes:
    scale = 512 / size
    rows = []
    for py in range(size):
        row = bytearray([0])  # filter type: none
        for px in range(size):
            x, y = (px + 0.5) * scale, (py + 0.5) * scale
            r = g = b = a = 0.0
            for kind, colour, geometry in shapes:
                # Coverage of this pixel, from the distance to the edge measured in pixels.
                cover = min(1.0, max(0.0, 0.5 - _distance(kind, geometry, x, y) / scale))
                if cover:
                    cr, cg, cb = _rgb(colour)
                    r, g, b = r + (cr - r) * cover, g + (cg - g) * cover, b + (cb - b) * cover
                    a = a + (1 - a) * cover
            if a:
                row += bytes((round(r), round(g), round(b), round(a * 255)))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "medvirk.svg").write_text(svg(icon()))
    (OUT / "maskable.svg").write_text(svg(icon(maskable=True)))
    for name, shapes, size in (("favicon-32.png", icon(), 32), ("apple-touch-icon.png", icon(maskable=True), 180),
                               ("icon-192.png", icon(), 192), ("icon-512.png", icon(), 512),
                               ("maskable-512.png", icon(maskable=True), 512)):
        (OUT / name).write_bytes(png(shapes, size))
        print(name, (OUT / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
