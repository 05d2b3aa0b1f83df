"""Plausibility rules run as SQL inside the warehouse after each refresh; results → findings.

Each rule writes one finding per offending cell (rule, severity, indicator or variable, region,
period, observed value, expected value or bound, message) and a pass row counting the cells it
checked, so that a refresh's findings say what was checked as well as what failed. Thresholds
and severities come from rules.yaml (fis/rules.py); a rule with severity `off` does not run.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from fis.rules import Rules

# Units of variables that are no counts (money, areas, durations): no Poisson floor for them.
MEASURE_UNITS = ("EUR", "EUR/m²", "km²", "m", "m²", "Jahre", "Monate", "VZÄ")
# Units of variables that count people or cases: small values can identify someone.
PERSON_UNITS = ("Personen", "Kinder", "Fälle", "Hilfen", "Haushalte", "BG", "Verfahren",
                "Maßnahmen", "Anmeldungen")  # fmt: skip


@dataclass(frozen=True)
class Context:
    """What a rule may need beyond its own settings."""

    refresh_id: int
    focus: str
    comparison: tuple[str, ...]
    # Set when only the pairs in the temp table `touched` were recomputed (derived.py): the
    # refresh whose findings hold for everything else.
    carry_from: int | None = None


def _insert(con, ctx: Context, rule: str, severity: str, select_sql: str, params: dict) -> int:
    """INSERT the rows of `select_sql` (columns after refresh_id, rule, severity) as findings."""
    return con.execute(
        f"INSERT INTO findings SELECT $rid, '{rule}', $sev, * FROM ({select_sql})",
        {"rid": ctx.refresh_id, "sev": severity, **params},
    ).fetchone()[0]


def _passes(con, ctx: Context, rule: str, total: int, failed: int) -> None:
    """One summary row: how many cells the rule checked and how many passed."""
    con.execute(
        "INSERT INTO findings VALUES (?, ?, 'pass', NULL, NULL, NULL, NULL, ?, ?, ?)",
        [ctx.refresh_id, rule, total - failed, total,
         f"{rule}: {total - failed} von {total} Werten in Ordnung"],
    )  # fmt: skip


def _count(con, sql: str, params: dict | None = None) -> int:
    return con.execute(sql, params or {}).fetchone()[0]


# -- indicator values ---------------------------------------------------------------------------

_SHARE = "i.unit = '%' AND i.range_min >= 0 AND i.range_max <= 100"


def indicator_range(con, ctx: Context, rules: Rules) -> int:
    """Indicator values outside the catalogue's plausible range (shares above 100 excepted:
    they are the share_above_100 rule's)."""
    skip = (
        f"AND NOT ({_SHARE} AND iv.value > 100)" if rules.share_above_100.severity != "off" else ""
    )
    n = _insert(con, ctx, "indicator_range", rules.indicator_range.severity, f"""
        SELECT NULL, iv.indicator_id, iv.region_key, iv.period, iv.value, NULL,
               format('{{}} {{}} {{}}: {{}} liegt außerhalb des plausiblen Bereichs {{}} bis {{}} {{}}',
                      i.short, iv.region_key, iv.period, round(iv.value, 2), i.range_min,
                      i.range_max, i.unit)
        FROM indicator_values iv JOIN indicators i USING (indicator_id)
        WHERE iv.value IS NOT NULL AND (iv.value < i.range_min OR iv.value > i.range_max) {skip}
        """, {})  # fmt: skip
    _passes(con, ctx, "indicator_range",
            _count(con, "SELECT count(*) FROM indicator_values WHERE value IS NOT NULL"), n)  # fmt: skip
    return n


