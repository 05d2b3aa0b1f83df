"""The data of a kleiner Familienbericht and of the Kreisübersicht, read in a few queries.

All indicator values of the regions a report shows (the Gemeinde, its Kreis, the Land and every
Gemeinde of the Kreis) come in one query; everything else is plain Python over that result.

Small counts are suppressed as `report_parts` says (data protection).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import duckdb

from fis.catalog.doc import formula_in_words
from fis.catalog.load import Catalog
from fis.catalog.models import HANDLUNGSFELDER, Indicator
from fis.config import Config
from fis.errors import ConfigError, FisError, RegionError
from fis.report import model
from fis.report.model import (
    SUPPRESSED,
    GemeindeValue,
    IndicatorRow,
    KreisOverview,
    OverviewRow,
    OverviewSection,
    RegionRef,
    ReportData,
    Section,
    ValueTable,
)
from fis.warehouse.regions import resolve_region
from fis.warehouse.report_parts import (
    AGE_VARIABLES,
    age_structure,
    data_stand,
    gemeinden_of,
    is_demo,
    person_variables,
    published_values,
    region_findings,
    sources_used,
)

# The default key figures of the Steckbrief (REPORT.md §2); [report] steckbrief overrides them.
STECKBRIEF_DEFAULT = [
    "population_total",
    "share_under18",
    "general_fertility_rate",
    "net_migration_families",
    "share_hh_with_children",
    "share_lone_parents_of_families",
    "childcare_rate_under3",
    "childcare_rate_3to5",
    "child_poverty_sgb2_u15",
    "employment_rate_women",
    "youth_dependency_ratio",
    "hze_rate",
]
SERIES_YEARS = 15  # years of the time-series charts
# "Deutlich" differs from the Kreis (REPORT.md): by 10 % of the Kreis value, or by 2 percentage
# points for shares; [report] threshold_relative and threshold_pp override them.
NOTABLE_RELATIVE = 0.10
NOTABLE_PP = 2.0


@dataclass(frozen=True)
class _Places:
    """The regions one report shows."""

    region: RegionRef
    reference: RegionRef
    land: RegionRef | None
    kreis: RegionRef | None
    gemeinden: list[RegionRef]

    def keys(self) -> list[str]:
        found = [self.region, self.reference, self.land, self.kreis, *self.gemeinden]
        return list(dict.fromkeys(r.key for r in found if r is not None))


@dataclass(frozen=True)
class _CatalogInfo:
    """What every report derives from the catalogue, computed once per catalogue."""

    words: dict[str, str]  # formula in words
    variables: dict[str, set[str]]  # numerator and denominator variables
    person: dict[str, set[tuple[str, int]]]  # numerator variables counting people or cases


_INFO: dict[int, tuple[Catalog, _CatalogInfo]] = {}


# --- public API ------------------------------------------------------------------------------


def report_data(
    con: duckdb.DuckDBPyConnection,
    cfg: Config,
    catalog: Catalog,
    region_key: str,
    year: int | None = None,
    steckbrief: list[str] | None = None,
) -> ReportData:
    """Everything a kleiner Familienbericht for one Gemeinde or kreisfreie Stadt shows.

    `region_key` is a key or name; `year` defaults to the region's latest year with population
    data. RegionError for a region that is neither a Gemeinde nor a kreisfreie Stadt."""
    places = _places_for_region(con, region_key, cfg.focus)
    year = year or _default_year(con, places.region)
    ids = list(steckbrief or cfg.report.get("steckbrief") or STECKBRIEF_DEFAULT)
    unknown = [i for i in ids if i not in catalog.indicators]
    if unknown:
        raise ConfigError(f"Steckbrief: unknown indicator(s) {', '.join(unknown)}")
    info, min_count = _info(catalog), cfg.rules.disclosure.min_count
    table = published_values(con, info, places, year, min_count)
    rows = {i.id: _row(i, info, table, places, year) for i in catalog.indicators.values()}
    sections = _sections(rows, _selected_fields(cfg), ids)
    shown = [r for s in sections for r in s.rows] + [rows[i] for i in ids]
    first = min([year - SERIES_YEARS + 1] + [r.period_5y or r.period or year for r in shown])
    variables = {v for r in shown for v in info.variables[r.id]} | set(AGE_VARIABLES)
    sources = sources_used(con, variables, places.keys(), first, year)
    gaps = model.data_gaps([r for s in sections for r in s.rows], year, places.region.name)
    return ReportData(
        region=places.region, reference=places.reference, land=places.land, kreis=places.kreis,
        year=year, data_stand=data_stand(sources), is_demo=is_demo(con, cfg, sources),
        sections=sections, steckbrief=[rows[i] for i in ids],
        age=age_structure(con, places.region.key, places.reference.key, year),
        sources=[s for s, _ in sources],
        findings=region_findings(con, table, places.region.key, min_count) + gaps,
        min_count=min_count, title=cfg.report.get("title", "Kleiner Familienbericht"),
        publisher=cfg.report.get("publisher", ""),
    )  # fmt: skip


def kreis_overview(
    con: duckdb.DuckDBPyConnection,
    cfg: Config,
    catalog: Catalog,
    kreis_key: str,
    year: int | None = None,
) -> KreisOverview:
    """All Gemeinden of a Kreis side by side per Handlungsfeld, with the largest differences
    from the Kreis value ("Auffälligkeiten"). RegionError for anything but a Kreis."""
    places = _places_for_kreis(con, kreis_key, cfg.focus)
    year = year or _default_year(con, places.region)
    info, min_count = _info(catalog), cfg.rules.disclosure.min_count
    table = published_values(con, info, places, year, min_count)
    sections = _overview_sections(catalog, table, places, year, _selected_fields(cfg))
    shown = [r for s in sections for r in s.rows]
    first = min([year - SERIES_YEARS + 1] + [r.period for r in shown])
    variables = {v for r in shown for v in info.variables[r.id]}
    sources = sources_used(con, variables, places.keys(), first, year)
    rel = float(cfg.report.get("threshold_relative", NOTABLE_RELATIVE))
    pp = float(cfg.report.get("threshold_pp", NOTABLE_PP))
    # Absolute numbers and balances (which may be negative) have no meaningful relative
    # difference: they stay in the table but are not "Auffälligkeiten".
    comparable = {i.id for i in catalog.indicators.values() if i.denominator and i.range[0] >= 0}
    notable = {
        s.handlungsfeld: model.notable_differences(
            s.handlungsfeld, [r for r in s.rows if r.id in comparable], places.gemeinden, rel, pp)
        for s in sections
    }  # fmt: skip
    return KreisOverview(
        kreis=places.region, land=places.land, year=year, gemeinden=places.gemeinden,
        sections=sections, notable=notable, data_stand=data_stand(sources),
        is_demo=is_demo(con, cfg, sources), sources=[s for s, _ in sources],
        min_count=min_count, title=cfg.report.get("title", "Kleiner Familienbericht"),
        publisher=cfg.report.get("publisher", ""),
    )  # fmt: skip


def _info(catalog: Catalog) -> _CatalogInfo:
    """The catalogue-derived facts, cached per catalogue object (parsing ~300 formulas)."""
    hit = _INFO.get(id(catalog))
    if hit is not None and hit[0] is catalog:
        return hit[1]
    words = {ind.id: formula_in_words(ind, catalog) for ind in catalog.indicators.values()}
    variables = {ind.id: {v for v, _ in ind.variables()} for ind in catalog.indicators.values()}
    info = _CatalogInfo(words, variables, person_variables(catalog))
    _INFO.clear()  # one catalogue at a time is enough
    _INFO[id(catalog)] = (catalog, info)
    return info


# --- regions ---------------------------------------------------------------------------------


def _chain(con, key: str) -> list[tuple]:
    """The region and its ancestors: (key, name, level, kreisfrei, historical), nearest first."""
    return con.execute(
        """
        WITH RECURSIVE up AS (
            SELECT region_key, name, level, kreisfrei, historical, parent_key, 0 AS depth
            FROM regions WHERE region_key = $key
            UNION ALL
            SELECT r.region_key, r.name, r.level, r.kreisfrei, r.historical, r.parent_key,
                   up.depth + 1
            FROM regions r JOIN up ON r.region_key = up.parent_key WHERE up.depth < 8
        )
        SELECT region_key, name, level, kreisfrei, historical FROM up ORDER BY depth
        """,
        {"key": key},
    ).fetchall()


def _ref(row: tuple) -> RegionRef:
    return RegionRef(row[0], row[1], row[2], bool(row[3]))


def _first(chain: list[tuple], level: str) -> RegionRef | None:
    return next((_ref(r) for r in chain[1:] if r[2] == level), None)


def _places_for_region(con, text: str, focus: str) -> _Places:
    key, _ = resolve_region(con, text, focus)
    chain = _chain(con, key)
    region, level, historical = _ref(chain[0]), chain[0][2], chain[0][4]
    kreis = _first(chain, "kreis")
    land = _first(chain, "land")
    if historical:
        raise RegionError(f"{key} {region.name} is a former region (not in the current register)")
    if level == "kreis" and region.kreisfrei:
        kreis = region
    elif level != "gemeinde" or kreis is None:
        hint = "; for a Kreis use the Kreisübersicht" if level == "kreis" else ""
        raise RegionError(
            f"{key} {region.name} is a {level}: a Familienbericht is made for a Gemeinde or a "
            f"kreisfreie Stadt{hint}"
        )
    if kreis.kreisfrei:
        # a kreisfreie Stadt is compared with its Regierungsbezirk (or, without one, the Land)
        reference = _first(chain, "regbez") or land
        if reference is None:
            raise RegionError(f"{key} {region.name}: no Regierungsbezirk or Land in the register")
        return _Places(region, reference, land, None, [])
    return _Places(region, kreis, land, kreis, gemeinden_of(con, kreis.key))


def _places_for_kreis(con, text: str, focus: str) -> _Places:
    key, _ = resolve_region(con, text, focus)
    chain = _chain(con, key)
    kreis = _ref(chain[0])
    gemeinden = gemeinden_of(con, key) if kreis.level == "kreis" and not kreis.kreisfrei else []
    if not gemeinden:
        raise RegionError(
            f"{key} {kreis.name} is not a Kreis with Gemeinden: the Kreisübersicht needs one"
        )
    return _Places(kreis, kreis, _first(chain, "land"), kreis, gemeinden)


def _default_year(con, region: RegionRef) -> int:
    """The region's latest year with population data."""
    year = con.execute(
        """SELECT max(period) FROM indicator_values
           WHERE indicator_id = 'population_total' AND region_key = ? AND value IS NOT NULL""",
        [region.key],
    ).fetchone()[0]
    if year is None:
        raise FisError(f"no population data for {region.key} {region.name}; run 'fis refresh'")
    return year


