"""Report charts (fis.report.charts, SVG written directly) and the typst PDF primitive: content,
gaps, fonts, determinism, and how the charts render in typst."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pypdfium2 as pdfium
import pytest

from fis.report import charts
from fis.report.charts import (
    FONT_DIR,
    FONT_FAMILY,
    PALETTE,
    WIDTH_PX,
    Chart,
    age_structure_svg,
    gemeinden_bars_svg,
    time_series_svg,
)
from fis.report.charts.layout import LABEL_PX, text_px
from fis.report.pdf import PdfError, compile_typst

NS = "{http://www.w3.org/2000/svg}"
YEARS = list(range(2012, 2025))
GEMEINDE = [22.1, 23.4, 24.0, 25.2, None, 27.9, 28.5, 29.0, 30.3, 31.0, 32.2, 33.9, 34.8]
KREIS = [21.0, 22.0, 23.1, 24.0, 25.5, 26.0, 27.1, 28.4, 29.5, 30.2, 31.0, 31.9, 34.5]
LAND = [20.0, 21.5, 22.9, 23.8, 24.9, 25.8, 26.6, 27.9, 28.8, float("nan"), 30.6, 31.5, 34.2]
BARS = [
    ("Kreuztal", 34.8),
    ("Siegen", 31.0),
    ("Netphen", 28.4),
    ("Hilchenbach", None),
    ("Bad Berleburg", 25.1),
    ("Wilnsdorf", 36.2),
    ("Burbach", 29.9),
    ("Erndtebrück", 22.0),
    ("Freudenberg", 33.3),
    ("Neunkirchen", 30.1),
    ("Bad Laasphe", float("nan")),
]
AGE_GROUPS = ["unter 3", "3–5", "6–9", "10–14", "15–17", "18–24", "25–44", "45–64", "65+"]
AGE_REGION = [2.9, 2.8, 3.9, 4.8, 2.9, 7.1, None, 29.0, 22.3]
AGE_KREIS = [2.7, 2.9, 3.7, 4.6, 3.0, 7.8, 22.9, 28.6, 23.4]
# the report's own age groups (fis.warehouse.report_parts.AGE_GROUPS)
REPORT_AGES = ["0–2", "3–5", "6–9", "10–14", "15–17", "18–24", "25–29", "30–49", "50–64"]
REPORT_AGES += ["65–79", "80+"]
KINDS = ["ts", "bars", "age"]


def _ts() -> Chart:
    series = {
        "Kreuztal": list(zip(YEARS, GEMEINDE)),
        "Kreis Siegen-Wittgenstein": list(zip(YEARS, KREIS)),
        "NRW": list(zip(YEARS, LAND)),
    }
    return time_series_svg(series, "Kreuztal", "%", "Betreuungsquote unter 3 Jahren", 1)


def _bars() -> Chart:
    return gemeinden_bars_svg(BARS, "Kreuztal", 31.2, "Kreis", "%", 1, "Betreuungsquote 2024")


def _age() -> Chart:
    return age_structure_svg(AGE_GROUPS, AGE_REGION, AGE_KREIS, "Kreuztal", "Kreis Siegen-W.")


@pytest.fixture(scope="module")
def made() -> dict[str, Chart]:
    return {"ts": _ts(), "bars": _bars(), "age": _age()}


def _all(svg: str, tag: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{NS}{tag}"))


def _words(svg: str) -> list[str]:
    return [t.text or "" for t in _all(svg, "text")]


def _text(svg: str, word: str) -> ET.Element:
    found = [t for t in _all(svg, "text") if t.text == word]
    assert len(found) == 1, (word, len(found))
    return found[0]


def _f(el: ET.Element, attr: str) -> float:
    return float(el.get(attr))


def _rects(svg: str, fill: str) -> list[ET.Element]:
    return [r for r in _all(svg, "rect") if r.get("fill") == fill]


# --- SVG -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_svg_is_well_formed_plain_and_self_contained(made, kind):
    chart = made[kind]
    root = ET.fromstring(chart.svg)  # raises on malformed XML
    assert root.tag == f"{NS}svg" and not chart.svg.startswith("<?xml")
    w, h = root.get("width"), root.get("height")
    assert w == str(WIDTH_PX) and root.get("viewBox") == f"0 0 {w} {h}"  # scales in HTML
    assert root.get("role") == "img" and root.get("aria-label") == chart.alt
    assert root.find(f"{NS}title").text == chart.alt
    # only what typst's SVG renderer (usvg) draws reliably; no ids, classes, CSS or references
    assert {el.tag.removeprefix(NS) for el in root.iter()} <= {
        "svg", "title", "g", "line", "path", "rect", "circle", "text"
    }  # fmt: skip
    for bad in (
        ' id="',
        "class=",
        " style=",
        "<style",
        "href",
        "url(",
        "<script",
        "dominant-baseline",
    ):
        assert bad not in chart.svg


@pytest.mark.parametrize("kind", KINDS)
def test_svg_text_uses_the_shipped_font_and_no_missing_marker(made, kind):
    texts = _all(made[kind].svg, "text")
    assert texts
    for t in texts:
        assert t.get("font-family") == f"{FONT_FAMILY}, sans-serif", ET.tostring(t)
    words = " ".join(_words(made[kind].svg))
    for bad in ("NaN", "nan", "null", "undefined", "None", "Infinity", "inf"):
        assert not re.search(rf"\b{bad}\b", words), bad


@pytest.mark.parametrize("kind", KINDS)
def test_svg_bytes_are_deterministic(made, kind):
    assert {"ts": _ts, "bars": _bars, "age": _age}[kind]().svg == made[kind].svg


@pytest.mark.parametrize("kind", KINDS)
def test_highlighted_region_is_bold_and_coloured(made, kind):
    svg = made[kind].svg
    name = "Kreuztal 34,8" if kind == "ts" else "Kreuztal"
    label = _text(svg, name)
    assert label.get("font-weight") == "bold"
    assert PALETTE["highlight"] in {label.get("fill"), *(r.get("fill") for r in _all(svg, "rect"))}


def test_markup_in_names_is_escaped():
    chart = gemeinden_bars_svg([("A & <B>", 1.0), ('"C"', 2.0)], "A & <B>", None, "K", "", 0, "<T>")
    assert "A & <B>" in _words(chart.svg) and "<T>" in _words(chart.svg)
    assert ET.fromstring(chart.svg).get("aria-label") == chart.alt


def test_long_titles_wrap_within_the_chart():
    title = "Wanderungssaldo je 1.000 Einwohner 2024: alle Gemeinden des Kreises " * 2
    chart = gemeinden_bars_svg([("A", 1.0), ("B", 2.0)], "A", None, "K", "", 0, title)
    lines = [w for w in _words(chart.svg) if w.startswith("Wanderungssaldo") or "Gemeinden" in w]
    assert len(lines) >= 2
    assert all(text_px(w, bold=True) * 14 / 12 <= WIDTH_PX for w in lines)


# --- time series -----------------------------------------------------------------------------


def test_time_series_labels_lines_at_their_ends_in_german(made):
    words = _words(made["ts"].svg)
    assert "Kreuztal 34,8" in words
    assert "Kreis Siegen-Wittgenstein 34,5" in words
    assert "NRW 34,2" in words
    assert "2024" in words and "2.024" not in words  # years without thousands point
    assert "in %" in words and "Betreuungsquote unter 3 Jahren" in words


def test_time_series_leaves_gaps_for_missing_values(made):
    paths = [p.get("d") for p in _all(made["ts"].svg, "path")]
    assert len(paths) == 3
    # Kreuztal misses 2016 and NRW 2021 (NaN): their paths break in two, the Kreis line does not
    assert sorted(d.count("M") for d in paths) == [1, 2, 2]


def test_time_series_shows_a_lone_value_as_a_dot():
    chart = time_series_svg(
        {"A": [(2020, 1.0), (2021, None), (2022, 2.0), (2023, None), (2024, 3.0)]}, "A", "", "T", 1
    )
    assert len(_all(chart.svg, "circle")) == 3  # 2020 and 2022 between gaps, 2024 as the end
    assert not _all(chart.svg, "path")  # no line to draw, and none through the gaps


def test_a_year_missing_from_one_series_is_a_gap_not_a_bridge():
    series = {"A": [(2020, 1.0), (2021, 2.0), (2022, 3.0)], "B": [(2020, 1.5), (2022, 2.5)]}
    chart = time_series_svg(series, "A", "%", "T", 1)
    assert [p.get("d").count("M") for p in _all(chart.svg, "path")] == [1]  # only A's line
    assert len(_all(chart.svg, "circle")) == 3  # B's two lone values and A's end
    assert "Für B fehlen Werte für 2021." in chart.alt


def test_direct_labels_do_not_overlap():
    series = {
        "Kreuztal": [(2020, 10.0), (2024, 20.0)],
        "Kreis": [(2020, 10.0), (2024, 20.05)],
        "NRW": [(2020, 10.0), (2024, 19.95)],
    }
    svg = time_series_svg(series, "Kreuztal", "%", "T", 1).svg
    ys = sorted(_f(t, "y") for t in _all(svg, "text") if (t.text or "").split()[0] in series)
    assert len(ys) == 3
    assert all(b - a >= LABEL_PX for a, b in zip(ys, ys[1:]))


def test_labels_fit_into_the_chart(made):
    for kind in KINDS:
        for t in _all(made[kind].svg, "text"):
            x, w = _f(t, "x"), text_px(t.text, bold=t.get("font-weight") == "bold")
            left = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor", "start")]
            assert left >= -1 and left + w <= WIDTH_PX + 1, (kind, t.text)


def test_large_numbers_get_a_thousands_point():
    series = {"A": [(2020, 29_800.0), (2024, 30_905.0)], "B": [(2020, 31_000.0), (2024, 30_100.0)]}
    words = _words(time_series_svg(series, "A", "Personen", "E", 0).svg)
    assert "A 30.905" in words and "Personen" in words
    assert any(re.fullmatch(r"\d{2}\.\d{3}", w) for w in words)  # axis ticks as 30.000


def test_negative_axis_ticks_use_the_same_minus_as_the_text():
    series = {"A": [(2020, -3.0), (2024, 2.0)], "B": [(2020, -1.0), (2024, 1.0)]}
    words = _words(time_series_svg(series, "A", "je 1.000", "Saldo", 1).svg)
    assert "-2" in words and "\u22122" not in words
    assert "A 2,0" in words and "B 1,0" in words


def test_many_years_are_labelled_sparsely_but_always_the_last():
    series = {"A": [(y, float(y - 1990)) for y in range(1995, 2025)]}
    years = [
        w for w in _words(time_series_svg(series, "A", "", "T", 0).svg) if re.fullmatch(r"\d{4}", w)
    ]
    assert years[-1] == "2024" and 5 <= len(years) < 30


# --- all Gemeinden of the Kreis --------------------------------------------------------------


def test_bars_sorted_highlighted_and_missing_values_not_drawn(made):
    svg = made["bars"].svg
    assert len(_rects(svg, PALETTE["highlight"])) == 1
    assert len(_rects(svg, PALETTE["other"])) == 8  # 11 Gemeinden, two without a value
    words = _words(svg)
    assert words.count("k. A.") == 2
    assert "Kreis: 31,2" in words and "34,8" in words and "22,0" in words
    names = sorted((_f(t, "y"), t.text) for t in _all(svg, "text") if t.text in dict(BARS))
    names = [n for _, n in names]  # top to bottom: highest first, those without a value last
    assert names[:3] == ["Wilnsdorf", "Kreuztal", "Freudenberg"]
    assert names[-2:] == ["Bad Laasphe", "Hilchenbach"]
    assert _text(svg, "34,8").get("font-weight") == "bold"


def test_bars_reference_rule_pauses_behind_the_numbers_it_crosses(made):
    svg = made["bars"].svg
    (rule,) = [ln for ln in _all(svg, "line") if ln.get("stroke-dasharray")]
    x = _f(rule, "x1")
    assert rule.get("stroke") == PALETTE["reference"] and x == _f(rule, "x2")
    boxes = _rects(svg, "#ffffff")
    assert boxes and all(_f(b, "x") <= x <= _f(b, "x") + _f(b, "width") for b in boxes)
    # "31,0" starts right of the rule's x: the rule would run through it without a box
    label = _text(svg, "31,0")
    assert any(abs(_f(b, "y") + _f(b, "height") / 2 - _f(label, "y")) < 6 for b in boxes)


def test_bars_handle_negative_values_and_no_reference():
    chart = gemeinden_bars_svg(
        [("A", -3.5), ("B", 2.25), ("C", None)], "A", None, "Kreis", "je 1.000", 2, "Saldo"
    )
    words = _words(chart.svg)
    # the same hyphen-minus as the report's text (babel), not U+2212
    assert "-3,50" in words and "2,25" in words and "k. A." in words
    assert not any(w.startswith("Kreis") for w in words)
    assert not any(ln.get("stroke-dasharray") for ln in _all(chart.svg, "line"))
    (zero,) = [ln for ln in _all(chart.svg, "line") if ln.get("x1") == ln.get("x2")]
    (neg,) = _rects(chart.svg, PALETTE["highlight"])
    assert _f(neg, "x") + _f(neg, "width") == pytest.approx(_f(zero, "x1"), abs=1)  # left of 0
    assert _f(_text(chart.svg, "-3,50"), "x") < _f(neg, "x")  # the number beyond the bar end
    assert "Rang 2 von 2" in chart.alt and "Keine Angabe für C" in chart.alt


def test_long_names_are_shortened():
    chart = gemeinden_bars_svg([("X" * 60, 1.0), ("B", 2.0)], "B", None, "K", "", 0, "T")
    assert any(w.endswith("…") and len(w) < 60 for w in _words(chart.svg))


# --- age structure ---------------------------------------------------------------------------


def test_age_structure_bars_and_kreis_ticks(made):
    svg = made["age"].svg
    assert len(_rects(svg, PALETTE["highlight"])) == 8 + 1  # one group without a value; legend
    assert len(_rects(svg, PALETTE["reference"])) == 9  # the legend's tick is a line
    words = _words(svg)
    assert "29,0" in words and "k. A." in words and "Anteil an der Bevölkerung in %" in words
    assert "Kreuztal" in words and "Kreis Siegen-W." in words  # the legend
    # the number sits above the column and above the Kreis tick, whichever is higher
    tick_45 = sorted(_rects(svg, PALETTE["reference"]), key=lambda r: _f(r, "x"))[7]
    assert _f(_text(svg, "29,0"), "y") < _f(tick_45, "y")


@pytest.mark.parametrize("groups", [REPORT_AGES, [f"{5 * i}–{5 * i + 4}" for i in range(19)]])
def test_age_group_labels_do_not_overlap(groups):
    n = len(groups)
    svg = age_structure_svg(groups, [5.0] * n, [4.0] * (n - 1) + [None], "A", "B").svg
    labels = [t for t in _all(svg, "text") if t.text in groups]
    assert [t.text for t in labels] == groups
    rows: dict[float, list[tuple[float, float]]] = {}
    for t in labels:
        w = text_px(t.text)
        rows.setdefault(_f(t, "y"), []).append((_f(t, "x") - w / 2, _f(t, "x") + w / 2))
    for spans in rows.values():
        assert all(a[1] + 2 <= b[0] for a, b in zip(spans, spans[1:]))
    assert len(rows) == (1 if n == 11 else 2)  # the report's groups fit on one line


def test_alt_texts_say_what_the_chart_shows(made):
    assert made["ts"].alt.startswith(
        "Liniendiagramm: Betreuungsquote unter 3 Jahren, 2012 bis 2024."
    )
    assert "Kreuztal: von 22,1\u00a0% (2012) auf 34,8\u00a0% (2024)." in made["ts"].alt
    assert "Für Kreuztal fehlen Werte für 2016." in made["ts"].alt
    assert "Kreuztal: 34,8\u00a0%, Rang 2 von 9" in made["bars"].alt
    assert "Keine Angabe für Bad Laasphe und Hilchenbach." in made["bars"].alt
    assert "45–64: 29,0\u00a0% (Kreis 28,6\u00a0%)" in made["age"].alt
    assert "25–44: k. A." in made["age"].alt


def test_public_api():
    """Other modules import these names from fis.report.charts."""
    assert set(charts.__all__) == {
        "Chart", "PALETTE", "FONT_DIR", "FONT_FAMILY", "WIDTH_PX",
        "time_series_svg", "gemeinden_bars_svg", "age_structure_svg",
    }  # fmt: skip
    assert all(hasattr(charts, name) for name in charts.__all__)
    assert FONT_DIR.name == "fonts" and FONT_DIR.parent.name == "report"  # fis/report/fonts


def test_colours_can_be_overridden():
    chart = gemeinden_bars_svg(
        BARS, "Kreuztal", 31.2, "Kreis", "%", 1, "T", colors={"highlight": "#aa0011"}
    )
    assert "#aa0011" in chart.svg and PALETTE["highlight"] not in chart.svg


def test_no_values_at_all_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        time_series_svg({"A": [(2020, None)]}, "A", "%", "T", 1)
    with pytest.raises(ValueError, match="not one of the series"):
        time_series_svg({"A": [(2020, 1.0)]}, "B", "%", "T", 1)
    with pytest.raises(ValueError, match="no values"):
        age_structure_svg(["a"], [None], [float("nan")], "A", "K")
    with pytest.raises(ValueError, match="differ in length"):
        age_structure_svg(["a"], [1.0, 2.0], [1.0], "A", "K")


def test_font_files_and_licence_are_shipped():
    names = {p.name for p in FONT_DIR.iterdir()}
    assert {"SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf", "OFL.txt"} <= names
    assert sum(p.stat().st_size for p in FONT_DIR.iterdir()) < 2_000_000


# --- typst -----------------------------------------------------------------------------------

# One chart px = one PDF pt: the page is exactly as wide as the chart, which is at its top.
# The text below it is as on every report page: pdfium's text extraction guesses the writing
# direction from all text of the page, and guesses "vertical" for a page with only a bar chart.
_PAGE = """#set page(width: {w}pt, height: auto, margin: 0pt)
#image("c.svg", width: 100%)
#lorem(40)"""


