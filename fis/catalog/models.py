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
    lowest_level: Text
    lowest_level_local: Text
    update_cycle: Text
    reference_date: Text
    note: Text
    reference: Text

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

    def variables(self) -> set[tuple[str, int]]:
        """Every (variable id, offset) that numerator and denominator read."""
        found = formula.variables(self.numerator_expr)
        if self.denominator is not None:
            found |= formula.variables(self.denominator_expr)
        return found
