"""The kleiner Familienbericht and the Kreisübersicht as PDF.

The print view is written as `data.json` beside its SVG charts, and a typst template
(`templates/familienbericht.typ`, `templates/kreisuebersicht.typ`, or a Kreis's own copy in its
template folder) lays it out. The template reads every text as a typst string from the JSON, so no
text from the data is ever parsed as markup. Same view in, same bytes out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from fis.errors import FisError
from fis.report.branding import Branding
from fis.report.charts import Chart
from fis.report.pdf import compile_typst
from fis.report.view import (
    Cell,
    MethodView,
    OverviewRowView,
    OverviewView,
    ReportView,
    RowView,
    SectionView,
)

REPORT_TEMPLATE = "familienbericht.typ"
OVERVIEW_TEMPLATE = "kreisuebersicht.typ"
DATA_FILE = "data.json"


def render_report_pdf(view: ReportView, branding: Branding) -> bytes:
    """The kleiner Familienbericht of one Gemeinde as PDF (A4 portrait)."""
    files: dict[str, bytes] = {}
    data = report_document(view, branding, files)
    return _compile(REPORT_TEMPLATE, branding, data, files)


def render_overview_pdf(view: OverviewView, branding: Branding) -> bytes:
    """The Kreisübersicht as PDF (A4 landscape): one heat-table per Handlungsfeld."""
    files: dict[str, bytes] = {}
    data = overview_document(view, branding, files)
    return _compile(OVERVIEW_TEMPLATE, branding, data, files)


def template_source(name: str, branding: Branding) -> str:
    """The first template of this name in the branding's folders (a Kreis's own copy wins)."""
    for folder in branding.template_dirs:
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    searched = ", ".join(str(f) for f in branding.template_dirs)
    raise FisError(f"report template {name} not found in {searched}")


def _compile(template: str, branding: Branding, data: dict[str, Any], files: dict) -> bytes:
    files[DATA_FILE] = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    return compile_typst(template_source(template, branding), files)


def _common(branding: Branding, files: dict[str, bytes]) -> dict[str, Any]:
    """What both documents share: colours and the logo (as a file beside the data)."""
    logo = None
    if branding.logo and branding.logo_name:
        logo = branding.logo_name
        files[logo] = branding.logo
    return {"colors": dict(branding.colors), "logo": logo, "intro": branding.intro}


def _sources(sources: Sequence[tuple[str, str, str, bool]]) -> list[dict[str, Any]]:
    return [{"code": c, "title": t, "stand": s, "local": loc} for c, t, s, loc in sources]


# --- Familienbericht -----------------------------------------------------------------------------


def report_document(view: ReportView, branding: Branding, files: dict[str, bytes]) -> dict:
    """The JSON document the report template reads; chart files are added to `files`."""
    steckbrief_since = since_year(view.steckbrief)
    return {
        **_common(branding, files),
        "title": view.title,
        "region": view.region,
        "region_short": view.region_short,
        "reference": view.reference,
        "reference_head": view.reference_head,
        "land_head": view.land_head,
        "year": view.year,
        "data_stand": view.data_stand,
        "publisher": view.publisher or branding.publisher,
        "is_demo": view.is_demo,
        "steckbrief": [_row(r, steckbrief_since) for r in view.steckbrief],
        "steckbrief_since": steckbrief_since,
        "sections": [_section(s, n, files) for n, s in enumerate(view.sections, start=1)],
        "age_chart": _chart(view.age_chart, "charts/alter.svg", files) if view.age_chart else None,
        "methods": method_groups(view.sections, view.methods),
        "sources": _sources(view.sources),
        "findings": list(view.findings),
        "symbols": [list(s) for s in view.symbols],
        "min_count": view.min_count,
    }


def since_year(rows: Sequence[RowView]) -> int | None:
    """The year most changes in a table are measured from (ties: the latest year)."""
    years = Counter(r.change_since for r in rows if r.change and r.change_since)
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


def _cell(c: Cell) -> dict[str, Any]:
    return {"text": c.text, "footnote": c.footnote}


def _row(r: RowView, since: int | None) -> dict[str, Any]:
    change = r.change
    if change and r.change_since and r.change_since != since:
        change = f"{change} (seit {r.change_since})"
    return {
        "name": r.name, "short": r.short, "unit": r.unit, "note": r.note, "period": r.period,
        "value": _cell(r.value), "reference": _cell(r.reference), "land": _cell(r.land),
        "arrow": r.trend_arrow, "change": change, "rank": r.rank, "marker": r.marker,
        "label": r.marker_label, "judgement": r.judgement,
    }  # fmt: skip


def _chart(chart: Chart, name: str, files: dict[str, bytes]) -> dict[str, str]:
    files[name] = chart.svg.encode("utf-8")
    return {"file": name, "alt": chart.alt}


def _section(s: SectionView, n: int, files: dict[str, bytes]) -> dict[str, Any]:
    since = since_year(s.rows)
    return {
        "title": s.title,
        "sentences": list(s.sentences),
        "since": since,
        "rows": [_row(r, since) for r in s.rows],
        "missing": list(s.missing),
        "charts": [_chart(c, f"charts/k{n:02d}-{i}.svg", files) for i, c in enumerate(s.charts)],
    }


def _method(m: MethodView) -> dict[str, str]:
    return {"name": m.name, "unit": m.unit, "definition": m.definition, "formula": m.formula,
            "sources": m.sources, "reference_date": m.reference_date, "note": m.note}  # fmt: skip


def method_groups(sections: Sequence[SectionView], methods: Sequence[MethodView]) -> list[dict]:
    """The definitions grouped by Handlungsfeld. The view lists them in the order of the
    sections' rows; where that does not hold, one group keeps them all."""
    names = [r.name for s in sections for r in s.rows]
    if names != [m.name for m in methods]:
        return [{"title": "Alle Indikatoren", "items": [_method(m) for m in methods]}]
    groups, start = [], 0
    for s in sections:
        items = methods[start : start + len(s.rows)]
        start += len(s.rows)
        groups.append({"title": s.title, "items": [_method(m) for m in items]})
    return groups


# --- Kreisübersicht ------------------------------------------------------------------------------


def overview_document(view: OverviewView, branding: Branding, files: dict[str, bytes]) -> dict:
    """The JSON document the Kreisübersicht template reads."""
    return {
        **_common(branding, files),
        "title": view.title,
        "kreis": view.kreis,
        "kreis_short": view.kreis_short,
        "land_head": view.land_head,
        "year": view.year,
        "data_stand": view.data_stand,
        "publisher": view.publisher or branding.publisher,
        "is_demo": view.is_demo,
        "gemeinden": list(view.gemeinden),
        "sections": [
            {"title": s.title, "notable": list(s.notable), "rows": [_heat_row(r) for r in s.rows]}
            for s in view.sections
        ],
        "sources": _sources(view.sources),
        "symbols": [list(s) for s in view.symbols],
        "min_count": view.min_count,
    }


def _heat_row(r: OverviewRowView) -> dict[str, Any]:
    cells = [{"text": c.text, "tone": c.tone, "strong": c.strong} for c in r.cells]
    return {"name": r.name, "unit": r.unit, "period": r.period, "cells": cells,
            "kreis": _cell(r.kreis), "land": _cell(r.land)}  # fmt: skip
