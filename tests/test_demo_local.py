"""Demo files of the local sources (fis.demo.local), the templates and their pipeline specs."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from fis.demo import generate as gen
from fis.demo import local, local_gemeinde, official
from fis.errors import InputError
from fis.pipelines import apply_spec, load_specs, match_spec
from fis.readers import tabular
from fis.readers.sniff import read_file

DEMO = ROOT / "data" / "demo"
TEMPLATES_DIR = ROOT / "data" / "templates"
BASE_VARIABLES = ROOT.parent / "shared" / "catalogue" / "base_variables.csv"
KREIS, JH_SIEGEN, JH_KREIS, SIEGEN = "05970", "JH05970040", "JH05970999", "05970040"
GEMEINDEN = gen.GEMEINDE_KEYS
YEARS = list(range(2008, 2025))

# The variables that come from local sources (the lead's list, 66 ids).
LOCAL_VARIABLES = tuple(
    """
bev_in_hh bev_mighint bev_mighint_u18 bev_3_u6_mig bev_wohndauer_ge5 bev_adresse
geb_lebend_wohnort zuz_u6 fort_u6 umz_innen hh_insg hh_1p hh_mit_kind_u18 hh_mit_kind_u6
hh_1kind hh_3plus_kind hh_alleinerz hh_paar_mit_kind hh_single_65plus hh_kind_mighint
kinder_u18_in_hh kinder_u18_in_ae_hh kita_u3_wohnort ktp_u3_wohnort plaetze_u3 plaetze_ue3
anm_insg anm_unversorgt familienzentren but_kinder_berechtigt but_kinder_mit_leistung
spielplatz_netto_m2 anzahl_einrichtungen_1km hze_inkl_eb_ea_junge_menschen besuche_erfolgt
jfe_plaetze esu_untersucht esu_untersucht_bmi esu_untersucht_mit_angabe esu_bmi_gt_p90
esu_bmi_gt_p97 esu_sprache_auffaellig esu_visuomotorik_auffaellig esu_kita_gt2j
esu_impfdok_vorgelegt esu_mmr2 esu_uheft_vorgelegt esu_u1_u9_vollst esu_sportverein
esu_medien_ge2h esu_eltern_bildung_niedrig u_unters_faellig u_unters_versaeumt fb_familien
fb_familien_erwerbst fb_familien_mit_eink fb_eltern fb_muetter fb_muetter_erwerbst
fb_wegzugsabsicht fb_zufrieden_wohnumfeld fb_vereinbarkeit_schwierig fb_zeitnot
fb_familien_aequiv_u60 fb_pflege_angehoerige fb_grosseltern_nah
""".split()  # noqa: SIM905
)
# Official variables (published per Jugendamt or Kreis) that the local sources deliver per
# Gemeinde, consistent with the official values (fis.demo.local_gemeinde).
OFFICIAL_PER_GEMEINDE = {
    "kita_bedarfsplanung": local.KITA_OFFICIAL,
    "jugendamt_fachverfahren": local.YOUTH_OFFICIAL,
    "jobcenter": ("bg_3plus_kind",),
}
OFFICIAL_VARIABLES = tuple(v for vs in OFFICIAL_PER_GEMEINDE.values() for v in vs)
# Not deliverable in a per-region layout (see data/templates/README.md).
NOT_DELIVERED = {
    "bev_adresse": "a value per address (GIS); nearby_services_index sums over addresses",
    "anzahl_einrichtungen_1km": "a value per address (GIS); see bev_adresse",
}
# Variables whose Kreis value is delivered, not the sum of the Gemeinden.
NOT_ADDITIVE = {"zuz_u6", "fort_u6"}


@pytest.fixture(scope="module")
def fig():
    return gen.build_figures()


@pytest.fixture(scope="module")
def written(fig, tmp_path_factory) -> list[Path]:
    return local.write_all(fig, tmp_path_factory.mktemp("local"))


@pytest.fixture(scope="module")
def specs():
    return load_specs(ROOT / "pipelines")


@pytest.fixture(scope="module")
def obs(written, specs) -> dict[str, pd.DataFrame]:
    """Each template's demo file, read and mapped to variables."""
    out = {}
    for p in written:
        res = read_file(p)
        frame, unmapped = apply_spec(match_spec(specs, res), res)
        assert unmapped == []
        out[res.table_code] = frame
    return out


