"""Plausibility rules: findings for implausible indicator values, none on the clean demo."""

from __future__ import annotations

import duckdb
from typer.testing import CliRunner

from conftest import ROOT
from fis.cli.main import app
from fis.warehouse.refresh import refresh

DEMO = ROOT / "data" / "demo"
REGISTER = DEMO / "gv100ad_demo_301121.ASC"
POP = DEMO / "ldbnrw_12411-15i_demo.csv"


def test_clean_demo_has_no_range_warnings(demo_warehouse):
    con = duckdb.connect(str(demo_warehouse.warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT rule, severity, observed, expected FROM findings WHERE rule = 'indicator_range'"
        ).fetchall()
    finally:
        con.close()
    assert [(r, s) for r, s, *_ in rows] == [("indicator_range", "pass")]
    assert rows[0][2] == rows[0][3] > 10000  # every value checked, every one passed


def test_out_of_range_value_is_a_warning(cfg, tmp_path):
    # a typo in the export: Siegen with 1,027 inhabitants instead of 102,685 (-99 % in a year)
    bad = tmp_path / POP.name
    text = POP.read_text(encoding="iso-8859-1")
    bad.write_text(text.replace("05970040;      Siegen, Stadt;102685;", "05970040;      Siegen, Stadt;1027;", 1),
                   encoding="iso-8859-1")  # fmt: skip
    rep = refresh(cfg, [REGISTER, bad])
    assert rep.status == "ok"  # warnings do not block
    r = CliRunner().invoke(app, ["--project", str(cfg.root), "findings", "--severity", "warning",
                                 "--region", "Siegen", "--format", "csv"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert (
        "population_change_per_10000" in r.output
        and "außerhalb des plausiblen Bereichs" in r.output
    )


def test_count_above_population_blocks_the_refresh(cfg, tmp_path):
    import pytest

    from conftest import data_checksum
    from fis.errors import FisError

    refresh(cfg, [REGISTER])
    before = data_checksum(cfg.warehouse)
    bad = tmp_path / POP.name
    text = POP.read_text(encoding="iso-8859-1")
    # Siegen with 10,000 inhabitants while 17,359 of them are under 18 (12411-02-03-5)
    bad.write_text(text.replace("05970040;      Siegen, Stadt;102685;", "05970040;      Siegen, Stadt;10000;", 1),
                   encoding="iso-8859-1")  # fmt: skip
    with pytest.raises(FisError) as exc:
        refresh(cfg, [REGISTER, bad, DEMO / "regionalstatistik_12411-02-03-5_demo.csv"])
    msg = str(exc.value)
    assert (
        "impossible value" in msg
        and "exceeds its population 10000" in msg
        and "05970040 (2024)" in msg
    )
    assert "regionalstatistik_12411-02-03-5_demo.csv:" in msg  # the file the large count came from
    assert data_checksum(cfg.warehouse) == before
