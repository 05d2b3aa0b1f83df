"""`fis export`: Excel, CSV + Data Package and Parquet round-trip the warehouse's values;
`--public` suppresses small local counts and their secondary partner; bad input is a FisError."""

from __future__ import annotations

import csv
import json

import duckdb
import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from fis.catalog import formula, load_catalog
from fis.cli.export import export
from fis.errors import FisError
from fis.export import METADATA_SHEET, sheet_name, write_export
from fis.warehouse.checks import PERSON_UNITS
from fis.warehouse.exports import parse_years
from fis.warehouse.schema import connect

SMALL_IND = "child_endangerment_confirmed_share"  # numerator: Jugendamt-Fachverfahren (local)


@pytest.fixture(scope="module")
def exports(demo_warehouse, tmp_path_factory):
    """The default selection exported once in every format: fmt → ExportResult."""
    out = tmp_path_factory.mktemp("export")
    return {
        "xlsx": write_export(demo_warehouse, "xlsx", out / "fis.xlsx"),
        "csv": write_export(demo_warehouse, "csv", out / "csv"),
        "parquet": write_export(demo_warehouse, "parquet", out / "parquet"),
    }


@pytest.fixture(scope="module")
def selection_rows(demo_warehouse):
    """indicator_values of the default selection: {(ind, key, period): (value, status)}."""
    cfg = demo_warehouse
    con = connect(cfg.warehouse, read_only=True)
    try:
        rows = con.execute(
            """SELECT indicator_id, region_key, period, value, coalesce(status, '')
               FROM indicator_values WHERE region_key IN (
                 SELECT region_key FROM regions WHERE level = 'gemeinde' AND NOT historical
                   AND region_key LIKE $focus || '%') OR region_key IN (SELECT unnest($cmp))""",
            {"focus": cfg.focus, "cmp": list(cfg.comparison)},
        ).fetchall()
    finally:
        con.close()
    return {(i, k, p): (v, s) for i, k, p, v, s in rows}


def _sheet_cells(ws):
    """{(indicator, region, period): cell value} of a Handlungsfeld sheet."""
    ids = [c.value for c in ws[2]][4:]
    found = {}
    for row in ws.iter_rows(min_row=3, values_only=True):
        key, period = row[0], row[3]
        for ind, value in zip(ids, row[4:]):
            found[ind, key, period] = value
    return found


def test_xlsx_round_trip(exports, selection_rows):
    wb = openpyxl.load_workbook(exports["xlsx"].paths[0])
    assert wb.sheetnames[0] == METADATA_SHEET
    checked_numbers = checked_symbols = 0
    for ws in wb.worksheets[1:4]:
        for cell, got in _sheet_cells(ws).items():
            assert got is not None and got != "", f"blank cell {cell}"
            want = selection_rows.get(cell)
            if want is None:
                assert got in (".", "x"), cell
            elif want[0] is None:
                assert got == want[1] and want[1], cell
                checked_symbols += 1
            else:
                assert isinstance(got, float | int) and got == pytest.approx(want[0], rel=1e-12)
                checked_numbers += 1
    assert checked_numbers > 1000
    all_symbols = [
        (c, v) for ws in wb.worksheets[1:] for c, v in _sheet_cells(ws).items()
        if c in selection_rows and selection_rows[c][0] is None
    ]  # fmt: skip
    assert all_symbols and all(v == selection_rows[c][1] for c, v in all_symbols)


def test_xlsx_sheets_and_metadata(exports, selection_rows):
    wb = openpyxl.load_workbook(exports["xlsx"].paths[0])
    names = wb.sheetnames
    assert len(names) == len({n.lower() for n in names})
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    meta = wb[METADATA_SHEET]
    listed = {r[0] for r in meta.iter_rows(min_row=2, values_only=True) if r[0]}
    assert {c[0] for c in selection_rows} <= listed
    texts = {str(c) for r in meta.iter_rows(values_only=True) for c in r if c}
    assert "Zeichenerklärung" in texts and any("Stand 20" in t for t in texts)
    assert wb.properties.created.year == 2000
    ws = wb[names[1]]
    assert ws.freeze_panes == "E3" and ws.auto_filter.ref


def test_sheet_name_rules():
    used: set[str] = set()
    long = "Einkommen, soziale Lage & Transferleistungen"
    a, b = sheet_name(long, used), sheet_name(long, used)
    assert a == "Einkommen, soziale Lage" and b != a and len(b) <= 31
    assert sheet_name("a/b:c*?[x]", used) == "a b c   x"


def test_parquet_round_trip(exports, selection_rows):
    folder = exports["parquet"].paths[0]
    assert any(p.name.startswith("indicator_id=") for p in folder.iterdir())
    rows = duckdb.sql(
        f"""SELECT indicator_id, region_key, period, value, status
            FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"""
    ).fetchall()
    got = {(i, k, p): (v, s) for i, k, p, v, s in rows}
    assert len(rows) == len(got) == len(selection_rows)
    assert got == selection_rows
    import pandas as pd

    assert len(pd.read_parquet(folder)) == len(rows)


