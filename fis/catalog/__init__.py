"""The indicator catalogue: variables and indicators from indicators/*.yaml, and their formulas."""

from fis.catalog.formula import (
    BinOp,
    Expr,
    Neg,
    Num,
    Var,
    describe,
    evaluate,
    parse,
    to_sql,
    variables,
)
from fis.catalog.load import Catalog, check_catalog, load_catalog
from fis.catalog.models import HANDLUNGSFELDER, LEVELS, Indicator, Variable, official_level

__all__ = [
    "HANDLUNGSFELDER",
    "LEVELS",
    "BinOp",
    "Catalog",
    "Expr",
    "Indicator",
    "Neg",
    "Num",
    "Var",
    "Variable",
    "check_catalog",
    "describe",
    "evaluate",
    "load_catalog",
    "official_level",
    "parse",
    "to_sql",
    "variables",
]
