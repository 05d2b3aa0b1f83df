"""The PDF reports (typst): structure, text, demo mark, non-blank pages, nothing outside the
margins, determinism, template override, and texts that typst must not read as markup.

The views are built once per module from the demo warehouse (charts cost ~1 ms each).
"""

from __future__ import annotations

import dataclasses
import struct
import zlib

import numpy as np
import pypdfium2 as pdfium
import pytest

from fis.errors import FisError
from fis.report.branding import SHIPPED_TEMPLATES, Branding
from fis.report.pdf_report import (
    method_groups,
    render_overview_pdf,
    render_report_pdf,
    since_year,
)
from fis.report.view import Cell, MethodView, overview_view, report_view

DEMO_MARK = "Demodaten – keine amtlichen Werte"
CM = 72 / 2.54
# The shipped templates' side margins; a table wider than the text area crosses them.
MARGIN_PORTRAIT, MARGIN_LANDSCAPE = 1.9 * CM, 1.5 * CM
BAR_GREY = (0xC5, 0xCB, 0xD3)  # PALETTE["other"]: the other Gemeinden in bar charts


@pytest.fixture(scope="module")
def views(demo_warehouse):
    from fis.catalog import load_catalog
    from fis.warehouse import schema
    from fis.warehouse.report_data import kreis_overview, report_data

    cfg = demo_warehouse
    con = schema.connect(cfg.warehouse, read_only=True)
    try:
        cat = load_catalog(cfg.indicators)
        view = report_view(report_data(con, cfg, cat, "Kreuztal"), Branding().colors)
        ov = overview_view(kreis_overview(con, cfg, cat, "05970"))
    finally:
        con.close()
    return view, ov


@pytest.fixture(scope="module")
def report(views):
    return render_report_pdf(views[0], Branding())


@pytest.fixture(scope="module")
def overview(views):
    return render_overview_pdf(views[1], Branding())


