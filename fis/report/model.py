"""The report's data model: plain, frozen Python objects a renderer needs, no database.

`fis.warehouse.report_data` fills them from the warehouse; text, charts, HTML and PDF read only
these. Values are as stored (never rounded). A value that may not or cannot be shown is None
with its symbol in `status`: "·" suppressed here (small local count), or the official symbol
as delivered ("." geheim, "/" nicht sicher genug, "x" nicht sinnvoll, "-" nichts vorhanden …);
"" means an ordinary value (or, with value None, no row at all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

SUPPRESSED = "·"  # status of a cell suppressed for data protection
ROLES = ("region", "reference", "land")  # keys of IndicatorRow.series


@dataclass(frozen=True)
class RegionRef:
    """A region of the register."""

    key: str
    name: str
    level: str  # gemeinde, kreis, regbez, land, staat …
    kreisfrei: bool = False


class Point(NamedTuple):
    """One period of a time series."""

    period: int
    value: float | None
    status: str


class GemeindeValue(NamedTuple):
    """One Gemeinde's value in the bar chart / table of all Gemeinden of the Kreis."""

    key: str
    name: str
    value: float | None
    status: str


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator for the report's region: catalogue metadata, values, comparisons.

    `period` is the latest period up to the report year with a value for the region (with only
    symbols: the latest symbol; for a row in `Section.missing`: the latest period with a value
    for the reference or Land, or None). The reference and Land values are those of the same
    period. `period_5y` is period − 5 when the region has a value then, else the earliest of
    period − 6 and period − 4 that has one.
    `rank` is 1 for the highest value among the Gemeinden of the Kreis (ties share a rank;
    `rank_of` Gemeinden had a published value); None for a kreisfreie Stadt or without a value.
    """

    id: str
    name: str
    short: str
    unit: str
    decimals: int
    polarity: str  # higher_is_better, higher_is_worse, neutral
    handlungsfeld: str
    definition: str
    formula_words: str
    sources: tuple[str, ...]
    reference_date: str
    note: str
    multi_year: bool  # a 4-year mean (mean4 in the formula): say so in the text
    absolute: bool  # a count (no denominator): not comparable between regions of unequal size
    period: int | None
    value: float | None
    status: str
    reference_value: float | None
    reference_status: str
    land_value: float | None
    land_status: str
    period_5y: int | None
    value_5y: float | None
    status_5y: str
    rank: int | None
    rank_of: int
    series: dict[str, list[Point]] = field(default_factory=dict)  # ROLES → last 15 years
    gemeinden: list[GemeindeValue] = field(default_factory=list)  # all of the Kreis, at period
    suppressed: bool = False
    signed: bool = False  # a balance that may be negative (Saldo): changes are differences

    @property
    def is_share(self) -> bool:
        """A percentage: differences are Prozentpunkte."""
        return self.unit.strip() == "%"


@dataclass(frozen=True)
class Section:
    """One Handlungsfeld: indicators with data for the region, and those without. `rows` may
    be empty (no data for the region at all): the renderer then leaves the chapter out."""

    handlungsfeld: str
    title: str
    rows: list[IndicatorRow]
    lead: IndicatorRow | None  # the indicator for the time-series and bar charts
    missing: list[IndicatorRow]  # no data for the region (value None, never zero)


@dataclass(frozen=True)
class AgeStructure:
    """Population by age group (shares in % of the total) of the region and its reference."""

    period: int | None
    groups: list[str]
    region_shares: list[float | None]
    reference_shares: list[float | None]
    region_counts: list[float | None]
    reference_counts: list[float | None]


@dataclass(frozen=True)
class SourceRef:
    """A source table used by the report, with its latest Stand."""

    table_code: str
    title: str
    stand: str | None
    pipeline: str
    local: bool = False  # a local register (fis_tabular), not official statistics


@dataclass(frozen=True)
class Finding:
    """A refresh finding about the region (error/warning), or a data gap (kind 'gap')."""

    kind: str  # error, warning, gap
    rule: str
    indicator_id: str | None
    variable_id: str | None
    period: int | None
    message: str


@dataclass(frozen=True)
class ReportData:
    """Everything a kleiner Familienbericht for one Gemeinde (or kreisfreie Stadt) needs."""

    region: RegionRef
    reference: RegionRef  # the Kreis; for a kreisfreie Stadt the Regierungsbezirk
    land: RegionRef | None
    kreis: RegionRef | None  # None for a kreisfreie Stadt
    year: int
    data_stand: str | None  # latest Stand among the sources used (ISO date)
    is_demo: bool
    sections: list[Section]
    steckbrief: list[IndicatorRow]
    age: AgeStructure
    sources: list[SourceRef]
    findings: list[Finding]
    min_count: int
    title: str = "Kleiner Familienbericht"
    publisher: str = ""


@dataclass(frozen=True)
class OverviewRow:
    """One indicator across the Gemeinden of a Kreis; `cells` follow KreisOverview.gemeinden."""

    id: str
    name: str
    short: str
    unit: str
    decimals: int
    polarity: str
    period: int
    cells: list[GemeindeValue]
    kreis_value: float | None
    kreis_status: str
    land_value: float | None
    land_status: str


@dataclass(frozen=True)
class OverviewSection:
    """One Handlungsfeld of the Kreisübersicht."""

    handlungsfeld: str
    title: str
    rows: list[OverviewRow]


@dataclass(frozen=True)
class Notable:
    """A large difference of one Gemeinde from the Kreis value ("Auffälligkeit").

    `score` is the difference in multiples of the "deutlich" threshold: percentage points / 2
    for shares, |relative difference| / 10 % otherwise (thresholds configurable)."""

    handlungsfeld: str
    indicator_id: str
    name: str
    short: str
    unit: str
    decimals: int
    polarity: str
    period: int
    gemeinde: RegionRef
    value: float
    kreis_value: float
    difference: float  # value − kreis_value (percentage points for shares)
    relative: float | None  # difference / kreis_value
    score: float


@dataclass(frozen=True)
class KreisOverview:
    """The Kreisübersicht: all Gemeinden of a Kreis side by side, per Handlungsfeld."""

    kreis: RegionRef
    land: RegionRef | None
    year: int
    gemeinden: list[RegionRef]
    sections: list[OverviewSection]
    notable: dict[str, list[Notable]]  # Handlungsfeld → largest differences, largest first
    data_stand: str | None
    is_demo: bool
    sources: list[SourceRef]
    min_count: int
    title: str = "Kleiner Familienbericht"
    publisher: str = ""


# --- rules on plain values ------------------------------------------------------------------


class ValueTable:
    """Published indicator values: (indicator, region) → {period: (value, status)}.

    A suppressed cell is (None, "·"); it counts as a value when choosing a row's period (the
    latest value is suppressed, not missing)."""

    def __init__(self, cells: dict[tuple[str, str], dict[int, tuple[float | None, str]]]):
        self.cells = cells

    def periods(self, ind: str, key: str | None, year: int, any_row: bool = False) -> list[int]:
        """Periods up to `year` with a value (or, with any_row, with any row, e.g. a symbol)."""
        own = self.cells.get((ind, key), {})
        return [
            p
            for p, (v, s) in own.items()
            if p <= year and (any_row or v is not None or s == SUPPRESSED)
        ]

    def cell(self, ind: str, key: str | None, period: int | None) -> tuple[float | None, str]:
        """(value, status); (None, "") where there is no row."""
        return self.cells.get((ind, key), {}).get(period, (None, ""))

    def series(self, ind: str, key: str | None, first: int, last: int) -> list[Point]:
        own = self.cells.get((ind, key), {})
        return [Point(p, *own[p]) for p in sorted(own) if first <= p <= last]

    def suppress(self, ind: str, key: str, period: int) -> None:
        self.cells[ind, key][period] = (None, SUPPRESSED)

    def rank(self, ind: str, key: str, keys: list[str], period: int) -> tuple[int | None, int]:
        """Rank of `key`'s value among the published values of `keys` ("3 von 11")."""
        values = [self.cell(ind, k, period)[0] for k in keys]
        values = [v for v in values if v is not None]
        own = self.cell(ind, key, period)[0]
        if own is None or key not in keys:
            return None, len(values)
        return competition_rank(own, values), len(values)


