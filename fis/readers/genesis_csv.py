"""Reader for classic GENESIS table CSVs (Regionalstatistik, Landesdatenbank NRW)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from fis.errors import InputError
from fis.keys import ars_to_ags
from fis.readers.base import LONG_COLUMNS, ReadResult
from fis.readers.sniff import load_text

KEY = r"(?:DG|\d{2,12}|JH\d+)"
PERIOD = r"(?:\d{2}\.\d{2}\.\d{4}|\d{4}-\d{2}-\d{2}|\d{4})"
_PERIOD = re.compile(PERIOD)
# First data row: [period;] key; non-empty name; at least one more cell.
_FIRST_ROW = {
    True: re.compile(rf"^{PERIOD};{KEY};\s*[^;\s][^;]*;"),
    False: re.compile(rf"^{KEY};\s*[^;\s][^;]*;"),
}
# Any later data row only needs its key (a truncated row is reported by its cell count).
_ROW = {True: rf"^{PERIOD};{KEY}(?:;|$)", False: rf"^{KEY}(?:;|$)"}
_RULE = r"^_{3,}"
# Without a "_____" rule, a footer starts with a quoted note, the licence or the Stand line.
_FOOTER_START = r'^(?:_{3,}|"|©|\(c\)|Stand\s*:)'
_STAND = re.compile(r"^\W*Stand\s*:\s*(\d{2})\.(\d{2})\.(\d{4})")
_TABLE = re.compile(r"^\s*(?:GENESIS-)?Tabelle\s*:\s*([^\s;]+)", re.IGNORECASE)
_PERIOD_LINE = re.compile(
    rf"^\s*(?:(?:Jahr|Stichtag|Berichtsjahr|Berichtszeitraum|Zeit)\s*:\s*)?({PERIOD})\s*$",
    re.IGNORECASE,
)

SYMBOL_CELLS = ("-", ".", "/", "x", "...")
# A "." inside a number is a thousands separator only as in 1.234.567,8.
_NUM = r"-?(?:\d{1,3}(?:\.\d{3})+|\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:,\d+)?"
_CELL = rf"^(?:\((?P<par>{_NUM})\)|(?P<num>{_NUM})(?:\s*(?P<flag>[eprs]))?)$"
_CELL_RE2 = _CELL.replace("\\u00a0", "\u00a0")  # RE2 knows no \u escape: the character itself


def iso_period(p: str) -> str:
    """'31.12.2015' -> '2015-12-31'; ISO dates and years unchanged."""
    m = re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", p)
    return f"{m[3]}-{m[2]}-{m[1]}" if m else p


def checked_period(p: str, path, line: int | None) -> str:
    """iso_period(p), refusing a text that is no date or year and a date that does not exist."""
    if not _PERIOD.fullmatch(p):
        raise InputError(path, f"period {p!r} is not a date or year", line)
    iso = iso_period(p)
    if len(iso) == 10:
        try:
            datetime.strptime(iso, "%Y-%m-%d")
        except ValueError:
            raise InputError(path, f"impossible date {p!r}", line) from None
    return iso


def cells_of(line: str) -> list[str]:
    """Split one ';' line, honouring quotes."""
    return next(csv.reader([line], delimiter=";"), [])


def str_array(uniques, codes: np.ndarray):
    """The "str" column uniques[codes], gathered in Arrow (no per-cell Python objects)."""
    if not isinstance(uniques, pa.Array | pa.ChunkedArray):
        if not isinstance(uniques, pd.Series):
            uniques = np.asarray(uniques, dtype=object)
        uniques = pa.array(uniques, type=pa.large_string())
    return pd.array(pc.take(uniques.cast(pa.large_string()), codes), dtype="str")


def cat_array(uniques, codes: np.ndarray, repeat: int = 1, tile: int = 1) -> pd.Categorical:
    """The text column uniques[codes] as a pandas Categorical: every distinct text once, an
    integer code per row (what the long frame holds for keys, names, labels, periods, status).
    repeat/tile: each code repeated, or the whole sequence tiled, that many times."""
    if isinstance(uniques, pa.Array | pa.ChunkedArray):
        uniques = uniques.to_numpy(zero_copy_only=False)
    ucodes, cats = pd.factorize(np.asarray(uniques, dtype=object))
    # the smallest integer type first: gathering, repeating and tiling move the fewest bytes
    ucodes = ucodes.astype(
        np.int8 if len(cats) < 127 else np.int16 if len(cats) < 32767 else np.int32
    )
    codes = np.asarray(codes)
    out = ucodes[codes] if len(codes) else codes.astype(ucodes.dtype)
    if repeat > 1:
        out = np.repeat(out, repeat)
    if tile > 1:
        out = np.tile(out, tile)
    return pd.Categorical.from_codes(out, pd.Index(cats, dtype="str"))


def encode(cells) -> tuple[np.ndarray, np.ndarray]:
    """Arrow string cells -> (codes, distinct texts) via dictionary encoding."""
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    enc = pc.dictionary_encode(cells)
    return enc.indices.to_numpy(zero_copy_only=False), enc.dictionary.to_numpy(zero_copy_only=False)


def _extract_cells(u: pd.Series) -> pd.DataFrame:
    """`u.str.extract(_CELL)` (columns par, num, flag; NaN where a group took no part).

    Arrow's RE2 extracts all texts in C++ (Germany scale: 3 s of Python matching over the
    distinct cells of 57 exports); the texts it does not match are extracted again in
    Python, whose \\d and \\s also take non-ASCII digits and spaces. Where RE2 matches, Python
    matches the same way, and no group of _CELL can match an empty text.
    """
    texts = u.to_numpy(dtype=object)
    found = pc.extract_regex(pa.array(texts, type=pa.large_string()), _CELL_RE2)
    matched = found.is_valid().to_numpy(zero_copy_only=False)
    parts = {}
    for name in ("par", "num", "flag"):
        group = found.field(name).to_numpy(zero_copy_only=False)
        parts[name] = np.where(matched & (group != ""), group, np.nan)
    parts = pd.DataFrame(parts, index=u.index, dtype=object)
    miss = ~matched
    if miss.any():
        parts[miss] = u[miss].str.extract(_CELL)
    return parts


# A plain integer: what most cells of an export are (Germany scale: 1.08 of 1.14 million
# distinct cell texts). At most 15 digits, so that every parser gives the same double, and
# no "-0" (a negative zero as a float, 0 as an integer).
_PLAIN_INT = r"^-?[0-9]{1,15}$"
_MINUS_ZERO = r"^-0+$"


def parse_uniques(uniq: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct cell texts -> (value float64, status, ok) per text.

    Plain integers are cast by Arrow; only the other texts go through the general parse,
    whose per-text Python work cost ~2 µs each (Germany scale: 1.6 -> 0.4 s).
    """
    texts = pa.array(uniq, type=pa.large_string())
    plain = pc.and_not(
        pc.match_substring_regex(texts, _PLAIN_INT),
        pc.match_substring_regex(texts, _MINUS_ZERO),
    ).to_numpy(zero_copy_only=False)
    if not plain.any():
        return _parse_general(uniq)
    value = np.empty(len(uniq), dtype="float64")
    status = np.full(len(uniq), "", dtype=object)
    ok = np.ones(len(uniq), dtype=bool)
    value[plain] = pc.cast(texts.filter(plain), pa.float64()).to_numpy(zero_copy_only=False)
    rest = ~plain
    if rest.any():
        value[rest], status[rest], ok[rest] = _parse_general(np.asarray(uniq, dtype=object)[rest])
    return value, status, ok


