"""`fis indicators`: list, show, check and document the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fis.errors import CatalogError, FisError

app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    help="The indicator catalogue: list (default), show, check, doc.",
)
Fmt = Annotated[str, typer.Option("--format", "-f", help="table, csv or json")]
Hf = Annotated[
    str | None, typer.Option("--handlungsfeld", help="Only this Handlungsfeld (name or part of it)")
]


def _catalog():
    from fis.catalog import load_catalog
    from fis.cli.main import _cfg

    return load_catalog(_cfg().indicators)


def _list(fmt: str, handlungsfeld: str | None) -> None:
    from fis.cli.main import _echo
    from fis.warehouse.queries import Table

    cat = _catalog()
    inds = list(cat.indicators.values())
    if handlungsfeld:
        inds = [i for i in inds if handlungsfeld.lower() in i.handlungsfeld.lower()]
        if not inds:
            raise FisError(f"no indicators in Handlungsfeld {handlungsfeld!r}")
    rows = [
        (i.id, i.name, i.handlungsfeld, i.unit, i.lowest_level, ",".join(i.levels), i.extension)
        for i in inds
    ]
    cols = ["id", "name", "handlungsfeld", "unit", "lowest_level", "levels", "extension"]
    _echo(Table(cols, rows, title=f"{len(rows)} Indikatoren"), fmt)


@app.callback()
def main(ctx: typer.Context, fmt: Fmt = "table", handlungsfeld: Hf = None):
    """List the indicators (the default), or show, check or document them.

    Example: fis indicators --handlungsfeld Geburten --format csv
    """
    if ctx.invoked_subcommand is None:
        _list(fmt, handlungsfeld)


@app.command("list")
def list_(fmt: Fmt = "table", handlungsfeld: Hf = None):
    """List the indicators with Handlungsfeld, unit and levels.

    Example: fis indicators list --format json
    """
    _list(fmt, handlungsfeld)


@app.command()
def show(indicator: Annotated[str, typer.Argument(help="Indicator id")]):
    """Everything the catalogue says about one indicator.

    Example: fis indicators show share_under3
    """
    from fis.catalog.doc import _entry

    cat = _catalog()
    ind = cat.indicators.get(indicator)
    if ind is None:
        close = [i for i in cat.indicators if indicator.lower() in i]
        hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
        raise FisError(f"unknown indicator {indicator!r}{hint}")
    typer.echo(f"{ind.name} ({ind.id}) – {ind.handlungsfeld}")
    for label, text in _entry(ind, cat):
        typer.echo(f"  {label}: {text}")
    typer.echo(f"  Formel (Grammatik): {ind.numerator}" + (f" / {ind.denominator}" if ind.denominator else "")
               + (f" × {ind.factor:g}" if ind.factor != 1 else ""))  # fmt: skip


@app.command()
def check():
    """Lint the catalogue: formulas parse, variables exist, ids unique, units and ranges set.

    Example: fis indicators check
    """
    from fis.catalog import check_catalog

    try:
        cat = _catalog()
    except CatalogError as e:
        raise FisError(f"catalogue check failed: {e}") from None
    faults = check_catalog(cat)
    if faults:
        for f in faults:
            typer.echo(f, err=True)
        raise FisError(f"catalogue check failed: {len(faults)} fault(s)")
    typer.echo(
        f"Katalog in Ordnung: {len(cat.indicators)} Indikatoren, {len(cat.variables)} Variablen."
    )


@app.command()
def doc(out: Annotated[Path | None, typer.Option(help="Folder (default: data/out)")] = None):
    """Write the Indikatorenkatalog as Markdown and HTML.

    Example: fis indicators doc --out data/out
    """
    from fis.catalog.doc import write_docs
    from fis.cli.main import _cfg

    cfg = _cfg()
    for p in write_docs(_catalog(), out or cfg.out):
        typer.echo(str(p))
