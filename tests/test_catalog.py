"""The catalogue folder: every file loads, checks clean, and agrees with the shared catalogue;
broken files are refused with the file named."""

from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from pydantic import ValidationError

from fis.catalog import (
    HANDLUNGSFELDER,
    LEVELS,
    Catalog,
    Indicator,
    Variable,
    check_catalog,
    evaluate,
    load_catalog,
    official_level,
    to_sql,
)
from fis.errors import CatalogError

ROOT = Path(__file__).resolve().parent.parent
INDICATORS = ROOT / "indicators"
SHARED_CATALOGUE = ROOT.parent / "shared" / "catalogue"

# Migration counts cross the Gemeinde boundary and do not add up to the Kreis.
FLOW_PREFIXES = ("zuz_", "fort_")
# Everything else that does not add up the hierarchy: flows across boundaries that are not
# migrations, medians and means, attributes of an address or a cell, sample estimates.
NOT_ADDITIVE = {
    "umz_innen",  # moves between the Gemeinden of a Kreis are moves inside the Kreis
    "auspendler",  # commuting across the Gemeinde boundary
    "median_alter",
    "miete_m2_inserate",
    "miete_m2_median",
    "bodenrichtwert_wohnen",
    "bodenrichtwert_wohnen_mittel",
    "distanz_gs",
    "anzahl_einrichtungen_1km",
    "pers_aequiv_u60",  # Mikrozensus estimates, delivered per level
    "pers_in_privathh",
}
# Catalogue formulas that use what the grammar lacks (median, mean, sum_a, [zieljahr]) or
# variables the real source does not deliver (andauernd + beendet): our formula instead.
REFORMULATED = {
    "median_age": ("median_alter", None),
    "projected_population_change_pct": ("bev_prog - bev_insg", "bev_insg"),
    "projected_change_under18_pct": ("bev_prog_u18 - bev_u18", "bev_u18"),
    "total_fertility_rate": (
        "5 * (geb_mutter_15_u20 / bev_w_15_u20 + geb_mutter_20_u25 / bev_w_20_u25"
        " + geb_mutter_25_u30 / bev_w_25_u30 + geb_mutter_30_u35 / bev_w_30_u35"
        " + geb_mutter_35_u40 / bev_w_35_u40 + geb_mutter_40_u45 / bev_w_40_u45)",
        None,
    ),
    "asking_rent_per_m2": ("miete_m2_median", None),
    "land_value_residential": ("bodenrichtwert_wohnen_mittel", None),
    "hze_rate": ("hze_inanspruch_ohne_eb", "bev_u21"),
    "hze_ambulant_share": ("hze_ambulant", "hze_inanspruch_ohne_eb"),
}
CORE_COUNT = 163

_ABBREVIATION = re.compile(r"\b(?:z\. B|d\. h|u\. a|bzw|inkl|ca|Nr|Abs|Std|vgl|usw|etc|amtl)\.")
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{4})?")


def _sentences(text: str) -> list[str]:
    """Sentences of a German note; dates (31.12.), ordinals (1. Kind) and abbreviations do not
    end a sentence."""
    plain = _DATE.sub("DATUM", _ABBREVIATION.sub("ABK", text))
    plain = re.sub(r"\d\.(?=\s)", "N", plain)
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ0-9„(])", plain.strip()) if s]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog(INDICATORS)


def _shared_csv(name: str) -> dict[str, dict[str, str]]:
    path = SHARED_CATALOGUE / name
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared catalogue missing at {path} (CI=true requires it)")
        pytest.skip(f"shared catalogue not found at {path}")
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    key = "base_id" if "base_id" in rows[0] else "id"
    return {row[key]: row for row in rows}


# --- the real folder ----------------------------------------------------------------------


def test_real_catalogue_loads_and_checks_clean(cat):
    assert len(cat.indicators) >= 25
    assert len(cat.variables) >= 35
    assert check_catalog(cat) == []


def test_every_formula_names_known_variables(cat):
    for ind in cat.indicators.values():
        for name, offset in ind.variables():
            assert name in cat.variables, (ind.id, name)
            assert offset <= 0


