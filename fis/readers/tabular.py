"""Reader (and writer) for the FIS templates of local sources (data/templates/, CSV or XLSX).

One long layout for every template (README in data/templates/):

    #FIS-Vorlage: kita_bedarfsplanung; Version 1; <Titel>
    #Stand: 2025-03-01                      (optional; further '#' lines are notes)
    Schlüssel;Gebiet;Zeitraum;Merkmal;Wert;Zeichen
    05970004;Bad Berleburg;2024-03-01;Kinder unter 3 Jahren in Kindertageseinrichtungen (Wohnort);88;

The template name is the table code that pipelines match on; the Merkmale of each template are
fixed (TEMPLATES), so that a typo is reported with its line instead of being dropped later.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from fis.errors import InputError
from fis.readers.base import LONG_COLUMNS, ReadResult
from fis.readers.genesis_csv import cells_of, encode, read_block, str_array
from fis.readers.sniff import load_text

FORMAT = "fis_tabular"
MARKER = "#FIS-Vorlage:"
HEADER = ("Schlüssel", "Gebiet", "Zeitraum", "Merkmal", "Wert", "Zeichen")
VERSION = 1


@dataclass(frozen=True)
class Template:
    """One local source: its name (= table code), default title and fixed Merkmale."""

    name: str
    title: str
    merkmale: tuple[str, ...]


def _t(name: str, title: str, *merkmale: str) -> tuple[str, Template]:
    return name, Template(name, title, merkmale)


# Version 1 of every template. Adding a Merkmal: here, in the template files, the README and
# the pipeline spec pipelines/local_<name>.yaml (tests check that all four agree).
TEMPLATES: dict[str, Template] = dict([
    _t("melderegister", "Einwohnermelderegister (kommunale Statistikstelle)",
       "Lebendgeborene mit Wohnsitz im Gebiet",
       "Zuzüge über die Gebietsgrenze unter 6 Jahren",
       "Fortzüge über die Gebietsgrenze unter 6 Jahren",
       "Umzüge innerhalb der Gemeinde",
       "Einwohner ab 5 Jahren seit mind. 5 Jahren an derselben Adresse",
       "Einwohner mit Migrationshintergrund",
       "Minderjährige mit Migrationshintergrund",
       "Kinder 3 bis unter 6 Jahre mit Migrationshintergrund"),
    _t("haushaltegenerierung", "Haushaltegenerierung aus dem Einwohnermelderegister",
       "Einwohner in Privathaushalten",
       "Privathaushalte insgesamt",
       "Einpersonenhaushalte",
       "Einpersonenhaushalte 65 Jahre und älter",
       "Haushalte mit Kindern unter 18 Jahren",
       "Haushalte mit Kindern unter 6 Jahren",
       "Haushalte mit genau einem Kind unter 18 Jahren",
       "Haushalte mit drei und mehr Kindern unter 18 Jahren",
       "Alleinerziehendenhaushalte",
       "Paarhaushalte mit Kindern unter 18 Jahren",
       "Haushalte mit Kindern und Migrationshintergrund",
       "Minderjährige in Privathaushalten",
       "Minderjährige in Alleinerziehendenhaushalten"),
    _t("kita_bedarfsplanung", "Kita-Bedarfsplanung (Kinder nach Wohnort, Plätze, Anmeldungen)",
       "Kinder unter 3 Jahren in Kindertageseinrichtungen (Wohnort)",
       "Kinder unter 3 Jahren in Kindertagespflege (Wohnort)",
       "Plätze für Kinder unter 3 Jahren",
       "Plätze für Kinder ab 3 Jahren bis zum Schuleintritt",
       "Angemeldete Betreuungswünsche",
       "Nicht erfüllte Betreuungswünsche",
       "Kinder unter 3 Jahren in Kindertageseinrichtungen (Einrichtungsort)",
       "Kinder unter 3 Jahren in Kindertageseinrichtungen über 7 Std. täglich (Einrichtungsort)",
       "Kinder ab 3 Jahren bis Schuleintritt in Kindertageseinrichtungen (Einrichtungsort)",
       "Kinder ab 3 Jahren bis Schuleintritt in Kindertageseinrichtungen über 7 Std. täglich "
       "(Einrichtungsort)",
       "Kinder in Kindertageseinrichtungen insgesamt (Einrichtungsort)",
       "Kinder in Kindertageseinrichtungen mit vorrangig nicht deutscher Familiensprache "
       "(Einrichtungsort)",
       "Kinder unter 3 Jahren in Kindertagespflege ohne Kita (Ort der Tagespflege)",
       "Kinder unter 3 Jahren in Kindertagespflege ohne Kita über 7 Std. täglich "
       "(Ort der Tagespflege)",
       "Kinder ab 3 Jahren bis Schuleintritt in Kindertagespflege ohne Kita (Ort der Tagespflege)",
       "Kinder ab 3 Jahren bis Schuleintritt in Kindertagespflege ohne Kita über 7 Std. täglich "
       "(Ort der Tagespflege)"),
    _t("einrichtungen", "Einrichtungsregister (Familienzentren, Spielplätze, Jugendfreizeit)",
       "Familienzentren",
       "Nettospielfläche öffentlicher Spielplätze (m²)",
       "Plätze in Jugendfreizeiteinrichtungen"),
    _t("schuleingangsuntersuchung", "Schuleingangsuntersuchung (Gesundheitsamt, nach Wohngemeinde)",
       "Untersuchte Kinder",
       "Kinder mit BMI-Messung",
       "Kinder mit gültiger Elternangabe",
       "Kinder mit Übergewicht (BMI über P90)",
       "Kinder mit Adipositas (BMI über P97)",
       "Kinder mit Sprachauffälligkeit",
       "Kinder mit visuomotorischer Auffälligkeit",
       "Kinder mit mehr als 2 Jahren Kita-Besuch",
       "Kinder mit vorgelegtem Impfdokument",
       "Kinder mit 2 Masern-Impfungen (MMR)",
       "Kinder mit vorgelegtem U-Heft",
       "Kinder mit vollständigen U1 bis U9",
       "Kinder im Sportverein",
       "Kinder mit Medienkonsum ab 2 Stunden täglich",
       "Kinder von Eltern mit niedriger Schulbildung"),
    _t("jugendamt_fachverfahren", "Jugendamt-Fachverfahren (Fallzahlen nach Wohnort)",
       "Junge Menschen unter 21 mit HzE oder Eingliederungshilfe inkl. Erziehungsberatung",
       "Durchgeführte Willkommensbesuche",
       "Fällige Früherkennungsuntersuchungen (Meldeverfahren)",
       "Als nicht wahrgenommen gemeldete Früherkennungsuntersuchungen",
       "In Anspruch genommene Hilfen zur Erziehung §§ 27, 29-35 (ohne Erziehungsberatung)",
       "In Anspruch genommene ambulante Hilfen §§ 27, 29-31, 35",
       "Begonnene Hilfen zur Erziehung §§ 27, 29-35",
       "Begonnene Hilfen zur Erziehung §§ 27, 29-35 mit alleinerziehendem Elternteil",
       "In Anspruch genommene Vollzeitpflege § 33",
       "In Anspruch genommene Heimerziehung und sonstige betreute Wohnform § 34",
       "In Anspruch genommene Eingliederungshilfen § 35a",
       "Vorläufige Schutzmaßnahmen (Inobhutnahmen) § 42",
       "Abgeschlossene Gefährdungseinschätzungen § 8a",
       "Gefährdungseinschätzungen § 8a mit akuter Kindeswohlgefährdung",
       "Gefährdungseinschätzungen § 8a mit latenter Kindeswohlgefährdung"),
    _t("bildung_teilhabe", "Bildung und Teilhabe (BuT-Fachverfahren)",
       "Leistungsberechtigte Kinder und Jugendliche",
       "Kinder und Jugendliche mit mindestens einer BuT-Leistung"),
    _t("jobcenter", "Jobcenter (SGB II, Bedarfsgemeinschaften nach Wohngemeinde)",
       "Bedarfsgemeinschaften mit drei und mehr Kindern unter 18 Jahren"),
    _t("familienbefragung", "Familienbefragung (aggregierte Ergebnisse, gewichtet)",
       "Befragte Familien (gültige Antworten)",
       "Familien mit mind. einem erwerbstätigen Elternteil",
       "Familien mit Einkommensangabe",
       "Befragte Elternteile",
       "Befragte Mütter",
       "Erwerbstätige befragte Mütter",
       "Familien mit Wegzugsabsicht",
       "Mit dem Wohnumfeld (sehr) zufriedene Familien",
       "Familien mit schwieriger Vereinbarkeit von Familie und Beruf",
       "Eltern mit häufiger Zeitnot",
       "Familien unter 60 % des Median-Äquivalenzeinkommens",
       "Familien mit Pflegeverantwortung",
       "Familien mit Großeltern in der Nähe"),
])  # fmt: skip

_MARKER_LINE = re.compile(
    r"^#FIS-Vorlage:\s*(?P<name>[^;]*?)\s*(?:;\s*Version\s*(?P<version>[^;]*?)\s*)?"
    r"(?:;\s*(?P<title>.*?))?[\s;]*$"
)
_STAND = re.compile(r"^#\s*Stand\s*:\s*(?P<date>[^;]*?)[\s;]*$", re.IGNORECASE)
_BLANK = r"^[\s;]*$"
# Region keys: DG, Land, Regierungsbezirk, Kreis, Gemeinde (AGS), Jugendamt (JH + Kreis or AGS).
_KEY = r"DG|\d{2}|\d{3}|\d{5}|\d{8}|JH\d{5}(?:\d{3})?"
_SOZIALRAUM = r"\d{8}-S\d{2,3}"
_NUMBER = r"-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?"
NO_VALUE = ("-", ".", "/", "x", "...")  # symbols that stand for the value
FLAGS = ("()", "p", "r", "s", "e")  # quality flags that go with a value


# --- detection ---------------------------------------------------------------------------------


def is_marker(text: str) -> bool:
    """True if `text` (a first line or cell A1) starts a FIS template."""
    return text.lstrip('\ufeff" ').startswith(MARKER)


def xlsx_marker(path: str | Path) -> str | None:
    """The template line if cell A1 of the first sheet holds it (empty rows above are
    tolerated, as blank lines are in a CSV), else None."""
    wb = _open_xlsx(path)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        rows = list(ws.iter_rows(max_row=20, values_only=True))
    finally:
        wb.close()
    first = next((r for r in rows if any(c is not None for c in r)), ())
    a1 = first[0] if first else None
    return a1 if isinstance(a1, str) and is_marker(a1) else None


def _open_xlsx(path):
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency of the project
        raise InputError(path, "reading XLSX needs openpyxl (pip install openpyxl)") from None
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(path, f"not a readable XLSX file ({type(exc).__name__})") from None


# --- reading -----------------------------------------------------------------------------------


def read(path: str | Path) -> ReadResult:
    """Read a FIS template (CSV or XLSX) into the long frame."""
    with open(path, "rb") as fh:
        is_zip = fh.read(4) == b"PK\x03\x04"
    if is_zip:
        grid = _xlsx_grid(path)
        lines, encoding = grid.agg(";".join, axis=1).tolist() if len(grid) else [], "xlsx"
    else:
        grid = None
        text, encoding = load_text(path)
        lines = text.split("\n")
    m, h = _head(lines, path)
    template, title = _template(lines[m].rstrip("; "), path, m + 1)
    header = [c.strip() for c in (cells_of(lines[h]) if grid is None else grid.iloc[h])]
    while grid is not None and header and not header[-1]:  # Excel's empty cells on the right
        header.pop()
    _check_header(header, path, h + 1)
    body = pd.Series(lines[h + 1 :], dtype=object)
    comment = body.str.lstrip().str.startswith("#").to_numpy()
    keep = ~(body.str.match(_BLANK).to_numpy() | comment)
    line_nos = np.flatnonzero(keep) + h + 2
    if not len(line_nos):
        raise InputError(path, "no data rows below the header", h + 1)
    if grid is None:
        table = read_block(list(body[keep]), line_nos, len(header), path)
        cells = pd.DataFrame({j: pd.array(c, dtype="str") for j, c in enumerate(table.columns)})
    else:
        cells = grid.iloc[line_nos - 1].reset_index(drop=True)
        cells.columns = range(cells.shape[1])
    # The '#' lines (Stand, notes) above and below the header, numbered.
    meta = [(i + 1, lines[i].rstrip("; ")) for i in range(m + 1, h)]
    meta += [(int(n), lines[n - 1].rstrip("; ")) for n in np.flatnonzero(comment) + h + 2]
    stand, notes = _meta(meta, path)
    frame = _frame(path, template, cells, line_nos)
    return ReadResult(
        path=str(path),
        format=FORMAT,
        table_code=template.name,
        title=title,
        frame=frame,
        stand=stand,
        encoding=encoding,
        notes="\n".join(notes),
        extra={"template": template.name, "version": VERSION, "data_rows": len(frame)},
    )


def _head(lines: list[str], path) -> tuple[int, int]:
    """Indexes of the template line and the header row; checks the lines between."""
    i = 0
    while i < len(lines) and re.match(_BLANK, lines[i]):
        i += 1
    if i == len(lines) or not is_marker(lines[i]):
        raise InputError(
            path, f"not a FIS template: the first line must start with {MARKER!r}", i + 1
        )
    m = i
    i += 1
    while i < len(lines) and (lines[i].lstrip().startswith("#") or re.match(_BLANK, lines[i])):
        i += 1
    if i == len(lines):
        raise InputError(path, f"no header row ({';'.join(HEADER)}) after the template line", m + 1)
    return m, i


def _xlsx_grid(path) -> pd.DataFrame:
    """The first sheet as a frame of text cells, one row per Excel row."""
    wb = _open_xlsx(path)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # other writers store wrong sheet dimensions: read every cell
        rows = list(ws.iter_rows(values_only=True))  # openpyxl yields cell by cell
    finally:
        wb.close()
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([(*r, *(None,) * (width - len(r))) for r in rows], dtype=object)
    return pd.DataFrame({j: _xlsx_text(frame[j]) for j in frame.columns}, index=frame.index)


def _xlsx_text(col: pd.Series) -> pd.Series:
    """Excel cells as text: numbers without '.0', dates as ISO dates, empty cells as ''."""
    kind = col.map(type)
    out = col.where(kind.isin([str]), "").astype(str)
    is_num = kind.isin([int, float]).to_numpy()
    if is_num.any():
        num = col[is_num].astype("float64")
        whole = (num % 1 == 0) & (num.abs() < 1e15)
        text = num.astype(str).where(~whole, num.where(whole, 0).astype("int64").astype(str))
        out[is_num] = text
    is_date = kind.isin([datetime, date, pd.Timestamp]).to_numpy()
    if is_date.any():
        out[is_date] = pd.to_datetime(col[is_date]).dt.strftime("%Y-%m-%d")
    return out.str.replace(r"[\r\n]+", " ", regex=True)


def _check_header(header: list[str], path, line: int) -> None:
    got = [c.strip() for c in header]
    if [c.casefold() for c in got[:6]] != [c.casefold() for c in HEADER] or any(got[6:]):
        raise InputError(
            path,
            f"wrong header: expected {';'.join(HEADER)!r}, found {';'.join(got)[:80]!r}",
            line,
        )


def _arrow(col: pd.Series) -> pa.Array:
    return pa.array(col.to_numpy(dtype=object), type=pa.string())


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _frame(path, template: Template, cells: pd.DataFrame, line_nos) -> pd.DataFrame:
    """The checked long frame from the data cells (text, one column per template column)."""
    extra_cols = cells.iloc[:, 6:]
    if extra_cols.shape[1]:
        filled = extra_cols.ne("").any(axis=1).to_numpy()
        if filled.any():
            i = _first(filled)
            raise InputError(path, "data row has a value beyond the 6 template columns",
                             int(line_nos[i]))  # fmt: skip
    col = {name: cells[j].str.strip() for j, name in enumerate(HEADER)}
    keys = _keys(col["Schlüssel"], line_nos, path)
    periods = _periods(col["Zeitraum"], line_nos, path)
    labels = col["Merkmal"]
    unknown = ~labels.isin(template.merkmale).to_numpy()
    if unknown.any():
        i = _first(unknown)
        raise InputError(
            path,
            f"unknown Merkmal {labels.iat[i]!r} for template {template.name!r} "
            "(the allowed Merkmale are listed in data/templates/README.md)",
            int(line_nos[i]),
        )
    value, status = _values(col["Wert"], col["Zeichen"], line_nos, path)
    frame = pd.DataFrame(
        {
            "region_key": keys,
            "region_name": col["Gebiet"].astype("str"),
            "period": periods,
            "label": labels.astype("str"),
            "value": value,
            "status": status,
            "line": line_nos.astype("int64"),
        },
        columns=LONG_COLUMNS,
    )
    dup = frame.duplicated(["region_key", "period", "label"], keep=False).to_numpy()
    if dup.any():
        d = frame[dup]
        first = d.groupby(["region_key", "period", "label"])["line"].transform("min")
        second = d[d["line"] != first].iloc[0]
        raise InputError(
            path,
            f"duplicate row: {second['region_key']} {second['period']} {second['label']!r} "
            f"also in line {int(first[second.name])}",
            int(second["line"]),
        )
    return frame


def _template(line: str, path, line_no: int) -> tuple[Template, str]:
    m = _MARKER_LINE.match(line.lstrip('\ufeff" '))
    name = m["name"] if m else ""
    if name not in TEMPLATES:
        raise InputError(path, f"unknown template {name!r}; known: {', '.join(TEMPLATES)}", line_no)
    version = (m["version"] or "").strip()
    if version != str(VERSION):
        raise InputError(
            path,
            f"template {name} has version {version or '(none)'!r}; this FIS reads "
            f"'Version {VERSION}'",
            line_no,
        )
    title = (m["title"] or "").strip().strip('"') or TEMPLATES[name].title
    return TEMPLATES[name], title


def _meta(lines: list[tuple[int, str]], path) -> tuple[str | None, list[str]]:
    """The Stand date (ISO) and the notes from the numbered '#' lines."""
    stand, notes = None, []
    for no, ln in lines:
        text = ln.strip().strip('"')
        if (m := _STAND.match(text)) and stand is None:
            stand = _iso_date(m["date"].strip())
            if stand is None:
                raise InputError(path, f"bad Stand date {m['date']!r} (use YYYY-MM-DD)", no)
        elif text.startswith("#") and text.lstrip("#").strip():
            notes.append(text.lstrip("#").strip())
    return stand, notes


def _iso_date(text: str) -> str | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})|(\d{2})\.(\d{2})\.(\d{4})", text)
    if not m:
        return None
    y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[6], m[5], m[4])
    try:
        return date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


def _keys(col: pd.Series, line_nos, path):
    codes, uniq = encode(_arrow(col))
    u = pd.Series(uniq, dtype=object)
    ok = u.str.fullmatch(_KEY).to_numpy()
    if not ok.all():
        i = _first(~ok[codes])
        key = col.iat[i]
        if re.fullmatch(_SOZIALRAUM, key):
            reason = f"Sozialraum key {key!r}: the '-S' suffix is reserved for a later version"
        elif re.fullmatch(r"\d{7}|\d{4}|JH\d{7}", key):
            reason = (f"bad region key {key!r}: leading zero lost? (format the column as text; "
                      "an AGS has 8 digits, e.g. 05970004)")  # fmt: skip
        else:
            reason = (f"bad region key {key!r} (expected an 8-digit AGS, a 5-digit Kreis, "
                      "2/3 digits, DG or JH + 5/8 digits)")  # fmt: skip
        raise InputError(path, reason, int(line_nos[i]))
    return str_array(uniq, codes)


def _periods(col: pd.Series, line_nos, path):
    codes, uniq = encode(_arrow(col))
    u = pd.Series(uniq, dtype=object)
    year = u.str.fullmatch(r"(19|20|21)\d{2}").to_numpy()
    iso = pd.to_datetime(u.where(u.str.fullmatch(r"\d{4}-\d{2}-\d{2}"), None),
                         format="%Y-%m-%d", errors="coerce")  # fmt: skip
    de = pd.to_datetime(u.where(u.str.fullmatch(r"\d{2}\.\d{2}\.\d{4}"), None),
                        format="%d.%m.%Y", errors="coerce")  # fmt: skip
    date_ = iso.fillna(de)
    ok = year | date_.notna().to_numpy()
    if not ok.all():
        i = _first(~ok[codes])
        raise InputError(path, f"bad period {col.iat[i]!r} in Zeitraum (use a year YYYY or a "
                         "date YYYY-MM-DD)", int(line_nos[i]))  # fmt: skip
    text = np.where(year, u.to_numpy(dtype=object), date_.dt.strftime("%Y-%m-%d").to_numpy())
    return str_array(text, codes)


def _values(wert: pd.Series, zeichen: pd.Series, line_nos, path):
    """(value, status): a number with an optional flag, or a symbol without a number."""
    w, z = wert.to_numpy(dtype=object), zeichen.to_numpy(dtype=object)
    is_num = wert.str.fullmatch(_NUMBER).to_numpy()
    w_sym = np.isin(w, NO_VALUE)
    z_sym, z_flag = np.isin(z, NO_VALUE), np.isin(z, FLAGS) | (z == "")

    def fail(mask, reason):
        if mask.any():
            i = _first(mask)
            raise InputError(path, reason(w[i], z[i]), int(line_nos[i]))

    fail(~(z_sym | z_flag), lambda _, s: f"unknown symbol {s!r} in Zeichen "
         f"(allowed: empty, {', '.join(NO_VALUE + FLAGS)})")  # fmt: skip
    fail(~(is_num | w_sym | (w == "")), _bad_number)
    fail((w == "") & ~z_sym, lambda *_: "empty Wert: give a number, or a symbol in Zeichen")
    num = pd.to_numeric(wert.where(is_num).str.replace(",", ".", regex=False)).to_numpy("float64")
    zero_dash = is_num & (num == 0) & (z == "-")
    fail(is_num & z_sym & ~zero_dash,
         lambda v, s: f"Wert {v!r} together with symbol {s!r}: a row with a symbol has no value")  # fmt: skip
    fail(w_sym & (z != "") & (z != w), lambda v, s: f"Wert {v!r} and Zeichen {s!r} disagree")
    status = np.where(w_sym, w, z)
    value = np.where(is_num & ~zero_dash, num, np.nan)
    return value, pd.array(status.astype(str), dtype="str")


def _bad_number(v: str, _) -> str:
    if re.fullmatch(r"-?\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?", v) and "," in v and "." in v:
        return f"ambiguous number {v!r} in Wert: write it without thousands separators"
    return f"non-numeric Wert {v!r}"


# --- writing (templates, demo files) -----------------------------------------------------------


def marker_line(template: str, title: str | None = None) -> str:
    """'#FIS-Vorlage: <name>; Version 1; <title>'."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}")
    return f"{MARKER} {template}; Version {VERSION}; {title or TEMPLATES[template].title}"