def competition_rank(value: float, others: list[float]) -> int:
    """Rank of `value` among `others` (which include it): 1 = highest, ties share a rank."""
    return 1 + sum(1 for o in others if o > value)


def five_years_earlier(period: int, values: dict[int, float | None]) -> int | None:
    """The comparison period: period − 5 when it has a value, else the earliest of
    period − 6 and period − 4 that has one; None if neither."""
    for p in (period - 5, period - 6, period - 4):
        if values.get(p) is not None:
            return p
    return None


def secondary_cells(primary: set[str], numerators: dict[str, float | None]) -> set[str]:
    """Cells to suppress besides `primary` among the parts of one total (the Gemeinden of a
    Kreis, one indicator and period): if exactly one part is suppressed, the total minus the
    others would reveal it, so the part with the next smallest numerator is suppressed too."""
    if len(primary) != 1:
        return set()
    candidates = [(n, key) for key, n in numerators.items() if key not in primary and n is not None]
    return {min(candidates)[1]} if candidates else set()


def choose_lead(rows: list[IndicatorRow], preferred: list[str]) -> IndicatorRow | None:
    """The indicator of a section's charts: the first key figure (Steckbrief order) with a
    published value and a time series, else the row with the longest series of values.
    Absolute numbers are left out: a Gemeinde's count beside the Kreis's says nothing."""

    def points(row: IndicatorRow) -> int:
        return sum(1 for p in row.series.get("region", []) if p.value is not None)

    usable = [r for r in rows if r.value is not None and not r.absolute and points(r) >= 2]
    by_id = {r.id: r for r in usable}
    for ind in preferred:
        if ind in by_id:
            return by_id[ind]
    return max(usable, key=points, default=None)