@pytest.fixture(scope="module")
def values(obs) -> pd.Series:
    """All demo observations: value by (variable, key, year); NaN for symbols."""
    frame = pd.concat(obs.values())
    return frame.set_index(["variable_id", "raw_key", "period"])["value"]


# --- files, determinism, bundled copies ---------------------------------------------------------


def test_one_file_per_template(written):
    assert [p.name for p in written] == [local.file_name(t) for t in tabular.TEMPLATES]
    assert all("demo" in p.name for p in written)
    assert sum(p.stat().st_size for p in written) < 1_250_000


def test_deterministic(fig, written, tmp_path):
    for p in local.write_all(fig, tmp_path):
        assert p.read_bytes() == (written[0].parent / p.name).read_bytes(), p.name


def test_bundled_demo_is_current(written):
    for p in written:
        bundled = DEMO / p.name
        assert bundled.exists(), f"{bundled} missing: run python -m fis.demo.generate"
        assert bundled.read_bytes() == p.read_bytes(), f"{p.name} is stale"


def test_bundled_templates_are_current(fig, tmp_path):
    paths = local.write_templates(fig, tmp_path)
    assert sorted(p.name for p in paths) == sorted(
        f"{t}.{ext}" for t in tabular.TEMPLATES for ext in ("csv", "xlsx")
    )
    for p in paths:
        bundled = TEMPLATES_DIR / p.name
        assert bundled.exists() and bundled.read_bytes() == p.read_bytes(), (
            f"{bundled} is stale: run python -m fis.demo.local"
        )


def test_demo_mark_and_stand(written):
    for p in written:
        res = read_file(p)
        assert res.format == "fis_tabular"
        assert "DEMODATEN" in res.title and "DEMODATEN" in res.notes
        assert res.stand == local.STAND


def test_encodings(written):
    """Excel-like UTF-8 with BOM and CRLF, a plain UTF-8 file, an ISO-8859-1 export, XLSX."""
    enc = {read_file(p).table_code: read_file(p).encoding for p in written}
    assert enc["melderegister"] == "utf-8-sig"
    assert enc["bildung_teilhabe"] == "utf-8"
    assert enc["jobcenter"] == "utf-8-sig"
    assert enc["jugendamt_fachverfahren"] in ("iso-8859-1", "cp1252")
    assert enc["einrichtungen"] == enc["schuleingangsuntersuchung"] == "xlsx"


# --- pipelines ------------------------------------------------------------------------------------


def test_every_template_has_one_spec_with_exactly_its_merkmale(specs):
    for name, template in tabular.TEMPLATES.items():
        found = [s for s in specs.values() if s.match.format == "fis_tabular"
                 and s.match.table == name]  # fmt: skip
        assert [s.id for s in found] == [f"local_{name}"]
        labels = [lab for c in found[0].columns for lab in c.labels]
        assert labels == list(template.merkmale), name
        assert all(len(c.labels) == 1 and c.convert is None for c in found[0].columns)
        assert found[0].note and found[0].ignore == []


def test_priorities(specs):
    """Local sources lose against official ones, except where they are better by design."""
    prio = {t: specs[f"local_{t}"].priority for t in tabular.TEMPLATES}
    assert prio["kita_bedarfsplanung"] < 10  # Wohnort principle: better than the KJH statistics
    assert prio["haushaltegenerierung"] < specs["zensus2022_1000A"].priority  # yearly series
    assert prio["melderegister"] > specs["ldbnrw_12711-01i"].priority  # official zuz_u6 wins
    for t, p in prio.items():
        if t not in ("kita_bedarfsplanung", "haushaltegenerierung"):
            assert p > 50, t
        assert "Priorität" in specs[f"local_{t}"].note


def test_every_local_variable_is_delivered(specs):
    delivered = {c.variable for s in specs.values() if s.match.format == "fis_tabular"
                 for c in s.columns}  # fmt: skip
    assert len(LOCAL_VARIABLES) == len(set(LOCAL_VARIABLES)) == 66
    assert len(OFFICIAL_VARIABLES) == len(set(OFFICIAL_VARIABLES)) == 22
    assert not set(OFFICIAL_VARIABLES) & set(LOCAL_VARIABLES)
    assert delivered == (set(LOCAL_VARIABLES) | set(OFFICIAL_VARIABLES)) - set(NOT_DELIVERED)
    for t, names in OFFICIAL_PER_GEMEINDE.items():
        assert [c.variable for c in specs[f"local_{t}"].columns][-len(names) :] == list(names)


