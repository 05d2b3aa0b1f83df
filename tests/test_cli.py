"""End-to-end through the command line, as a planner or analyst would use it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import ROOT, make_project
from fis.cli.main import app

DEMO = ROOT / "data" / "demo"
runner = CliRunner()


def fis(cfg, *args):
    return runner.invoke(app, ["--project", str(cfg.root), *args])


def test_help_lists_commands():
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0
    for cmd in ("read", "refresh", "regions", "demo", "show", "table", "query", "indicators"):
        assert cmd in r.output


def test_every_command_has_help_with_example():
    for cmd in app.registered_commands:
        r = runner.invoke(app, [cmd.name or cmd.callback.__name__, "--help"])
        assert r.exit_code == 0
        assert "Example: fis" in r.output, cmd.callback.__name__


def test_show_siegen_by_name(demo_warehouse):
    r = fis(demo_warehouse, "show", "Siegen", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    by_id = {row["indicator_id"]: row for row in rows}
    assert len(rows) >= 20
    assert float(by_id["population_total"]["value"]) == 102685  # demo = LDB 31.12.2024
    assert float(by_id["population_total"]["value_05970"]) == 274074
    assert float(by_id["population_total"]["value_05"]) == 18034454


def test_show_by_key_equals_by_name(demo_warehouse):
    a = fis(demo_warehouse, "show", "05970024", "--format", "json")
    b = fis(demo_warehouse, "show", "Kreuztal", "--format", "json")
    assert a.exit_code == 0 and a.output == b.output
    assert json.loads(a.output)[0]["indicator_id"]


def test_table_lists_all_gemeinden_with_comparisons(demo_warehouse):
    r = fis(demo_warehouse, "table", "crude_birth_rate", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    keys = [row["region_key"] for row in rows]
    gemeinden = [f"05970{n:03d}" for n in range(4, 48, 4)]
    assert keys == gemeinden + ["05970", "05", "DG"]
    assert all(row["value"] for row in rows[:-1])
    assert rows[-1]["value"] == "k. A."  # the demo has no births for Germany: said, never 0
    r = fis(demo_warehouse, "table", "crude_birth_rate")
    assert "Siegen, Universitätsstadt" in r.output


def test_query_formats(demo_warehouse):
    sql = "SELECT region_key, name FROM regions WHERE parent_key = '05970' AND level = 'gemeinde' ORDER BY 1"
    r = fis(demo_warehouse, "query", sql, "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert len(data) == 11 and data[0] == {"region_key": "05970004", "name": "Bad Berleburg, Stadt"}
    r = fis(demo_warehouse, "query", sql, "--format", "csv")
    assert r.output.splitlines()[0] == "region_key,name"


def test_regions_filters(demo_warehouse):
    r = fis(
        demo_warehouse, "regions", "--parent", "05970", "--level", "gemeinde", "--format", "csv"
    )
    assert r.exit_code == 0
    assert len(r.output.strip().splitlines()) == 12
    r = fis(demo_warehouse, "regions", "--name", "siegen", "--format", "csv")
    assert "05970040" in r.output and "05970" in r.output


def test_read_csv_columns_and_symbols():
    f = DEMO / "regionalstatistik_12612-01-01-5-B_demo.csv"
    r = runner.invoke(app, ["read", str(f), "--format", "csv"])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0] == "region_key,region_name,period,label,value,status"
    rows = list(csv.DictReader(io.StringIO(r.output)))
    secret = [x for x in rows if x["status"] == "."]
    assert secret and all(x["value"] == "" for x in secret)
    dash = [x for x in rows if x["status"] == "-"]
    assert dash and all(x["value"] == "" for x in dash)
    assert {x["period"] for x in rows} == {str(y) for y in range(2008, 2025)}


def test_read_shows_dates_as_iso():
    r = runner.invoke(app, ["read", str(DEMO / "ldbnrw_12411-15i_demo.csv"), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert {x["period"] for x in rows} == {f"{y}-12-31" for y in range(2008, 2025)}


def test_unknown_region_is_one_line(demo_warehouse):
    from fis.errors import RegionError

    r = fis(demo_warehouse, "show", "Atlantis")
    assert isinstance(r.exception, RegionError)  # run() turns it into "Fehler: ..." and exit 1
    assert "unknown region 'Atlantis'" in str(r.exception)
    assert "\n" not in str(r.exception)


@pytest.mark.slow
def test_failed_refresh_prints_one_line_and_exits_nonzero(tmp_path):
    """Through the installed entry point: one error line on stderr, exit code 1, no traceback."""
    proj = make_project(tmp_path / "p")
    bad = tmp_path / "bad.csv"
    text = (DEMO / "ldbnrw_12411-15i_demo.csv").read_text(encoding="iso-8859-1")
    bad.write_text(text.replace("05970044;", "05970099;", 1), encoding="iso-8859-1")
    cmd = [sys.executable, "-m", "fis.cli", "--project", str(proj), "refresh",
           str(DEMO / "gv100ad_demo_301121.ASC"), str(bad)]  # fmt: skip
    p = subprocess.run(cmd, capture_output=True, text=True)
    assert p.returncode == 1
    errors = [ln for ln in p.stderr.splitlines() if not ln.startswith("  ")]
    assert len(errors) == 1, p.stderr
    assert errors[0].startswith("Fehler: ") and "bad.csv:" in errors[0] and "05970099" in errors[0]
    assert "Traceback" not in p.stderr


def test_help_does_not_import_pandera():
    code = "import sys, fis.cli.main; sys.argv=['fis','--help']\ntry:\n fis.cli.main.run()\nexcept SystemExit: pass\nprint('pandera' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == "False False"


def test_show_does_not_import_pandas(demo_warehouse):
    code = (
        "import sys, fis.cli.main\n"
        f"sys.argv = ['fis', '--project', {str(demo_warehouse.root)!r}, 'show', 'Siegen']\n"
        "try:\n    fis.cli.main.run()\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules, 'pandera' in sys.modules)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "Einwohnerzahl" in p.stdout
    assert p.stdout.strip().splitlines()[-1] == "False False"
