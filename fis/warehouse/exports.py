"""The data of `fis export`: a selection of indicators, regions and years read from the
warehouse in long form, with its metadata and sources, optionally with small counts suppressed.

Suppression (`--public`) reuses the report's rule (`report_parts.published_values`), applied
per Kreis over all of its Gemeinden, so that an export and a report publish the same cells and
the secondary partner is the Kreis-wide one even when only part of the Kreis is exported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from fis.catalog.doc import formula_in_words
from fis.catalog.load import Catalog
from fis.config import Config
from fis.errors import FisError
from fis.report.model import SUPPRESSED, RegionRef
from fis.warehouse.regions import resolve_region
from fis.warehouse.report_parts import (
    LOOKBACK_YEARS,
    gemeinden_of,
    person_variables,
    published_values,
)

# Columns of the long format, in order (CSV, Parquet).
LONG_COLUMNS = (
    "indicator_id",
    "region_key",
    "region_name",
    "level",
    "period",
    "value",
    "status",
    "unit",
)


@dataclass(frozen=True)
class Selection:
    """What to export: indicator ids (catalogue order), regions (key, name, level) in display
    order, and an inclusive year range (None: open)."""

    indicators: list[str]
    regions: list[tuple[str, str, str]]
    first: int | None = None
    last: int | None = None

    def region_keys(self) -> list[str]:
        return [r[0] for r in self.regions]


@dataclass(frozen=True)
class IndicatorMeta:
    """One indicator's metadata as the export documents it."""

    id: str
    name: str
    short: str
    handlungsfeld: str
    definition: str
    unit: str
    decimals: int
    formula: str
    sources: list[str]  # "code Titel (Stand YYYY-MM-DD)"


@dataclass(frozen=True)
class ExportData:
    """Everything a writer needs: metadata, the long rows (LONG_COLUMNS) and the sources."""

    selection: Selection
    indicators: list[IndicatorMeta]
    rows: list[tuple]
    sources: list[tuple[str, str, str | None]]  # (table code, title, Stand)
    public: bool = False
    suppressed: set[tuple[str, str, int]] = field(default_factory=set)


# --- selection -------------------------------------------------------------------------------


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """'2015-2020', '2020', '2015-' or '-2020' → (first, last); FisError otherwise."""
    if not text:
        return None, None
    m = re.fullmatch(r"\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*", text)
    if not m or not (m.group(1) or m.group(3)) or (m.group(2) is None and m.group(3)):
        raise FisError(f"bad year range {text!r}; use FROM-TO, e.g. 2015-2022")
    first = int(m.group(1)) if m.group(1) else None
    last = int(m.group(3)) if m.group(3) else (first if m.group(2) is None else None)
    if first is not None and last is not None and first > last:
        raise FisError(f"bad year range {text!r}: {first} is after {last}")
    return first, last


def select(
    con: duckdb.DuckDBPyConnection,
    cfg: Config,
    catalog: Catalog,
    indicators: list[str] | None = None,
    regions: list[str] | None = None,
    years: str | None = None,
) -> Selection:
    """The selection of `fis export`; defaults: every indicator, the Gemeinden of the focus
    Kreis plus the comparison regions, every year. Regions are keys or names."""
    ids = [i.strip() for i in indicators or [] if i.strip()] or list(catalog.indicators)
    unknown = [i for i in ids if i not in catalog.indicators]
    if unknown:
        raise FisError(f"unknown indicator(s) {', '.join(unknown)}; see 'fis indicators'")
    if regions:
        keys = [resolve_region(con, r, cfg.focus)[0] for r in regions if r.strip()]
    else:
        keys = [g.key for g in gemeinden_of(con, cfg.focus)] + list(cfg.comparison)
    keys = list(dict.fromkeys(keys))
    rows = con.execute(
        "SELECT region_key, name, level FROM regions WHERE region_key IN (SELECT unnest($k))",
        {"k": keys},
    ).fetchall()
    found = {r[0]: r for r in rows}
    missing = [k for k in keys if k not in found]
    if missing:
        raise FisError(f"unknown region(s) {', '.join(missing)}; see 'fis regions'")
    first, last = parse_years(years)
    return Selection([i for i in catalog.indicators if i in ids], [found[k] for k in keys],
                     first, last)  # fmt: skip


# --- values ----------------------------------------------------------------------------------


def export_data(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    sel: Selection,
    public: bool = False,
    min_count: int = 3,
) -> ExportData:
    """The selection's values in long form (sorted by indicator, region order, period), its
    indicators' metadata and sources; with `public`, small counts become (None, "·")."""
    params = {"ids": sel.indicators, "keys": sel.region_keys(), "first": sel.first or 0,
              "last": sel.last or 9999}  # fmt: skip
    raw = con.execute(
        """SELECT iv.indicator_id, iv.region_key, iv.period, iv.value, coalesce(iv.status, '')
           FROM indicator_values iv
           WHERE iv.indicator_id IN (SELECT unnest($ids))
             AND iv.region_key IN (SELECT unnest($keys))
             AND iv.period BETWEEN $first AND $last""",
        params,
    ).fetchall()
    suppressed = suppressed_cells(con, catalog, sel, raw, min_count) if public else set()
    region = {k: (n, lvl) for k, n, lvl in sel.regions}
    order_i = {i: n for n, i in enumerate(sel.indicators)}
    order_r = {k: n for n, k in enumerate(sel.region_keys())}
    rows = []
    for ind, key, period, value, status in sorted(
        raw, key=lambda r: (order_i[r[0]], order_r[r[1]], r[2])
    ):
        if (ind, key, period) in suppressed:
            value, status = None, SUPPRESSED
        unit = catalog.indicators[ind].unit
        rows.append((ind, key, *region[key], period, value, status, unit))
    by_indicator, sources = _sources(con, catalog, sel)
    metas = [_meta(catalog, i, by_indicator.get(i, [])) for i in sel.indicators]
    return ExportData(sel, metas, rows, sources, public, suppressed)


