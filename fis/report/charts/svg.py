"""The charts drawn as SVG: drawing primitives, then the time series, the Gemeinden bars and the
age structure.

The output is plain SVG that browsers and typst (usvg) render alike: only `<g>`, `<line>`,
`<path>`, `<rect>`, `<circle>` and `<text>`; no CSS, ids, references or scripts; text is placed by
its baseline (no `dominant-baseline`), so it sits the same everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from fis.report.charts.alt import alt_age, alt_bars, alt_time_series
from fis.report.charts.layout import (
    FONT_STACK,
    LABEL_PX,
    MID,
    TITLE_PX,
    WIDTH_PX,
    bar_domain,
    fmt,
    palette,
    spread_labels,
    text_px,
    unit_subtitle,
    value_or_none,
    value_ticks,
)


@dataclass(frozen=True)
class Chart:
    """An SVG chart (inline-ready, no XML prolog, no external references) and its German alt text."""

    svg: str
    alt: str


_TS_PLOT_H = 220
_BAR_STEP = 20  # px per Gemeinde row
_BAR_H = 15
_AGE_PLOT_H = 200


# --- SVG primitives --------------------------------------------------------------------------


def _n(v: float) -> str:
    """A coordinate with at most one decimal ("12", "12.5"; never "-0")."""
    s = f"{v:.1f}".removesuffix(".0")
    return "0" if s == "-0" else s


def _crisp(v: float) -> float:
    """A 1 px line's position on the pixel grid, so it is sharp on screen."""
    return math.floor(v) + 0.5


def _text(
    x: float,
    y: float,
    s: str,
    fill: str,
    *,
    anchor: str = "start",
    bold: bool = False,
    italic: bool = False,
    size: float = LABEL_PX,
) -> str:
    """Text with its baseline at y."""
    extra = "" if anchor == "start" else f' text-anchor="{anchor}"'
    if bold:
        extra += ' font-weight="bold"'
    if italic:
        extra += ' font-style="italic"'
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-family="{FONT_STACK}" font-size="{_n(size)}" '
        f'fill="{fill}"{extra}>{escape(s, quote=False)}</text>'
    )


def _line(
    x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1, dash=""
) -> str:
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" '
        f'stroke-width="{_n(width)}"{extra}/>'
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, opacity: float = 1) -> str:
    extra = "" if opacity == 1 else f' fill-opacity="{opacity}"'
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}"{extra}/>'


def _fit(text: str, max_px: float, bold: bool = False) -> str:
    """`text`, cut with "…" where its estimated width exceeds `max_px`."""
    if text_px(text, bold) <= max_px:
        return text
    while len(text) > 1 and text_px(text + "…", bold) > max_px:
        text = text[:-1]
    return text.rstrip() + "…"


def _header(title: str, subtitle: str, pal: Mapping[str, str]) -> tuple[list[str], float]:
    """Title (wrapped to the chart width) and subtitle; returns the parts and the y below them."""
    lines: list[str] = []
    scale = TITLE_PX / LABEL_PX
    for word in title.split():
        if lines and text_px(f"{lines[-1]} {word}", bold=True) * scale <= WIDTH_PX:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    parts, y = [], 0.0
    for line in lines or [""]:
        y += 17
        parts.append(_text(0, y - 3, line, pal["text"], bold=True, size=TITLE_PX))
    if subtitle:
        y += 16
        parts.append(_text(0, y - 2, subtitle, pal["muted"]))
    return parts, y + 2


def _svg(parts: list[str], height: float, alt: str) -> Chart:
    h = math.ceil(height)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH_PX}" height="{h}" '
        f'viewBox="0 0 {WIDTH_PX} {h}" role="img" aria-label="{escape(alt)}">'
        f"<title>{escape(alt, quote=False)}</title>"
    )
    return Chart(svg="\n".join([head, *parts, "</svg>"]), alt=alt)


def _y_axis(
    ticks: list[float], dec: int, x0: float, x1: float, y_of, pal: Mapping[str, str]
) -> list[str]:
    """Gridlines with their labels left of the plot; zero (inside the range) in the axis colour."""
    out = []
    for t in ticks:
        y = y_of(t)
        if t != ticks[0]:  # the bottom line is the x axis
            color = pal["axis"] if t == 0 else pal["grid"]
            out.append(_line(x0, _crisp(y), x1, _crisp(y), color))
        out.append(_text(x0 - 6, y + MID, fmt(t, dec), pal["muted"], anchor="end"))
    return out


