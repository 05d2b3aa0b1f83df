"""The FIS template reader (fis.readers.tabular): CSV and XLSX, good files and every bad case."""

from __future__ import annotations

import datetime as dt
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fis.cli.main import app
from fis.errors import InputError
from fis.readers import tabular
from fis.readers.sniff import detect, read_file

MARK = "#FIS-Vorlage: kita_bedarfsplanung; Version 1; Kita 2024 (Test)"
HEADER = "Schlüssel;Gebiet;Zeitraum;Merkmal;Wert;Zeichen"
U3 = "Plätze für Kinder unter 3 Jahren"
UE3 = "Plätze für Kinder ab 3 Jahren bis zum Schuleintritt"
GOOD = [
    MARK,
    "#Stand: 2025-03-15",
    "#Quelle: KiBiz.web",
    HEADER,
    f"05970004;Bad Berleburg;2024-08-01;{U3};12,5;",
    f"05970008;Burbach;2024;{U3};13.5;p",
    f"05970012;Erndtebrück;2024;{U3};;.",
    f"05970016;Freudenberg;01.08.2024;{U3};-;",
    f"05970;Siegen-Wittgenstein, Kreis;2024;{U3};0;-",
    f"JH05970999;Kreisjugendamt;2024;{U3};40;()",
    f"JH05970040;Jugendamt Siegen;2024;{UE3};1,2e3;",
]


def write(tmp_path, lines, name="vorlage.csv", encoding="utf-8", newline="\n"):
    p = tmp_path / name
    text = lines if isinstance(lines, str) else newline.join(lines) + newline
    p.write_bytes(text.encode(encoding))
    return p


def raises(path, line=None, match=None, fn=read_file) -> InputError:
    with pytest.raises(InputError) as exc:
        fn(path)
    err = exc.value
    assert err.path == str(path) and str(path) in str(err)
    assert "\n" not in str(err)
    if line is not None:
        assert err.line == line, err
        assert f"{path}:{line}: " in str(err)
    if match is not None:
        assert match in err.reason, err.reason
    return err


def cells(res) -> list[tuple]:
    f = res.frame
    return [
        (k, p, lab, None if np.isnan(v) else v, s, ln)
        for k, p, lab, v, s, ln in zip(f.region_key, f.period, f.label, f.value, f.status, f.line)
    ]


# --- good CSV files ------------------------------------------------------------------------------


def test_good_csv(tmp_path):
    res = read_file(write(tmp_path, GOOD))
    assert (res.format, res.table_code) == ("fis_tabular", "kita_bedarfsplanung")
    assert res.title == "Kita 2024 (Test)" and res.stand == "2025-03-15"
    assert res.notes == "Quelle: KiBiz.web" and res.encoding == "utf-8"
    assert list(res.frame.columns) == [
        "region_key", "region_name", "period", "label", "value", "status", "line",
    ]  # fmt: skip
    assert cells(res) == [
        ("05970004", "2024-08-01", U3, 12.5, "", 5),
        ("05970008", "2024", U3, 13.5, "p", 6),
        ("05970012", "2024", U3, None, ".", 7),
        ("05970016", "2024-08-01", U3, None, "-", 8),  # German date -> ISO; '-' in Wert
        ("05970", "2024", U3, None, "-", 9),  # 0 with '-': a true zero, kept as '-'
        ("JH05970999", "2024", U3, 40.0, "()", 10),
        ("JH05970040", "2024", UE3, 1200.0, "", 11),
    ]
    assert res.frame["region_name"].iat[4] == "Siegen-Wittgenstein, Kreis"


def test_reader_frame_passes_the_schema(tmp_path):
    from fis.schemas import validate_reader_frame

    validate_reader_frame(read_file(write(tmp_path, GOOD)).frame, "x")


def test_reader_frame_schema_wants_categorical_texts_and_good_keys(tmp_path):
    from fis.errors import InputError
    from fis.schemas import validate_reader_frame

    frame = read_file(write(tmp_path, GOOD)).frame
    with pytest.raises(InputError, match="not categorical"):
        validate_reader_frame(frame.astype({"label": object}), "x.csv")
    bad_key = frame.assign(region_key=frame["region_key"].cat.rename_categories(
        {frame["region_key"].iloc[0]: "Siegen"}))  # fmt: skip
    with pytest.raises(InputError, match="x.csv"):
        validate_reader_frame(bad_key, "x.csv")


