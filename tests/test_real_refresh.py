"""A refresh of the whole real corpus (all of Germany): keys, sums, idempotence."""

from __future__ import annotations

import duckdb
import pytest

from conftest import data_checksum, make_project

pytestmark = [pytest.mark.reference, pytest.mark.slow]


@pytest.fixture(scope="module")
def loaded(real_dir, tmp_path_factory):
    from fis.config import load_config
    from fis.warehouse.refresh import refresh

    cfg = load_config(make_project(tmp_path_factory.mktemp("real")))
    report = refresh(cfg, [real_dir])
    return cfg, report


def q(cfg, sql, params=()):
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_every_export_loaded(loaded):
    cfg, report = loaded
    pipelines = {f.pipeline for f in report.files}
    assert pipelines == {
        "destatis_gv100ad", "ldbnrw_12411-15i", "ldbnrw_22517-02i",
        "regionalstatistik_12411-01-01-4_flat", "regionalstatistik_12411-01-01-5",
        "regionalstatistik_12411-02-03-5", "regionalstatistik_12612-01-01-5-B",
        "zensus2022_1000A",
    }  # fmt: skip
    # the notes file beside the register is not an export: skipped and said so
    assert any("Hinweise" in w for w in report.warnings)
    stands = dict(q(cfg, "SELECT table_code, stand FROM sources"))
    assert stands["12411-01-01-5"] == "2017-10-10" and stands["12411-15i"] == "2026-01-19"


def test_kreis_05970_2015_sum_equals_delivered(loaded):
    cfg, _ = loaded
    delivered = q(cfg, "SELECT value, origin FROM variable_values WHERE variable_id = 'bev_insg' "
                       "AND region_key = '05970' AND period = 2015")[0]  # fmt: skip
    assert delivered == (280800.0, "delivered")
    gemeinden = q(
        cfg,
        """SELECT count(*), sum(v.value) FROM variable_values v JOIN regions r USING (region_key)
           WHERE v.variable_id = 'bev_insg' AND v.period = 2015 AND r.parent_key = '05970'
             AND r.level = 'gemeinde'""",
    )[0]
    assert gemeinden == (11, 280800.0)
    assert q(cfg, "SELECT count(*) FROM findings WHERE region_key = '05970'")[0][0] == 0


def test_disagreeing_kreise_are_a_handful_in_2008(loaded):
    cfg, _ = loaded
    rows = q(
        cfg,
        """SELECT DISTINCT f.region_key, f.period, r.level FROM findings f
                     JOIN regions r USING (region_key) WHERE rule = 'sum_of_children'""",
    )
    assert rows, "the 2008 Gebietsstand differences must be reported"
    assert {p for _, p, _ in rows} == {2008}
    assert len({k for k, _, _ in rows}) <= 8
    # no Verband, no duplicate key form: only Kreise and Regierungsbezirke disagree
    assert {lv for _, _, lv in rows} <= {"kreis", "regbez"}


def test_historical_regions_registered_not_dropped(loaded):
    cfg, _ = loaded
    n_hist = q(cfg, "SELECT count(*) FROM regions WHERE historical AND level = 'gemeinde'")[0][0]
    assert 2400 <= n_hist <= 2700
    # Saara (Thüringen) was merged in 2012: values until 2011, no zeros afterwards
    saara = dict(q(cfg, "SELECT period, value FROM observations WHERE variable_id = 'bev_insg' "
                        "AND region_key = '16077056' ORDER BY period"))  # fmt: skip
    assert saara[2011] == 2846 and saara[2015] is None
    # Kreis Aachen (05354), dissolved 2009, kept by the Landesdatenbank with '-'
    assert q(cfg, "SELECT historical, parent_key FROM regions WHERE region_key = '05354'")[0] == (
        True,
        "053",
    )


def test_samtgemeinden_are_not_gemeinden(loaded):
    cfg, _ = loaded
    level = q(cfg, "SELECT level FROM regions WHERE region_key = '031515401'")[0][0]
    assert level == "verband"
    assert q(cfg, "SELECT count(*) FROM regions WHERE region_key = '03151401'")[0][0] == 0


def test_zensus_keys_mapped_to_ags(loaded):
    cfg, _ = loaded
    row = q(cfg, "SELECT value, ref_date::VARCHAR FROM observations WHERE pipeline = 'zensus2022_1000A' "
                 "AND region_key = '05970040'")  # fmt: skip
    assert row == [(102275.0, "2022-05-15")]


def test_jugendamt_values_kept(loaded):
    cfg, _ = loaded
    rows = dict(q(cfg, "SELECT region_key, value FROM observations WHERE variable_id = 'erzh_inanspruch' "
                       "AND region_key IN ('JH05970040', 'JH05970999', '05970')"))  # fmt: skip
    assert rows == {"JH05970040": 2106.0, "JH05970999": 2218.0, "05970": 4324.0}


def test_gv100ad_area_converted_from_hectares(loaded):
    cfg, _ = loaded
    row = q(cfg, "SELECT value FROM observations WHERE variable_id = 'flaeche_km2' "
                 "AND region_key = '05970040' AND pipeline = 'destatis_gv100ad'")  # fmt: skip
    assert row == [(114.69,)]


def test_second_refresh_changes_nothing(loaded, real_dir):
    from fis.warehouse.refresh import refresh

    cfg, first = loaded
    before = data_checksum(cfg.warehouse)
    again = refresh(cfg, [real_dir])
    assert again.status == "unchanged"
    assert (again.n_new, again.n_revised, again.n_unchanged) == (0, 0, first.n_new)
    assert data_checksum(cfg.warehouse) == before


def _indicator(cfg, ind, key, period):
    return q(cfg, "SELECT value, numerator, denominator FROM indicator_values "
                  "WHERE indicator_id = ? AND region_key = ? AND period = ?", [ind, key, period])[0]  # fmt: skip


def test_spot_check_share_under3_siegen_2015(loaded):
    # by hand from regionalstatistik_12411-02-03-5.csv, row 05970040: unter 3 Jahre 2694,
    # Insgesamt 102355 (31.12.2015)
    cfg, _ = loaded
    value, num, den = _indicator(cfg, "share_under3", "05970040", 2015)
    assert (num, den) == (2694, 102355)
    assert value == pytest.approx(100 * 2694 / 102355)


def test_spot_check_birth_rate_kreuztal_2015(loaded):
    # by hand: 12612-01-01-5-B row 05970024 Insgesamt 2015 = 299 births;
    # 12411-01-01-5 row 05970024 Insgesamt 31.12.2015 = 31500 inhabitants
    cfg, _ = loaded
    value, num, den = _indicator(cfg, "crude_birth_rate", "05970024", 2015)
    assert (num, den) == (299, 31500)
    assert value == pytest.approx(1000 * 299 / 31500)  # 9.49 je 1.000 EW
