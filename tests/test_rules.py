"""Each plausibility rule on crafted warehouse content: the expected findings, and none where
the data are fine. Rules run on an in-memory warehouse with just the rows they need."""

from __future__ import annotations

import duckdb
import pytest

from fis.errors import ConfigError
from fis.rules import Rules, load_rules
from fis.warehouse import aggregate, checks, schema

CTX = checks.Context(refresh_id=7, focus="05970", comparison=("05970", "05", "DG"))
GEMEINDEN = ["05970004", "05970008", "05970012"]


@pytest.fixture
def con():
    con = duckdb.connect()
    schema.ensure_schema(con)
    con.executemany(
        "INSERT INTO regions (region_key, name, level, parent_key, population, origin) "
        "VALUES (?, ?, ?, ?, ?, 'register')",
        [("05", "Nordrhein-Westfalen", "land", None, 18_000_000),
         ("05966", "Olpe", "kreis", "05", 130_000),
         ("05970", "Siegen-Wittgenstein", "kreis", "05", 270_000),
         *[(g, f"Gemeinde {g[-3:]}", "gemeinde", "05970", 10_000) for g in GEMEINDEN]],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO variables VALUES (?, ?, ?, ?, '31.12.', 't')",
        [("bev_insg", "Bevölkerung", "Personen", "sum"),
         ("bev_u18", "unter 18", "Personen", "sum"),
         ("hze", "Hilfen zur Erziehung", "Hilfen", "sum"),
         ("miete", "Miete", "EUR/m²", "none")],
    )  # fmt: skip
    con.execute(
        "INSERT INTO sources (sha256, path, format, pipeline) VALUES "
        "('s_off', 'amtlich.csv', 'genesis_csv', 'amtlich'), "
        "('s_zen', 'zensus.csv', 'ffcsv', 'zensus2022_1000A'), "
        "('s_loc', 'lokal.csv', 'fis_tabular', 'lokal')"
    )
    return con


def observe(con, rows, pipeline="amtlich", sha="s_off", refresh_id=1):
    """rows: (variable, region, period, value[, status])."""
    con.executemany(
        "INSERT INTO observations VALUES (?, ?, ?, NULL, ?, ?, ?, 20, ?, ?, ?)",
        [(v, r, p, x, s[0] if s else "", pipeline, sha, i + 1, refresh_id)
         for i, (v, r, p, x, *s) in enumerate(rows)],
    )  # fmt: skip


def run(con, rule: str, rules: Rules | None = None) -> list[tuple]:
    """Build variable values, run one rule; its findings (without the pass row)."""
    aggregate.build_variable_values(con)
    checks.RULES[rule](con, CTX, rules or Rules())
    return con.execute(
        "SELECT severity, variable_id, indicator_id, region_key, period, observed, expected, "
        "message FROM findings WHERE rule = ? AND severity <> 'pass' "
        "ORDER BY region_key, period",
        [rule],
    ).fetchall()


def passes(con, rule: str) -> tuple:
    return con.execute(
        "SELECT observed, expected FROM findings WHERE rule = ? AND severity = 'pass'", [rule]
    ).fetchone()


def test_share_above_100_is_an_error_and_not_also_a_range_warning(con):
    con.execute(
        "INSERT INTO indicators (indicator_id, short, unit, range_min, range_max) VALUES "
        "('share_u3', 'Anteil u3', '%', 0, 100), ('change_pct', 'Veränderung', '%', -30, 30)"
    )
    con.execute(
        "INSERT INTO indicator_values VALUES "
        "('share_u3', '05970004', 2024, 112.5, 450, 400, ''), "
        "('share_u3', '05970008', 2024, 40, 160, 400, ''), "
        "('change_pct', '05970004', 2024, 140, NULL, NULL, '')"
    )
    found = run(con, "share_above_100")
    assert [(s, i, r, p, o) for s, _, i, r, p, o, *_ in found] == [
        ("error", "share_u3", "05970004", 2024, 112.5)
    ]
    assert "numerator 450.0 > denominator 400.0" in found[0][-1]
    assert passes(con, "share_above_100") == (1, 2)  # a change in % is no share
    checks.indicator_range(con, CTX, Rules())
    ranged = con.execute(
        "SELECT indicator_id FROM findings WHERE rule = 'indicator_range' AND severity <> 'pass'"
    ).fetchall()
    assert ranged == [("change_pct",)]


