#!/usr/bin/env python3
"""Draws the CSV written by benches/growth.sh as an SVG chart: warm build time and peak memory
against the number of items, each on its own log-log panel, with a dashed line of linear growth
from the smallest course to compare against.

    benches/plot-growth.py GROWTH_CSV [SVG]     # SVG defaults to docs/growth.svg

Python 3 standard library only, so it runs wherever the benchmark does.
"""

import csv
import math
import sys
from pathlib import Path
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 880, 440
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT, MUTED, GRID, MINOR_GRID, AXIS = "#1a1a1a", "#555", "#c8c8c8", "#ececec", "#777"
# Plot area of a panel, relative to the panel's left edge; the panels sit side by side.
PANEL_WIDTH = WIDTH / 2
PLOT_LEFT, PLOT_RIGHT = 72, PANEL_WIDTH - 40
PLOT_TOP, PLOT_BOTTOM = 96, HEIGHT - 64
# Room (px) between the outermost decades and a plot's edges; more on the right, where the
# labels of the last points go.
X_PAD_BEFORE, X_PAD_AFTER, Y_PAD = 16, 76, 12

SERIES = [
    # column, panel title, axis title, unit after each value, colour
    ("warm_s", "Warm build time", "seconds", "s", "#1f63b5"),
    ("rss_mb", "Peak memory", "megabytes", "MB", "#c0501a"),
]


def read_rows(path):
    """Rows as dicts of floats, one per size, sorted by items. The CSV is appended to by every
    benchmark run, so when a size appears more than once the latest row is the one kept."""
    by_items = {}
    with open(path, newline="") as file:
        for row in csv.DictReader(file):
            values = {key: float(value) for key, value in row.items()}
            by_items[values["items"]] = values
    if not by_items:
        sys.exit(f"{path}: no rows")
    return [by_items[items] for items in sorted(by_items)]


class LogScale:
    """Maps values onto pixels on a log scale spanning whole decades, which sit `pad_before` and
    `pad_after` pixels inside the ends of the axis."""

    def __init__(self, values, start_px, end_px, pad_before, pad_after):
        low = math.floor(math.log10(min(values)))
        high = math.ceil(math.log10(max(values)))
        if high == low:
            high += 1
        self.low, self.high = low, high
        direction = 1 if end_px > start_px else -1
        self.start_px, self.end_px = start_px, end_px
        self.low_px = start_px + direction * pad_before
        self.high_px = end_px - direction * pad_after

    def __call__(self, value):
        share = (math.log10(value) - self.low) / (self.high - self.low)
        return self.low_px + share * (self.high_px - self.low_px)

    def decades(self):
        return [10.0**power for power in range(self.low, self.high + 1)]

    def minor_ticks(self):
        """2×, 3×, … 9× each decade, where they fall on the axis."""
        first, last = sorted((self.start_px, self.end_px))
        ticks = []
        for power in range(self.low - 1, self.high + 1):
            for step in range(2, 10):
                value = step * 10.0**power
                if first <= self(value) <= last:
                    ticks.append(value)
        return ticks


def tick_label(value):
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def value_label(value, unit):
    """Two or three significant figures: enough to read off, few enough to fit."""
    if value >= 100:
        return f"{value:,.0f} {unit}"
    if value >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


def text(x, y, content, size=13, anchor="middle", fill=TEXT, extra=""):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}"{extra}>{escape(content)}</text>'
    )


def line(x1, y1, x2, y2, stroke, extra=""):
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{stroke}"{extra}/>'
    )


def grid(x_scale, y_scale, left, right, top, bottom):
    """Faint lines at 2×…9× each decade, stronger ones at the decades, which are labelled."""
    parts = []
    for value in x_scale.minor_ticks():
        parts.append(line(x_scale(value), top, x_scale(value), bottom, MINOR_GRID))
    for value in y_scale.minor_ticks():
        parts.append(line(left, y_scale(value), right, y_scale(value), MINOR_GRID))
    for value in x_scale.decades():
        x = x_scale(value)
        parts.append(line(x, top, x, bottom, GRID))
        parts.append(text(x, bottom + 20, tick_label(value)))
    for value in y_scale.decades():
        y = y_scale(value)
        parts.append(line(left, y, right, y, GRID))
        parts.append(text(left - 8, y + 4.5, tick_label(value), anchor="end"))
    parts.append(line(left, bottom, right, bottom, AXIS))
    parts.append(line(left, top, left, bottom, AXIS))
    return parts


