"""Bar charts drawn on the server as SVG: the geometry is worked out here, the template only draws it.

Each chart keeps its numbers, so the page shows the same figures as a table
beside it; a suppressed figure draws no bar and reads "fewer than 5" there.

Every chart is drawn twice, wide for a desktop and narrow for a phone, and the
stylesheet shows the one that fits: an SVG scales its text with its width, so a
single 640-unit drawing shrinks 13 px labels to 7 px on a phone. Each drawing
places only as many category labels as fit side by side at its own size (long
ones on two lines), so labels never overlap and stay at least 12 px on screen.

On a page read right to left (Arabic) the drawing is its mirror image: the scale on
the right, the first category (the earliest period) on the right, as the text runs.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace

MAX_LABELS = 12
CHAR_WIDTH = 0.58          # a label character's width, in font sizes (measured: about 0.56 for the page font)


@dataclass(frozen=True)
class Size:
    name: str
    width: int
    height: int
    font: int              # text size in the drawing's units; on screen it is at least 12 px (see style.css)
    left: int
    right: int = 8
    top: int = 12
    bottom: int = 52


WIDE = Size("wide", 640, 300, 14, 56)
NARROW = Size("narrow", 320, 240, 14, 24)


@dataclass
class Series:
    name: str
    values: list[float | int | None]    # one per category; None is suppressed


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    value: float | int


@dataclass
class Drawing:
    size: Size
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, float]] = field(default_factory=list)          # (y, value)
    labels: list[tuple[float, list[str]]] = field(default_factory=list)     # (x, lines) under the axis
    notes: list[tuple[float, float, str]] = field(default_factory=list)     # (x, y, text) over a bar
    mirrored: bool = False

    @property
    def bottom(self) -> float:
        return self.size.height - self.size.bottom

    @property
    def axis(self) -> float:
        """Where the scale's line is: the plot's edge on the side lines start."""
        return self.size.width - self.size.left if self.mirrored else self.size.left

    @property
    def tick_x(self) -> float:
        """Where the tick labels end, beside the axis (text-anchor: end, which follows the text's direction)."""
        return self.axis + 6 if self.mirrored else self.axis - 6

    @property
    def far_edge(self) -> float:
        """The side of the drawing the grid lines run to."""
        return 0 if self.mirrored else self.size.width

    def label_direction(self, text: str) -> str | None:
        """On a mirrored drawing, "ltr" for a label whose first letter is written left to right (a district's
        name): SVG would lay it out right to left like the page, "Tempe-" broken before "Sorgenfri" showing as
        "-Tempe". None where the page's direction is right."""
        if not self.mirrored:
            return None
        for char in text:
            kind = unicodedata.bidirectional(char)
            if kind in ("R", "AL"):
                return None
            if kind == "L":
                return "ltr"
        return None

    def mirror(self) -> Drawing:
        """The drawing for a page read right to left: every x reflected, the text kept upright."""
        width = self.size.width
        return replace(
            self, mirrored=not self.mirrored,
            bars=[replace(bar, x=round(width - bar.x - bar.width, 1)) for bar in self.bars],
            labels=[(width - x, found) for x, found in self.labels],
            notes=[(width - x, y, text) for x, y, text in self.notes])

    def paths(self) -> list[tuple[int, str]]:
        """Each series' bars as one SVG path: a fraction of the markup of one rectangle per bar."""
        drawn: dict[int, list[str]] = {}
        for bar in self.bars:
            drawn.setdefault(bar.series, []).append(
                f"M{bar.x:g} {bar.y:g}h{bar.width:g}v{bar.height:g}h-{bar.width:g}z")
        return sorted((series, "".join(parts)) for series, parts in drawn.items())


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    categories: list[str]
    series: list[Series]
    drawings: list[Drawing] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(drawing.bars for drawing in self.drawings)


def nice_step(top: float, steps: int = 5) -> float:
    """A round tick step (1, 2 or 5 × 10ⁿ) that covers ``top`` in about ``steps`` steps."""
    if top <= 0:
        return 1
    rough = top / steps
    power = 10 ** math.floor(math.log10(rough))
    return max(1, next(factor * power for factor in (1, 2, 5, 10) if rough <= factor * power))


def text_width(text: str, font: int) -> float:
    return len(text) * font * CHAR_WIDTH


def lines(label: str, room: float, font: int) -> list[str]:
    """The label on one line, or on two, broken after a space or hyphen, when one is too wide."""
    if text_width(label, font) <= room:
        return [label]
    breaks = [m.end() for m in re.finditer(r"[ \-]", label)]
    if not breaks:
        return [label]
    cut = min(breaks, key=lambda at: abs(at - len(label) / 2))
    return [label[:cut].rstrip(), label[cut:].lstrip()]


def bar_chart(chart_id: str, title: str, summary: str, categories: list[str], series: list[Series],
              top: float | None = None, notes: list[list[str | None]] | None = None) -> Chart:
    """A grouped bar chart; ``top`` fixes the scale (ratings run to 5), ``notes`` (per series, per
    category) are short texts drawn over the bars where they fit, such as the number of ratings."""
    chart = Chart(chart_id, title, summary, categories, series)
    chart.drawings = [_draw(size, categories, series, top, notes) for size in (WIDE, NARROW)]
    return chart


def _draw(size: Size, categories: list[str], series: list[Series], top: float | None,
          notes: list[list[str | None]] | None) -> Drawing:
    shown = [v for s in series for v in s.values if v is not None]
    highest = top if top is not None else max(shown, default=0)
    step = nice_step(highest)
    ceiling = step * max(1, math.ceil(highest / step))
    # Room on the left for the longest tick label ("2500"), so none is cut off at the edge.
    left = max(size.left, math.ceil(text_width(str(int(ceiling)), size.font) + 10))
    size = replace(size, left=left)
    drawing = Drawing(size)
    plot_height = size.height - size.top - size.bottom
    plot_width = size.width - size.left - size.right
    drawing.ticks = [(round(drawing.bottom - plot_height * (i * step) / ceiling), i * step)
                     for i in range(int(round(ceiling / step)) + 1)]
    if not categories:
        return drawing
    group = plot_width / len(categories)
    bar_width = group * 0.8 / max(1, len(series))
    # Label every n-th category, n as small as lets the labels stand apart (on up to two lines).
    gap = size.font * 0.5
    every = max(1, math.ceil(len(categories) / MAX_LABELS))

    def widest(room: float) -> float:
        return max(text_width(line, size.font) for c in categories for line in lines(c, room, size.font))

    while every < len(categories):
        room = group * every - gap
        # The first and last labels are pushed inside the plot, which costs up to half a label of room.
        if widest(room) <= room and widest(room) * 1.5 <= group * (every + 0.5) - gap:
            break
        every += 1
    room = group * every - gap
    for c, category in enumerate(categories):
        start = size.left + c * group + group * 0.1
        if c % every == 0:
            found = lines(category, room, size.font)
            half = max(text_width(line, size.font) for line in found) / 2
            centre = min(max(size.left + c * group + group / 2, size.left + half), size.width - size.right - half)
            drawing.labels.append((round(centre), found))
        for s, one in enumerate(series):
            value = one.values[c]
            if not value:
                continue
            height = plot_height * value / ceiling
            x = round(start + s * bar_width)
            drawing.bars.append(Bar(x, round(drawing.bottom - height), round(max(bar_width - 1, 1), 1),
                                    round(height), s, value))
            note = notes[s][c] if notes else None
            if note and text_width(note, size.font) <= bar_width - 2:
                drawing.notes.append((round(x + bar_width / 2), round(drawing.bottom - height - 4), note))
    return drawing
