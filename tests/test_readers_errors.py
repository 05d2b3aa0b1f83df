"""Bad input: every reader raises InputError naming the file (and the line where there is one)."""

from __future__ import annotations

import pytest

from fis.errors import InputError
from fis.readers import ffcsv, genesis_csv, gv100ad
from fis.readers.sniff import UTF16_REASON, detect, read_file

HEAD = "GENESIS-Tabelle: 12411-01-01-5\nBevölkerungsstand;;;;\nJahr: 2015;;;;\n;;Insgesamt;männlich;weiblich\n"
FLAT_HEADER = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;value;value_unit;value_variable_code;"
    "value_variable_label"
)
FLAT_ROW = "12411;Bevölkerung;STAG;Stichtag;2024-12-31;KREISE;Kreise;05970;Siegen-Wittgenstein;{};Anzahl;BEVSTD;Bevölkerungsstand"


def write(tmp_path, content, name="export.csv"):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


def raises(path, fn=read_file, line=None, match=None) -> InputError:
    with pytest.raises(InputError) as exc:
        fn(path)
    err = exc.value
    msg = str(err)
    assert str(path) in msg and err.path == str(path)
    assert "\n" not in msg
    if line is not None:
        assert err.line == line
        assert f"{path}:{line}:" in msg
    if match is not None:
        assert match in err.reason, err.reason
    return err


# --- classic GENESIS CSV ---------------------------------------------------------------------


def test_truncated_last_row_without_footer(tmp_path):
    p = write(tmp_path, HEAD + "DG;Deutschland;1;2;3\n01;  Schleswig-Holstein;4;5")
    raises(p, line=6, match="data row has 4 cells, expected 5")


def test_too_many_cells_in_the_middle(tmp_path):
    p = write(tmp_path, HEAD + "DG;Deutschland;1;2;3\n01;SH;4;5;6;7\n02;HH;1;2;3\n__________\n")
    raises(p, genesis_csv.read, line=6, match="6 cells, expected 5")


@pytest.mark.parametrize("bad", ["12a", "1,2,3", "abc", "--", "1 p q"])
def test_non_numeric_cell(tmp_path, bad):
    p = write(tmp_path, HEAD + f"DG;Deutschland;1;2;3\n01;SH;4;{bad};6\n")
    raises(p, line=6, match=f"non-numeric cell {bad!r} in column 'männlich'")


@pytest.mark.parametrize("bad", ["12.5", "1.23", "1234.567", "1.2.3"])
def test_decimal_point_is_ambiguous(tmp_path, bad):
    p = write(tmp_path, HEAD + f"DG;Deutschland;1,5;2;3\n01;SH;4;5;{bad}\n")
    raises(p, line=6, match=f"ambiguous number {bad!r} in column 'weiblich'")


def test_non_key_line_among_data_rows(tmp_path):
    p = write(tmp_path, HEAD + "DG;Deutschland;1;2;3\nHinweis: siehe unten;;;;\n01;SH;4;5;6\n")
    raises(p, line=6, match="not a data row")


def test_data_row_after_footer_without_rule(tmp_path):
    p = write(tmp_path, HEAD + 'DG;Deutschland;1;2;3\n"Fußnote"\n01;SH;4;5;6\n')
    raises(p, line=7, match="data row after the footer")


def test_header_only(tmp_path):
    p = write(tmp_path, HEAD + "__________\nStand: 10.10.2017 / 11:01:03\n")
    raises(p, line=5, match="no data rows")


def test_no_period(tmp_path):
    p = write(tmp_path, "GENESIS-Tabelle: 1\nTitel;;\n;;Insgesamt\nDG;Deutschland;1\n")
    raises(p, match="no period")


def test_no_column_header_row(tmp_path):
    p = write(tmp_path, "GENESIS-Tabelle: 1\n2015;;\nDG;Deutschland;1\n")
    raises(p, line=3, match="no column-header row")


# --- encodings, empty and binary files ------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16(tmp_path, codec):
    p = write(tmp_path, (HEAD + "DG;Deutschland;1;2;3\n").encode(codec))
    for fn in (detect, read_file, genesis_csv.read):
        raises(p, fn, match=UTF16_REASON)


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n"])
def test_empty(tmp_path, content):
    p = write(tmp_path, content)
    for fn in (detect, read_file, genesis_csv.read, ffcsv.read, gv100ad.read):
        raises(p, fn, match="empty file")


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 8,
        bytes(range(1, 256)) * 8,
        b"\x89PNG\r\n\x1a\n" + bytes(range(200, 256)) * 30,
    ],
)
def test_binary_garbage(tmp_path, content):
    p = write(tmp_path, content, "garbage.bin")
    for fn in (detect, read_file, genesis_csv.read):
        err = raises(p, fn)
        assert "binary" in err.reason


def test_unknown_layout(tmp_path):
    p = write(tmp_path, "Erscheinungsmonat: Oktober 2021\nIhr Kontakt zu uns\n", "notes.txt")
    raises(p, detect, match="unknown layout")


def test_missing_file(tmp_path):
    raises(tmp_path / "nope.csv", detect, match="cannot read file")


# --- ffcsv and GV100AD ------------------------------------------------------------------------


def test_ffcsv_bad_value(tmp_path):
    p = write(tmp_path, "\n".join([FLAT_HEADER, FLAT_ROW.format("5"), FLAT_ROW.format("12x")]))
    raises(p, line=3, match="non-numeric cell '12x'")