def test_official_variables_per_gemeinde(specs):
    """The official ids in the local specs are summable catalogue variables that an official
    pipeline delivers, and each spec says that it delivers them only per Gemeinde."""
    from fis.catalog import load_catalog

    variables = load_catalog(ROOT / "indicators").variables
    official_vars = {c.variable for s in specs.values() if s.match.format != "fis_tabular"
                     for c in s.columns}  # fmt: skip
    for var in OFFICIAL_VARIABLES:
        assert variables[var].aggregation == "sum", var
        assert var in official_vars, var
    for t in OFFICIAL_PER_GEMEINDE:
        assert "nur Gemeindezeilen" in specs[f"local_{t}"].note, t


def test_variables_exist_in_the_catalogue(specs):
    if not BASE_VARIABLES.exists():
        pytest.skip(f"catalogue not found at {BASE_VARIABLES}")
    with BASE_VARIABLES.open(encoding="utf-8") as fh:
        ids = {row["base_id"] for row in csv.DictReader(fh)}
    assert set(LOCAL_VARIABLES) <= ids


def test_readme_lists_every_merkmal_and_variable(specs):
    text = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
    for name in tabular.TEMPLATES:
        assert f"### `{name}`" in text
        for col in specs[f"local_{name}"].columns:
            assert f"| {col.labels[0]} | `{col.variable}` |" in text, col.labels[0]
    for var in NOT_DELIVERED:
        assert f"`{var}`" in text


def test_readme_example_rows_read(tmp_path):
    """Every 'Beispielzeile' of the README is a valid row of its template."""
    text = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
    sections = re.split(r"\n### `(\w+)`", text)[1:]
    for name, section in zip(sections[::2], sections[1::2], strict=True):
        row = re.search(r"Beispielzeile: `([^`]+)`", section)[1]
        p = tmp_path / f"{name}.csv"
        p.write_text(f"{tabular.marker_line(name)}\n{';'.join(tabular.HEADER)}\n{row}\n", "utf-8")
        assert len(read_file(p).frame) == 1


