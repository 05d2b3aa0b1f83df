"""Indicator values: each formula compiled to one set-based query over variable_values.

Formulas are parsed by fis.catalog.formula; variable ids reach SQL only as bound parameters and
numbers only through the compiler, so nothing from YAML is spliced into SQL text.
"""

from __future__ import annotations

import duckdb

from fis.catalog import formula

# Status precedence of inputs: the first that occurs wins. A secret input makes the
# indicator secret; flags such as 'p' (vorläufig) carry over to the value.
_BLOCKING = [".", "/", "x", "..."]
_FLAGS = ["()", "p", "s", "r"]


def _status_sql(aliases: list[str]) -> str:
    """SQL CASE giving the indicator status from the input statuses."""
    parts = []
    for sym in _BLOCKING + _FLAGS:
        cond = " OR ".join(f"{a}_status = '{sym}'" for a in aliases)
        parts.append(f"WHEN {cond} THEN '{sym}'")
    return "CASE " + " ".join(parts) + " ELSE '' END"


def compile_indicator(
    numerator: str, denominator: str | None, factor: float, source: str = "variable_values"
):
    """SQL (with $-parameters) computing region_key, period, numerator, denominator, value, status.

    One scan of `source`: each input (variable, period offset) is moved to the period it
    serves (period - offset) and the inputs are gathered per (region, period) by a grouped
    aggregation — linear in the rows of the inputs, whatever the number of inputs (mean4 of a
    difference has eight). A missing input gives NULL, as an outer join would.
    """
    num = formula.parse(numerator)
    den = formula.parse(denominator) if denominator else None
    refs = sorted(formula.variables(num) | (formula.variables(den) if den else set()))
    alias = {ref: f"v{i}" for i, ref in enumerate(refs)}

    def ref(name: str, offset: int) -> str:
        return f"{alias[(name, offset)]}_value"

    num_sql = formula.to_sql(num, ref)
    den_sql = formula.to_sql(den, ref) if den else None
    params: dict[str, object] = {}
    gathered, inputs = [], []
    for (name, offset), a in alias.items():
        params[f"{a}_id"] = name
        params[f"{a}_off"] = -offset  # offsets are <= 0: t-5 looks 5 periods back
        k = len(inputs)
        hit = f"WHERE i.k = {k}"
        gathered.append(
            f"any_value(value) FILTER ({hit}) AS {a}_value, "
            f"count(*) FILTER ({hit}) AS {a}_n, "
            f"any_value(status) FILTER ({hit}) AS {a}_status"
        )
        inputs.append(
            f"SELECT {k} AS k, region_key, period + ${a}_off AS target, value, status "
            f"FROM {source} WHERE variable_id = ${a}_id"
        )
    # Rows: every (region, period) where all inputs exist (a period t input among them).
    if not any(off == 0 for (_, off) in alias):
        raise formula.FormulaError("a formula needs at least one variable of period t")
    params["factor"] = float(factor)
    aliases = list(alias.values())
    blocked = " OR ".join(f"{a}_value IS NULL" for a in aliases)
    den_expr = den_sql or "NULL"
    value_expr = (
        f"$factor * ({num_sql}) / NULLIF({den_sql}, 0)" if den_sql else f"$factor * ({num_sql})"
    )
    sql = f"""
        SELECT region_key, period,
               CASE WHEN {blocked} THEN NULL ELSE {num_sql} END AS numerator,
               CASE WHEN {blocked} THEN NULL ELSE {den_expr} END AS denominator,
               CASE WHEN {blocked} THEN NULL ELSE {value_expr} END AS value,
               CASE WHEN NOT ({blocked}) AND ({value_expr}) IS NULL THEN 'x'
                    ELSE {_status_sql(aliases)} END AS status
        FROM (
            SELECT i.region_key, i.target AS period, {", ".join(gathered)}
            FROM ({" UNION ALL ".join(inputs)}) i
            GROUP BY i.region_key, i.target
        )
        WHERE {" AND ".join(f"{a}_n > 0" for a in aliases)}
    """
    return sql, params


def build_indicator_values(con: duckdb.DuckDBPyConnection, indicators) -> int:
    """Recompute indicator_values for every indicator; returns the number of rows.

    The inputs are read from a copy of variable_values ordered by variable: DuckDB's zone
    maps then let each indicator's scan skip the row groups of all other variables.
    """
    con.execute("DELETE FROM indicator_values")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE vv_by_variable AS "
        "SELECT variable_id, region_key, period, value, status FROM variable_values "
        "ORDER BY variable_id, region_key, period"
    )
    for ind in indicators:
        sql, params = compile_indicator(
            ind.numerator, ind.denominator, ind.factor, source="vv_by_variable"
        )
        params["ind"] = ind.id
        con.execute(
            f"INSERT INTO indicator_values SELECT $ind, region_key, period, value, numerator, "
            f"denominator, status FROM ({sql})",
            params,
        )
    con.execute("DROP TABLE vv_by_variable")
    return con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