def _tick_column(ticks: list[float], dec: int) -> float:
    """x of the plot's left edge: room for the widest tick label and a gap."""
    return max(text_px(fmt(t, dec)) for t in ticks) + 8


# --- time series -----------------------------------------------------------------------------


def time_series_svg(
    series: Mapping[str, Sequence[tuple[int, float | None]]],
    highlight: str,
    unit: str,
    title: str,
    decimals: int,
    *,
    colors: Mapping[str, str] | None = None,
) -> Chart:
    """Lines over the years, one per region (highlight strong, the rest grey), labelled at their ends.

    Missing values (None/NaN, or a year another series has) leave gaps; a lone value shows as a dot.
    """
    pal = palette(colors)
    years = sorted({int(y) for pts in series.values() for y, _ in pts})
    clean: dict[str, list[tuple[int, float | None]]] = {}
    for name, pts in series.items():
        given = {int(y): value_or_none(v) for y, v in pts}
        clean[name] = [(y, given.get(y)) for y in years]
    present = [v for pts in clean.values() for _, v in pts if v is not None]
    if not present:
        raise ValueError(f"time_series_svg: no values at all for {title!r}")
    if highlight not in clean:
        raise ValueError(f"time_series_svg: {highlight!r} is not one of the series")

    # a zero baseline only where it costs little room; lines need no zero
    zero = min(present) >= 0 and min(present) <= 0.4 * max(present)
    ticks, tick_dec = value_ticks(present, zero=zero)
    greys = [pal["reference"], pal["land"], pal["extra"]]
    others = [n for n in clean if n != highlight]
    color_of = {n: greys[min(i, len(greys) - 1)] for i, n in enumerate(others)}
    color_of[highlight] = pal["highlight"]
    ends: list[tuple[str, int, float, str]] = []  # name, year, value, label
    for name in [*others, highlight]:  # the highlighted line is drawn last, on top
        known = [(y, v) for y, v in clean[name] if v is not None]
        if known:
            (year, value), text = known[-1], f"{name} {fmt(known[-1][1], decimals)}"
            ends.append((name, year, value, text if year == years[-1] else f"{text} ({year})"))

    parts, top = _header(title, unit_subtitle(unit), pal)
    top += 10  # the top tick label reaches above its gridline
    bottom = top + _TS_PLOT_H
    x0 = _tick_column(ticks, tick_dec)
    x1 = WIDTH_PX - 3 - max(text_px(e[3], bold=e[0] == highlight) for e in ends)
    lo, hi, span, pad = ticks[0], ticks[-1], years[-1] - years[0], 8.0
    per_year = (x1 - x0 - 2 * pad) / span if span else 0.0

    def x_of(year: int) -> float:
        return x0 + pad + (year - years[0]) * per_year if span else (x0 + x1) / 2

    def y_of(v: float) -> float:
        return bottom - (v - lo) * _TS_PLOT_H / (hi - lo)

    parts += _y_axis(ticks, tick_dec, x0, x1, y_of, pal)
    parts.append(_line(x0, _crisp(bottom), x1, _crisp(bottom), pal["axis"]))
    # label every k-th year counted back from the last, so labels keep ~12 px apart
    every = math.ceil((text_px("2000") + 12) / per_year) if span else 1
    for y in years:
        labelled = (years[-1] - y) % every == 0
        x = x_of(y)
        parts.append(_line(x, _crisp(bottom), x, bottom + (5 if labelled else 3), pal["axis"]))
        if labelled:
            parts.append(_text(x, bottom + 18, str(y), pal["muted"], anchor="middle"))

    for name, *_ in ends:
        parts += _series_marks(clean[name], color_of[name], name == highlight, x_of, y_of)
    ys = spread_labels([-y_of(v) for _, _, v, _ in ends], LABEL_PX + 2, -bottom)
    for (name, _, _, text), y in zip(ends, ys):
        x = x_of(years[-1]) + 7
        parts.append(_text(x, -y + MID, text, color_of[name], bold=name == highlight))
    alt = alt_time_series(clean, highlight, unit, title, decimals)
    return _svg(parts, bottom + 24, alt)