def test_csv_datapackage_validates(exports, selection_rows):
    import frictionless

    werte, _, dp = exports["csv"].paths
    report = frictionless.validate(str(dp))
    assert report.valid, report.flatten(["type", "message"])[:5]
    assert len(werte.read_text(encoding="utf-8").splitlines()) - 1 == len(selection_rows)
    package = json.loads(dp.read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "dl-de/by-2-0"
    assert package["sources"] and all("Stand" in s["title"] for s in package["sources"])


def _small_case(cfg):
    """(period, primary Gemeinde, secondary partner) of SMALL_IND: a year in which exactly one
    Gemeinde of the focus Kreis has a numerator 0 < n < min_count."""
    ind = load_catalog(cfg.indicators).indicators[SMALL_IND]
    assert load_catalog(cfg.indicators).variables["kwg_akut"].unit in PERSON_UNITS
    con = connect(cfg.warehouse, read_only=True)
    try:
        assert con.execute(
            """SELECT count(*) FROM variable_values WHERE pipeline IN
               (SELECT pipeline FROM sources WHERE format = 'fis_tabular')
               AND variable_id IN (SELECT unnest($v))""",
            {"v": sorted(v for v, _ in formula.variables(ind.numerator_expr))},
        ).fetchone()[0], "precondition: the numerator comes from a local register"
        rows = con.execute(
            """SELECT period, region_key, numerator FROM indicator_values
               WHERE indicator_id = $i AND region_key LIKE $f || '___' AND value IS NOT NULL
               ORDER BY period, numerator, region_key""",
            {"i": SMALL_IND, "f": cfg.focus},
        ).fetchall()
    finally:
        con.close()
    limit = cfg.rules.disclosure.min_count
    for period in sorted({r[0] for r in rows}):
        year = [(n, k) for p, k, n in rows if p == period]
        small = [k for n, k in year if 0 < n < limit]
        if len(small) == 1:
            return period, small[0], min((n, k) for n, k in year if k != small[0])[1]
    pytest.fail("demo has no year with exactly one small count")


def test_public_suppresses_small_count_and_partner(demo_warehouse, tmp_path):
    period, primary, partner = _small_case(demo_warehouse)
    # Only the two Gemeinden: the partner is still chosen among the whole Kreis.
    res = write_export(demo_warehouse, "csv", tmp_path, [SMALL_IND], [primary, partner],
                       str(period), public=True)  # fmt: skip
    with res.paths[0].open(encoding="utf-8", newline="") as f:
        cells = {r["region_key"]: [r["value"], r["status"]] for r in csv.DictReader(f)}
    assert cells == {primary: ["", "·"], partner: ["", "·"]}
    plain = write_export(demo_warehouse, "xlsx", tmp_path / "p.xlsx", [SMALL_IND], [primary],
                         str(period))  # fmt: skip
    ws = openpyxl.load_workbook(plain.paths[0]).worksheets[1]
    assert isinstance(ws.cell(3, 5).value, float)
    public = write_export(demo_warehouse, "xlsx", tmp_path / "x.xlsx", [SMALL_IND], [primary],
                          str(period), public=True)  # fmt: skip
    assert openpyxl.load_workbook(public.paths[0]).worksheets[1].cell(3, 5).value == "·"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("xlsx", None), "needs --out"),
        (("csv", None, ["no_such_indicator"]), "unknown indicator"),
        (("csv", None, None, None, "2020-2015"), "after"),
        (("csv", None, None, None, "20x"), "bad year range"),
        (("pdf", None), "unknown export format"),
    ],
)
def test_bad_input(demo_warehouse, args, message):
    with pytest.raises(FisError, match=message):
        write_export(demo_warehouse, *args)


def test_parse_years():
    assert parse_years("2015-2020") == (2015, 2020)
    assert parse_years("2020") == (2020, 2020)
    assert parse_years("2015-") == (2015, None)
    assert parse_years(None) == (None, None)


def test_cli(demo_warehouse, tmp_path, monkeypatch):
    import fis.cli.main

    monkeypatch.setitem(fis.cli.main._state, "project", demo_warehouse.root)
    app = typer.Typer()
    app.command()(export)
    out = tmp_path / "k.xlsx"
    res = CliRunner().invoke(app, ["--format", "xlsx", "--out", str(out), "--regions",
                                   "Kreuztal,05970", "--indicators", "population_total",
                                   "--years", "2020-2022"])  # fmt: skip
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(out).worksheets[1]
    assert [ws.cell(r, 2).value for r in range(3, 9)] == ["Kreuztal, Stadt"] * 3 + [
        "Siegen-Wittgenstein"
    ] * 3
    bad = CliRunner().invoke(app, ["--format", "xlsx"])
    assert isinstance(bad.exception, FisError)
