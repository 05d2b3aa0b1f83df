"""Analysts' commands: fis table (ranked, levels, areas), fis series, fis compare, fis show
--handlungsfeld, and every format including xlsx (numbers stay numbers, symbols stay)."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest
from typer.testing import CliRunner

from fis.cli.main import app


def run(cfg, *args):
    r = CliRunner().invoke(app, ["--project", str(cfg.root), *args])
    return r


def rows_of(output: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(output)))


def warehouse(cfg, sql, params=()):
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_table_lists_all_gemeinden_ranked_with_reference_rows(demo_warehouse):
    r = run(demo_warehouse, "table", "share_under18", "--format", "csv", "--sort")
    assert r.exit_code == 0, r.output
    rows = rows_of(r.output)
    assert list(rows[0]) == ["region_key", "name", "level", "rank", "value", "status",
                             "numerator", "denominator"]  # fmt: skip
    gem = [x for x in rows if x["level"] == "gemeinde"]
    assert len(gem) == 11 and [x["region_key"] for x in rows[11:]] == ["05970", "05", "DG"]
    values = [float(x["value"]) for x in gem]
    assert values == sorted(values, reverse=True) and gem[0]["rank"] == "1"
    truth = dict(warehouse(demo_warehouse, """SELECT region_key, value FROM indicator_values
        WHERE indicator_id = 'share_under18' AND period = 2024"""))  # fmt: skip
    assert all(float(x["value"]) == truth[x["region_key"]] for x in rows)


def test_series_has_a_column_per_region(demo_warehouse):
    r = run(demo_warehouse, "series", "share_under18", "Kreuztal", "05970", "--from", "2020",
            "--format", "csv")  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = rows_of(r.output)
    assert [x["period"] for x in rows] == ["2020", "2021", "2022", "2023", "2024"]
    truth = dict(warehouse(demo_warehouse, """SELECT period, value FROM indicator_values
        WHERE indicator_id = 'share_under18' AND region_key = '05970024'"""))  # fmt: skip
    assert all(float(x["value_05970024"]) == truth[int(x["period"])] for x in rows)


def test_compare_shows_symbols_never_blanks(demo_warehouse):
    sym = warehouse(demo_warehouse, """SELECT indicator_id, region_key, status FROM indicator_values
        WHERE value IS NULL AND status <> '' AND region_key LIKE '05970___'
        ORDER BY period DESC LIMIT 1""")  # fmt: skip
    ind, key, status = sym[0]
    latest = warehouse(demo_warehouse, """SELECT arg_max(status, period) FROM indicator_values
        WHERE indicator_id = ? AND region_key = ? AND (value IS NOT NULL OR status <> '')""",
                       (ind, key))[0][0]  # fmt: skip
    r = run(demo_warehouse, "compare", key, "05970", "--format", "csv")
    assert r.exit_code == 0, r.output
    row = next(x for x in rows_of(r.output) if x["indicator_id"] == ind)
    if latest == status:
        assert row[f"value_{key}"] == status
    assert all(v != "" for k, v in row.items() if k.startswith("value_"))


def test_xlsx_keeps_numbers_as_numbers(demo_warehouse, tmp_path):
    import openpyxl

    out = tmp_path / "vergleich.xlsx"
    r = run(demo_warehouse, "compare", "Kreuztal", "Siegen", "--handlungsfeld", "kinder",
            "--format", "xlsx", "--out", str(out))  # fmt: skip
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out).active
    head = [c.value for c in ws[3]]
    assert head[:5] == ["handlungsfeld", "indicator_id", "name", "unit", "period"]
    got = {row[1]: row[5] for row in ws.iter_rows(min_row=4, values_only=True)}
    truth = dict(
        warehouse(
            demo_warehouse,
            """SELECT indicator_id, value FROM indicator_values
        WHERE region_key = '05970024' AND period = 2024 AND indicator_id = 'childcare_rate_under3'""",
        )
    )
    assert got["childcare_rate_under3"] == truth["childcare_rate_under3"]
    assert ws.freeze_panes == "A4"


def test_show_filters_a_handlungsfeld(demo_warehouse):
    r = run(demo_warehouse, "show", "Kreuztal", "--handlungsfeld", "Schule", "--format", "csv")
    assert r.exit_code == 0, r.output
    fields = {x["handlungsfeld"] for x in rows_of(r.output)}
    assert fields == {"Schule & Bildung"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["compare", "Kreuztal", "Siegen", "--format", "xlsx"], "--format xlsx needs --out"),
        (["compare", "Kreuztal"], "compare needs at least two regions"),
        (["table", "share_under18", "--level", "bezirk"], "unknown level 'bezirk'"),
        (["series", "no_such", "Kreuztal"], "unknown indicator 'no_such'"),
        (["show", "Kreuztal", "--handlungsfeld", "Raumfahrt"], "no Handlungsfeld matching"),
    ],
)
def test_analysis_errors_are_clear(demo_warehouse, args, message):
    r = run(demo_warehouse, *args)
    assert r.exit_code == 1 and message in str(r.exception), (r.output, r.exception)
