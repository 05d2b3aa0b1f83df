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


def impossible_counts(con: duckdb.DuckDBPyConnection, refresh_id: int) -> int:
    """Errors: a head count (31.12.) above the region's population, or a population more than
    ten times the register's. Each names the file and line the value came from."""
    n = con.execute(
        """
        INSERT INTO findings
        SELECT $rid, 'count_above_population', 'error', v.variable_id, NULL, v.region_key,
               v.period, v.value, p.value,
               format('{}:{}: impossible value: {} {} of {} ({}) exceeds its population {}',
                      s.path, o.line, v.variable_id, v.value, v.region_key, v.period, p.value)
        FROM variable_values v
        JOIN variables var USING (variable_id)
        JOIN variable_values p ON p.variable_id = 'bev_insg' AND p.region_key = v.region_key
                              AND p.period = v.period
        JOIN observations o ON o.variable_id = v.variable_id AND o.region_key = v.region_key
                           AND o.period = v.period AND o.pipeline = v.pipeline
        JOIN sources s ON s.sha256 = o.source_sha256
        WHERE var.unit = 'Personen' AND var.stichtag = '31.12.' AND var.aggregation = 'sum'
          AND v.variable_id <> 'bev_insg' AND v.value > p.value
        UNION ALL
        SELECT $rid, 'population_above_register', 'error', 'bev_insg', NULL, v.region_key,
               v.period, v.value, 10 * r.population,
               format('{}:{}: impossible value: population {} of {} ({}) is more than ten times '
                      'the register''s {}', s.path, o.line, v.value, v.region_key, v.period,
                      r.population)
        FROM variable_values v
        JOIN regions r USING (region_key)
        JOIN observations o ON o.variable_id = v.variable_id AND o.region_key = v.region_key
                           AND o.period = v.period AND o.pipeline = v.pipeline
        JOIN sources s ON s.sha256 = o.source_sha256
        -- only where the register states the figure itself (a Gemeinde record), not a sum
        WHERE v.variable_id = 'bev_insg' AND r.population > 0 AND v.value > 10 * r.population
          AND (r.level = 'gemeinde' OR r.kreisfrei)
        """,
        {"rid": refresh_id},
    ).fetchone()[0]
    return n


def first_error(con: duckdb.DuckDBPyConnection, refresh_id: int) -> str | None:
    """The message of the first error finding of this refresh, if any."""
    row = con.execute(
        "SELECT message, count(*) OVER () FROM findings WHERE refresh_id = ? AND severity = 'error' "
        "ORDER BY rule, region_key, period LIMIT 1",
        [refresh_id],
    ).fetchone()
    if row is None:
        return None
    more = f" (and {row[1] - 1} more)" if row[1] > 1 else ""
    return row[0] + more


def run_all(con: duckdb.DuckDBPyConnection, refresh_id: int) -> int:
    """Every rule; returns the number of findings (warnings and errors)."""
    return impossible_counts(con, refresh_id) + indicator_ranges(con, refresh_id)
