"""What a report shows, ready to print: formatted numbers, sentences and charts.

Built from the report model (`fis.report.model`); the HTML and the PDF templates render the same
view, so both say the same thing. Nothing here knows HTML or typst, and nothing here rounds a
value before comparing: numbers are formatted only at the end, for display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from fis.report import charts, text
from fis.report.model import (
    SUPPRESSED,
    IndicatorRow,
    KreisOverview,
    OverviewRow,
    RegionRef,
    ReportData,
    Section,
)
from fis.report.numbers import (
    MISSING_SYMBOLS,
    fmt_change,
    fmt_number,
    fmt_value,
    german_decimals,
    relative_change,
)

# Short names of the Länder for column heads (the register has the long ones).
LAND_SHORT = {"01": "SH", "02": "HH", "03": "NI", "04": "HB", "05": "NRW", "06": "HE", "07": "RP",
              "08": "BW", "09": "BY", "10": "SL", "11": "BE", "12": "BB", "13": "MV", "14": "SN",
              "15": "ST", "16": "TH", "DG": "Deutschland"}  # fmt: skip

# The register writes "Kreuztal, Stadt"; a title says "Stadt Kreuztal".
_SUFFIX = re.compile(r"^(?P<name>[^,]+),\s*(?P<kind>.+)$")


def short_name(region: RegionRef) -> str:
    """The name without its kind: "Kreuztal", "Siegen", "Siegen-Wittgenstein"."""
    m = _SUFFIX.match(region.name)
    return m["name"].strip() if m else region.name


def long_name(region: RegionRef) -> str:
    """The name as a title says it: "Stadt Kreuztal", "Gemeinde Burbach", "Kreis Olpe"."""
    m = _SUFFIX.match(region.name)
    if m:
        kind = m["kind"].strip()
        kind = {"Kreis": "Kreis", "Landkreis": "Landkreis"}.get(kind, kind)
        return f"{kind} {m['name'].strip()}"
    if region.name.startswith("Reg.-Bez. "):  # the register's abbreviation
        return "Regierungsbezirk " + region.name.removeprefix("Reg.-Bez. ")
    kind = {"gemeinde": "Gemeinde", "kreis": "Kreis", "regbez": "Regierungsbezirk"}
    return f"{kind[region.level]} {region.name}" if region.level in kind else region.name


def land_short(region: RegionRef | None) -> str:
    if region is None:
        return ""
    return LAND_SHORT.get(region.key, short_name(region))


def german_date(iso: str | None) -> str:
    """ "2026-01-19" → "19.01.2026"; anything else as it is."""
    if not iso:
        return "unbekannt"
    try:
        return date.fromisoformat(iso[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return iso


def slug(title: str) -> str:
    """An anchor id from a German title."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe",
                           "Ü": "ue"})  # fmt: skip
    return re.sub(r"[^a-z0-9]+", "-", title.translate(table).lower()).strip("-")


@dataclass(frozen=True)
class Cell:
    """A number as printed, with the value it stands for (None where a symbol is shown)."""

    text: str
    value: float | None = None
    footnote: bool = False  # suppressed for data protection: the legend explains "·"


def cell(value: float | None, status: str, decimals: int, unit: str = "") -> Cell:
    shown = None if status in MISSING_SYMBOLS or value is None else value
    return Cell(fmt_value(value, decimals, status, unit), shown, status == SUPPRESSED)


@dataclass(frozen=True)
class RowView:
    """One indicator's line in a table."""

    id: str
    name: str
    short: str
    unit: str
    period: int | None
    value: Cell
    reference: Cell
    land: Cell
    change: str  # "+2,1 Prozentpunkte" / "−3,4 %" since `change_since`, or ""
    change_since: int | None
    trend_arrow: str  # ↗ ↘ →
    rank: str  # "3 von 11"
    marker: str  # ▲ ▼ ● or ""
    marker_label: str  # günstiger, ungünstiger, höher, niedriger, etwa gleich
    judgement: str  # better, worse, neutral, same, "" (CSS class / colour)
    note: str = ""


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    sentences: list[str]
    rows: list[RowView]
    missing: list[str]  # indicators without data for the region
    charts: list[charts.Chart] = field(default_factory=list)


@dataclass(frozen=True)
class MethodView:
    name: str
    unit: str
    definition: str
    formula: str
    sources: str
    reference_date: str
    note: str


@dataclass(frozen=True)
class ReportView:
    """One kleiner Familienbericht, ready for a template."""

    title: str  # "Kleiner Familienbericht 2024"
    region: str  # "Stadt Kreuztal"
    region_short: str  # "Kreuztal"
    region_key: str
    reference: str  # "Kreis Siegen-Wittgenstein" (kreisfreie Stadt: the Regierungsbezirk)
    reference_head: str  # column head: "Kreis" or "RB"
    land_head: str  # "NRW"
    year: int
    data_stand: str
    publisher: str
    is_demo: bool
    steckbrief: list[RowView]
    sections: list[SectionView]
    age_chart: charts.Chart | None
    methods: list[MethodView]
    sources: list[tuple[str, str, str, bool]]  # table code, title, Stand, local register
    findings: list[str]
    symbols: list[tuple[str, str]]
    min_count: int


