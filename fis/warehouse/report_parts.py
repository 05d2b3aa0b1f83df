"""Parts of the report data: published values with small counts suppressed, the sources
behind them, the findings about a region, its age structure.

Data protection (REPORT.md): a cell is suppressed (value None, status "·") when
  1. primary: its numerator counts people or cases (a numerator variable with a unit in
     `checks.PERSON_UNITS`), comes from a local register (a source of format `fis_tabular`, or
     aggregated from such) and is above 0 but below `min_count` (rules.yaml disclosure.min_count, default 3);
  2. secondary: when exactly one Gemeinde of the Kreis is suppressed for an indicator and
     period, the Gemeinde with the next smallest numerator is suppressed too, so that the Kreis
     total minus the other Gemeinden does not reveal it.
A zero is not suppressed (it reveals nobody). Official statistics arrive protected: their
symbols are kept as delivered.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from fis.config import Config
from fis.report import model
from fis.report.model import SUPPRESSED, AgeStructure, Finding, SourceRef, ValueTable
from fis.warehouse.checks import PERSON_UNITS

if TYPE_CHECKING:
    from fis.warehouse.report_data import _CatalogInfo, _Places

LOOKBACK_YEARS = 30  # oldest values read (a Zensus value may be the latest there is)


# --- values and suppression ------------------------------------------------------------------


def published_values(
    con, info: _CatalogInfo, places: _Places, year: int, min_count: int
) -> ValueTable:
    """Every indicator value of the places up to `year`, with small counts suppressed."""
    params = {"keys": places.keys(), "first": year - LOOKBACK_YEARS, "year": year}
    rows = con.execute(
        """SELECT indicator_id, region_key, list(period), list(value), list(coalesce(status, ''))
           FROM indicator_values
           WHERE region_key IN (SELECT unnest($keys)) AND period BETWEEN $first AND $year
           GROUP BY ALL""",
        params,
    ).fetchall()
    table = ValueTable({(i, k): dict(zip(ps, zip(vs, ss))) for i, k, ps, vs, ss in rows})
    if not info.person:
        return table
    small = con.execute(
        """SELECT indicator_id, region_key, period FROM indicator_values
           WHERE region_key IN (SELECT unnest($keys)) AND period BETWEEN $first AND $year
             AND numerator > 0 AND numerator < $min AND indicator_id IN (SELECT unnest($ids))""",
        {**params, "min": min_count, "ids": sorted(info.person)},
    ).fetchall()
    if small:
        _suppress(con, info, table, small, [g.key for g in places.gemeinden])
    return table


def _suppress(con, info: _CatalogInfo, table: ValueTable, small: list, gemeinden: list[str]):
    """Suppress the primary and secondary cells in `table` (see the module docstring)."""
    refs = {ref for ind, _, _ in small for ref in info.person[ind]}
    periods = {p for _, _, p in small}
    local = _local_cells(
        con,
        {v for v, _ in refs},
        {key for _, key, _ in small},
        min(periods) + min(off for _, off in refs),
        max(periods),
    )
    primary = [
        (ind, key, p)
        for ind, key, p in small
        if any((v, key, p + off) in local for v, off in info.person[ind])
    ]
    groups: dict[tuple[str, int], set[str]] = defaultdict(set)
    for ind, key, p in primary:
        table.suppress(ind, key, p)
        if key in gemeinden:
            groups[ind, p].add(key)
    groups = {g: keys for g, keys in groups.items() if len(keys) == 1}
    if not groups:
        return
    numerators: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for ind, key, p, num in con.execute(
        """SELECT indicator_id, region_key, period, numerator FROM indicator_values
           WHERE indicator_id IN (SELECT unnest($ids)) AND period IN (SELECT unnest($periods))
             AND region_key IN (SELECT unnest($keys)) AND value IS NOT NULL""",
        {"ids": sorted({g[0] for g in groups}), "periods": sorted({g[1] for g in groups}),
         "keys": gemeinden},
    ).fetchall():  # fmt: skip
        numerators[ind, p][key] = num
    for (ind, p), keys in groups.items():
        for key in model.secondary_cells(keys, numerators[ind, p]):
            table.suppress(ind, key, p)


def _local_cells(con, variables: set[str], keys: set[str], first: int, last: int) -> set[tuple]:
    """(variable, region, period) whose value comes from a local register: delivered by a
    fis_tabular source, or aggregated in a period where such a source delivered it.

    The lists are conditions on each row (list_contains), not joins: DuckDB then filters the
    observations behind the view variable_values while it scans them (Germany scale: 1.1 s ->
    0.01 s per report without local registers, 0.35 -> 0.2 s with one)."""
    pipes = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT pipeline FROM sources WHERE format = 'fis_tabular'"
        ).fetchall()
    ]
    if not pipes:
        return set()
    rows = con.execute(
        """
        WITH local_periods AS (
            SELECT DISTINCT variable_id, period FROM variable_values
            WHERE list_contains($pipes, pipeline) AND list_contains($vars, variable_id))
        SELECT v.variable_id, v.region_key, v.period FROM variable_values v
        WHERE list_contains($vars, v.variable_id) AND list_contains($keys, v.region_key)
          AND v.period BETWEEN $first AND $last
          AND (list_contains($pipes, v.pipeline)
               OR (v.origin = 'aggregated' AND EXISTS (
                   SELECT 1 FROM local_periods l
                   WHERE l.variable_id = v.variable_id AND l.period = v.period)))
        """,
        {"vars": sorted(variables), "keys": sorted(keys), "first": first, "last": last,
         "pipes": pipes},
    ).fetchall()  # fmt: skip
    return set(rows)


# --- sources, findings, age ------------------------------------------------------------------


def sources_used(con, variables: set[str], keys: list[str], first: int, year: int):
    """The source tables behind the values shown, each with its latest Stand (and the path of
    that file, for the demo marker)."""
    rows = con.execute(
        """
        SELECT table_code, title, stand, pipeline, format, path FROM sources
        WHERE pipeline IN (
            SELECT DISTINCT pipeline FROM variable_values
            WHERE variable_id IN (SELECT unnest($vars)) AND region_key IN (SELECT unnest($keys))
              AND period BETWEEN $first AND $year)
        ORDER BY table_code, pipeline, stand DESC NULLS LAST
        """,
        {"vars": sorted(variables), "keys": keys, "first": first, "year": year},
    ).fetchall()
    latest: dict[tuple, tuple[SourceRef, str]] = {}
    for code, title, stand, pipeline, fmt, path in rows:
        ref = SourceRef(code or "", title or "", stand, pipeline or "", fmt == "fis_tabular")
        latest.setdefault((code, pipeline), (ref, path))
    return list(latest.values())


def data_stand(sources) -> str | None:
    return max((s.stand for s, _ in sources if s.stand), default=None)


def is_demo(con, cfg: Config, sources) -> bool:
    """Demo data: a source file from the project's demo folder, or titled as DEMODATEN (every
    bundled demo export says so in its title). Without sources used, any in the warehouse."""
    pairs = [(s.title, p) for s, p in sources] or con.execute(
        "SELECT title, path FROM sources"
    ).fetchall()
    demo = str(cfg.demo)
    return any(
        (path or "").startswith(demo) or "DEMODATEN" in (title or "").upper()
        for title, path in pairs
    )


def region_findings(con, table: ValueTable, key: str, min_count: int) -> list[Finding]:
    """Errors and warnings about the region from the latest completed refresh. Left out, as
    they could reveal a suppressed count: disclosure findings, findings on a suppressed
    indicator cell, and findings on a variable counting people whose observed or expected
    figure, or whose local value then or the year before, is a small count."""
    rows = con.execute(
        """
        WITH small AS (
            SELECT variable_id, period FROM variable_values
            WHERE region_key = $key AND value > 0 AND value < $min
              AND pipeline IN (SELECT pipeline FROM sources WHERE format = 'fis_tabular'))
        SELECT f.severity, f.rule, f.indicator_id, f.variable_id, f.period, f.message
        FROM findings f LEFT JOIN variables var USING (variable_id)
        WHERE f.refresh_id = (SELECT max(refresh_id) FROM refreshes
                              WHERE status IN ('ok', 'unchanged'))
          AND f.region_key = $key AND f.severity IN ('error', 'warning') AND f.rule <> 'disclosure'
          AND NOT (coalesce(list_contains($units, var.unit), FALSE) AND f.rule <> 'completeness'
                   AND (f.observed > 0 AND f.observed < $min OR f.expected > 0 AND f.expected < $min
                        OR EXISTS (SELECT 1 FROM small s WHERE s.variable_id = f.variable_id
                                   AND s.period BETWEEN f.period - 1 AND f.period)))
        ORDER BY f.severity, f.rule, f.indicator_id, f.variable_id, f.period
        """,
        {"key": key, "min": min_count, "units": list(PERSON_UNITS)},
    ).fetchall()
    return [
        Finding(*row)
        for row in rows
        if row[2] is None or table.cell(row[2], key, row[4])[1] != SUPPRESSED
    ]


# Age groups of the Bevölkerungsaufbau (labels in completed years: "3–5" = 3 to under 6):
# a partition of bev_insg. Each is the sum of the first
# variables minus the second (the demo and GENESIS 12411 deliver these groups per Gemeinde).
AGE_GROUPS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("0–2", ("bev_u3",), ()),
    ("3–5", ("bev_3_u6",), ()),
    ("6–9", ("bev_6_u10",), ()),
    ("10–14", ("bev_u15",), ("bev_u3", "bev_3_u6", "bev_6_u10")),
    ("15–17", ("bev_15_u18",), ()),
    ("18–24", ("bev_18_u25",), ()),
    ("25–29", ("bev_25_u30",), ()),
    ("30–49", ("bev_30_u50",), ()),
    ("50–64", ("bev_50_u65",), ()),
    ("65–79", ("bev_65plus",), ("bev_80plus",)),
    ("80+", ("bev_80plus",), ()),
]
AGE_VARIABLES = sorted({v for _, plus, minus in AGE_GROUPS for v in plus + minus} | {"bev_insg"})


def age_structure(con, key: str, reference: str, year: int) -> AgeStructure:
    """Age groups of the region and its reference in the region's latest year up to `year`."""
    rows = con.execute(
        """
        WITH p AS (SELECT max(period) AS period FROM variable_values WHERE variable_id = 'bev_insg'
                   AND region_key = $key AND period <= $year AND value IS NOT NULL)
        SELECT p.period, v.region_key, v.variable_id, v.value FROM p LEFT JOIN variable_values v
          ON v.period = p.period AND v.region_key IN ($key, $ref)
         AND list_contains($vars, v.variable_id)
        """,
        {"key": key, "ref": reference, "vars": AGE_VARIABLES, "year": year},
    ).fetchall()
    period = rows[0][0]
    got = {(r, v): x for _, r, v, x in rows}

    def counts(region: str) -> list[float | None]:
        out = []
        for _, plus, minus in AGE_GROUPS:
            parts = [got.get((region, v)) for v in plus + minus]
            out.append(None if None in parts else sum(parts[: len(plus)]) - sum(parts[len(plus) :]))
        return out

    own, ref = counts(key), counts(reference)
    return AgeStructure(
        period, [g[0] for g in AGE_GROUPS],
        model.age_shares(own, got.get((key, "bev_insg"))),
        model.age_shares(ref, got.get((reference, "bev_insg"))), own, ref,
    )  # fmt: skip


def person_variables(catalog, ids=None) -> dict[str, set[tuple[str, int]]]:
    """Per indicator (of `ids`, default all) the numerator variables (with period offsets) that
    count people or cases: the cells the suppression rule looks at. Indicators without any are
    left out."""
    from fis.catalog import formula

    person = {
        ind.id: {
            (v, off)
            for v, off in formula.variables(ind.numerator_expr)
            if v in catalog.variables and catalog.variables[v].unit in PERSON_UNITS
        }
        for ind in catalog.indicators.values()
        if ids is None or ind.id in ids
    }
    return {k: v for k, v in person.items() if v}


def gemeinden_of(con, kreis_key: str) -> list[model.RegionRef]:
    """The current Gemeinden of a Kreis, also those registered below a Gemeindeverband."""
    rows = con.execute(
        """
        SELECT region_key, name, level, kreisfrei FROM regions
        WHERE level = 'gemeinde' AND NOT historical AND (parent_key = $k OR parent_key IN (
            SELECT region_key FROM regions WHERE parent_key = $k AND level = 'verband'))
        ORDER BY region_key
        """,
        {"k": kreis_key},
    ).fetchall()
    return [model.RegionRef(*r) for r in rows]
