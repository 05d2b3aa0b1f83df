"""`fis` command line. Every command opens the project, calls one library function, prints.

Heavy libraries (pandas, pandera) are imported inside the commands that need them, so that
`fis --help` and `fis show` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from fis.errors import FisError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="FIS – Familienstatistisches Informationssystem: indicator warehouse for municipalities.",
)

Fmt = Annotated[str, typer.Option("--format", "-f", help="table, csv, json or xlsx")]
Out = Annotated[Path | None, typer.Option("--out", help="Write to this file (needed for xlsx)")]
_state: dict = {"project": None}


@app.callback()
def main(
    project: Annotated[
        Path | None, typer.Option(help="Project folder holding fis.toml (default: search upward)")
    ] = None,
):
    """FIS: load official statistics exports, compute family indicators, show them."""
    _state["project"] = project


def _cfg():
    from fis.config import load_config

    return load_config(_state["project"])


def _echo(table, fmt: str, out: Path | None = None) -> None:
    """Print a result, or write it to `out` (required for xlsx)."""
    from fis.cli.output import FORMATS, render, write_xlsx

    if fmt not in FORMATS:
        raise FisError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        if out is None:
            raise FisError("--format xlsx needs --out FILE.xlsx")
        write_xlsx(table.columns, table.rows, out, table.title, table.decimals)
        typer.echo(str(out))
        return
    title = table.title if fmt == "table" else ""
    text = render(table.columns, table.rows, fmt, title, table.decimals)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        typer.echo(str(out))
    else:
        typer.echo(text, nl=False)


def _open(cfg, as_of: str | None = None):
    from fis.warehouse.schema import connect

    if as_of:
        from fis.warehouse.asof import open_as_of

        connect(cfg.warehouse, read_only=True).close()  # a clear error if there is none
        return open_as_of(cfg.warehouse, as_of)
    return connect(cfg.warehouse, read_only=True)


AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Answer as after refresh ID, or as on DATE (YYYY-MM-DD)"),
]


@app.command()
def read(
    file: Annotated[Path, typer.Argument(help="An export file (GENESIS CSV, flat file, GV100AD)")],
    fmt: Fmt = "table",
    limit: Annotated[int, typer.Option(help="Rows to print in table format (0 = all)")] = 50,
):
    """Print what the reader sees in FILE, before any interpretation, as a long table.

    Example: fis read data/demo/ldbnrw_12411-15i_demo.csv --format csv
    """
    from fis.readers.sniff import read_file

    res = read_file(file)
    frame = res.frame.drop(columns=["line"])
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n", float_format="%.15g"))
        return
    from fis.warehouse.queries import Table

    shown = frame if fmt != "table" or not limit else frame.head(limit)
    title = (
        f"{res.path}: {res.format} {res.table_code} – {res.title[:80]}"
        f"{' – Stand ' + res.stand if res.stand else ''} – {len(frame)} Zellen"
    )
    rows = list(shown.astype(object).where(shown.notna(), None).itertuples(index=False, name=None))
    _echo(Table(list(frame.columns), rows, title), fmt)


@app.command()
def regions(
    parent: Annotated[
        str | None, typer.Option(help="Only children of this key, e.g. 05970")
    ] = None,
    level: Annotated[
        str | None, typer.Option(help="land, regbez, kreis, verband, gemeinde, ...")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name contains this text")] = None,
    fmt: Fmt = "table",
):
    """List regions of the register, filtered by parent, level and name.

    Example: fis regions --parent 05970
    """
    from fis.warehouse.queries import list_regions

    con = _open(_cfg())
    _echo(list_regions(con, parent, level, name), fmt)


@app.command()
def refresh(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: data/raw)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate only, write no data")
    ] = False,
):
    """Load exports into the warehouse: read, validate, merge, compute indicators.

    Example: fis refresh ../shared/data/real
    """
    from fis.warehouse.refresh import refresh as run_refresh

    cfg = _cfg()
    report = run_refresh(cfg, list(paths or [cfg.raw]), dry_run=dry_run,
                         progress=lambda m: typer.echo(f"  {m}", err=True))  # fmt: skip
    _print_report(report)


def _print_report(report) -> None:
    for f in report.files:
        typer.echo(f"{Path(f.path).name}: {f.pipeline}, {f.cells} Zellen"
                   f"{', Stand ' + f.stand if f.stand else ''}")  # fmt: skip
    for w in report.warnings:
        typer.echo(f"Hinweis: {w}")
    verdict = {
        "ok": "Daten geändert",
        "unchanged": "keine Änderungen – der Bestand ist unverändert",
        "dry-run": "Probelauf – nichts geschrieben",
    }[report.status]
    typer.echo(
        f"Refresh {report.refresh_id}: {verdict}. {report.n_new} neu, {report.n_revised} revidiert, "
        f"{report.n_unchanged} unverändert; {report.n_indicator_values} Indikatorwerte; "
        f"{report.n_findings} Befunde; {report.seconds:.1f} s"
    )
    if report.validation_report:
        typer.echo(f"Prüfbericht: {report.validation_report}")


@app.command()
def demo(
    reports: Annotated[
        bool, typer.Option("--reports/--no-reports", help="Also write the demo's reports")
    ] = True,
):
    """Build the demo warehouse from data/demo, then write the reports of every Gemeinde of the
    Kreis and the Kreisübersicht (HTML and PDF, marked as demo data).

    Example: fis demo
    """
    from fis.demo.build import build_demo

    cfg = _cfg()
    report, summary = build_demo(cfg, progress=lambda m: typer.echo(f"  {m}", err=True))
    _print_report(report)
    typer.echo(summary)
    if reports:
        from fis.report import build

        targets = build.batch_targets(cfg)
        with typer.progressbar(length=len(targets), label="Berichte", file=None) as bar:
            written = build.write_batch(cfg, targets, progress=lambda w: bar.update(1))
        written.append(build.write_overview(cfg))
        folder = written[0].paths[0].parent
        typer.echo(f"Berichte: {len(written) - 1} Gemeinden und die Kreisübersicht in {folder}")


@app.command()
def show(
    region: Annotated[str, typer.Argument(help="Key or name, e.g. Siegen or 05970040")],
    year: Annotated[int | None, typer.Option(help="Year (default: latest)")] = None,
    handlungsfeld: Annotated[
        str | None, typer.Option(help="Only this Handlungsfeld, e.g. 'Kinderbetreuung'")
    ] = None,
    fmt: Fmt = "table",
    out: Out = None,
    as_of: AsOf = None,
):
    """Every indicator of one region (its profile), with the Kreis and NRW beside it.

    Example: fis show Siegen --handlungsfeld Kinderbetreuung
    """
    from fis.warehouse.queries import show_region

    cfg = _cfg()
    t = show_region(_open(cfg, as_of), region, cfg.focus, cfg.comparison, year)
    if handlungsfeld:
        keep = [i for i, r in enumerate(t.rows) if handlungsfeld.lower() in str(r[0]).lower()]
        if not keep:
            raise FisError(f"no Handlungsfeld matching {handlungsfeld!r}")
        t.rows = [t.rows[i] for i in keep]
        t.decimals = [t.decimals[i] for i in keep] if t.decimals else None
    _echo(t, fmt, out)


@app.command()
def table(
    indicator: Annotated[str, typer.Argument(help="Indicator id, e.g. share_under18")],
    year: Annotated[int | None, typer.Option(help="Year (default: latest)")] = None,
    level: Annotated[str, typer.Option(help="gemeinde, kreis or land")] = "gemeinde",
    within: Annotated[
        str | None, typer.Option(help="Kreis, Regierungsbezirk or Land (default: focus Kreis)")
    ] = None,
    sort: Annotated[bool, typer.Option("--sort", help="Highest value first")] = False,
    fmt: Fmt = "table",
    out: Out = None,
    as_of: AsOf = None,
):
    """One indicator for all Gemeinden of the focus Kreis (or another level and area), ranked,
    with Kreis, Land and Germany as reference rows.

    Example: fis table crude_birth_rate --year 2020 --sort
    """
    from fis.warehouse.queries import indicator_table

    cfg = _cfg()
    con = _open(cfg, as_of)
    _echo(indicator_table(con, indicator, cfg.focus, cfg.comparison, year, level, within, sort),
          fmt, out)  # fmt: skip


@app.command()
def series(
    indicator: Annotated[str, typer.Argument(help="Indicator id, e.g. share_under18")],
    regions: Annotated[list[str], typer.Argument(help="Regions, keys or names")],
    first: Annotated[int | None, typer.Option("--from", help="First year")] = None,
    last: Annotated[int | None, typer.Option("--to", help="Last year")] = None,
    fmt: Fmt = "table",
    out: Out = None,
    as_of: AsOf = None,
):
    """The time series of one indicator for one or more regions (a column per region).

    Example: fis series share_under18 Kreuztal Siegen 05970 --from 2015
    """
    from fis.warehouse.queries import indicator_series

    cfg = _cfg()
    _echo(indicator_series(_open(cfg, as_of), indicator, regions, cfg.focus, first, last),
          fmt, out)  # fmt: skip


@app.command()
def compare(
    regions: Annotated[list[str], typer.Argument(help="Two or more regions, keys or names")],
    year: Annotated[int | None, typer.Option(help="Year (default: latest)")] = None,
    handlungsfeld: Annotated[str | None, typer.Option(help="Only this Handlungsfeld")] = None,
    fmt: Fmt = "table",
    out: Out = None,
    as_of: AsOf = None,
):
    """Regions side by side: every indicator, a column per region.

    Example: fis compare Kreuztal Hilchenbach Netphen --format xlsx --out vergleich.xlsx
    """
    from fis.warehouse.queries import compare_regions

    cfg = _cfg()
    _echo(compare_regions(_open(cfg, as_of), regions, cfg.focus, year, handlungsfeld), fmt, out)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL over the warehouse's tables and views")],
    fmt: Fmt = "table",
    out: Out = None,
    as_of: AsOf = None,
):
    """Run read-only SQL against the warehouse.

    Example: fis query "SELECT * FROM v_indicator_long LIMIT 5" --format csv
    """
    from fis.warehouse.queries import sql_query

    _echo(sql_query(_open(_cfg(), as_of), sql), fmt, out)


@app.command()
def diff(
    a: Annotated[
        int | None, typer.Argument(help="Older refresh id (default: the one before B)")
    ] = None,
    b: Annotated[int | None, typer.Argument(help="Newer refresh id (default: the latest)")] = None,
    fmt: Fmt = "table",
):
    """What changed between two refreshes: new, revised (old → new, %) and withdrawn cells.

    Example: fis diff 3 4 --format csv
    """
    from fis.warehouse.history import diff as run_diff

    _echo(run_diff(_open(_cfg()), a, b), fmt)


@app.command()
def findings(
    refresh_id: Annotated[
        int | None, typer.Option("--refresh", help="Refresh id (default: the latest)")
    ] = None,
    severity: Annotated[str | None, typer.Option(help="error, warning, info or pass")] = None,
    region: Annotated[str | None, typer.Option(help="Region key or name")] = None,
    rule: Annotated[str | None, typer.Option(help="Rule id, e.g. year_on_year")] = None,
    fmt: Fmt = "table",
):
    """Validation findings of a refresh: what failed or looks implausible, where, with values.

    Example: fis findings --severity warning --region Siegen
    """
    from fis.warehouse.queries import list_findings

    cfg = _cfg()
    _echo(list_findings(_open(cfg), refresh_id, severity, region, cfg.focus, rule), fmt)


@app.command()
def status(fmt: Fmt = "table"):
    """The refreshes logged in the warehouse, newest first.

    Example: fis status
    """
    from fis.warehouse.queries import sql_query

    t = sql_query(
        _open(_cfg()),
        "SELECT refresh_id, started_at, status, n_files, n_new, n_revised, n_unchanged, message "
        "FROM refreshes ORDER BY refresh_id DESC",
    )
    _echo(t, fmt)


def _register_groups() -> None:
    from fis.cli import indicators

    app.add_typer(indicators.app, name="indicators")


_register_groups()


from fis.cli.export import export as _export  # noqa: E402
from fis.cli.report import report as _report  # noqa: E402
from fis.cli.schema import schema as _schema  # noqa: E402

app.command("report")(_report)
app.command("export")(_export)
app.command("schema")(_schema)


def run() -> None:
    """Entry point: user mistakes become one line on stderr and exit code 1."""
    try:
        app()
    except FisError as e:
        typer.echo(f"Fehler: {e}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("abgebrochen", err=True)
        sys.exit(130)
