"""Report charts: Vega-Lite specs rendered by vl-convert to self-contained SVG, with German alt texts.

Every chart is 16 cm wide at 96 px/in (605 px), so its 12 px text prints at about 9 pt. Text uses the
font shipped in `fonts/`; numbers use German formatting (decimal comma, thousands point).
"""

from __future__ import annotations

import decimal
import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import vl_convert

from fis.report.numbers import fmt_number

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Source Sans Pro"
# The generic fallback keeps HTML readable where the shipped font is not loaded.
_FONT_STACK = f"{FONT_FAMILY}, sans-serif"
WIDTH_PX = 605  # 16 cm at 96 px/in
_LABEL_PX = 12  # font size of labels in every chart: about 9 pt in print
# d3's de-DE locale, but with the hyphen-minus that babel (and so the report's text) uses
# instead of d3's default U+2212, so axis ticks and labels print negatives alike.
FORMAT_LOCALE: Mapping[str, Any] = MappingProxyType(
    {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"], "minus": "-"}
)

PALETTE: Mapping[str, str] = MappingProxyType(
    {
        "highlight": "#1d5a8a",  # the Gemeinde: one strong colour
        "reference": "#555555",  # the Kreis: dark grey
        "land": "#8c8c8c",  # NRW: light grey
        "extra": "#b0b0b0",  # any further comparison line
        "other": "#c5cbd3",  # the other Gemeinden in bar charts
        "text": "#1f1f1f",
        "muted": "#6b6b6b",
        "grid": "#e6e6e6",
        "axis": "#9a9a9a",
    }
)

_fonts_registered = False


@dataclass(frozen=True)
class Chart:
    """An SVG chart (inline-ready, no XML prolog, no external references) and its German alt text."""

    svg: str
    alt: str


# --- formatting ----------------------------------------------------------------------------


def _clean(value: Any) -> float | None:
    """None and NaN (as pandas gives for missing values) are missing; anything else a float."""
    if value is None:
        return None
    v = float(value)
    return None if math.isnan(v) else v


def _with_unit(text: str, unit: str) -> str:
    return f"{text}\u00a0%" if unit.strip() == "%" else text


def _join_de(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " und " + parts[-1]


# --- scales ----------------------------------------------------------------------------------


def _nice_ticks(lo: float, hi: float, target: int = 5) -> tuple[list[float], int]:
    """Round tick values covering [lo, hi] and the decimals they need."""
    if hi <= lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / target
    mag = 10 ** math.floor(math.log10(raw))
    mult = next(m for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * 0.999)
    step = mult * mag
    start = math.floor(lo / step + 1e-9) * step
    n = math.ceil((hi - start) / step - 1e-9)
    ticks = [round(start + i * step, 10) for i in range(n + 1)]
    exponent = decimal.Decimal(repr(round(step, 10))).normalize().as_tuple().exponent
    decimals = max(0, -int(exponent))
    return ticks, decimals


def _value_ticks(values: Sequence[float], *, zero: bool) -> tuple[list[float], int]:
    lo, hi = min(values), max(values)
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    return _nice_ticks(lo, hi)


# --- rendering -------------------------------------------------------------------------------


def _register_fonts() -> None:
    global _fonts_registered
    if not _fonts_registered:
        vl_convert.register_font_directory(str(FONT_DIR))
        _fonts_registered = True


def _config(colors: Mapping[str, str]) -> dict[str, Any]:
    return {
        "font": _FONT_STACK,
        "aria": False,
        "background": None,
        "view": {"stroke": None},
        "axis": {
            "labelFontSize": _LABEL_PX,
            "labelColor": colors["muted"],
            "titleFontSize": _LABEL_PX,
            "titleFontWeight": "normal",
            "titleColor": colors["muted"],
            "domainColor": colors["axis"],
            "tickColor": colors["axis"],
            "gridColor": colors["grid"],
        },
        "text": {"fontSize": _LABEL_PX},
        "title": {
            "anchor": "start",
            "fontSize": 14,
            "fontWeight": "bold",
            "color": colors["text"],
            "subtitleFontSize": _LABEL_PX,
            "subtitleColor": colors["muted"],
            "offset": 10,
        },
    }


def _render(spec: dict[str, Any], alt: str, colors: Mapping[str, str]) -> Chart:
    _register_fonts()
    full = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": _config(colors),
        **spec,
    }
    svg = vl_convert.vegalite_to_svg(full, format_locale=dict(FORMAT_LOCALE))
    # Screen readers read the alt text rather than Vega's own (English, per-mark) descriptions.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(alt)}" ', 1)
    return Chart(svg=svg, alt=alt)


def _title(title: str, subtitle: str) -> dict[str, Any]:
    out: dict[str, Any] = {"text": title, "aria": False}
    if subtitle:
        out["subtitle"] = subtitle
    return out


def _palette(colors: Mapping[str, str] | None) -> Mapping[str, str]:
    return {**PALETTE, **(colors or {})}


def _one_row() -> dict[str, Any]:
    """Data for an annotation layer: exactly one mark."""
    return {"values": [{}]}


# --- time series -----------------------------------------------------------------------------

_TS_PLOT_H = 220


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
    pal = _palette(colors)
    years = sorted({int(y) for pts in series.values() for y, _ in pts})
    clean: dict[str, list[tuple[int, float | None]]] = {}
    for name, pts in series.items():
        given = {int(y): _clean(v) for y, v in pts}
        clean[name] = [(y, given.get(y)) for y in years]
    present = [v for pts in clean.values() for _, v in pts if v is not None]
    if not present:
        raise ValueError(f"time_series_svg: no values at all for {title!r}")
    if highlight not in clean:
        raise ValueError(f"time_series_svg: {highlight!r} is not one of the series")

    # a zero baseline only where it costs little room; lines need no zero
    zero = min(present) >= 0 and min(present) <= 0.4 * max(present)
    ticks, tick_dec = _value_ticks(present, zero=zero)
    x_enc = {
        "field": "year",
        "type": "quantitative",
        "title": None,
        # a little room between the first year and the value axis
        "scale": {"domain": [years[0], years[-1]], "nice": False, "padding": 8},
        "axis": {
            "format": "d",
            "values": years if len(years) <= 16 else years[:: math.ceil(len(years) / 12)],
            "grid": False,
            "labelFlush": False,
        },
    }
    y_enc = {
        "field": "value",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [ticks[0], ticks[-1]], "nice": False, "zero": False},
        "axis": {"values": ticks, "format": f",.{tick_dec}f", "domain": False, "ticks": False},
    }
    greys = [pal["reference"], pal["land"], pal["extra"]]
    others = [n for n in clean if n != highlight]
    color_of = {n: greys[min(i, len(greys) - 1)] for i, n in enumerate(others)}
    color_of[highlight] = pal["highlight"]

    layers: list[dict[str, Any]] = []
    ends: list[tuple[str, int, float]] = []
    for name in [*others, highlight]:  # the highlighted line is drawn last, on top
        known = [(y, v) for y, v in clean[name] if v is not None]
        if not known:
            continue
        layers += _line_layers(clean[name], color_of[name], name == highlight, x_enc, y_enc)
        ends.append((name, *known[-1]))
    layers += _end_labels(ends, highlight, color_of, decimals, years[-1], ticks)
    spec = {
        "width": WIDTH_PX,
        "height": _TS_PLOT_H,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "title": _title(title, _unit_subtitle(unit)),
        "layer": layers,
    }
    return _render(spec, _alt_time_series(clean, highlight, unit, title, decimals), pal)


