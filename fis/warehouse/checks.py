"""Plausibility rules run as SQL inside the warehouse after each refresh; results → findings.

Each rule writes one finding per offending cell (rule, severity, indicator or variable, region,
period, observed value, expected range, message) and a pass count row, so that a refresh's
findings say what was checked as well as what failed.
"""

from __future__ import annotations

import duckdb


def indicator_ranges(con: duckdb.DuckDBPyConnection, refresh_id: int) -> int:
    """Indicator values outside the catalogue's plausible range (warning)."""
    n = con.execute(
        """
        INSERT INTO findings
        SELECT $rid, 'indicator_range', 'warning', NULL, iv.indicator_id, iv.region_key,
               iv.period, iv.value, NULL,
               format('{} {} {}: {} liegt außerhalb des plausiblen Bereichs {} bis {} {}',
                      i.short, iv.region_key, iv.period, round(iv.value, 2), i.range_min,
                      i.range_max, i.unit)
        FROM indicator_values iv JOIN indicators i USING (indicator_id)
        WHERE iv.value IS NOT NULL AND (iv.value < i.range_min OR iv.value > i.range_max)
        """,
        {"rid": refresh_id},
    ).fetchone()[0]
    _passes(
        con,
        refresh_id,
        "indicator_range",
        "SELECT count(*) FROM indicator_values WHERE value IS NOT NULL",
        n,
    )
    return n


def _passes(con, refresh_id: int, rule: str, total_sql: str, failed: int) -> None:
    """One summary row: how many cells the rule checked and how many passed."""
    total = con.execute(total_sql).fetchone()[0]
    con.execute(
        "INSERT INTO findings VALUES (?, ?, 'pass', NULL, NULL, NULL, NULL, ?, ?, ?)",
        [
            refresh_id,
            rule,
            total - failed,
            total,
            f"{rule}: {total - failed} von {total} Werten in Ordnung",
        ],
    )


def run_all(con: duckdb.DuckDBPyConnection, refresh_id: int) -> int:
    """Every rule; returns the number of findings (warnings and errors)."""
    return indicator_ranges(con, refresh_id)
