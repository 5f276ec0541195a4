"""Bar charts drawn on the server as SVG: the geometry is worked out here, the template only draws it.

Each chart keeps its numbers, so the page shows the same figures as a table
beside it; a suppressed figure draws no bar and reads "fewer than 5" there.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 12, 44
MAX_LABELS = 12


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
class Chart:
    id: str
    title: str
    summary: str
    categories: list[str]
    series: list[Series]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, float]] = field(default_factory=list)     # (y, value)
    labels: list[tuple[float, str]] = field(default_factory=list)      # (x, category) under the axis
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: float = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not self.bars

    def paths(self) -> list[tuple[int, str]]:
        """Each series' bars as one SVG path: a fraction of the markup of one rectangle per bar."""
        drawn: dict[int, list[str]] = {}
        for bar in self.bars:
            drawn.setdefault(bar.series, []).append(
                f"M{bar.x:g} {bar.y:g}h{bar.width:g}v{bar.height:g}h-{bar.width:g}z")
        return sorted((series, "".join(parts)) for series, parts in drawn.items())


def nice_step(top: float, steps: int = 5) -> float:
    """A round tick step (1, 2 or 5 × 10ⁿ) that covers ``top`` in about ``steps`` steps."""
    if top <= 0:
        return 1
    rough = top / steps
    power = 10 ** math.floor(math.log10(rough))
    return max(1, next(factor * power for factor in (1, 2, 5, 10) if rough <= factor * power))


def bar_chart(chart_id: str, title: str, summary: str, categories: list[str], series: list[Series]) -> Chart:
    chart = Chart(chart_id, title, summary, categories, series)
    shown = [v for s in series for v in s.values if v is not None]
    top = max(shown, default=0)
    step = nice_step(top)
    ceiling = step * max(1, math.ceil(top / step))
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    chart.ticks = [(round(chart.bottom - plot_height * (i * step) / ceiling), i * step)
                   for i in range(int(round(ceiling / step)) + 1)]
    if not categories:
        return chart
    group = plot_width / len(categories)
    bar_width = group * 0.8 / max(1, len(series))
    every = max(1, math.ceil(len(categories) / MAX_LABELS))
    for c, category in enumerate(categories):
        start = LEFT + c * group + group * 0.1
        if c % every == 0:
            chart.labels.append((round(LEFT + c * group + group / 2), category))
        for s, one in enumerate(series):
            value = one.values[c]
            if not value:
                continue
            height = plot_height * value / ceiling
            chart.bars.append(Bar(round(start + s * bar_width), round(chart.bottom - height),
                                  round(max(bar_width - 1, 1), 1), round(height), s, value))
    return chart