def _line_layers(
    pts: list[tuple[int, float | None]],
    color: str,
    strong: bool,
    x_enc: dict[str, Any],
    y_enc: dict[str, Any],
) -> list[dict[str, Any]]:
    """One region's line (broken at null values) and dots at lone values and at its end."""
    dots = []
    for i, (year, v) in enumerate(pts):
        if v is None:
            continue
        lone = (i == 0 or pts[i - 1][1] is None) and (i == len(pts) - 1 or pts[i + 1][1] is None)
        if lone:
            dots.append({"year": year, "value": v})
    last = [{"year": y, "value": v} for y, v in pts if v is not None][-1]
    if last not in dots:
        dots.append(last)
    return [
        {
            # null values stay in the data: the line mark breaks its path there
            "data": {"values": [{"year": y, "value": v} for y, v in pts]},
            "mark": {"type": "line", "color": color, "strokeWidth": 2.5 if strong else 1.75},
            "encoding": {"x": x_enc, "y": y_enc},
        },
        {
            "data": {"values": dots},
            "mark": {
                "type": "point",
                "filled": True,
                "opacity": 1,
                "color": color,
                "size": 30 if strong else 20,
            },
            "encoding": {"x": x_enc, "y": y_enc},
        },
    ]


def _end_labels(
    ends: list[tuple[str, int, float]],
    highlight: str,
    color_of: Mapping[str, str],
    decimals: int,
    last_year: int,
    ticks: list[float],
) -> list[dict[str, Any]]:
    """Direct labels ("Kreuztal 34,8") right of the last year, moved apart so none overlap."""
    lo, hi = ticks[0], ticks[-1]
    gap = (_LABEL_PX + 2) * (hi - lo) / _TS_PLOT_H
    positions = _spread_labels([v for _, _, v in ends], gap, lo)
    layers = []
    for (name, year, value), pos in zip(ends, positions):
        text = f"{name} {fmt_number(value, decimals)}"
        if year != last_year:
            text += f" ({year})"
        layers.append(
            {
                "data": _one_row(),
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "middle",
                    "dx": 7,
                    "color": color_of[name],
                    "fontWeight": "bold" if name == highlight else "normal",
                    "text": text,
                },
                "encoding": {
                    "x": {"datum": last_year, "type": "quantitative"},
                    "y": {"datum": pos, "type": "quantitative"},
                },
            }
        )
    return layers


