"""`fis report`: the kleiner Familienbericht of a municipality, of all, and the Kreisübersicht."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fis.errors import FisError


def report(
    region: Annotated[
        str | None, typer.Argument(help="Gemeinde or kreisfreie Stadt, key or name")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Report year (default: the latest)")] = None,
    fmt: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="html or pdf; repeat for both (default: both)"),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Folder, or a file ending .html/.pdf (default: data/out/berichte/YEAR)"),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Every Gemeinde of --within (default: the focus Kreis)")
    ] = False,
    within: Annotated[
        str | None, typer.Option(help="Kreis, Regierungsbezirk or Land for --all")
    ] = None,
    kreis: Annotated[
        bool, typer.Option("--kreis", help="The Kreisübersicht (of --within or the focus Kreis)")
    ] = False,
    jobs: Annotated[int | None, typer.Option(help="Parallel workers (default: all cores)")] = None,
):
    """Write the kleiner Familienbericht (HTML and PDF) of a municipality, or of all of them.

    Example: fis report Kreuztal --format pdf   ·   fis report --all   ·   fis report --kreis
    """
    from fis.cli.main import _cfg
    from fis.report import build

    cfg = _cfg()
    formats = list(fmt or build.FORMATS)
    folder, stem = out, None
    if out is not None and out.suffix.lower() in (".html", ".pdf"):
        if all_ or (kreis and region):
            raise FisError("--out FILE names one report; give a folder for several")
        folder, stem, formats = out.parent, out.stem, [out.suffix.lower()[1:]]
    if not (region or all_ or kreis):
        raise FisError("name a region, or use --all or --kreis (see fis report --help)")
    written = []
    if region:
        written.append(build.write_report(cfg, region, year, formats, folder, stem=stem))
    if all_:
        targets = build.batch_targets(cfg, within)
        with typer.progressbar(length=len(targets), label="Berichte", file=None) as bar:
            written += build.write_batch(cfg, targets, year, formats, folder, jobs,
                                         progress=lambda w: bar.update(1))  # fmt: skip
    if kreis:
        written.append(build.write_overview(cfg, within, year, formats, folder, stem=stem))
    for w in written:
        for p in w.paths:
            typer.echo(str(p))
