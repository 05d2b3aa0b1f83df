"""`fis export`: a selection of the warehouse as an Excel workbook, as CSV with a Frictionless
Data Package, or as Parquet partitioned by indicator.

Excel layout: one sheet per Handlungsfeld with one row per region and year and one column per
indicator. An analyst reads a region's profile across a row, filters a year or a region with the
autofilter, and pivots without reshaping; one column per (indicator, year) would need up to
~300 columns per sheet. Two header rows: the indicator's short name with its unit (for reading)
and its id (for formulas and scripts). A value is a number with the indicator's decimals as its
number format; where there is none the cell holds the symbol: the official status as delivered,
"·" for a suppressed small count, "." where the indicator has no row in that year although the
region has values in others, "x" where it has none for the region at all (not reported at that
level). A cell is never blank and never 0 for a missing value.
"""

from __future__ import annotations

import csv
import json
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fis.config import Config
from fis.errors import FisError
from fis.warehouse.exports import LONG_COLUMNS, ExportData

FORMATS = ("xlsx", "csv", "parquet")
LICENSE = {
    "name": "dl-de/by-2-0",
    "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "path": "https://www.govdata.de/dl-de/by-2-0",
}
METADATA_SHEET = "Metadaten"
SHEET_FORBIDDEN = "[]:*?/\\'"
NO_ROW_YEAR = "."  # the region has values of the indicator, but not in this year
NO_ROW_REGION = "x"  # the indicator is not reported for the region
FIXED_CREATED = datetime(2000, 1, 1)  # workbook property: the same export gives the same file
REGION_HEADERS = ["Regionalschlüssel", "Region", "Ebene", "Jahr"]
META_HEADERS = ["Indikator-ID", "Name", "Kurzname", "Handlungsfeld", "Tabellenblatt",
                "Definition", "Einheit", "Nachkommastellen", "Berechnung",
                "Quellen (Stand)"]  # fmt: skip


@dataclass(frozen=True)
class ExportResult:
    """What was written: the paths, the number of long rows and the seconds it took."""

    paths: list[Path]
    rows: int
    seconds: float


def write_export(
    cfg: Config,
    fmt: str,
    out: Path | None = None,
    indicators: list[str] | None = None,
    regions: list[str] | None = None,
    years: str | None = None,
    public: bool = False,
) -> ExportResult:
    """Select from the warehouse and write the export in `fmt` (xlsx file; csv or parquet
    folder, default data/out/export/FMT)."""
    from fis.catalog import load_catalog
    from fis.warehouse.exports import export_data, select
    from fis.warehouse.schema import connect

    start = time.perf_counter()
    if fmt not in FORMATS:
        raise FisError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "xlsx" and out is None:
        raise FisError("--format xlsx needs --out FILE.xlsx")
    catalog = load_catalog(cfg.indicators)
    con = connect(cfg.warehouse, read_only=True)
    try:
        sel = select(con, cfg, catalog, indicators, regions, years)
        data = export_data(con, catalog, sel, public, cfg.rules.disclosure.min_count)
    finally:
        con.close()
    if fmt == "xlsx":
        paths = [write_xlsx(data, Path(out))]
    elif fmt == "csv":
        paths = write_csv(data, Path(out or cfg.out / "export" / "csv"))
    else:
        paths = [write_parquet(data, Path(out or cfg.out / "export" / "parquet"))]
    return ExportResult(paths, len(data.rows), time.perf_counter() - start)


# --- Excel -----------------------------------------------------------------------------------


def sheet_name(title: str, used: set[str]) -> str:
    """An Excel sheet name for `title`: no []:*?/\\', at most 31 characters (cut at a word,
    without a dangling '&' or ','), unique in `used` (case-insensitive), which it joins."""
    clean = "".join(" " if c in SHEET_FORBIDDEN else c for c in title).strip() or "Blatt"
    if len(clean) > 31:
        cut = clean[:32].rsplit(" ", 1)[0] if " " in clean[:32] else clean[:31]
        clean = cut.rstrip(" &,-") or clean[:31]
    name, n = clean, 1
    while name.lower() in {u.lower() for u in used}:
        n += 1
        suffix = f" ({n})"
        name = clean[: 31 - len(suffix)].rstrip() + suffix
    used.add(name)
    return name


