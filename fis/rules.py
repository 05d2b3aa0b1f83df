"""Validation rules: which checks run, their thresholds and severities (rules.yaml).

One YAML file per instance holds every configurable threshold; a rule left out keeps its
default, an unknown key is an error. Severities: `error` blocks the refresh (the warehouse stays
as it was), `warning` is recorded and shown, `info` is recorded for reports (e.g. small counts to
suppress), `off` disables the rule. Schema checks (pandera) at every boundary are always errors
and cannot be switched off: a frame that breaks them cannot be stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fis.errors import ConfigError

Severity = Literal["error", "warning", "info", "off"]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    severity: Severity


class Tolerance(_Strict):
    """A difference is tolerated up to max(absolute, relative × |delivered value|)."""

    absolute: NonNegative = 0.5
    relative: NonNegative = 0.0


class Perturbed(Tolerance):
    """Sources whose cells are perturbed for confidentiality (Zensus 2022: cell-key method),
    so that parts never add up exactly; pipelines as glob patterns."""

    pipelines: tuple[str, ...] = ("zensus*",)
    absolute: NonNegative = 20.0
    relative: NonNegative = 0.002


class IndicatorRange(Rule):
    severity: Severity = "warning"


class ShareAbove100(Rule):
    severity: Severity = "error"


class CountAbovePopulation(Rule):
    severity: Severity = "error"


class PopulationAboveRegister(Rule):
    severity: Severity = "error"
    factor: Annotated[float, Field(gt=1)] = 10.0


class SumOfChildren(Rule):
    severity: Severity = "warning"
    tolerance: Tolerance = Tolerance()
    perturbed: Perturbed = Perturbed()


class YearOnYear(Rule):
    """Robust z-score of a year-on-year change against the region's own changes.

    z = (change − median of changes) / scale, scale = 1.4826 × MAD of changes, for counts at
    least √(2 × previous value) (the chance variation of a Poisson count). Small municipalities
    swing by chance: a change is only reported when it is also at least `min_change` (counts)
    and at least `min_relative` of the previous value. Changes into a `break_periods` year (census
    rebasing: Zensus 2011, Zensus 2022) are neither scored nor used for the scale.
    """

    severity: Severity = "warning"
    z: Annotated[float, Field(gt=0)] = 5.0
    min_changes: Annotated[int, Field(ge=3)] = 5
    min_change: NonNegative = 20.0
    min_relative: NonNegative = 0.05
    break_periods: tuple[int, ...] = (2011, 2022)


class Completeness(Rule):
    """Every Gemeinde of the focus Kreis, the Kreis and the comparison regions hold every
    variable for every year in which it exists for the focus Kreis (a symbol counts)."""

    severity: Severity = "warning"


class Revision(Rule):
    """A revised value differing from the old one by more than the tolerance."""

    severity: Severity = "warning"
    absolute: NonNegative = 10.0
    relative: NonNegative = 0.05


class Disclosure(Rule):
    """Counts from local registers below `min_count` (but above 0): suppressed in reports."""

    severity: Severity = "info"
    min_count: Annotated[int, Field(ge=1)] = 3


class Rules(_Strict):
    """All rules with their settings; the defaults apply where rules.yaml says nothing."""

    indicator_range: IndicatorRange = IndicatorRange()
    share_above_100: ShareAbove100 = ShareAbove100()
    count_above_population: CountAbovePopulation = CountAbovePopulation()
    population_above_register: PopulationAboveRegister = PopulationAboveRegister()
    sum_of_children: SumOfChildren = SumOfChildren()
    year_on_year: YearOnYear = YearOnYear()
    completeness: Completeness = Completeness()
    revision: Revision = Revision()
    disclosure: Disclosure = Disclosure()


# German titles and hints for the validation report and `fis findings`.
RULE_TEXT: dict[str, tuple[str, str]] = {
    "schema": ("Formale Prüfung", "Die Datei verletzt das Schema (Schlüssel, Status, negative "
               "Fallzahlen, Doppelungen). Datei an der genannten Zeile prüfen."),
    "input": ("Eingabedatei", "Die Datei konnte nicht gelesen oder zugeordnet werden. Export "
              "erneut herunterladen oder Format prüfen."),
    "indicator_range": ("Plausibler Wertebereich", "Wert außerhalb des im Katalog genannten "
                        "Bereichs: Tippfehler, falscher Gebietsstand oder echte Ausnahme?"),
    "share_above_100": ("Anteil über 100 %", "Zähler größer als Nenner: passen Quelle, "
                        "Stichtag und Gebiet von Zähler und Nenner zusammen?"),
    "count_above_population": ("Fallzahl über Einwohnerzahl", "Eine Teilgruppe ist größer als "
                               "die Bevölkerung: Zeile in der genannten Datei prüfen."),
    "population_above_register": ("Einwohnerzahl unplausibel", "Die Einwohnerzahl übersteigt "
                                  "die des Gemeindeverzeichnisses um ein Vielfaches."),
    "sum_of_children": ("Summe der Teilgebiete", "Gemeinden summieren sich nicht zum "
                        "gelieferten Kreiswert: Gebietsstand, Geheimhaltung oder Revision?"),
    "year_on_year": ("Sprung zum Vorjahr", "Ungewöhnliche Veränderung gegenüber der eigenen "
                     "Zeitreihe: Gebietsreform, Erfassungsänderung oder Fehler?"),
    "completeness": ("Vollständigkeit", "Für diese Jahre fehlt der Wert, obwohl er für andere "
                     "Gebiete vorliegt: Export vollständig heruntergeladen?"),
    "revision": ("Revision", "Ein bereits geladener Wert wurde deutlich geändert: Revision der "
                 "Quelle bestätigen."),
    "disclosure": ("Kleine Fallzahl", "Fallzahl unter der Geheimhaltungsschwelle: wird in "
                   "Berichten unterdrückt."),
}  # fmt: skip


def load_rules(path: Path | None) -> Rules:
    """The rules of rules.yaml at `path` (defaults where the file or a rule is absent)."""
    if path is None or not Path(path).is_file():
        return Rules()
    try:
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{line}: not valid YAML ({getattr(e, 'problem', e)})") from None
    try:
        return Rules.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"{path}: {where}: {err['msg']}") from None