def _typst(chart: Chart) -> pdfium.PdfPage:
    pdf = compile_typst(_PAGE.format(w=WIDTH_PX), {"c.svg": chart.svg.encode()})
    return pdfium.PdfDocument(pdf)[0]


@pytest.mark.parametrize("kind", KINDS)
def test_renders_in_typst_with_its_text_and_colours(made, kind):
    page = _typst(made[kind])
    height = int(ET.fromstring(made[kind].svg).get("height"))
    assert page.get_width() == pytest.approx(WIDTH_PX)
    bgr = page.render(scale=1).to_numpy()[:height, :, :3].astype(int)  # the chart; BGR(A) order
    assert (bgr.sum(axis=2) < 384).mean() > 0.005  # not blank
    r, g, b = (int(PALETTE["highlight"][i : i + 2], 16) for i in (1, 3, 5))
    assert (
        abs(bgr - [b, g, r]).sum(axis=2) < 30
    ).sum() > 30  # the highlight colour, not BGR-swapped
    text = page.get_textpage().get_text_range()
    assert {"ts": "Kreuztal 34,8", "bars": "Kreis: 31,2", "age": "29,0"}[kind] in text  # still text


def test_text_sits_centred_on_its_bar_in_typst(made):
    """Text is placed by its baseline; check the vertical alignment where usvg renders it."""
    svg = made["bars"].svg
    page = _typst(made["bars"])
    tp = page.get_textpage()
    index, count = tp.search("Kreuztal", match_whole_word=True).get_next()
    boxes = [tp.get_charbox(i) for i in range(index, index + count)]
    top, bottom = max(b[3] for b in boxes), min(b[1] for b in boxes)  # PDF y grows upwards
    text_middle = page.get_height() - (top + bottom) / 2
    (bar,) = _rects(svg, PALETTE["highlight"])
    assert text_middle == pytest.approx(_f(bar, "y") + _f(bar, "height") / 2, abs=1.5)