def _parse_general(uniq: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """parse_uniques for any texts: numbers in every official form, symbols, flags."""
    u = pd.Series(uniq, dtype=object).str.strip()
    parts = _extract_cells(u)
    sym = u.isin(SYMBOL_CELLS).to_numpy()
    par = parts["par"].notna().to_numpy()
    num = parts["par"].fillna(parts["num"])
    ok = sym | num.notna().to_numpy() | (u == "").to_numpy()
    # A number (_NUM) separates digit groups only by '.', ' ' or U+00A0: those go, in Arrow
    # (a Python regex per text took 1.1 s of 2 s here at Germany scale)
    texts = pa.array(num.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    clean = pc.replace_substring(pc.replace_substring_regex(texts, "[. \u00a0]", ""), ",", ".")
    value = pd.to_numeric(clean.to_pandas(), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    flag = parts["flag"].fillna("").to_numpy(dtype=object)
    status = np.where(sym, u.to_numpy(dtype=object), np.where(par, "()", flag))
    return value, status, ok


def bad_cell_reason(cell: str, label: str) -> str:
    """One-line reason for a cell that is neither a number nor a symbol."""
    text = cell.strip()
    if re.fullmatch(r"-?[\d.]+(?:,\d+)?", text) and "." in text:
        return (
            f"ambiguous number {text!r} in column {label!r}: '.' is only allowed as a "
            "thousands separator (1.234,5)"
        )
    return f"non-numeric cell {text!r} in column {label!r}"


def read_block(lines: list[str], line_nos: np.ndarray, ncols: int, path) -> pa.Table:
    """Data lines -> Arrow table of `ncols` string columns; each line needs exactly ncols cells."""
    data = "\n".join(lines).encode("utf-8")
    names = [f"c{j}" for j in range(ncols)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=";"),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        _check_cell_counts(data, lines, line_nos, ncols, path)
        raise InputError(path, f"cannot parse the data rows: {exc}", int(line_nos[0])) from None
    if table.num_rows != len(lines):
        _check_cell_counts(data, lines, line_nos, ncols, path)
        raise InputError(path, "unbalanced quotes in the data rows", int(line_nos[0]))
    return table


def _check_cell_counts(data: bytes, lines: list[str], line_nos: np.ndarray, ncols: int, path):
    """Name the first data row that has not `ncols` cells (when Arrow could not read them)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.append(np.flatnonzero(buf == 10), len(buf))
    counts = np.diff(np.searchsorted(np.flatnonzero(buf == 59), ends), prepend=0) + 1
    for i in np.unique(np.searchsorted(ends, np.flatnonzero(buf == 34))):
        counts[i] = len(cells_of(lines[i]))  # rare: quoted cells may contain ";"
    bad = np.flatnonzero(counts != ncols)
    if bad.size:
        i = bad[0]
        if lines[i].count('"') % 2:  # the open quote swallowed the rest of the row
            raise InputError(path, 'unbalanced quote (") in the data row', int(line_nos[i]))
        raise InputError(
            path, f"data row has {counts[i]} cells, expected {ncols}", int(line_nos[i])
        )


def _first_data_row(lines: list[str], path) -> tuple[int, bool]:
    i = 0
    for i, line in enumerate(lines):
        if re.match(_RULE, line):
            break
        for period_first in (True, False):
            if _FIRST_ROW[period_first].match(line):
                return i, period_first
    while i > 0 and not lines[i].strip():  # name the last line there is, not the one after it
        i -= 1
    raise InputError(
        path, "no data rows: no line starts with a region key (DG, 2-12 digits, JH...)", i + 1
    )


def _matches(lines: list[str], arrow: pa.Array, pattern: str) -> np.ndarray:
    """`re.match(pattern, line)` for every line (`arrow`: the same lines), as booleans; for
    patterns whose every RE2 match is a match in Python too (no negated \\s or \\d class).

    Arrow's RE2 runs over all lines in C++ (Germany scale: 7 s of Python matching over 11.5
    million lines of 57 exports); the lines it does not match are asked again in Python,
    whose \\d and \\s also take non-ASCII digits and spaces, so the result is Python's.
    """
    hit = pc.match_substring_regex(arrow, pattern).to_numpy(zero_copy_only=False)
    miss = np.flatnonzero(~hit)
    if len(miss):
        rx = re.compile(pattern)
        hit[miss] = [rx.match(lines[i]) is not None for i in miss]
    return hit


def _data_end(lines: list[str], i0: int, period_first: bool, path) -> int:
    """Index after the last data row: at the '_____' rule, else before a footer-like line."""
    rest = lines[i0:]
    arrow = pa.array(rest, type=pa.large_string())
    rule = pc.starts_with(arrow, "___").to_numpy(zero_copy_only=False)  # _RULE
    if rule.any():
        stop = i0 + int(rule.argmax())
    else:
        start = _matches(rest, arrow, _FOOTER_START)
        stop = i0 + int(start.argmax()) if start.any() else len(lines)
        tail = pd.Series(rest[stop - i0 :], dtype=object)
        # Lines inside a quoted multi-line note may look like data; only others count.
        quotes = tail.str.count('"').to_numpy()
        inside = (np.cumsum(quotes) - quotes) % 2 == 1
        later = tail.str.match(_FIRST_ROW[period_first].pattern).to_numpy() & ~inside
        if later.any():
            n = stop + int(later.argmax()) + 1
            raise InputError(path, f"data row after the footer that starts at line {stop + 1}", n)
    while stop > i0 and not lines[stop - 1].strip(" ;\t"):
        stop -= 1
    not_row = ~_matches(rest[: stop - i0], arrow.slice(0, stop - i0), _ROW[period_first])
    if not_row.any():
        i = int(not_row.argmax())
        raise InputError(
            path,
            f"not a data row (no region key) among the data rows: {lines[i0 + i][:50]!r}",
            i0 + i + 1,
        )
    return stop


def _column_headers(
    lines: list[str], i0: int, n_lead: int
) -> tuple[list[list[str]], int, list[int]]:
    """Rows right above the first data row with empty key cells; returns (rows, end of header,
    1-based line number of each row)."""
    rows: list[list[str]] = []
    nos: list[int] = []
    j = i0 - 1
    while j >= 0:
        cells = [c.strip() for c in cells_of(lines[j])]
        if not any(cells):
            j -= 1
            continue
        if any(cells[:n_lead]) or not any(cells[n_lead:]):
            break
        rows.insert(0, cells)
        nos.insert(0, j + 1)
        j -= 1
    return rows, j + 1, nos


def _header_period(header: list[str], path) -> str | None:
    found = []
    for i, line in enumerate(header):
        cells = [c.strip() for c in cells_of(line)]
        if cells and not any(cells[1:]) and (m := _PERIOD_LINE.match(cells[0])):
            found.append(checked_period(m[1], path, i + 1))
    if len(set(found)) > 1:
        raise InputError(path, f"several periods in the header block: {', '.join(found)}")
    return found[0] if found else None


def _footer(lines: list[str]) -> tuple[str | None, str]:
    """(stand as ISO, notes text) from the footer lines."""
    stand, notes = None, []
    for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=";"):
        for cell in row:
            text = cell.strip()
            if (m := _STAND.match(text)) and stand is None:
                stand = f"{m[3]}-{m[2]}-{m[1]}"
            elif text and not re.match(_RULE, text):
                notes.append(text)
    return stand, "\n".join(notes)


def _column_meta(
    hrows, n_lead: int, ncols: int, path, nos: list[int]
) -> tuple[list[str] | None, list[str]]:
    """(period per data column or None, label per data column) from the column-header rows."""
    col_periods, label_rows = None, []
    for cells, no in zip(hrows, nos, strict=True):
        data = (cells + [""] * ncols)[n_lead:ncols]
        filled = [c for c in data if c]
        is_period = [bool(_PERIOD.fullmatch(c)) for c in filled]
        n_years = sum(
            ok and 1900 <= int(iso_period(c)[:4]) <= 2100
            for c, ok in zip(filled, is_period, strict=True)
        )
        # A row whose cells are all dates/years gives the period of each column (group).
        if filled and all(is_period):
            if col_periods is not None:
                raise InputError(path, "more than one period row in the column headers", no)
            if not data[0]:
                raise InputError(
                    path, "period row in the column headers starts with an empty cell", no
                )
            col_periods, last = [], ""
            for c in data:
                last = checked_period(c, path, no) if c else last
                col_periods.append(last)
        elif n_years >= 2 and n_years > len(filled) / 2:
            # Mostly dates/years of this era (not units such as "1000"): a period row with a typo.
            bad = filled[is_period.index(False)]
            raise InputError(
                path, f"column header {bad!r} in the row of dates/years is not a date or year", no
            )
        else:
            label_rows.append(data)
    labels = [" | ".join(r[j] for r in label_rows if r[j]) for j in range(ncols - n_lead)]
    return col_periods, labels


def iso_periods(cells, path, line_nos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Period cells (Arrow) -> (ISO uniques, codes), converting each distinct text once;
    an impossible date is reported at the first line (of `line_nos`) that has it."""
    codes, uniq = encode(pc.utf8_trim_whitespace(cells))
    out = []
    for k, u in enumerate(uniq):
        try:
            out.append(checked_period(u, path, None))
        except InputError as e:
            raise InputError(path, e.reason, int(line_nos[int(np.argmax(codes == k))])) from None
    return np.array(out, dtype=object), codes


def read(path: str | Path) -> ReadResult:
    """Read a classic GENESIS table CSV into the long frame."""
    text, encoding = load_text(path)
    lines = text.split("\n")
    i0, period_first = _first_data_row(lines, path)
    stop = _data_end(lines, i0, period_first, path)
    n_lead = 3 if period_first else 2
    hrows, head_end, hnos = _column_headers(lines, i0, n_lead)
    if not hrows:
        raise InputError(path, "no column-header row above the first data row", i0 + 1)
    ncols = len(hrows[-1])
    header = lines[:head_end]

    col_periods, labels = _column_meta(hrows, n_lead, ncols, path, hnos)
    line_nos = np.arange(i0, stop) + 1
    table = read_block(lines[i0:stop], line_nos, ncols, path)
    # A trailing ";" on every line makes an empty column without a label: drop it.
    data_cols = [
        j
        for j in range(ncols - n_lead)
        if labels[j] or pc.max(pc.utf8_length(table.column(n_lead + j))).as_py()
    ]
    labels = [labels[j] for j in data_cols]
    if col_periods is not None:
        col_periods = [col_periods[j] for j in data_cols]
    n, ndc = table.num_rows, len(data_cols)

    # The long frame has a row per cell, row by row of the table: a value of each table row
    # is repeated for its ndc cells, a value of each column tiled n times.
    def per_row(uniques, codes: np.ndarray) -> pd.Categorical:
        return cat_array(uniques, codes, repeat=ndc)

    def per_column(uniques) -> pd.Categorical:
        return cat_array(uniques, np.arange(ndc), tile=n)

    key_col = 1 if period_first else 0
    if col_periods is not None:
        period = per_column(col_periods)
    elif period_first:
        uniq, codes = iso_periods(table.column(0), path, line_nos)
        period = per_row(uniq, codes)
    elif (p := _header_period(header, path)) is not None:
        period = cat_array([p], np.zeros(n * ndc, dtype=np.int8))
    else:
        raise InputError(
            path,
            "no period: no date/year row in the column headers, no date/year column "
            "before the key and no period line (e.g. '31.12.2015', 'Jahr: 2016') in the header",
        )

    # Encode the cells column by column, then put the codes in row order (region by region).
    chunks = [c for j in data_cols for c in table.column(n_lead + j).chunks]
    codes, uniq = encode(pa.chunked_array(chunks, type=pa.string()))
    codes = codes.reshape(ndc, n).T.ravel()  # column after column -> row after row
    uvalue, ustatus, uok = parse_uniques(uniq)
    if not uok.all():
        k = int((~uok[codes]).argmax())
        r, c = divmod(k, ndc)
        raise InputError(path, bad_cell_reason(uniq[codes[k]], labels[c]), int(line_nos[r]))
    value, status = uvalue[codes], cat_array(ustatus, codes)

    # keys and names per row: converted once per distinct text
    kcodes, kuniq = encode(pc.utf8_trim_whitespace(table.column(key_col)))
    keys = ars_to_ags(pd.Series(kuniq, dtype="str")).to_numpy(dtype=object)[kcodes]
    ncodes, nuniq = encode(pc.utf8_trim_whitespace(table.column(key_col + 1)))
    names = nuniq[ncodes]
    every_row = np.arange(n)
    frame = pd.DataFrame(
        {
            "region_key": per_row(keys, every_row),
            "region_name": per_row(names, every_row),
            "period": period,
            "label": per_column(labels),
            "value": value,
            "status": status,
            "line": np.repeat(line_nos.astype("int64"), ndc),
        },
        columns=LONG_COLUMNS,
        copy=False,  # the arrays are this frame's own
    )
    m = _TABLE.match(header[0]) if header else None
    title_lines = header[1:] if m else header
    title = " ".join(
        t
        for ln in title_lines
        if (t := ln.rstrip().rstrip(";").strip())
        and not _PERIOD_LINE.match(t)
        and not _STAND.match(t)
    )
    stand, notes = _footer(lines[stop:])
    if stand is None:
        stand, _ = _footer(header)
    return ReadResult(
        path=str(path),
        format="genesis_csv",
        table_code=m[1] if m else "",
        title=title,
        frame=frame,
        stand=stand,
        encoding=encoding,
        notes=notes,
        extra={"header_rows": len(hrows), "data_rows": n},
    )
