"""The official demo exports (fis.demo.official): determinism, formats, pipelines, sums, coverage.

Every file is read with the project's readers and mapped with the project's pipeline specs, so
these tests check that the demo, the readers and the pipelines/*.yaml fit together.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fis.demo import generate as gen
from fis.demo import official
from fis.pipelines import apply_spec, load_specs, match_spec
from fis.readers.sniff import read_file

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
BASE_VARIABLES = ROOT.parent / "shared" / "catalogue" / "base_variables.csv"

KREIS = "05970"
GEMEINDEN = [
    "05970004", "05970008", "05970012", "05970016", "05970020", "05970024",
    "05970028", "05970032", "05970036", "05970040", "05970044",
]  # fmt: skip
JA = ["JH05970040", "JH05970999"]

# Which rows each table has (the level the statistic is published for).
ROWS_GEM = {"05", "059", KREIS, *GEMEINDEN}
ROWS_KREIS = {"05", "059", KREIS}
ROWS_JA = {"05", "059", KREIS, *JA}
LDB_GEM = ["12411-03i", "12411-05i", "12411-08i", "12411-12i", "12421-01i", "12611-01i",
           "13111-01i", "13111-02i", "13211-01i", "22811-01i", "22811-02i", "73111-01i",
           "31231-01i", "31121-01i", "33111-01i", "21111-01i", "21111-02i", "21111-03i",
           "21111-05i"]  # fmt: skip
LDB_KREIS = ["12511-01i", "12612-03i", "12612-04i", "12613-02i", "12631-01i", "13111-03i",
             "13211-02i", "22811-03i", "12211-08i", "22421-01i", "22412-01i", "23111-01i",
             "46241-05i", "21111-04i"]  # fmt: skip
LDB_JA = ["22541-01i", "22541-02i", "22541-03i", "22543-01i", "22517-01i", "22517-02i",
          "22517-03i", "22523-01i", "22518-01i", "22515-01i", "22551-01i"]  # fmt: skip
RS_KREIS = ["12531-01-01-4", "22922-01-02-4", "22311-01-01-4", "82411-01-03-4"]
EXPECTED_ROWS = (
    {t: ROWS_GEM for t in LDB_GEM} | {t: ROWS_KREIS for t in LDB_KREIS}
    | {t: ROWS_JA for t in LDB_JA} | {t: {"DG", *ROWS_KREIS} for t in RS_KREIS}
    | {"WMB-02": {"05", KREIS, *GEMEINDEN}, "PKS-TO-01": {"05", KREIS, *GEMEINDEN},
       "4000W": {"DG", *GEMEINDEN},
       "5000H": {"DG", *GEMEINDEN}}
)  # fmt: skip
EXPECTED_FILES = sorted(
    [f"ldbnrw_{t}_demo.csv" for t in LDB_GEM + LDB_KREIS + LDB_JA]
    + [f"regionalstatistik_{t}_demo.csv" for t in RS_KREIS]
    + ["nrwbank_wohnungsmarkt_demo.csv", "lkanrw_pks_tatortgemeinden_demo.csv",
       "zensus2022_4000W_demo_flat.csv",
       "zensus2022_5000H_demo_flat.csv"]
)  # fmt: skip

# Labels (by table) that are not counts adding up from Gemeinden to the Kreis.
NON_ADDITIVE = {
    "12411-05i": ("Durchschnittsalter", "Medianalter"),  # mean and median age
    "13111-02i": ("Pendler",),  # commuters across the boundary of each area
    "13211-02i": ("Arbeitslosenquote",),
    "12612-04i": ("Durchschnitt",),
    "WMB-02": ("Angebotsmieten", "Bodenrichtwerte"),  # median rent, mean land value
}

# The official base variables of catalogue/base_variables.csv this demo covers (183).
OFFICIAL = (
    "bev_insg",
    "bev_insg_jd",
    "bev_nach_alter",
    "sum_alter",
    "bev_u3",
    "bev_3_u6",
    "bev_u6",
    "bev_6_u10",
    "bev_u12",
    "bev_u15",
    "bev_15_u18",
    "bev_u18",
    "bev_u20",
    "bev_u21",
    "bev_18_u25",
    "bev_15_u25",
    "bev_6_u25",
    "bev_6_u27",
    "bev_25_u30",
    "bev_30_u50",
    "bev_50_u65",
    "bev_15_u65",
    "bev_20_u65",
    "bev_60plus",
    "bev_65plus",
    "bev_80plus",
    "bev_18plus",
    "bev_ab5",
    "bev_w_15_u20",
    "bev_w_15_u45",
    "bev_w_15_u65",
    "bev_m_15_u65",
    "bev_w_20_u35",
    "bev_m_20_u35",
    "bev_w_a",
    "bev_u_altersgrenze",
    "bev_15_u_altersgrenze",
    "bev_auslaender",
    "bev_auslaender_u18",
    "bev_ausl_15_u65",
    "bev_prog",
    "bev_prog_u18",
    "bev_rasterzelle",
    "flaeche_km2",
    "geb_lebend",
    "geb_1kind",
    "sum_alter_mutter_1kind",
    "geb_lebend_mutteralter_a",
    "geb_nichtehelich",
    "geb_mutter_u20",
    "gest_insg",
    "gest_u1",
    "eheschl",
    "scheidung_kinder_mj",
    "zuz_insg",
    "fort_insg",
    "zuz_u18",
    "fort_u18",
    "zuz_18_u25",
    "fort_18_u25",
    "zuz_25_u30",
    "fort_25_u30",
    "zuz_30_u50",
    "fort_30_u50",
    "zuz_50_u65",
    "fort_50_u65",
    "zuz_65plus",
    "fort_65plus",
    "kita_u3",
    "kita_3_u6",
    "kita_u3_gt7h",
    "kita_3_u6_gt7h",
    "kita_kinder_insg",
    "kita_kinder_mig",
    "kita_kinder_ndfs",
    "kita_3_u6_mig",
    "kita_ganztagsaequivalente",
    "paed_personal_vze",
    "ktp_u3_ohne_kita",
    "ktp_3_u6_ohne_kita",
    "ktp_u3_gt7h",
    "ktp_3_u6_gt7h",
    "gs_schueler",
    "gs_schueler_ganztag",
    "gs_schueler_zuwg",
    "sek1_schueler",
    "sek1_schueler_ganztag",
    "schueler_foerderschule",
    "schueler_kl1_10",
    "uebergang_insg",
    "uebergang_gy",
    "uebergang_hs",
    "uebergang_ge_sk",
    "abg_insg",
    "abg_ohne_hsa",
    "abg_abitur",
    "abg_ausl",
    "abg_ohne_hsa_ausl",
    "einsch_schulpflichtig",
    "einsch_zurueckgestellt",
    "distanz_gs",
    "svb_wo",
    "svb_wo_15_u65",
    "svb_wo_w_15_u65",
    "svb_wo_m_15_u65",
    "svb_wo_ausl",
    "svb_ao",
    "svb_ao_w",
    "svb_ao_w_teilzeit",
    "auspendler",
    "gb_ausschl_wo",
    "abh_beschaeftigte_wo",
    "alo_insg",
    "alo_u25",
    "alo_lza",
    "alo_alleinerz",
    "ziv_erwerbspersonen",
    "eg_kinder_insg",
    "eg_kinder_vater",
    "eg_bezieher_vaeter",
    "sum_bezugsmonate_vaeter",
    "sgb2_lb",
    "sgb2_elb",
    "sgb2_nef_u15",
    "sgb2_pers_u3",
    "sgb2_pers_3_u6",
    "sgb2_pers_u15",
    "sgb2_pers_15_u18",
    "sgb2_pers_u18",
    "bg_insg",
    "bg_mit_kind",
    "bg_ae",
    "bg_3plus_kind",
    "elb_erwerbstaetig",
    "ms_empf_insg",
    "ms_empf_u18",
    "grusi_alter",
    "asylblg_empf",
    "wohngeld_hh",
    "steuerpflichtige",
    "einkuenfte_gesamt",
    "verf_einkommen_eur",
    "pers_aequiv_u60",
    "pers_in_privathh",
    "pers_ueberschuldet",
    "whg_insg",
    "wohnflaeche_m2",
    "whg_efh_zfh",
    "whg_5plus_raeume",
    "whg_fertig_neubau",
    "whg_fertig_efh_zfh",
    "whg_eigentuemer",
    "whg_bewohnt",
    "whg_leer",
    "whg_sozial",
    "miete_m2_inserate",
    "bodenrichtwert_wohnen",
    "erholungsflaeche_m2",
    "verungl_kinder_u15",
    "straftaten_kiez",
    "hze_andauernd",
    "hze_beendet",
    "hze_begonnen",
    "hze_begonnen_ae",
    "hze_28",
    "hze_33",
    "hze_34",
    "hze_ambulant",
    "ea_35a",
    "inobhutnahmen_42",
    "kwg_verfahren",
    "kwg_akut",
    "kwg_latent",
    "kja_angebote",
    "kjh_ausgaben_rein_eur",
    "kinderaerzte",
    "einbuergerungen",
    "schutzsuchende",
    "pflegebed_insg",
    "pflegebed_65plus",
    "pflegegeld_empf",
    "pflegebed_ambulant",
    "pflegeheim_plaetze",
)
# Official variables no pipeline delivers, and why.
SKIPPED = {
    "bev_nach_alter": "a distribution, not a value per area: 12411-03i gives the age classes, "
    "12411-05i the median age (median_alter) and the catalogue uses sum_alter for the mean",
    "bev_w_a": "women by single year of age for the TFR: replaced by five-year classes "
    "(bev_w_15_u20 ... bev_w_40_u45 from 12411-03i)",
    "geb_lebend_mutteralter_a": "births by single year of the mother's age: replaced by the "
    "five-year classes geb_mutter_15_u20 ... geb_mutter_40_u45 (12612-03i)",
    "bev_rasterzelle": "Zensus grid cells: no region key and no reader for grid data",
    "distanz_gs": "distance to the next primary school per grid cell or address (GIS model), "
    "not a statistics table",
    "miete_m2_inserate": "single advertisements: delivered as the statistic miete_m2_median",
    "bodenrichtwert_wohnen": "values per Bodenrichtwertzone: delivered as the statistic "
    "bodenrichtwert_wohnen_mittel",
    "pers_ueberschuldet": "commercial source (Creditreform SchuldnerAtlas), no open export",
}
# Ids the specs may use beyond base_variables.csv: asked for by the catalogue's formulas.
ADDITIONAL = {
    "geb_mutter_15_u20", "geb_mutter_20_u25", "geb_mutter_25_u30", "geb_mutter_30_u35",
    "geb_mutter_35_u40", "geb_mutter_40_u45", "bev_prog", "bev_prog_u18", "miete_m2_median",
    "bodenrichtwert_wohnen_mittel",
    # defined by the catalogue (indicators/variables/bevoelkerung.yaml): median age and the
    # women of the five-year classes of the total fertility rate
    "median_alter", "bev_w_20_u25", "bev_w_25_u30", "bev_w_30_u35", "bev_w_35_u40",
    "bev_w_40_u45",
}  # fmt: skip
# Specs for these tables existed before the official demo (not part of it).
FOREIGN_SPECS = {"ldbnrw_22517-02i"}


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fig():
    return gen.build_figures()


@pytest.fixture(scope="module")
def written(fig, tmp_path_factory) -> list[Path]:
    return official.write_all(fig, tmp_path_factory.mktemp("official"))


@pytest.fixture(scope="module")
def specs():
    return load_specs(ROOT / "pipelines")


@pytest.fixture(scope="module")
def read(written):
    """File name -> ReadResult."""
    return {p.name: read_file(p) for p in written}


@pytest.fixture(scope="module")
def obs(read, specs) -> dict[tuple[str, str, int], float]:
    """(variable, region, year) -> value over all official demo files (NaN for symbols)."""
    frames = []
    for r in read.values():
        frame, _ = apply_spec(match_spec(specs, r), r)
        frames.append(frame)
    f = pd.concat(frames).drop_duplicates(["variable_id", "raw_key", "period"])
    f = f.assign(value=f["value"].where(f["status"] != "-", 0.0))
    return {(v, k, int(p)): x for v, k, p, x in f[["variable_id", "raw_key", "period",
                                                    "value"]].itertuples(index=False)}  # fmt: skip


def _value(obs, var, key, year):
    if (var, key, year) in obs:
        return obs[(var, key, year)]
    if key in JA:  # a Gemeinde variable for a Jugendamt: the Gemeinden it serves
        members = ["05970040"] if key == JA[0] else [g for g in GEMEINDEN if g != "05970040"]
        return sum(obs[(var, g, year)] for g in members)
    return obs[(var, key, year)]


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------
def test_files_and_determinism(written, fig, tmp_path):
    assert sorted(p.name for p in written) == EXPECTED_FILES
    again = official.write_all(fig, tmp_path)
    for p in again:
        assert p.read_bytes() == (written[0].parent / p.name).read_bytes(), p.name


def test_bundled_files_are_current(written):
    for p in written:
        bundled = DEMO / p.name
        assert bundled.exists(), f"{bundled} missing: run python -m fis.demo.generate"
        assert bundled.read_bytes() == p.read_bytes(), f"{p.name} is stale"


def test_size(written):
    assert sum(p.stat().st_size for p in written) < 800_000


def test_demo_mark_and_encoding(written):
    for p in written:
        raw = p.read_bytes()
        if p.name.startswith(("ldbnrw_", "nrwbank_", "lkanrw_")):
            text = raw.decode("latin-1")
            assert text.startswith("Tabelle: ") and "(DEMODATEN - nicht amtlich)" in text
            assert "Stand: " in text.splitlines()[-1]
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")  # ISO-8859-1 like the real Landesdatenbank
        elif p.name.startswith("regionalstatistik_"):
            text = raw.decode("utf-8")
            assert text.startswith("GENESIS-Tabelle: ") and "(DEMODATEN – nicht amtlich)" in text
        else:
            assert raw.startswith(b"\xef\xbb\xbf")  # Zensus flat files: UTF-8 with BOM
            rows = raw[3:].decode("utf-8").splitlines()[1:]
            assert rows and all(r.split(";")[1].startswith("DEMODATEN: ") for r in rows)
        assert b"\r" not in raw and raw.endswith(b"\n")


def test_footer_notes_have_no_semicolons(written):
    """A ';' in a footer line would look like a cell to a naive CSV reader."""
    for p in written:
        lines = p.read_bytes().decode("latin-1").splitlines()
        if "__________" in lines:
            for line in lines[lines.index("__________") + 1 :]:
                assert ";" not in line, (p.name, line)


def test_rows_are_the_published_levels(read):
    for name, r in read.items():
        keys = set(r.frame["region_key"].unique())
        assert keys == EXPECTED_ROWS[r.table_code], name


# ---------------------------------------------------------------------------------------------
# Pipelines
# ---------------------------------------------------------------------------------------------
def test_each_file_has_exactly_one_pipeline(read, specs):
    for name, r in read.items():
        spec = match_spec(specs, r)  # raises for none or several
        frame, unmapped = apply_spec(spec, r)  # raises when a label is missing
        assert len(frame) > 0, name
        if spec.id not in FOREIGN_SPECS:
            assert not unmapped, f"{name}: labels neither mapped nor ignored: {unmapped[:3]}"


def _base_ids() -> set[str]:
    if not BASE_VARIABLES.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"catalogue missing at {BASE_VARIABLES}")
        pytest.skip(f"catalogue not found at {BASE_VARIABLES}")
    with BASE_VARIABLES.open(encoding="utf-8") as fh:
        return {row["base_id"] for row in csv.DictReader(fh)}


def test_spec_variables_are_catalogue_ids(read, specs):
    base = _base_ids()
    assert set(OFFICIAL) <= base
    for r in read.values():
        spec = match_spec(specs, r)
        if spec.id in FOREIGN_SPECS:
            continue
        unknown = {c.variable for c in spec.columns} - base - ADDITIONAL
        assert not unknown, f"{spec.id}: {sorted(unknown)}"


def test_every_official_variable_is_delivered(specs):
    assert len(OFFICIAL) == len(set(OFFICIAL)) == 183
    delivered = {c.variable for s in specs.values() for c in s.columns}
    missing = [v for v in OFFICIAL if v not in delivered and v not in SKIPPED]
    assert not missing, f"no pipeline delivers {missing}"
    assert set(SKIPPED) <= set(OFFICIAL)
    assert not set(SKIPPED) & delivered, "delivered now: remove it from SKIPPED"


# ---------------------------------------------------------------------------------------------
# Sums and symbols
# ---------------------------------------------------------------------------------------------
def _cells(r) -> pd.DataFrame:
    f = r.frame
    numeric = ~f["status"].isin([".", "/", "x", "..."])
    value = f["value"].where(f["status"] != "-", 0.0)
    return f.assign(value=value, ok=numeric)


def _check_sum(r, parts: list[str], name: str) -> int:
    f = _cells(r)
    skip = NON_ADDITIVE.get(r.table_code, ())
    f = f[~f["label"].map(lambda lab: any(s in lab for s in skip)).astype(bool)]
    if f.empty:  # no count in this table (mean and median age)
        return -1
    wide = f.pivot_table(index=["period", "label"], columns="region_key", values="value",
                         aggfunc="first")  # fmt: skip
    ok = f.pivot_table(index=["period", "label"], columns="region_key", values="ok",
                       aggfunc="first").astype(bool)  # fmt: skip
    cols = [KREIS, *parts]
    usable = ok[cols].all(axis=1)
    w = wide.loc[usable, cols]
    diff = (w[KREIS] - w[parts].sum(axis=1)).abs()
    bad = diff[diff > 0.051]  # decimals with one digit may differ by rounding only
    assert bad.empty, f"{name}: Kreis != sum at {bad.index[0]}: {bad.iloc[0]}"
    return int(usable.sum())


def test_kreis_is_the_sum_of_gemeinden_or_jugendaemter(read):
    checked = {}
    for name, r in read.items():
        keys = set(r.frame["region_key"])
        if set(GEMEINDEN) <= keys and KREIS in keys:
            checked[name] = _check_sum(r, GEMEINDEN, name)
        elif set(JA) <= keys:
            checked[name] = _check_sum(r, JA, name)
    assert len(checked) == len(LDB_GEM) + len(LDB_JA) + 2  # + NRW.BANK, PKS
    assert checked.pop("ldbnrw_12411-05i_demo.csv") == -1
    assert all(n > 0 for n in checked.values()), checked


def test_special_symbols(read):
    status = pd.concat(r.frame.assign(table=r.table_code) for r in read.values())
    for sym in ("-", ".", "/", "x", "()"):
        assert (status["status"] == sym).any(), f"no {sym!r} in the official demo"
    # the secret Gemeinde cell: its Kreis total is still given
    secret = status[(status["status"] == ".") & status["region_key"].isin(GEMEINDEN)]
    assert not secret.empty
    for _, s in secret.iterrows():
        kreis = status[(status["table"] == s["table"]) & (status["period"] == s["period"])
                       & (status["label"] == s["label"]) & (status["region_key"] == KREIS)]  # fmt: skip
        assert kreis["status"].iloc[0] == "" and kreis["value"].iloc[0] > 0
    # "-" true zeros occur in the small Gemeinden
    zeros = status[(status["status"] == "-") & status["region_key"].isin(GEMEINDEN)]
    assert len(zeros) > 20


# ---------------------------------------------------------------------------------------------
# Plausibility of indicators computed from the official demo
# ---------------------------------------------------------------------------------------------
def _rate(obs, num, den, key, year, lag=0):
    n = sum(_value(obs, v, key, year) for v in num)
    d = sum(_value(obs, v, key, year - lag) for v in den)
    return n / d


@pytest.mark.parametrize(
    ("num", "den", "factor", "keys", "lag", "lo", "hi", "years"),
    [
        (["kita_u3", "ktp_u3_ohne_kita"], ["bev_u3"], 100, [KREIS, *JA], 1, 20, 40, (2014, 2024)),
        (["sgb2_lb"], ["bev_u_altersgrenze"], 100, [KREIS, *GEMEINDEN], 0, 3, 15, (2008, 2024)),
        (["sgb2_pers_u15"], ["bev_u15"], 100, [KREIS, "05"], 0, 8, 25, (2008, 2024)),
        (["hze_33", "hze_34"], ["bev_u21"], 10000, [KREIS, *JA], 0, 60, 250, (2008, 2024)),
        (["svb_wo_15_u65"], ["bev_15_u65"], 100, [KREIS, *GEMEINDEN], 0, 40, 70, (2008, 2024)),
        (["alo_insg"], ["ziv_erwerbspersonen"], 100, [KREIS], 0, 3, 10, (2008, 2024)),
        (["bev_auslaender"], ["bev_insg_jd"], 100, [KREIS], 0, 5, 16, (2008, 2024)),
        (["gs_schueler_ganztag"], ["gs_schueler"], 100, [KREIS], 0, 15, 70, (2008, 2024)),
        (["abg_ohne_hsa"], ["abg_insg"], 100, [KREIS], 0, 3, 10, (2008, 2024)),
        (["pflegebed_65plus"], ["bev_65plus"], 1000, [KREIS], 0, 100, 300, (2009, 2023)),
        (["eg_kinder_vater"], ["eg_kinder_insg"], 100, [KREIS], 0, 10, 50, (2008, 2022)),
    ],
)  # fmt: skip
def test_indicators_are_plausible(obs, num, den, factor, keys, lag, lo, hi, years):
    for key in keys:
        for y in range(years[0], years[1] + 1, 2 if "pflegebed_65plus" in num else 1):
            v = factor * _rate(obs, num, den, key, y, lag)
            assert lo <= v <= hi, (num, key, y, round(v, 1))


def test_hze_rate(obs):
    """HzE-Eckwert: (andauernd + beendet - Erziehungsberatung) per 10,000 under 21."""
    for key in (KREIS, *JA):
        for y in range(2008, 2025):
            hze = sum(_value(obs, v, key, y) for v in ("hze_andauernd", "hze_beendet"))
            v = 10000 * (hze - _value(obs, "hze_28", key, y)) / _value(obs, "bev_u21", key, y)
            assert 100 <= v <= 400, (key, y, round(v))


def test_total_fertility_rate(obs):
    classes = [(15, 20), (20, 25), (25, 30), (30, 35), (35, 40), (40, 45)]
    for key in ("05", "059", KREIS):
        for y in range(2008, 2025):
            tfr = 5 * sum(
                obs[(f"geb_mutter_{a}_u{b}", key, y)] / obs[(f"bev_w_{a}_u{b}", key, y)]
                for a, b in classes
            )
            assert 1.2 < tfr < 2.0, (key, y, tfr)


def test_projection_period_is_the_base_year(obs, read):
    """The Gemeindemodellrechnung comes with period = Basisjahr 2021, Zieljahr 2040 in the title."""
    assert {y for (v, _, y) in obs if v == "bev_prog"} == {2021}
    assert "Zieljahr 2040" in read["ldbnrw_12421-01i_demo.csv"].title
    for key in (KREIS, *GEMEINDEN):
        change = obs[("bev_prog", key, 2021)] / obs[("bev_u3", key, 2021)]
        assert np.isfinite(change)
        u18 = obs[("bev_prog_u18", key, 2021)] / obs[("bev_u18", key, 2021)] - 1
        assert -0.25 < u18 < 0.1, (key, u18)