def test_unfilled_template_cannot_be_loaded_filled_one_can(specs, tmp_path):
    for name in tabular.TEMPLATES:
        for ext in ("csv", "xlsx"):
            with pytest.raises(InputError, match="bad Stand date 'JJJJ-MM-TT'"):
                read_file(TEMPLATES_DIR / f"{name}.{ext}")
        lines = (TEMPLATES_DIR / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()
        with pytest.raises(InputError, match="empty Wert"):
            read_file(_filled(tmp_path, name, lines, value=""))
        res = read_file(_filled(tmp_path, name, lines, value="1"))
        frame, unmapped = apply_spec(match_spec(specs, res), res)
        assert unmapped == [] and len(frame) == len(tabular.TEMPLATES[name].merkmale)


def _filled(tmp_path, name, lines, value):
    lines = [ln.replace("JJJJ-MM-TT", "2025-01-31") for ln in lines]
    # the rows end in ";;" (empty Wert and Zeichen): fill in the Wert
    rows = [ln[:-1] + value + ";" if ln.startswith("05970004;") else ln for ln in lines]
    p = tmp_path / f"{name}.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


# --- content --------------------------------------------------------------------------------------


def _keys(frame: pd.DataFrame) -> set[str]:
    return set(frame["raw_key"])


def test_regions_and_periods(obs):
    with_kreis = set(GEMEINDEN) | {KREIS}
    for t in ("melderegister", "haushaltegenerierung", "einrichtungen",
              "schuleingangsuntersuchung", "bildung_teilhabe", "familienbefragung"):  # fmt: skip
        assert _keys(obs[t]) == with_kreis, t
    assert _keys(obs["kita_bedarfsplanung"]) == with_kreis | {JH_SIEGEN, JH_KREIS}
    assert _keys(obs["jugendamt_fachverfahren"]) == set(GEMEINDEN) | {JH_SIEGEN, JH_KREIS}
    assert _keys(obs["jobcenter"]) == set(GEMEINDEN)
    for t in ("melderegister", "haushaltegenerierung", "kita_bedarfsplanung", "einrichtungen",
              "schuleingangsuntersuchung", "jugendamt_fachverfahren", "jobcenter"):  # fmt: skip
        assert sorted(set(obs[t]["period"])) == YEARS, t
    # official variables: only Gemeinde rows (the official files deliver Jugendämter and Kreis)
    for t, names in OFFICIAL_PER_GEMEINDE.items():
        frame = obs[t][obs[t]["variable_id"].isin(names)]
        assert set(frame["variable_id"]) == set(names), t
        assert _keys(frame) == set(GEMEINDEN), t
        for var, years in frame.groupby("variable_id")["period"]:
            first = 2012 if var.startswith("kwg_") else 2008  # § 8a statistics since 2012
            assert sorted(set(years)) == list(range(first, 2025)), var
    assert sorted(set(obs["familienbefragung"]["period"])) == [2008, 2014, 2020, 2024]
    assert sorted(set(obs["bildung_teilhabe"]["period"])) == list(range(2011, 2025))
    # one value per variable, region and year
    for t, frame in obs.items():
        assert not frame.duplicated(["variable_id", "raw_key", "period"]).any(), t


def test_reference_dates(obs):
    kita = obs["kita_bedarfsplanung"].set_index("variable_id")["ref_date"].dt.strftime("%m-%d")
    assert set(kita["kita_u3_wohnort"]) == {"03-01"} and set(kita["plaetze_u3"]) == {"08-01"}
    assert set(kita["kita_u3"]) == set(kita["ktp_3_u6_gt7h"]) == {"03-01"}
    hh = obs["haushaltegenerierung"]["ref_date"].dt.strftime("%m-%d")
    assert set(hh) == {"12-31"}
    jc = obs["jobcenter"]["ref_date"].dt.strftime("%m-%d")
    assert set(jc) == {"12-31"}  # Berichtsmonat Dezember


def test_symbols(obs):
    frame = pd.concat(obs.values())
    assert (frame["status"] == "-").sum() >= 2 and (frame["status"] == ".").sum() >= 2
    assert set(frame["status"]) == {"", "-", ".", "()"}
    assert frame.loc[~frame["status"].isin(["", "()"]), "value"].isna().all()
    assert (frame.loc[frame["status"].isin(["", "()"]), "value"] > 0).all()
    # "()": the Kreisjugendamt's § 8a values of 2012, as in the official 22518-01i
    limited = frame[frame["status"] == "()"]
    assert set(limited["variable_id"]) == {"kwg_verfahren"} and set(limited["period"]) == {2012}
    assert set(limited["raw_key"]) == set(GEMEINDEN) - {SIEGEN}


def test_kreis_and_jugendamt_are_sums(obs, values):
    for t, frame in obs.items():
        for var in frame["variable_id"].unique():
            v = frame[frame["variable_id"] == var]
            for year in sorted(set(v["period"])):
                cell = values[var].xs(year, level="period")
                secret_free = cell.reindex(GEMEINDEN).fillna(0)  # a secret cell counts as 0 here
                total = secret_free.sum()
                has_secret = cell.reindex(GEMEINDEN).isna().any()
                if KREIS in cell.index and not np.isnan(cell[KREIS]):
                    if var in NOT_ADDITIVE:
                        assert cell[KREIS] < total, (var, year)
                    elif not has_secret:
                        assert cell[KREIS] == pytest.approx(total), (t, var, year)
                if JH_SIEGEN in cell.index:
                    assert cell[JH_SIEGEN] == cell[SIEGEN]
                if JH_KREIS in cell.index and not has_secret:
                    assert cell[JH_KREIS] == pytest.approx(total - secret_free[SIEGEN])


@pytest.fixture(scope="module")
def official_values(fig, specs, tmp_path_factory) -> pd.Series:
    """The official demo exports of the same figures, read and mapped: value by (variable,
    key, year) for the variables the local sources deliver per Gemeinde."""
    frames = []
    for p in official.write_all(fig, tmp_path_factory.mktemp("official")):
        res = read_file(p)
        frame, _ = apply_spec(match_spec(specs, res), res)
        frames.append(frame[frame["variable_id"].isin(OFFICIAL_VARIABLES)])
    frame = pd.concat(frames)
    # one value per cell (hze_ambulant, ea_35a, hze_begonnen come from two tables: the same)
    cells = frame.groupby(["variable_id", "raw_key", "period"])["value"]
    assert (cells.nunique(dropna=False) == 1).all()
    return cells.first()


def test_gemeinde_values_sum_to_the_official_values(values, official_values):
    """For every official variable and year: the Gemeinden of a Jugendamt sum exactly to its
    official value, all eleven to the official Kreis value; Siegen = Jugendamt Siegen."""
    members = {JH_SIEGEN: [SIEGEN], JH_KREIS: [g for g in GEMEINDEN if g != SIEGEN],
               KREIS: GEMEINDEN}  # fmt: skip
    checked = 0
    for (var, key, year), v in official_values.items():
        if key not in members:
            continue  # Land, Regierungsbezirk
        local_sum = sum(np.nan_to_num(values[(var, g, year)]) for g in members[key])  # '-' = 0
        assert local_sum == np.nan_to_num(v), (var, key, year)
        checked += 1
    # 21 variables per Jugendamt and Kreis (bg_3plus_kind: Kreis only), § 8a since 2012
    assert checked == (18 * 17 + 3 * 13) * 3 + 17


def test_gemeinde_values_match_local_gemeinde(fig, values):
    octx = local_gemeinde.official_ctx(fig)
    gem = local_gemeinde.kita(octx) | local_gemeinde.youth(octx) | local_gemeinde.sgb2(octx)
    assert set(gem) == set(OFFICIAL_VARIABLES)
    assert local_gemeinde.check(octx, gem) == []
    for var, cells in gem.items():
        for (g, y), v in cells.items():
            assert np.nan_to_num(values[(var, g, y)]) == v, (var, g, y)


def test_gemeinde_parts_do_not_exceed_their_whole(values):
    def v(var, g, y):
        return np.nan_to_num(values.get((var, g, y), np.nan))

    parts = [("kita_u3_gt7h", "kita_u3"), ("kita_3_u6_gt7h", "kita_3_u6"),
             ("kita_kinder_ndfs", "kita_kinder_insg"), ("ktp_u3_gt7h", "ktp_u3_ohne_kita"),
             ("ktp_3_u6_gt7h", "ktp_3_u6_ohne_kita"), ("hze_ambulant", "hze_inanspruch_ohne_eb"),
             ("hze_begonnen", "hze_inanspruch_ohne_eb"), ("hze_begonnen_ae", "hze_begonnen")]  # fmt: skip
    for g in GEMEINDEN:
        for y in YEARS:
            for part, whole in parts:
                assert v(part, g, y) <= v(whole, g, y), (part, g, y)
            assert v("kita_u3", g, y) + v("kita_3_u6", g, y) <= v("kita_kinder_insg", g, y)
            assert (v("hze_33", g, y) + v("hze_34", g, y) + v("hze_ambulant", g, y)
                    <= v("hze_inanspruch_ohne_eb", g, y))  # fmt: skip
            assert v("kwg_akut", g, y) + v("kwg_latent", g, y) <= v("kwg_verfahren", g, y)


def test_weighted_survey_counts_have_decimals(obs):
    fb = obs["familienbefragung"]["value"].dropna()
    assert (fb % 1 != 0).mean() > 0.5


# --- plausibility of the indicators the catalogue builds from these variables -------------------


def _age(fig, key, year):
    return fig[key].age[max(min(year, 2024), 2008)].sum(axis=0)


def _ratio(values, num, den, key, year, factor=100.0):
    """num / den in percent; NaN where the denominator is not delivered for that region."""
    den_value = values.get((den, key, year), np.nan)
    return factor * values[(num, key, year)] / den_value


@pytest.mark.parametrize(
    ("name", "num", "den", "lo", "hi"),
    [
        ("share_single_person_hh", "hh_1p", "hh_insg", 30, 50),
        ("share_hh_with_children", "hh_mit_kind_u18", "hh_insg", 17, 27),
        ("share_lone_parents_of_families", "hh_alleinerz", "hh_mit_kind_u18", 11, 24),
        ("share_large_families", "hh_3plus_kind", "hh_mit_kind_u18", 9, 16),
        ("share_single_65plus_hh", "hh_single_65plus", "hh_insg", 10, 20),
        ("unmet_childcare_requests", "anm_unversorgt", "anm_insg", 0, 20),
        ("overweight_school_entrants", "esu_bmi_gt_p90", "esu_untersucht_bmi", 7, 15),
        ("obesity_school_entrants", "esu_bmi_gt_p97", "esu_untersucht_bmi", 2.5, 7),
        ("language_deficits", "esu_sprache_auffaellig", "esu_untersucht", 15, 35),
        ("measles_vaccination_rate", "esu_mmr2", "esu_impfdok_vorgelegt", 85, 99),
        ("complete_checkups_u1_u9", "esu_u1_u9_vollst", "esu_uheft_vorgelegt", 80, 95),
        ("kita_attendance_over_2y", "esu_kita_gt2j", "esu_untersucht_mit_angabe", 80, 97),
        ("missed_checkups_rate", "u_unters_versaeumt", "u_unters_faellig", 1, 8),
        ("welcome_visit_rate", "besuche_erfolgt", "geb_lebend_wohnort", 30, 95),
        ("but_take_up_rate", "but_kinder_mit_leistung", "but_kinder_berechtigt", 35, 85),
        ("large_families_sgb2_rate", "bg_3plus_kind", "hh_3plus_kind", 3, 35),
        ("kita_share_non_german_home_language", "kita_kinder_ndfs", "kita_kinder_insg", 8, 40),
        ("hze_lone_parent_share", "hze_begonnen_ae", "hze_begonnen", 10, 85),
        ("working_mothers_share_survey", "fb_muetter_erwerbst", "fb_muetter", 50, 80),
        ("family_poverty_survey", "fb_familien_aequiv_u60", "fb_familien_mit_eink", 10, 25),
        ("families_intending_to_move_away", "fb_wegzugsabsicht", "fb_familien", 5, 15),
        ("satisfaction_neighbourhood_survey", "fb_zufrieden_wohnumfeld", "fb_familien", 65, 90),
        ("reconciliation_difficult", "fb_vereinbarkeit_schwierig", "fb_familien_erwerbst", 25, 55),
        ("parents_time_pressure_survey", "fb_zeitnot", "fb_eltern", 25, 55),
    ],
)
def test_indicator_ranges(values, name, num, den, lo, hi):
    keys = set(values[num].index.get_level_values(0))
    checked = 0
    for key in keys:
        for year in set(values[num].xs(key, level="raw_key").index):
            r = _ratio(values, num, den, key, year)
            if not np.isnan(r):
                assert lo <= r <= hi, (name, key, year, r)
                checked += 1
    assert checked >= 10


def test_population_based_indicators(fig, values):
    for key in [KREIS, *GEMEINDEN]:
        for y in YEARS:
            pop, a = fig[key].pop[y], _age(fig, key, y)
            size = values[("bev_in_hh", key, y)] / values[("hh_insg", key, y)]
            assert 1.8 <= size <= 2.5, (key, y)
            assert 0.97 * pop <= values[("bev_in_hh", key, y)] <= pop
            assert 10 <= 100 * values[("bev_mighint", key, y)] / pop <= 35
            assert 20 <= 100 * values[("bev_mighint_u18", key, y)] / a[:5].sum() <= 50
            assert values[("kinder_u18_in_hh", key, y)] <= a[:5].sum()
            # the Einschulungsjahrgang is about one cohort of the 3-6 group a year before
            cohort = _age(fig, key, y - 1)[1] / 3
            assert 0.88 <= values[("esu_untersucht", key, y)] / cohort <= 1.08, (key, y)
            u3_rate = 100 * (values[("kita_u3_wohnort", key, y)]
                             + np.nan_to_num(values[("ktp_u3_wohnort", key, y)])) / _age(fig, key, y - 1)[0]  # fmt: skip
            assert 5 <= u3_rate <= 40, (key, y)
            assert 1 <= 100 * values[("plaetze_ue3", key, y)] / a[1] <= 110
    kreis_u3 = {y: (values[("kita_u3_wohnort", KREIS, y)] + values[("ktp_u3_wohnort", KREIS, y)])
                / _age(fig, KREIS, y - 1)[0] for y in YEARS}  # fmt: skip
    assert kreis_u3[2008] < 0.12 and 0.28 < kreis_u3[2024] < 0.36  # the U3 expansion


def test_survey_response(values):
    """About 40 % of the 4,000-4,500 families sampled answer (weighted)."""
    for y in (2008, 2014, 2020, 2024):
        assert 1400 <= values[("fb_familien", KREIS, y)] <= 2000, y