def data_gaps(rows: list[IndicatorRow], year: int, region: str) -> list[Finding]:
    """Gaps of the shown indicators: a latest value older than the report year, and years
    of the series where the reference has a value and the region has none."""
    found = []
    for row in rows:
        if row.period is not None and row.period < year:
            found.append(Finding("gap", "veraltet", row.id, None, row.period,
                                 f"{row.short}: neuester Wert für {region} von {row.period}"))  # fmt: skip
        own = {p.period for p in row.series.get("region", [])}
        holes = [p.period for p in row.series.get("reference", [])
                 if p.value is not None and p.period not in own
                 and (row.period is None or p.period < row.period)]  # fmt: skip
        if holes:
            years = ", ".join(str(p) for p in holes)
            found.append(Finding("gap", "luecke", row.id, None, holes[0],
                                 f"{row.short}: keine Werte für {region} in {years}"))  # fmt: skip
    return found


def notable_differences(
    handlungsfeld: str,
    rows: list[OverviewRow],
    gemeinden: list[RegionRef],
    relative: float = 0.10,
    points: float = 2.0,
    limit: int = 3,
) -> list[Notable]:
    """The largest differences Gemeinde vs Kreis of one Handlungsfeld, largest first: per
    indicator its largest one, kept when at least the "deutlich" threshold (`relative` of the
    Kreis value; `points` percentage points for shares)."""
    found = []
    for row in rows:
        k = row.kreis_value
        if k is None or (row.unit.strip() != "%" and k == 0):
            continue
        best = None
        for g, cell in zip(gemeinden, row.cells):
            if cell.value is None:
                continue
            diff = cell.value - k
            rel = diff / k if k else None
            score = abs(diff) / points if row.unit.strip() == "%" else abs(rel) / relative
            if best is None or score > best.score:
                best = Notable(handlungsfeld, row.id, row.name, row.short, row.unit,
                               row.decimals, row.polarity, row.period, g, cell.value, k, diff,
                               rel, score)  # fmt: skip
        if best is not None and best.score >= 1:
            found.append(best)
    return sorted(found, key=lambda n: -n.score)[:limit]


def age_shares(counts: list[float | None], total: float | None) -> list[float | None]:
    """Each group's count in % of the total (None where the count or total is missing)."""
    if not total:
        return [None] * len(counts)
    return [None if c is None else 100 * c / total for c in counts]
