"""`fis export`: a selection of the warehouse as Excel, CSV with a Data Package, or Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _split(values: list[str] | None) -> list[str] | None:
    """Repeated options and comma-separated lists alike: ['a,b', 'c'] → ['a', 'b', 'c']."""
    parts = [p.strip() for v in values or [] for p in v.split(",") if p.strip()]
    return parts or None


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx, csv or parquet")],
    out: Annotated[
        Path | None,
        typer.Option(help="FILE.xlsx, or a folder for csv/parquet (default: data/out/export/FMT)"),
    ] = None,
    indicators: Annotated[
        list[str] | None, typer.Option(help="Indicator ids, comma-separated (default: all)")
    ] = None,
    regions: Annotated[
        list[str] | None,
        typer.Option(
            help="Region keys or names, comma-separated or repeated "
            "(default: the focus Kreis's Gemeinden and the comparison regions)"
        ),
    ] = None,
    years: Annotated[
        str | None, typer.Option(help="FROM-TO, e.g. 2015-2022, or one year (default: all)")
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Suppress small counts from local registers (·)")
    ] = False,
):
    """Export indicator values with their metadata and sources.

    Example: fis export --format xlsx --out fis.xlsx --years 2015-2024 --public
    """
    from fis.cli.main import _cfg
    from fis.export import write_export

    result = write_export(_cfg(), fmt, out, _split(indicators), _split(regions), years, public)
    for p in result.paths:
        typer.echo(str(p))
    typer.echo(f"{result.rows} Werte in {result.seconds:.1f} s", err=True)
