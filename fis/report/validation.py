"""The Prüfbericht: a refresh's validation findings as one self-contained German HTML page.

What failed, where, with values and a hint per rule, so a planner can act on it without the
command line. Input is plain data from `fis.warehouse.queries.validation_summary`.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from babel.numbers import format_decimal

from fis.report.numbers import german_decimals
from fis.rules import RULE_TEXT

TEMPLATES = Path(__file__).parent / "templates"

STATUS_TEXT = {
    "ok": "übernommen",
    "unchanged": "übernommen, keine Änderungen",
    "dry-run": "Probelauf (nichts gespeichert)",
    "failed": "abgebrochen – der Datenbestand ist unverändert",
}
SEVERITY_TEXT = {"error": "Fehler", "warning": "Warnung", "info": "Hinweis"}


def _number(value) -> str:
    """German formatting; integers without decimals, others with up to two."""
    if value is None:
        return ""
    if float(value).is_integer():
        return format_decimal(int(value), format="#,##0", locale="de_DE")
    return format_decimal(value, format="#,##0.##", locale="de_DE")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = _number
    env.filters["german"] = german_decimals
    env.filters["count"] = lambda n, one, many: f"{_number(n)} {one if n == 1 else many}"
    return env


def render_validation_report(summary: dict, instance: str) -> str:
    """The Prüfbericht HTML of one refresh's summary."""
    rules = []
    for r in summary["rules"]:
        title, hint = RULE_TEXT.get(r["rule"], (r["rule"], ""))
        rules.append({**r, "title": title, "hint": hint,
                      "rows": summary["findings"].get(r["rule"], [])})  # fmt: skip
    # errors first, then rules with warnings, then the rest; each group by title
    rules.sort(key=lambda r: (-bool(r["errors"]), -bool(r["warnings"]), r["title"]))
    refresh = summary["refresh"]
    return (
        _environment()
        .get_template("pruefbericht.html.j2")
        .render(
            instance=instance,
            refresh=refresh,
            status_text=STATUS_TEXT.get(refresh["status"], refresh["status"]),
            files=summary["files"],
            rules=rules,
            limit=summary["limit"],
            severity_text=SEVERITY_TEXT,
            n_errors=sum(r["errors"] for r in rules),
            n_warnings=sum(r["warnings"] for r in rules),
            n_infos=sum(r["infos"] for r in rules),
        )
    )