def test_files_sit_where_their_id_and_handlungsfeld_say(cat):
    paths = [p for p in INDICATORS.glob("*/*.yaml") if p.parent.name != "variables"]
    assert len(paths) == len(cat.indicators)
    for path in paths:
        ind = cat.indicators[path.stem]
        assert path.parent.name == HANDLUNGSFELDER[ind.handlungsfeld]


def test_aggregation_follows_the_kind_of_count(cat):
    for var in cat.variables.values():
        additive = not var.id.startswith(FLOW_PREFIXES) and var.id not in NOT_ADDITIVE
        assert var.aggregation == ("sum" if additive else "none"), var.id
    assert NOT_ADDITIVE.issubset(cat.variables)


def test_metadata_is_sensible(cat):
    for ind in cat.indicators.values():
        low, high = ind.range
        assert low < high
        ratio_of_rates = "/" in ind.numerator and "/" in (ind.denominator or "")
        if ind.unit == "%" and low >= 0 and not ratio_of_rates:
            assert high <= 100, ind.id
        if ind.denominator is None and ind.unit == "Personen":
            assert ind.decimals == 0, ind.id  # an absolute count
        assert 1 <= len(_sentences(ind.note)) <= 3, ind.id
        assert len(ind.short) <= 40
        assert list(ind.levels) == sorted(ind.levels, key=LEVELS.index), ind.id
        assert "kreis" in ind.levels, ind.id
        # A level below the official one names the local source that allows it.
        assert bool(ind.local_levels()) == bool(ind.level_note), ind.id


def test_sentence_counter():
    assert len(_sentences("Stichtag 31.12. des Jahres. Zweiter Satz.")) == 2
    assert len(_sentences("Alter beim 1. Kind, z. B. 30 Jahre; BMI über der 90. Perzentile.")) == 1
    assert len(_sentences("Eins. Zwei. Drei. Vier.")) == 4


def test_real_catalogue_is_complete(cat):
    """All 163 core indicators and all base variables of the shared catalogue are here."""
    core, ext = _shared_csv("catalogue.csv"), _shared_csv("catalogue_extensions.csv")
    base = _shared_csv("base_variables.csv")
    assert len(core) == CORE_COUNT
    core_here = {i for i, ind in cat.indicators.items() if not ind.extension}
    ext_here = {i for i, ind in cat.indicators.items() if ind.extension}
    assert core_here == set(core)
    assert ext_here <= set(ext), ext_here - set(ext)
    assert len(cat.indicators) == CORE_COUNT + len(ext_here)
    assert {ind.handlungsfeld for ind in cat.indicators.values()} == set(HANDLUNGSFELDER)
    assert set(base) <= cat.variables.keys(), sorted(set(base) - cat.variables.keys())
    for ind in cat.indicators.values():
        assert "kreis" in ind.levels, ind.id
        assert ind.range[0] < ind.range[1], ind.id
    assert not set(cat.indicators) & cat.variables.keys()


def test_reformulated_formulas_are_explained(cat):
    """Where our formula departs from the catalogue's, the note says what replaced what."""
    core = _shared_csv("catalogue.csv")
    word = re.compile(r"[a-z_][a-z0-9_]*")
    for iid, (numerator, denominator) in REFORMULATED.items():
        ind, row = cat.indicators[iid], core[iid]
        assert (ind.numerator, ind.denominator) == (numerator, denominator), iid
        ours = set(word.findall(numerator + " " + (denominator or "")))
        gone = set(word.findall(row["numerator"] + " " + row["denominator"])) - ours
        assert gone, iid
        assert any(name in ind.note for name in gone), (iid, gone)


