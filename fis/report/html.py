"""The kleiner Familienbericht and the Kreisübersicht as self-contained HTML files.

One file each: the shipped font as base64 `@font-face`, the logo as a data URI, the charts as
inline SVG, the stylesheet (screen and A4 print) inline. Nothing is fetched from anywhere, no
script runs. Input is the print-ready view (`fis.report.view`); nothing here formats numbers.
A Kreis may override any template (also `report.css`) in its branding template folder.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from fis.report.branding import Branding
from fis.report.charts import FONT_DIR, FONT_FAMILY
from fis.report.numbers import UNIT_SPACE
from fis.report.view import OverviewView, ReportView

REPORT_TEMPLATE = "familienbericht.html.j2"
OVERVIEW_TEMPLATE = "kreisuebersicht.html.j2"
STYLESHEET = "report.css"
DEMO_NOTE = "Demodaten – keine amtlichen Werte"

# Chapters every report has besides one per Handlungsfeld (ids for the table of contents).
FIXED_CHAPTERS = {
    "steckbrief": "Auf einen Blick",
    "inhalt": "Inhalt",
    "bevoelkerungsaufbau": "Bevölkerungsaufbau",
    "methodik": "Methodik und Quellen",
}
OVERVIEW_CHAPTERS = {
    "lesehilfe": "Lesehilfe",
    "quellen": "Quellen und Zeichen",
}
# The text of a comparison tone in the Kreisübersicht, for the legend and cell titles.
TONE_TEXT = {
    "better": "günstiger als der Kreis",
    "worse": "ungünstiger als der Kreis",
    "higher": "höher als der Kreis (ohne Wertung)",
    "lower": "niedriger als der Kreis (ohne Wertung)",
    "same": "etwa wie der Kreis",
}
# The legend of the heat-table: CSS classes of report.css and what they say.
LEGEND = (
    ("tone-better", "deutlich günstiger als der Kreis"),
    ("tone-better strong", "sehr deutlich günstiger"),
    ("tone-worse", "deutlich ungünstiger als der Kreis"),
    ("tone-worse strong", "sehr deutlich ungünstiger"),
    ("tone-higher", "deutlich höher als der Kreis, ohne Wertung"),
    ("tone-higher strong", "sehr deutlich höher, ohne Wertung"),
    ("tone-lower", "deutlich niedriger als der Kreis, ohne Wertung"),
    ("tone-lower strong", "sehr deutlich niedriger, ohne Wertung"),
    ("", "etwa wie der Kreis, oder eine absolute Zahl (nicht vergleichbar)"),
)
_FONT_FILES = (("SourceSansPro-Regular.ttf", 400), ("SourceSansPro-Bold.ttf", 700))


@cache
def font_faces() -> str:
    """`@font-face` rules embedding the shipped font (regular, bold) as data URIs."""
    rules = []
    for name, weight in _FONT_FILES:
        data = base64.b64encode((FONT_DIR / name).read_bytes()).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; '
            f"font-weight: {weight}; src: url(data:font/ttf;base64,{data}) format('truetype'); }}"
        )
    return "\n".join(rules)


def _nobreak(text: str) -> str:
    """Keep "31,2 %" and "+2,1 Prozentpunkte" together on one line where they are short."""
    return text.replace(UNIT_SPACE + "%", "\u00a0%")


def _css_string(text: str) -> Markup:
    """A quoted CSS string (HTML escaping means nothing inside <style>)."""
    out = "".join(c if c.isalnum() or c in " .,:;–-·()" else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{out}"')


@cache
def _environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """Jinja searching the branding's template folders first, so a Kreis can override any
    template. One per folder list: compiling the templates costs more than rendering them
    (the loader still notices an edited template)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["nobreak"] = _nobreak
    env.filters["css_string"] = _css_string
    env.filters["svg"] = lambda chart: Markup(chart.svg)  # our own SVG (fis.report.charts)
    return env


def _stylesheet(
    env: jinja2.Environment, branding: Branding, orientation: str, title: str, is_demo: bool
) -> Markup:
    """The inline stylesheet: fonts, colours from the branding, page size, running title, and
    the demo note in the top margin of every printed page."""
    css = env.get_template(STYLESHEET).render(
        colors=branding.colors, font_family=FONT_FAMILY, orientation=orientation,
        running_title=title, is_demo=is_demo, demo_note=DEMO_NOTE,
    )  # fmt: skip
    # The CSS is trusted (ours or the Kreis's template); "</" would end the <style> element.
    return Markup(font_faces() + "\n" + css.replace("</", "<\\/"))


def render_report_html(view: ReportView, branding: Branding) -> str:
    """The kleiner Familienbericht of one Gemeinde as one self-contained HTML5 file."""
    env = _environment(tuple(branding.template_dirs))
    chapters = [("steckbrief", FIXED_CHAPTERS["steckbrief"])]
    chapters += [(s.id, s.title) for s in view.sections]
    if view.age_chart is not None:
        chapters.append(("bevoelkerungsaufbau", FIXED_CHAPTERS["bevoelkerungsaufbau"]))
    chapters.append(("methodik", FIXED_CHAPTERS["methodik"]))
    css = _stylesheet(env, branding, "portrait", f"{view.title} · {view.region}", view.is_demo)
    return env.get_template(REPORT_TEMPLATE).render(
        v=view, branding=branding, chapters=chapters, fixed=FIXED_CHAPTERS, css=css,
        demo_note=DEMO_NOTE,
    )  # fmt: skip


def render_overview_html(view: OverviewView, branding: Branding) -> str:
    """The Kreisübersicht (all Gemeinden of a Kreis side by side) as one HTML5 file."""
    env = _environment(tuple(branding.template_dirs))
    chapters = [("lesehilfe", OVERVIEW_CHAPTERS["lesehilfe"])]
    chapters += [(s.id, s.title) for s in view.sections]
    chapters.append(("quellen", OVERVIEW_CHAPTERS["quellen"]))
    css = _stylesheet(env, branding, "landscape", view.title, view.is_demo)
    return env.get_template(OVERVIEW_TEMPLATE).render(
        v=view, branding=branding, chapters=chapters, fixed=OVERVIEW_CHAPTERS, css=css,
        tone_text=TONE_TEXT, legend=LEGEND, demo_note=DEMO_NOTE,
    )  # fmt: skip
