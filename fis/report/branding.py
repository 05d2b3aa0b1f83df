"""How a Kreis brands its reports: title, publisher, logo, colours, introduction, templates.

Everything comes from `[report]` in fis.toml; an optional template folder may hold templates
of the same names as the shipped ones (they win) and the logo file.

    [report]
    title = "Kleiner Familienbericht"
    publisher = "Kreis Siegen-Wittgenstein – Jugendhilfe- und Sozialplanung"
    logo = "branding/logo.svg"          # SVG or PNG, relative to fis.toml
    intro = "Der Kleine Familienbericht ..."
    templates = "branding/templates"    # optional overrides of the shipped templates
    [report.colors]
    highlight = "#00587c"               # the Gemeinde; keys as fis.report.charts.PALETTE
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

from fis.config import Config
from fis.errors import ConfigError
from fis.report.charts import PALETTE

SHIPPED_TEMPLATES = Path(__file__).parent / "templates"

DEFAULT_INTRO = (
    "Dieser Bericht fasst die wichtigsten familienbezogenen Kennzahlen der Gemeinde zusammen und "
    "vergleicht sie mit dem Kreis und dem Land. Er beruht auf amtlichen Statistiken und "
    "kommunalen Daten; Definitionen und Quellen stehen im Anhang."
)


@dataclass(frozen=True)
class Branding:
    title: str = "Kleiner Familienbericht"
    publisher: str = ""
    intro: str = DEFAULT_INTRO
    colors: dict[str, str] = field(default_factory=lambda: dict(PALETTE))
    logo: bytes | None = None
    logo_mime: str = ""  # image/svg+xml or image/png
    logo_name: str = ""  # file name, e.g. for typst
    template_dirs: tuple[Path, ...] = (SHIPPED_TEMPLATES,)

    @property
    def logo_data_uri(self) -> str:
        """The logo for an <img src> in a self-contained HTML file ("" without a logo)."""
        if not self.logo:
            return ""
        return f"data:{self.logo_mime};base64,{base64.b64encode(self.logo).decode('ascii')}"


def load_branding(cfg: Config) -> Branding:
    """The branding of this instance (defaults where fis.toml says nothing)."""
    rep = cfg.report
    colors = dict(PALETTE)
    unknown = set(rep.get("colors", {})) - set(PALETTE)
    if unknown:
        raise ConfigError(f"[report.colors]: unknown key(s) {', '.join(sorted(unknown))}; "
                          f"known: {', '.join(PALETTE)}")  # fmt: skip
    colors.update(rep.get("colors", {}))
    logo, mime, name = None, "", ""
    if rep.get("logo"):
        path = (cfg.root / rep["logo"]).resolve()
        mime = {".svg": "image/svg+xml", ".png": "image/png"}.get(path.suffix.lower(), "")
        if not mime:
            raise ConfigError(f"[report] logo {path}: use an SVG or PNG file")
        try:
            logo = path.read_bytes()
        except OSError as e:
            raise ConfigError(f"[report] logo {path}: {e.strerror}") from None
        name = "logo" + path.suffix.lower()
    dirs = (SHIPPED_TEMPLATES,)
    if rep.get("templates"):
        own = (cfg.root / rep["templates"]).resolve()
        if not own.is_dir():
            raise ConfigError(f"[report] templates {own}: no such folder")
        dirs = (own, SHIPPED_TEMPLATES)
    return Branding(
        title=rep.get("title", Branding.title), publisher=rep.get("publisher", ""),
        intro=rep.get("intro", DEFAULT_INTRO), colors=colors, logo=logo, logo_mime=mime,
        logo_name=name, template_dirs=dirs,
    )  # fmt: skip