def facts(row: IndicatorRow, data: ReportData | None, reference_kind: str) -> text.IndicatorFacts:
    """The text module's view of one indicator row."""
    return text.IndicatorFacts(
        indicator_id=row.id, name=row.name, short=row.short, unit=row.unit,
        decimals=row.decimals, polarity=row.polarity, period=row.period, value=row.value,
        status=row.status, reference_name=data and short_name(data.reference),
        reference_value=row.reference_value, reference_kind=reference_kind,
        land_value=row.land_value, past_period=row.period_5y, past_value=row.value_5y,
        multi_year=row.multi_year,
    )  # fmt: skip


def row_view(row: IndicatorRow, f: text.IndicatorFacts) -> RowView:
    """A table line: values, 5-year change, rank and the comparison marker."""
    cmp = text.compare_facts(f)
    tr = text.trend_facts(f)
    change = ""
    if tr is not None:
        if row.is_share:
            change = fmt_change(tr.delta, "%", 1)
        elif row.signed:  # a Saldo: the difference in its unit, a percentage means nothing
            change = fmt_number(f.value - f.past_value, row.decimals, signed=True)
        elif (rel := relative_change(f.value, f.past_value)) is not None:
            change = fmt_change(rel, "", 1)
    return RowView(
        id=row.id, name=row.name, short=row.short, unit=row.unit, period=row.period,
        value=cell(row.value, row.status, row.decimals, row.unit),
        reference=cell(row.reference_value, row.reference_status, row.decimals, row.unit),
        land=cell(row.land_value, row.land_status, row.decimals, row.unit),
        change=change, change_since=row.period_5y if change else None,
        trend_arrow=tr.arrow if tr else "",
        rank=f"{row.rank} von {row.rank_of}" if row.rank else "",
        marker=cmp.marker if cmp else "", marker_label=cmp.label if cmp else "",
        judgement=cmp.judgement if cmp else "",
        note="Mittel über 4 Jahre" if row.multi_year else "",
    )  # fmt: skip


def _section(data: ReportData, s: Section, kind: str, colors) -> SectionView:
    name = short_name(data.region)
    fs = [facts(r, data, kind) for r in s.rows]
    views = [row_view(r, f) for r, f in zip(s.rows, fs, strict=True)]
    sentences = text.key_sentence_for_section(name, fs)
    for m in s.missing[:2]:  # say what is missing, with the reference where there is one
        sentences += text.sentences(name, facts(m, data, kind))
    return SectionView(
        id=slug(s.title), title=s.title, sentences=sentences, rows=views,
        missing=[m.name for m in s.missing], charts=_charts(data, s.lead, colors),
    )  # fmt: skip


def _charts(data: ReportData, lead: IndicatorRow | None, colors) -> list[charts.Chart]:
    """The lead indicator over time (region, reference, Land), and all Gemeinden of the Kreis."""
    if lead is None:
        return []
    name, ref = short_name(data.region), short_name(data.reference)
    land = land_short(data.land)
    label = {"region": name, "reference": ref, "land": land}
    series = {label[role]: [(p.period, p.value) for p in pts]
              for role, pts in lead.series.items() if pts and label.get(role)}  # fmt: skip
    out = []
    if any(v is not None for pts in series.values() for _, v in pts):
        out.append(charts.time_series_svg(series, name, lead.unit, lead.name, lead.decimals,
                                          colors=colors))  # fmt: skip
    bars = [(g.name.split(",")[0], g.value) for g in lead.gemeinden]
    if len(bars) > 1 and any(v is not None for _, v in bars):
        out.append(charts.gemeinden_bars_svg(
            bars, name, lead.reference_value, f"Kreis {ref}", lead.unit, lead.decimals,
            f"{lead.name} {lead.period}: alle Gemeinden des Kreises", colors=colors))  # fmt: skip
    return out


def _short_note(note: str) -> str:
    """A catalogue note short and plain enough for the printed annex (else left out)."""
    return note if len(note) <= 220 and "_" not in note else ""


def finding_text(f) -> str:
    """A finding for readers: the rule's German title, then its message with German decimals."""
    from fis.rules import RULE_TEXT

    title = RULE_TEXT.get(f.rule, (f.rule, ""))[0]
    return f"{title}: {german_decimals(f.message)}"