def test_bom_crlf_and_latin1(tmp_path):
    bom = read_file(write(tmp_path, GOOD, "a.csv", "utf-8-sig", "\r\n"))
    latin = read_file(write(tmp_path, GOOD, "b.csv", "cp1252", "\r\n"))
    assert bom.encoding == "utf-8-sig" and latin.encoding in ("iso-8859-1", "cp1252")
    assert cells(bom) == cells(latin) == cells(read_file(write(tmp_path, GOOD)))
    assert "Erndtebrück" in set(latin.frame["region_name"])


def test_excel_padding_blank_rows_and_comments(tmp_path):
    """German Excel splits the template line into cells and pads every row with ';'."""
    lines = [
        "#FIS-Vorlage: kita_bedarfsplanung; Version 1;;;;;",
        "#Stand: 15.03.2025;;;;;;",
        ";;;;;;",
        HEADER + ";;",
        f"05970004;Bad Berleburg;2024;{U3};7;;;",
        ";;;;;;;",
        "#Hinweis: Nachmeldung;;;;;;;",
        f'05970008;"Burbach; Siegerland";2024;{U3};8;;;',
        "",
    ]
    res = read_file(write(tmp_path, lines))
    assert res.title == tabular.TEMPLATES["kita_bedarfsplanung"].title  # no title given
    assert res.stand == "2025-03-15" and res.notes == "Hinweis: Nachmeldung"
    assert cells(res) == [
        ("05970004", "2024", U3, 7.0, "", 5),
        ("05970008", "2024", U3, 8.0, "", 8),
    ]
    assert res.frame["region_name"].iat[1] == "Burbach; Siegerland"


def test_sniff_detects_csv_template(tmp_path):
    assert detect(write(tmp_path, GOOD, encoding="utf-8-sig")) == "fis_tabular"
    assert detect(write(tmp_path, ["", *GOOD], "blank_first.csv")) == "fis_tabular"


def test_cli_read_shows_a_template(tmp_path):
    r = CliRunner().invoke(app, ["read", str(write(tmp_path, GOOD)), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert "05970004,Bad Berleburg,2024-08-01,Plätze für Kinder unter 3 Jahren,12.5," in r.output


# --- XLSX ------------------------------------------------------------------------------------------


def rows_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(tabular.HEADER))


XROWS = [
    ("05970004", "Bad Berleburg", "2024", U3, "12,5", ""),
    ("05970012", "Erndtebrück", "2024-08-01", U3, "", "."),
    ("JH05970040", "Jugendamt Siegen", "2024", UE3, "900", "p"),
]


def test_xlsx_round_trip_and_detection(tmp_path):
    p = tabular.write_xlsx(tmp_path / "k.xlsx", "kita_bedarfsplanung", rows_frame(XROWS),
                           title="Kita XLSX", stand="2025-01-31", notes=["Quelle: Test"])  # fmt: skip
    assert detect(p) == "fis_tabular"
    res = read_file(p)
    assert (res.table_code, res.title, res.stand, res.notes) == (
        "kita_bedarfsplanung", "Kita XLSX", "2025-01-31", "Quelle: Test",
    )  # fmt: skip
    assert res.encoding == "xlsx"
    assert cells(res) == [
        ("05970004", "2024", U3, 12.5, "", 5),
        ("05970012", "2024-08-01", U3, None, ".", 6),
        ("JH05970040", "2024", UE3, 900.0, "p", 7),
    ]
    again = tabular.write_xlsx(tmp_path / "k2.xlsx", "kita_bedarfsplanung", rows_frame(XROWS),
                               title="Kita XLSX", stand="2025-01-31", notes=["Quelle: Test"])  # fmt: skip
    assert again.read_bytes() == p.read_bytes()  # reproducible: no timestamps


def test_xlsx_typed_cells(tmp_path):
    """Cells a planner types: numbers, Excel dates, integer years, text with spaces."""
    p = tabular.write_xlsx(tmp_path / "k.xlsx", "kita_bedarfsplanung", rows_frame(XROWS))
    wb = openpyxl.load_workbook(p)
    ws = wb.worksheets[0]
    ws.append(["05970008", "Burbach", dt.datetime(2024, 3, 1), U3, 7.0, None])
    ws.append(["05970016", "Freudenberg", 2023, f" {U3} ", 0.25, "s"])
    ws.append([None, None, None, None, None, None])
    ws.append(["05970020", "Hilchenbach", "2024", U3, "3,5", None])
    wb.save(p)
    res = read_file(p)
    assert cells(res)[3:] == [
        ("05970008", "2024-03-01", U3, 7.0, "", 6),
        ("05970016", "2023", U3, 0.25, "s", 7),
        ("05970020", "2024", U3, 3.5, "", 9),
    ]


def test_xlsx_empty_rows_keep_excel_row_numbers(tmp_path):
    """Empty rows before the template line and between data rows: lines are Excel rows."""
    p = tmp_path / "sparse.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A2"] = MARK
    for col, name in zip("ABCDEF", tabular.HEADER, strict=True):
        ws[f"{col}3"] = name
    ws.append(["05970004", "Bad Berleburg", "2024", U3, 5])
    ws["A7"], ws["C7"], ws["D7"], ws["F7"] = "05970008", "2024", U3, "-"
    wb.save(p)
    assert cells(read_file(p)) == [
        ("05970004", "2024", U3, 5.0, "", 4),
        ("05970008", "2024", U3, None, "-", 7),
    ]


