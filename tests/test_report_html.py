"""The HTML Familienbericht and Kreisübersicht: chapters, every printed number against the
warehouse, no invented zeros, self-contained, demo note, and (slow) what Chromium makes of it."""

from __future__ import annotations

import dataclasses
import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import browser
import duckdb
import pypdfium2 as pdfium
import pytest

KREIS, LAND = "05970", "05"
DEMO_NOTE = "Demodaten – keine amtlichen Werte"
SYMBOLS = {"-", ".", "/", "x", "...", "·", "k. A."}
# Printed content width: A4 minus the @page margins of report.css (20 mm / 15 mm each side).
PORTRAIT_PX = browser.content_width_px(210, 20, 20)
LANDSCAPE_PX = browser.content_width_px(297, 15, 15)


class Doc(HTMLParser):
    """The parts of a page the tests look at: headings, number cells, tags, visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[tuple[str, str]] = []
        self.cells: list[dict] = []  # every td/th with data-indicator: attrs + printed text
        self.cell_texts: list[str] = []  # every td/th
        self.text: list[str] = []
        self._open: list[list] = []  # [tag, attrs, text parts] of headings and data cells
        self._hidden = 0  # inside <style>/<script>/<title>
        self._table = ""  # class of the table we are in
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in ("style", "script", "title"):
            self._hidden += 1
        if tag == "table":
            self._table = a.get("class") or "table"
        if tag in ("h1", "h2", "h3", "td", "th"):
            self._open.append([tag, a, []])

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._hidden -= 1
        if self._open and self._open[-1][0] == tag:
            t, a, parts = self._open.pop()
            text = "".join(parts).strip()
            if t in ("h1", "h2", "h3"):
                self.headings.append((t, text))
            else:
                self.cell_texts.append(text)
                if "data-indicator" in a:
                    self.cells.append({**a, "text": text, "table": self._table})

    def handle_data(self, data):
        if self._hidden:
            return
        self.text.append(data)
        for entry in self._open:
            entry[2].append(data)


def german(text: str) -> Decimal:
    """ "18.034.454" → 18034454, "-1,3 %" → -1.3, "(31,2)" and "31,2 % p" → 31.2."""
    t = text.replace("\u00a0", " ").replace("\u2212", "-").strip()
    t = re.sub(r"\s[prse]$", "", t).strip("()")
    t = t.replace("%", "").replace(" ", "").replace(".", "").replace(",", ".")
    return Decimal(t)


def half_up(value: float, decimals: int) -> Decimal:
    """The value as printed: rounded half up from its shortest decimal representation."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def built(demo_warehouse):
    """Views (charts rendered once) and HTML of Kreuztal's report and the Kreis overview."""
    from fis.catalog import load_catalog
    from fis.report.branding import Branding
    from fis.report.html import render_overview_html, render_report_html
    from fis.report.view import overview_view, report_view
    from fis.warehouse import schema
    from fis.warehouse.report_data import kreis_overview, report_data

    cfg = demo_warehouse
    cat = load_catalog(cfg.indicators)
    con = schema.connect(cfg.warehouse, read_only=True)
    try:
        data = report_data(con, cfg, cat, "Kreuztal")
        ov = kreis_overview(con, cfg, cat, KREIS)
    finally:
        con.close()
    branding = Branding(publisher="Kreis Siegen-Wittgenstein – Jugendhilfeplanung")
    view, oview = report_view(data, branding.colors), overview_view(ov)
    html, ohtml = render_report_html(view, branding), render_overview_html(oview, branding)
    return SimpleNamespace(cfg=cfg, cat=cat, view=view, ov=ov, oview=oview, branding=branding,
                           html=html, doc=Doc(html), ohtml=ohtml, odoc=Doc(ohtml))  # fmt: skip


def warehouse_cells(cfg, wanted: set[tuple[str, str, int]]) -> dict[tuple, tuple]:
    """(indicator, region, period) → (value, status) as stored in indicator_values."""
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT indicator_id, region_key, period, value, status FROM indicator_values"
        ).fetchall()
    finally:
        con.close()
    return {(i, r, p): (v, s) for i, r, p, v, s in rows if (i, r, p) in wanted}


