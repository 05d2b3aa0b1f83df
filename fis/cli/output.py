"""Print a result as an aligned text table, CSV or JSON (no pandas needed)."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from decimal import Decimal

FORMATS = ("table", "csv", "json")


def _plain(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    return v


def _cell(v, decimals: int | None = None) -> str:
    v = _plain(v)
    if v is None:
        return ""
    if isinstance(v, float):
        if decimals is not None:
            return f"{v:.{decimals}f}"
        return f"{v:.0f}" if v.is_integer() and abs(v) < 1e15 else f"{v:.6g}"
    return str(v)


def render(
    columns: list[str],
    rows: list[tuple],
    fmt: str = "table",
    title: str = "",
    decimals: list[int | None] | None = None,
) -> str:
    """The rows in the requested format; CSV has a header row, JSON is a list of objects.

    In a text table, the value columns ("value", "value_…") of row i are rounded to
    decimals[i] places where given.
    """
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if _plain(v) is None else _plain(v) for v in r])
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([{c: _plain(v) for c, v in zip(columns, r)} for r in rows],
                          ensure_ascii=False, indent=1) + "\n"  # fmt: skip
    decs = decimals or [None] * len(rows)
    is_value = [c == "value" or c.startswith("value_") for c in columns]
    texts = [
        [_cell(v, d if val else None) for v, val in zip(r, is_value)] for r, d in zip(rows, decs)
    ]
    widths = [max([len(c)] + [len(t[i]) for t in texts]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(_plain(r[i]), (int, float)) or _plain(r[i]) is None for r in rows)
               for i in range(len(columns))]  # fmt: skip

    def line(cells):
        return "  ".join(
            c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)
        ).rstrip()

    out = [title] if title else []
    out += [line(columns), line(["-" * w for w in widths])]
    out += [line(t) for t in texts]
    return "\n".join(out) + "\n"
