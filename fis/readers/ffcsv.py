"""Reader for GENESIS flat files (ffcsv, 2024+ layout: one value per line)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from fis.errors import InputError
from fis.keys import ars_to_ags
from fis.readers.base import LONG_COLUMNS, SYMBOLS, ReadResult
from fis.readers.genesis_csv import (
    bad_cell_reason,
    cells_of,
    iso_periods,
    parse_cells,
    split_block,
    str_array,
)
from fis.readers.sniff import load_text

FIXED = ["statistics_code", "statistics_label", "time_code", "time_label", "time"]
VALUE = ["value", "value_unit", "value_variable_code", "value_variable_label"]
_VAR = re.compile(r"(\d+)_variable_(code|label|attribute_code|attribute_label)")
_REGION_CODE = r"(?:DG|\d{2,12})"
# Variable codes that name a regional breakdown (used only to break ties).
_REGION_VARS = ("GEO", "KREISE", "GEMEIN", "DLAND", "DINSG", "REGBEZ", "LAND", "BL")


def _variables(header: list[str], path) -> int:
    """Validate the header; return the number of k_variable_* groups."""
    if header[:5] != FIXED:
        raise InputError(
            path, f"not a GENESIS flat file header: starts {';'.join(header[:5])!r}", 1
        )
    rest = header[5:]
    nvar = 0
    while len(rest) >= 4 and _VAR.fullmatch(rest[0]):
        k = nvar + 1
        want = [f"{k}_variable_{p}" for p in ("code", "label", "attribute_code", "attribute_label")]
        if rest[:4] != want:
            raise InputError(path, f"unexpected columns {rest[:4]} (expected {want})", 1)
        nvar, rest = k, rest[4:]
    if rest[:4] != VALUE or rest[4:] not in ([], ["value_q"]):
        raise InputError(path, f"unexpected value columns {rest!r}", 1)
    return nvar


def _region_variable(frame: pd.DataFrame, nvar: int, path) -> int:
    """The variable whose attribute codes all look like region keys (DG or digits)."""
    candidates = []
    for k in range(1, nvar + 1):
        codes = frame[f"{k}_variable_attribute_code"].str.strip()
        if codes.str.fullmatch(_REGION_CODE).all():
            candidates.append(k)
    if not candidates:
        raise InputError(
            path, "no regional variable (attribute codes DG or digits) in the flat file"
        )
    for k in candidates:
        if frame[f"{k}_variable_code"].str.startswith(_REGION_VARS).all():
            return k
    return candidates[0]


def read(path: str | Path) -> ReadResult:
    """Read a GENESIS flat file (ffcsv) into the long frame."""
    text, encoding = load_text(path)
    lines = text.split("\n")
    header = [c.strip() for c in cells_of(lines[0])]
    nvar = _variables(header, path)
    body = lines[1:]
    while body and not body[-1].strip():
        body.pop()
    if not body:
        raise InputError(path, "no data rows in the flat file")
    line_nos = np.arange(len(body)) + 2
    blank = np.flatnonzero(pd.Series(body, dtype=object).str.strip().eq("").to_numpy())
    if blank.size:
        raise InputError(path, "empty line among the data rows", int(line_nos[blank[0]]))
    arr = split_block(body, line_nos, len(header), path)
    frame = pd.DataFrame(arr, columns=header, dtype=object)

    k = _region_variable(frame, nvar, path)
    others = [j for j in range(1, nvar + 1) if j != k]
    label = frame["value_variable_label"].str.strip()
    for j in others:
        label = label + " | " + frame[f"{j}_variable_attribute_label"].str.strip()

    time = frame["time"].str.strip()
    if time.eq("").any():
        raise InputError(path, "empty 'time' cell", int(line_nos[time.eq("").to_numpy().argmax()]))
    periods, period_codes = iso_periods(time.to_numpy())

    value, status, bad = parse_cells(frame["value"].to_numpy())
    if bad.any():
        i = int(bad.argmax())
        raise InputError(path, bad_cell_reason(frame["value"].iat[i], "value"), int(line_nos[i]))
    if "value_q" in frame:
        # value_q carries a quality flag or symbol; a symbol in the value cell itself wins.
        q = frame["value_q"].str.strip()
        unknown = q.ne("") & ~q.isin(list(SYMBOLS))
        if unknown.any():
            i = int(unknown.to_numpy().argmax())
            raise InputError(
                path, f"unknown quality flag {q.iat[i]!r} in value_q", int(line_nos[i])
            )
        vs = np.asarray(status, dtype=object)
        use_q = q.ne("").to_numpy() & ~np.isin(vs, ["-", ".", "/", "x", "...", "()"])
        status = pd.array(np.where(use_q, q.to_numpy(dtype=object), vs), dtype="str")

    def column(series: pd.Series):
        codes, uniques = pd.factorize(series, use_na_sentinel=False)
        return str_array(np.asarray(uniques, dtype=object), codes)

    keys = ars_to_ags(frame[f"{k}_variable_attribute_code"].str.strip())
    out = pd.DataFrame(
        {
            "region_key": column(keys),
            "region_name": column(frame[f"{k}_variable_attribute_label"].str.strip()),
            "period": str_array(periods, period_codes),
            "label": column(label),
            "value": value,
            "status": status,
            "line": line_nos.astype("int64"),
        },
        columns=LONG_COLUMNS,
    )
    codes = frame["statistics_code"].str.strip()
    return ReadResult(
        path=str(path),
        format="ffcsv",
        table_code=codes.iat[0],
        title=frame["statistics_label"].str.strip().iat[0],
        frame=out,
        stand=None,
        encoding=encoding,
        extra={
            "value_variables": set(frame["value_variable_code"].str.strip()),
            "statistics_codes": set(codes),
            "region_variable": k,
        },
    )
