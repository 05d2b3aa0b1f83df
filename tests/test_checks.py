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


def _findings(warehouse, where: str = "TRUE") -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            f"SELECT refresh_id, rule, severity, variable_id, region_key, period, observed, "
            f"expected, message FROM findings WHERE {where} ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()


def test_clean_demo_has_only_the_findings_its_story_explains(demo_warehouse):
    rows = _findings(demo_warehouse.warehouse, "severity NOT IN ('pass', 'info')")
    by_rule = {}
    for r in rows:
        by_rule.setdefault(r[1], []).append(r)
    assert not [r for r in rows if r[2] == "error"]
    assert set(by_rule) == {"year_on_year", "completeness"}
    # jumps only where the demo tells of events (2013 double Abitur cohort, refugees 2015-17,
    # Covid 2020/21, Ukraine 2022/23, Kita waiting lists 2018/2024); quiet years stay quiet
    assert not [r for r in by_rule["year_on_year"] if 2009 <= r[5] <= 2012 or r[5] == 2019]
    assert ("asylblg_empf", 2015) in {(r[3], r[5]) for r in by_rule["year_on_year"]}
    # the one gap: the Kreisjugendamt records § 8a house visits only since 2012
    gaps = {(r[3], r[4], r[8].split(": ", 1)[1]) for r in by_rule["completeness"]}
    assert {v for v, _, _ in gaps} == {"besuche_erfolgt"}
    assert {m for *_, m in gaps} == {"fehlt für 2009, 2010, 2011 (3 von 16 Jahren)"}
    assert len(gaps) == 10 and ("besuche_erfolgt", "05970040", ...) not in gaps


def _revised_pop(tmp_path, old: str, new: str):
    bad = tmp_path / "revidiert" / POP.name
    bad.parent.mkdir(exist_ok=True)
    text = POP.read_text(encoding="iso-8859-1")
    assert old in text
    bad.write_text(text.replace(old, new, 1), encoding="iso-8859-1")
    return bad


SIEGEN = "05970040;      Siegen, Stadt;102685;"


def test_a_large_revision_is_a_warning_with_old_and_new_value(cfg, tmp_path):
    refresh(cfg, [REGISTER, POP])
    rep = refresh(
        cfg, [REGISTER, _revised_pop(tmp_path, SIEGEN, SIEGEN.replace("102685", "112685"))]
    )
    assert (rep.status, rep.n_revised) == ("ok", 1)
    rows = _findings(cfg.warehouse, "rule = 'revision'")
    warn = [r for r in rows if r[2] == "warning"]
    assert [(r[0], r[3], r[4], r[6], r[7]) for r in warn] == [
        (2, "bev_insg", "05970040", 112685, 102685)]  # fmt: skip
    assert "revidiert von 102685.0 auf 112685.0 (9.7 %)" in warn[0][8]
    r = CliRunner().invoke(app, ["--project", str(cfg.root), "findings", "--rule", "revision",
                                 "--severity", "warning", "--format", "csv"])  # fmt: skip
    assert r.exit_code == 0 and "05970040" in r.output and "Siegen" in r.output


def test_rules_yaml_can_make_a_revision_block_the_refresh(cfg, tmp_path):
    import pytest

    from conftest import data_checksum
    from fis.errors import FisError

    (cfg.root / "rules.yaml").write_text("revision:\n  severity: error\n  relative: 0.01\n",
                                         encoding="utf-8")  # fmt: skip
    refresh(cfg, [REGISTER, POP])
    before = data_checksum(cfg.warehouse)
    with pytest.raises(FisError, match=r"revidiert von 102685.0 auf 104685.0"):
        refresh(cfg, [REGISTER, _revised_pop(tmp_path, SIEGEN, SIEGEN.replace("102685", "104685"))])
    assert data_checksum(cfg.warehouse) == before
    # the failed refresh keeps its log and findings, and its Prüfbericht says why
    assert [
        (r[0], r[2]) for r in _findings(cfg.warehouse, "rule = 'revision' AND severity = 'error'")
    ] == [(2, "error")]
    html = (cfg.out / "pruefberichte" / "refresh-0002.html").read_text(encoding="utf-8")
    assert "abgebrochen – der Datenbestand ist unverändert" in html and "Revision" in html


def test_bad_input_is_recorded_as_an_error_finding(cfg, tmp_path):
    import pytest

    from fis.errors import FisError

    bad = tmp_path / "negativ.csv"
    text = POP.read_text(encoding="iso-8859-1")
    bad.write_text(text.replace(SIEGEN, SIEGEN.replace("102685", "-5")), encoding="iso-8859-1")
    with pytest.raises(FisError):
        refresh(cfg, [REGISTER, bad])
    rows = _findings(cfg.warehouse)
    assert [(r[0], r[1], r[2]) for r in rows] == [(1, "schema", "error")]
    assert "negativ.csv:" in rows[0][8] and "negative" in rows[0][8]
    html = (cfg.out / "pruefberichte" / "refresh-0001.html").read_text(encoding="utf-8")
    assert "Formale Prüfung" in html and "negativ.csv" in html


def test_dry_run_keeps_findings_and_report_but_no_data(cfg):
    from conftest import data_checksum

    refresh(cfg, [REGISTER])
    before = data_checksum(cfg.warehouse)
    rep = refresh(cfg, [REGISTER, POP], dry_run=True)
    assert rep.status == "dry-run" and rep.validation_report.is_file()
    assert data_checksum(cfg.warehouse) == before
    assert ("indicator_range", "pass") in {
        (r[1], r[2]) for r in _findings(cfg.warehouse, "refresh_id = 2")
    }
    assert "Probelauf (nichts gespeichert)" in rep.validation_report.read_text(encoding="utf-8")


def test_pruefbericht_shows_rules_counts_and_findings_in_german(cfg, tmp_path):
    from html.parser import HTMLParser

    bad = tmp_path / POP.name
    text = POP.read_text(encoding="iso-8859-1")
    bad.write_text(text.replace(SIEGEN, SIEGEN.replace("102685", "1027")), encoding="iso-8859-1")
    rep = refresh(cfg, [REGISTER, bad])
    html = rep.validation_report.read_text(encoding="utf-8")

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.text, self.tags = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            if data.strip():
                self.text.append(data.strip())

    p = Cells()
    p.feed(html)
    assert p.text[0].startswith("Prüfbericht zu Refresh 1")
    assert "Plausibler Wertebereich" in p.text and "Sprung zum Vorjahr" in p.text
    assert "script" not in p.tags and "link" not in p.tags  # self-contained
    # the Siegen typo: its row with German numbers (1.027) and a hint for the planner
    assert "Siegen, Universitätsstadt (05970040)" in html
    assert "1.027" in p.text
    assert "Tippfehler, falscher Gebietsstand oder echte Ausnahme?" in html
