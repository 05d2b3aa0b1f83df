"""pandera schemas for the frames that cross a boundary (imported only on the refresh path)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from fis.errors import InputError

KEY_PATTERN = r"^(DG|\d{2}|\d{3}|\d{5}|\d{8}|\d{9}|JH\d{5,10}|R\d{4})$"
STATUSES = ["", "-", ".", "/", "x", "...", "()", "p", "r", "s", "e"]

# Text columns are categoricals (fis.readers.base.TEXT_COLUMNS): the checks run on the
# distinct texts, which is why checking a file of millions of cells costs well under a second.
# Their dtype is checked by a plain isinstance: pandera's own check of a "category" dtype
# converts the column's categories one by one (1.3 s of 2.2 s for a year of Germany's exports).
IS_TEXT = pa.Check(
    lambda s: isinstance(s.dtype, pd.CategoricalDtype),
    element_wise=False,
    error="text column is not categorical",
)


def text(*checks: pa.Check) -> pa.Column:
    """A text column: categorical, with `checks` on its values."""
    return pa.Column(None, [IS_TEXT, *checks])


# What every reader returns (fis.readers.base.LONG_COLUMNS), before any interpretation.
READER_FRAME = pa.DataFrameSchema(
    {
        "region_key": text(pa.Check.str_matches(r"^(DG|\d{2,12}|JH\d+)$")),
        "region_name": text(),
        "period": text(pa.Check.str_matches(r"^\d{4}(-\d{2}-\d{2})?$")),
        "label": text(),
        "value": pa.Column(float, nullable=True),
        "status": text(pa.Check.isin(STATUSES)),
        "line": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
    ordered=True,
)

OBSERVATIONS = pa.DataFrameSchema(
    {
        "variable_id": text(pa.Check.str_matches(r"^[a-z][a-z0-9_]*$")),
        "region_key": text(pa.Check.str_matches(KEY_PATTERN)),
        "period": pa.Column(int, pa.Check.in_range(1900, 2100)),
        "value": pa.Column(
            float,
            pa.Check.ge(0, error="negative count"),
            nullable=True,
        ),
        "status": text(pa.Check.isin(STATUSES)),
        "line": pa.Column(int),
    },
    # each (variable_id, region_key, period) once: refresh._drop_duplicate_keys makes it so
    # (or names the clash) right before this check, so pandera does not count it again
    # (0.8 s for the 8 million observations of one Germany-scale table)
    strict=False,
    coerce=False,
)


def validate_reader_frame(frame: pd.DataFrame, path: str) -> None:
    """The reader's long frame has the agreed columns, types, keys and symbols."""
    _validate(READER_FRAME, frame, path)


def validate_observations(frame: pd.DataFrame, path: str) -> None:
    """Raise InputError naming file, line and reason for the first failing row."""
    _validate(OBSERVATIONS, frame, path)


def _validate(schema: pa.DataFrameSchema, frame: pd.DataFrame, path: str) -> None:
    try:
        # inplace: the schemas coerce nothing, so pandera need not copy the frame first
        # (Germany scale: 1.2 s of copying in the reading and as much in the merging)
        schema.validate(frame, lazy=False, inplace=True)
    except pa.errors.SchemaError as e:
        line = None
        reason = str(e).splitlines()[0]
        fc = e.failure_cases
        rows = isinstance(fc, pd.DataFrame) and len(fc) and "index" in fc  # else: a whole column
        if rows and fc["index"].iloc[0] is not None:
            idx = fc["index"].iloc[0]
            if idx in frame.index:
                row = frame.loc[idx]
                line = int(row["line"])
                bad = fc["failure_case"].iloc[0]
                what = " ".join(
                    str(row[c])
                    for c in ("variable_id", "region_key", "period", "label")
                    if c in row
                )
                check = e.check if e.check is not None else "check"
                reason = f"{check} failed for {what}: {bad}"
                if "negative" in str(e.check):
                    reason = f"negative count {bad} for {what}"
        raise InputError(path, reason, line, rule="schema") from None
