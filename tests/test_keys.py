"""Region-key normalisation: rules on a small register, and the counts on the real exports."""

from __future__ import annotations

import pandas as pd
import pytest

from fis.errors import FisError
from fis.keys import KeyIndex, ars_to_ags, normalise_key, normalise_keys
from fis.readers import ffcsv, genesis_csv, gv100ad

REGISTER = pd.DataFrame(
    [
        ("DG", "staat", False),
        ("05", "land", False),
        ("059", "regbez", False),
        ("05970", "kreis", False),
        ("05111", "kreis", True),
        ("11000", "kreis", True),
        ("02000", "kreis", True),
        ("07131", "kreis", False),
        ("03151", "kreis", False),
        ("16061", "kreis", False),
        ("05970040", "gemeinde", False),
        ("07131001", "gemeinde", False),
        ("07131007", "gemeinde", False),
        ("03151002", "gemeinde", False),
        ("03151501", "gemeindefrei", False),
        ("059700040", "verband", False),
        ("071315001", "verband", False),
        ("031515401", "verband", False),
        ("160615009", "verband", False),
    ],
    columns=["region_key", "level", "kreisfrei"],
)


@pytest.fixture(scope="module")
def ix():
    return KeyIndex.from_register(REGISTER)


@pytest.mark.parametrize(
    "raw, key, level, known",
    [
        ("DG", "DG", "staat", True),
        ("05", "05", "land", True),
        ("06", "06", "land", False),
        ("059", "059", "regbez", True),
        ("05970", "05970", "kreis", True),
        ("05354", "05354", "kreis", False),  # dissolved Kreis Aachen
        ("11000", "11000", "kreis", True),
        ("11001", "11001", "bezirk", False),  # Berlin-Mitte
        ("0713101", "071315001", "verband", True),  # Verbandsgemeinde Adenau
        ("0799901", "079995001", "verband", False),  # a former Verbandsgemeinde
        ("05970040", "05970040", "gemeinde", True),
        ("07131001", "07131001", "gemeinde", True),  # Gemeinde Adenau, not the VG
        ("05111000", "05111", "kreis", True),  # kreisfreie Stadt in -B tables
        ("11000000", "11000", "kreis", True),
        ("02000000", "02000", "kreis", True),
        ("11001001", "11001", "bezirk", False),
        ("03151401", "031515401", "verband", True),  # Samtgemeinde Boldecker Land
        ("03152401", "031525401", "verband", False),  # dissolved Samtgemeinde Dransfeld
        ("16061009", "16061009", "gemeinde", False),  # dissolved Gemeinde, not VG 160615009
        ("03151501", "03151501", "gemeinde", True),  # gemeindefreies Gebiet
        ("059700040", "059700040", "verband", True),
        ("0713100007", "07131007", "gemeinde", True),
        ("03151401002", "03151002", "gemeinde", True),
        ("059700040040", "05970040", "gemeinde", True),  # Zensus ARS
        ("051110000000", "05111", "kreis", True),
        ("JH05970040", "JH05970040", "jugendamt", True),
        (" 05970 ", "05970", "kreis", True),
    ],
)
def test_rules_with_register(ix, raw, key, level, known):
    assert normalise_key(raw, ix) == (key, level, known)


@pytest.mark.parametrize(
    "raw, key, level",
    [
        ("DG", "DG", "staat"),
        ("05970", "05970", "kreis"),
        ("11003", "11003", "bezirk"),
        ("05970040", "05970040", "gemeinde"),
        ("11001001", "11001", "bezirk"),
        ("11000000", "11000", "kreis"),
        ("03152401", "031525401", "verband"),
        ("0713101", "071315001", "verband"),
        ("0713100007", "07131007", "gemeinde"),
        ("JH05970999", "JH05970999", "jugendamt"),
    ],
)
def test_pattern_rules_without_register(raw, key, level):
    k, lvl, known = normalise_key(raw, None)
    assert (k, lvl) == (key, level)
    assert known == (level in ("staat", "jugendamt"))


@pytest.mark.parametrize("raw", ["ABC", "1", "1234", "123456", "0597004004004", "", "JH", "R0811"])
def test_unknown_forms_raise(raw):
    with pytest.raises(FisError, match="unknown region key"):
        normalise_key(raw, None)


def test_vectorised_alignment_and_types(ix):
    raw = pd.Series(["05970040", "0713101", "05970040", "DG"], index=[10, 20, 30, 40])
    out = normalise_keys(raw, ix)
    assert list(out.index) == [10, 20, 30, 40]
    assert list(out.columns) == ["region_key", "level", "known"]
    assert list(out.region_key) == ["05970040", "071315001", "05970040", "DG"]
    assert out.known.dtype == bool and out.region_key.dtype == "category"
    assert normalise_keys(pd.Series([], dtype="str"), ix).empty
    with pytest.raises(FisError, match="'X1'"):
        normalise_keys(pd.Series(["05", "X1"]), ix)


def test_ars_to_ags():
    s = pd.Series(["059700040040", "05970", "DG", "110000000000"])
    assert list(ars_to_ags(s)) == ["05970040", "05970", "DG", "11000000"]


