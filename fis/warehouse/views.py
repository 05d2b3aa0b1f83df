"""Documented views for analysts: indicators long and wide, and the region hierarchy.

The views live in the warehouse file, so any DuckDB client (and a read-only connection) can use
them. `v_indicator_wide` has one column per indicator of the catalogue; a DuckDB view cannot
pivot over a list it does not know, so its SQL is written from the `indicators` table and the
view must be recreated whenever the catalogue is synced (`create_views` after each refresh).
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from fis.warehouse.docs import TABLES


class View(NamedTuple):
    """A view: its SQL (a template for the wide view), what it is, what its columns mean."""

    sql: str
    description: str
    columns: dict[str, str]


LONG_SQL = """
    SELECT iv.indicator_id, i.name AS indicator_name, i.handlungsfeld, i.unit,
           iv.region_key, r.name AS region_name, r.level, iv.period, iv.value,
           iv.numerator, iv.denominator, iv.status
    FROM indicator_values iv
    LEFT JOIN indicators i USING (indicator_id)
    LEFT JOIN regions r USING (region_key)"""

# {indicator_columns} is filled by `wide_sql` with one aggregate per catalogue indicator.
WIDE_SQL = """
    SELECT iv.region_key, r.name AS region_name, r.level, iv.period{indicator_columns}
    FROM indicator_values iv
    LEFT JOIN regions r USING (region_key)
    WHERE iv.indicator_id IN (SELECT indicator_id FROM indicators)
    GROUP BY iv.region_key, r.name, r.level, iv.period"""

# Walks parent_key upward (a region counts as its own ancestor); the depth limit guards against
# a cycle in a damaged register. Gemeinden hang below the Kreis, their Gemeindeverband is named
# by verband_key.
HIERARCHY_SQL = """
    WITH RECURSIVE up(region_key, ancestor_key, depth) AS (
        SELECT region_key, region_key, 0 FROM regions
        UNION ALL
        SELECT up.region_key, p.parent_key, up.depth + 1
        FROM up JOIN regions p ON p.region_key = up.ancestor_key
        WHERE p.parent_key IS NOT NULL AND up.depth < 12
    ),
    anc AS (
        SELECT up.region_key,
               max(a.region_key) FILTER (WHERE a.level = 'kreis') AS kreis_key,
               max(a.name) FILTER (WHERE a.level = 'kreis') AS kreis_name,
               max(a.region_key) FILTER (WHERE a.level = 'regbez') AS regbez_key,
               max(a.name) FILTER (WHERE a.level = 'regbez') AS regbez_name,
               max(a.region_key) FILTER (WHERE a.level = 'land') AS land_key,
               max(a.name) FILTER (WHERE a.level = 'land') AS land_name
        FROM up JOIN regions a ON a.region_key = up.ancestor_key
        GROUP BY up.region_key
    )
    SELECT r.region_key, r.name AS region_name, r.level,
           v.region_key AS verband_key, v.name AS verband_name,
           anc.kreis_key, anc.kreis_name, anc.regbez_key, anc.regbez_name,
           anc.land_key, anc.land_name, r.kreisfrei, r.historical
    FROM regions r
    LEFT JOIN anc USING (region_key)
    LEFT JOIN regions v
      ON v.region_key = CASE WHEN r.level = 'verband' THEN r.region_key ELSE r.verband_key END"""

_REGION = {
    "region_key": "official key of the region",
    "region_name": "its name",
    "level": "its level (gemeinde, kreis, land, ...)",
}

VIEWS: dict[str, View] = {
    "v_indicator_long": View(
        LONG_SQL,
        "Every indicator value with the indicator's name and unit and the region's name: one "
        "row per indicator, region and year.",
        {
            "indicator_id": "the indicator",
            "indicator_name": "its German name",
            "handlungsfeld": "its Handlungsfeld",
            "unit": "its unit",
            **_REGION,
            "period": "year",
            "value": "the indicator value",
            "numerator": "value of the numerator",
            "denominator": "value of the denominator",
            "status": "'' or why the value is missing or flagged",
        },
    ),
    "v_indicator_wide": View(
        WIDE_SQL,
        "One row per region and year, one column per indicator of the catalogue (its value).",
        {**_REGION, "period": "year", "<indicator_id>": "value of that indicator"},
    ),
    "v_region_hierarchy": View(
        HIERARCHY_SQL,
        "Each region with the Gemeindeverband, Kreis, Regierungsbezirk and Land it lies in "
        "(a region of that level is its own).",
        {
            **_REGION,
            "verband_key": "its Gemeindeverband",
            "verband_name": "name of the Gemeindeverband",
            "kreis_key": "its Kreis (or kreisfreie Stadt)",
            "kreis_name": "name of the Kreis",
            "regbez_key": "its Regierungsbezirk",
            "regbez_name": "name of the Regierungsbezirk",
            "land_key": "its Land",
            "land_name": "name of the Land",
            "kreisfrei": "a kreisfreie Stadt",
            "historical": "not in the current register (merged or dissolved)",
        },
    ),
}

_WIDE_KEYS = {"region_key", "region_name", "level", "period"}


def _quote(text: str, q: str) -> str:
    return q + text.replace(q, q + q) + q


def wide_sql(con: duckdb.DuckDBPyConnection) -> str:
    """The SQL of v_indicator_wide for the indicators now in the `indicators` table."""
    ids = [r[0] for r in con.execute("SELECT indicator_id FROM indicators ORDER BY 1").fetchall()]
    cols = "".join(
        f",\n           max(iv.value) FILTER (WHERE iv.indicator_id = {_quote(i, chr(39))})"
        f" AS {_quote(i, chr(34))}"
        for i in ids
        if i not in _WIDE_KEYS  # a clash would break the view; ids are snake_case nouns
    )
    return WIDE_SQL.format(indicator_columns=cols)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every analysts' view; call again after the catalogue is synced."""
    for name, view in VIEWS.items():
        sql = wide_sql(con) if name == "v_indicator_wide" else view.sql
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")