def share_above_100(con, ctx: Context, rules: Rules) -> int:
    """A share (unit %, catalogue range within 0..100) above 100: the numerator exceeds the
    denominator, which no real population can do."""
    n = _insert(con, ctx, "share_above_100", rules.share_above_100.severity, f"""
        SELECT NULL, iv.indicator_id, iv.region_key, iv.period, iv.value, 100,
               format('impossible share: {{}} of {{}} ({{}}) is {{}} % (numerator {{}} > '
                      'denominator {{}})', iv.indicator_id, iv.region_key, iv.period,
                      round(iv.value, 1), iv.numerator, iv.denominator)
        FROM indicator_values iv JOIN indicators i USING (indicator_id)
        WHERE {_SHARE} AND iv.value > 100
        """, {})  # fmt: skip
    _passes(con, ctx, "share_above_100", _count(con, f"""
        SELECT count(*) FROM indicator_values iv JOIN indicators i USING (indicator_id)
        WHERE {_SHARE} AND iv.value IS NOT NULL"""), n)  # fmt: skip
    return n


# -- impossible counts --------------------------------------------------------------------------

_SOURCE_OF = """
        JOIN observations o ON o.variable_id = v.variable_id AND o.region_key = v.region_key
                           AND o.period = v.period AND o.pipeline = v.pipeline
        JOIN sources s ON s.sha256 = o.source_sha256"""


def count_above_population(con, ctx: Context, rules: Rules) -> int:
    """A head count (31.12.) above the region's population; names the file and line.

    After a scoped recomputation only the variables and years touched (or whose population
    was) are checked again; the earlier findings on the others still hold and are carried.
    """
    rule = "count_above_population"
    heads = """var.unit = 'Personen' AND var.stichtag = '31.12.' AND var.aggregation = 'sum'
               AND var.variable_id <> 'bev_insg'"""
    counts = "variable_values"
    carried = 0
    if ctx.carry_from is not None:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE cap_scope AS
               SELECT variable_id, period FROM touched
               UNION SELECT v.variable_id, t.period FROM variables v, touched t
                     WHERE t.variable_id = 'bev_insg'"""
        )
        counts = "(SELECT * FROM variable_values SEMI JOIN cap_scope USING (variable_id, period))"
        carried = _carry(con, ctx, rule, "cap_scope", ("variable_id", "period"))
    # The impossible values first, then their file and line: joined to the observations
    # before the comparison, DuckDB matched all ~14 M counts there (Germany scale: 5 s).
    n = _insert(con, ctx, rule, rules.count_above_population.severity, f"""
        WITH v AS MATERIALIZED (
            SELECT v.variable_id, v.region_key, v.period, v.value, v.pipeline,
                   p.value AS population
            FROM {counts} v
            JOIN variables var USING (variable_id)
            JOIN variable_values p ON p.variable_id = 'bev_insg' AND p.region_key = v.region_key
                                  AND p.period = v.period
            WHERE {heads} AND v.value > p.value
        )
        SELECT v.variable_id, NULL, v.region_key, v.period, v.value, v.population,
               format('{{}}:{{}}: impossible value: {{}} {{}} of {{}} ({{}}) exceeds its population {{}}',
                      s.path, o.line, v.variable_id, v.value, v.region_key, v.period, v.population)
        FROM v {_SOURCE_OF}
        """, {})  # fmt: skip
    # Checked: the values with a population beside them (counted per region and year first:
    # at Germany scale 0.3 s instead of 0.7 s for the join of ~10 M values).
    _passes(con, ctx, rule, _count(con, f"""
        WITH c AS (
            SELECT region_key, period, count(*) AS n FROM variable_values
            WHERE variable_id IN (SELECT variable_id FROM variables var WHERE {heads})
              AND value IS NOT NULL
            GROUP BY region_key, period
        )
        SELECT coalesce(sum(n), 0) FROM c SEMI JOIN variable_values p
            ON p.variable_id = 'bev_insg' AND p.region_key = c.region_key AND p.period = c.period
        """), n + carried)  # fmt: skip
    return n + carried


def _carry(con, ctx: Context, rule: str, scope: str, keys: tuple[str, ...]) -> int:
    """Copy the rule's findings of ctx.carry_from outside `scope` (a table of `keys`)."""
    on = " AND ".join(f"f.{k} = s.{k}" for k in keys)
    return con.execute(
        f"""INSERT INTO findings
            SELECT $rid, f.rule, f.severity, f.variable_id, f.indicator_id, f.region_key,
                   f.period, f.observed, f.expected, f.message
            FROM findings f ANTI JOIN {scope} s ON {on}
            WHERE f.refresh_id = $prev AND f.rule = $rule AND f.severity <> 'pass'""",
        {"rid": ctx.refresh_id, "prev": ctx.carry_from, "rule": rule},
    ).fetchone()[0]


