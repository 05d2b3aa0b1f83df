"""What a variable and an indicator declare: strict pydantic models of the catalogue YAML."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from fis.catalog import formula
from fis.errors import FormulaError

# The catalogue's 13 Handlungsfelder (CATALOGUE.md §2) and the folder each lives in under
# indicators/. The names are exactly those of catalogue.csv.
HANDLUNGSFELDER: dict[str, str] = {
    "Bevölkerung & Demografie": "bevoelkerung",
    "Wanderung & Mobilität": "wanderung",
    "Geburten & Familiengründung": "geburten",
    "Haushalte & Familienformen": "haushalte",
    "Kinderbetreuung & frühe Bildung": "kinderbetreuung",
    "Schule & Bildung": "schule",
    "Erwerbstätigkeit & Vereinbarkeit": "erwerb",
    "Einkommen, soziale Lage & Transferleistungen": "einkommen",
    "Wohnen & Wohnumfeld": "wohnen",
    "Kinder- und Jugendhilfe & Kinderschutz": "jugendhilfe",
    "Gesundheit von Kindern & Familien": "gesundheit",
    "Integration & Migration": "integration",
    "Generationen, Pflege & Alter": "generationen",
}

# The region levels an indicator can be reported for, from the lowest to the highest. They are
# the levels of the warehouse's region register (fis.warehouse.regions). Every indicator is
# reported for the Kreis: the Kreis is the unit that runs the FIS.
LEVELS: tuple[str, ...] = ("gemeinde", "jugendamt", "kreis", "land", "staat")
Level = Literal["gemeinde", "jugendamt", "kreis", "land", "staat"]
REQUIRED_LEVEL = "kreis"

# How lowest_level texts (availability_nrw.csv) name the official level; a text starting with
# "Gemeinde" or "Kreis" may carry a remark ("Gemeinde (nur Zensus)"). "keine amtliche Quelle"
# means no level is official.
_OFFICIAL_PREFIXES = (("gemeinde", "gemeinde"), ("jugendamt", "jugendamt"), ("kreis", "kreis"))
NO_OFFICIAL_SOURCE = ("keine amtliche quelle", "—", "-")
# For "is this level below the official one", a Jugendamtsbezirk counts as Kreis-like: Kreis
# statistics of the Kinder- und Jugendhilfe are sums over Jugendamtsbezirke.
_RANK = {"gemeinde": 0, "jugendamt": 1, "kreis": 1, "land": 2, "staat": 3}


def official_level(lowest_level: str) -> str | None:
    """The level a lowest_level text names ('gemeinde', 'jugendamt', 'kreis'); None if no level
    is official; ValueError for a text not understood."""
    text = lowest_level.strip().lower()
    if text in NO_OFFICIAL_SOURCE:
        return None
    for prefix, level in _OFFICIAL_PREFIXES:
        if text.startswith(prefix):
            return level
    raise ValueError(f"official level not understood: {lowest_level!r}")


def levels_below(levels: tuple[str, ...], official: str | None) -> tuple[str, ...]:
    """The levels that lie below the official one (all of them if nothing is official)."""
    if official is None:
        return tuple(levels)
    return tuple(lv for lv in levels if _RANK[lv] < _RANK[official])


Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]


def _list_to_tuple(value: object) -> object:
    """YAML gives lists; the frozen models keep tuples (hashable, immutable)."""
    return tuple(value) if isinstance(value, list) else value


class Variable(BaseModel):
    """A raw count or amount as delivered (Merkmal), e.g. `bev_insg`."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: Id
    name: Text
    unit: Text
    # sum: counts that add up the region hierarchy; none: medians, means and flows across
    # boundaries (Zuzüge über die Gemeindegrenze cancel inside a Kreis), delivered per level.
    aggregation: Literal["sum", "none"]
    stichtag: Text
    source_table: Text
    lowest_level: Text
    note: str = ""


class Indicator(BaseModel):
    """An indicator: factor × numerator / denominator over variables, with its metadata."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: Id
    name: Text
    short: Annotated[str, Field(min_length=1, max_length=40)]
    handlungsfeld: Text
    definition: Text
    numerator: Text
    denominator: Text | None
    factor: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    unit: Text
    decimals: Annotated[int, Field(ge=0, le=3)]
    polarity: Literal["higher_is_better", "higher_is_worse", "neutral"]
    range: Annotated[tuple[float, float], BeforeValidator(_list_to_tuple)]
    sources: Annotated[tuple[Text, ...], BeforeValidator(_list_to_tuple), Field(min_length=1)]
    lowest_level: Text  # official lowest level in NRW (availability_nrw.csv)
    lowest_level_local: Text  # lowest level with local data (availability_nrw.csv)
    # Levels the FIS reports the indicator for, in the order of LEVELS. A level below the
    # official one (e.g. gemeinde for a Kreis-only statistic) needs `level_note`: the local
    # source that makes it possible.
    levels: Annotated[tuple[Level, ...], BeforeValidator(_list_to_tuple), Field(min_length=1)]
    level_note: str = ""
    update_cycle: Text
    reference_date: Text
    note: Text
    reference: Text
    # True for the indicators taken from catalogue_extensions.csv (not part of the 163 core).
    extension: bool = False

    @field_validator("numerator", "denominator")
    @classmethod
    def _formula_parses(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                formula.parse(value)
            except FormulaError as err:
                raise ValueError(str(err)) from None
        return value

    @field_validator("handlungsfeld")
    @classmethod
    def _known_handlungsfeld(cls, value: str) -> str:
        if value not in HANDLUNGSFELDER:
            raise ValueError(
                f"unknown Handlungsfeld {value!r}; one of: {', '.join(HANDLUNGSFELDER)}"
            )
        return value

    @field_validator("range")
    @classmethod
    def _range_ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not value[0] < value[1]:
            raise ValueError(f"range must be [min, max] with min < max, got {list(value)}")
        return value

    @field_validator("levels")
    @classmethod
    def _levels_known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError(f"levels given twice: {list(value)}")
        if list(value) != sorted(value, key=LEVELS.index):
            raise ValueError(f"levels must be in the order {', '.join(LEVELS)}; got {list(value)}")
        if REQUIRED_LEVEL not in value:
            raise ValueError(f"levels must include {REQUIRED_LEVEL!r}; got {list(value)}")
        return value

    @property
    def numerator_expr(self) -> formula.Expr:
        """The parsed numerator."""
        return formula.parse(self.numerator)

    @property
    def denominator_expr(self) -> formula.Expr | None:
        """The parsed denominator, or None for an absolute number."""
        return None if self.denominator is None else formula.parse(self.denominator)

    @property
    def slug(self) -> str:
        """The folder of this indicator's Handlungsfeld under indicators/."""
        return HANDLUNGSFELDER[self.handlungsfeld]

    def local_levels(self) -> tuple[str, ...]:
        """Levels reported only thanks to local data (below the official lowest level).

        ValueError if `lowest_level` does not name a level."""
        return levels_below(self.levels, official_level(self.lowest_level))

    def variables(self) -> set[tuple[str, int]]:
        """Every (variable id, offset) that numerator and denominator read."""
        found = formula.variables(self.numerator_expr)
        if self.denominator is not None:
            found |= formula.variables(self.denominator_expr)
        return found
