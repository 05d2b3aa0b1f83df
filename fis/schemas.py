"""pandera schemas for the frames that cross a boundary (imported only on the refresh path)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from fis.errors import InputError

KEY_PATTERN = r"^(DG|\d{2}|\d{3}|\d{5}|\d{8}|\d{9}|JH\d{5,10}|R\d{4})$"
STATUSES = ["", "-", ".", "/", "x", "...", "()", "p", "r", "s", "e"]

OBSERVATIONS = pa.DataFrameSchema(
    {
        "variable_id": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$")),
        "region_key": pa.Column(str, pa.Check.str_matches(KEY_PATTERN)),
        "period": pa.Column(int, pa.Check.in_range(1900, 2100)),
        "value": pa.Column(
            float,
            pa.Check.ge(0, error="negative count"),
            nullable=True,
        ),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "line": pa.Column(int),
    },
    unique=["variable_id", "region_key", "period"],
    strict=False,
    coerce=False,
)


def validate_observations(frame: pd.DataFrame, path: str) -> None:
    """Raise InputError naming file, line and reason for the first failing row."""
    try:
        OBSERVATIONS.validate(frame, lazy=False)
    except pa.errors.SchemaError as e:
        line = None
        reason = str(e).splitlines()[0]
        fc = e.failure_cases
        if fc is not None and len(fc) and "index" in fc and fc["index"].iloc[0] is not None:
            idx = fc["index"].iloc[0]
            if idx in frame.index:
                row = frame.loc[idx]
                line = int(row["line"])
                bad = fc["failure_case"].iloc[0]
                reason = (
                    f"{e.check if e.check is not None else 'check'} failed for {row['variable_id']} "
                    f"{row['region_key']} {row['period']}: {bad}"
                )
                if "negative" in str(e.check):
                    reason = f"negative count {bad} for {row['variable_id']} in region {row['region_key']}"
        raise InputError(path, reason, line) from None