def write_xlsx(data: ExportData, path: Path) -> Path:
    """Write the workbook: Metadaten, then one sheet per Handlungsfeld (see module docstring)."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "FIS-Export", "created": FIXED_CREATED})
    styles = _Styles(wb)
    used = {METADATA_SHEET}
    fields: dict[str, list] = {}
    for meta in data.indicators:
        fields.setdefault(meta.handlungsfeld, []).append(meta)
    names = {hf: sheet_name(hf, used) for hf in fields}
    _metadata_sheet(wb.add_worksheet(METADATA_SHEET), data, names, styles)
    cells = {(r[0], r[1], r[4]): (r[5], r[6]) for r in data.rows}
    for hf, metas in fields.items():
        _field_sheet(wb.add_worksheet(names[hf]), data, metas, cells, styles)
    wb.close()
    return path


class _Styles:
    """The workbook's cell formats, created once (xlsxwriter wants each format added once)."""

    def __init__(self, wb):
        self.wb = wb
        self.header = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "text_wrap": True,
                                     "valign": "top", "border": 1})  # fmt: skip
        self.id = wb.add_format({"italic": True, "font_color": "#555555", "bg_color": "#F0F3F7"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.symbol = wb.add_format({"align": "right"})
        self.title = wb.add_format({"bold": True, "font_size": 12})
        self._numbers: dict[str, object] = {}

    def number(self, decimals: int, status: str):
        """'#,##0.0' for one decimal; in parentheses for '()', with the flag for 'p' etc."""
        base = "#,##0" + ("." + "0" * decimals if decimals else "")
        if status == "()":
            base = f"({base})"
        elif status:
            base = f'{base}" {status}"'
        if base not in self._numbers:
            self._numbers[base] = self.wb.add_format({"num_format": base})
        return self._numbers[base]


def _metadata_sheet(ws, data: ExportData, names: dict[str, str], styles: _Styles) -> None:
    """The indicator table (one row per exported indicator), then legend, sources, licence."""
    from fis.report.numbers import FLAGS, MISSING_SYMBOLS

    ws.write_row(0, 0, META_HEADERS, styles.header)
    for n, m in enumerate(data.indicators, start=1):
        ws.write_row(n, 0, [m.id, m.name, m.short, m.handlungsfeld, names[m.handlungsfeld],
                            m.definition, m.unit, m.decimals, m.formula,
                            "\n".join(m.sources) or "–"], styles.wrap)  # fmt: skip
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, len(data.indicators), len(META_HEADERS) - 1)
    for col, width in enumerate([28, 40, 24, 28, 24, 60, 14, 10, 50, 60]):
        ws.set_column(col, col, width)
    row = len(data.indicators) + 2
    ws.write(row, 0, "Zeichenerklärung", styles.title)
    legend = {**MISSING_SYMBOLS, **FLAGS,
              NO_ROW_YEAR: MISSING_SYMBOLS["."] + " (kein Wert in diesem Jahr)",
              NO_ROW_REGION: MISSING_SYMBOLS["x"] + " (für diese Ebene nicht berechnet)"}  # fmt: skip
    for symbol, meaning in legend.items():
        row += 1
        ws.write_string(row, 0, symbol)
        ws.write_string(row, 1, meaning)
    row += 2
    ws.write(row, 0, "Quellen", styles.title)
    for code, title, stand in data.sources:
        row += 1
        ws.write_row(row, 0, [code, title, f"Stand {stand or 'unbekannt'}"])
    row += 2
    ws.write(row, 0, "Lizenz", styles.title)
    ws.write(row + 1, 0, f"{LICENSE['title']} ({LICENSE['path']})")
    if data.public:
        ws.write(row + 2, 0, "Kleine Fallzahlen aus lokalen Registern sind durch · ersetzt.")


def _field_sheet(ws, data: ExportData, metas: list, cells: dict, styles: _Styles) -> None:
    """One Handlungsfeld: rows region × year (years where any of its indicators has a row)."""
    ids = [m.id for m in metas]
    years: dict[str, set[int]] = {}
    has: set[tuple[str, str]] = set()
    for ind, key, period in cells:
        if ind in ids:
            years.setdefault(key, set()).add(period)
            has.add((ind, key))
    ws.write_row(0, 0, REGION_HEADERS, styles.header)
    ws.write_row(1, 0, ["region_key", "region_name", "level", "period"], styles.id)
    for col, m in enumerate(metas, start=len(REGION_HEADERS)):
        ws.write_string(0, col, f"{m.short} ({m.unit})", styles.header)
        ws.write_string(1, col, m.id, styles.id)
    row = 2
    for key, name, level in data.selection.regions:
        for period in sorted(years.get(key, ())):
            ws.write_string(row, 0, key)
            ws.write_row(row, 1, [name, level])
            ws.write_number(row, 3, period)
            for col, m in enumerate(metas, start=len(REGION_HEADERS)):
                _write_cell(ws, row, col, m, cells.get((m.id, key, period)),
                            (m.id, key) in has, styles)  # fmt: skip
            row += 1
    last_col = len(REGION_HEADERS) + len(metas) - 1
    ws.freeze_panes(2, len(REGION_HEADERS))
    ws.autofilter(1, 0, max(row - 1, 1), last_col)
    ws.set_row(0, 45)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 3, 9)
    ws.set_column(len(REGION_HEADERS), last_col, 16)


