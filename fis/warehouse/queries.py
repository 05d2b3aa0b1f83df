"""Read-only questions analysts ask: profiles, tables across Gemeinden, free SQL."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from fis.errors import FisError, RegionError
from fis.warehouse.regions import resolve_region


@dataclass
class Table:
    """A result: column names and rows (plain Python values), plus a title for humans."""

    columns: list[str]
    rows: list[tuple]
    title: str = ""
    decimals: list[int | None] | None = None  # per row: how to round numbers in a text table


def latest_period(con, region_key: str) -> int | None:
    return con.execute(
        "SELECT max(period) FROM indicator_values WHERE region_key = ? AND value IS NOT NULL",
        [region_key],
    ).fetchone()[0]


def show_region(con, text: str, focus: str, comparison: tuple[str, ...], year: int | None) -> Table:
    """Every indicator of one region for a year (default: its latest), with comparison regions.

    Each row carries its own period: the latest up to `year` that has a value.
    """
    key, name = resolve_region(con, text, focus)
    year = year or latest_period(con, key)
    if year is None:
        raise FisError(f"no indicator values for {key} {name}; run 'fis refresh' first")
    others = [c for c in comparison if c != key]
    names = dict(con.execute(
        "SELECT region_key, name FROM regions WHERE region_key IN (SELECT unnest(?))", [others]
    ).fetchall())  # fmt: skip
    others = [c for c in others if c in names]
    cols = ", ".join(
        f"max(CASE WHEN iv.region_key = $c{i} THEN iv.value END) AS c{i}"
        for i in range(len(others))
    )
    params = {f"c{i}": k for i, k in enumerate(others)}
    params.update({"key": key, "year": year})
    regions = f"($key{''.join(f', $c{i}' for i in range(len(others)))})"
    # Per indicator the latest period up to `year` with a value for the region, else (for
    # indicators published only for the Kreis and above) for the comparison regions: biennial
    # and lagging statistics are shown with their own period, never as missing.
    rows = con.execute(
        f"""
        WITH periods AS (
            SELECT indicator_id,
                   coalesce(max(period) FILTER (WHERE region_key = $key AND value IS NOT NULL),
                            max(period) FILTER (WHERE value IS NOT NULL)) AS period
            FROM indicator_values
            WHERE period <= $year AND region_key IN {regions}
            GROUP BY indicator_id
        )
        SELECT i.handlungsfeld, i.indicator_id, i.name, i.unit, i.decimals, p.period,
               max(CASE WHEN iv.region_key = $key THEN iv.value END) AS value,
               max(CASE WHEN iv.region_key = $key THEN iv.status END) AS status
               {", " + cols if cols else ""}
        FROM indicators i
        LEFT JOIN periods p USING (indicator_id)
        LEFT JOIN indicator_values iv
          ON iv.indicator_id = i.indicator_id AND iv.period = p.period
         AND iv.region_key IN {regions}
        GROUP BY ALL ORDER BY i.handlungsfeld, i.indicator_id
        """,
        params,
    ).fetchall()
    columns = ["handlungsfeld", "indicator_id", "name", "unit", "period", "value", "status"] + [
        f"value_{k}" for k in others
    ]
    legend = ", ".join(f"value_{k} = {names[k]}" for k in others)
    decimals = [r[4] for r in rows]
    rows = [r[:4] + r[5:] for r in rows]
    return Table(columns, rows, title=f"{name} ({key}), {year}; {legend}", decimals=decimals)


LEVELS = {"gemeinde": ("gemeinde", "gemeindefrei"), "kreis": ("kreis",), "land": ("land",)}


def indicator_table(
    con,
    indicator_id: str,
    focus: str,
    comparison: tuple[str, ...],
    year: int | None,
    level: str = "gemeinde",
    within: str | None = None,
    sort: bool = False,
) -> Table:
    """One indicator for every region of a level within a region (default: the Gemeinden of
    the focus Kreis), ranked (1 = highest), with the comparison regions below."""
    name, unit, decimals = _indicator_meta(con, indicator_id)
    if level not in LEVELS:
        raise FisError(f"unknown level {level!r}; use {', '.join(LEVELS)}")
    area = (
        resolve_region(con, within, focus)[0] if within else (focus if level == "gemeinde" else "")
    )
    prefix = "" if area == "DG" else area
    params = {"levels": list(LEVELS[level]), "prefix": prefix, "ind": indicator_id}
    if year is None:
        year = con.execute(
            """SELECT max(iv.period) FROM indicator_values iv JOIN regions r USING (region_key)
               WHERE iv.indicator_id = $ind AND r.level IN (SELECT unnest($levels))
                 AND starts_with(r.region_key, $prefix) AND iv.value IS NOT NULL""",
            params,
        ).fetchone()[0]
        if year is None:
            raise FisError(f"no values of {indicator_id} for {level} regions in {area or 'DG'}")
    rows = con.execute(
        """
        WITH sel AS (
            SELECT region_key, name, level, 0 AS grp FROM regions
            WHERE level IN (SELECT unnest($levels)) AND starts_with(region_key, $prefix)
              AND NOT historical
            UNION ALL
            SELECT region_key, name, level, 1 + list_position($cmp, region_key) FROM regions
            WHERE region_key IN (SELECT unnest($cmp))
        ), v AS (
            SELECT s.*, iv.value, iv.status, iv.numerator, iv.denominator
            FROM sel s LEFT JOIN indicator_values iv
              ON iv.region_key = s.region_key AND iv.indicator_id = $ind AND iv.period = $year
        )
        SELECT region_key, name, level,
               CASE WHEN grp = 0 AND value IS NOT NULL
                    THEN rank() OVER (PARTITION BY grp, value IS NULL ORDER BY value DESC) END,
               value, status, numerator, denominator
        FROM v
        ORDER BY grp, CASE WHEN $sort THEN -value END NULLS LAST, region_key
        """,
        {**params, "cmp": list(comparison), "year": year, "sort": sort},
    ).fetchall()
    rows = [r[:4] + (_shown(r[4], r[5]),) + r[5:] for r in rows]
    cols = ["region_key", "name", "level", "rank", "value", "status", "numerator", "denominator"]
    return Table(cols, rows, title=f"{name} ({unit}), {year}", decimals=[decimals] * len(rows))


def sql_query(con: duckdb.DuckDBPyConnection, sql: str) -> Table:
    """Any read-only SQL over the warehouse."""
    try:
        rel = con.execute(sql)
    except duckdb.Error as e:
        raise FisError(f"query failed: {str(e).splitlines()[0]}") from None
    if rel.description is None:
        return Table([], [])
    return Table([d[0] for d in rel.description], rel.fetchall())


def list_regions(con, parent: str | None, level: str | None, name: str | None) -> Table:
    """Regions filtered by parent key, level and name (substring, case-insensitive)."""
    where, params = ["TRUE"], {}
    if parent:
        where.append("parent_key = $parent")
        params["parent"] = parent
    if level:
        where.append("level = $level")
        params["level"] = level
    if name:
        where.append("lower(name) LIKE '%' || lower($name) || '%'")
        params["name"] = name
    rows = con.execute(
        f"""SELECT region_key, name, level, parent_key, area_km2, population, historical
            FROM regions WHERE {" AND ".join(where)} ORDER BY region_key""",
        params,
    ).fetchall()
    if not rows and parent:
        exists = con.execute("SELECT 1 FROM regions WHERE region_key = ?", [parent]).fetchone()
        if not exists:
            raise RegionError(f"unknown parent region {parent!r}")
    cols = ["region_key", "name", "level", "parent_key", "area_km2", "population", "historical"]
    return Table(cols, rows)


def list_findings(
    con,
    refresh_id: int | None,
    severity: str | None,
    region: str | None,
    focus: str,
    rule: str | None = None,
) -> Table:
    """Findings of one refresh (default: the latest that recorded any), filtered."""
    if refresh_id is None:
        refresh_id = con.execute("SELECT max(refresh_id) FROM findings").fetchone()[0]
        if refresh_id is None:
            return Table(["rule"], [], title="keine Befunde")
    where, params = ["f.refresh_id = $rid"], {"rid": refresh_id}
    if severity:
        if severity not in ("error", "warning", "info", "pass"):
            raise FisError(f"unknown severity {severity!r}; use error, warning, info or pass")
        where.append("f.severity = $sev")
        params["sev"] = severity
    if region:
        params["reg"] = resolve_region(con, region, focus)[0]
        where.append("f.region_key = $reg")
    if rule:
        params["rule"] = rule
        where.append("f.rule = $rule")
    rows = con.execute(
        f"""SELECT f.severity, f.rule, f.variable_id, f.indicator_id, f.region_key, r.name,
                   f.period, f.observed, f.expected, f.message
            FROM findings f LEFT JOIN regions r USING (region_key)
            WHERE {" AND ".join(where)}
            ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1
                                     WHEN 'info' THEN 2 ELSE 3 END,
                     f.rule, f.region_key, f.period""",
        params,
    ).fetchall()
    cols = ["severity", "rule", "variable_id", "indicator_id", "region_key", "name", "period",
            "observed", "expected", "message"]  # fmt: skip
    return Table(cols, rows, title=f"Befunde von Refresh {refresh_id}")


def validation_summary(con, refresh_id: int, limit: int = 200) -> dict:
    """Everything the Prüfbericht of one refresh shows, as plain data: the refresh, its files,
    per rule the counts of errors, warnings and infos with the checked cells, and up to `limit`
    findings per rule (with region names)."""
    cols = ["refresh_id", "started_at", "finished_at", "status", "n_files", "n_new", "n_revised",
            "n_unchanged", "message"]  # fmt: skip
    row = con.execute(f"SELECT {', '.join(cols)} FROM refreshes WHERE refresh_id = ?",
                      [refresh_id]).fetchone()  # fmt: skip
    if row is None:
        raise FisError(f"no refresh {refresh_id}")
    files = con.execute(
        """SELECT f.path, f.pipeline, s.table_code, s.title, s.stand, f.n_new, f.n_revised,
                  f.n_unchanged
           FROM refresh_files f LEFT JOIN sources s USING (sha256)
           WHERE f.refresh_id = ? ORDER BY f.path""",
        [refresh_id],
    ).fetchall()
    rules = con.execute(
        """SELECT rule,
                  count(*) FILTER (WHERE severity = 'error'),
                  count(*) FILTER (WHERE severity = 'warning'),
                  count(*) FILTER (WHERE severity = 'info'),
                  max(expected) FILTER (WHERE severity = 'pass'),
                  max(observed) FILTER (WHERE severity = 'pass')
           FROM findings WHERE refresh_id = ? GROUP BY rule ORDER BY rule""",
        [refresh_id],
    ).fetchall()
    found = con.execute(
        """SELECT * FROM (
               SELECT f.rule, f.severity, f.variable_id, f.indicator_id, f.region_key,
                      r.name AS region_name, f.period, f.observed, f.expected, f.message,
                      row_number() OVER (PARTITION BY f.rule ORDER BY f.severity, f.region_key,
                                                                    f.period, f.message) AS n
               FROM findings f LEFT JOIN regions r USING (region_key)
               WHERE f.refresh_id = ? AND f.severity <> 'pass')
           WHERE n <= ? ORDER BY rule, n""",
        [refresh_id, limit],
    ).fetchall()
    names = ["rule", "severity", "variable_id", "indicator_id", "region_key", "region_name",
             "period", "observed", "expected", "message"]  # fmt: skip
    findings: dict[str, list[dict]] = {}
    for f in found:
        findings.setdefault(f[0], []).append(dict(zip(names, f[:-1], strict=True)))
    return {
        "refresh": dict(zip(cols, row, strict=True)),
        "files": [dict(zip(["path", "pipeline", "table_code", "title", "stand", "n_new",
                            "n_revised", "n_unchanged"], f, strict=True)) for f in files],
        "rules": [dict(zip(["rule", "errors", "warnings", "infos", "checked", "passed"], r,
                           strict=True)) for r in rules],
        "findings": findings,
        "limit": limit,
    }  # fmt: skip


def report_targets(con, within: str, focus: str) -> list[tuple[str, str]]:
    """(key, name) of the current Gemeinden and kreisfreie Städte within a Kreis,
    Regierungsbezirk or Land (key or name), in key order."""
    key = resolve_region(con, within, focus)[0]
    level = con.execute("SELECT level FROM regions WHERE region_key = ?", [key]).fetchone()[0]
    if level not in ("kreis", "regbez", "land", "staat", "region"):
        raise RegionError(f"{within}: reports --all need a Kreis, Regierungsbezirk or Land, "
                          f"not a {level}")  # fmt: skip
    prefix = "" if level == "staat" else key
    rows = con.execute(
        """SELECT region_key, name FROM regions
           WHERE NOT historical AND starts_with(region_key, ?)
             AND (level = 'gemeinde' OR (level = 'kreis' AND kreisfrei))
           ORDER BY region_key""",
        [prefix],
    ).fetchall()
    if not rows:
        raise RegionError(f"{within}: no Gemeinden in the warehouse")
    return [(k, n) for k, n in rows]


def _indicator_meta(con, indicator_id: str) -> tuple[str, str, int]:
    ind = con.execute(
        "SELECT name, unit, decimals FROM indicators WHERE indicator_id = ?", [indicator_id]
    ).fetchone()
    if ind is None:
        raise FisError(f"unknown indicator {indicator_id!r}; see 'fis indicators'")
    return ind


def _shown(value, status: str | None):
    """A cell as analysts should see it: the number, or the official symbol where there is
    none (never a blank that could be read as zero)."""
    if value is not None:
        return value
    return status or "k. A."


def indicator_series(con, indicator_id: str, regions: list[str], focus: str,
                     first: int | None = None, last: int | None = None) -> Table:  # fmt: skip
    """The time series of one indicator for one or more regions: a row per period, a column
    per region (symbols where a value is missing)."""
    name, unit, decimals = _indicator_meta(con, indicator_id)
    keys = [resolve_region(con, r, focus) for r in regions]
    rows = con.execute(
        """SELECT period, region_key, value, status FROM indicator_values
           WHERE indicator_id = $ind AND region_key IN (SELECT unnest($keys))
             AND period BETWEEN coalesce($first, 0) AND coalesce($last, 9999)
           ORDER BY period""",
        {"ind": indicator_id, "keys": [k for k, _ in keys], "first": first, "last": last},
    ).fetchall()
    by_period: dict[int, dict[str, object]] = {}
    for period, key, value, status in rows:
        by_period.setdefault(period, {})[key] = _shown(value, status)
    out = [(p, *(cells.get(k, "k. A.") for k, _ in keys)) for p, cells in sorted(by_period.items())]
    legend = ", ".join(f"value_{k} = {n}" for k, n in keys)
    return Table(["period"] + [f"value_{k}" for k, _ in keys], out,
                 title=f"{name} ({unit}); {legend}", decimals=[decimals] * len(out))  # fmt: skip


def compare_regions(con, regions: list[str], focus: str, year: int | None,
                    handlungsfeld: str | None = None) -> Table:  # fmt: skip
    """Regions side by side: a row per indicator, a column per region, each with its latest
    value up to `year` (the period shown is the first region's)."""
    keys = [resolve_region(con, r, focus) for r in regions]
    if len(keys) < 2:
        raise FisError("compare needs at least two regions")
    rows = con.execute(
        """
        WITH latest AS (
            SELECT indicator_id, region_key, arg_max(value, period) AS value,
                   arg_max(status, period) AS status, max(period) AS period
            FROM indicator_values
            WHERE region_key IN (SELECT unnest($keys)) AND period <= coalesce($year, 9999)
              AND (value IS NOT NULL OR status <> '')
            GROUP BY ALL
        )
        SELECT i.handlungsfeld, i.indicator_id, i.name, i.unit, i.decimals,
               list(l.region_key), list(l.value), list(l.status), list(l.period)
        FROM indicators i LEFT JOIN latest l USING (indicator_id)
        WHERE $hf IS NULL OR contains(lower(i.handlungsfeld), lower($hf))
        GROUP BY ALL ORDER BY i.handlungsfeld, i.indicator_id
        """,
        {"keys": [k for k, _ in keys], "year": year, "hf": handlungsfeld},
    ).fetchall()
    if handlungsfeld and not rows:
        raise FisError(f"unknown Handlungsfeld {handlungsfeld!r}")
    out, decimals = [], []
    for hf, ind, name, unit, dec, rkeys, values, statuses, periods in rows:
        got = {k: (v, s, p) for k, v, s, p in zip(rkeys, values, statuses, periods) if k}
        cells = [_shown(*got[k][:2]) if k in got else "k. A." for k, _ in keys]
        period = got[keys[0][0]][2] if keys[0][0] in got else None
        out.append((hf, ind, name, unit, period, *cells))
        decimals.append(dec)
    legend = ", ".join(f"value_{k} = {n}" for k, n in keys)
    return Table(["handlungsfeld", "indicator_id", "name", "unit", "period"]
                 + [f"value_{k}" for k, _ in keys], out, title=legend, decimals=decimals)  # fmt: skip