def report_view(data: ReportData, colors=None) -> ReportView:
    """The printable view of one report."""
    kind = "regbez" if data.kreis is None else "kreis"
    fs = [facts(r, data, kind) for r in data.steckbrief]
    age = data.age
    age_chart = None
    if age.groups and any(v is not None for v in age.region_shares):
        age_chart = charts.age_structure_svg(
            age.groups, age.region_shares, age.reference_shares, short_name(data.region),
            short_name(data.reference), title=f"Bevölkerung nach Altersgruppen {age.period}",
            colors=colors)  # fmt: skip
    used = [r for s in data.sections for r in s.rows]
    return ReportView(
        title=f"{data.title} {data.year}", region=long_name(data.region),
        region_short=short_name(data.region), region_key=data.region.key,
        reference=long_name(data.reference), reference_head="Kreis" if data.kreis else "RB",
        land_head=land_short(data.land), year=data.year, data_stand=german_date(data.data_stand),
        publisher=data.publisher, is_demo=data.is_demo,
        steckbrief=[row_view(r, f) for r, f in zip(data.steckbrief, fs, strict=True)],
        sections=[_section(data, s, kind, colors) for s in data.sections if s.rows],
        age_chart=age_chart,
        methods=[MethodView(r.name, r.unit, r.definition, r.formula_words, ", ".join(r.sources),
                            r.reference_date, _short_note(r.note)) for r in used],
        sources=[(s.table_code, s.title, german_date(s.stand), s.local) for s in data.sources],
        findings=[finding_text(f) for f in data.findings],
        symbols=list(MISSING_SYMBOLS.items()),
        min_count=data.min_count,
    )  # fmt: skip


# --- Kreisübersicht ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewCell:
    text: str
    value: float | None
    tone: str  # better, worse, higher, lower, same, "" – distance from the Kreis, by polarity
    strong: bool  # at least twice the "deutlich" threshold


@dataclass(frozen=True)
class OverviewRowView:
    id: str
    name: str
    short: str
    unit: str
    period: int
    cells: list[OverviewCell]
    kreis: Cell
    land: Cell


@dataclass(frozen=True)
class OverviewSectionView:
    id: str
    title: str
    rows: list[OverviewRowView]
    notable: list[str]


@dataclass(frozen=True)
class OverviewView:
    title: str
    kreis: str
    kreis_short: str
    land_head: str
    year: int
    data_stand: str
    publisher: str
    is_demo: bool
    gemeinden: list[str]
    sections: list[OverviewSectionView]
    sources: list[tuple[str, str, str, bool]]
    symbols: list[tuple[str, str]]
    min_count: int


def _tone(value: float | None, row: OverviewRow) -> tuple[str, bool]:
    if value is None or row.kreis_value is None or row.unit in text.COUNT_UNITS:
        return "", False
    cmp = text.compare(value, row.kreis_value, row.unit, row.polarity)
    if not cmp.significant:
        return "same", False
    tone = cmp.judgement if cmp.judgement in ("better", "worse") else cmp.direction
    return tone, cmp.score >= 2


def _overview_row(row: OverviewRow) -> OverviewRowView:
    cells = []
    for g in row.cells:
        c = cell(g.value, g.status, row.decimals)
        cells.append(OverviewCell(c.text, c.value, *_tone(c.value, row)))
    return OverviewRowView(row.id, row.name, row.short, row.unit, row.period, cells,
                           cell(row.kreis_value, row.kreis_status, row.decimals),
                           cell(row.land_value, row.land_status, row.decimals))  # fmt: skip


def _notable_sentence(n, kreis: str) -> str:
    """ "Kreuztal: Betreuungsquote u3 31,2 % (Kreis 28,4 %; +2,8 Prozentpunkte)." """
    unit = "%" if n.unit == "%" else ""
    diff = (fmt_change(n.difference, "%", 1) if n.unit == "%"
            else fmt_change(100 * n.relative, "", 1) if n.relative is not None
            else fmt_number(n.difference, n.decimals, signed=True))  # fmt: skip
    value = fmt_value(n.value, n.decimals, "", unit, with_unit=bool(unit))
    ref = fmt_value(n.kreis_value, n.decimals, "", unit, with_unit=bool(unit))
    return f"{short_name(n.gemeinde)}: {n.name} {value} ({kreis} {ref}; {diff})."


def overview_view(ov: KreisOverview) -> OverviewView:
    """The printable view of a Kreisübersicht."""
    kreis = short_name(ov.kreis)
    return OverviewView(
        title=f"{ov.title} {ov.year} – Kreisübersicht", kreis=long_name(ov.kreis),
        kreis_short=kreis, land_head=land_short(ov.land), year=ov.year,
        data_stand=german_date(ov.data_stand), publisher=ov.publisher, is_demo=ov.is_demo,
        gemeinden=[short_name(g) for g in ov.gemeinden],
        sections=[OverviewSectionView(
            slug(s.title), s.title, [_overview_row(r) for r in s.rows],
            [_notable_sentence(n, "Kreis") for n in ov.notable.get(s.handlungsfeld, [])])
            for s in ov.sections if s.rows],
        sources=[(s.table_code, s.title, german_date(s.stand), s.local) for s in ov.sources],
        symbols=list(MISSING_SYMBOLS.items()), min_count=ov.min_count,
    )  # fmt: skip
