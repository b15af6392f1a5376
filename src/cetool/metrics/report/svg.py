"""Small inline SVG trend charts for the HTML report: one line per headline figure over the weeks.

The y axis starts at 0 (these figures are counts, rates and durations; a cut axis exaggerates a
wobble). A null figure or an uncovered week breaks the line and is shaded, never drawn as 0. The
requested week has a highlighted band. No xmlns: inline SVG in HTML5 needs none, and the page
stays free of any URL.
"""

from __future__ import annotations

from html import escape

from cetool.metrics.report import common as mc
from cetool.metrics.result import Week

WIDTH, HEIGHT = 320, 150
MAX_N_LABELS = 12  # above this many weeks the n of each point is in its tooltip only
LEFT, RIGHT, TOP, BOTTOM = 52, 10, 12, 30


def _nice_top(value: float) -> float:
    """A round axis maximum a little above the largest value."""
    if value <= 0:
        return 1.0
    for step in (1, 2, 2.5, 5, 10, 20):
        scale = 10 ** (len(str(int(value))) - 1)
        top = step * scale
        if top >= value * 1.05:
            return float(top)
    return value * 1.1


def _runs(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _label_every(count: int) -> int:
    return 1 if count <= 8 else (count + 7) // 8


def chart(figure: mc.Figure, weeks: list[Week], current: str | None) -> str:
    values = mc.series(figure, weeks)
    n = max(len(weeks), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_w / n
    present = [v for v in values if v is not None]
    top = _nice_top(max(present)) if present else 1.0

    def x(i: int) -> float:
        return LEFT + band * (i + 0.5)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    out = [f'<svg class="chart" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-label="{escape(figure.label)} by week">']
    for i, week in enumerate(weeks):
        if week.week == current:
            out.append(f'<rect x="{LEFT + band * i:.1f}" y="{TOP}" width="{band:.1f}" height="{plot_h}" '
                       f'fill="#fff1a8"><title>{escape(str(week.week))}: '
                       f'{escape(figure.cell(week))}</title></rect>')
        elif not week.covered or values[i] is None:
            # no data: a grey band; n/a (covered, nothing to measure): a dashed outline
            look = ('fill="#eaeef2"' if not week.covered
                    else 'fill="none" stroke="#8c959f" stroke-dasharray="3 3"')
            out.append(f'<rect class="{"nodata" if not week.covered else "na"}" '
                       f'x="{LEFT + band * i:.1f}" y="{TOP}" width="{band:.1f}" height="{plot_h}" '
                       f'{look}><title>{escape(str(week.week))}: '
                       f'{escape(figure.cell(week))}</title></rect>')
    for level in (0, top / 2, top):
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
                   f'stroke="#d0d7de" stroke-width="1"/>')
        tick = "0" if level == 0 else escape(figure.fmt(level))
        out.append(f'<text x="{LEFT - 4}" y="{y(level) + 4:.1f}" text-anchor="end">{tick}</text>')
    points = [None if v is None else (x(i), y(v)) for i, v in enumerate(values)]
    for run in _runs(points):
        if len(run) > 1:
            coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
            out.append(f'<polyline points="{coords}" fill="none" stroke="#0969da" stroke-width="2"/>')
    small_n = figure.n_key != "tickets_created"  # a median over a handful: show its n at each point
    for i, (week, point) in enumerate(zip(weeks, points)):
        label = str(week.week)
        if point is not None:
            is_current = label == current
            n = figure.n(week)
            out.append(f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="{4.5 if is_current else 3}" '
                       f'fill="{"#cf222e" if is_current else "#0969da"}"><title>{escape(label)}: '
                       f'{escape(figure.cell(week))} (n={escape(mc.count(n))})</title></circle>')
            if small_n and len(weeks) <= MAX_N_LABELS:
                above = point[1] - 7 if point[1] - 7 > TOP + 8 else point[1] + 14
                out.append(f'<text class="n" x="{point[0]:.1f}" y="{above:.1f}" text-anchor="middle">'
                           f"n={escape(mc.count(n))}</text>")
        every = _label_every(len(weeks))
        last = len(weeks) - 1
        if i == last or (i % every == 0 and last - i >= every):  # the requested week always, none crowding it
            short = label.split("-")[-1] if "-" in label else label
            weight = ' font-weight="bold"' if label == current else ""
            out.append(f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle"{weight}>'
                       f"{escape(short)}</text>")
    if not present:
        out.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h / 2:.1f}" text-anchor="middle">'
                   f"{mc.NO_DATA if not any(w.covered for w in weeks) else mc.NA}</text>")
    out.append("</svg>")
    return "".join(out)


def bars(values: list[float | None], *, width: int = 96, height: int = 20) -> str:
    """A tiny bar sparkline for a driver's weekly score; a gap (uncovered week) is a grey tick."""
    n = max(len(values), 1)
    step = width / n
    high = max([v for v in values if v is not None] or [0]) or 1
    out = [f'<svg class="bars" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="weekly trend">']
    for i, value in enumerate(values):
        x = i * step + 1
        if value is None:
            out.append(f'<rect x="{x:.1f}" y="{height - 2}" width="{step - 2:.1f}" height="2" fill="#d0d7de"/>')
            continue
        h = max(1.0, (height - 2) * value / high)
        fill = "#cf222e" if i == len(values) - 1 else "#0969da"
        out.append(f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{step - 2:.1f}" height="{h:.1f}" fill="{fill}">'
                   f"<title>{escape(mc.count(value))}</title></rect>")
    out.append("</svg>")
    return "".join(out)