# --- structure -----------------------------------------------------------------------------


def test_every_chapter_is_there_in_order(built):
    v, doc = built.view, built.doc
    h1 = [t for tag, t in doc.headings if tag == "h1"]
    h2 = [t for tag, t in doc.headings if tag == "h2"]
    assert h1 == [v.title]
    expected = ["Auf einen Blick", "Inhalt", *(s.title for s in v.sections)]
    expected += ["Bevölkerungsaufbau", "Methodik und Quellen"]
    assert h2 == expected
    assert len(v.sections) >= 10, "the demo has data in most Handlungsfelder"
    links = {a["href"] for tag, a in doc.tags if tag == "a"}
    ids = {a.get("id") for _, a in doc.tags}
    assert {f"#{s.id}" for s in v.sections} <= links
    assert all(link[1:] in ids for link in links), "a contents link points nowhere"


def test_title_page_says_what_and_where(built):
    text = " ".join(built.doc.text)
    for words in ("Kleiner Familienbericht 2024", "Stadt Kreuztal", "Kreis Siegen-Wittgenstein",
                  f"Datenstand: {built.view.data_stand}", built.branding.publisher):  # fmt: skip
        assert words in text


def test_steckbrief_has_its_twelve_rows(built):
    steck = [
        c for c in built.doc.cells if c["table"] == "steckbrief" and c["data-region"] == "region"
    ]
    assert len(built.view.steckbrief) == 12
    assert [c["data-indicator"] for c in steck] == [r.id for r in built.view.steckbrief]


def test_tables_have_captions_and_scoped_heads(built):
    for doc in (built.doc, built.odoc):
        tags = [t for t, _ in doc.tags]
        assert tags.count("table") == tags.count("caption") > 5
        ths = [a for t, a in doc.tags if t == "th"]
        assert ths and all(a.get("scope") in ("col", "row") for a in ths)


def test_charts_are_inline_figures_with_captions(built):
    v, tags = built.view, built.doc.tags
    n_charts = sum(len(s.charts) for s in v.sections) + (v.age_chart is not None)
    assert n_charts > 10
    names = [t for t, _ in tags]
    assert names.count("figure") == names.count("figcaption") == n_charts
    svgs = [a for t, a in tags if t == "svg"]
    assert len(svgs) == n_charts and all(
        a.get("role") == "img" and a.get("aria-label") for a in svgs
    )


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["report", "overview"])
def test_every_printed_number_is_its_value_rounded(built, which):
    doc = built.doc if which == "report" else built.odoc
    decimals = {i.id: i.decimals for i in built.cat.indicators.values()}
    numbered = [c for c in doc.cells if "data-value" in c]
    assert len(numbered) > 300
    wrong = [
        (c["data-indicator"], c["data-region"], c["text"], c["data-value"])
        for c in numbered
        if german(c["text"]) != half_up(float(c["data-value"]), decimals[c["data-indicator"]])
    ]
    assert not wrong


def _role_keys(built) -> dict[str, str]:
    from fis.report.view import short_name

    keys = {"region": built.view.region_key, "reference": KREIS, "land": LAND, "kreis": KREIS}
    keys.update({short_name(g): g.key for g in built.ov.gemeinden})
    return keys


def _periods(built, which: str) -> dict[str, int]:
    if which == "report":
        rows = [*built.view.steckbrief, *(r for s in built.view.sections for r in s.rows)]
    else:
        rows = [r for s in built.oview.sections for r in s.rows]
    return {r.id: r.period for r in rows}


@pytest.mark.parametrize("which", ["report", "overview"])
def test_printed_values_are_the_warehouse_values(built, which):
    """data-value is what the warehouse holds for that indicator, region and year; a cell
    without a value shows a symbol, and then the warehouse has no number we could show."""
    doc = built.doc if which == "report" else built.odoc
    keys, periods = _role_keys(built), _periods(built, which)
    want = {(c["data-indicator"], keys[c["data-region"]], periods[c["data-indicator"]])
            for c in doc.cells}  # fmt: skip
    stored = warehouse_cells(built.cfg, want)
    checked = 0
    for c in doc.cells:
        key = (c["data-indicator"], keys[c["data-region"]], periods[c["data-indicator"]])
        value, status = stored.get(key, (None, None))
        if "data-value" in c:
            assert value is not None, f"{key}: printed {c['text']} but the warehouse has none"
            assert float(c["data-value"]) == pytest.approx(value, rel=1e-9, abs=1e-9), key
            checked += 1
        else:
            assert c["text"] in SYMBOLS, f"{key}: {c['text']!r} is neither a number nor a symbol"
            shown_anyway = value is not None and c["text"] != "·" and not status
            assert not shown_anyway, f"{key}: the warehouse has {value}, printed {c['text']}"
    assert checked > 300