def _spread_labels(positions: list[float], gap: float, lo: float) -> list[float]:
    """Move label positions (data units, top = high) apart by at least `gap`, none below `lo`."""
    order = sorted(range(len(positions)), key=lambda i: -positions[i])
    ys = [positions[i] for i in order]
    for i in range(1, len(ys)):
        ys[i] = min(ys[i], ys[i - 1] - gap)
    if ys and ys[-1] < lo:
        ys[-1] = lo
        for i in range(len(ys) - 2, -1, -1):
            ys[i] = max(ys[i], ys[i + 1] + gap)
    out = [0.0] * len(ys)
    for rank, i in enumerate(order):
        out[i] = ys[rank]
    return out


def _unit_subtitle(unit: str) -> str:
    return "in %" if unit.strip() == "%" else unit


def _alt_time_series(
    clean: Mapping[str, list[tuple[int, float | None]]],
    highlight: str,
    unit: str,
    title: str,
    decimals: int,
) -> str:
    years = sorted({y for pts in clean.values() for y, _ in pts})
    unit_part = f" ({unit})" if unit.strip() and unit.strip() != "%" else ""
    parts = [f"Liniendiagramm: {title}{unit_part}, {years[0]} bis {years[-1]}."]
    order = [highlight, *[n for n in clean if n != highlight]]
    for name in order:
        known = [(y, v) for y, v in clean[name] if v is not None]
        if not known:
            parts.append(f"{name}: keine Werte.")
            continue
        (ya, va), (yb, vb) = known[0], known[-1]
        a = _with_unit(fmt_number(va, decimals), unit)
        b = _with_unit(fmt_number(vb, decimals), unit)
        parts.append(
            f"{name}: {b} ({yb})." if ya == yb else f"{name}: von {a} ({ya}) auf {b} ({yb})."
        )
        missing = [str(y) for y, v in clean[name] if v is None and ya < y < yb]
        if missing:
            parts.append(f"Für {name} fehlen Werte für {_join_de(missing)}.")
    return " ".join(parts)


# --- all Gemeinden of the Kreis --------------------------------------------------------------

_BAR_STEP = 20  # px per Gemeinde row