def _selected_fields(cfg: Config) -> list[str]:
    """The Handlungsfelder of [report] handlungsfelder (names or folder names; empty = all)."""
    chosen = cfg.report.get("handlungsfelder") or []
    by_slug = {slug: name for name, slug in HANDLUNGSFELDER.items()}
    names = [by_slug.get(c, c) for c in chosen]
    unknown = [c for c in names if c not in HANDLUNGSFELDER]
    if unknown:
        raise ConfigError(f"[report] handlungsfelder: unknown {', '.join(unknown)}")
    return [hf for hf in HANDLUNGSFELDER if not names or hf in names]


# --- rows and sections -----------------------------------------------------------------------


def _row(ind: Indicator, info: _CatalogInfo, table: ValueTable, places: _Places, year: int):
    """One IndicatorRow of the report's region (see model.IndicatorRow for the rules)."""
    key, ref = places.region.key, places.reference.key
    land = places.land.key if places.land else None
    own = table.periods(ind.id, key, year) or table.periods(ind.id, key, year, any_row=True)
    period = max(own or table.periods(ind.id, ref, year) + table.periods(ind.id, land, year),
                 default=None)  # fmt: skip
    value, status = table.cell(ind.id, key, period)
    published = {p: table.cell(ind.id, key, p)[0] for p in own}
    p5 = model.five_years_earlier(period, published) if own else None
    value_5y, status_5y = table.cell(ind.id, key, p5)
    gemeinden = [g.key for g in places.gemeinden]
    rank, rank_of = table.rank(ind.id, key, gemeinden, period) if period else (None, 0)
    first = year - SERIES_YEARS + 1
    return IndicatorRow(
        id=ind.id, name=ind.name, short=ind.short, unit=ind.unit, decimals=ind.decimals,
        polarity=ind.polarity, handlungsfeld=ind.handlungsfeld, definition=ind.definition,
        formula_words=info.words[ind.id], sources=tuple(ind.sources),
        reference_date=ind.reference_date, note=ind.note,
        multi_year="mean4" in f"{ind.numerator} {ind.denominator}",
        absolute=ind.denominator is None, period=period, value=value,
        status=status, reference_value=table.cell(ind.id, ref, period)[0],
        reference_status=table.cell(ind.id, ref, period)[1],
        land_value=table.cell(ind.id, land, period)[0],
        land_status=table.cell(ind.id, land, period)[1],
        period_5y=p5, value_5y=value_5y, status_5y=status_5y, rank=rank, rank_of=rank_of,
        series={"region": table.series(ind.id, key, first, year),
                "reference": table.series(ind.id, ref, first, year),
                "land": table.series(ind.id, land, first, year)},
        gemeinden=[GemeindeValue(g.key, g.name, *table.cell(ind.id, g.key, period))
                   for g in places.gemeinden] if period else [],
        suppressed=status == SUPPRESSED, signed=ind.range[0] < 0,
    )  # fmt: skip