def test_every_indicator_computes_in_duckdb(cat):
    """Each formula compiles to SQL that DuckDB runs and that matches the Python value."""
    con = duckdb.connect(":memory:")
    for ind in cat.indicators.values():
        keys = sorted(ind.variables())
        # Plausible magnitudes: populations in thousands, flows in tens.
        values = {
            k: (1000.0 + 37 * i if k[0].startswith("bev") else 40.0 + i) for i, k in enumerate(keys)
        }

        def ref(name: str, offset: int) -> str:
            return f"{name}_{-offset}"

        row = ", ".join(f"CAST({values[k]!r} AS DOUBLE)" for k in keys)
        cols = ", ".join(ref(*k) for k in keys)
        num = to_sql(ind.numerator_expr, ref)
        sql = num if ind.denominator is None else f"{num} / {to_sql(ind.denominator_expr, ref)}"
        got = con.execute(
            f"SELECT {ind.factor!r} * {sql} FROM (VALUES ({row})) v({cols})"
        ).fetchall()

        def lookup(name: str, offset: int, values=values) -> float:
            return values[(name, offset)]

        expected = evaluate(ind.numerator_expr, lookup)
        if ind.denominator is not None:
            expected /= evaluate(ind.denominator_expr, lookup)
        assert got[0][0] == pytest.approx(ind.factor * expected), ind.id
    con.close()


# --- agreement with the shared catalogue --------------------------------------------------


@pytest.mark.reference
def test_indicators_copy_the_catalogue_exactly(cat):
    core, ext = _shared_csv("catalogue.csv"), _shared_csv("catalogue_extensions.csv")
    avail = _shared_csv("availability_nrw.csv")
    for ind in cat.indicators.values():
        row = core.get(ind.id) or ext.get(ind.id)
        assert row is not None, f"{ind.id} is not a catalogue id"
        assert ind.name == row["name_de"]
        assert ind.handlungsfeld == row["handlungsfeld"]
        assert ind.definition == row["definition_de"]
        assert ind.extension == (ind.id in ext and ind.id not in core)
        if ind.id not in REFORMULATED:
            assert ind.numerator == row["numerator"], ind.id
            assert (ind.denominator or "") == row["denominator"], ind.id
        assert ind.factor == float(row["factor"])
        assert ind.unit == row["unit"]
        assert ind.polarity == row["polarity"]
        assert ind.update_cycle == row["update_cycle"]
        assert ind.reference == row["reference"]
        assert list(ind.sources) == [s.strip() for s in row["typical_source"].split(";")]
        assert ind.lowest_level == avail[ind.id]["official_lowest_level_nrw"]
        assert ind.lowest_level_local == avail[ind.id]["lowest_level_with_local_data"]


@pytest.mark.reference
def test_variables_copy_base_variables_where_they_exist(cat):
    base = _shared_csv("base_variables.csv")
    for var in cat.variables.values():
        row = base.get(var.id)
        if row is None:
            assert "Nicht in base_variables.csv" in var.note, var.id
            continue
        assert var.name == row["name_de"], var.id
        assert var.unit == row["unit"], var.id
        assert var.source_table == row["source_table"], var.id
        assert var.stichtag == row["stichtag"], var.id
        assert var.lowest_level == row["official_lowest_level_nrw"], var.id


# --- broken folders -----------------------------------------------------------------------

VARIABLES_YAML = """\
variables:
  - id: bev_insg
    name: Einwohner insgesamt
    unit: Personen
    aggregation: sum
    stichtag: "31.12."
    source_table: Regionalstatistik 12411-01-01-5
    lowest_level: Gemeinde
  - id: bev_u3
    name: Einwohner unter 3 Jahre
    unit: Personen
    aggregation: sum
    stichtag: "31.12."
    source_table: Regionalstatistik 12411-02-03-5
    lowest_level: Gemeinde
"""

INDICATOR_YAML = """\
id: share_under3
name: Anteil Kinder unter 3 Jahren
short: unter 3-Jährige
handlungsfeld: Bevölkerung & Demografie
definition: Anteil der unter 3-Jährigen an der Gesamtbevölkerung.
numerator: bev_u3
denominator: bev_insg
factor: 100
unit: "%"
decimals: 1
polarity: neutral
range: [0, 10]
sources: [Regionalstatistik 12411-02-03-5]
lowest_level: Gemeinde
lowest_level_local: Sozialraum
levels: [gemeinde, kreis, land, staat]
update_cycle: jährlich
reference_date: "31.12."
note: Zeigt das Gewicht der jüngsten Kinder.
reference: regionalstatistik.de
"""