def test_no_missing_value_leaks_as_text_or_zero(built):
    for doc in (built.doc, built.odoc):
        # "null" is a German word (a catalogue note may say "in den übrigen null"), not in a cell
        assert not re.search(r"\b(None|nan|NaN|inf|undefined)\b", " ".join(doc.text))
        assert not [t for t in doc.cell_texts if re.search(r"\b(null|0x)\b", t)]
        for c in doc.cells:
            if "data-value" not in c:
                assert c["text"] in SYMBOLS and not re.search(r"\d", c["text"])


def test_neutral_indicators_are_never_judged(built):
    """Polarity decides colour: a neutral indicator is higher or lower, never better or worse."""
    polarity = {i.id: i.polarity for i in built.cat.indicators.values()}
    rows = [*built.view.steckbrief, *(r for s in built.view.sections for r in s.rows)]
    judged = [r.id for r in rows if r.judgement in ("better", "worse")]
    assert judged, "the demo has judged indicators"
    assert all(polarity[i] != "neutral" for i in judged)
    printed = [a["class"].split()[1] for t, a in built.doc.tags if "cmp " in (a.get("class") or "")]
    assert printed.count("better") + printed.count("worse") == len(judged)
    for c in built.odoc.cells:
        if polarity[c["data-indicator"]] == "neutral":
            assert "tone-better" not in c["class"] and "tone-worse" not in c["class"]
    classes = " ".join(c["class"] for c in built.odoc.cells)
    for tone in ("tone-better", "tone-worse", "tone-higher", "tone-lower", "strong"):
        assert tone in classes


def test_overview_heat_table_has_all_gemeinden(built):
    ov, doc = built.oview, built.odoc
    assert len(ov.gemeinden) == 11
    h2 = [t for tag, t in doc.headings if tag == "h2"]
    assert h2 == ["Lesehilfe", *(s.title for s in ov.sections), "Quellen und Zeichen"]
    for s in ov.sections:
        for r in s.rows:
            cells = [c for c in doc.cells if c["data-indicator"] == r.id]
            assert [c["data-region"] for c in cells] == [*ov.gemeinden, "kreis", "land"]
    assert sum(1 for _, text in doc.headings if text == "Auffälligkeiten") == len(ov.sections)


# --- self-contained, demo, branding ---------------------------------------------------------


@pytest.mark.parametrize("which", ["html", "ohtml"])
def test_self_contained(built, which):
    html = getattr(built, which)
    doc = Doc(html)
    names = [t for t, _ in doc.tags]
    assert "script" not in names and "link" not in names and "iframe" not in names
    for _, a in doc.tags:
        for attr in ("src", "href"):
            assert not re.match(r"\s*(https?:)?//", a.get(attr) or ""), a
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "@font-face" in html and "data:font/ttf;base64," in html
    assert doc.tags[0] == ("html", {"lang": "de"})


def test_demo_note_on_screen_and_in_the_page_margin(built):
    for html in (built.html, built.ohtml):
        doc = Doc(html)
        banners = [a for t, a in doc.tags if "demo-banner" in (a.get("class") or "")]
        assert len(banners) == 1 and DEMO_NOTE in " ".join(doc.text)
        assert "@top-center" in html
    from fis.report.html import render_report_html

    real = render_report_html(dataclasses.replace(built.view, is_demo=False), built.branding)
    assert "Demodaten" not in real and "@top-center" not in real