def population_above_register(con, ctx: Context, rules: Rules) -> int:
    """A population more than `factor` times the register's (a Gemeinde's own record)."""
    rule = rules.population_above_register
    where = """v.variable_id = 'bev_insg' AND r.population > 0
               AND (r.level = 'gemeinde' OR r.kreisfrei)"""
    n = _insert(con, ctx, "population_above_register", rule.severity, f"""
        SELECT 'bev_insg', NULL, v.region_key, v.period, v.value, $factor * r.population,
               format('{{}}:{{}}: impossible value: population {{}} of {{}} ({{}}) is more than '
                      '{{}} times the register''s {{}}', s.path, o.line, v.value, v.region_key,
                      v.period, printf('%g', $factor), r.population)
        FROM variable_values v JOIN regions r USING (region_key)
        {_SOURCE_OF}
        WHERE {where} AND v.value > $factor * r.population
        """, {"factor": rule.factor})  # fmt: skip
    _passes(con, ctx, "population_above_register", _count(con, f"""
        SELECT count(*) FROM variable_values v JOIN regions r USING (region_key)
        WHERE {where} AND v.value IS NOT NULL"""), n)  # fmt: skip
    return n


# -- sums, jumps, revisions, completeness, disclosure ------------------------------------------


def sum_of_children(con, ctx: Context, rules: Rules) -> int:
    """Children (Gemeinden, Kreise, ...) that do not add up to the delivered parent value.

    Uses the comparisons recorded by aggregate.build_variable_values; sources whose cells are
    perturbed (Zensus 2022) get their own, wider tolerance.
    """
    rule = rules.sum_of_children
    pipelines = [r[0] for r in con.execute("SELECT DISTINCT pipeline FROM observations").fetchall()]
    perturbed = [p for p in pipelines
                 if any(fnmatch.fnmatch(p, g) for g in rule.perturbed.pipelines)]  # fmt: skip
    n = _insert(con, ctx, "sum_of_children", rule.severity, """
        WITH c AS (
            SELECT *, (pipeline IN (SELECT unnest($pert::VARCHAR[]))
                       OR list_has_any(child_pipelines, $pert::VARCHAR[])) AS perturbed
            FROM sum_comparisons
        ), t AS (
            SELECT *, CASE WHEN perturbed THEN greatest($pabs, $prel * abs(delivered))
                           ELSE greatest($abs, $rel * abs(delivered)) END AS tol
            FROM c
        )
        SELECT variable_id, NULL, region_key, period, delivered, children_sum,
               format('{} {}: Summe der {} Teilgebiete {} weicht vom gelieferten Wert {} ab '
                      '({}; Toleranz {})', variable_id, period, n_children, children_sum,
                      delivered, coalesce(pipeline, 'aggregiert'), round(tol, 1))
        FROM t WHERE abs(children_sum - delivered) > tol
        """, {"pert": perturbed, "abs": rule.tolerance.absolute, "rel": rule.tolerance.relative,
              "pabs": rule.perturbed.absolute, "prel": rule.perturbed.relative})  # fmt: skip
    _passes(con, ctx, "sum_of_children", _count(con, "SELECT count(*) FROM sum_comparisons"), n)
    return n