LEVELS_LINE = "levels: [gemeinde, kreis, land, staat]\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A minimal valid catalogue: two variables, one indicator."""
    (tmp_path / "variables").mkdir()
    (tmp_path / "variables" / "bevoelkerung.yaml").write_text(VARIABLES_YAML, encoding="utf-8")
    (tmp_path / "bevoelkerung").mkdir()
    (tmp_path / "bevoelkerung" / "share_under3.yaml").write_text(INDICATOR_YAML, encoding="utf-8")
    return tmp_path


def _indicator(folder: Path) -> Path:
    return folder / "bevoelkerung" / "share_under3.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _refused(folder: Path, *says: str) -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(folder)
    message = str(info.value)
    for part in says:
        assert part in message
    return message


def test_minimal_folder_loads(folder):
    cat = load_catalog(folder)
    assert set(cat.indicators) == {"share_under3"}
    ind = cat.indicators["share_under3"]
    assert ind.range == (0.0, 10.0)
    assert ind.levels == ("gemeinde", "kreis", "land", "staat")
    assert (ind.level_note, ind.extension) == ("", False)
    assert check_catalog(cat) == []


def test_extension_flag_loads(folder):
    _edit(_indicator(folder), "note:", "extension: true\nnote:")
    assert load_catalog(folder).indicators["share_under3"].extension is True


def test_yaml_syntax_error_names_file_and_line(folder):
    _edit(_indicator(folder), "range: [0, 10]", "range: [0, 10")
    _refused(folder, str(_indicator(folder)), "YAML syntax error")


def test_unknown_key_names_file(folder):
    _edit(_indicator(folder), "note:", "colour: blue\nnote:")
    _refused(folder, str(_indicator(folder)), "unknown key 'colour'")


def test_unknown_key_in_a_variable_names_file(folder):
    path = folder / "variables" / "bevoelkerung.yaml"
    _edit(path, "    lowest_level: Gemeinde\n  - id: bev_u3", "    level: Gemeinde\n  - id: bev_u3")
    _refused(folder, str(path), "unknown key 'level'", "missing key 'lowest_level'")


def test_key_given_twice_in_one_mapping(folder):
    _edit(_indicator(folder), "decimals: 1", "decimals: 1\ndecimals: 2")
    _refused(folder, str(_indicator(folder)), "duplicate key 'decimals'")


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("decimals: 1", 'decimals: "1"', "decimals"),
        ("decimals: 1", "decimals: 4", "decimals"),
        ("factor: 100", "factor: hundert", "factor"),
        ("range: [0, 10]", "range: [10, 0]", "min < max"),
        ("range: [0, 10]", "range: [0, 5, 10]", "range"),
        ("sources: [Regionalstatistik 12411-02-03-5]", "sources: Regionalstatistik", "sources"),
        ("polarity: neutral", "polarity: good", "polarity"),
        ("short: unter 3-Jährige", "short: " + "x" * 41, "short"),
        ("handlungsfeld: Bevölkerung & Demografie", "handlungsfeld: Demografie", "Handlungsfeld"),
        ('unit: "%"\n', "", "missing key 'unit'"),
        ("range: [0, 10]\n", "", "missing key 'range'"),
        (LEVELS_LINE, "levels: [gemeinde, land]\n", "must include 'kreis'"),
        (LEVELS_LINE, "levels: [kreis, gemeinde]\n", "order"),
        (LEVELS_LINE, "levels: [gemeinde, kreis, kreis]\n", "twice"),
        (LEVELS_LINE, "levels: [gemeinde, bezirk, kreis]\n", "levels"),
        (LEVELS_LINE, "levels: kreis\n", "levels"),
        (LEVELS_LINE, "levels: []\n", "levels"),
        (LEVELS_LINE, "", "missing key 'levels'"),
        ("note:", "extension: ja\nnote:", "extension"),
        ("note:", "level_note: [Kita]\nnote:", "level_note"),
    ],
)
def test_wrong_type_or_value_names_file(folder, old, new, says):
    _edit(_indicator(folder), old, new)
    _refused(folder, str(_indicator(folder)), says)


