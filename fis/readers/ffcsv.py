"""Reader for GENESIS flat files (ffcsv, 2024+ layout: one value per line)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fis.errors import InputError
from fis.keys import ars_to_ags
from fis.readers.base import LONG_COLUMNS, SYMBOLS, ReadResult
from fis.readers.genesis_csv import (
    bad_cell_reason,
    cells_of,
    encode,
    iso_periods,
    parse_uniques,
    read_block,
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
        raise InputError(path, f"unexpected value columns {rest!r} (expected {VALUE})", 1)
    return nvar


def _region_variable(frame: pd.DataFrame, nvar: int, path) -> int:
    """The variable whose attribute codes all look like region keys (DG or digits)."""
    candidates = []
    for k in range(1, nvar + 1):
        codes = frame[f"{k}_variable_attribute_code"]
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
        raise InputError(path, "no data rows in the flat file", 2)
    line_nos = np.arange(len(body)) + 2
    table = read_block(body, line_nos, len(header), path)
    frame = pd.DataFrame(
        {
            h: pd.array(pc.utf8_trim_whitespace(table.column(j)), dtype="str")
            for j, h in enumerate(header)
        }
    )

    k = _region_variable(frame, nvar, path)
    label = frame["value_variable_label"]
    for j in range(1, nvar + 1):
        if j != k:
            label = label + " | " + frame[f"{j}_variable_attribute_label"]

    if frame["time"].eq("").any():
        i = int(frame["time"].eq("").to_numpy().argmax())
        raise InputError(path, "empty 'time' cell", int(line_nos[i]))
    periods, period_codes = iso_periods(table.column(header.index("time")), path, line_nos)

    codes, uniq = encode(table.column(header.index("value")))
    uvalue, ustatus, uok = parse_uniques(uniq)
    if not uok.all():
        i = int((~uok[codes]).argmax())
        raise InputError(path, bad_cell_reason(uniq[codes[i]], "value"), int(line_nos[i]))
    status = str_array(ustatus, codes)
    if "value_q" in frame:
        # value_q carries a quality flag or symbol; a symbol in the value cell itself wins.
        q = frame["value_q"]
        unknown = (q.ne("") & ~q.isin(list(SYMBOLS))).to_numpy()
        if unknown.any():
            i = int(unknown.argmax())
            raise InputError(
                path, f"unknown quality flag {q.iat[i]!r} in value_q", int(line_nos[i])
            )
        symbol = np.isin(ustatus, ["-", ".", "/", "x", "...", "()"])[codes]
        use_q = pa.array(q.ne("").to_numpy() & ~symbol)
        status = pd.array(pc.if_else(use_q, pa.array(q), pa.array(status)), dtype="str")

    out = pd.DataFrame(
        {
            "region_key": ars_to_ags(frame[f"{k}_variable_attribute_code"]),
            "region_name": frame[f"{k}_variable_attribute_label"],
            "period": str_array(periods, period_codes),
            "label": label,
            "value": uvalue[codes],
            "status": status,
            "line": line_nos.astype("int64"),
        },
        columns=LONG_COLUMNS,
    )
    stat_codes = frame["statistics_code"]
    return ReadResult(
        path=str(path),
        format="ffcsv",
        table_code=stat_codes.iat[0],
        title=frame["statistics_label"].iat[0],
        frame=out,
        stand=None,
        encoding=encoding,
        extra={
            "value_variables": set(frame["value_variable_code"].unique()),
            "statistics_codes": set(stat_codes.unique()),
            "region_variable": k,
        },
    )
