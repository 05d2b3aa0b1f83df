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
from fis.catalog.models import HANDLUNGSFELDER, Indicator, Variable

__all__ = [
    "HANDLUNGSFELDER",
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
    "parse",
    "to_sql",
    "variables",
]