# --- the typst PDF primitive ----------------------------------------------------------------------

DEMO = """
#set document(title: "Kleiner Familienbericht 2024 · Kreuztal")
#set page(
  paper: "a4",
  margin: (x: 2cm, top: 2.5cm, bottom: 2.2cm),
  header: align(right, text(size: 8pt, fill: rgb("#b00020"), weight: "bold")[Demodaten – keine amtlichen Werte]),
  footer: context align(center, text(size: 8pt)[Seite #counter(page).display() von #counter(page).final().first()]),
)
#set text(font: "Source Sans Pro", size: 10.5pt, lang: "de", number-width: "tabular")
#set heading(numbering: "1.")

#text(size: 20pt, weight: "bold")[Kleiner Familienbericht 2024 · Stadt Kreuztal]

#outline(title: "Inhalt")

= Auf einen Blick
Die Betreuungsquote der unter 3-Jährigen ist seit 2019 um 5,8 Prozentpunkte gestiegen.

#table(
  columns: (1fr, auto, auto, auto),
  align: (left, right, right, right),
  stroke: none,
  table.hline(),
  table.header([*Indikator*], [*Kreuztal*], [*Kreis*], [*NRW*]),
  table.hline(stroke: 0.5pt),
  [Einwohnerzahl], [30.905], [268.331], [18.139.116],
  [Betreuungsquote unter 3], [34,8 %], [31,2 %], [30,1 %],
  table.hline(),
)

= Kindertagesbetreuung
#figure(image("charts/ts.svg", width: 100%, alt: sys.inputs.alt_ts), caption: [Zeitreihe])
#figure(image("charts/bars.svg", width: 100%, alt: sys.inputs.alt_bars), caption: [Gemeinden])

= Bevölkerungsaufbau
#lorem(40)
"""