def test_sum_of_children_tolerance_and_perturbed_sources(con):
    observe(con, [("bev_insg", "05970004", 2020, 1000), ("bev_insg", "05970008", 2020, 2000),
                  ("bev_insg", "05970012", 2020, 3000), ("bev_insg", "05970", 2020, 6001),
                  ("bev_insg", "05970004", 2021, 1000), ("bev_insg", "05970008", 2021, 2000),
                  ("bev_insg", "05970012", 2021, 3000), ("bev_insg", "05970", 2021, 6000)])  # fmt: skip
    # Zensus: perturbed cells, a difference of 9 is within its tolerance of 20
    observe(con, [("bev_insg", "05970004", 2022, 1003), ("bev_insg", "05970008", 2022, 1998),
                  ("bev_insg", "05970012", 2022, 3008), ("bev_insg", "05970", 2022, 6000)],
            pipeline="zensus2022_1000A", sha="s_zen")  # fmt: skip
    found = run(con, "sum_of_children")
    assert [(r, p, o, e) for _, _, _, r, p, o, e, _ in found] == [("05970", 2020, 6001, 6000)]
    assert passes(con, "sum_of_children") == (2, 3)
    strict = Rules.model_validate(
        {"sum_of_children": {"perturbed": {"absolute": 0, "relative": 0}}}
    )
    con.execute("DELETE FROM findings")
    assert [p for *_, p, _, _, _ in run(con, "sum_of_children", strict)] == [2020, 2022]


def series(start: int, values: list[float]):
    return list(zip(range(start, start + len(values)), values, strict=True))


def test_year_on_year_flags_a_jump_but_not_small_or_rebased_changes(con):
    big = [10000, 10100, 10200, 10300, 10400, 10500, 10600, 12600, 12700]  # +2,000 in 2015
    small = [40, 43, 41, 44, 42, 45, 70, 44, 46]  # +25 in a small Gemeinde: chance
    rebased = [10000, 10100, 10200, 9000, 9100, 9200, 9300, 9400, 9500]  # Zensus 2011
    observe(con, [("bev_insg", "05970004", p, x) for p, x in series(2008, big)]
            + [("hze", "05970008", p, x) for p, x in series(2008, small)]
            + [("bev_insg", "05970012", p, x) for p, x in series(2008, rebased)])  # fmt: skip
    found = run(con, "year_on_year")
    assert [(v, r, p) for _, v, _, r, p, *_ in found] == [("bev_insg", "05970004", 2015)]
    sev, _, _, _, _, observed, expected, msg = found[0]
    assert (sev, observed, expected) == ("warning", 12600, 10700)
    assert "Veränderung zum Vorjahr 2000" in msg and "robuster z-Wert" in msg
    # 3 series × 7 changes scored (into 2009-2016, not into the break year 2011), 20 passed
    assert passes(con, "year_on_year") == (20, 21)
    # without the census break the rebasing is a jump too
    con.execute("DELETE FROM findings")
    no_breaks = Rules.model_validate({"year_on_year": {"break_periods": []}})
    assert {(r, p) for _, _, _, r, p, *_ in run(con, "year_on_year", no_breaks)} == {
        ("05970004", 2015), ("05970012", 2011)}  # fmt: skip


def test_year_on_year_needs_enough_history(con):
    observe(con, [("bev_insg", "05970004", p, x) for p, x in series(2020, [100, 100, 5000])])
    assert run(con, "year_on_year") == []
    assert passes(con, "year_on_year") == (0, 0)


