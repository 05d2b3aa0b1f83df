"""Effective variable values: pick the preferred source, then sum counts up the hierarchy.

Counts (aggregation 'sum') are summed from the child regions valid in that period, only where
every expected child has a value; a delivered higher-level value always wins, and where both
exist both are kept in the table `sum_comparisons` for the sum_of_children rule
(checks.py). Medians, means and flows across boundaries
(aggregation 'none') are never summed.
"""

from __future__ import annotations

import duckdb

from fis.warehouse.schema import OTHER_SOURCES_SQL, PREFERRED_SOURCES_SQL

# One step per child level, bottom-up. A Kreis's parent is its Regierungsbezirk where the Land
# has them, else the Land, so each region is summed into exactly one parent.
GEMEINDE_LEVELS = ("gemeinde", "gemeindefrei")
_GEMEINDE_SQL = ", ".join(f"'{level}'" for level in GEMEINDE_LEVELS)
STEPS = [
    (GEMEINDE_LEVELS, ("kreis",)),
    (("kreis",), ("regbez", "land")),
    (("regbez",), ("land",)),
    (("land",), ("staat",)),
]


def build_variable_values(con: duckdb.DuckDBPyConnection, scoped: bool = False) -> None:
    """Rebuild the stored part of variable_values (see schema.py) and sum_comparisons.

    variable_values is a view: the deliveries of each variable's preferred source (table
    preferred_sources), and the table variable_values_derived with the deliveries of other
    sources where the preferred one has none, and the sums.
    scoped: only the (variable, period) pairs in the temp table `touched` (derived.py) — a
    value of a variable in a year depends on the observations of that variable and year alone
    (given the regions), so the other pairs stay as they are.
    """
    _find_preferred_sources(con, scoped)
    if scoped:
        for table in ("variable_values_derived", "sum_comparisons"):
            con.execute(
                f"DELETE FROM {table} t USING touched s "
                "WHERE t.variable_id = s.variable_id AND t.period = s.period"
            )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE agg_observations AS "
            "SELECT * FROM observations SEMI JOIN touched USING (variable_id, period)"
        )
        source = "agg_observations"
    else:
        con.execute("DELETE FROM variable_values_derived")
        con.execute("DELETE FROM sum_comparisons")
        source = "observations"
    # The preferred delivery of a cell is the one with the lowest (priority, pipeline); a '-'
    # of a region that did not exist then (value NULL) is "not applicable" and delivers
    # nothing. Deliveries of a variable's preferred source always win, and the view shows
    # them; stored here are the winners from other sources, in cells where the preferred
    # source delivers nothing (Germany scale: 1,045 of 6.3 million cells of variables from
    # several sources; a ranking of all of them cost 4 s). Most of the other sources' 5.4
    # million deliveries lie inside a gapless run of years the preferred source delivers for
    # that variable and region; only the rest are looked up cell by cell, and those few are
    # the side DuckDB builds its hash table on (1.3-1.9 -> 1.0-1.1 s, the same rows).
    con.execute(
        f"""
        INSERT INTO variable_values_derived
        WITH preferred AS NOT MATERIALIZED (
            SELECT variable_id, region_key, period FROM {source}
            ANTI JOIN other_sources USING (variable_id, priority, pipeline)
            WHERE variable_id IN (SELECT variable_id FROM other_sources)
              AND NOT (value IS NULL AND status = '-')
        ),
        others AS (
            SELECT * FROM {source} SEMI JOIN other_sources USING (variable_id, priority, pipeline)
            WHERE NOT (value IS NULL AND status = '-')
        ),
        spans AS (
            SELECT variable_id, region_key, min(period) AS lo, max(period) AS hi,
                   count(*) = max(period) - min(period) + 1 AS gapless
            FROM preferred GROUP BY variable_id, region_key
        ),
        unsure AS MATERIALIZED (
            SELECT o.* FROM others o LEFT JOIN spans s USING (variable_id, region_key)
            WHERE s.region_key IS NULL OR NOT (s.gapless AND o.period BETWEEN s.lo AND s.hi)
        ),
        delivered_too AS (
            SELECT * FROM preferred SEMI JOIN unsure USING (variable_id, region_key, period)
        )
        SELECT variable_id, region_key, period, value, status, pipeline
        FROM (
            SELECT *, row_number() OVER (
                PARTITION BY variable_id, region_key, period ORDER BY priority, pipeline) AS rn
            FROM (SELECT * FROM unsure ANTI JOIN delivered_too
                  USING (variable_id, region_key, period))
        ) WHERE rn = 1
        """
    )
    # Cells that are only "not applicable" ('-' of a region that did not exist): those whose
    # every delivery is such a '-'. A variable from one pipeline has one delivery per cell,
    # so only the cells of variables from several pipelines need a look at the other
    # deliveries; those few cells first (Germany scale: 1,998 of 51,951), so that DuckDB
    # reads only their observations (0.7-1.0 -> 0.1 s).
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE not_applicable AS
        WITH na AS (
            SELECT DISTINCT variable_id, region_key, period FROM {source}
            WHERE value IS NULL AND status = '-'
        ),
        na_several AS MATERIALIZED (
            SELECT * FROM na WHERE variable_id IN (SELECT variable_id FROM other_sources)
        )
        SELECT * FROM na ANTI JOIN (
            SELECT o.variable_id, o.region_key, o.period FROM {source} o
            SEMI JOIN na_several USING (variable_id, region_key, period)
            WHERE NOT (o.value IS NULL AND o.status = '-')
        ) d USING (variable_id, region_key, period)
        """
    )
    # the children's values: in a scoped run only those of the touched pairs
    kids_scope = "SEMI JOIN touched USING (variable_id, period)" if scoped else ""
    # The values of the regions above the Gemeinden: the parents of every step and the
    # children of all but the first. Read from the observations once, not twice per step
    # (Germany scale: 9 s -> 1 s); the sums each step adds are in variable_values_derived.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE upper_delivered AS
        SELECT v.variable_id, v.region_key, v.period, v.value, v.status, v.pipeline
        FROM variable_values v {kids_scope}
        WHERE v.pipeline IS NOT NULL AND v.region_key IN (
            SELECT region_key FROM regions WHERE level NOT IN ({_GEMEINDE_SQL}))
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP VIEW upper_values AS
        SELECT * FROM upper_delivered
        UNION ALL
        SELECT variable_id, region_key, period, value, status, pipeline
        FROM variable_values_derived WHERE pipeline IS NULL
        """
    )
    for levels, parents in STEPS:
        _aggregate_step(con, list(levels), list(parents), kids_scope)
    _aggregate_jugendaemter(con, kids_scope)
    con.execute("DROP VIEW upper_values")
    con.execute("DROP TABLE upper_delivered")
    if scoped:
        con.execute("DROP TABLE agg_observations")