def _write_cell(ws, row: int, col: int, meta, cell, region_has: bool, styles: _Styles) -> None:
    """A number with the indicator's format, or the symbol saying why there is none."""
    if cell is None:
        ws.write_string(row, col, NO_ROW_YEAR if region_has else NO_ROW_REGION, styles.symbol)
        return
    value, status = cell
    if value is None:
        ws.write_string(row, col, status or NO_ROW_YEAR, styles.symbol)
    else:
        ws.write_number(row, col, value, styles.number(meta.decimals, status))


# --- CSV with a Data Package -----------------------------------------------------------------

LONG_FIELDS = [
    ("indicator_id", "string", "Indikator-ID (siehe Ressource indikatoren)"),
    ("region_key", "string", "Amtlicher Regionalschlüssel (Gemeinde 8-, Kreis 5-stellig)"),
    ("region_name", "string", "Name der Region"),
    ("level", "string", "Ebene: gemeinde, kreis, regbez, land, staat"),
    ("period", "integer", "Berichtsjahr"),
    ("value", "number", "Wert in der Einheit der Spalte unit; leer, wo status ein "
                        "Zeichen für einen fehlenden Wert ist"),
    ("status", "string", "Leer oder amtliches Zeichen (. - / x ... vorläufig p usw.); "
                         "· = aus Datenschutzgründen nicht ausgewiesen"),
    ("unit", "string", "Einheit des Werts (z. B. %, Personen, je 1.000 Einwohner)"),
]  # fmt: skip
META_FIELDS = [
    ("indicator_id", "string", "Indikator-ID"),
    ("name", "string", "Name"),
    ("handlungsfeld", "string", "Handlungsfeld"),
    ("definition", "string", "Definition"),
    ("unit", "string", "Einheit"),
    ("decimals", "integer", "Nachkommastellen der Veröffentlichung"),
    ("formula", "string", "Berechnung in Worten"),
    ("sources", "string", "Quellentabellen mit Stand, durch ' | ' getrennt"),
]


def write_csv(data: ExportData, folder: Path) -> list[Path]:
    """werte.csv (long format), indikatoren.csv (metadata) and datapackage.json in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    values = folder / "werte.csv"
    metas = folder / "indikatoren.csv"
    _write_rows(values, LONG_COLUMNS, ([*r[:5], "" if r[5] is None else repr(r[5]), *r[6:]]
                                       for r in data.rows))  # fmt: skip
    _write_rows(metas, [f[0] for f in META_FIELDS],
                ([m.id, m.name, m.handlungsfeld, m.definition, m.unit, m.decimals, m.formula,
                  " | ".join(m.sources)] for m in data.indicators))  # fmt: skip
    package = {
        "name": "fis-export",
        "title": "FIS – Familienstatistisches Informationssystem: Indikatoren",
        "licenses": [LICENSE],
        "sources": [
            {"title": f"{c} {t} (Stand {s or 'unbekannt'})".strip()} for c, t, s in data.sources
        ],  # fmt: skip
        "resources": [
            _resource("werte", values.name, LONG_FIELDS, ["indicator_id", "region_key", "period"]),
            _resource("indikatoren", metas.name, META_FIELDS, ["indicator_id"]),
        ],  # fmt: skip
    }
    if data.public:
        package["description"] = "Kleine Fallzahlen aus lokalen Registern sind durch · ersetzt."
    dp = folder / "datapackage.json"
    dp.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [values, metas, dp]


def _write_rows(path: Path, header, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def _resource(name: str, path: str, fields: list, key: list[str]) -> dict:
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": [LICENSE],
        "schema": {
            "fields": [{"name": n, "type": t, "description": d} for n, t, d in fields],
            "missingValues": [""],
            "primaryKey": key,
        },
    }


# --- Parquet ---------------------------------------------------------------------------------


def write_parquet(data: ExportData, folder: Path) -> Path:
    """The long rows as Parquet, one Hive partition per indicator (indicator_id=…/part-0.parquet);
    partitions of an earlier export in `folder` are replaced."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("indicator_id=*"):
        shutil.rmtree(old)
    columns = list(zip(*data.rows)) if data.rows else [[] for _ in LONG_COLUMNS]
    types = [pa.string(), pa.string(), pa.string(), pa.string(), pa.int32(), pa.float64(),
             pa.string(), pa.string()]  # fmt: skip
    table = pa.table({c: pa.array(v, type=t) for c, v, t in zip(LONG_COLUMNS, columns, types)})
    ds.write_dataset(table, folder, format="parquet", partitioning=["indicator_id"],
                     partitioning_flavor="hive", basename_template="part-{i}.parquet",
                     existing_data_behavior="overwrite_or_ignore")  # fmt: skip
    return folder
