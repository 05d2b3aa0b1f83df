"""Report charts drawn directly as SVG, with German alt texts.

Three charts: `time_series_svg` (a region's indicator over the years, with the Kreis and the Land),
`gemeinden_bars_svg` (all Gemeinden of the Kreis, one highlighted) and `age_structure_svg` (the age
groups' shares, the Kreis's as ticks). Each returns a `Chart`: self-contained SVG to inline in HTML
or embed in typst, and its alt text. Python writes the SVG itself (about 0.5 ms a chart).

Every chart is 16 cm wide at 96 px/in (605 px), so its 12 px text prints at about 9 pt. Text uses
the font shipped in `fis/report/fonts/`; numbers use German formatting (decimal comma, thousands
point, the hyphen-minus of the report's text).

Modules: `layout` (palette, font, sizes, ticks, label spreading, text widths, formatting), `alt`
(alt texts), `svg` (the SVG primitives and the three charts).
"""

from fis.report.charts.layout import FONT_DIR, FONT_FAMILY, PALETTE, WIDTH_PX
from fis.report.charts.svg import Chart, age_structure_svg, gemeinden_bars_svg, time_series_svg

__all__ = [
    "FONT_DIR",
    "FONT_FAMILY",
    "PALETTE",
    "WIDTH_PX",
    "Chart",
    "age_structure_svg",
    "gemeinden_bars_svg",
    "time_series_svg",
]