def linear_reference(first, last, x_scale, y_scale):
    """Dashed line of slope 1 through the first point: where the series would be if it grew in
    proportion to the number of items. Labelled right of its end; when that would crowd the last
    point and its value label, the label moves above them or below, on the side the line ends."""
    (items, value), (last_items, last_value) = first, last
    x1, y1 = x_scale(items), y_scale(value)
    x2, y2 = x_scale(last_items), y_scale(value * last_items / items)
    point_y = y_scale(last_value)
    label_y = y2 + 4.5
    # The last point's value label spans about point_y + 6 to point_y + 22.
    if point_y - 10 < label_y < point_y + 38:
        label_y = point_y - 10 if y2 < point_y else point_y + 38
    return [
        line(x1, y1, x2, y2, MUTED, ' stroke-width="1.5" stroke-dasharray="6 4"'),
        text(x2 + 8, label_y, "linear", anchor="start", fill=MUTED,
             extra=' font-style="italic"'),
    ]


def series(points, x_scale, y_scale, unit, colour):
    """The measured points, joined, each labelled below and to the right: the series and the
    linear reference both leave a point upwards to the right, so that corner stays clear."""
    coords = [(x_scale(items), y_scale(value)) for items, value in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    parts = [f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>']
    for (x, y), (_, value) in zip(coords, points):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}" stroke="#fff"/>')
        halo = ' stroke="#fff" stroke-width="4" paint-order="stroke"'
        parts.append(text(x + 7, y + 18, value_label(value, unit), anchor="start", extra=halo))
    return parts


def panel(rows, index, column, title, axis_title, unit, colour):
    offset = index * PANEL_WIDTH
    left, right = offset + PLOT_LEFT, offset + PLOT_RIGHT
    points = [(row["items"], row[column]) for row in rows]
    items = [p[0] for p in points]
    values = [p[1] for p in points]
    # The y range includes the end of the linear reference, so the whole line shows.
    reference_end = points[0][1] * items[-1] / items[0]
    x_scale = LogScale(items, left, right, X_PAD_BEFORE, X_PAD_AFTER)
    y_scale = LogScale(values + [reference_end], PLOT_BOTTOM, PLOT_TOP, Y_PAD, Y_PAD)
    middle_y = (PLOT_TOP + PLOT_BOTTOM) / 2
    parts = [
        text((left + right) / 2, PLOT_TOP - 14, title, size=14, extra=' font-weight="600"'),
        *grid(x_scale, y_scale, left, right, PLOT_TOP, PLOT_BOTTOM),
        text((left + right) / 2, PLOT_BOTTOM + 44, "items (log scale)", size=14, fill=MUTED),
        text(
            offset + 20, middle_y, f"{axis_title} (log scale)", size=14, fill=MUTED,
            extra=f' transform="rotate(-90 {offset + 20:.1f} {middle_y:.1f})"',
        ),
    ]
    if len(points) > 1:
        parts += linear_reference(points[0], points[-1], x_scale, y_scale)
    parts += series(points, x_scale, y_scale, unit, colour)
    return parts


def svg(rows):
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{escape(FONT)}">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        text(WIDTH / 2, 30, "lectern build: growth with the size of a course", size=17,
             extra=' font-weight="600"'),
        text(WIDTH / 2, 52, "Warm: median rebuild over the previous output, search index "
             "included. Dashed: linear growth from the smallest course.", fill=MUTED),
    ]
    for index, spec in enumerate(SERIES):
        parts += panel(rows, index, *spec)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    output = Path(argv[2]) if len(argv) == 3 else Path(__file__).parent.parent / "docs/growth.svg"
    output.write_text(svg(read_rows(argv[1])))
    print(f"wrote {output}")


if __name__ == "__main__":
    main(sys.argv)
