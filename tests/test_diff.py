"""`fis diff`: exactly the cells a revised source changed, with old → new and the indicators."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from conftest import ROOT
from fis.cli.main import app
from fis.warehouse.refresh import refresh

DEMO = ROOT / "data" / "demo"
REGISTER = DEMO / "gv100ad_demo_301121.ASC"
POP = DEMO / "ldbnrw_12411-15i_demo.csv"
runner = CliRunner()


def test_diff_shows_exactly_the_revised_cells(cfg, tmp_path):
    refresh(cfg, [REGISTER, POP])
    text = POP.read_text(encoding="iso-8859-1")
    revised = text.replace(
        "05970040;      Siegen, Stadt;102685;", "05970040;      Siegen, Stadt;102700;", 1
    )
    revised = revised.replace(
        "05970036;      Neunkirchen;12705;", "05970036;      Neunkirchen;12699;", 1
    )
    assert revised.count("102700") == 1 and revised != text
    f = tmp_path / POP.name
    f.write_text(revised, encoding="iso-8859-1")
    refresh(cfg, [REGISTER, f])
    r = runner.invoke(app, ["--project", str(cfg.root), "diff", "--format", "csv"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    got = {
        (x["change"], x["region_key"], x["period"], x["old_value"], x["new_value"]) for x in rows
    }
    assert got == {
        ("revidiert", "05970040", "2024", "102685.0", "102700.0"),
        ("revidiert", "05970036", "2024", "12705.0", "12699.0"),
    }
    siegen = next(x for x in rows if x["region_key"] == "05970040")
    assert siegen["source"] == "ldbnrw_12411-15i" and float(siegen["change_pct"]) == 0.01
    assert "population_total" in siegen["indicators"].split()


def test_diff_of_first_refresh_lists_new_cells(cfg):
    refresh(cfg, [REGISTER, POP])
    r = runner.invoke(app, ["--project", str(cfg.root), "diff", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert rows and {x["change"] for x in rows} == {"neu"}


def test_diff_rejects_unknown_refresh(cfg):
    refresh(cfg, [REGISTER])
    r = runner.invoke(app, ["--project", str(cfg.root), "diff", "7", "9"])
    assert "unknown refresh 7" in str(r.exception)


def test_as_of_returns_the_earlier_values(cfg, tmp_path):
    refresh(cfg, [REGISTER, POP])
    text = POP.read_text(encoding="iso-8859-1")
    f = tmp_path / POP.name
    f.write_text(
        text.replace(
            "05970040;      Siegen, Stadt;102685;", "05970040;      Siegen, Stadt;102700;", 1
        ),
        encoding="iso-8859-1",
    )
    refresh(cfg, [REGISTER, f])

    def total(*extra):
        r = runner.invoke(
            app, ["--project", str(cfg.root), "show", "05970040", "--format", "csv", *extra]
        )
        assert r.exit_code == 0, r.output
        rows = {x["indicator_id"]: x for x in csv.DictReader(io.StringIO(r.output))}
        return float(rows["population_total"]["value"]), float(rows["population_density"]["value"])

    now, density_now = total()
    then, density_then = total("--as-of", "1")
    assert (now, then) == (102700, 102685)
    assert density_then == 102685 / 114.69 and density_now == 102700 / 114.69
    q = runner.invoke(app, ["--project", str(cfg.root), "query", "--as-of", "1", "--format", "csv",
                            "SELECT value FROM observations WHERE region_key = '05970040' "
                            "AND variable_id = 'bev_insg' AND period = 2024"])  # fmt: skip
    assert q.output.splitlines()[1] == "102685.0"
    bad = runner.invoke(app, ["--project", str(cfg.root), "show", "Siegen", "--as-of", "gestern"])
    assert "refresh id or a date" in str(bad.exception)