@pytest.fixture(scope="module")
def demo(made) -> tuple[bytes, dict]:
    files = {"charts/ts.svg": made["ts"].svg.encode(), "charts/bars.svg": made["bars"].svg.encode()}
    inputs = {"alt_ts": made["ts"].alt, "alt_bars": made["bars"].alt}
    return compile_typst(DEMO, files, sys_inputs=inputs), {"files": files, "inputs": inputs}


def _pages_text(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in doc]


def test_pdf_pages_carry_demo_mark_and_page_numbers(demo):
    pages = _pages_text(demo[0])
    assert len(pages) == 2
    for i, text in enumerate(pages, start=1):
        assert "Demodaten – keine amtlichen Werte" in text
        assert f"Seite {i} von 2" in text


def test_pdf_has_outline_headings_table_and_chart_text(demo):
    text = "\n".join(_pages_text(demo[0]))
    assert "Inhalt" in text and "1. Auf einen Blick" in text and "3. Bevölkerungsaufbau" in text
    assert "18.139.116" in text
    # chart text stays text (searchable), set in the shipped font
    assert "Kreuztal 34,8" in text and "Kreis: 31,2" in text


def test_pdf_uses_only_the_shipped_font(demo):
    fonts = set(re.findall(rb"/BaseFont\s*/([A-Z]{6}\+)?([A-Za-z0-9-]+)", demo[0]))
    families = {name for _, name in fonts}
    assert families and all(f.startswith(b"SourceSansPro") for f in families), families


