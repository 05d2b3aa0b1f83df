"""The Indikatorenkatalog: every indicator with definition, formula in words, sources, levels.

Written as Markdown (for the repository and print) and as one self-contained HTML page.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from fis.catalog import formula
from fis.catalog.load import Catalog
from fis.catalog.models import HANDLUNGSFELDER

LEVEL_NAMES = {
    "gemeinde": "Gemeinde", "jugendamt": "Jugendamtsbezirk", "kreis": "Kreis",
    "land": "Land", "staat": "Deutschland",
}  # fmt: skip
POLARITY = {
    "higher_is_better": "höher ist günstiger",
    "higher_is_worse": "höher ist ungünstiger",
    "neutral": "keine Wertung",
}


def formula_in_words(ind, cat: Catalog) -> str:
    """'factor × numerator / denominator' in German words, using the variables' names."""
    names = {v.id: v.name for v in cat.variables.values()}
    num = formula.describe(formula.parse(ind.numerator), names)
    text = f"({num})" if ind.denominator else num
    if ind.denominator:
        text += f" / ({formula.describe(formula.parse(ind.denominator), names)})"
    if ind.factor != 1:
        factor = (
            f"{ind.factor:,.0f}".replace(",", ".") if ind.factor.is_integer() else str(ind.factor)
        )
        text += f" × {factor}"
    return text


def by_handlungsfeld(cat: Catalog) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for ind in cat.indicators.values():
        groups[ind.handlungsfeld].append(ind)
    return {hf: sorted(groups[hf], key=lambda i: i.id) for hf in HANDLUNGSFELDER if hf in groups}


def _entry(ind, cat: Catalog) -> list[tuple[str, str]]:
    """(label, text) pairs describing one indicator."""
    levels = ", ".join(LEVEL_NAMES.get(lv, lv) for lv in ind.levels)
    rows = [
        ("Definition", ind.definition),
        ("Formel", formula_in_words(ind, cat)),
        ("Einheit", f"{ind.unit} ({ind.decimals} Nachkommastellen)"),
        ("Wertung", POLARITY[ind.polarity]),
        ("Plausibler Bereich", f"{ind.range[0]:g} bis {ind.range[1]:g}"),
        ("Quellen", "; ".join(ind.sources)),
        ("Stichtag", ind.reference_date),
        ("Aktualisierung", ind.update_cycle),
        (
            "Niedrigste Ebene",
            f"amtlich: {ind.lowest_level}; mit lokalen Daten: {ind.lowest_level_local}",
        ),
        ("Ausgewiesen für", levels + (f" – {ind.level_note}" if ind.level_note else "")),
        ("Hinweis zur Deutung", ind.note),
    ]
    if ind.extension:
        rows.insert(0, ("Status", "Erweiterung (nicht im Kernkatalog)"))
    return rows


def to_markdown(cat: Catalog, title: str = "Indikatorenkatalog") -> str:
    groups = by_handlungsfeld(cat)
    out = [
        f"# {title}",
        "",
        f"{len(cat.indicators)} Indikatoren in {len(groups)} Handlungsfeldern.",
        "",
    ]
    for n, (hf, inds) in enumerate(groups.items(), 1):
        out += [f"## {n}. {hf}", ""]
        for ind in inds:
            out += [f"### {ind.name} (`{ind.id}`)", ""]
            out += [f"- **{label}:** {text}" for label, text in _entry(ind, cat)]
            out.append("")
    return "\n".join(out)


CSS = """
body{font-family:"Source Sans 3","Segoe UI",Arial,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1b;line-height:1.45}
h1{font-size:1.8rem}h2{margin-top:2.5rem;border-bottom:2px solid #00587c;color:#00587c}
h3{margin-bottom:.3rem}code{font-size:.85em;color:#555}
dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem 1rem;margin:0 0 1.5rem}
dt{font-weight:600;color:#444}dd{margin:0}nav ol{columns:2}
@media print{nav{display:none}h2{break-before:page}section{break-inside:avoid}}
"""


def to_html(cat: Catalog, title: str = "Indikatorenkatalog") -> str:
    e = html.escape
    groups = by_handlungsfeld(cat)
    toc = "".join(
        f'<li><a href="#hf{n}">{e(hf)}</a> ({len(inds)})</li>'
        for n, (hf, inds) in enumerate(groups.items(), 1)
    )
    body = []
    for n, (hf, inds) in enumerate(groups.items(), 1):
        body.append(f'<h2 id="hf{n}">{n}. {e(hf)}</h2>')
        for ind in inds:
            dl = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in _entry(ind, cat))
            body.append(
                f'<section id="{e(ind.id)}"><h3>{e(ind.name)} <code>{e(ind.id)}</code></h3>'
                f"<dl>{dl}</dl></section>"
            )
    return (
        f'<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{e(title)}</h1><p>{len(cat.indicators)} Indikatoren in {len(groups)} Handlungsfeldern.</p>"
        f'<nav aria-label="Inhalt"><ol>{toc}</ol></nav>{"".join(body)}</body></html>\n'
    )


def write_docs(cat: Catalog, out_dir: Path, title: str = "Indikatorenkatalog") -> list[Path]:
    """Write indikatorenkatalog.md and .html into out_dir; returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / "indikatorenkatalog.md"
    md.write_text(to_markdown(cat, title), encoding="utf-8")
    page = out_dir / "indikatorenkatalog.html"
    page.write_text(to_html(cat, title), encoding="utf-8")
    return [md, page]
