"""`fis schema`: every table and view of the warehouse, with its columns, types and meaning."""

from __future__ import annotations

from typing import Annotated

import typer

from fis.errors import FisError


def schema(
    name: Annotated[
        str | None, typer.Argument(help="Only this table or view, e.g. v_indicator_wide")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
):
    """List the warehouse's tables and views with their columns, types and what they mean.

    Example: fis schema   ·   fis schema v_region_hierarchy --format csv
    """
    from fis.cli.main import _cfg, _echo, _open
    from fis.warehouse.views import describe_schema

    con = _open(_cfg())
    try:
        table = describe_schema(con)
    finally:
        con.close()
    if name:
        table.rows = [r for r in table.rows if r[0] == name]
        if not table.rows:
            raise FisError(f"no table or view {name!r}; see 'fis schema'")
        table.title = name
    _echo(table, fmt)