def _sections(rows: dict[str, IndicatorRow], fields: list[str], lead_ids: list[str]):
    """One Section per selected Handlungsfeld with indicators, in catalogue order."""
    sections = []
    for hf in fields:
        mine = [r for r in rows.values() if r.handlungsfeld == hf]
        shown = [r for r in mine if r.value is not None or r.status]
        missing = [r for r in mine if r.value is None and not r.status]
        if mine:
            sections.append(Section(hf, hf, shown, model.choose_lead(shown, lead_ids), missing))
    return sections


def _overview_sections(catalog, table: ValueTable, places: _Places, year: int, fields: list[str]):
    """Per Handlungsfeld, every indicator with Gemeinde values: Gemeinden × (value, status)."""
    kreis, land = places.region.key, places.land.key if places.land else None
    by_field: dict[str, list[OverviewRow]] = defaultdict(list)
    for ind in catalog.indicators.values():
        periods = [p for g in places.gemeinden for p in table.periods(ind.id, g.key, year)]
        if ind.handlungsfeld not in fields or not periods:
            continue
        p = max(periods)
        cells = [GemeindeValue(g.key, g.name, *table.cell(ind.id, g.key, p))
                 for g in places.gemeinden]  # fmt: skip
        by_field[ind.handlungsfeld].append(OverviewRow(
            ind.id, ind.name, ind.short, ind.unit, ind.decimals, ind.polarity, p, cells,
            *table.cell(ind.id, kreis, p), *table.cell(ind.id, land, p)))  # fmt: skip
    return [OverviewSection(hf, hf, by_field[hf]) for hf in fields if by_field[hf]]