def test_pdf_table_numbers_are_right_aligned(demo):
    page = pdfium.PdfDocument(demo[0])[0]
    tp = page.get_textpage()

    def right_edge(s: str) -> float:
        index, count = tp.search(s, match_whole_word=True).get_next()
        return tp.get_charbox(index + count - 1)[2]

    assert right_edge("30.905") == pytest.approx(right_edge("34,8 %"), abs=1.0)
    assert right_edge("18.139.116") == pytest.approx(right_edge("30,1 %"), abs=1.0)


def test_pdf_pages_are_not_blank(demo):
    for page in pdfium.PdfDocument(demo[0]):
        pixels = page.render(scale=0.5, grayscale=True).to_numpy()
        assert (pixels < 128).mean() > 0.002


def test_pdf_bytes_are_deterministic(demo):
    again = compile_typst(DEMO, demo[1]["files"], sys_inputs=demo[1]["inputs"])
    assert again == demo[0]


def test_pdf_errors_name_the_line():
    with pytest.raises(PdfError, match=r"main\.typ:3"):
        compile_typst("= Titel\n\n#nicht_da(1)")


def test_pdf_files_must_stay_inside_the_document():
    with pytest.raises(ValueError, match="relative path"):
        compile_typst("x", {"../x.svg": b""})


def test_pdf_default_font_is_the_shipped_one_and_unknown_fonts_are_errors():
    pdf = compile_typst("Hallo *fett*")
    assert b"SourceSansPro-Regular" in pdf and b"Libertinus" not in pdf
    with pytest.raises(PdfError, match="unknown font family"):
        compile_typst('#set text(font: "Arial")\nHallo')
