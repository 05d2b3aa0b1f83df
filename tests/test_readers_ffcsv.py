"""GENESIS flat file (ffcsv) reader: the two real flat files and synthetic variants."""

from __future__ import annotations

import math

import numpy as np
import pytest

from fis.readers import ffcsv
from fis.readers.base import LONG_COLUMNS
from fis.readers.sniff import detect, read_file

FLAT_KREISE = "regionalstatistik_12411-01-01-4_de_flat.csv"
ZENSUS = "zensus2022_1000A-0000_de_flat.csv"

HEADER2 = (
    "statistics_code;statistics_label;time_code;time_label;time;"
    "1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;"
    "2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;"
    "value;value_unit;value_variable_code;value_variable_label"
)


def cell(frame, key, label, period=None):
    m = frame[(frame.region_key == key) & (frame.label == label)]
    if period is not None:
        m = m[m.period == period]
    assert len(m) == 1, f"{key} {label!r}: {len(m)} rows"
    return m.iloc[0]


def check(frame, key, label, value, status="", line=None, name=None, period=None):
    row = cell(frame, key, label, period)
    if value is None:
        assert math.isnan(row.value)
    else:
        assert row.value == pytest.approx(value)
    assert row.status == status
    if line is not None:
        assert row.line == line
    if name is not None:
        assert row.region_name == name


@pytest.mark.reference
def test_flat_kreise_2024(real):
    p = real(FLAT_KREISE)
    assert detect(p) == "ffcsv"
    r = read_file(p)
    assert (r.format, r.table_code, r.stand) == ("ffcsv", "12411", None)
    assert r.title == "Fortschreibung des Bevölkerungsstandes"
    assert r.encoding == "utf-8-sig"
    assert r.extra["value_variables"] == {"BEVSTD"}
    f = r.frame
    assert list(f.columns) == LONG_COLUMNS
    assert f["value"].dtype == np.float64 and f["line"].dtype == np.int64
    assert len(f) == 1467
    assert set(f.period) == {"2024-12-31"}
    assert set(f.label) == {
        "Bevölkerungsstand | Insgesamt",
        "Bevölkerungsstand | männlich",
        "Bevölkerungsstand | weiblich",
    }
    assert f.status.value_counts().to_dict() == {"": 1245, "-": 222}
    check(
        f,
        "05970",
        "Bevölkerungsstand | Insgesamt",
        274074,
        line=618,
        name="Siegen-Wittgenstein, Kreis",
    )
    check(f, "05970", "Bevölkerungsstand | männlich", 136549, line=1192)
    check(f, "05970", "Bevölkerungsstand | weiblich", 137525, line=416)
    check(f, "08222", "Bevölkerungsstand | weiblich", 158789, line=2, name="Mannheim, Stadtkreis")
    check(f, "11001001", "Bevölkerungsstand | Insgesamt", 364530, line=560, name="Berlin-Mitte")
    check(f, "05354", "Bevölkerungsstand | Insgesamt", None, "-", line=642, name="Aachen, Kreis")
    check(f, "05354", "Bevölkerungsstand | weiblich", None, "-", line=623)


@pytest.mark.reference
def test_zensus_2022(real):
    p = real(ZENSUS)
    assert detect(p) == "ffcsv"
    r = read_file(p)
    assert (r.table_code, r.title) == ("1000A", "Bevölkerung kompakt (Gebietsstand 15.05.2022)")
    assert r.extra["value_variables"] == {"PRS001", "PRS018"}
    f = r.frame
    assert len(f) == 10787
    assert set(f.label) == {"Personen"}
    assert set(f.period) == {"2022-05-15"}
    assert set(f.status) == {""}
    # 12-digit ARS shown as the 8-digit AGS: ars[:5] + ars[9:12]
    assert set(f.region_key.str.len()) == {2, 8}
    assert f.region_key.is_unique
    check(f, "DG", "Personen", 82719540, line=2, name="Deutschland")
    check(f, "05970040", "Personen", 102275, name="Siegen, Universitätsstadt")
    check(f, "05970024", "Personen", 30609, name="Kreuztal, Stadt")
    check(f, "05970028", "Personen", 13101, line=200, name="Bad Laasphe, Stadt")
    check(f, "06412000", "Personen", 743268, line=54, name="Frankfurt am Main, Stadt")
    check(f, "11000000", "Personen", 3596999, line=5192)
    check(f, "09276130", "Personen", 2294, line=3, name="Lindberg")