def test_text_is_escaped(built):
    from fis.report.html import render_report_html

    odd = dataclasses.replace(built.view, region="Stadt <b>Kreuz</b>tal & Co")
    html = render_report_html(odd, built.branding)
    assert "<b>Kreuz</b>" not in html and "Stadt &lt;b&gt;Kreuz&lt;/b&gt;tal &amp; Co" in html


def test_logo_and_own_templates_of_a_kreis(built, tmp_path):
    from fis.report.branding import SHIPPED_TEMPLATES
    from fis.report.html import render_overview_html, render_report_html

    (tmp_path / "report.css").write_text(
        (SHIPPED_TEMPLATES / "report.css").read_text() + "\n.kreis-eigen { color: red; }\n"
    )
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    branding = dataclasses.replace(built.branding, logo=svg, logo_mime="image/svg+xml",
                                   template_dirs=(tmp_path, SHIPPED_TEMPLATES))  # fmt: skip
    for html in (
        render_report_html(built.view, branding),
        render_overview_html(built.oview, branding),
    ):
        assert ".kreis-eigen" in html
        assert any(t == "img" and a["src"].startswith("data:image/svg+xml;base64,")
                   for t, a in Doc(html).tags)  # fmt: skip


# --- in the browser (slow) -------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(built, tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    (folder / "report.html").write_text(built.html, encoding="utf-8")
    (folder / "overview.html").write_text(built.ohtml, encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("name,landscape", [("report", False), ("overview", True)])
def test_printed_pdf_is_not_blank_and_marks_demo_on_every_page(pages, name, landscape):
    pdf = pdfium.PdfDocument(browser.print_to_pdf(pages / f"{name}.html", pages / f"{name}.pdf"))
    assert len(pdf) >= 8
    for i, page in enumerate(pdf):
        width, height = page.get_size()
        assert (width > height) == landscape
        assert DEMO_NOTE in page.get_textpage().get_text_range(), f"page {i + 1}"
    pixels = pdf[0].render(scale=1).to_numpy()
    assert (pixels < 200).any(), "the title page is blank"
    assert (pdf[2].render(scale=1).to_numpy() < 200).mean() > 0.01


@pytest.mark.slow
@pytest.mark.parametrize("name", ["report", "overview"])
def test_screenshot_shows_the_report(pages, name):
    from PIL import Image

    from fis.report.charts import PALETTE

    shot = Image.open(browser.screenshot(pages / f"{name}.html", pages / f"{name}.png"))
    assert shot.size == (1240, 1754)
    grey = shot.convert("L")
    dark = sum(grey.histogram()[:160]) / (shot.width * shot.height)
    assert dark > 0.01, "the screenshot is (nearly) blank"
    if name == "report":  # the Gemeinde's colour (title, Steckbrief) is on the first screen
        hl = tuple(int(PALETTE["highlight"][i : i + 2], 16) for i in (1, 3, 5))
        colours = {c for _, c in shot.convert("RGB").getcolors(maxcolors=1 << 22)}
        assert hl in colours, "no highlight colour on screen"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["report", "overview"])
def test_no_console_errors(pages, name):
    assert browser.console_errors(pages / f"{name}.html") == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "which,width", [("html", PORTRAIT_PX), ("ohtml", LANDSCAPE_PX)], ids=["report", "overview"]
)
def test_nothing_sticks_out_of_the_printed_page(built, tmp_path, which, width):
    result = browser.measure_print_layout(getattr(built, which), width, tmp_path)
    assert result["tables"] > 5 and result["cells"] > 500
    assert result["problems"] == []


@pytest.mark.slow
def test_browser_checks_can_fail(tmp_path):
    """The helpers see a broken SVG and a table too wide for the page."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html lang="de"><body><svg width="9" height="9">'
                    '<path d="M 0 0 L x"/></svg></body></html>')  # fmt: skip
    assert browser.console_errors(page)
    cell = '<td style="white-space:nowrap">' + "18.034.454 " * 40 + "</td>"
    wide = ('<!DOCTYPE html><html><body><table style="table-layout:fixed;width:100%"><tr>'
            + cell + "</tr></table></body></html>")  # fmt: skip
    problems = browser.measure_print_layout(wide, PORTRAIT_PX, tmp_path)["problems"]
    assert any("cell overflows" in p for p in problems)