def describe_schema(con: duckdb.DuckDBPyConnection):
    """Every table and view of the warehouse with its columns, types and meaning.

    Per object a first row with an empty column name carries the description."""
    from fis.warehouse.queries import Table  # queries -> regions -> schema -> this module

    cols = con.execute(
        """SELECT c.table_name, t.table_type, c.column_name, c.data_type
           FROM information_schema.columns c
           JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
           WHERE c.table_schema = 'main' AND c.table_catalog = current_database()
           ORDER BY c.table_name, c.ordinal_position"""
    ).fetchall()
    objects: dict[str, tuple[str, list]] = {}
    for table, ttype, column, dtype in cols:
        kind = "view" if ttype == "VIEW" else "table"
        objects.setdefault(table, (kind, []))[1].append((column, dtype))
    indicators = dict(
        con.execute(
            "SELECT indicator_id, name || coalesce(' (' || unit || ')', '') FROM indicators"
        ).fetchall()
    )
    order = [*TABLES, *VIEWS]
    names = sorted(objects, key=lambda n: (order.index(n) if n in order else len(order), n))
    rows = []
    for name in names:
        kind, columns = objects[name]
        doc, meanings = _doc(name)
        rows.append((name, kind, "", "", doc))
        for column, dtype in columns:
            meaning = meanings.get(column)
            if meaning is None and name == "v_indicator_wide":
                meaning = indicators.get(column, "")
            rows.append((name, kind, column, dtype, meaning or ""))
    return Table(["object", "kind", "column", "type", "meaning"], rows, title="Warehouse schema")


def _doc(name: str) -> tuple[str, dict[str, str]]:
    if name in TABLES:
        return TABLES[name]
    if name in VIEWS:
        return VIEWS[name].description, VIEWS[name].columns
    return "", {}