def test_completeness_reports_missing_years_per_region(con):
    rows = [("bev_insg", g, p, 1000) for g in GEMEINDEN for p in (2020, 2021, 2022)]
    rows.remove(("bev_insg", "05970008", 2021, 1000))
    rows.append(("bev_insg", "05970012", 2023, None, "."))  # a symbol counts as reported
    rows += [("bev_insg", g, 2023, 1000) for g in GEMEINDEN[:2]]
    rows += [("bev_insg", "05", p, 18e6) for p in (2020, 2022)]  # NRW lacks 2021 and 2023
    observe(con, rows)
    found = run(con, "completeness")
    got = {(r, msg.split(": ", 1)[1]) for _, _, _, r, _, _, _, msg in found}
    assert got == {
        ("05970008", "fehlt für 2021 (1 von 4 Jahren)"),
        ("05", "fehlt für 2021, 2023 (2 von 4 Jahren)"),
    }  # the Kreis is never delivered: its sums are no source's duty


def test_completeness_ignores_years_a_region_did_not_exist(con):
    observe(con, [("bev_insg", g, p, 1000) for g in GEMEINDEN[:2] for p in (2020, 2021)]
            + [("bev_insg", "05970012", 2020, None, "-"), ("bev_insg", "05970012", 2021, 7)])  # fmt: skip
    # 05970012 delivers '-' only in 2020 and a value later: not applicable then, not missing
    assert run(con, "completeness") == []
    assert passes(con, "completeness") == (3, 3)


def test_revision_reports_large_changes_and_withdrawn_values(con):
    observe(con, [("bev_insg", "05970004", 2020, 1100), ("bev_insg", "05970008", 2020, 2005),
                  ("bev_insg", "05970012", 2020, None, ".")], refresh_id=7)  # fmt: skip
    con.executemany(
        "INSERT INTO observation_history VALUES (?, ?, 2020, NULL, ?, '', 'amtlich', 20, "
        "'s_off', 1, 3, 7)",
        [("bev_insg", "05970004", 1000), ("bev_insg", "05970008", 2000),
         ("bev_insg", "05970012", 3000)],
    )  # fmt: skip
    found = run(con, "revision")
    assert [(r, o, e) for _, _, _, r, _, o, e, _ in found] == [
        ("05970004", 1100, 1000), ("05970012", None, 3000)]  # fmt: skip
    assert "revidiert von 1000.0 auf 1100.0 (10.0 %)" in found[0][-1]
    assert "zurückgezogen, jetzt ».«" in found[1][-1]
    assert passes(con, "revision") == (1, 3)


def test_disclosure_flags_small_local_counts_only(con):
    observe(con, [("hze", "05970004", 2024, 2), ("hze", "05970008", 2024, 0),
                  ("hze", "05970012", 2024, 3)], pipeline="lokal", sha="s_loc")  # fmt: skip
    observe(con, [("hze", "05970004", 2023, 1)])  # official: arrives protected already
    observe(con, [("miete", "05970004", 2024, 1.5)], pipeline="lokal", sha="s_loc")  # no count
    found = run(con, "disclosure")
    assert [(s, r, p, o) for s, _, _, r, p, o, *_ in found] == [("info", "05970004", 2024, 2)]
    assert "lokal.csv:1" in found[0][-1]


def test_severity_and_thresholds_come_from_rules_yaml(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("year_on_year:\n  severity: error\n  z: 3\nrevision: {severity: 'off'}\n",
                    encoding="utf-8")  # fmt: skip
    rules = load_rules(path)
    assert (rules.year_on_year.severity, rules.year_on_year.z) == ("error", 3)
    assert rules.year_on_year.min_change == 20  # defaults where the file says nothing
    assert rules.revision.severity == "off"
    assert load_rules(tmp_path / "absent.yaml") == Rules()


@pytest.mark.parametrize(
    "text, message",
    [
        ("year_on_year:\n  zz: 3\n", "rules.yaml: year_on_year.zz: Extra inputs are not permitted"),
        ("revision: {severity: fatal}\n", "rules.yaml: revision.severity: Input should be"),
        ("revision: [\n", "rules.yaml:2: not valid YAML"),
    ],
)
def test_bad_rules_yaml_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_rules(path)
    assert message in str(exc.value)


def test_rules_switched_off_do_not_run(con):
    observe(con, [("hze", "05970004", 2024, 2)], pipeline="lokal", sha="s_loc")
    aggregate.build_variable_values(con)
    off = Rules.model_validate({name: {"severity": "off"} for name in checks.RULES})
    assert checks.run_all(con, CTX, off) == 0
    assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == 0