def test_duplicate_variable_id_names_both_files(folder):
    first = folder / "variables" / "bevoelkerung.yaml"
    second = folder / "variables" / "zensus.yaml"
    shutil.copy(first, second)
    _refused(folder, str(first), str(second), "duplicate variable id 'bev_insg'")


def test_duplicate_indicator_id_names_both_files(folder):
    first = _indicator(folder)
    second = folder / "bevoelkerung" / "share_under3_copy.yaml"
    shutil.copy(first, second)
    _refused(folder, str(first), str(second), "duplicate indicator id 'share_under3'")


@pytest.mark.parametrize(
    "formula", ["bev_u3 +", "median(bev_u3)", "bev_u3[zieljahr]", "'1; DROP TABLE x'"]
)
def test_unparsable_formula_names_file(folder, formula):
    _edit(_indicator(folder), "numerator: bev_u3", f"numerator: {formula}")
    _refused(folder, str(_indicator(folder)), "numerator", "position")


def test_unknown_variable_names_file(folder):
    _edit(_indicator(folder), "numerator: bev_u3", "numerator: bev_u3 + bev_3_u6")
    _refused(folder, str(_indicator(folder)), "unknown variable", "bev_3_u6")


def test_file_name_must_be_the_id(folder):
    _indicator(folder).rename(folder / "bevoelkerung" / "u3.yaml")
    _refused(folder, "u3.yaml", "file name must be the indicator id")


def test_indicator_must_sit_in_its_handlungsfeld_folder(folder):
    (folder / "wanderung").mkdir()
    _indicator(folder).rename(folder / "wanderung" / "share_under3.yaml")
    _refused(folder, "belongs in folder bevoelkerung/")


def test_unknown_folder_is_refused(folder):
    (folder / "demografie").mkdir()
    _refused(folder, "unknown Handlungsfeld folder")


def test_variables_file_needs_the_variables_key(folder):
    (folder / "variables" / "extra.yaml").write_text("- id: x\n", encoding="utf-8")
    _refused(folder, "extra.yaml", "'variables'")


def test_empty_indicator_file(folder):
    _indicator(folder).write_text("", encoding="utf-8")
    _refused(folder, str(_indicator(folder)), "expected a mapping")


# --- check_catalog on catalogues built in code --------------------------------------------


def test_check_catalog_reports_unknown_variables_and_misfiled_ids(folder):
    good = load_catalog(folder)
    ind = good.indicators["share_under3"]
    broken = Catalog(
        variables={"bev_insg": good.variables["bev_insg"], "other": good.variables["bev_u3"]},
        indicators={"share_under3": ind, "elsewhere": ind},
    )
    faults = check_catalog(broken)
    assert "indicator 'share_under3': formula names unknown variable 'bev_u3'" in faults
    assert "variable 'bev_u3' is filed under id 'other'" in faults
    assert "indicator 'share_under3' is filed under id 'elsewhere'" in faults


def test_check_catalog_reports_share_range_beyond_100(folder):
    good = load_catalog(folder)
    wide = good.indicators["share_under3"].model_copy(update={"range": (0.0, 150.0)})
    faults = check_catalog(Catalog(variables=good.variables, indicators={"share_under3": wide}))
    assert faults == [
        "indicator 'share_under3': a share cannot exceed 100 %, range is [0.0, 150.0]"
    ]


def test_check_catalog_wants_the_source_of_a_level_below_the_official_one(folder):
    # A Kreis-only statistic reported for Gemeinden needs the local source that allows it.
    _edit(_indicator(folder), "lowest_level: Gemeinde", "lowest_level: Kreis")
    faults = check_catalog(load_catalog(folder))
    assert faults == [
        "indicator 'share_under3': levels ['gemeinde'] lie below the official level (Kreis); "
        "level_note must name the local source"
    ]
    _edit(_indicator(folder), "note:", "level_note: Gemeindewerte aus dem Melderegister.\nnote:")
    assert check_catalog(load_catalog(folder)) == []


