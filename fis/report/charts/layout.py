"""What every chart shares: colours, the font, sizes, value ticks, label spreading, text widths
and German number formatting.

Pure functions of numbers and strings; nothing here writes SVG.
"""

from __future__ import annotations

import decimal
import functools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from fis.report.numbers import fmt_number

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"  # fis/report/fonts
FONT_FAMILY = "Source Sans Pro"
# The generic fallback keeps HTML readable where the shipped font is not loaded.
FONT_STACK = f"{FONT_FAMILY}, sans-serif"
WIDTH_PX = 605  # 16 cm at 96 px/in
LABEL_PX = 12  # font size of labels in every chart: about 9 pt in print
TITLE_PX = 14
MID = 0.34 * LABEL_PX  # baseline below a label's middle: half the cap height of Source Sans

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


def palette(colors: Mapping[str, str] | None) -> Mapping[str, str]:
    """PALETTE with the caller's colours (a Kreis's branding) over it."""
    return {**PALETTE, **(colors or {})}


# --- formatting ------------------------------------------------------------------------------

fmt = functools.lru_cache(maxsize=4096)(fmt_number)  # babel is slow; charts repeat numbers


def value_or_none(value: Any) -> float | None:
    """None and NaN (as pandas gives for missing values) are missing; anything else a float."""
    if value is None:
        return None
    v = float(value)
    return None if math.isnan(v) else v


def with_unit(text: str, unit: str) -> str:
    return f"{text}\u00a0%" if unit.strip() == "%" else text


def unit_subtitle(unit: str) -> str:
    return "in %" if unit.strip() == "%" else unit


def join_de(parts: Sequence[str]) -> str:
    """German enumeration: "a", "a und b", "a, b und c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " und " + parts[-1]


def text_px(text: str, bold: bool = False) -> float:
    """Rough width of `text` in the shipped font at the label size (Source Sans: ~0.5 em a glyph)."""
    return len(text) * LABEL_PX * (0.54 if bold else 0.5)


# --- scales ----------------------------------------------------------------------------------


def nice_ticks(lo: float, hi: float, target: int = 5) -> tuple[list[float], int]:
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


def value_ticks(values: Sequence[float], *, zero: bool) -> tuple[list[float], int]:
    """Ticks covering the values (and zero, if asked) and the decimals they need."""
    lo, hi = min(values), max(values)
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    return nice_ticks(lo, hi)


def bar_domain(
    known: list[tuple[str, float]], reference: float | None, decimals: int, plot_w: float
) -> tuple[list[float], float]:
    """x domain with room for the value labels beside the bar ends, and px per data unit."""
    vals = [v for _, v in known] + ([reference] if reference is not None else [])
    lo, hi = min([0.0, *vals]), max([0.0, *vals])
    if hi == lo:
        hi = lo + 1.0
    room = [text_px(fmt(v, decimals), bold=True) + 10 for _, v in known]
    right = max([r for r, (_, v) in zip(room, known) if v >= 0] or [0.0])
    left = max([r for r, (_, v) in zip(room, known) if v < 0] or [0.0])
    k = (plot_w - left - right) / (hi - lo)
    return [lo - left / k, hi + right / k], k


def spread_labels(positions: list[float], gap: float, lo: float) -> list[float]:
    """Move label positions (top = high) apart by at least `gap`, none below `lo`."""
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
