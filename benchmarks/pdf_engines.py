"""PDF engines and chart rendering for the kleiner Familienbericht; prints a table of figures.

Measures (medians of 5): rendering 30 report charts to SVG (`fis.report.charts`, SVG written
directly); where vl-convert happens to be installed, the same data as plain Vega-Lite charts
through vl-convert for comparison (skipped otherwise: the report no longer uses it); compiling a
~12-page typst document with 20 charts and 15 tables; and, with `--weasyprint`, whether WeasyPrint
installs and imports with pip alone (in a throw-away venv at /tmp/wp-venv, never in .venv) and
how long it takes for the same content as HTML.

    .venv/bin/python benchmarks/pdf_engines.py [--weasyprint] [--keep DIR]

Benchmarks measure; they never fail the test suite.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from fis.report import charts
from fis.report.charts import Chart
from fis.report.numbers import fmt_number
from fis.report.pdf import compile_typst

RUNS = 5
WP_VENV = Path("/tmp/wp-venv")
GEMEINDEN = [
    "Kreuztal",
    "Siegen",
    "Netphen",
    "Hilchenbach",
    "Bad Berleburg",
    "Wilnsdorf",
    "Burbach",
    "Erndtebrück",
    "Freudenberg",
    "Neunkirchen",
    "Bad Laasphe",
]
FIELDS = [
    "Bevölkerung",
    "Geburten",
    "Wanderung",
    "Haushalte und Familien",
    "Kindertagesbetreuung",
    "Schule",
    "Armut und Transferleistungen",
    "Erwerbstätigkeit",
    "Hilfen zur Erziehung",
    "Wohnen",
]
AGE_GROUPS = ["unter 3", "3–5", "6–9", "10–14", "15–17", "18–24", "25–44", "45–64", "65+"]


def median_time(fn, runs: int = RUNS) -> tuple[float, object]:
    """Median wall time of `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def chart_inputs(n: int, seed: int = 7) -> list[tuple[str, tuple]]:
    """`n` charts' arguments cycling through the three kinds, on made-up but plausible data."""
    rng = random.Random(seed)
    out: list[tuple[str, tuple]] = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            base = rng.uniform(10, 40)
            series = {
                name: [
                    (
                        y,
                        None
                        if rng.random() < 0.05
                        else base + off + (y - 2012) * rng.uniform(0.2, 0.8),
                    )
                    for y in range(2012, 2025)
                ]
                for name, off in (
                    ("Kreuztal", 2.0),
                    ("Kreis Siegen-Wittgenstein", 0.0),
                    ("NRW", -1.0),
                )
            }
            out.append(("time_series_svg", (series, "Kreuztal", "%", f"Indikator {i + 1}", 1)))
        elif kind == 1:
            values = [(g, None if rng.random() < 0.1 else rng.uniform(5, 40)) for g in GEMEINDEN]
            args = (values, "Kreuztal", 25.0, "Kreis", "%", 1, f"Indikator {i + 1} 2024")
            out.append(("gemeinden_bars_svg", args))
        else:
            region = [rng.uniform(2, 8) for _ in AGE_GROUPS[:6]] + [22.0, 28.0, 21.0]
            kreis = [v * rng.uniform(0.9, 1.1) for v in region]
            args = (AGE_GROUPS, region, kreis, "Kreuztal", "Kreis Siegen-W.")
            out.append(("age_structure_svg", args))
    return out


def make_charts(n: int, seed: int = 7) -> list[Chart]:
    """`n` report charts (SVG written directly), cycling through the three kinds."""
    return [getattr(charts, kind)(*args) for kind, args in chart_inputs(n, seed)]


def _vega_lite_spec(kind: str, args: tuple) -> dict:
    """The chart's data as a plain Vega-Lite chart (one layer, default styling): a lower bound of
    what the report's former, layered vl-convert charts cost."""
    quantitative = {"field": "v", "type": "quantitative"}
    if kind == "time_series_svg":
        rows = [{"r": r, "year": y, "v": v} for r, pts in args[0].items() for y, v in pts]
        mark, enc = (
            "line",
            {
                "x": {"field": "year", "type": "quantitative"},
                "y": quantitative,
                "color": {"field": "r", "type": "nominal"},
            },
        )
    elif kind == "gemeinden_bars_svg":
        rows = [{"g": g, "v": v} for g, v in args[0]]
        mark, enc = "bar", {"y": {"field": "g", "type": "nominal", "sort": "-x"}, "x": quantitative}
    else:
        rows = [{"g": g, "v": v} for g, v in zip(args[0], args[1])]
        mark, enc = "bar", {"x": {"field": "g", "type": "nominal", "sort": None}, "y": quantitative}
    return {"width": charts.WIDTH_PX, "data": {"values": rows}, "mark": mark, "encoding": enc}


def vl_convert_charts(n: int):
    """A function rendering `n` charts' data with vl-convert, or None where it is not installed."""
    try:
        import vl_convert
    except ImportError:
        return None
    specs = [_vega_lite_spec(kind, args) for kind, args in chart_inputs(n)]
    return lambda: [vl_convert.vegalite_to_svg(s) for s in specs]


def make_tables(n: int, seed: int = 11) -> list[list[list[str]]]:
    """`n` indicator tables of 6 rows: Indikator, Gemeinde, Kreis, NRW, Entwicklung, Rang."""
    rng = random.Random(seed)
    tables = []
    for t in range(n):
        rows = []
        for r in range(6):
            vals = [rng.uniform(1, 60) for _ in range(3)]
            rows.append(
                [
                    f"Indikator {t + 1}.{r + 1} mit längerem Namen",
                    *(fmt_number(v, 1) + " %" for v in vals),
                    fmt_number(rng.uniform(-5, 5), 1, signed=True) + " Pp.",
                    f"{rng.randint(1, 11)}. von 11",
                ]
            )
        tables.append(rows)
    return tables


HEADER = ["Indikator", "Kreuztal", "Kreis", "NRW", "Entwicklung", "Rang"]
SENTENCE = (
    "Die Betreuungsquote der unter 3-Jährigen ist seit 2019 um 6,3 Prozentpunkte auf 34,8 % "
    "gestiegen und liegt damit über dem Kreisdurchschnitt (31,2 %). "
)


def typst_document(chart_list: list[Chart], tables: list[list[list[str]]]) -> tuple[str, dict]:
    """A report-shaped typst source: title, outline, one section per field, tables and charts."""
    files = {f"charts/c{i}.svg": c.svg.encode() for i, c in enumerate(chart_list)}
    parts = [
        '#set document(title: "Kleiner Familienbericht 2024 · Kreuztal")',
        '#set page(paper: "a4", margin: (x: 2cm, top: 2.5cm, bottom: 2.2cm),\n'
        '  header: align(right, text(size: 8pt, fill: rgb("#b00020"), weight: "bold")'
        "[Demodaten – keine amtlichen Werte]),\n"
        "  footer: context align(center, text(size: 8pt)"
        "[Seite #counter(page).display() von #counter(page).final().first()]))",
        '#set text(size: 10pt, lang: "de", number-width: "tabular")',
        '#set heading(numbering: "1.")',
        '#text(size: 20pt, weight: "bold")[Kleiner Familienbericht 2024 · Stadt Kreuztal]',
        '#outline(title: "Inhalt")',
    ]
    per_field_tables = [tables[i :: len(FIELDS)] for i in range(len(FIELDS))]
    per_field_charts = [list(range(len(chart_list)))[i :: len(FIELDS)] for i in range(len(FIELDS))]
    for f, field in enumerate(FIELDS):
        parts.append(f"= {field}")
        parts.append(SENTENCE * 2)
        for table in per_field_tables[f]:
            parts.append(_typst_table(table))
        for i in per_field_charts[f]:
            alt = chart_list[i].alt.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'#figure(image("charts/c{i}.svg", width: 100%, alt: "{alt}"))')
    return "\n\n".join(parts), files


def _typst_table(rows: list[list[str]]) -> str:
    # cells as typst strings, not markup: "9. von 11" in markup would become a numbered list
    body = ", ".join(json.dumps(c, ensure_ascii=False) for row in rows for c in row)
    head = ", ".join(f"[*{h}*]" for h in HEADER)
    return (
        "#table(columns: (1fr, auto, auto, auto, auto, auto), stroke: none,\n"
        "  align: (left, right, right, right, right, right),\n"
        f"  table.hline(), table.header({head}), table.hline(stroke: 0.5pt),\n"
        f"  {body}, table.hline())"
    )


def html_document(chart_list: list[Chart], tables: list[list[list[str]]]) -> str:
    """The same content as self-contained HTML with print CSS (for WeasyPrint)."""
    font = charts.FONT_DIR
    css = f"""
@font-face {{ font-family: "Source Sans Pro"; src: url("{(font / "SourceSansPro-Regular.ttf").as_uri()}"); }}
@font-face {{ font-family: "Source Sans Pro"; font-weight: bold;
  src: url("{(font / "SourceSansPro-Bold.ttf").as_uri()}"); }}
@page {{ size: A4; margin: 2.5cm 2cm 2.2cm 2cm;
  @top-right {{ content: "Demodaten – keine amtlichen Werte"; color: #b00020; font-size: 8pt; }}
  @bottom-center {{ content: "Seite " counter(page) " von " counter(pages); font-size: 8pt; }} }}
body {{ font-family: "Source Sans Pro"; font-size: 10pt; font-variant-numeric: tabular-nums; }}
table {{ width: 100%; border-collapse: collapse; margin: 1em 0; }}
td.n, th.n {{ text-align: right; }} svg {{ width: 100%; height: auto; }}
"""
    out = [
        f"<!doctype html><html lang='de'><head><meta charset='utf-8'><style>{css}</style></head>"
    ]
    out.append("<body><p style='font-size:20pt;font-weight:bold'>Kleiner Familienbericht 2024</p>")
    out.append(
        "<nav><h2>Inhalt</h2><ol>" + "".join(f"<li>{f}</li>" for f in FIELDS) + "</ol></nav>"
    )
    for f, field in enumerate(FIELDS):
        out.append(f"<h1>{f + 1}. {html.escape(field)}</h1><p>{SENTENCE * 2}</p>")
        for table in tables[f :: len(FIELDS)]:
            head = "".join(f"<th class='{'n' if i else ''}'>{h}</th>" for i, h in enumerate(HEADER))
            body = "".join(
                "<tr>"
                + "".join(
                    f"<td class='{'n' if i else ''}'>{html.escape(c)}</td>" for i, c in enumerate(r)
                )
                + "</tr>"
                for r in table
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        for c in chart_list[f :: len(FIELDS)]:
            out.append(f"<figure>{c.svg}</figure>")
    out.append("</body></html>")
    return "".join(out)


TYPST_SCRIPT = """
import json, pathlib, sys, time
from fis.report.pdf import compile_typst
folder = pathlib.Path(sys.argv[1])
names = json.loads((folder / "names.json").read_text())
files = {name: (folder / "files" / name).read_bytes() for name in names}
source = (folder / "source.typ").read_text(encoding="utf-8")
t = time.perf_counter()
pdf = compile_typst(source, files)
print(time.perf_counter() - t)
(folder / "out.pdf").write_bytes(pdf)
"""


def typst_cold(source: str, files: dict[str, bytes]) -> tuple[float, bytes]:
    """Median compile time in fresh processes: typst memoizes, so a second compile in one process
    of the same document is far faster than what a user's `fis report` pays."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "source.typ").write_text(source, encoding="utf-8")
        (folder / "names.json").write_text(json.dumps(sorted(files)))
        for name, data in files.items():
            (folder / "files" / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / "files" / name).write_bytes(data)
        times = []
        for _ in range(RUNS):
            done = subprocess.run(
                [sys.executable, "-c", TYPST_SCRIPT, str(folder)],
                capture_output=True,
                text=True,
                check=True,
            )
            times.append(float(done.stdout.split()[-1]))
        return statistics.median(times), (folder / "out.pdf").read_bytes()


WP_SCRIPT = """
import statistics, sys, time, weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    doc = weasyprint.HTML(string=html).render()
    pdf = doc.write_pdf()
    times.append(time.perf_counter() - t)
print(statistics.median(times), len(doc.pages), len(pdf), weasyprint.__version__)
"""


def weasyprint_figures(html_text: str, runs: int) -> str:
    """Install WeasyPrint in a throw-away venv if needed, then time it there."""
    py = WP_VENV / "bin" / "python"
    if not py.exists():
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(WP_VENV)], check=True)
        done = subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "weasyprint"], capture_output=True, text=True
        )
        took = time.perf_counter() - start
        if done.returncode:
            return f"pip install weasyprint failed after {took:.0f} s: {done.stderr.strip()[-300:]}"
        print(f"pip install weasyprint into {WP_VENV}: {took:.1f} s")
    check = subprocess.run([str(py), "-c", "import weasyprint"], capture_output=True, text=True)
    if check.returncode:
        return f"WeasyPrint does not import: {check.stderr.strip().splitlines()[-1]}"
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as fh:
        fh.write(html_text)
    done = subprocess.run(
        [str(py), "-c", WP_SCRIPT, fh.name, str(runs)], capture_output=True, text=True
    )
    Path(fh.name).unlink()
    if done.returncode:
        return f"WeasyPrint failed: {done.stderr.strip()[-300:]}"
    median, pages, size, version = done.stdout.split()
    return f"{float(median):.2f} s median of {runs} (WeasyPrint {version}, {pages} pages, {int(size) // 1024} KB)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weasyprint", action="store_true", help="also measure WeasyPrint")
    parser.add_argument("--keep", type=Path, help="write the PDF and HTML into this folder")
    args = parser.parse_args()

    make_charts(3)  # warm-up: imports, the number formatting cache
    t_charts, chart_list = median_time(lambda: make_charts(30))
    print(f"fis.report.charts, 30 charts to SVG: {t_charts * 1000:.0f} ms (median of {RUNS})")
    vega = vl_convert_charts(30)
    if vega is None:
        print("vl-convert, for comparison:          skipped (vl_convert is not installed)")
    else:
        vl_convert_charts(3)()  # warm-up: the Vega-Lite bundle
        t_vega, _ = median_time(vega)
        print(f"vl-convert, 30 plain Vega-Lite charts: {t_vega:.2f} s (median of {RUNS})")

    tables = make_tables(15)
    source, files = typst_document(chart_list[:20], tables)
    t_cold, pdf = typst_cold(source, files)
    t_warm, _ = median_time(lambda: compile_typst(source, files))
    pages = len(pdfium.PdfDocument(pdf))
    print(
        f"typst, {pages} pages, 20 charts, 15 tables: {t_cold:.2f} s in a fresh process "
        f"(median of {RUNS}); {t_warm:.3f} s recompiled in the same process; {len(pdf) // 1024} KB"
    )
    again = compile_typst(source, files)
    print(f"typst byte-identical on recompile:   {again == pdf}")

    html_text = html_document(chart_list[:20], tables)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        (args.keep / "bench.pdf").write_bytes(pdf)
        (args.keep / "bench.html").write_text(html_text, encoding="utf-8")
    if args.weasyprint:
        print(f"WeasyPrint, same content as HTML:    {weasyprint_figures(html_text, RUNS)}")


if __name__ == "__main__":
    main()
