"""Print a result as an aligned text table, CSV or JSON (no pandas needed)."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from decimal import Decimal

FORMATS = ("table", "csv", "json", "xlsx")


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


def write_xlsx(columns: list[str], rows: list[tuple], path, title: str = "",
               decimals: list[int | None] | None = None) -> None:  # fmt: skip
    """The rows as an Excel sheet: numbers stored as numbers (with the row's decimals as number
    format), symbols as text, header frozen, filter on; a fixed creation date (reproducible)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": datetime(2000, 1, 1), "title": title})
    ws = wb.add_worksheet("FIS")
    bold = wb.add_format({"bold": True})
    formats: dict[int | None, object] = {}

    def number_format(d: int | None):
        if d not in formats:
            formats[d] = wb.add_format({"num_format": "0" if d == 0 else "0." + "0" * d}
                                       if d is not None else {})  # fmt: skip
        return formats[d]

    top = 0
    if title:
        ws.write(0, 0, title, bold)
        top = 2
    ws.write_row(top, 0, columns, bold)
    is_value = [c == "value" or c.startswith("value_") for c in columns]
    decs = decimals or [None] * len(rows)
    for i, (r, d) in enumerate(zip(rows, decs), start=top + 1):
        for j, v in enumerate(r):
            v = _plain(v)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(i, j, v, number_format(d) if is_value[j] else None)
            elif v is not None:
                ws.write_string(i, j, str(v))
    ws.freeze_panes(top + 1, 0)
    ws.autofilter(top, 0, top + max(len(rows), 1), max(len(columns) - 1, 0))
    ws.set_column(0, max(len(columns) - 1, 0), 14)
    wb.close()