def test_ffcsv_truncated_row(tmp_path):
    p = write(tmp_path, FLAT_HEADER + "\n" + FLAT_ROW.format("5") + "\n12411;Bevölkerung;STAG\n")
    raises(p, line=3, match="3 cells, expected 13")


def test_ffcsv_unknown_value_q(tmp_path):
    p = write(tmp_path, FLAT_HEADER + ";value_q\n" + FLAT_ROW.format("5") + ";z\n")
    raises(p, line=2, match="unknown quality flag 'z'")


def test_ffcsv_bad_header(tmp_path):
    p = write(tmp_path, FLAT_HEADER.replace("1_variable_label", "1_variable_name") + "\n")
    raises(p, ffcsv.read, line=1, match="unexpected columns")


def test_ffcsv_without_rows_or_region(tmp_path):
    raises(write(tmp_path, FLAT_HEADER + "\n"), ffcsv.read, match="no data rows")
    p = write(tmp_path, FLAT_HEADER + "\n" + FLAT_ROW.format("5").replace(";05970;", ";GESW;"))
    raises(p, ffcsv.read, match="no regional variable")


def test_gv100ad_bad_records(tmp_path):
    good = "10" + "20211130" + "05" + " " * 10 + "Nordrhein-Westfalen".ljust(200)
    bad = (
        "60"
        + "20211130"
        + "05970040"
        + "0040"
        + "Siegen".ljust(100)
        + "63"
        + " " * 4
        + "0000000114x"
        + "0" * 30
    )
    p = write(tmp_path, good + "\r\n" + bad + "\r\n", "gv.asc")
    assert detect(p) == "gv100ad"
    raises(p, line=2, match="non-numeric Fläche (ha) '0000000114x'")
    p = write(tmp_path, good + "\r\n" + "70" + good[2:] + "\r\n", "gv2.asc")
    raises(p, gv100ad.read_register, line=2, match="not a GV100AD record")


# --- detection on the real corpus ------------------------------------------------------------

FORMATS = {
    "destatis_GV100AD_301121.ASC": "gv100ad",
    "ldbnrw_12411-15i_2024.csv": "genesis_csv",
    "ldbnrw_22517-02i_2024.csv": "genesis_csv",
    "regionalstatistik_12411-01-01-4_de_flat.csv": "ffcsv",
    "regionalstatistik_12411-01-01-5.csv": "genesis_csv",
    "regionalstatistik_12411-02-03-5.csv": "genesis_csv",
    "regionalstatistik_12612-01-01-5-B.csv": "genesis_csv",
    "zensus2022_1000A-0000_de_flat.csv": "ffcsv",
}


@pytest.mark.reference
def test_detect_every_real_file(real_dir, tmp_path):
    names = {p.name for p in real_dir.iterdir()}
    assert set(FORMATS) | {"destatis_GV100AD_301121_Hinweise.txt"} == names
    for name, fmt in FORMATS.items():
        assert detect(real_dir / name) == fmt
        # by content, not by name: a copy under a neutral name is detected the same way
        copy = tmp_path / "export.dat"
        copy.write_bytes((real_dir / name).read_bytes()[:200_000])
        assert detect(copy) == fmt


@pytest.mark.reference
def test_hinweise_is_not_an_export(real):
    p = real("destatis_GV100AD_301121_Hinweise.txt")
    raises(p, detect, match="unknown layout")
    raises(p, read_file, match="unknown layout")


@pytest.mark.parametrize(
    ("encoding", "bad", "code"),
    [
        ("iso-8859-1", "\x1a", "U+001A"),  # DOS end-of-file in a Latin-1 export
        ("iso-8859-1", "\x81", "U+0081"),  # a C1 control byte that is no cp1252 character
        ("utf-8", "\x85", "U+0085"),  # the same as the UTF-8 bytes C2 85
        ("utf-8-sig", "\x0b", "U+000B"),
    ],
)
def test_control_character_is_named_with_its_line(tmp_path, encoding, bad, code):
    rows = "".join(f"05970{n:03d};Gemeinde {n};{n};{n};{n}\n" for n in range(4, 40, 4))
    text = HEAD + rows + f"05970044;Wilnsdorf{bad};1;1;1\n"
    line = text.count("\n")
    p = write(tmp_path, text.encode(encoding))
    raises(p, line=line, match=f"control character {code}")


def test_control_characters_found_in_the_bytes_as_in_the_text():
    """The whole-file check looks at the bytes; it must find the character (and line) that
    a search of the decoded text finds, in every encoding a file may come in."""
    import random

    from fis.readers.sniff import _CONTROL, _decode, _first_control_byte

    rng = random.Random(7)
    alphabet = ["a", ";", "\n", "1", "\r", "ä", "€", "\x00", "\x0b", "\x0c", "\x1f", "\x7f",
                "\x81", "\x85", "\x9f", "\xa0"]  # fmt: skip
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        for encoding in ("utf-8", "utf-8-sig", "iso-8859-1", "cp1252"):
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            decoded, used = _decode(data, "x")
            m = _CONTROL.search(decoded)
            want = (decoded.count("\n", 0, m.start()) + 1, ord(m[0])) if m else None
            at = _first_control_byte(data, used)
            got = (data.count(b"\n", 0, at[0]) + 1, at[1]) if at else None
            assert got == want, (text, encoding)
