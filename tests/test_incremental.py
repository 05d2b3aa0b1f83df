"""A refresh after the first recomputes only what its new and revised cells touch — and ends
with exactly the derived tables and findings a full recomputation would give."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from conftest import ROOT
from fis.catalog import load_catalog
from fis.warehouse import aggregate, checks, indicators
from fis.warehouse.refresh import refresh

DEMO = ROOT / "data" / "demo"
LDB_POP = DEMO / "ldbnrw_12411-15i_demo.csv"
DERIVED = (
    "variable_values",
    "variable_values_derived",
    "preferred_sources",
    "other_sources",
    "sum_comparisons",
    "indicator_values",
)
SIEGEN = "05970040"


def edited(tmp_path: Path, src: Path, old: str, new: str) -> Path:
    text = src.read_text(encoding="iso-8859-1")
    assert text.count(old) == 1, old
    dst = tmp_path / src.name
    dst.write_text(text.replace(old, new), encoding="iso-8859-1")
    return dst


def _tables(con) -> dict[str, tuple]:
    return {
        t: con.execute(f"SELECT count(*), sum(hash(*COLUMNS(*))) FROM {t}").fetchone()
        for t in DERIVED
    }


def _findings(con, refresh_id: int) -> list[tuple]:
    # the revision rule is about one refresh's replacements, not about the warehouse's state
    return con.execute(
        "SELECT rule, severity, variable_id, indicator_id, region_key, period, observed, "
        "expected, message FROM findings WHERE refresh_id = ? AND rule <> 'revision' "
        "ORDER BY ALL",
        [refresh_id],
    ).fetchall()


def assert_same_as_full(cfg, refresh_id: int) -> None:
    """Derived tables and findings of `refresh_id` equal a full recomputation (rolled back)."""
    con = duckdb.connect(str(cfg.warehouse))
    try:
        scoped = _tables(con)
        con.execute("BEGIN TRANSACTION")
        aggregate.build_variable_values(con)
        indicators.build_indicator_values(con, load_catalog(cfg.indicators).indicators.values())
        full = _tables(con)
        ctx = checks.Context(-1, cfg.focus, cfg.comparison)
        checks.run_all(con, ctx, cfg.rules)
        assert _findings(con, refresh_id) == _findings(con, -1)
        con.execute("ROLLBACK")
    finally:
        con.close()
    assert scoped == full


def run(cfg, paths) -> tuple[object, list[str]]:
    said: list[str] = []
    return refresh(cfg, paths, progress=said.append), said


def scoped_message(said: list[str]) -> str | None:
    return next((m for m in said if m.startswith("neu zu berechnen")), None)


def fetch(cfg, sql: str, params: list) -> tuple:
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        return con.execute(sql, params).fetchone()
    finally:
        con.close()


@pytest.fixture
def loaded(cfg):
    first, said = run(cfg, [DEMO])
    assert first.status == "ok" and scoped_message(said) is None  # the first one: everything
    return cfg


def test_revision_five_years_back_updates_the_five_year_change(loaded, tmp_path):
    cfg = loaded
    change = (
        "SELECT value, denominator FROM indicator_values "
        "WHERE indicator_id = 'population_change_5y_pct' AND region_key = ? AND period = 2024"
    )
    assert fetch(cfg, change, [SIEGEN])[1] == 102549
    # the LDB table has priority over Regionalstatistik for bev_insg: revise Siegen in 2019
    f = edited(tmp_path, LDB_POP, "31.12.2019;05970040;      Siegen, Stadt;102549;",
               "31.12.2019;05970040;      Siegen, Stadt;102449;")  # fmt: skip
    rep, said = run(cfg, [f])
    assert rep.n_revised == 1
    assert scoped_message(said) == "neu zu berechnen: 1 Variablen in 1 Variable-Jahr-Paaren"
    value, den = fetch(cfg, change, [SIEGEN])
    assert den == 102449 and value == pytest.approx(100 * (102685 - 102449) / 102449)
    assert_same_as_full(cfg, rep.refresh_id)


def test_unchanged_refresh_keeps_derived_tables_and_findings(loaded):
    cfg = loaded
    before = fetch(cfg, "SELECT refresh_id, fingerprint FROM derived_state", [])
    rep, said = run(cfg, [DEMO])
    assert rep.status == "unchanged"
    assert scoped_message(said) == "neu zu berechnen: 0 Variablen in 0 Variable-Jahr-Paaren"
    assert fetch(cfg, "SELECT refresh_id, fingerprint FROM derived_state", []) == before
    assert_same_as_full(cfg, rep.refresh_id)


def test_changed_rules_recompute_everything(loaded):
    cfg = loaded
    Path(cfg.rules_path).write_text("year_on_year:\n  z: 6\n", encoding="utf-8")
    from fis.config import load_config

    cfg = load_config(cfg.root)
    rep, said = run(cfg, [DEMO])
    assert rep.status == "unchanged" and scoped_message(said) is None
    assert fetch(cfg, "SELECT refresh_id FROM derived_state", [])[0] == rep.refresh_id
    assert_same_as_full(cfg, rep.refresh_id)


def test_findings_outside_the_scope_are_carried(loaded, tmp_path):
    """An impossible count recorded as a warning survives a refresh that touches other data."""
    cfg = loaded
    Path(cfg.rules_path).write_text(
        "count_above_population:\n  severity: warning\nshare_above_100:\n  severity: warning\n",
        encoding="utf-8",
    )
    from fis.config import load_config

    cfg = load_config(cfg.root)
    # Siegen's population in 2019 far below its children: count_above_population fires
    low = edited(tmp_path, LDB_POP, "31.12.2019;05970040;      Siegen, Stadt;102549;",
                 "31.12.2019;05970040;      Siegen, Stadt;1025;")  # fmt: skip
    rep, _ = run(cfg, [low])
    found = "SELECT count(*) FROM findings WHERE refresh_id = ? AND rule = 'count_above_population' AND severity = 'warning' AND region_key = ?"  # noqa: E501
    n_found = fetch(cfg, found, [rep.refresh_id, SIEGEN])[0]
    assert n_found > 0
    # now revise 2024 only: the 2019 findings are carried into the new refresh
    (tmp_path / "b").mkdir()
    both = edited(tmp_path / "b", low, "31.12.2024;05970040;      Siegen, Stadt;102685;",
                  "31.12.2024;05970040;      Siegen, Stadt;102690;")  # fmt: skip
    rep2, said = run(cfg, [both])
    assert scoped_message(said) is not None and rep2.n_revised == 1
    assert fetch(cfg, found, [rep2.refresh_id, SIEGEN])[0] == n_found
    assert_same_as_full(cfg, rep2.refresh_id)


def test_a_better_source_for_a_variable_keeps_the_other_sources_years(cfg, tmp_path):
    """zuz_u6 comes from the local register alone until the LDB table (priority 10 against
    60) delivers it too, here for 2024 only. From then on the LDB is its preferred source, and
    the register's values of every other year must stay in variable_values, stored — not
    only those of 2024, the one year the refresh touched."""
    ldb = DEMO / "ldbnrw_12711-01i_demo.csv"
    lines = ldb.read_text(encoding="iso-8859-1").splitlines(keepends=True)
    only_2024 = tmp_path / ldb.name
    only_2024.write_text(
        "".join(ln for ln in lines if not ln[:1].isdigit() or ln.startswith("2024;")),
        encoding="iso-8859-1",
    )
    first, _ = run(cfg, [f for f in sorted(DEMO.iterdir()) if f != ldb])
    assert first.status == "ok"
    preferred = "SELECT pipeline FROM preferred_sources WHERE variable_id = 'zuz_u6'"
    stored = (
        "SELECT count(DISTINCT period) FROM variable_values_derived "
        "WHERE variable_id = 'zuz_u6' AND pipeline = 'local_melderegister'"
    )
    years = "SELECT count(DISTINCT period) FROM variable_values WHERE variable_id = 'zuz_u6'"
    assert fetch(cfg, preferred, []) == ("local_melderegister",)
    assert fetch(cfg, stored, []) == (0,)
    n_years = fetch(cfg, years, [])[0]
    assert n_years > 10
    rep, said = run(cfg, [only_2024])
    assert rep.status == "ok" and rep.n_new > 0 and scoped_message(said) is not None
    assert fetch(cfg, preferred, []) == ("ldbnrw_12711-01i",)
    assert fetch(cfg, stored, []) == (n_years - 1,)
    assert fetch(cfg, years, []) == (n_years,)
    assert_same_as_full(cfg, rep.refresh_id)