def _text_px(text: str, bold: bool = False) -> float:
    """Rough width of `text` in the shipped font at the label size (Source Sans: ~0.5 em a glyph)."""
    return len(text) * _LABEL_PX * (0.54 if bold else 0.5)


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
    pal = _palette(colors)
    rows = [(name, _clean(v)) for name, v in values]
    known = sorted(((n, v) for n, v in rows if v is not None), key=lambda r: (-r[1], r[0]))
    unknown = sorted(n for n, v in rows if v is None)
    name_col = min(180.0, max([_text_px(n, bold=n == highlight) for n, _ in rows] or [0])) + 8
    plot_w = WIDTH_PX - name_col
    domain, px_per_unit = _bar_domain(known, reference, decimals, plot_w)

    data = []
    for n, v in known:
        label = fmt_number(v, decimals)
        # a white box behind the number (in data units) keeps the Kreis rule from crossing it
        box = (_text_px(label, bold=n == highlight) + 8) / px_per_unit
        data.append(
            {
                "name": n,
                "value": v,
                "label": label,
                "hl": n == highlight,
                "neg": v < 0,
                "box_start": v,
                "box_end": v - box if v < 0 else v + box,
            }
        )
    no_value_box = (_text_px("k. A.") + 8) / px_per_unit
    data += [
        {
            "name": n,
            "value": None,
            "label": "k. A.",
            "hl": n == highlight,
            "box_start": 0.0,
            "box_end": no_value_box,
        }
        for n in unknown
    ]

    y_enc = _bar_y(order=[n for n, _ in known] + unknown, highlight=highlight, pal=pal)
    x_enc = {
        "field": "value",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": domain, "nice": False, "zero": False},
        "axis": None,
    }
    layers: list[dict[str, Any]] = [
        {
            "transform": [{"filter": "datum.value != null"}],
            "mark": {"type": "bar"},
            "encoding": {
                "y": y_enc,
                "x": x_enc,
                "color": {
                    "condition": {"test": "datum.hl", "value": pal["highlight"]},
                    "value": pal["other"],
                },
            },
        },
        _x_rule(0.0, pal["axis"], 1.0),
    ]
    if reference is not None:
        layers += _reference_layers(reference, reference_label, decimals, pal)
    layers += _bar_label_layers(y_enc, x_enc, pal)
    spec = {
        "width": plot_w,
        "height": {"step": _BAR_STEP},
        "title": _title(title, _unit_subtitle(unit)),
        "data": {"values": data},
        "layer": layers,
    }
    alt = _alt_bars(known, unknown, highlight, reference, reference_label, unit, decimals, title)
    return _render(spec, alt, pal)


def _bar_domain(
    known: list[tuple[str, float]], reference: float | None, decimals: int, plot_w: float
) -> tuple[list[float], float]:
    """x domain with room for the value labels beside the bar ends, and px per data unit."""
    vals = [v for _, v in known] + ([reference] if reference is not None else [])
    lo, hi = min([0.0, *vals]), max([0.0, *vals])
    if hi == lo:
        hi = lo + 1.0
    room = [_text_px(fmt_number(v, decimals), bold=True) + 10 for _, v in known]
    right = max([r for r, (_, v) in zip(room, known) if v >= 0] or [0.0])
    left = max([r for r, (_, v) in zip(room, known) if v < 0] or [0.0])
    k = (plot_w - left - right) / (hi - lo)
    return [lo - left / k, hi + right / k], k


def _bar_y(order: list[str], highlight: str, pal: Mapping[str, str]) -> dict[str, Any]:
    is_hl = f"datum.value === {json.dumps(highlight)}"
    return {
        "field": "name",
        "type": "nominal",
        "title": None,
        "sort": order,
        "scale": {"paddingInner": 0.25, "paddingOuter": 0.15},
        "axis": {
            "domain": False,
            "ticks": False,
            "labelPadding": 6,
            "labelLimit": 180,
            "labelColor": {
                "condition": {"test": is_hl, "value": pal["text"]},
                "value": pal["muted"],
            },
            "labelFontWeight": {"condition": {"test": is_hl, "value": "bold"}, "value": "normal"},
        },
    }


def _x_rule(x: float, color: str, width: float, dash: list[int] | None = None) -> dict[str, Any]:
    mark: dict[str, Any] = {"type": "rule", "color": color, "strokeWidth": width}
    if dash:
        mark["strokeDash"] = dash
    return {
        "data": _one_row(),
        "mark": mark,
        "encoding": {"x": {"datum": x, "type": "quantitative", "axis": None}},
    }


