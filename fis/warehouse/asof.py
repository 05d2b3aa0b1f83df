"""Answer from the warehouse as it was after an earlier refresh (`--as-of REFRESH_ID|DATE`).

The observations of that state are rebuilt from the current and superseded versions in an
in-memory database beside the warehouse file, and sums and indicators are recomputed there with
the formulas the warehouse holds; the file itself is only read.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import duckdb

from fis.errors import FisError
from fis.warehouse import aggregate, indicators, schema
from fis.warehouse.history import state_sql
from fis.warehouse.views import create_views

# Tables copied as they are now (regions only ever grow; the catalogue mirror is the current one).
COPIED = ("regions", "jugendamt_members", "variables", "indicators", "refreshes", "sources")


def resolve_as_of(con: duckdb.DuckDBPyConnection, text: str) -> int:
    """A refresh id, or a date (YYYY-MM-DD): the last refresh that changed data by that day."""
    text = text.strip()
    if text.isdigit():
        row = con.execute(
            "SELECT refresh_id FROM refreshes WHERE refresh_id = ?", [int(text)]
        ).fetchone()
        if row is None:
            raise FisError(f"unknown refresh {text}; see 'fis status'")
        return row[0]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise FisError(f"--as-of wants a refresh id or a date YYYY-MM-DD, got {text!r}")
    row = con.execute(
        """SELECT max(refresh_id) FROM refreshes
           WHERE status = 'ok' AND finished_at < CAST(? AS DATE) + INTERVAL 1 DAY""",
        [text],
    ).fetchone()
    if row[0] is None:
        raise FisError(f"no refresh had changed data by {text}")
    return row[0]


def open_as_of(warehouse: Path, as_of: str) -> duckdb.DuckDBPyConnection:
    """An in-memory connection holding the warehouse's state after the given refresh."""
    mem = duckdb.connect(":memory:")
    schema.ensure_schema(mem)
    mem.execute(f"ATTACH '{_quote(warehouse)}' AS wh (READ_ONLY)")
    src = duckdb.connect(str(warehouse), read_only=True)
    try:
        rid = resolve_as_of(src, as_of)
    finally:
        src.close()
    for t in COPIED:
        mem.execute(f"INSERT INTO main.{t} SELECT * FROM wh.main.{t}")
    mem.execute("DELETE FROM main.refreshes WHERE refresh_id > ?", [rid])
    create_views(mem)  # the wide view's columns follow the copied catalogue
    versions = (
        state_sql("rid")
        .replace("FROM observations", "FROM wh.main.observations")
        .replace("FROM observation_history", "FROM wh.main.observation_history")
    )
    mem.execute(
        f"""INSERT INTO main.observations
            SELECT variable_id, region_key, period, ref_date, value, status, pipeline, priority,
                   source_sha256, line, loaded_by
            FROM ({versions})""",
        {"rid": rid},
    )
    mem.execute("DETACH wh")
    aggregate.build_variable_values(mem)
    rows = mem.execute(
        "SELECT indicator_id, numerator, denominator, factor FROM indicators"
    ).fetchall()
    defs = [SimpleNamespace(id=i, numerator=n, denominator=d, factor=f) for i, n, d, f in rows]
    indicators.build_indicator_values(mem, defs)
    return mem


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