def _scored_years(years: list[int], breaks) -> list[int]:
    """The years a change is scored into: the year before is there too, and no break."""
    have = set(years)
    return [p for p in years if p - 1 in have and p not in breaks]


def _yoy_sql(years: list[int], breaks, scope: str = "") -> str:
    """One row: `total`, the number of scored changes, `periods`, the years a change can lead
    into, and `candidates`, the series with at least one flagged change (their changes as
    lists along `periods`; _YOY_FLAGGED picks the flagged ones).

    Each series (variable, region) becomes one row with a column v{year} per year (a pivot by
    plain max aggregates: far cheaper than window + lag + grouped medians over ~30 M values).
    Per series, plain expressions count its changes (v{p} - v{p-1} where both exist and p is
    no break year) and tell whether one of them is large enough to be flagged at all (at
    least min_relative of the previous value and, for counts, at least min_change): ~15 % of
    the series at Germany scale. Only those get three lists along `periods`, the changes, the
    previous values and the values, and the median and MAD of their changes (list_median,
    NULLs skipped). Building the lists for every series took 0.7 of 4.2 s at Germany scale.
    """
    ch = _scored_years(years, breaks)
    pivot = ",\n                   ".join(
        f"max(CASE WHEN period = {p} THEN value END) AS v{p}" for p in years
    )
    change = {p: f"(v{p} - v{p - 1})" for p in ch}
    n = " + ".join(f"({change[p]} IS NOT NULL)::INTEGER" for p in ch)
    big = " OR ".join(_YOY_BIG.replace("x.c", change[p]).replace("x.p", f"v{p - 1}") for p in ch)
    changes = ", ".join(change.values())
    prevs = ", ".join(f"v{p - 1}" for p in ch)
    values = ", ".join(f"v{p}" for p in ch)
    return f"""
        WITH w AS (
            SELECT variable_id, region_key,
                   {pivot}
            FROM variable_values
            WHERE origin = 'delivered' AND value IS NOT NULL {scope}
            GROUP BY variable_id, region_key
        ), c AS (
            SELECT w.*, var.unit NOT IN (SELECT unnest($measures::VARCHAR[])) AS is_count
            FROM w JOIN variables var USING (variable_id)
        ), b AS MATERIALIZED (  -- read twice: the candidates and the total
            SELECT *, {n} AS n, {big} AS big FROM c
        ), k AS (
            SELECT variable_id, region_key, is_count,
                   [{changes}] AS changes, [{prevs}] AS prevs, [{values}] AS vals
            FROM b WHERE n >= $min_changes AND big
        ), m AS (
            SELECT *, list_median(changes) AS med,
                   list_transform(list_zip(changes, prevs),
                                  lambda z: {{'c': z[1], 'p': z[2]}}) AS cp
            FROM k
        ), sc AS (
            SELECT *, 1.4826 * list_median(list_transform(changes, lambda x: abs(x - med)))
                          AS scale
            FROM m
        ), f AS (
            SELECT *, CASE WHEN scale IS NOT NULL
                           THEN list_bool_or(list_transform(cp, lambda x:
                                    abs(x.c - med) > $z * {_YOY_FLOOR.format(prev="x.p")}
                                    AND {_YOY_BIG}))
                      END AS flag
            FROM sc
        )
        SELECT (SELECT coalesce(sum(n) FILTER (WHERE n >= $min_changes), 0) FROM b) AS total,
               {ch}::INTEGER[] AS periods,
               list({{'variable_id': variable_id, 'region_key': region_key,
                      'is_count': is_count, 'med': med, 'scale': scale,
                      'changes': changes, 'prevs': prevs, 'vals': vals}})
                   FILTER (WHERE flag) AS candidates
        FROM f
"""


