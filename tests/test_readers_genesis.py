"""Classic GENESIS table CSV reader: the real exports cell by cell, and synthetic header variants."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from fis.readers import genesis_csv
from fis.readers.base import LONG_COLUMNS
from fis.readers.sniff import detect, read_file

RS_01 = "regionalstatistik_12411-01-01-5.csv"
RS_02 = "regionalstatistik_12411-02-03-5.csv"
RS_B = "regionalstatistik_12612-01-01-5-B.csv"
LDB_15I = "ldbnrw_12411-15i_2024.csv"
LDB_22517 = "ldbnrw_22517-02i_2024.csv"

AGE = "Altersgruppen (unter 3 bis 75 u.m.)"
POP = "Fortschreibung des Bevölkerungsstandes | Bevölkerungsstand (Basis Zensus 2022 und früher) | Anzahl"
AREA = (
    "Flächenerhebung nach Art der tatsächlichen Nutzung | Bodenfläche (Katasterfläche) in qkm | qkm"
)
DENS = "Fortschreibung des Bevölkerungsstandes | Bevölkerungsdichte | EW pro qkm"
HZE = "Art der Hilfe | {} | {} | Anzahl"
IA, BEG = "In Anspruch genommene erzieh. Hilfen", "Begonnene erzieher. Hilfen/Beratungen"


def cell(frame, key, period, label):
    """The single row of one cell."""
    m = frame[(frame.region_key == key) & (frame.period == period) & (frame.label == label)]
    assert len(m) == 1, f"{key} {period} {label!r}: {len(m)} rows"
    return m.iloc[0]


def check(frame, key, period, label, value, status="", line=None, name=None):
    row = cell(frame, key, period, label)
    if value is None:
        assert math.isnan(row.value), row
    else:
        assert row.value == pytest.approx(value), row
    assert row.status == status
    if line is not None:
        assert row.line == line
    if name is not None:
        assert row.region_name == name


def check_shape(frame):
    assert list(frame.columns) == LONG_COLUMNS
    assert frame["value"].dtype == np.float64
    assert frame["line"].dtype == np.int64
    for col in ("region_key", "region_name", "period", "label", "status"):
        # text columns are categoricals of str (each distinct text stored once)
        assert frame[col].dtype == "category"
        assert frame[col].cat.categories.dtype == "str"
        assert not frame[col].isna().any()


@pytest.fixture(scope="module")
def rs01(real):
    return genesis_csv.read(real(RS_01))


@pytest.fixture(scope="module")
def rs02(real):
    return genesis_csv.read(real(RS_02))


@pytest.fixture(scope="module")
def rsb(real):
    return genesis_csv.read(real(RS_B))


@pytest.mark.reference
class TestRegionalstatistik:
    def test_12411_01_01_5_metadata(self, rs01, real):
        assert detect(real(RS_01)) == "genesis_csv"
        assert rs01.format == "genesis_csv"
        assert rs01.table_code == "12411-01-01-5"
        assert rs01.stand == "2017-10-10"
        assert rs01.encoding == "utf-8"
        assert rs01.title.startswith(
            "Bevölkerungsstand: Bevölkerung nach Geschlecht - Stichtag 31.12. -"
        )
        assert rs01.title.endswith("Bevölkerungsstand (Anzahl)")
        assert "Zensus 2011" in rs01.notes
        f = rs01.frame
        check_shape(f)
        assert len(f) == 14493 * 24
        assert set(f.label) == {"Insgesamt", "männlich", "weiblich"}
        assert sorted(set(f.period)) == [f"{y}-12-31" for y in range(2008, 2016)]
        assert f.status.value_counts().to_dict() == {"": 291231, "-": 56529, ".": 72}

    def test_12411_01_01_5_cells(self, rs01):
        f = rs01.frame
        check(f, "DG", "2015-12-31", "Insgesamt", 82175684, line=9, name="Deutschland")
        check(
            f,
            "05970",
            "2015-12-31",
            "Insgesamt",
            280800,
            line=2965,
            name="Siegen-Wittgenstein, Kreis",
        )
        check(f, "05970", "2015-12-31", "weiblich", 141174)
        check(f, "05970040", "2015-12-31", "Insgesamt", 102355, line=2975, name="Siegen")
        check(f, "05970040", "2008-12-31", "weiblich", 52914)
        check(f, "05970024", "2015-12-31", "Insgesamt", 31500, name="Kreuztal")
        check(f, "05970024", "2008-12-31", "weiblich", 15870)
        check(f, "09162", "2015-12-31", "Insgesamt", 1450381)
        check(f, "0713100007", "2015-12-31", "Insgesamt", 27468)  # 10-digit keys stay raw
        check(f, "03151401002", "2015-12-31", "Insgesamt", 1000, name="Barwedel")
        check(f, "16077056", "2015-12-31", "Insgesamt", None, "-", line=14501, name="Saara")
        check(f, "16077056", "2011-12-31", "Insgesamt", 2846)
        check(f, "11001", "2015-12-31", "Insgesamt", None, ".", name="Berlin-Mitte")
        check(f, "11001", "2013-12-31", "Insgesamt", 337593)

    def test_12411_02_03_5(self, rs02, real):
        assert detect(real(RS_02)) == "genesis_csv"
        assert (rs02.table_code, rs02.stand) == ("12411-02-03-5", "2017-10-10")
        f = rs02.frame
        check_shape(f)
        assert len(f) == 14493 * 54
        assert set(f.period) == {"2015-12-31"}  # from the "31.12.2015;;;" header line
        assert f.label.nunique() == 54
        u3 = f"Insgesamt | {AGE} | unter 3 Jahre"
        check(f, "DG", "2015-12-31", u3, 2200407, line=11)
        check(f, "05970", "2015-12-31", f"Insgesamt | {AGE} | Insgesamt", 280800)
        check(f, "05970040", "2015-12-31", u3, 2694, line=2977)
        check(f, "05970040", "2015-12-31", f"männlich | {AGE} | unter 3 Jahre", 1384)
        check(f, "05970024", "2015-12-31", u3, 897)
        check(f, "11001", "2015-12-31", u3, None, ".")
        check(f, "16077056", "2015-12-31", f"weiblich | {AGE} | Insgesamt", None, "-")
        assert "2011" not in set(f.region_key)  # a footer line "2011" is not a data row

    def test_12612_01_01_5_b(self, rsb, real):
        assert detect(real(RS_B)) == "genesis_csv"
        assert (rsb.table_code, rsb.stand) == ("12612-01-01-5-B", "2017-10-10")
        f = rsb.frame
        check_shape(f)
        assert len(f) == 14135 * 24
        assert sorted(set(f.period)) == [str(y) for y in range(2008, 2016)]
        assert "05970" not in set(f.region_key)  # "regionale Ebenen": no hierarchy rows
        check(f, "11001", "2015", "Insgesamt", None, ".", name="Berlin-Mitte")
        check(f, "11001", "2013", "Insgesamt", 4123)
        check(f, "01051002", "2015", "Insgesamt", None, "-", line=13, name="Arkebek")
        check(f, "01051002", "2014", "Insgesamt", 5)
        check(f, "01051002", "2013", "weiblich", 0)  # a real zero, not a symbol
        check(f, "01051003", "2015", "männlich", None, "-")
        check(f, "01001000", "2015", "Insgesamt", 857, line=8)
        check(f, "11000000", "2015", "Insgesamt", 38030)
        check(f, "05970040", "2015", "Insgesamt", 977, line=2881, name="Siegen")
        check(f, "05970040", "2015", "weiblich", 470)
        check(f, "05970024", "2015", "Insgesamt", 299)


@pytest.mark.reference
class TestLandesdatenbankNRW:
    def test_12411_15i(self, real):
        r = read_file(real(LDB_15I))
        assert (r.format, r.table_code, r.stand) == ("genesis_csv", "12411-15i", "2026-01-19")
        assert r.encoding == "iso-8859-1"
        assert (
            r.title
            == "Katasterfläche (qkm), Bevölkerung und Bevölkerungsdichte - Stichtag - Gemeinden"
        )
        f = r.frame
        check_shape(f)
        assert len(f) == 444 * 3
        assert set(f.period) == {"2024-12-31"}  # from the date column before the key
        assert list(f.label.unique()) == [POP, AREA, DENS]
        check(f, "05", "2024-12-31", POP, 18034454, line=6, name="Nordrhein-Westfalen")
        check(f, "05", "2024-12-31", AREA, 34112.44)
        check(f, "05970", "2024-12-31", POP, 274074, line=412)
        check(f, "05970", "2024-12-31", AREA, 1132.89)
        check(f, "05970040", "2024-12-31", POP, 102685, line=422, name="Siegen, Stadt")
        check(f, "05970040", "2024-12-31", AREA, 114.69)
        check(f, "05970040", "2024-12-31", DENS, 895.3)
        check(f, "05970024", "2024-12-31", POP, 30905, name="Kreuztal, Stadt")
        check(f, "05334002", "2024-12-31", POP, 262670)
        check(f, "05354", "2024-12-31", POP, None, "-", line=95, name="Aachen, Kreis")
        check(f, "05354004", "2024-12-31", DENS, None, "-")

    def test_22517_02i(self, real):
        r = read_file(real(LDB_22517))
        assert (r.table_code, r.stand, r.encoding) == ("22517-02i", "2026-01-19", "iso-8859-1")
        assert r.title.startswith("Statistik der erzieherischen Hilfen:")
        f = r.frame
        check_shape(f)
        assert len(f) == 232 * 22
        assert set(f.period) == {"2024"}
        total = HZE.format("Insgesamt", IA)
        sgb29 = HZE.format("Soziale Gruppenarbeit § 29 SGB VIII", BEG)
        check(f, "JH05970040", "2024", total, 2106, line=226, name="Jugendamt Siegen")
        check(f, "JH05970040", "2024", sgb29, None, "-")
        check(f, "JH05970040", "2024", HZE.format("Soziale Gruppenarbeit § 29 SGB VIII", IA), 2)
        check(f, "JH05970999", "2024", total, 2218, line=227)
        check(f, "JH05970999", "2024", HZE.format("Insgesamt", BEG), 705)
        check(f, "05970", "2024", total, 4324)
        check(f, "05113", "2024", HZE.format("Hilfe zur Erziehung § 27 SGB VIII", IA), None, "-")
        check(f, "05", "2024", total, 311197, line=10)


# --- synthetic header variants -----------------------------------------------------------


def write(tmp_path, text, name="t.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_jahr_line_symbols_and_flags(tmp_path):
    p = write(
        tmp_path,
        (
            "GENESIS-Tabelle: 99999-01-01-4\n"
            "Kindertagesbetreuung: Kinder in Tageseinrichtungen (DEMODATEN);;;;\n"
            "Jahr: 2016;;;;\n"
            ";;Kinder;Plätze;Quote\n"
            "DG;Deutschland;1.234.567;(123);12,5 p\n"
            "05970;  Siegen-Wittgenstein, Kreis;-;.;0\n"
            "05970040;    Siegen;/;x;...\n"
            "05970024;    Kreuztal;7 r;-5;1 234,75\n"
            "__________\n"
            "Stand: 01.02.2017 / 10:00:00\n"
        ),
    )
    assert detect(p) == "genesis_csv"
    r = genesis_csv.read(p)
    assert r.table_code == "99999-01-01-4"
    assert r.title == "Kindertagesbetreuung: Kinder in Tageseinrichtungen (DEMODATEN)"
    assert r.stand == "2017-02-01"
    f = r.frame
    check_shape(f)
    assert set(f.period) == {"2016"}
    check(f, "DG", "2016", "Kinder", 1234567, line=5)
    check(f, "DG", "2016", "Plätze", 123, "()")
    check(f, "DG", "2016", "Quote", 12.5, "p")
    check(f, "05970", "2016", "Kinder", None, "-", name="Siegen-Wittgenstein, Kreis")
    check(f, "05970", "2016", "Plätze", None, ".")
    check(f, "05970", "2016", "Quote", 0, "")
    check(f, "05970040", "2016", "Kinder", None, "/", line=7, name="Siegen")
    check(f, "05970040", "2016", "Plätze", None, "x")
    check(f, "05970040", "2016", "Quote", None, "...")
    check(f, "05970024", "2016", "Kinder", 7, "r")
    check(f, "05970024", "2016", "Plätze", -5)
    check(f, "05970024", "2016", "Quote", 1234.75)


def test_bare_year_line_and_five_header_rows(tmp_path):
    p = write(
        tmp_path,
        (
            "Tabelle: 12345-67i\n"
            "Irgendeine Statistik;;;;\n"
            "2015\n"
            ";;A;A;A\n"
            ";;B1;B1;B2\n"
            ";;;C;C\n"
            ";;D;D;D\n"
            ";;Anzahl;Anzahl;Prozent\n"
            "01;Schleswig-Holstein;1;2;3,5\n"
            "02;Hamburg;4;5;6,25\n"
        ),
    )
    r = genesis_csv.read(p)
    assert (r.table_code, r.title, r.stand) == ("12345-67i", "Irgendeine Statistik", None)
    assert r.extra["header_rows"] == 5
    f = r.frame
    assert list(f.label.unique()) == [
        "A | B1 | D | Anzahl",
        "A | B1 | C | D | Anzahl",
        "A | B2 | C | D | Prozent",
    ]
    assert set(f.period) == {"2015"}
    check(f, "02", "2015", "A | B2 | C | D | Prozent", 6.25, line=10)


def test_date_column_latin1_and_footer_without_rule(tmp_path):
    p = write(
        tmp_path,
        (
            "Tabelle: 12411-15i\n"
            "Bevölkerung - Stichtag - Gemeinden;;;;\n"
            ";;;Bevölkerung;Fläche\n"
            ";;;Anzahl;qkm\n"
            "31.12.2024;05;Nordrhein-Westfalen;18034454;34112,44\n"
            "31.12.2024;05970;    Siegen-Wittgenstein, Kreis;274074;1132,89\n"
            "31.12.2023;05970040;      Siegen, Universitätsstadt;102685;114,69\n"
            '"Fußnote: Änderungen\n'
            '2011;05;vorbehalten; mit Semikolon"\n'
            "© IT.NRW, Düsseldorf, 2026.\n"
            "Stand: 19.01.2026 / 13:58:12\n"
        ),
        encoding="iso-8859-1",
    )
    r = read_file(p)
    assert r.encoding == "iso-8859-1"
    assert r.stand == "2026-01-19"
    assert r.title == "Bevölkerung - Stichtag - Gemeinden"
    assert "Fußnote" in r.notes
    f = r.frame
    assert len(f) == 6
    check(
        f, "05970", "2024-12-31", "Bevölkerung | Anzahl", 274074, name="Siegen-Wittgenstein, Kreis"
    )
    check(
        f,
        "05970040",
        "2023-12-31",
        "Fläche | qkm",
        114.69,
        line=7,
        name="Siegen, Universitätsstadt",
    )


def test_year_column_before_jugendamt_key(tmp_path):
    p = write(
        tmp_path,
        (
            "Tabelle: 22517-02i\n"
            ";;;Hilfen\n"
            "2024;JH05970040;      Jugendamt Siegen;2106\n"
            "2024;JH05970999;      Kreisjugendamt;-\n"
            "Stand: 19.01.2026 / 21:12:47\n"
        ),
    )
    f = genesis_csv.read(p).frame
    assert list(f.region_key) == ["JH05970040", "JH05970999"]
    assert list(f.period) == ["2024", "2024"]
    check(f, "JH05970999", "2024", "Hilfen", None, "-", line=4, name="Kreisjugendamt")


def test_bom_period_row_ffill_and_ars_key(tmp_path):
    p = write(
        tmp_path,
        (
            "\ufeffGENESIS-Tabelle: 12411-01-01-5\n"
            "Bevölkerungsstand;;;;;\n"
            ";;31.12.2015;;2014;\n"
            ";;Insgesamt;männlich;Insgesamt;männlich\n"
            "059700040040;Siegen;102355;49925;100325;48576\n"
        ),
    )
    r = genesis_csv.read(p)
    assert r.encoding == "utf-8-sig"
    assert r.table_code == "12411-01-01-5"
    f = r.frame
    assert list(f.period) == ["2015-12-31", "2015-12-31", "2014", "2014"]
    assert set(f.region_key) == {"05970040"}  # 12-digit ARS shown as AGS
    check(f, "05970040", "2014", "männlich", 48576, line=5)


def test_trailing_semicolons_do_not_make_a_column(tmp_path):
    p = write(tmp_path, "GENESIS-Tabelle: 1\n2015;;;\n;;Insgesamt;\nDG;Deutschland;5;\n01;SH;-;\n")
    f = genesis_csv.read(p).frame
    assert list(f.label) == ["Insgesamt", "Insgesamt"]
    assert list(f.status) == ["", "-"]


def test_crlf_line_endings(tmp_path):
    p = write(tmp_path, "GENESIS-Tabelle: 1\r\nJahr: 2016\r\n;;Insgesamt\r\nDG;Deutschland;5\r\n")
    f = genesis_csv.read(p).frame
    assert (f.region_name.iat[0], f.value.iat[0], f.line.iat[0]) == ("Deutschland", 5.0, 4)


def test_quoted_name_with_semicolon(tmp_path):
    p = write(
        tmp_path, 'GENESIS-Tabelle: 1\nJahr: 2016\n;;Insgesamt\n05970;"Siegen; Stadt";5\nDG;X;6\n'
    )
    f = genesis_csv.read(p).frame
    assert list(f.region_name) == ["Siegen; Stadt", "X"]
    assert list(f.value) == [5.0, 6.0]


def test_line_matching_in_arrow_gives_pythons_answer():
    """The data rows are found by Arrow's RE2, whose \\d is ASCII-only; lines it does not
    match are asked again in Python, so a key in other digits still counts as Python says."""
    import pyarrow as pa

    from fis.readers.genesis_csv import _ROW, _matches

    lines = [
        "2020;05970040;Siegen;1",
        "\u0662\u0660\u0662\u0660;05;NRW;2",
        "Stand: 01.01.2024",
        "2020;",
    ]
    got = _matches(lines, pa.array(lines, type=pa.large_string()), _ROW[True])
    assert got.tolist() == [re.match(_ROW[True], ln) is not None for ln in lines]
    assert got.tolist() == [True, True, False, False]


def test_cell_extraction_in_arrow_gives_pythons_groups():
    """Numbers, flags and symbols are taken apart by Arrow's RE2, and again in Python where
    RE2 finds nothing (non-ASCII digits and spaces): always what pandas' extract gives."""
    import pandas as pd

    from fis.readers.genesis_csv import _CELL, _extract_cells

    texts = ["1.234,5", "(12)", "12 p", "12\u00a0p", "\u0661\u0662", "12\u00a0345", "12 345,6 e",
             "1.23", "-", ".", "x", "...", "", "7", "(1.234)", "5r", "12\u2009p",
             "1.234.567,89", "abc", "12e", "12,", "--1", None]  # fmt: skip
    u = pd.Series(texts, dtype=object)
    got = _extract_cells(u)
    want = u.str.extract(_CELL)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got.loc[3, "num"] == "12" and got.loc[3, "flag"] == "p"  # found by Python only
    assert got.loc[4, "num"] == "\u0661\u0662"  # Arabic-Indic digits: Python's \d