def test_value_q_flags_second_region_variable_and_bom(tmp_path):
    stat = "22541;Kinder in Tagesbetreuung"
    age = "ALTX20;Altersgruppen"
    rows = [
        f"{stat};JAHR;Jahr;2023;{age};ALTX20-U3;unter 3 Jahre;KREISE;Kreise;05970;Siegen-Wittgenstein, Kreis;1.234;Anzahl;BEV001;Kinder;p",
        f"{stat};JAHR;Jahr;2023;{age};ALTX20-U3;unter 3 Jahre;GEOGM4;Gemeinden;059700040040;Siegen;12,5;Anzahl;BEV001;Kinder;",
        f"{stat};JAHR;Jahr;2023;{age};;Insgesamt;GEODL1;Deutschland;DG;Deutschland;-;Anzahl;BEV001;Kinder;e",
        f"{stat};JAHR;Jahr;2023;{age};;Insgesamt;KREISE;Kreise;05970;Siegen-Wittgenstein, Kreis;;Prozent;BEV002;Quote;.",
        f"{stat};STAG;Stichtag;31.12.2023;{age};;Insgesamt;KREISE;Kreise;05970;Siegen-Wittgenstein, Kreis;7 r;Anzahl;BEV001;Kinder;",
        f"{stat};JAHR;Jahr;2023;{age};;Insgesamt;KREISE;Kreise;05974;Soest, Kreis;(42);Anzahl;BEV001;Kinder;",
    ]
    p = tmp_path / "flat.csv"
    p.write_bytes(("\ufeff" + HEADER2 + ";value_q\n" + "\n".join(rows) + "\n").encode("utf-8"))
    assert detect(p) == "ffcsv"
    r = ffcsv.read(p)
    assert r.encoding == "utf-8-sig"
    assert (r.table_code, r.title) == ("22541", "Kinder in Tagesbetreuung")
    assert r.extra["value_variables"] == {"BEV001", "BEV002"}
    assert r.extra["region_variable"] == 2
    f = r.frame
    check(f, "05970", "Kinder | unter 3 Jahre", 1234, "p", line=2)
    check(f, "05970040", "Kinder | unter 3 Jahre", 12.5, "", line=3, name="Siegen")
    check(f, "DG", "Kinder | Insgesamt", None, "-", line=4)  # the symbol beats the flag
    check(f, "05970", "Quote | Insgesamt", None, ".", line=5)
    check(f, "05970", "Kinder | Insgesamt", 7, "r", period="2023-12-31")
    check(f, "05974", "Kinder | Insgesamt", 42, "()")


def test_one_variable_year_period(tmp_path):
    header = (
        "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;"
        "1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value;value_unit;"
        "value_variable_code;value_variable_label"
    )
    body = "12612;Geburten;JAHR;Jahr;2015;DLAND;Bundesländer;05;Nordrhein-Westfalen;160468;Anzahl;GEB001;Lebendgeborene\n"
    p = tmp_path / "f.csv"
    p.write_text(header + "\n" + body, encoding="utf-8")
    f = read_file(p).frame
    assert f.iloc[0].to_dict() == {
        "region_key": "05",
        "region_name": "Nordrhein-Westfalen",
        "period": "2015",
        "label": "Lebendgeborene",
        "value": 160468.0,
        "status": "",
        "line": 2,
    }
