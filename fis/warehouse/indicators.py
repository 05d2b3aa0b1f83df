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
        cond = " OR ".join(f"{a}.status = '{sym}'" for a in aliases)
        parts.append(f"WHEN {cond} THEN '{sym}'")
    return "CASE " + " ".join(parts) + " ELSE '' END"


def compile_indicator(numerator: str, denominator: str | None, factor: float):
    """SQL (with $-parameters) computing region_key, period, numerator, denominator, value, status."""
    num = formula.parse(numerator)
    den = formula.parse(denominator) if denominator else None
    refs = sorted(formula.variables(num) | (formula.variables(den) if den else set()))
    alias = {ref: f"v{i}" for i, ref in enumerate(refs)}

    def ref(name: str, offset: int) -> str:
        return f"{alias[(name, offset)]}.value"

    num_sql = formula.to_sql(num, ref)
    den_sql = formula.to_sql(den, ref) if den else None
    params: dict[str, object] = {}
    joins = []
    for (name, offset), a in alias.items():
        params[f"{a}_id"] = name
        params[f"{a}_off"] = -offset  # offsets are <= 0: t-5 looks 5 periods back
        joins.append(
            f"JOIN variable_values {a} ON {a}.variable_id = ${a}_id "
            f"AND {a}.region_key = b.region_key AND {a}.period = b.period - ${a}_off"
        )
    # Base rows: every (region, period) where the offset-0 inputs exist.
    anchor = next((a for (n, off), a in alias.items() if off == 0), None)
    if anchor is None:
        raise formula.FormulaError("a formula needs at least one variable of period t")
    params["anchor_id"] = params[f"{anchor}_id"]
    params["factor"] = float(factor)
    aliases = list(alias.values())
    blocked = " OR ".join(f"{a}.value IS NULL" for a in aliases)
    den_expr = den_sql or "NULL"
    value_expr = (
        f"$factor * ({num_sql}) / NULLIF({den_sql}, 0)" if den_sql else f"$factor * ({num_sql})"
    )
    sql = f"""
        SELECT b.region_key, b.period,
               CASE WHEN {blocked} THEN NULL ELSE {num_sql} END AS numerator,
               CASE WHEN {blocked} THEN NULL ELSE {den_expr} END AS denominator,
               CASE WHEN {blocked} THEN NULL ELSE {value_expr} END AS value,
               CASE WHEN NOT ({blocked}) AND ({value_expr}) IS NULL THEN 'x'
                    ELSE {_status_sql(aliases)} END AS status
        FROM (SELECT DISTINCT region_key, period FROM variable_values
              WHERE variable_id = $anchor_id) b
        {" ".join(joins)}
    """
    return sql, params


def build_indicator_values(con: duckdb.DuckDBPyConnection, indicators) -> int:
    """Recompute indicator_values for every indicator; returns the number of rows."""
    con.execute("DELETE FROM indicator_values")
    for ind in indicators:
        sql, params = compile_indicator(ind.numerator, ind.denominator, ind.factor)
        params["ind"] = ind.id
        con.execute(
            f"INSERT INTO indicator_values SELECT $ind, region_key, period, value, numerator, "
            f"denominator, status FROM ({sql})",
            params,
        )
    return con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