def pages_text(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def small_view(view, **changes):
    """The report with one chapter and a few definitions: quick to render."""
    return dataclasses.replace(view, sections=view.sections[:1], methods=view.methods[:3],
                               **changes)  # fmt: skip


def png_bytes(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain one-colour PNG (for the logo), written by hand."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))  # fmt: skip


# --- structure ---------------------------------------------------------------------------------


def test_report_page_count_and_bookmarks(report, views):
    """Kreuztal (13 Handlungsfelder, 138 indicators) gave 31 pages: ~19 for the chapters, 9 for
    the definitions. Far more means chapters no longer share pages; far fewer, lost content."""
    view = views[0]
    doc = pdfium.PdfDocument(report)
    assert 24 <= len(doc) <= 38
    titles = [b.get_title() for b in doc.get_toc() if b.level == 0]
    expected = ["Auf einen Blick", *[s.title for s in view.sections], "Bevölkerungsaufbau",
                "Methodik und Quellen"]  # fmt: skip
    assert [t.split(" ", 1)[1] for t in titles] == expected
    width, height = doc[0].get_size()
    assert height > width  # portrait


def test_report_text_has_names_titles_and_key_figures(report, views):
    view = views[0]
    text = "\n".join(pages_text(report))
    assert "Stadt Kreuztal" in text and "Kreis Siegen-Wittgenstein" in text
    assert f"Datenstand: {view.data_stand}" in text
    for title in ["Auf einen Blick", "Inhalt", "Bevölkerungsaufbau", "Methodik und Quellen"]:
        assert title in text
    for s in view.sections:
        assert s.title in text
    steckbrief = pages_text(report)[2]  # Titelseite, Inhalt, then Auf einen Blick
    assert "Auf einen Blick" in steckbrief and "30.905" in steckbrief
    for row in view.steckbrief:
        for cell in (row.value, row.reference, row.land):
            assert cell.text in steckbrief, (row.name, cell.text)
        assert row.change in steckbrief


def test_every_chapter_shows_its_rows_and_gaps(report, views):
    text = " ".join(" ".join(pages_text(report)).split())  # names may wrap across lines
    for s in views[0].sections:
        for r in s.rows:
            assert r.rank in text and r.value.text in text
        if s.missing:
            assert "Keine Daten für Kreuztal:" in text
    for code, _, stand, _ in views[0].sources:
        assert code in text and stand in text
    assert f"Fallzahlen unter {views[0].min_count}" in text


def test_demo_mark_on_every_page(report, overview):
    for pdf in (report, overview):
        assert all(DEMO_MARK in page for page in pages_text(pdf))


def test_no_demo_mark_for_real_data(views):
    pdf = render_report_pdf(small_view(views[0], is_demo=False), Branding())
    assert not any(DEMO_MARK in page for page in pages_text(pdf))


# --- what a reader sees --------------------------------------------------------------------------


def page_pixels(pdf: bytes) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(pdf)
    # pdfium renders BGR(x); turn it into RGB
    return [doc[i].render(scale=0.5).to_numpy()[:, :, 2::-1] for i in range(len(doc))]


def count_colour(pixels: np.ndarray, rgb: tuple[int, int, int], tolerance: int) -> int:
    return int((np.abs(pixels.astype(int) - rgb).max(axis=2) <= tolerance).sum())


def test_pages_are_not_blank_and_bar_charts_are_drawn(report, views):
    """Every page has ink; the bar charts' grey bars (~2,500–7,000 pixels each at half scale)
    are there for every Handlungsfeld with a bar chart."""
    pages = page_pixels(report)
    for i, pixels in enumerate(pages):
        assert (pixels.min(axis=2) < 240).mean() > 0.01, f"page {i + 1} is blank"
    bar_charts = sum(len(s.charts) == 2 for s in views[0].sections)
    assert bar_charts >= 10
    assert sum(count_colour(p, BAR_GREY, 6) for p in pages) > 2_000 * bar_charts


def test_overview_tables_are_coloured(overview):
    """The heat-table fills (not just the legend's chips): green, red and the neutral blue."""
    pages = page_pixels(overview)
    for tone in [(0xDC, 0xEF, 0xE1), (0xF8, 0xDE, 0xDB), (0xDD, 0xE8, 0xF4)]:
        assert sum(count_colour(p, tone, 3) for p in pages) > 1_000, tone


def layout_faults(pdf: bytes, margin: float) -> list[tuple]:
    """Characters beyond the left or right margin (1 pt tolerance) or off the page, and
    characters printed over one another on the same line (as text overflowing a table cell
    does). Ligatures share one box and are not faults."""
    doc = pdfium.PdfDocument(pdf)
    faults = []
    for i in range(len(doc)):
        page = doc[i]
        width, height = page.get_size()
        tp = page.get_textpage()
        text = tp.get_text_range()
        lines: dict[float, list] = {}
        for k in range(min(tp.count_chars(), len(text))):
            if text[k].isspace():
                continue
            left, bottom, right, top = tp.get_charbox(k)
            if left < margin - 1 or right > width - margin + 1 or bottom < 0 or top > height:
                faults.append((i + 1, text[k], "outside", round(left), round(right)))
            box = tp.get_charbox(k, loose=True)
            lines.setdefault(round(box[1], 1), []).append(
                (box[0], box[2], box[3] - box[1], text[k])
            )
        for chars in lines.values():
            chars.sort()
            for (l1, r1, h1, c1), (l2, _, _, c2) in zip(chars, chars[1:]):
                if l2 < r1 - 0.15 * h1 and abs(l2 - l1) > 0.01:  # kerning is not overlap
                    faults.append((i + 1, c1 + c2, "overlap", round(l2), round(r1)))
    return faults


def test_report_stays_within_margins(report):
    assert layout_faults(report, MARGIN_PORTRAIT) == []


def test_overview_is_landscape_and_stays_within_margins(overview, views):
    doc = pdfium.PdfDocument(overview)
    assert all(doc[i].get_size()[0] > doc[i].get_size()[1] for i in range(len(doc)))
    assert layout_faults(overview, MARGIN_LANDSCAPE) == []
    text = "\n".join(pages_text(overview))
    for name in views[1].gemeinden:
        assert name in text
    for s in views[1].sections:
        assert s.title in text
        for sentence in s.notable:
            assert sentence in " ".join(text.split())


def test_overview_of_a_large_kreis_splits_the_gemeinden(views):
    """24 Gemeinden do not fit side by side at a readable size: two tables of 12."""
    ov = views[1]
    names = [*ov.gemeinden, *[f"{g}-Süd" for g in ov.gemeinden], "Hörstel", "Recke"]
    sections = [dataclasses.replace(s, rows=[dataclasses.replace(r, cells=(r.cells * 3)[:24])
                                             for r in s.rows]) for s in ov.sections[:2]]  # fmt: skip
    wide = dataclasses.replace(ov, gemeinden=names, sections=sections)
    pdf = render_overview_pdf(wide, Branding())
    assert layout_faults(pdf, MARGIN_LANDSCAPE) == []
    second = pages_text(pdf)[1]
    assert second.count("Indikator") == 2 and "Recke" in second and "Burbach" in second


# --- robustness ----------------------------------------------------------------------------------


def test_renders_are_byte_identical(views, report, overview):
    assert render_report_pdf(views[0], Branding()) == report
    assert render_overview_pdf(views[1], Branding()) == overview


def test_text_from_the_data_is_never_markup(views):
    """Names and sentences go to typst as strings: list numbers, hyphens and markup characters
    print as they are."""
    view = views[0]
    tricky = "9. von 11 #pagebreak() *fett* _kursiv_ $x$ @ref <label> -3,5 [x] // kein Kommentar"
    first = view.sections[0]
    row = dataclasses.replace(first.rows[0], name="- Liste? " + tricky, rank="9. von 11")
    section = dataclasses.replace(first, sentences=[tricky], rows=[row, *first.rows[1:]])
    pdf = render_report_pdf(dataclasses.replace(small_view(view), sections=[section]), Branding())
    text = " ".join("\n".join(pages_text(pdf)).split())
    assert tricky in text and "- Liste?" in text


def test_suppressed_values_get_the_footnote(views):
    view = views[0]
    first = view.sections[0]
    row = dataclasses.replace(first.rows[0], value=Cell("·", None, True))
    section = dataclasses.replace(first, rows=[row, *first.rows[1:]])
    pdf = render_report_pdf(dataclasses.replace(small_view(view), sections=[section]), Branding())
    text = "\n".join(pages_text(pdf))
    assert "·¹" in text
    assert f"¹ aus Datenschutzgründen nicht ausgewiesen (Fallzahl unter {view.min_count})" in text


def test_logo_and_publisher_from_the_branding(views):
    branding = Branding(publisher="Kreis Beispiel – Sozialplanung",
                        logo=png_bytes(40, 16, (200, 30, 30)), logo_mime="image/png",
                        logo_name="logo.png")  # fmt: skip
    pdf = render_report_pdf(small_view(views[0], publisher=""), branding)
    doc = pdfium.PdfDocument(pdf)
    images = list(doc[0].get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
    assert len(images) == 1
    assert "Kreis Beispiel – Sozialplanung" in pages_text(pdf)[0]


def test_a_kreis_template_wins(views, tmp_path):
    (tmp_path / "familienbericht.typ").write_text(
        '#let d = json("data.json")\nEigene Vorlage für #d.region', encoding="utf-8"
    )
    branding = Branding(template_dirs=(tmp_path, SHIPPED_TEMPLATES))
    assert (
        "Eigene Vorlage für Stadt Kreuztal" in pages_text(render_report_pdf(views[0], branding))[0]
    )
    with pytest.raises(FisError, match="kreisuebersicht.typ not found"):
        render_overview_pdf(views[1], Branding(template_dirs=(tmp_path,)))


# --- helpers -------------------------------------------------------------------------------------


def test_since_year_is_the_most_common_start(views):
    rows = views[0].steckbrief
    assert since_year(rows) == views[0].year - 5
    assert since_year([dataclasses.replace(r, change="") for r in rows]) is None


def test_methods_are_grouped_by_handlungsfeld_or_kept_together(views):
    view = views[0]
    groups = method_groups(view.sections, view.methods)
    assert [g["title"] for g in groups] == [s.title for s in view.sections]
    assert sum(len(g["items"]) for g in groups) == len(view.methods)
    stray = MethodView("Unbekannt", "%", "", "", "", "", "")
    (only,) = method_groups(view.sections, [*view.methods, stray])
    assert only["title"] == "Alle Indikatoren" and len(only["items"]) == len(view.methods) + 1
