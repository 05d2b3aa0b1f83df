"""Indicator values: each formula compiled to one set-based query over variable_values.

Formulas are parsed by fis.catalog.formula; variable ids reach SQL only as bound parameters and
numbers only through the compiler, so nothing from YAML is spliced into SQL text.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from fis.catalog import formula
from fis.warehouse import schema

# Status precedence of inputs: the first that occurs wins. A secret input makes the
# indicator secret; flags such as 'p' (vorläufig) carry over to the value.
_BLOCKING = [".", "/", "x", "..."]
_FLAGS = ["()", "p", "s", "r"]


_PRECEDENCE = _BLOCKING + _FLAGS


def _status_rank_sql() -> str:
    """SQL: the precedence rank of one input's status (NULL for none of the symbols)."""
    whens = " ".join(f"WHEN '{sym}' THEN {i}" for i, sym in enumerate(_PRECEDENCE))
    return f"CASE status {whens} END"


def _status_sql(rank: str) -> str:
    """SQL: the indicator status from the lowest rank among its inputs."""
    whens = " ".join(f"WHEN {i} THEN '{sym}'" for i, sym in enumerate(_PRECEDENCE))
    return f"CASE {rank} {whens} ELSE '' END"


def inputs(numerator: str, denominator: str | None) -> list[tuple[str, int]]:
    """The (variable, period offset) pairs a formula reads; offsets are <= 0 (t-5: -5)."""
    return _refs(formula.parse(numerator), formula.parse(denominator) if denominator else None)


def _refs(num, den) -> list[tuple[str, int]]:
    return sorted(formula.variables(num) | (formula.variables(den) if den else set()))


def compile_indicator(
    numerator: str,
    denominator: str | None,
    factor: float,
    source: str = "variable_values",
    targets: bool = False,
    preferred: Mapping[str, tuple[str, int]] | None = None,
    prefix: str = "",
):
    """SQL (with $-parameters) computing region_key, period, numerator, denominator, value, status.

    Each input (variable, period offset) is read from `source` and moved to the period it
    serves (period - offset); the inputs are joined on (region, period), so a row exists
    where every input exists (each has at most one row per region and period). An input
    without a number (a symbol) blocks the value, and the inputs' statuses carry over by
    precedence. (Joined rather than gathered by a grouped aggregation over all inputs'
    rows: all 166 indicators at Germany scale 12.3 -> 7.4 s, mean4 of a difference with 24
    inputs 1.9 -> 0.6 s; the same values to the bit.)
    targets: only the periods in the list parameter $targets.
    preferred: per variable its preferred source (pipeline, priority), the table
    preferred_sources: the inputs are then read from the tables behind the view
    variable_values (schema.ONE_VARIABLE_SQL), not from `source`.
    prefix: put before every parameter's name (several indicators in one statement).
    """
    num = formula.parse(numerator)
    den = formula.parse(denominator) if denominator else None
    refs = _refs(num, den)
    if not any(off == 0 for (_, off) in refs):
        raise formula.FormulaError("a formula needs at least one variable of period t")
    alias = {ref: f"v{i}" for i, ref in enumerate(refs)}

    def ref(name: str, offset: int) -> str:
        return alias[(name, offset)]

    num_sql = formula.to_sql(num, ref)
    den_sql = formula.to_sql(den, ref) if den else "NULL::DOUBLE"
    params: dict[str, object] = {f"{prefix}factor": float(factor)}
    inputs = []
    for (name, offset), a in alias.items():
        pre = prefix + a  # the start of the input's parameters' names
        params[f"{pre}_id"] = name
        params[f"{pre}_off"] = -offset  # offsets are <= 0: t-5 looks 5 periods back
        if preferred is None:
            rows, where = source, [f"variable_id = ${pre}_id"]
        else:
            params[f"{pre}_pipe"], params[f"{pre}_prio"] = preferred.get(name, (None, None))
            rows, where = schema.ONE_VARIABLE_SQL.format(a=pre), []
        if targets:
            where.append(f"list_contains(${prefix}targets, period + ${pre}_off)")
        cond = f" WHERE {' AND '.join(where)}" if where else ""
        inputs.append(
            f"(SELECT region_key, period + ${pre}_off AS period, value AS {a}, "
            f"{_status_rank_sql()} AS {a}_rank FROM {rows}{cond}) {a}_in"
        )
    joined = " JOIN ".join(inputs[:1] + [f"{i} USING (region_key, period)" for i in inputs[1:]])
    blocked = " OR ".join(f"{a} IS NULL" for a in alias.values())
    # least() skips NULLs (a status without precedence), like min()
    rank = f"least({', '.join(f'{a}_rank' for a in alias.values())})"
    value_expr = f"${prefix}factor * num / NULLIF(den, 0)" if den else f"${prefix}factor * num"
    # Inner to outer: join the inputs per (region, period), compute numerator and
    # denominator once, then value and status from them.
    sql = f"""
        SELECT region_key, period,
               CASE WHEN blocked THEN NULL ELSE num END AS numerator,
               CASE WHEN blocked THEN NULL ELSE den END AS denominator,
               CASE WHEN blocked THEN NULL ELSE {value_expr} END AS value,
               CASE WHEN NOT blocked AND ({value_expr}) IS NULL THEN 'x'
                    ELSE {_status_sql("rank")} END AS status
        FROM (
            SELECT region_key, period, ({blocked}) AS blocked, {rank} AS rank,
                   {num_sql} AS num, {den_sql} AS den
            FROM {joined}
        )
    """
    return sql, params