def to_lines(template: str, rows: pd.DataFrame, title=None, stand=None, notes=()) -> list[str]:
    """The CSV lines of a template file; `rows` has the six HEADER columns as text."""
    head = [marker_line(template, title)]
    head += [f"#Stand: {stand}"] if stand else []
    head += [f"#{n}" for n in notes]
    cells = rows[list(HEADER)].astype(str)
    for c in cells.columns:  # quote a cell holding ';' or '"', as Excel does
        odd = cells[c].str.contains('[;"]')
        cells[c] = cells[c].where(~odd, '"' + cells[c].str.replace('"', '""') + '"')
    return [*head, ";".join(HEADER), *cells.agg(";".join, axis=1).tolist()]


def write_csv(path, template, rows, title=None, stand=None, notes=(), encoding="utf-8-sig",
              newline="\r\n") -> Path:  # fmt: skip
    """Write a template CSV (default as German Excel saves 'CSV UTF-8': BOM and CRLF)."""
    lines = to_lines(template, rows, title, stand, notes)
    Path(path).write_bytes((newline.join(lines) + newline).encode(encoding))
    return Path(path)


def write_xlsx(path, template, rows, title=None, stand=None, notes=(), merkmale_sheet=True) -> Path:
    """Write a template XLSX: keys and periods as text, numbers as numbers; byte-reproducible."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Daten"
    head = [marker_line(template, title), *([f"#Stand: {stand}"] if stand else [])]
    for line in head + [f"#{n}" for n in notes]:
        ws.append([line])
    ws.append(list(HEADER))
    hrow = ws.max_row
    for c in ws[hrow]:
        c.font = Font(bold=True)
    wert = rows["Wert"].astype(str)
    num = pd.to_numeric(wert.str.replace(",", ".", regex=False), errors="coerce")
    values = num.astype(object).where(num.notna(), wert)
    values = [int(v) if isinstance(v, float) and v.is_integer() else v for v in values]
    for rec, v in zip(rows[list(HEADER)].astype(str).itertuples(index=False), values, strict=True):
        ws.append([rec[0], rec[1], rec[2], rec[3], v if v != "" else None, rec[5] or None])
    for letter, width in zip("ABCDEF", (12, 28, 12, 60, 10, 8), strict=True):
        ws.column_dimensions[letter].width = width
    for r in ws.iter_rows(min_row=hrow + 1, max_col=3):
        for c in r:
            c.number_format = "@"
    if merkmale_sheet:
        sheet = wb.create_sheet("Merkmale")
        sheet.append(["Merkmal (Spalte D des Blatts Daten)"])
        for m in TEMPLATES[template].merkmale:
            sheet.append([m])
        sheet.column_dimensions["A"].width = 70
        n = len(TEMPLATES[template].merkmale)
        dv = DataValidation(type="list", formula1=f"=Merkmale!$A$2:$A${n + 1}", allow_blank=True)
        dv.add(f"D{hrow + 1}:D{hrow + 5000}")
        ws.add_data_validation(dv)
    return _save_reproducible(wb, Path(path))


_FIXED = datetime(2026, 1, 1)


def _save_reproducible(wb, path: Path) -> Path:
    """openpyxl stamps the current time into docProps and the ZIP entries: fix both."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = wb.properties.modified = _FIXED
    wb.properties.creator = wb.properties.lastModifiedBy = "FIS"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        ExcelWriter(wb, zf).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=_FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, src.read(name))
    path.write_bytes(out.getvalue())
    return path