# A change x.c from the previous value x.p is large enough to be reported at all.
_YOY_BIG = "(abs(x.c) >= $min_rel * abs(x.p) AND (NOT is_count OR abs(x.c) >= $min_change))"
# The scale a change is judged by: counts vary by chance at least like a Poisson count (sd of
# a change ≈ √(2n)); other measures by at least 1 % of their value.
_YOY_FLOOR = (
    "greatest(scale, CASE WHEN is_count THEN sqrt(2 * abs({prev})) ELSE 0.01 * abs({prev}) END)"
)

# The flagged changes, from the one row of the temp table yoy.
_YOY_FLAGGED = f"""
        SELECT * FROM (
            SELECT *, {_YOY_FLOOR.format(prev="prev")} AS floor_scale
            FROM (SELECT c.variable_id, c.region_key, c.is_count, c.med, c.scale,
                         unnest(periods) AS period, unnest(c.vals) AS value,
                         unnest(c.prevs) AS prev, unnest(c.changes) AS change
                  FROM (SELECT unnest(candidates) AS c, periods FROM yoy))
        )
        WHERE abs(change - med) > $z * floor_scale
          AND abs(change) >= $min_rel * abs(prev)
          AND (NOT is_count OR abs(change) >= $min_change)
"""


def _yoy_run(con, rule, years: list[int], scope: str = "") -> None:
    """Fill the temp table yoy (one row: total, periods, candidates) for the series of the
    variables `scope` selects (a condition on variable_id; all if empty)."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE yoy AS {_yoy_sql(years, rule.break_periods, scope)}",
        {
            "measures": list(MEASURE_UNITS),
            "min_changes": rule.min_changes,
            "z": rule.z,
            "min_rel": rule.min_relative,
            "min_change": rule.min_change,
        },
    )


def _yoy_scored(con, rule, years: list[int], scope: str) -> int:
    """The number of changes year_on_year scores in the series of the variables `scope`
    selects, without scoring them: per series a bit per year present, the changes are the
    bits whose previous year is present too (and that lead into no break year)."""
    first = years[0]
    scored = sum(1 << (p - first) for p in _scored_years(years, rule.break_periods))
    return _count(con, f"""
        WITH s AS (
            SELECT bit_or(1::UBIGINT << (period - {first})) AS years
            FROM variable_values
            WHERE origin = 'delivered' AND value IS NOT NULL {scope}
            GROUP BY variable_id, region_key
        ), c AS (
            SELECT bit_count(years & (years << 1) & {scored}::UBIGINT) AS n FROM s
        )
        SELECT coalesce(sum(n) FILTER (WHERE n >= $min_changes), 0) FROM c
        """, {"min_changes": rule.min_changes})  # fmt: skip


def year_on_year(con, ctx: Context, rules: Rules) -> int:
    """Year-on-year changes far outside the region's own history (robust z-score, see
    rules.YearOnYear); delivered values only, so a Kreis sum does not repeat its Gemeinde.

    After a scoped recomputation only the series of the touched variables are scored again
    (a new or revised value moves its series' median and MAD); the other series are as they
    were, so their findings are carried and their changes only counted.
    """
    rule = rules.year_on_year
    years = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT period FROM variable_values "
            "WHERE origin = 'delivered' AND value IS NOT NULL ORDER BY period"
        ).fetchall()
    ]
    if not _scored_years(years, rule.break_periods):
        _passes(con, ctx, "year_on_year", 0, 0)
        return 0
    scope, carried, others = "", 0, 0
    # Scoped only where it saves work: a refresh touching most variables (a new year of
    # everything) is faster scored in full than scoped, carried and counted. Counting uses
    # a bit per year in a 64-bit mask: over longer spans everything is scored again.
    if (
        ctx.carry_from is not None
        and years[-1] - years[0] < 63
        and _count(con, "SELECT count(DISTINCT variable_id) FROM touched")
        <= _count(con, "SELECT count(*) FROM variables") / 2
    ):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE yoy_scope AS SELECT DISTINCT variable_id FROM touched"
        )
        in_scope = "variable_id IN (SELECT variable_id FROM yoy_scope)"
        scope = f"AND {in_scope}"
        carried = _carry(con, ctx, "year_on_year", "yoy_scope", ("variable_id",))
        others = _yoy_scored(con, rule, years, f"AND NOT ({in_scope})")
    _yoy_run(con, rule, years, scope)
    n = _insert(con, ctx, "year_on_year", rule.severity, """
        SELECT variable_id, NULL, region_key, period, value, prev + med,
               format('{} {} {}: Veränderung zum Vorjahr {} (von {} auf {}), üblich {} ± {}{}',
                      variable_id, region_key, period, change, prev, value, round(med, 1),
                      round(floor_scale, 1),
                      CASE WHEN floor_scale > 0
                           THEN format(' (robuster z-Wert {})',
                                       round((change - med) / floor_scale, 1))
                           ELSE '' END)
        FROM (""" + _YOY_FLAGGED + ")",
        {"z": rule.z, "min_rel": rule.min_relative, "min_change": rule.min_change})  # fmt: skip
    total = _count(con, "SELECT total FROM yoy") + others
    _passes(con, ctx, "year_on_year", total, n + carried)
    return n + carried


def revision(con, ctx: Context, rules: Rules) -> int:
    """Values of this refresh that replace a loaded one by more than the tolerance, and values
    withdrawn (a number replaced by a symbol)."""
    rule = rules.revision
    revised = """
        FROM observation_history h
        JOIN observations o USING (variable_id, region_key, period, pipeline)
        WHERE h.superseded_by = $rid"""
    n = _insert(con, ctx, "revision", rule.severity, f"""
        SELECT variable_id, NULL, region_key, period, o.value, h.value,
               CASE WHEN o.value IS NULL
                    THEN format('{{}} {{}} {{}} ({{}}): Wert {{}} zurückgezogen, jetzt »{{}}«',
                                variable_id, region_key, period, pipeline, h.value, o.status)
                    ELSE format('{{}} {{}} {{}} ({{}}): revidiert von {{}} auf {{}} ({{}} %)',
                                variable_id, region_key, period, pipeline, h.value, o.value,
                                round(100 * (o.value - h.value) / nullif(abs(h.value), 0), 1))
               END
        {revised} AND h.value IS NOT NULL
          AND (o.value IS NULL OR abs(o.value - h.value) > greatest($abs, $rel * abs(h.value)))
        """, {"abs": rule.absolute, "rel": rule.relative})  # fmt: skip
    _passes(con, ctx, "revision", _count(con, f"SELECT count(*) {revised}",
                                         {"rid": ctx.refresh_id}), n)  # fmt: skip
    return n


def completeness(con, ctx: Context, rules: Rules) -> int:
    """Per region and variable, the years a source delivers for the focus area but not for this
    region (a symbol counts as present; years a region did not exist don't count)."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE completeness AS
        WITH focus_regions AS (
            SELECT region_key, TRUE AS gemeinde FROM regions
            WHERE starts_with(region_key, $focus) AND level IN ('gemeinde', 'gemeindefrei')
              AND NOT historical
            UNION SELECT $focus, FALSE
            UNION SELECT unnest($comparison::VARCHAR[]), FALSE
        ), delivered AS (
            SELECT o.pipeline, o.variable_id, o.region_key, o.period, f.gemeinde
            FROM observations o JOIN focus_regions f USING (region_key)
        ), years AS (
            -- the years each source delivers a variable for the focus area
            SELECT DISTINCT pipeline, variable_id, period FROM delivered
        ), applies AS (
            -- a source delivering a variable for one Gemeinde of the Kreis owes it for all;
            -- the Kreis and the comparison regions only where it delivers them at all
            SELECT DISTINCT d.pipeline, d.variable_id, f.region_key
            FROM delivered d JOIN focus_regions f ON f.gemeinde WHERE d.gemeinde
            UNION
            SELECT DISTINCT pipeline, variable_id, region_key FROM delivered WHERE NOT gemeinde
        ), not_there AS (
            -- cells whose every delivery is a '-' of a region that did not exist then
            SELECT o.variable_id, o.region_key, o.period
            FROM observations o JOIN focus_regions f USING (region_key)
            GROUP BY ALL HAVING bool_and(o.value IS NULL AND o.status = '-')
        ), expected AS (
            SELECT DISTINCT a.region_key, a.variable_id, y.period
            FROM applies a JOIN years y USING (pipeline, variable_id)
            ANTI JOIN not_there n USING (variable_id, region_key, period)
        )
        SELECT e.*, v.region_key IS NOT NULL AS present
        FROM expected e LEFT JOIN (
            SELECT variable_id, region_key, period FROM variable_values
            WHERE region_key IN (SELECT region_key FROM focus_regions)
        ) v USING (region_key, variable_id, period)
        """,
        {"focus": ctx.focus, "comparison": list(ctx.comparison)},
    )
    n = _insert(con, ctx, "completeness", rules.completeness.severity, """
        SELECT variable_id, NULL, region_key, min(period) FILTER (WHERE NOT present),
               count(*) FILTER (WHERE present), count(*),
               format('{} {}: fehlt für {} ({} von {} Jahren)', variable_id, region_key,
                      string_agg(period::VARCHAR, ', ' ORDER BY period) FILTER (WHERE NOT present),
                      count(*) FILTER (WHERE NOT present), count(*))
        FROM completeness GROUP BY variable_id, region_key HAVING NOT bool_and(present)
        """, {})  # fmt: skip
    _passes(con, ctx, "completeness",
            _count(con, "SELECT count(DISTINCT (variable_id, region_key)) FROM completeness"), n)  # fmt: skip
    return n


def disclosure(con, ctx: Context, rules: Rules) -> int:
    """Counts of people or cases from local registers between 0 and the threshold: a report
    must suppress them (official statistics arrive protected already)."""
    rule = rules.disclosure
    local = """
        FROM observations o JOIN sources s ON s.sha256 = o.source_sha256
        JOIN variables var USING (variable_id)
        WHERE s.format = 'fis_tabular' AND var.unit IN (SELECT unnest($units::VARCHAR[]))
          AND o.value IS NOT NULL"""
    params = {"units": list(PERSON_UNITS), "min": rule.min_count}
    n = _insert(con, ctx, "disclosure", rule.severity, f"""
        SELECT o.variable_id, NULL, o.region_key, o.period, o.value, $min,
               format('{{}} {{}} {{}}: Fallzahl {{}} unter {{}} – in Berichten unterdrückt ({{}}:{{}})',
                      o.variable_id, o.region_key, o.period, o.value, $min, s.path, o.line)
        {local} AND o.value > 0 AND o.value < $min
        """, params)  # fmt: skip
    total = _count(con, f"SELECT count(*) {local}", {"units": params["units"]})
    _passes(con, ctx, "disclosure", total, n)
    return n


# Order: impossible values first (errors), then the warnings.
RULES: dict[str, Callable[[duckdb.DuckDBPyConnection, Context, Rules], int]] = {
    "count_above_population": count_above_population,
    "population_above_register": population_above_register,
    "share_above_100": share_above_100,
    "indicator_range": indicator_range,
    "sum_of_children": sum_of_children,
    "year_on_year": year_on_year,
    "revision": revision,
    "completeness": completeness,
    "disclosure": disclosure,
}


def run_all(con: duckdb.DuckDBPyConnection, ctx: Context, rules: Rules) -> int:
    """Every rule not switched off; returns the number of findings (errors, warnings, infos)."""
    return sum(
        check(con, ctx, rules)
        for name, check in RULES.items()
        if getattr(rules, name).severity != "off"
    )


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