def suppressed_cells(
    con, catalog: Catalog, sel: Selection, raw: list[tuple], min_count: int
) -> set[tuple[str, str, int]]:
    """(indicator, region, period) cells the report would suppress, among the selection's."""
    info = _PersonInfo(person_variables(catalog, set(sel.indicators)))
    if not info.person or not raw:
        return set()
    periods = [r[2] for r in raw]
    kreise = _kreise_of(con, sel.region_keys())
    # Each Kreis with all its Gemeinden (the secondary partner is Kreis-wide); other regions
    # (Kreise, Land) on their own, for the primary rule only.
    groups = [_Group(gemeinden_of(con, k)) for k in sorted(set(kreise.values()))]
    others = [k for k in sel.region_keys() if k not in kreise]
    if others:
        groups.append(_Group([], others))
    wanted = {(r[0], r[1], r[2]) for r in raw}
    found: set[tuple[str, str, int]] = set()
    for group in groups:
        # published_values reads LOOKBACK_YEARS back from `year`: cover the range in windows.
        year = max(periods)
        while year >= min(periods):
            table = published_values(con, info, group, year, min_count)
            for (ind, key), cells in table.cells.items():
                found |= {(ind, key, p) for p, (_, s) in cells.items() if s == SUPPRESSED}
            year -= LOOKBACK_YEARS + 1
    return found & wanted


@dataclass(frozen=True)
class _PersonInfo:
    """The part of the report's catalogue info that suppression reads."""

    person: dict[str, set[tuple[str, int]]]


@dataclass(frozen=True)
class _Group:
    """Regions suppressed together, shaped like the report's places (`keys`, `gemeinden`)."""

    gemeinden: list[RegionRef]
    extra: list[str] = field(default_factory=list)

    def keys(self) -> list[str]:
        return [g.key for g in self.gemeinden] + self.extra


def _kreise_of(con, keys: list[str]) -> dict[str, str]:
    """Gemeinde key → its Kreis key (through a Gemeindeverband where there is one)."""
    rows = con.execute(
        """SELECT g.region_key, CASE WHEN p.level = 'verband' THEN p.parent_key
                                     ELSE g.parent_key END
           FROM regions g LEFT JOIN regions p ON p.region_key = g.parent_key
           WHERE g.level = 'gemeinde' AND g.region_key IN (SELECT unnest($k))""",
        {"k": keys},
    ).fetchall()
    return {g: k for g, k in rows if k}


# --- metadata --------------------------------------------------------------------------------


def _sources(con, catalog: Catalog, sel: Selection):
    """Per indicator the source tables behind its variables' values in the selection (each
    with its latest Stand), and all of them."""
    variables = {i: {v for v, _ in catalog.indicators[i].variables()} for i in sel.indicators}
    rows = con.execute(
        """
        WITH used AS (
            SELECT DISTINCT variable_id, pipeline FROM variable_values
            WHERE variable_id IN (SELECT unnest($vars)) AND region_key IN (SELECT unnest($keys))
              AND period BETWEEN $first AND $last)
        SELECT u.variable_id, s.table_code, any_value(s.title ORDER BY s.stand DESC NULLS LAST),
               max(s.stand)
        FROM used u JOIN sources s ON s.pipeline = u.pipeline
        GROUP BY ALL ORDER BY 2
        """,
        {"vars": sorted(set().union(*variables.values())), "keys": sel.region_keys(),
         # one year before the range: formulas read the previous year (offset -1)
         "first": (sel.first or 1) - 1, "last": sel.last or 9999},
    ).fetchall()  # fmt: skip
    by_variable: dict[str, set] = defaultdict(set)
    for var, code, title, stand in rows:
        by_variable[var].add((code or "", title or "", stand))
    by_indicator = {
        i: [_source_text(s) for s in sorted(set().union(*(by_variable[v] for v in vs)))]
        for i, vs in variables.items()
        if vs
    }
    return by_indicator, sorted({s for ss in by_variable.values() for s in ss})


def _source_text(source: tuple[str, str, str | None]) -> str:
    code, title, stand = source
    return f"{code} {title} (Stand {stand or 'unbekannt'})".strip()


def _meta(catalog: Catalog, ind_id: str, sources: list[str]) -> IndicatorMeta:
    ind = catalog.indicators[ind_id]
    return IndicatorMeta(ind.id, ind.name, ind.short, ind.handlungsfeld, ind.definition,
                         ind.unit, ind.decimals, formula_in_words(ind, catalog),
                         sources)  # fmt: skip