def test_xlsx_number_key_lost_its_zero(tmp_path):
    p = tabular.write_xlsx(tmp_path / "k.xlsx", "kita_bedarfsplanung", rows_frame(XROWS))
    wb = openpyxl.load_workbook(p)
    wb.worksheets[0]["A6"] = 5970012
    wb.save(p)
    raises(p, line=6, match="bad region key '5970012': leading zero lost?")


def test_xlsx_without_marker(tmp_path):
    p = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Gemeinde", "Wert"])
    wb.save(p)
    raises(p, match="without '#FIS-Vorlage:' in cell A1")


def test_zip_that_is_no_workbook(tmp_path):
    p = tmp_path / "x.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    raises(p, match="not a readable XLSX file")


def test_xlsx_wrong_header(tmp_path):
    p = tabular.write_xlsx(tmp_path / "k.xlsx", "kita_bedarfsplanung", rows_frame(XROWS))
    wb = openpyxl.load_workbook(p)
    wb.worksheets[0]["E2"] = "Anzahl"
    wb.save(p)
    raises(
        p, line=2, match="wrong header: expected 'Schlüssel;Gebiet;Zeitraum;Merkmal;Wert;Zeichen'"
    )


# --- bad CSV files: file, line and reason -----------------------------------------------------------


def body(*rows: str) -> list[str]:
    return [MARK, HEADER, *rows]


ROW = f"05970004;Bad Berleburg;2024;{U3};12;"


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [
        (
            ["#FIS-Vorlage: kita_plaene; Version 1", HEADER, ROW],
            1,
            "unknown template 'kita_plaene'",
        ),
        (["#FIS-Vorlage: kita_bedarfsplanung; Version 2", HEADER, ROW], 1, "has version '2'"),
        (["#FIS-Vorlage: kita_bedarfsplanung", HEADER, ROW], 1, "has version '(none)'"),
        ([MARK, "Schluessel;Gebiet;Jahr;Merkmal;Wert;Zeichen", ROW], 2, "wrong header"),
        ([MARK, "Schlüssel;Gebiet;Zeitraum;Merkmal;Wert", ROW], 2, "wrong header"),
        ([MARK, "#Stand: 2025-03-15"], 1, "no header row"),
        ([MARK, HEADER, "", ";;;;;"], 2, "no data rows below the header"),
        ([MARK, "#Stand: 2025-02-30", HEADER, ROW], 2, "bad Stand date '2025-02-30'"),
        (body(ROW, f"05970008;Burbach;2024;{U3};12"), 4, "data row has 5 cells, expected 6"),
        (body(ROW, f"05970008;Burbach;2024;{U3};12;;"), 4, "data row has 7 cells, expected 6"),
        (body(f"05970008;Burbach;2024;{U3};12a;"), 3, "non-numeric Wert '12a'"),
        (body(ROW, f"05970008;Burbach;2024;{U3};1.234,5;"), 4, "ambiguous number '1.234,5'"),
        (body(f"5970008;Burbach;2024;{U3};1;"), 3, "leading zero lost?"),
        (body(f"05970040-S01;Siegen Nord;2024;{U3};1;"), 3, "Sozialraum key '05970040-S01'"),
        (body(ROW, f"Burbach;Burbach;2024;{U3};1;"), 4, "bad region key 'Burbach'"),
        (body(f"059700080;Burbach;2024;{U3};1;"), 3, "bad region key '059700080'"),
        (body(ROW, f"05970008;Burbach;2024/25;{U3};1;"), 4, "bad period '2024/25'"),
        (body(f"05970008;Burbach;2024-02-30;{U3};1;"), 3, "bad period '2024-02-30'"),
        (body(f"05970008;Burbach;24;{U3};1;"), 3, "bad period '24'"),
        (
            body(ROW, "05970008;Burbach;2024;Plätze unter 3;1;"),
            4,
            "unknown Merkmal 'Plätze unter 3'",
        ),
        (body(f"05970008;Burbach;2024;{U3};1;q"), 3, "unknown symbol 'q' in Zeichen"),
        (body(ROW, f"05970008;Burbach;2024;{U3};;"), 4, "empty Wert"),
        (body(f"05970008;Burbach;2024;{U3};5;."), 3, "Wert '5' together with symbol '.'"),
        (body(f"05970008;Burbach;2024;{U3};.;-"), 3, "Wert '.' and Zeichen '-' disagree"),
        (body(ROW, "05970008;B;2024;" + U3 + ";1;", ROW), 5, "duplicate row: 05970004 2024"),
    ],
)
def test_bad_csv(tmp_path, lines, line, reason):
    raises(write(tmp_path, lines), line=line, match=reason)


