"""The report's data model read from the demo warehouse: values, comparisons, ranks, age
structure, suppression of small local counts, reference regions, and the Kreisübersicht."""

from __future__ import annotations

import dataclasses
import time

import pytest

from conftest import ROOT
from fis.catalog.load import load_catalog
from fis.errors import ConfigError, RegionError
from fis.report import model
from fis.report.model import SUPPRESSED
from fis.warehouse.report_data import STECKBRIEF_DEFAULT, kreis_overview, report_data
from fis.warehouse.schema import connect

KREUZTAL = "05970024"
KREIS = "05970"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "indicators")


@pytest.fixture(scope="module")
def con(demo_warehouse):
    c = connect(demo_warehouse.warehouse, read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def kreuztal(con, demo_warehouse, catalog):
    return report_data(con, demo_warehouse, catalog, KREUZTAL)


def rows_of(data) -> list:
    return [r for s in data.sections for r in s.rows]


def sql_value(con, ind, key, period):
    return con.execute(
        "SELECT value, status FROM indicator_values WHERE indicator_id = ? AND region_key = ? "
        "AND period = ?",
        [ind, key, period],
    ).fetchone()


# --- the Steckbrief and the regions ------------------------------------------------------------


def test_steckbrief_default_ids_are_in_the_catalogue(catalog):
    assert len(STECKBRIEF_DEFAULT) >= 10
    assert [i for i in STECKBRIEF_DEFAULT if i not in catalog.indicators] == []


def test_gemeinde_report_compares_with_kreis_and_land(kreuztal):
    assert kreuztal.region.key == KREUZTAL
    assert kreuztal.reference.key == KREIS and kreuztal.kreis.key == KREIS
    assert kreuztal.land.key == "05"
    assert kreuztal.year == 2024  # latest year with population data
    assert [r.id for r in kreuztal.steckbrief] == STECKBRIEF_DEFAULT


def test_region_by_name(con, demo_warehouse, catalog):
    data = report_data(con, demo_warehouse, catalog, "Kreuztal", year=2020)
    assert data.region.key == KREUZTAL and data.year == 2020


def test_kreisfreie_stadt_is_compared_with_the_regierungsbezirk(con, demo_warehouse, catalog):
    data = report_data(con, demo_warehouse, catalog, "05315")  # Köln, Stadt
    assert data.region.kreisfrei
    assert data.reference.key == "053" and data.reference.level == "regbez"
    assert data.kreis is None and data.land.key == "05"
    for row in data.steckbrief:
        assert row.gemeinden == [] and row.rank is None


@pytest.mark.parametrize("key", ["Atlantis", "05", "059", KREIS, "059700024", "DG", "JH05970040"])
def test_unsupported_region_raises(con, demo_warehouse, catalog, key):
    with pytest.raises(RegionError):
        report_data(con, demo_warehouse, catalog, key)


def test_unknown_steckbrief_indicator_is_a_config_error(con, demo_warehouse, catalog):
    with pytest.raises(ConfigError, match="no_such_indicator"):
        report_data(con, demo_warehouse, catalog, KREUZTAL, steckbrief=["no_such_indicator"])


# --- values -------------------------------------------------------------------------------------


def test_values_equal_the_warehouse(con, kreuztal):
    checked = 0
    for row in rows_of(kreuztal):
        if row.suppressed:
            continue
        latest = con.execute(
            "SELECT max(period) FROM indicator_values WHERE indicator_id = ? AND region_key = ? "
            "AND period <= ? AND value IS NOT NULL",
            [row.id, KREUZTAL, kreuztal.year],
        ).fetchone()[0]
        if latest is None:
            continue  # only symbols for the region
        assert row.period == latest
        assert (row.value, row.status) == sql_value(con, row.id, KREUZTAL, row.period)
        for key, value in ((KREIS, row.reference_value), ("05", row.land_value)):
            expected = sql_value(con, row.id, key, row.period)
            assert value == (expected[0] if expected else None)
        checked += 1
    assert checked > 100


def test_five_years_earlier(con, kreuztal):
    row = next(r for r in kreuztal.steckbrief if r.id == "population_total")
    assert row.period_5y == row.period - 5
    assert row.value_5y == sql_value(con, "population_total", KREUZTAL, row.period - 5)[0]
    assert model.five_years_earlier(2024, {2019: None, 2018: 1.0, 2020: 2.0}) == 2018
    assert model.five_years_earlier(2024, {2020: 2.0}) == 2020
    assert model.five_years_earlier(2024, {2017: 1.0, 2021: 1.0}) is None


def test_rank_among_the_gemeinden(con, kreuztal):
    for row in kreuztal.steckbrief:
        values = [
            v
            for (v,) in con.execute(
                "SELECT iv.value FROM indicator_values iv JOIN regions r USING (region_key) "
                "WHERE r.parent_key = ? AND r.level = 'gemeinde' AND iv.indicator_id = ? "
                "AND iv.period = ? AND iv.value IS NOT NULL",
                [KREIS, row.id, row.period],
            ).fetchall()
        ]
        assert row.rank == 1 + sum(1 for v in values if v > row.value), row.id
        assert row.rank_of == len(values) == 11
        assert len(row.gemeinden) == 11
    assert model.competition_rank(5, [7, 5, 5, 3]) == 2  # ties share a rank
    assert model.competition_rank(3, [7, 5, 5, 3]) == 4


def test_series_cover_the_last_15_years(kreuztal):
    row = next(r for r in kreuztal.steckbrief if r.id == "share_under18")
    for role in model.ROLES:
        periods = [p.period for p in row.series[role]]
        assert periods == sorted(periods)
        assert min(periods) >= kreuztal.year - 14 and max(periods) == kreuztal.year


def test_missing_indicators_are_never_zero(con, kreuztal):
    missing = [r for s in kreuztal.sections for r in s.missing]
    assert missing
    for row in missing:
        assert row.value is None and row.status == "" and row.rank is None
        n = con.execute(
            "SELECT count(*) FROM indicator_values WHERE indicator_id = ? AND region_key = ?",
            [row.id, KREUZTAL],
        ).fetchone()[0]
        assert n == 0, row.id
    for row in rows_of(kreuztal):
        assert row.value is not None or row.status  # shown: a value or a symbol


def test_official_symbols_are_kept(con, demo_warehouse, catalog):
    data = report_data(con, demo_warehouse, catalog, "05970012", year=2012)  # Erndtebrück
    row = next(r for s in data.sections for r in s.rows if r.id == "asylblg_recipients_per_1000")
    assert model.Point(2012, None, ".") in row.series["region"]


def test_lead_indicator_prefers_the_steckbrief(kreuztal):
    leads = {s.handlungsfeld: s.lead.id for s in kreuztal.sections if s.lead}
    assert leads["Kinderbetreuung & frühe Bildung"] == "childcare_rate_under3"
    assert leads["Bevölkerung & Demografie"] == "share_under18"  # not the absolute count


def test_handlungsfelder_selection(con, demo_warehouse, catalog):
    cfg = dataclasses.replace(demo_warehouse, report={"handlungsfelder": ["kinderbetreuung"]})
    data = report_data(con, cfg, catalog, KREUZTAL)
    assert [s.handlungsfeld for s in data.sections] == ["Kinderbetreuung & frühe Bildung"]
    assert len(data.steckbrief) == len(STECKBRIEF_DEFAULT)


# --- age structure, sources, findings ----------------------------------------------------------


def test_age_groups_partition_the_population(con, kreuztal):
    age = kreuztal.age
    assert age.period == kreuztal.year and len(age.groups) == len(age.region_shares)
    assert sum(age.region_shares) == pytest.approx(100, abs=1e-6)
    assert sum(age.reference_shares) == pytest.approx(100, abs=1e-6)
    total = con.execute(
        "SELECT value FROM variable_values WHERE variable_id = 'bev_insg' AND region_key = ? "
        "AND period = ?",
        [KREUZTAL, age.period],
    ).fetchone()[0]
    assert sum(age.region_counts) == total
    assert all(c > 0 for c in age.region_counts)


def test_sources_stand_and_demo_marker(con, kreuztal):
    assert kreuztal.is_demo
    assert kreuztal.sources and all(s.table_code for s in kreuztal.sources)
    assert any(s.local for s in kreuztal.sources) and any(not s.local for s in kreuztal.sources)
    assert kreuztal.data_stand == max(s.stand for s in kreuztal.sources if s.stand)
    codes = {s.table_code for s in kreuztal.sources}
    assert "12411-02-03-5" in codes or "12411-03i" in codes  # population by age


def test_findings_concern_the_region(kreuztal):
    assert all(f.kind in ("error", "warning", "gap") for f in kreuztal.findings)
    assert not [f for f in kreuztal.findings if f.rule == "disclosure"]


# --- suppression --------------------------------------------------------------------------------


def _one_small_local_cell(con, catalog):
    """(indicator, period, Gemeinde) where exactly one Gemeinde of the Kreis has a small count
    of people from a local register (protective custody, Kinderschutz … in the demo)."""
    return con.execute(
        """
        SELECT iv.indicator_id, iv.period, any_value(iv.region_key)
        FROM indicator_values iv JOIN regions r USING (region_key)
        WHERE r.parent_key = $k AND r.level = 'gemeinde' AND iv.numerator > 0
          AND iv.numerator < 3 AND iv.indicator_id IN (SELECT unnest($ids))
        GROUP BY ALL HAVING count(*) = 1 ORDER BY 1, 2 LIMIT 1
        """,
        {"k": KREIS, "ids": ["protective_custody_rate", "child_endangerment_confirmed_share"]},
    ).fetchone()


def test_small_local_counts_are_suppressed_with_a_secondary_cell(con, demo_warehouse, catalog):
    ind, period, key = _one_small_local_cell(con, catalog)
    data = report_data(con, demo_warehouse, catalog, key, year=period, steckbrief=[ind])
    row = data.steckbrief[0]
    assert row.suppressed and row.value is None and row.status == SUPPRESSED
    assert row.period == period and row.rank is None
    hidden = [g for g in row.gemeinden if g.status == SUPPRESSED]
    assert len(hidden) == 2 and all(g.value is None for g in hidden)
    # the secondary cell: the next smallest numerator among the other Gemeinden
    nums = dict(con.execute(
        "SELECT region_key, numerator FROM indicator_values WHERE indicator_id = ? AND period = ? "
        "AND region_key LIKE '05970___' AND region_key <> ? AND value IS NOT NULL",
        [ind, period, key],
    ).fetchall())  # fmt: skip
    second = min(nums, key=lambda k: (nums[k], k))
    assert {g.key for g in hidden} == {key, second}
    # the same cells are hidden in another Gemeinde's report and in the Kreisübersicht
    other = next(k for k in nums if k != second)
    again = report_data(con, demo_warehouse, catalog, other, year=period, steckbrief=[ind])
    assert {g.key for g in again.steckbrief[0].gemeinden if g.status == SUPPRESSED} == {
        key,
        second,
    }
    assert again.steckbrief[0].value is not None and again.steckbrief[0].rank_of == 9
    overview = kreis_overview(con, demo_warehouse, catalog, KREIS, year=period)
    cells = next(r for s in overview.sections for r in s.rows if r.id == ind).cells
    assert {c.key for c in cells if c.status == SUPPRESSED} == {key, second}


def test_official_small_counts_and_facilities_are_not_suppressed(con, demo_warehouse, catalog):
    ids = ["school_leavers_without_qualification", "family_centres_per_1000_u6"]
    for ind in ids:
        key, period = con.execute(
            "SELECT region_key, max(period) FROM indicator_values WHERE indicator_id = ? "
            "AND region_key LIKE '05970___' AND numerator > 0 AND numerator < 3 "
            "GROUP BY ALL ORDER BY 1 LIMIT 1",
            [ind],
        ).fetchone()
        row = report_data(con, demo_warehouse, catalog, key, year=period, steckbrief=[ind])
        row = row.steckbrief[0]
        assert not row.suppressed and row.value == sql_value(con, ind, key, period)[0]


def test_secondary_cells_rule():
    assert model.secondary_cells({"a"}, {"a": 1, "b": 7, "c": 4, "d": None}) == {"c"}
    assert model.secondary_cells({"a", "b"}, {"a": 1, "b": 2, "c": 4}) == set()
    assert model.secondary_cells({"a"}, {"a": 1}) == set()


# --- Kreisübersicht ------------------------------------------------------------------------------


def test_kreis_overview(con, demo_warehouse, catalog):
    ov = kreis_overview(con, demo_warehouse, catalog, KREIS)
    assert ov.kreis.key == KREIS and ov.land.key == "05" and ov.year == 2024
    assert len(ov.gemeinden) == 11
    row = next(r for s in ov.sections for r in s.rows if r.id == "share_under18")
    assert len(row.cells) == 11
    assert row.kreis_value == sql_value(con, "share_under18", KREIS, row.period)[0]
    assert [c.value for c in row.cells] == [
        sql_value(con, "share_under18", g.key, row.period)[0] for g in ov.gemeinden
    ]
    assert any(ov.notable.values())
    for hf, notable in ov.notable.items():
        assert len(notable) <= 3
        scores = [n.score for n in notable]
        assert scores == sorted(scores, reverse=True) and all(s >= 1 for s in scores)
        for n in notable:
            assert n.handlungsfeld == hf and n.difference == n.value - n.kreis_value
            assert n.indicator_id != "population_total"  # absolute numbers are not compared


def test_kreis_overview_needs_a_kreis(con, demo_warehouse, catalog):
    for key in (KREUZTAL, "05315", "05"):
        with pytest.raises(RegionError):
            kreis_overview(con, demo_warehouse, catalog, key)


def test_report_data_is_fast(con, demo_warehouse, catalog):
    report_data(con, demo_warehouse, catalog, KREUZTAL)  # warm the catalogue cache
    t0 = time.perf_counter()
    for _ in range(3):
        report_data(con, demo_warehouse, catalog, KREUZTAL)
    # ~0.1 s on two cores: a handful of set-based queries; one query per indicator is ~10×
    assert (time.perf_counter() - t0) / 3 < 1.0


def test_findings_and_demo_marker_on_a_copy(demo_warehouse, catalog, tmp_path):
    """Warnings about the region are passed on; disclosure findings and findings that could
    reveal a small local count of people are not. Real (non-demo) sources clear the marker."""
    import shutil

    copy = tmp_path / "copy.duckdb"
    shutil.copy(demo_warehouse.warehouse, copy)
    cfg = dataclasses.replace(demo_warehouse, warehouse=copy, demo=tmp_path / "nodemo")
    con = connect(copy)
    # a small local count of people in the demo: Inobhutnahmen of one Gemeinde in one year
    key, period = con.execute(
        "SELECT region_key, min(period) FROM variable_values WHERE variable_id = "
        "'inobhutnahmen_42' AND region_key LIKE '05970___' AND value > 0 AND value < 3 "
        "GROUP BY ALL ORDER BY 1 LIMIT 1"
    ).fetchone()
    rid = con.execute("SELECT max(refresh_id) FROM refreshes WHERE status = 'ok'").fetchone()[0]
    con.executemany(
        "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [rid, "year_on_year", "warning", "bev_insg", None, key, 2024, 500, 0, "Sprung"],
            [rid, "disclosure", "info", "hze_33", None, key, 2024, 2, 3, "Fallzahl 2"],
            [rid, "year_on_year", "warning", "hze_33", None, key, 2024, 2, 9, "small observed"],
            [rid, "year_on_year", "warning", "inobhutnahmen_42", None, key, period + 1, 40, 0,
             "value of the year before is small"],
            [rid, "indicator_range", "warning", None, "protective_custody_rate", key, period,
             900, 100, "suppressed indicator cell"],
            [rid, "year_on_year", "warning", "bev_insg", None, KREUZTAL, 2024, 1, 2, "elsewhere"],
        ],
    )  # fmt: skip
    con.execute("UPDATE sources SET title = replace(title, 'DEMODATEN', 'Daten')")
    con.close()
    con = connect(copy, read_only=True)
    try:
        data = report_data(con, cfg, catalog, key, year=period + 1)
        cell = report_data(
            con, cfg, catalog, key, year=period, steckbrief=["protective_custody_rate"]
        )
    finally:
        con.close()
    assert cell.steckbrief[0].suppressed
    messages = [f.message for f in data.findings if f.kind != "gap"]
    assert "Sprung" in messages
    assert not {"Fallzahl 2", "small observed", "value of the year before is small",
                "suppressed indicator cell", "elsewhere"} & set(messages)  # fmt: skip
    assert not data.is_demo
