"""German number formatting for the report: babel (de_DE) for separators, the official symbols
for missing values, "Prozentpunkte" for differences of shares.

Rounding is for display only and rounds half up ("kaufmännisch", as the statistical offices
publish): the value's shortest decimal representation is quantized with ROUND_HALF_UP before
babel formats it, so 0.25 becomes "0,3" (babel alone would round half to even: "0,2").
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

LOCALE = "de_DE"

# Shown instead of a value; the legend of the Methodik chapter. "·" is our own suppression of
# small counts from local registers (REPORT.md, Datenschutz); the others are the official ones.
MISSING_SYMBOLS: dict[str, str] = {
    "-": "nichts vorhanden",
    ".": "Zahlenwert unbekannt oder geheim zu halten",
    "/": "keine Angabe, da Zahlenwert nicht sicher genug",
    "x": "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
    "...": "Angabe fällt später an",
    "·": "aus Datenschutzgründen nicht ausgewiesen",
}
# Shown beside a value ("31,2 p"); "()" puts the value in parentheses instead.
FLAGS: dict[str, str] = {
    "p": "vorläufig",
    "r": "berichtigt",
    "s": "geschätzt",
    "e": "geschätzt",
    "()": "Aussagewert eingeschränkt",
}
NO_DATA = "k. A."
SHARE_UNIT = "%"
# Plain spaces keep strings easy to compare; a renderer that must not break "31,2 %" across
# lines replaces them with no-break spaces.
UNIT_SPACE = " "
# Percentage changes ("+3,4 %") always carry one decimal, whatever the indicator's decimals.
RELATIVE_DECIMALS = 1


def is_missing(value: float | None) -> bool:
    """True for None, NaN and infinities: values that must never be shown as a number."""
    return value is None or not math.isfinite(value)


def round_half_up(value: float, decimals: int) -> Decimal:
    """The value rounded half up to `decimals` places, as a Decimal (no float noise)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded  # no "-0,0"


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def fmt_number(value: float, decimals: int, *, signed: bool = False) -> str:
    """A number in German notation: 30905 → "30.905", 31.25 → "31,3" (decimals=1).

    `signed` adds "+" to positive numbers and writes a rounded zero as "±0"; the minus sign is
    babel's for de_DE. Missing values are the business of `fmt_value`.
    """
    if is_missing(value):
        raise ValueError(f"cannot format a missing value ({value!r}); use fmt_value")
    rounded = round_half_up(value, decimals)
    pattern = _pattern(decimals)
    if not signed:
        return format_decimal(rounded, format=pattern, locale=LOCALE)
    if rounded == 0:
        return "±" + format_decimal(rounded, format=pattern, locale=LOCALE)
    return format_decimal(rounded, format=f"+{pattern};-{pattern}", locale=LOCALE)


def fmt_unit(text: str, unit: str | None, *, with_unit: bool = False) -> str:
    """Append the unit: "%" always (German style with a space), other units on request."""
    if unit == SHARE_UNIT or (with_unit and unit):
        return f"{text}{UNIT_SPACE}{unit}"
    return text


def fmt_value(
    value: float | None,
    decimals: int,
    status: str = "",
    unit: str | None = None,
    *,
    with_unit: bool = False,
) -> str:
    """A table cell: "31,2 %", "31,2 % p", "(31,2)", or the status symbol of a missing value.

    A missing value shows its official symbol ("-", ".", "/", "x", "...", "·") or "k. A." when
    there is none; a value whose status is such a symbol shows the symbol, never the number.
    """
    if status not in MISSING_SYMBOLS and status not in FLAGS and status != "":
        raise ValueError(f"unknown status {status!r}")
    if status in MISSING_SYMBOLS:
        return status
    if is_missing(value):
        return NO_DATA
    text = fmt_unit(fmt_number(value, decimals), unit, with_unit=with_unit)
    if status == "()":
        return f"({text})"
    return f"{text} {status}" if status else text


def relative_change(value: float, past: float) -> float | None:
    """The change from `past` to `value` in percent of `past`; None where a percentage of the
    past value means nothing (past not positive, value negative, e.g. a Wanderungssaldo)."""
    if is_missing(value) or is_missing(past) or past <= 0 or value < 0:
        return None
    return (value - past) / past * 100


def fmt_change(delta: float, unit: str, decimals: int, *, signed: bool = True) -> str:
    """A difference: for shares (unit "%") `delta` is in percentage points → "+2,1 Prozentpunkte";
    for other units `delta` is a change in percent → "+3,4 %" (see `relative_change`).

    `signed=False` drops the sign for prose ("um 2,1 Prozentpunkte gestiegen"). "Prozentpunkt"
    is singular only for exactly 1 shown without decimals.
    """
    shown = abs(delta) if not signed else delta
    number = fmt_number(shown, decimals, signed=signed)
    if unit != SHARE_UNIT:
        return f"{number}{UNIT_SPACE}%"
    singular = decimals == 0 and round_half_up(abs(delta), 0) == 1
    word = "Prozentpunkt" if singular else "Prozentpunkte"
    return f"{number} {word}"


def fmt_year_range(start: int | None, end: int | None) -> str:
    """Years as a range with an en dash: "2019–2024"; one year alone if both are equal."""
    if start is None and end is None:
        return ""
    if start is None or end is None or start == end:
        return str(end if end is not None else start)
    first, last = sorted((start, end))
    return f"{first}–{last}"


# A decimal point with 1, 2 or more than 3 digits after it; exactly three ("1.000", "10.000")
# is a German thousands point already, as in unit texts like "je 1.000 EW".
_DECIMAL = re.compile(r"(?<![\d.])(-?\d+)\.(\d{1,2}|\d{4,})(?![\d.])")


def german_decimals(text: str) -> str:
    """Decimal points in a machine-written message as German decimal commas ("99.0" → "99",
    "12.50" → "12,5"); keys, years and German thousands ("je 1.000 EW") stay as they are."""

    def german(m: re.Match) -> str:
        whole, frac = m[1], m[2].rstrip("0")
        return f"{whole},{frac}" if frac else whole

    return _DECIMAL.sub(german, text)