def test_verband_alt_only_where_exports_use_it(ix):
    # 8-digit forms only for Niedersachsen's Samtgemeinden (54xx); 7-digit forms for 50xx codes
    assert ix.verband_alt == {
        "0713101": "071315001",
        "03151401": "031515401",
        "1606109": "160615009",
    }


# --- the real exports ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_ix(real):
    return KeyIndex.from_register(gv100ad.read_register(real("destatis_GV100AD_301121.ASC")))


def rows_of(result):
    """One row per data line (the raw key once per line), with the normalised key."""
    rows = result.frame.drop_duplicates("line")[["region_key", "region_name", "line"]]
    rows = rows.reset_index(drop=True)
    return rows, rows.region_key


@pytest.mark.reference
def test_real_index_sizes(real_ix):
    assert (len(real_ix.gemeinden), len(real_ix.kreise), len(real_ix.kreisfrei)) == (
        10891,
        400,
        106,
    )
    assert len(real_ix.verbaende) == 4606
    assert not set(real_ix.verband_alt) & real_ix.gemeinden


@pytest.mark.reference
def test_regionalstatistik_2017(real, real_ix):
    rows, raw = rows_of(genesis_csv.read(real("regionalstatistik_12411-01-01-5.csv")))
    n = normalise_keys(raw, real_ix)
    by_raw = dict(zip(raw, zip(n.region_key, n.level, n.known, strict=True), strict=True))
    assert by_raw["05970040"] == ("05970040", "gemeinde", True)
    assert by_raw["0713100007"] == ("07131007", "gemeinde", True)
    assert by_raw["0713101"] == ("071315001", "verband", True)
    assert by_raw["03151401"] == ("031515401", "verband", True)
    assert by_raw["03151401002"] == ("03151002", "gemeinde", True)
    assert by_raw["11001"] == ("11001", "bezirk", False)
    # no Samtgemeinde (8-digit export key) ends up as a Gemeinde
    samt = rows.region_name.str.contains("Samtgemeinde")
    assert samt.sum() == 153
    assert set(n.level[samt]) == {"verband"}
    assert not (raw.str.len().eq(8) & n.level.eq("gemeinde") & samt).any()
    gem = n[n.level == "gemeinde"]
    unknown = gem[~gem.known]
    assert len(unknown) == 2499 and unknown.region_key.nunique() == 2495  # README: ~2,500
    twice = gem.region_key.value_counts()
    assert (twice > 1).sum() == 454  # README: ~450 AGS occur twice after normalising
    assert 2400 <= len(unknown) <= 2600 and 430 <= (twice > 1).sum() <= 480
    assert n.level.value_counts().to_dict() == {
        "gemeinde": 13629,
        "verband": 329,
        "kreis": 471,
        "regbez": 35,
        "land": 16,
        "bezirk": 12,
        "staat": 1,
    }


@pytest.mark.reference
def test_births_b_table(real, real_ix):
    rows, raw = rows_of(genesis_csv.read(real("regionalstatistik_12612-01-01-5-B.csv")))
    n = normalise_keys(raw, real_ix)
    by_raw = dict(zip(raw, n.region_key, strict=True))
    assert by_raw["01001000"] == "01001"
    assert by_raw["11000000"] == "11000"
    assert by_raw["05970040"] == "05970040"
    kreise = n[raw.str.len().eq(8) & n.level.eq("kreis")]
    # xxxxx000 is always a Kreis: the 106 kreisfreie Städte of the register, plus former
    # kreisfreie Städte and Landkreise (Aachen 05313, Sachsen's Annaberg 14171, ...)
    assert len(kreise) == 165 and kreise.known.sum() == 106
    assert by_raw["05313000"] == "05313" and by_raw["14171000"] == "14171"


@pytest.mark.reference
def test_flat_files_and_ldb(real, real_ix):
    _, raw = rows_of(ffcsv.read(real("zensus2022_1000A-0000_de_flat.csv")))
    n = normalise_keys(raw, real_ix)
    assert n.known.all()
    assert n.level.value_counts().to_dict() == {"gemeinde": 10680, "kreis": 106, "staat": 1}

    flat = ffcsv.read(real("regionalstatistik_12411-01-01-4_de_flat.csv")).frame
    n = normalise_keys(flat.region_key, real_ix)
    assert set(n.region_key[flat.region_key == "11001001"]) == {"11001"}
    bezirke = flat.region_key.str.fullmatch(r"110\d{5}")
    assert bezirke.sum() == 36 and set(n.level[bezirke]) == {"bezirk"}
    assert set(n.level[flat.region_key == "03241001"]) == {"gemeinde"}  # Hannover, in Region

    _, raw = rows_of(genesis_csv.read(real("ldbnrw_22517-02i_2024.csv")))
    n = normalise_keys(raw, real_ix)
    assert n.level.value_counts().to_dict() == {
        "jugendamt": 171,
        "kreis": 55,
        "regbez": 5,
        "land": 1,
    }
    assert set(n.region_key[~n.known]) == {"05313", "05354"}  # dissolved Aachen units