def _aggregate_step(
    con: duckdb.DuckDBPyConnection, levels: list[str], parents: list[str], kids_scope: str
) -> None:
    """Sum children of the given levels into parents of the next level; record disagreements.

    A child whose parent is of another level (a gemeindefreies Gebiet filed directly under its
    Land) is not summed there: it would make a Land of one child look complete.
    """
    kid_source = "variable_values" if set(levels) & set(GEMEINDE_LEVELS) else "upper_values"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE agg_candidates AS
        WITH kids AS (
            SELECT c.region_key, c.parent_key, c.historical
            FROM regions c JOIN regions p ON p.region_key = c.parent_key
            WHERE c.level IN (SELECT unnest($levels)) AND p.level IN (SELECT unnest($parents))
        ),
        n_kids AS (
            SELECT parent_key, count(*) FILTER (WHERE NOT historical) AS n_current
            FROM kids GROUP BY parent_key
        ),
        sum_vars AS (SELECT variable_id FROM variables WHERE aggregation = 'sum'),
        kid_values AS (
            SELECT v.variable_id, v.region_key, v.period, v.value, v.status, v.pipeline,
                   k.parent_key, k.historical
            FROM {kid_source} v {kids_scope} JOIN kids k USING (region_key)
            WHERE v.variable_id IN (SELECT variable_id FROM sum_vars)
        ),
        -- Summed per source and status first, so that the DISTINCT lists below see a row
        -- per source of a cell, not one per child (Gemeinden to Kreise at Germany scale:
        -- 2.2-2.5 -> 1.9 s, the same rows)
        by_source AS (
            SELECT parent_key, variable_id, period, pipeline, status,
                   count(*) AS n, count(*) FILTER (WHERE historical) AS n_former,
                   -- exact decimal sums: the same inputs give the same bits in any order
                   sum(value::DECIMAL(38, 9)) AS value, bool_or(value IS NULL) AS any_secret
            FROM kid_values GROUP BY ALL
        ),
        present AS (
            SELECT parent_key AS region_key, variable_id, period,
                   sum(n)::BIGINT AS n_present, sum(n_former)::BIGINT AS n_former,
                   sum(value)::DOUBLE AS value, bool_or(any_secret) AS any_secret,
                   list(DISTINCT pipeline) FILTER (WHERE pipeline IS NOT NULL)
                       AS child_pipelines,
                   string_agg(DISTINCT status, '') FILTER (WHERE status NOT IN ('', '-'))
                       AS flags
            FROM by_source GROUP BY ALL
        ),
        not_there AS (
            -- current children that did not exist in that period are not expected
            SELECT k.parent_key AS region_key, n.variable_id, n.period, count(*) AS n_na
            FROM not_applicable n JOIN kids k ON k.region_key = n.region_key
            WHERE NOT k.historical
            GROUP BY ALL
        )
        -- expected: every current child of the register unless it did not exist then, and
        -- former children where they delivered something for that period
        SELECT p.region_key, p.variable_id, p.period,
               nk.n_current - coalesce(nt.n_na, 0) + p.n_former AS n_expected,
               p.n_present, p.value, p.any_secret, p.child_pipelines, p.flags
        FROM present p JOIN n_kids nk ON nk.parent_key = p.region_key
        LEFT JOIN not_there nt USING (region_key, variable_id, period)
        """,
        {"levels": levels, "parents": parents},
    )
    _apply_candidates(con)


def _aggregate_jugendaemter(con: duckdb.DuckDBPyConnection, kids_scope: str) -> None:
    """Sum Gemeinde counts into the Jugendämter that serve them (jugendamt_members).

    The expected children are the members valid in the period; one candidate row per
    Jugendamt with the exact sum and whether every member is present.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE agg_candidates AS
        WITH sum_vars AS (SELECT variable_id FROM variables WHERE aggregation = 'sum'),
        kid_values AS (
            SELECT v.variable_id, v.region_key, v.period, v.value, v.status, v.pipeline
            FROM variable_values v {kids_scope} JOIN regions r USING (region_key)
            WHERE r.level = 'gemeinde' AND v.variable_id IN (SELECT variable_id FROM sum_vars)
              AND v.region_key IN (SELECT gemeinde_key FROM jugendamt_members)
        ),
        periods AS (SELECT DISTINCT variable_id, period FROM kid_values),
        expected AS (
            SELECT m.jugendamt_key AS parent_key, m.gemeinde_key AS region_key, p.variable_id,
                   p.period
            FROM jugendamt_members m CROSS JOIN periods p
            WHERE (m.valid_from IS NULL OR p.period >= m.valid_from)
              AND (m.valid_to IS NULL OR p.period <= m.valid_to)
        ),
        expected_valid AS (
            SELECT e.* FROM expected e
            ANTI JOIN not_applicable n
              ON n.variable_id = e.variable_id AND n.region_key = e.region_key AND n.period = e.period
        )
        SELECT e.parent_key AS region_key, e.variable_id, e.period,
               count(*) AS n_expected, count(kv.region_key) AS n_present,
               -- exact decimal sum: the same inputs give the same bits in any order
               sum(kv.value::DECIMAL(38, 9))::DOUBLE AS value,
               bool_or(kv.region_key IS NOT NULL AND kv.value IS NULL) AS any_secret,
               list(DISTINCT kv.pipeline) FILTER (WHERE kv.pipeline IS NOT NULL) AS child_pipelines,
               string_agg(DISTINCT kv.status, '') FILTER (WHERE kv.status NOT IN ('', '-')) AS flags
        FROM expected_valid e
        LEFT JOIN kid_values kv
          ON kv.region_key = e.region_key AND kv.variable_id = e.variable_id AND kv.period = e.period
        GROUP BY ALL
        """
    )
    _apply_candidates(con)


def _apply_candidates(con: duckdb.DuckDBPyConnection) -> None:
    """Turn agg_candidates into comparisons (delivered too) or aggregated values (not delivered)."""
    # Where the parent is delivered too: keep the delivered value, compare later (checks.py).
    con.execute(
        """
        INSERT INTO sum_comparisons
        SELECT a.variable_id, a.region_key, a.period, v.value, v.pipeline, a.value, a.n_present,
               a.child_pipelines
        FROM agg_candidates a JOIN upper_values v USING (variable_id, region_key, period)
        WHERE a.n_present = a.n_expected AND NOT a.any_secret AND v.value IS NOT NULL
        """
    )
    # Where the parent is not delivered and every child is present: the sum is the value.
    con.execute(
        """
        INSERT INTO variable_values_derived
        SELECT a.variable_id, a.region_key, a.period,
               CASE WHEN a.any_secret THEN NULL ELSE a.value END,
               CASE WHEN a.any_secret THEN '.' ELSE coalesce(a.flags, '') END, NULL
        FROM agg_candidates a
        ANTI JOIN upper_values v USING (variable_id, region_key, period)
        WHERE a.n_present = a.n_expected AND a.n_expected > 0
          AND a.region_key IN (SELECT region_key FROM regions)
        """
    )


def _find_preferred_sources(con: duckdb.DuckDBPyConnection, scoped: bool) -> None:
    """Set preferred_sources (per variable the lowest priority and pipeline delivering it)
    and other_sources (the others delivering it: the view variable_values leaves their rows
    out, and its variables are those with several sources).

    In a scoped run, a variable whose preferred source changes (a new, better source for it)
    has all its years added to `touched`: which of its rows are stored changes with it.
    """
    con.execute(
        "CREATE OR REPLACE TEMP TABLE variable_sources AS "
        "SELECT DISTINCT variable_id, priority, pipeline FROM observations"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE preferred_now AS "
        + PREFERRED_SOURCES_SQL.format(source="variable_sources")
    )
    if scoped:
        con.execute(
            """
            INSERT INTO touched
            SELECT DISTINCT variable_id, period FROM observations
            WHERE variable_id IN (
                SELECT variable_id FROM (
                    (SELECT * FROM preferred_now EXCEPT SELECT * FROM preferred_sources)
                    UNION ALL
                    (SELECT * FROM preferred_sources EXCEPT SELECT * FROM preferred_now)
                )
            )
            EXCEPT SELECT variable_id, period FROM touched
            """
        )
    con.execute("DELETE FROM preferred_sources")
    con.execute("INSERT INTO preferred_sources SELECT * FROM preferred_now")
    con.execute("DELETE FROM other_sources")
    con.execute("INSERT INTO other_sources " + OTHER_SOURCES_SQL.format(source="variable_sources"))
    con.execute("DROP TABLE preferred_now")
    con.execute("DROP TABLE variable_sources")