def test_value_beyond_the_template_columns(tmp_path):
    p = write(tmp_path, [MARK, HEADER + ";", ROW + ";", f"05970008;B;2024;{U3};1;;Notiz"])
    raises(p, line=4, match="beyond the 6 template columns")


def test_not_a_template_when_read_directly(tmp_path):
    p = write(tmp_path, [HEADER, ROW])
    raises(p, line=1, match="not a FIS template", fn=tabular.read)


def test_empty_file(tmp_path):
    raises(write(tmp_path, ""), match="empty file")


# --- property: what the writer writes, the reader reads ----------------------------------------------

MERKMALE = tabular.TEMPLATES["familienbefragung"].merkmale
KEYS = ["05970", "05970004", "05970040", "JH05970040", "JH05970999", "05", "DG"]


@st.composite
def template_rows(draw):
    n = draw(st.integers(1, 15))
    picks = draw(st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(range(2000, 2030)),
                                    st.sampled_from(MERKMALE)), min_size=n, max_size=n,
                          unique=True))  # fmt: skip
    rows = []
    for key, year, merkmal in picks:
        kind = draw(st.sampled_from(["int", "dec", "sym", "flag"]))
        period = draw(st.sampled_from([str(year), f"{year}-12-31"]))
        if kind == "sym":
            wert, zeichen, value = "", draw(st.sampled_from(tabular.NO_VALUE)), None
        else:
            tenths = draw(st.integers(0, 10**7))
            value = tenths if kind == "int" else tenths / 10
            wert = str(tenths) if kind == "int" else f"{tenths // 10},{tenths % 10}"
            zeichen = draw(st.sampled_from(["p", "r", "()"])) if kind == "flag" else ""
            if zeichen == "" and value == 0:
                wert, zeichen, value = "", "-", None
        name = draw(st.sampled_from(["Gebiet äöü", 'Burbach; "Siegerland"', ""]))
        rows.append(((key, name, period, merkmal, wert, zeichen), value))
    return rows


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=template_rows(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_round_trip(tmp_path, rows, encoding):
    frame = rows_frame([r for r, _ in rows])
    p = tabular.write_csv(tmp_path / "r.csv", "familienbefragung", frame, encoding=encoding)
    res = read_file(p)
    got = [None if np.isnan(v) else v for v in res.frame["value"]]
    assert got == pytest.approx([v for _, v in rows])
    assert list(res.frame["status"]) == [r[5] for r, _ in rows]
    assert list(res.frame["region_key"]) == [r[0] for r, _ in rows]
    assert list(res.frame["region_name"]) == [r[1] for r, _ in rows]
    assert list(res.frame["line"]) == list(range(3, 3 + len(rows)))