def test_check_catalog_refuses_a_level_note_without_a_local_level(folder):
    _edit(_indicator(folder), "note:", "level_note: Gemeindewerte aus dem Melderegister.\nnote:")
    assert check_catalog(load_catalog(folder)) == [
        "indicator 'share_under3': level_note given, but no level lies below the official "
        "level (Gemeinde)"
    ]


def test_check_catalog_without_official_source_wants_a_level_note(folder):
    _edit(_indicator(folder), "lowest_level: Gemeinde", "lowest_level: keine amtliche Quelle")
    _edit(_indicator(folder), LEVELS_LINE, "levels: [gemeinde, kreis]\n")
    (fault,) = check_catalog(load_catalog(folder))
    assert "levels ['gemeinde', 'kreis'] lie below the official level" in fault


def test_check_catalog_reports_an_unknown_official_level(folder):
    _edit(_indicator(folder), "lowest_level: Gemeinde", "lowest_level: Ortsteil")
    assert check_catalog(load_catalog(folder)) == [
        "indicator 'share_under3': lowest_level: official level not understood: 'Ortsteil'"
    ]


def test_check_catalog_reports_levels_without_the_kreis_and_shared_ids(folder):
    good = load_catalog(folder)
    ind = good.indicators["share_under3"]
    # model_copy skips validation: check_catalog is the second line of defence.
    no_kreis = ind.model_copy(update={"levels": ("gemeinde", "land")})
    faults = check_catalog(Catalog(variables=good.variables, indicators={ind.id: no_kreis}))
    assert "indicator 'share_under3': levels must include 'kreis', got ['gemeinde', 'land']" in (
        faults
    )
    clash = ind.model_copy(update={"id": "bev_u3"})
    faults = check_catalog(Catalog(variables=good.variables, indicators={"bev_u3": clash}))
    assert faults == ["indicator 'bev_u3': id is also a variable id"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Gemeinde", "gemeinde"),
        ("Gemeinde (nur Zensus)", "gemeinde"),
        ("Jugendamtsbezirk", "jugendamt"),
        ("Kreis", "kreis"),
        ("Kreis (Gesundheitsamt)", "kreis"),
        ("keine amtliche Quelle", None),
        ("—", None),
    ],
)
def test_official_level_reads_the_availability_texts(text, level):
    assert official_level(text) == level


def test_local_levels_of_the_real_catalogue(cat):
    """Spot checks of the levels the Kreis's local data add (the issue's three examples)."""
    kita = cat.indicators["childcare_rate_under3"]
    assert kita.levels == ("gemeinde", "jugendamt", "kreis", "land")
    assert kita.local_levels() == ("gemeinde",) and "Kita-Bedarfsplanung" in kita.level_note
    esu = cat.indicators["overweight_school_entrants"]
    assert esu.levels == ("gemeinde", "kreis") and "Schuleingangsuntersuchung" in esu.level_note
    hze = cat.indicators["hze_rate"]
    assert hze.local_levels() == ("gemeinde",) and "Kreisjugendamt" in hze.level_note
    assert cat.indicators["share_under18"].local_levels() == ()
    assert cat.indicators["care_dependent_per_1000_65plus"].levels == ("kreis", "land", "staat")


# --- models -------------------------------------------------------------------------------


def test_models_are_frozen_and_strict(folder):
    cat = load_catalog(folder)
    var = cat.variables["bev_insg"]
    with pytest.raises(ValidationError):
        var.unit = "Fälle"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Variable(**{**var.model_dump(), "colour": "blue"})
    with pytest.raises(ValidationError):
        Variable(**{**var.model_dump(), "id": "Bev-Insg"})
    with pytest.raises(ValidationError):
        Variable(**{**var.model_dump(), "aggregation": "mean"})
    ind = cat.indicators["share_under3"]
    with pytest.raises(ValidationError, match="position"):
        Indicator(**{**ind.model_dump(), "denominator": "bev_insg[t+1]"})
    assert hash(ind) == hash(Indicator(**ind.model_dump()))
