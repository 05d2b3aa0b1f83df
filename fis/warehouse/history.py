"""The warehouse as it was: every observation version, the state after a refresh, diffs.

A version is loaded by one refresh and superseded by a later one (or still current); the state
after refresh R holds the versions loaded by R or earlier and not superseded by R or earlier.
"""

from __future__ import annotations

import duckdb

from fis.errors import FisError
from fis.warehouse.queries import Table

VERSIONS = """
    SELECT variable_id, region_key, period, ref_date, value, status, pipeline, priority,
           source_sha256, line, refresh_id AS loaded_by, NULL::INTEGER AS superseded_by
    FROM observations
    UNION ALL
    SELECT variable_id, region_key, period, ref_date, value, status, pipeline, priority,
           source_sha256, line, refresh_id, superseded_by
    FROM observation_history
"""


def state_sql(param: str) -> str:
    """SQL of the observations after refresh $param."""
    return (
        f"SELECT * FROM ({VERSIONS}) WHERE loaded_by <= ${param} "
        f"AND (superseded_by IS NULL OR superseded_by > ${param})"
    )


def data_refreshes(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Refreshes that changed data, oldest first."""
    return [r[0] for r in con.execute(
        "SELECT refresh_id FROM refreshes WHERE status = 'ok' ORDER BY refresh_id"
    ).fetchall()]  # fmt: skip


def resolve_pair(con, a: int | None, b: int | None) -> tuple[int, int]:
    """Default: the last two refreshes that changed data (A = 0 if there is only one)."""
    done = data_refreshes(con)
    if not done:
        raise FisError("no refresh has changed data yet")
    known = {r[0] for r in con.execute("SELECT refresh_id FROM refreshes").fetchall()} | {0}
    for x in (a, b):
        if x is not None and x not in known:
            raise FisError(f"unknown refresh {x}; see 'fis status'")
    b = b if b is not None else done[-1]
    if a is None:
        earlier = [r for r in done if r < b]
        a = earlier[-1] if earlier else 0
    if a >= b:
        raise FisError(f"refresh A ({a}) must be older than B ({b})")
    return a, b


def diff(con, a: int | None = None, b: int | None = None) -> Table:
    """Cells that differ between the states after refreshes A and B: new, revised, withdrawn."""
    a, b = resolve_pair(con, a, b)
    rows = con.execute(
        f"""
        WITH sa AS ({state_sql("a")}), sb AS ({state_sql("b")})
        SELECT CASE WHEN sa.value IS NULL AND sa.status IS NULL THEN 'neu'
                    WHEN sb.value IS NULL AND sb.status IS NULL THEN 'zurückgezogen'
                    ELSE 'revidiert' END AS change,
               coalesce(sb.pipeline, sa.pipeline) AS source,
               coalesce(sb.variable_id, sa.variable_id) AS variable_id,
               coalesce(sb.region_key, sa.region_key) AS region_key,
               coalesce(sb.period, sa.period) AS period,
               sa.value AS old_value, sa.status AS old_status,
               sb.value AS new_value, sb.status AS new_status,
               round(100 * (sb.value - sa.value) / nullif(sa.value, 0), 2) AS change_pct,
               (SELECT string_agg(indicator_id, ' ' ORDER BY indicator_id) FROM indicators i
                WHERE regexp_matches(i.numerator || ' ' || coalesce(i.denominator, ''),
                                     '\\b' || coalesce(sb.variable_id, sa.variable_id) || '\\b')
               ) AS indicators
        FROM sa FULL OUTER JOIN sb USING (variable_id, region_key, period, pipeline)
        WHERE sa.value IS DISTINCT FROM sb.value OR sa.status IS DISTINCT FROM sb.status
        ORDER BY change, source, variable_id, region_key, period
        """,
        {"a": a, "b": b},
    ).fetchall()
    cols = ["change", "source", "variable_id", "region_key", "period", "old_value", "old_status",
            "new_value", "new_status", "change_pct", "indicators"]  # fmt: skip
    counts = {}
    for r in rows:
        counts[(r[0], r[1])] = counts.get((r[0], r[1]), 0) + 1
    summary = "; ".join(f"{src}: {n} {kind}" for (kind, src), n in sorted(counts.items()))
    return Table(cols, rows, title=f"Änderungen von Refresh {a} zu {b}: {summary or 'keine'}")
