"""GV100AD register reader: the real Gemeindeverzeichnis 30.11.2021 and a synthetic mini file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fis.readers import gv100ad
from fis.readers.base import LONG_COLUMNS
from fis.readers.sniff import detect, read_file

GV = "destatis_GV100AD_301121.ASC"

SIEGEN_WITTGENSTEIN = {
    "05970004": "Bad Berleburg, Stadt",
    "05970008": "Burbach",
    "05970012": "Erndtebrück",
    "05970016": "Freudenberg, Stadt",
    "05970020": "Hilchenbach, Stadt",
    "05970024": "Kreuztal, Stadt",
    "05970028": "Bad Laasphe, Stadt",
    "05970032": "Netphen, Stadt",
    "05970036": "Neunkirchen",
    "05970040": "Siegen, Universitätsstadt",
    "05970044": "Wilnsdorf",
}


@pytest.fixture(scope="module")
def reg(real):
    return gv100ad.read_register(real(GV)).set_index("region_key", drop=False)


@pytest.mark.reference
class TestRealRegister:
    def test_columns_and_types(self, reg):
        assert list(reg.columns) == gv100ad.REGISTER_COLUMNS
        assert reg["area_km2"].dtype == np.float64
        assert reg["population"].dtype == "Int64"
        assert reg["kreisfrei"].dtype == bool
        assert reg.region_key.is_unique
        assert all(isinstance(k, str) for k in reg.region_key)
        assert set(reg.gebietsstand) == {"2021-11-30"}

    def test_counts(self, reg):
        counts = reg.level.value_counts().to_dict()
        assert counts == {
            "staat": 1,
            "land": 16,
            "regbez": 29,
            "region": 12,
            "kreis": 400,
            "verband": 4606,
            "gemeinde": 10681,
            "gemeindefrei": 210,
        }
        # 10,997 Satzart-60 records minus the 106 kreisfreie Städte (incl. Berlin, Hamburg)
        assert counts["gemeinde"] + counts["gemeindefrei"] == 10997 - 106
        assert reg.kreisfrei.sum() == 106
        assert reg[reg.level == "kreis"].textkennzeichen.value_counts().to_dict() == {
            "44": 251,
            "41": 97,
            "43": 42,
            "42": 9,
            "45": 1,
        }

    def test_germany(self, reg):
        dg = reg.loc["DG"]
        assert (dg["name"], dg["level"], dg["parent_key"]) == ("Deutschland", "staat", None)
        assert dg.population == 83155031  # Bevölkerung 31.12.2020
        assert dg.area_km2 == pytest.approx(357587.34)
        laender = reg[reg.level == "land"]
        assert laender.population.sum() == dg.population
        assert set(laender.parent_key) == {"DG"}
        assert reg[reg.level == "kreis"].population.sum() == dg.population
        assert reg.loc["05"].population == 17925570

    def test_siegen_wittgenstein(self, reg):
        k = reg.loc["05970"]
        assert (k["name"], k.level, k.parent_key, k.kreisfrei) == (
            "Siegen-Wittgenstein",
            "kreis",
            "059",
            False,
        )
        assert k.population == 275491
        assert k.area_km2 == pytest.approx(1132.89)
        gem = reg[(reg.parent_key == "05970") & (reg.level == "gemeinde")]
        assert dict(zip(gem.region_key, gem["name"], strict=True)) == SIEGEN_WITTGENSTEIN
        assert gem.population.sum() == k.population
        s = reg.loc["05970040"]
        assert s.area_km2 == pytest.approx(114.69)
        assert s.population == 101943
        assert (s.verband_key, s.textkennzeichen, s.satzart) == ("059700040", "63", "60")
        assert reg.loc["059700040"].level == "verband"  # NRW: every Gemeinde is its own Verband

    def test_kreisfreie_staedte_are_kreis_rows(self, reg):
        for kreis, pop in (("05111", 620523), ("11000", 3664088), ("02000", 1852478)):
            assert kreis + "000" not in reg.index
            assert reg.loc[kreis].kreisfrei and reg.loc[kreis].population == pop
        assert reg.loc["11000"].parent_key == "11"
        assert reg.loc["05111"].parent_key == "051"
        assert reg.loc["08111"].textkennzeichen == "42"  # Stadtkreis Stuttgart

    def test_samtgemeinden_are_not_gemeinden(self, reg):
        assert "03151401" not in reg.index  # export form of Samtgemeinde Boldecker Land
        sg = reg.loc["031515401"]
        assert (sg["name"], sg.level, sg.textkennzeichen) == ("Boldecker Land", "verband", "52")
        gem = reg[reg.level == "gemeinde"]
        assert gem.region_key.str.fullmatch(r"\d{8}").all()
        assert not gem.region_key.str.match(r"03\d{3}4").any()

    def test_regionen_and_gemeindefrei(self, reg):
        r = reg.loc["R0811"]
        assert (r["name"], r.level, r.parent_key) == ("Region Stuttgart", "region", "081")
        kreise = reg[(reg.level == "kreis") & reg.region_key.str.startswith("0811")]
        assert r.population == kreise.population.sum() == 2787858
        assert reg.loc["08115"].parent_key == "081"  # Regionen are not in the Kreis hierarchy
        g = reg.loc["03151501"]
        assert (g["name"], g.level, g.textkennzeichen) == (
            "Giebel, gemfr. Gebiet",
            "gemeindefrei",
            "66",
        )
        # two pseudo-Gemeinden have no Kreis record: their parent is the Land
        assert reg.loc["07000999"].parent_key == "07"
        assert reg.loc["13000999"].level == "gemeindefrei"

    def test_long_form(self, real):
        p = real(GV)
        assert detect(p) == "gv100ad"
        r = read_file(p)
        assert (r.format, r.table_code, r.stand) == ("gv100ad", "GV100AD", "2021-11-30")
        assert r.title == "Gemeindeverzeichnis GV100AD"
        f = r.frame
        assert list(f.columns) == LONG_COLUMNS
        # figures only where the file gives them: 10,997 Gemeinde records (the 106 of the
        # kreisfreie Städte under their Kreis key), no derived sums for Kreise, Länder, DG
        assert len(f) == 3 * 10997
        assert set(f.label) == {"Fläche (ha)", "Bevölkerung", "Bevölkerung männlich"}
        assert set(f.period) == {"2021-11-30"} and set(f.status) == {""}
        s = f[f.region_key == "05970040"].set_index("label")
        assert s.loc["Fläche (ha)", "value"] == 11469
        assert s.loc["Bevölkerung", "value"] == 101943
        assert s.loc["Bevölkerung männlich", "value"] == 50047
        assert set(s.line) == {3549}
        assert "05970" not in set(f.region_key) and "DG" not in set(f.region_key)
        kiel = f[f.region_key == "01002"].set_index("label")
        assert kiel.loc["Bevölkerung", "value"] == 246601


# --- synthetic mini register ----------------------------------------------------------------


def record(satzart, key, name, tk="", verband="", area=None, pop=None, male=None):
    """One 220-character GV100AD record (positions are 1-based characters)."""
    chars = [" "] * 220

    def put(pos, text):
        chars[pos - 1 : pos - 1 + len(text)] = list(text)

    put(1, satzart)
    put(3, "20211130")
    put(11, key)
    put(19, verband)
    put(23, name)
    put(123, tk)
    if area is not None:
        put(129, f"{area:011d}")
        put(140, f"{pop:011d}")
        put(151, f"{male:011d}")
    return "".join(chars)


MINI = [
    record("10", "08", "Baden-Württemberg"),
    record("20", "081", "Reg.-Bez. Stuttgart"),
    record("30", "0811", "Region Stuttgart"),
    record("40", "08111", "Stuttgart, Stadtkreis", "42"),
    record("50", "08111", "Stuttgart, Stadt", "50", "0000"),
    record("60", "08111000", "Stuttgart, Landeshauptstadt", "62", "0000", 20739, 630305, 314000),
    record("40", "08115", "Böblingen", "44"),
    record("50", "08115", "Aidlingen", "50", "0003"),
    record("50", "08115", "Verwaltungsverband Öschelbronn", "56", "5001"),
    record("60", "08115003", "Aidlingen", "64", "0003", 2656, 9200, 4600),
    record("60", "08115004", "Altdorf", "64", "5001", 1000, 4500, 2200),
    record("60", "08115005", "Übersee, gemfr. Gebiet", "66", "5001", 300, 0, 0),
    record("10", "11", "Berlin"),
    record("40", "11000", "Berlin, Stadt", "41"),
    record("60", "11000000", "Berlin, Stadt", "61", "0000", 89112, 3664088, 1800000),
]


@pytest.fixture
def mini(tmp_path):
    p = tmp_path / "GV100AD_mini.ASC"
    p.write_bytes(("\r\n".join(MINI) + "\r\n").encode("utf-8"))
    return p


def test_mini_register(mini):
    assert detect(mini) == "gv100ad"
    reg = gv100ad.read_register(mini).set_index("region_key", drop=False)
    assert list(reg.index) == [
        "DG",
        "08",
        "081",
        "R0811",
        "08111",
        "081110000",
        "08115",
        "081150003",
        "081155001",
        "08115003",
        "08115004",
        "08115005",
        "11",
        "11000",
    ]
    assert reg.loc["DG"].population == 630305 + 9200 + 4500 + 3664088
    assert reg.loc["08"].area_km2 == pytest.approx((20739 + 2656 + 1000 + 300) / 100)
    assert reg.loc["R0811"].population == reg.loc["081"].population == 630305 + 9200 + 4500
    assert reg.loc["08111"].kreisfrei and reg.loc["08111"].population == 630305
    assert not reg.loc["08115"].kreisfrei
    assert reg.loc["08115"].parent_key == "081"
    assert reg.loc["11000"].parent_key == "11"  # no Regierungsbezirk in Berlin
    assert reg.loc["081155001"].population == 4500
    assert reg.loc["08115004"].verband_key == "081155001"
    assert reg.loc["08115005"].level == "gemeindefrei"
    assert reg.loc["08115004"].area_km2 == pytest.approx(10.0)  # after an umlaut in a name
    assert reg.loc["081155001"]["name"] == "Verwaltungsverband Öschelbronn"


def test_mini_long_form(mini):
    r = gv100ad.read(mini)
    f = r.frame
    assert len(f) == 5 * 3  # Gemeinden and kreisfreie Städte only
    row = f[(f.region_key == "08115003") & (f.label == "Bevölkerung männlich")].iloc[0]
    assert (row.value, row.line, row.region_name, row.period) == (
        4600,
        10,
        "Aidlingen",
        "2021-11-30",
    )
    assert isinstance(gv100ad.read_register(mini), pd.DataFrame)