def _reference_layers(
    reference: float, label: str, decimals: int, pal: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The Kreis value as a dashed rule over all rows, named above the first row."""
    return [
        _x_rule(reference, pal["reference"], 1.5, [4, 3]),
        {
            "data": _one_row(),
            "mark": {
                "type": "text",
                "align": "center",
                "baseline": "bottom",
                "dy": -3,
                "color": pal["reference"],
                "text": f"{label}: {fmt_number(reference, decimals)}",
            },
            "encoding": {
                "x": {"datum": reference, "type": "quantitative", "axis": None},
                "y": {"value": 0},
            },
        },
    ]


def _bar_label_layers(
    y_enc: dict[str, Any], x_enc: dict[str, Any], pal: Mapping[str, str]
) -> list[dict[str, Any]]:
    """White boxes, then the numbers beside the bar ends; "k. A." where there is no bar."""
    known = "datum.value != null"
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "color": "white"},
            "encoding": {
                "y": y_enc,
                "x": {**x_enc, "field": "box_start"},
                "x2": {"field": "box_end"},
            },
        }
    ]
    for sign, align, dx in (("!datum.neg", "left", 5), ("datum.neg", "right", -5)):
        for hl, weight, color in (
            ("datum.hl", "bold", pal["highlight"]),
            ("!datum.hl", "normal", pal["muted"]),
        ):
            layers.append(
                {
                    "transform": [{"filter": f"{known} && {sign} && {hl}"}],
                    "mark": {
                        "type": "text",
                        "align": align,
                        "baseline": "middle",
                        "dx": dx,
                        "fontWeight": weight,
                        "color": color,
                    },
                    "encoding": {"y": y_enc, "x": x_enc, "text": {"field": "label"}},
                }
            )
    layers.append(
        {
            "transform": [{"filter": "datum.value == null"}],
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "middle",
                "dx": 5,
                "fontStyle": "italic",
                "color": pal["muted"],
            },
            "encoding": {
                "y": y_enc,
                "x": {"datum": 0, "type": "quantitative", "axis": None},
                "text": {"field": "label"},
            },
        }
    )
    return layers


def _alt_bars(
    known: list[tuple[str, float]],
    unknown: list[str],
    highlight: str,
    reference: float | None,
    reference_label: str,
    unit: str,
    decimals: int,
    title: str,
) -> str:
    n = len(known) + len(unknown)
    unit_part = f" ({unit})" if unit.strip() and unit.strip() != "%" else ""

    def f(v: float) -> str:
        return _with_unit(fmt_number(v, decimals), unit)

    parts = [f"Balkendiagramm: {title}{unit_part} in den {n} Gemeinden des Kreises."]
    ranks = {name: i + 1 for i, (name, _) in enumerate(known)}
    if highlight in ranks:
        value = dict(known)[highlight]
        parts.append(
            f"{highlight}: {f(value)}, Rang {ranks[highlight]} von {len(known)} "
            "(höchster Wert zuerst)."
        )
    elif highlight in unknown:
        parts.append(f"Für {highlight} liegt kein Wert vor.")
    if known:
        (top, vt), (bottom, vb) = known[0], known[-1]
        parts.append(f"Höchster Wert: {top} ({f(vt)}); niedrigster Wert: {bottom} ({f(vb)}).")
    if reference is not None:
        parts.append(f"{reference_label}: {f(reference)}.")
    if unknown:
        parts.append(f"Keine Angabe für {_join_de(unknown)}.")
    return " ".join(parts)


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
    pal = _palette(colors)
    reg = [_clean(v) for v in region]
    ref = [_clean(v) for v in reference]
    present = [v for v in reg + ref if v is not None]
    if not present:
        raise ValueError(f"age_structure_svg: no values for {region_label!r}")
    ticks, tick_dec = _value_ticks(present, zero=True)
    plot_w, plot_h = WIDTH_PX - 40, 200
    pad_inner = 0.3
    step = plot_w / (len(groups) + 2 * 0.15 - pad_inner) if groups else plot_w
    bar_w = step * (1 - pad_inner)
    data = []
    for g, r, k in zip(groups, reg, ref):
        top = max(v for v in (r, k, 0.0) if v is not None)
        data.append(
            {
                "group": g,
                "region": r,
                "reference": k,
                "top": top,
                "label": fmt_number(r, decimals) if r is not None else "k. A.",
            }
        )
    x_enc = {
        "field": "group",
        "type": "nominal",
        "title": None,
        "sort": list(groups),
        "scale": {"paddingInner": pad_inner, "paddingOuter": 0.15},
        "axis": {"labelAngle": 0, "domain": True, "ticks": False, "labelPadding": 6},
    }

    def y_of(field: str) -> dict[str, Any]:
        return {
            "field": field,
            "type": "quantitative",
            "title": None,
            "scale": {"domain": [ticks[0], ticks[-1]], "nice": False},
            "axis": {"values": ticks, "format": f",.{tick_dec}f", "domain": False, "ticks": False},
        }

    layers: list[dict[str, Any]] = [
        {
            "transform": [{"filter": "datum.region != null"}],
            "mark": {"type": "bar", "color": pal["highlight"], "opacity": 0.85},
            "encoding": {"x": x_enc, "y": y_of("region")},
        },
        {
            "transform": [{"filter": "datum.reference != null"}],
            "mark": {
                "type": "tick",
                "color": pal["reference"],
                "opacity": 1,
                "thickness": 2.5,
                "size": bar_w + 8,
            },
            "encoding": {"x": x_enc, "y": y_of("reference")},
        },
    ]
    # the Gemeinde's share above the bar and the tick ("k. A." where it has none)
    for test, color, style in (
        ("datum.region != null", pal["highlight"], {"fontWeight": "bold"}),
        ("datum.region == null", pal["muted"], {"fontStyle": "italic"}),
    ):
        layers.append(
            {
                "transform": [{"filter": test}],
                "mark": {"type": "text", "baseline": "bottom", "dy": -5, "color": color, **style},
                "encoding": {"x": x_enc, "y": y_of("top"), "text": {"field": "label"}},
            }
        )
    layers += _age_legend(region_label, reference_label, pal)
    spec = {
        "width": plot_w,
        "height": plot_h,
        "title": _title(title, "Anteil an der Bevölkerung in %"),
        "data": {"values": data},
        "layer": layers,
    }
    alt = _alt_age(groups, reg, ref, region_label, reference_label, decimals, title)
    return _render(spec, alt, pal)


def _age_legend(
    region_label: str, reference_label: str, pal: Mapping[str, str]
) -> list[dict[str, Any]]:
    """A hand-made legend above the plot: a swatch and a tick, each with its name."""
    y = -12
    second = max(150.0, 15 + _text_px(region_label) + 30)

    def label(x: float, text: str) -> dict[str, Any]:
        return {
            "data": _one_row(),
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "middle",
                "color": pal["text"],
                "text": text,
            },
            "encoding": {"x": {"value": x}, "y": {"value": y}},
        }

    return [
        {
            "data": _one_row(),
            "mark": {
                "type": "square",
                "color": pal["highlight"],
                "opacity": 0.85,
                "filled": True,
                "size": 100,
            },
            "encoding": {"x": {"value": 5}, "y": {"value": y}},
        },
        label(15, region_label),
        {
            "data": _one_row(),
            "mark": {"type": "rule", "color": pal["reference"], "strokeWidth": 2.5},
            "encoding": {"x": {"value": second}, "x2": {"value": second + 16}, "y": {"value": y}},
        },
        label(second + 22, reference_label),
    ]


def _alt_age(
    groups: Sequence[str],
    reg: list[float | None],
    ref: list[float | None],
    region_label: str,
    reference_label: str,
    decimals: int,
    title: str,
) -> str:
    def pct(v: float | None) -> str:
        return "k. A." if v is None else _with_unit(fmt_number(v, decimals), "%")

    pairs = [f"{g}: {pct(r)} (Kreis {pct(k)})" for g, r, k in zip(groups, reg, ref)]
    return (
        f"Säulendiagramm: {title}, Anteile an der Bevölkerung in {region_label} "
        f"als Säulen, {reference_label} als Markierung zum Vergleich. " + "; ".join(pairs) + "."
    )
