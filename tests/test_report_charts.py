"""Report charts (SVG via vl-convert) and the typst PDF primitive: content, gaps, fonts, determinism."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pypdfium2 as pdfium
import pytest

from fis.report import charts
from fis.report.charts import (
    FONT_DIR,
    FONT_FAMILY,
    Chart,
    age_structure_svg,
    gemeinden_bars_svg,
    time_series_svg,
)
from fis.report.pdf import PdfError, compile_typst

SVG_NS = "{http://www.w3.org/2000/svg}"
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


def _series() -> dict[str, list[tuple[int, float | None]]]:
    return {
        "Kreuztal": list(zip(YEARS, GEMEINDE)),
        "Kreis Siegen-Wittgenstein": list(zip(YEARS, KREIS)),
        "NRW": list(zip(YEARS, LAND)),
    }


def _ts() -> Chart:
    return time_series_svg(_series(), "Kreuztal", "%", "Betreuungsquote unter 3 Jahren", 1)


def _bars() -> Chart:
    return gemeinden_bars_svg(BARS, "Kreuztal", 31.2, "Kreis", "%", 1, "Betreuungsquote 2024")


def _age() -> Chart:
    return age_structure_svg(AGE_GROUPS, AGE_REGION, AGE_KREIS, "Kreuztal", "Kreis Siegen-W.")


@pytest.fixture(scope="module")
def made() -> dict[str, Chart]:
    return {"ts": _ts(), "bars": _bars(), "age": _age()}


def _texts(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{SVG_NS}text"))


def _group(svg: str, cls: str) -> list[ET.Element]:
    """Groups whose class contains every word of `cls` (e.g. 'mark-rect layer_0_marks')."""
    want = cls.split()
    return [
        g
        for g in ET.fromstring(svg).iter(f"{SVG_NS}g")
        if all(w in g.get("class", "").split() for w in want)
    ]


# --- SVG -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ts", "bars", "age"])
def test_svg_is_well_formed_and_self_contained(made, name):
    svg = made[name].svg
    root = ET.fromstring(svg)  # raises on malformed XML
    assert root.tag == f"{SVG_NS}svg"
    assert not svg.startswith("<?xml")  # inline in HTML as it is
    assert "href" not in svg and "url(" not in svg  # no external or internal references
    assert ' id="' not in svg  # several charts in one HTML page cannot clash
    assert root.get("role") == "img" and root.get("aria-label") == made[name].alt


@pytest.mark.parametrize("name", ["ts", "bars", "age"])
def test_svg_text_uses_the_shipped_font_and_no_missing_marker(made, name):
    texts = _texts(made[name].svg)
    assert texts
    for t in texts:
        assert t.get("font-family", "").startswith(FONT_FAMILY), ET.tostring(t)
    words = " ".join(t.text or "" for t in texts)
    for bad in ("NaN", "null", "undefined", "None", "Infinity"):
        assert bad not in words


def test_time_series_labels_lines_at_their_ends_in_german(made):
    words = [t.text for t in _texts(made["ts"].svg)]
    assert "Kreuztal 34,8" in words
    assert "Kreis Siegen-Wittgenstein 34,5" in words
    assert "NRW 34,2" in words
    assert "2024" in words and "2.024" not in words  # years without thousands point
    assert "in %" in words


def test_time_series_leaves_gaps_for_missing_values(made):
    paths = [p.get("d", "") for g in _group(made["ts"].svg, "mark-line") for p in g]
    assert len(paths) == 3
    # Kreuztal misses 2016 and NRW 2021 (NaN): their paths break in two, the Kreis line does not
    assert sorted(d.count("M") for d in paths) == [1, 2, 2]


def test_time_series_shows_a_lone_value_as_a_dot():
    chart = time_series_svg(
        {"A": [(2020, 1.0), (2021, None), (2022, 2.0), (2023, None), (2024, 3.0)]}, "A", "", "T", 1
    )
    dots = [p for g in _group(chart.svg, "mark-symbol") for p in g]
    assert len(dots) == 3  # 2020 and 2022 between gaps, 2024 as the labelled end


def test_direct_labels_do_not_overlap():
    series = {
        "Kreuztal": [(2020, 10.0), (2024, 20.0)],
        "Kreis": [(2020, 10.0), (2024, 20.05)],
        "NRW": [(2020, 10.0), (2024, 19.95)],
    }
    svg = time_series_svg(series, "Kreuztal", "%", "T", 1).svg
    ys = []
    for t in _texts(svg):
        if t.text and t.text.split()[0] in series:
            ys.append(float(re.search(r"translate\([^,]+,([^)]+)\)", t.get("transform")).group(1)))
    ys.sort()
    assert len(ys) == 3
    assert all(b - a >= charts._LABEL_PX for a, b in zip(ys, ys[1:]))


def test_large_numbers_get_a_thousands_point():
    series = {"A": [(2020, 29_800.0), (2024, 30_905.0)], "B": [(2020, 31_000.0), (2024, 30_100.0)]}
    words = [t.text for t in _texts(time_series_svg(series, "A", "Personen", "E", 0).svg)]
    assert "A 30.905" in words
    assert any(w and re.fullmatch(r"\d{2}\.\d{3}", w) for w in words)  # axis ticks as 30.000


def test_bars_sorted_highlighted_and_missing_values_not_drawn(made):
    svg = made["bars"].svg
    bars = [p for g in _group(svg, "mark-rect layer_0_marks") for p in g]
    assert len(bars) == 9  # 11 Gemeinden, two without a value
    assert sum(1 for p in bars if p.get("fill") == charts.PALETTE["highlight"]) == 1
    words = [t.text for t in _texts(svg)]
    assert words.count("k. A.") == 2
    assert "Kreis: 31,2" in words and "34,8" in words and "22,0" in words
    names = [w for w in words if w in dict(BARS)]
    # the axis lists the Gemeinden by value, highest first, those without a value last
    assert names[:3] == ["Wilnsdorf", "Kreuztal", "Freudenberg"]
    assert names[-2:] == ["Bad Laasphe", "Hilchenbach"]


def test_bars_handle_negative_values_and_no_reference():
    chart = gemeinden_bars_svg(
        [("A", -3.5), ("B", 2.25), ("C", None)], "A", None, "Kreis", "je 1.000", 2, "Saldo"
    )
    words = [t.text for t in _texts(chart.svg)]
    # the same hyphen-minus as the report's text (babel), not d3's U+2212
    assert "-3,50" in words and "2,25" in words and "k. A." in words
    assert not any(w and w.startswith("Kreis") for w in words)
    assert "Rang 2 von 2" in chart.alt and "Keine Angabe für C" in chart.alt


def test_age_structure_bars_and_kreis_ticks(made):
    svg = made["age"].svg
    bars = [p for g in _group(svg, "mark-rect layer_0_marks") for p in g]
    ticks = [p for g in _group(svg, "mark-rect layer_1_marks") for p in g]
    assert len(bars) == 8  # one group without a value
    assert len(ticks) == 9
    words = [t.text for t in _texts(svg)]
    assert "29,0" in words and "k. A." in words
    assert "Kreuztal" in words and "Kreis Siegen-W." in words  # the hand-made legend


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


def test_svg_bytes_are_deterministic(made):
    assert _ts().svg == made["ts"].svg
    assert _bars().svg == made["bars"].svg
    assert _age().svg == made["age"].svg


def test_colours_can_be_overridden():
    chart = gemeinden_bars_svg(
        BARS, "Kreuztal", 31.2, "Kreis", "%", 1, "T", colors={"highlight": "#aa0011"}
    )
    assert "#aa0011" in chart.svg and charts.PALETTE["highlight"] not in chart.svg


def test_no_values_at_all_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        time_series_svg({"A": [(2020, None)]}, "A", "%", "T", 1)
    with pytest.raises(ValueError, match="differ in length"):
        age_structure_svg(["a"], [1.0, 2.0], [1.0], "A", "K")


def test_font_files_and_licence_are_shipped():
    names = {p.name for p in FONT_DIR.iterdir()}
    assert {"SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf", "OFL.txt"} <= names
    assert sum(p.stat().st_size for p in FONT_DIR.iterdir()) < 2_000_000


# --- PDF -------------------------------------------------------------------------------------

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


def test_negative_axis_ticks_use_the_same_minus_as_the_text():
    series = {"A": [(2020, -3.0), (2024, 2.0)], "B": [(2020, -1.0), (2024, 1.0)]}
    words = [t.text for t in _texts(time_series_svg(series, "A", "je 1.000", "Saldo", 1).svg)]
    assert "-2" in words and "\u22122" not in words
    assert "A 2,0" in words and "B 1,0" in words


def test_a_year_missing_from_one_series_is_a_gap_not_a_bridge():
    series = {
        "A": [(2020, 1.0), (2021, 2.0), (2022, 3.0)],
        "B": [(2020, 1.5), (2022, 2.5)],  # no 2021 at all
    }
    chart = time_series_svg(series, "A", "%", "T", 1)
    paths = [p.get("d", "") for g in _group(chart.svg, "mark-line") for p in g]
    assert sorted(d.count("M") for d in paths) == [1, 2]
    assert "Für B fehlen Werte für 2021." in chart.alt
