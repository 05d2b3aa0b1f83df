"""Property tests: whatever bytes a file holds, `read_file` returns a proper long frame or raises
our own InputError — never another exception.

Inputs: arbitrary bytes, arbitrary text, text that starts like each export format, and the demo
exports mutated (lines deleted, duplicated, swapped or inserted, cells replaced, truncated, bytes
damaged). The formula parser has its own property tests in tests/test_formula.py.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from fis.errors import InputError
from fis.readers.base import LONG_COLUMNS, ReadResult
from fis.readers.sniff import read_file

DEMO = ROOT / "data" / "demo"
FAST = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STR_COLUMNS = ["region_key", "region_name", "period", "label", "status"]
_PERIOD = re.compile(r"\d{4}(?:-\d{2}-\d{2})?")


def _head(name: str, n: int) -> tuple[str, str]:
    """The first n lines of a demo export (a footer of the LDB kept), with its encoding."""
    data = (DEMO / name).read_bytes()
    enc = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        enc, text = "iso-8859-1", data.decode("iso-8859-1")
    lines = text.split("\n")
    rule = next((i for i, ln in enumerate(lines) if ln.startswith("___")), len(lines))
    return "\n".join(lines[: min(n, rule)] + lines[rule:]), enc


# Small, fast bases covering every reader and layout: date column first (ISO-8859-1, quoted
# multi-line footer), a row of dates and a row of years in the column headers (UTF-8), Jugendamt
# keys, flat files (BOM), the GV100AD register (CRLF), a FIS template, a "Jahr:" header line.
BASES: dict[str, tuple[str, str]] = {
    "ldb.csv": _head("ldbnrw_12411-15i_demo.csv", 40),
    "ldb_jh.csv": _head("ldbnrw_22517-02i_demo.csv", 30),
    "rs_dates.csv": _head("regionalstatistik_12411-01-01-5_demo.csv", 20),
    "rs_years_b.csv": _head("regionalstatistik_12612-01-01-5-B_demo.csv", 20),
    "flat.csv": _head("regionalstatistik_12411-01-01-4_demo_flat.csv", 10),
    "zensus_flat.csv": _head("zensus2022_4000W_demo_flat.csv", 20),
    "register.asc": _head("gv100ad_demo_301121.ASC", 100),
    "template.csv": _head("lokal_jobcenter_demo.csv", 30),
    "jahr_line.csv": (
        "GENESIS-Tabelle: 12411-01-01-5\nBevölkerungsstand;;;;\nJahr: 2015;;;;\n"
        ";;Insgesamt;männlich;weiblich\nDG;Deutschland;1;2;3\n05;  Nordrhein-Westfalen;4;-;.\n"
        "05970;    Siegen-Wittgenstein;(7);8 p;9\n__________\nStand: 10.10.2017 / 11:01:03\n",
        "utf-8",
    ),
}

# Cells that probe the number and symbol rules, keys and dates.
CELLS = [
    "", " ", "-", ".", "..", "...", "/", "x", "()", "(1)", "p", "1 p", "e", "1,5", "1.5", "1.234",
    "1.234,5", "1,234.5", "-1", "--1", "1e5", "NaN", "inf", "0x10", "１２", "12 345", "\u00a0",
    '"', '""', '"a;b"', ";", "DG", "05", "059", "05970", "05970040", "0597004", "059700040040",
    "0597000400401", "JH05970040", "JH", "2024", "0000", "9999", "31.12.2024", "31.02.2024",
    "2024-12-31", "2024-02-30", "2024-13-01", "00.00.0000", "Jahr: 2024", "__________", "©",
    "Stand: 01.01.2024", "#FIS-Vorlage: jobcenter", "\x00", "\x1a", "\ufeff", "ü", "\r",
]  # fmt: skip
PREFIXES = [
    "GENESIS-Tabelle: 12411-01-01-5\n",
    "Tabelle: 12411-15i\n",
    BASES["flat.csv"][0].split("\n")[0] + "\n",
    BASES["template.csv"][0].split("\n")[0] + "\n",
    "102021113005          Nordrhein-Westfalen" + " " * 200 + "\r\n",
    "602021113005970040004" + " " * 200 + "\r\n",
    ";;Insgesamt;männlich;weiblich\n",
    "31.12.2024;05970;Kreis;1;2\n",
    "DG;Deutschland;1;2;3\n",
]


def check(path: Path) -> None:
    """The property: a well-formed ReadResult, or our InputError naming the file."""
    try:
        res = read_file(path)
    except InputError as e:
        event("InputError")  # shown by pytest --hypothesis-show-statistics
        assert e.path == str(path)
        assert "\n" not in str(e), str(e)
        assert e.line is None or e.line >= 1
        return
    assert isinstance(res, ReadResult)
    event(f"read as {res.format}")
    frame = res.frame
    assert list(frame.columns) == LONG_COLUMNS
    for col in STR_COLUMNS:
        assert frame[col].dtype == "category", (col, frame[col].dtype)
        assert frame[col].cat.categories.dtype == "str", (col, frame[col].dtype)
        assert not frame[col].isna().any(), col
    assert frame["value"].dtype == np.float64
    assert frame["line"].dtype == np.int64
    assert (frame["line"] >= 1).all()
    for p in frame["period"].unique():
        assert _PERIOD.fullmatch(p), p
        if len(p) == 10:
            datetime.strptime(p, "%Y-%m-%d")  # a real calendar date


@pytest.fixture(scope="module")
def target(tmp_path_factory) -> Path:
    """One file that each example overwrites (hypothesis reruns a test many times)."""
    return tmp_path_factory.mktemp("props") / "export.csv"


def _write(target: Path, data: bytes) -> Path:
    target.write_bytes(data)
    return target


def test_bases_are_readable(target):
    for name, (text, enc) in BASES.items():
        res = read_file(_write(target, text.encode(enc)))
        assert len(res.frame), name


# --- arbitrary input -------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(target, data):
    check(_write(target, data))


@FAST
@given(
    st.sampled_from(PREFIXES),
    st.text(max_size=600),
    st.sampled_from(["utf-8", "utf-8-sig", "iso-8859-1", "utf-16"]),
)
def test_arbitrary_text_after_a_format_prefix(target, prefix, text, enc):
    check(_write(target, (prefix + text).encode(enc, errors="replace")))


# Text from the characters that matter to the readers: many lines, cells, keys, dates, symbols.
csvish = st.lists(
    st.lists(st.one_of(st.sampled_from(CELLS), st.text("0123456789.,-; ", max_size=10)),
             max_size=7).map(";".join),
    max_size=30,
).map("\n".join)  # fmt: skip


@FAST
@given(st.sampled_from([""] + PREFIXES), csvish)
def test_csv_like_text(target, prefix, text):
    check(_write(target, (prefix + text).encode("utf-8")))


# --- mutated demo exports ----------------------------------------------------------------------


@st.composite
def mutated(draw) -> bytes:
    name = draw(st.sampled_from(sorted(BASES)))
    text, enc = BASES[name]
    eol = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(eol)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "cell", "cell",
                                   "separator", "truncate_line"]))  # fmt: skip
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.one_of(st.sampled_from(CELLS), csvish, st.text(max_size=40))))
        elif op == "cell":
            cells = lines[i].split(";")
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = draw(
                st.one_of(
                    st.sampled_from(CELLS), st.text(max_size=12), st.integers(0, 99999).map(str)
                )
            )
            lines[i] = ";".join(cells)
        elif op == "separator":
            lines[i] = lines[i].replace(";", draw(st.sampled_from([",", "\t", ";;", ""])))
        else:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    data = eol.join(lines).encode(enc, errors="replace")
    if draw(st.integers(0, 3)) == 0:  # truncate the file anywhere, even inside a character
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.integers(0, 5)) == 0:  # damage one byte
        k = draw(st.integers(0, max(0, len(data) - 1)))
        data = data[:k] + bytes([draw(st.integers(0, 255))]) + data[k + 1 :]
    return data


@FAST
@given(mutated())
def test_mutated_demo_exports(target, data):
    check(_write(target, data))


# --- damaged XLSX templates --------------------------------------------------------------------


@functools.cache
def _template_xlsx() -> bytes:
    import openpyxl

    text, _ = BASES["template.csv"]
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in text.lstrip("\ufeff").split("\n")[:12]:
        ws.append(line.split(";"))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# openpyxl leaves the file open when a damaged workbook fails to load (tabular._open_xlsx passes
# a path, not a file it closes itself): a ResourceWarning, harmless for a user; not this test's
# subject.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@settings(FAST, max_examples=60)
@given(st.data())
def test_damaged_xlsx(target, data):
    """A ZIP with one member truncated or replaced, or the file cut anywhere."""
    xlsx = _template_xlsx()
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    names = src.namelist()
    if data.draw(st.booleans(), label="cut the file"):
        blob = xlsx[: data.draw(st.integers(0, len(xlsx)), label="at")]
    else:
        victim = data.draw(st.sampled_from(names), label="member")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for n in names:
                body = src.read(n)
                if n == victim:
                    body = data.draw(
                        st.one_of(
                            st.integers(0, len(body)).map(lambda k, b=body: b[:k]),
                            st.binary(max_size=200),
                        ),
                        label="body",
                    )
                z.writestr(n, body)
        blob = out.getvalue()
    check(_write(target.with_suffix(".xlsx"), blob))


_CELL_CHARS = st.sampled_from(list("0123456789-,. ()epsx/") + ["\u00a0", "\u0663", "a"])


@FAST
@given(
    st.lists(
        st.one_of(
            st.text(_CELL_CHARS, max_size=8),
            st.integers(-(10**17), 10**17).map(str),
            st.sampled_from(["-", "-0", "-00", "007", "-007", " 42 ", "1.234,5", "(12)"]),
        ),
        unique=True,
    )
)
def test_cells_parsed_alike_on_the_fast_path(texts):
    """Plain integers are parsed by Arrow, the rest in general: the same value to the bit,
    status and verdict as the general parse of every text."""
    from fis.readers.genesis_csv import _parse_general, parse_uniques

    uniq = np.array(texts, dtype=object)
    fast, general = parse_uniques(uniq), _parse_general(uniq)
    assert fast[0].dtype == general[0].dtype == np.float64
    assert fast[0].tobytes() == general[0].tobytes()
    assert list(fast[1]) == list(general[1]) and fast[2].tolist() == general[2].tolist()