def build_indicator_values(con: duckdb.DuckDBPyConnection, indicators, scoped: bool = False) -> int:
    """Recompute indicator_values; returns the number of rows.

    scoped: only the indicators and periods that read a (variable, period) pair of the temp
    table `touched` (derived.py) — an input with offset t-5 touched in 2019 changes 2024.
    Each indicator's scan reads only the row groups that hold its variables (DuckDB's zone
    maps): a full build reads the tables behind variable_values itself (observations arrive
    per export and variable), with each variable's preferred source as a parameter; a scoped
    build reads a small copy of the pairs it needs, ordered by variable. (A sorted copy for
    the full build cost 6 s at Germany scale and saved 3 s of scans.)
    """
    todo = [(ind, None) for ind in indicators]
    source, preferred = "variable_values", None
    if scoped:
        touched: dict[str, set[int]] = {}
        for var, period in con.execute("SELECT variable_id, period FROM touched").fetchall():
            touched.setdefault(var, set()).add(period)
        todo, pairs, cells = [], set(), []
        for ind in indicators:
            refs = inputs(ind.numerator, ind.denominator)
            targets = sorted({p - off for var, off in refs for p in touched.get(var, ())})
            if targets:
                todo.append((ind, targets))
                pairs |= {(var, t + off) for var, off in refs for t in targets}
                cells += [(ind.id, t) for t in targets]
        _temp_table(con, "touched_indicators", "indicator_id VARCHAR, period INTEGER", cells)
        con.execute(
            "DELETE FROM indicator_values iv USING touched_indicators t "
            "WHERE iv.indicator_id = t.indicator_id AND iv.period = t.period"
        )
        _temp_table(con, "needed", "variable_id VARCHAR, period INTEGER", sorted(pairs))
        source = "vv_by_variable"
        con.execute(
            "CREATE OR REPLACE TEMP TABLE vv_by_variable AS "
            "SELECT variable_id, region_key, period, value, status FROM variable_values "
            "SEMI JOIN needed USING (variable_id, period) ORDER BY variable_id, region_key, period"
        )
    else:
        con.execute("DELETE FROM indicator_values")
        preferred = schema.preferred_sources(con)
    if todo:
        _compute(con, todo, source, preferred)
    for table in ("touched_indicators", "needed", "vv_by_variable"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]


# Indicators computed by one statement (a UNION ALL): fewer, bigger statements keep DuckDB's
# two threads busier (the build of all 166 at Germany scale: 10.2 -> 8.5 s, medians of three
# interleaved runs, the same rows; 16 per statement: 9.1 s; all of them in one statement ran
# out of memory at 3 GB).
BATCH = 8


def _compute(con: duckdb.DuckDBPyConnection, todo: list, source: str, preferred) -> None:
    """Insert the values of the (indicator, target periods) in `todo` into indicator_values.

    Each statement's rows are stored sorted by region: a region's profile (all indicators,
    all years) then reads a row group or two per statement, DuckDB's zone maps skip the
    others. Sorting all rows at once (through a temp table) kept to one row group per region,
    but cost more than it saves (Germany scale, 16.7 million values: build and commit
    10.3 -> 8.7 s; the profile query 2 -> 3-6 ms, unsorted 48 ms).
    """
    for start in range(0, len(todo), BATCH):
        parts, params = [], {}
        for j, (ind, targets) in enumerate(todo[start : start + BATCH]):
            p = f"i{j}_"
            sql, own = compile_indicator(
                ind.numerator, ind.denominator, ind.factor, source=source,
                targets=targets is not None, preferred=preferred, prefix=p,
            )  # fmt: skip
            params |= own | {f"{p}ind": ind.id}
            if targets is not None:
                params[f"{p}targets"] = targets
            parts.append(
                f"SELECT ${p}ind, region_key, period, value, numerator, denominator, status "
                f"FROM ({sql})"
            )
        con.execute(
            "INSERT INTO indicator_values SELECT * FROM ("
            + " UNION ALL ".join(parts)
            + ") ORDER BY region_key",
            params,
        )


def _temp_table(con: duckdb.DuckDBPyConnection, name: str, columns: str, rows: list) -> None:
    """A temp table `name` (columns "a TYPE, b TYPE") holding `rows`."""
    import pandas as pd

    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    if rows:
        names = [c.split()[0] for c in columns.split(",")]
        with schema.staged(con, "rows_in", pd.DataFrame(rows, columns=names)):
            con.execute(f"INSERT INTO {name} SELECT * FROM rows_in")