def _series_marks(
    pts: list[tuple[int, float | None]], color: str, strong: bool, x_of, y_of
) -> list[str]:
    """One region's line (a new subpath after each gap), dots at lone values and at its end."""
    runs: list[list[tuple[float, float]]] = [[]]
    for year, v in pts:
        if v is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x_of(year), y_of(v)))
    runs = [r for r in runs if r]
    out = []
    d = "".join("M" + "L".join(f"{_n(x)},{_n(y)}" for x, y in run) for run in runs if len(run) > 1)
    if d:
        width = 2.5 if strong else 1.75
        out.append(
            f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{width}" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    dots = [run[0] for run in runs if len(run) == 1]
    if len(runs[-1]) > 1:
        dots.append(runs[-1][-1])
    r = 3.1 if strong else 2.5
    out += [f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{r}" fill="{color}"/>' for x, y in dots]
    return out


# --- all Gemeinden of the Kreis --------------------------------------------------------------


def gemeinden_bars_svg(
    values: Sequence[tuple[str, float | None]],
    highlight: str,
    reference: float | None,
    reference_label: str,
    unit: str,
    decimals: int,
    title: str,
    *,
    colors: Mapping[str, str] | None = None,
) -> Chart:
    """Horizontal bars of all Gemeinden, sorted by value, one highlighted, the Kreis as a rule.

    Gemeinden without a value are listed last with "k. A." and no bar.
    """
    pal = palette(colors)
    rows = [(name, value_or_none(v)) for name, v in values]
    known = sorted(((n, v) for n, v in rows if v is not None), key=lambda r: (-r[1], r[0]))
    unknown = sorted(n for n, v in rows if v is None)
    name_col = min(180.0, max([text_px(n, bold=n == highlight) for n, _ in rows] or [0])) + 8
    (lo, _), k = bar_domain(known, reference, decimals, WIDTH_PX - name_col)

    def x_of(v: float) -> float:
        return name_col + (v - lo) * k

    parts, top = _header(title, unit_subtitle(unit), pal)
    top += 4 if reference is None else 22  # room for the reference's name above the rule
    order = [*known, *((n, None) for n in unknown)]
    bottom = top + _BAR_STEP * len(order)
    x_ref = x_of(reference) if reference is not None else None
    for i, (name, v) in enumerate(order):
        y = top + _BAR_STEP * i + _BAR_STEP / 2
        hl = name == highlight
        color = pal["text" if hl else "muted"]
        parts.append(
            _text(name_col - 6, y + MID, _fit(name, 180, hl), color, anchor="end", bold=hl)
        )
        if v is not None:
            a, b = sorted((x_of(0.0), x_of(v)))
            color = pal["highlight" if hl else "other"]
            parts.append(_rect(a, y - _BAR_H / 2, b - a, _BAR_H, color))
    x0 = _crisp(x_of(0.0))
    parts.append(_line(x0, top, x0, bottom, pal["axis"]))
    if x_ref is not None:
        parts.append(_line(x_ref, top - 2, x_ref, bottom, pal["reference"], 1.5, "4 3"))
        label = f"{reference_label}: {fmt(reference, decimals)}"
        half = text_px(label) / 2
        cx = min(max(x_ref, name_col + half), WIDTH_PX - half)
        parts.append(_text(cx, top - 7, label, pal["reference"], anchor="middle"))
    for i, (name, v) in enumerate(order):  # numbers beside the bar ends, over the rule
        y = top + _BAR_STEP * i + _BAR_STEP / 2
        hl = name == highlight
        if v is None:
            parts.append(_text(x_of(0.0) + 5, y + MID, "k. A.", pal["muted"], italic=True))
            continue
        label, end, sign = fmt(v, decimals), x_of(v), -1 if v < 0 else 1
        w = text_px(label, bold=hl)
        box = sorted((end + sign * 2, end + sign * (w + 8)))
        if x_ref is not None and box[0] <= x_ref <= box[1]:  # the rule pauses behind the number
            parts.append(_rect(box[0], y - 7, box[1] - box[0], 14, "#ffffff"))
        color, anchor = pal["highlight" if hl else "muted"], "end" if v < 0 else "start"
        parts.append(_text(end + sign * 5, y + MID, label, color, anchor=anchor, bold=hl))
    alt = alt_bars(known, unknown, highlight, reference, reference_label, unit, decimals, title)
    return _svg(parts, bottom + 4, alt)


# --- age structure ---------------------------------------------------------------------------


def age_structure_svg(
    groups: Sequence[str],
    region: Sequence[float | None],
    reference: Sequence[float | None],
    region_label: str,
    reference_label: str,
    *,
    title: str = "Bevölkerung nach Altersgruppen",
    decimals: int = 1,
    colors: Mapping[str, str] | None = None,
) -> Chart:
    """Columns of the Gemeinde's age shares (in %, young to old) with the Kreis's shares as ticks."""
    if not (len(groups) == len(region) == len(reference)):
        raise ValueError("age_structure_svg: groups, region and reference differ in length")
    pal = palette(colors)
    reg, ref = [value_or_none(v) for v in region], [value_or_none(v) for v in reference]
    present = [v for v in reg + ref if v is not None]
    if not present:
        raise ValueError(f"age_structure_svg: no values for {region_label!r}")
    ticks, tick_dec = value_ticks(present, zero=True)

    parts, top = _header(title, "Anteil an der Bevölkerung in %", pal)
    parts += _age_legend(top + 12, region_label, reference_label, pal)
    lo, hi = ticks[0], ticks[-1]
    # below the legend, room for the number above the highest column (where it reaches that high)
    highest = max(max(v for v in (r, k, 0.0) if v is not None) for r, k in zip(reg, ref))
    top += 24 + max(8.0, 20 - (hi - highest) * _AGE_PLOT_H / (hi - lo))
    bottom = top + _AGE_PLOT_H
    x0, x1 = _tick_column(ticks, tick_dec), WIDTH_PX - 2
    step = (x1 - x0) / len(groups)
    bar_w = 0.7 * step

    def y_of(v: float) -> float:
        return bottom - (v - lo) * _AGE_PLOT_H / (hi - lo)

    parts += _y_axis(ticks, tick_dec, x0, x1, y_of, pal)
    labels = [fmt(r, decimals) if r is not None else "k. A." for r in reg]
    widest = max(text_px(s, bold=True) for s in labels)
    value_px = LABEL_PX if widest + 4 <= step else max(8.0, LABEL_PX * (step - 4) / widest)
    stagger = max(text_px(g) for g in groups) + 6 > step  # alternate rows if labels would touch
    tick = pal["reference"]
    for i, (group, r, k, label) in enumerate(zip(groups, reg, ref, labels)):
        cx = x0 + step * (i + 0.5)
        if r is not None:
            a, b = sorted((y_of(0.0), y_of(r)))
            parts.append(_rect(cx - bar_w / 2, a, bar_w, b - a, pal["highlight"], 0.85))
        if k is not None:  # the Kreis: a tick a little wider than the column
            parts.append(_rect(cx - bar_w / 2 - 4, y_of(k) - 1.25, bar_w + 8, 2.5, tick))
        y = y_of(max(v for v in (r, k, 0.0) if v is not None)) - 6
        if r is None:
            parts.append(_text(cx, y, label, pal["muted"], anchor="middle", italic=True))
        else:
            style = {"anchor": "middle", "bold": True, "size": value_px}
            parts.append(_text(cx, y, label, pal["highlight"], **style))
        y = bottom + 17 + (14 if stagger and i % 2 else 0)
        parts.append(_text(cx, y, group, pal["muted"], anchor="middle"))
    parts.append(_line(x0, _crisp(bottom), x1, _crisp(bottom), pal["axis"]))
    alt = alt_age(groups, reg, ref, region_label, reference_label, decimals, title)
    return _svg(parts, bottom + (36 if stagger else 22), alt)


def _age_legend(
    y: float, region_label: str, reference_label: str, pal: Mapping[str, str]
) -> list[str]:
    """A swatch and a tick, each with its name, on one line centred at y."""
    second = max(150.0, 15 + text_px(region_label, bold=True) + 30)
    return [
        _rect(0, y - 5, 10, 10, pal["highlight"], 0.85),
        _text(15, y + MID, region_label, pal["text"], bold=True),
        _line(second, y, second + 16, y, pal["reference"], 2.5),
        _text(second + 22, y + MID, reference_label, pal["text"]),
    ]
