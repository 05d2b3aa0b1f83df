"""Recognise an export by its content (never its name), decode it, and dispatch to its reader."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from fis.errors import InputError
from fis.readers.base import TEXT_COLUMNS, ReadResult

FORMATS = ("genesis_csv", "ffcsv", "gv100ad", "fis_tabular")
# Reader module of a format where its name differs (fis.readers.<module>).
_MODULES = {"fis_tabular": "tabular"}

UTF16_REASON = "UTF-16 is not supported; save the export as UTF-8 or ISO-8859-1"
_HEAD_BYTES = 65536
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_HIGH = re.compile(r"[^\x00-\x7f]")
_LONE_CR = re.compile(r"\r(?=[^\r\n])")
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0b\x0e-\x1f\x7f]")
# The ASCII part of _CONTROL, per byte value.
_CONTROL_LUT = [
    0x00 <= b <= 0x08 or b == 0x0B or 0x0E <= b <= 0x1F or b == 0x7F for b in range(256)
]
# The bytes that are not in it, and those that are no C1 control in ISO-8859-1 (for
# bytes.translate to delete); U+0080-U+009F in UTF-8.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL_LUT[b])
_NOT_C1_BYTES = bytes(b for b in range(256) if not 0x80 <= b <= 0x9F)
_UTF8_C1 = re.compile(rb"\xc2[\x80-\x9f]")

# Classic GENESIS: first line "GENESIS-Tabelle: 12411-01-01-5" or "Tabelle: 12411-15i".
_GENESIS_FIRST = re.compile(r"^\s*(?:GENESIS-)?Tabelle\s*:", re.IGNORECASE)
# GV100AD record: Satzart 10..60, Gebietsstand YYYYMMDD, then the regional key digits.
_GV100_RECORD = re.compile(r"^[1-6]0(?:19|20)\d{6}\d{2}")
# A classic data row: [period;] key; name; at least one more cell.
_DATA_ROW = re.compile(
    r"^(?:(?:\d{2}\.\d{2}\.\d{4}|\d{4}-\d{2}-\d{2}|\d{4});)?(?:DG|\d{2,12}|JH\d+);\s*[^;\s][^;]*;"
)


def _check_bytes(path: Path, head: bytes) -> None:
    """Reject empty files, UTF-16 and binary data before any decoding."""
    if not head.strip():
        raise InputError(path, "empty file")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, UTF16_REASON)
    nuls = head.count(b"\x00")
    if nuls:
        # UTF-16 text has a NUL in every other byte of its ASCII characters.
        sample = head[:4096]
        odd, even = sample[1::2].count(b"\x00"), sample[0::2].count(b"\x00")
        if max(odd, even) > 0.3 * (len(sample) / 2) and min(odd, even) < 0.05 * len(sample):
            raise InputError(path, UTF16_REASON)
        # A few NULs in otherwise clean text: a damaged text file, reported at its line.
        rest = head.replace(b"\x00", b"")
        if nuls < 0.05 * len(head) and len(_CONTROL_BYTES.findall(rest)) <= 0.01 * len(rest):
            first = head.index(b"\x00")
            raise InputError(
                path, "NUL bytes in a text file: damaged export?", head.count(b"\n", 0, first) + 1
            )
        raise InputError(path, "binary file (contains NUL bytes), not a text export")


def _decode(data: bytes, path: Path, partial: bool = False) -> tuple[str, str]:
    """UTF-8 (with or without BOM) strictly, else cp1252 / ISO-8859-1."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError as exc:
        # A head cut off inside a multi-byte character is still UTF-8.
        if partial and exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return _decode(data[: exc.start], path)
    if not _has_c1_bytes(data):
        return data.decode("iso-8859-1"), "iso-8859-1"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("iso-8859-1"), "iso-8859-1"


def _c1_bytes(a):
    """Per byte of the uint8 array `a`: is it 0x80-0x9F."""
    return (a & 0xE0) == 0x80


def _has_c1_bytes(data: bytes) -> bool:
    """Any byte 0x80-0x9F: bytes.translate keeps only those (a 62 MB export: ~10 ms, against
    ~60 ms for a byte-wise numpy array and ~10x that for a regex)."""
    return bool(data.translate(None, _NOT_C1_BYTES))


def _check_text(path: Path, text: str, encoding: str, data: bytes) -> None:
    """Many control characters, or (in a single-byte decoding) mostly non-ASCII, mean binary
    data; a few mean a damaged text or a wrong code page (DOS), reported at their line.

    data: the bytes `text` was decoded from; the control characters are looked for there
    (0.05 s instead of 0.3 s for a regex over the text of a 60 MB export)."""
    sample = text[:8192]
    ctrl = len(_CONTROL.findall(sample))
    high = len(_HIGH.findall(sample)) if not encoding.startswith("utf-8") else 0
    if ctrl > 0.1 * len(sample) or high > 0.3 * len(sample):
        raise InputError(path, "binary data, not a text export")
    if found := _first_control_byte(data, encoding):
        at, char = found
        raise InputError(
            path,
            f"control character U+{char:04X} in a text file: damaged export or wrong "
            "encoding (save it as UTF-8 or ISO-8859-1)",
            data.count(b"\n", 0, at) + 1,
        )


def _first_control_byte(data: bytes, encoding: str) -> tuple[int, int] | None:
    """(byte offset, code point) of the first character of _CONTROL in `data` decoded with
    `encoding`, or None. ASCII controls are the same byte in every encoding; U+0080-U+009F
    are the bytes C2 80-9F in UTF-8, the bytes 80-9F in ISO-8859-1, and nothing in cp1252
    (whose undefined bytes fail to decode).

    Whether there is one at all is asked first with bytes.translate, which keeps only the
    bytes asked for (a 62 MB export: 20 ms, against 115-140 ms for the byte-wise arrays
    that find the first one)."""
    utf8 = encoding.startswith("utf-8")
    maybe = bool(data.translate(None, _NOT_CONTROL_BYTES))
    if utf8:
        maybe = maybe or _UTF8_C1.search(data) is not None
    elif encoding == "iso-8859-1":
        maybe = maybe or _has_c1_bytes(data)
    if not maybe:
        return None
    import numpy as np

    a = np.frombuffer(data, np.uint8)
    c1 = np.zeros(len(a), bool)
    if utf8:
        c1[:-1] = (a[:-1] == 0xC2) & _c1_bytes(a[1:])
    elif encoding == "iso-8859-1":
        c1 = _c1_bytes(a)
    hit = np.array(_CONTROL_LUT, bool)[a] | c1
    if not hit.any():
        return None
    at = int(hit.argmax())
    return at, int(a[at + 1] if c1[at] and utf8 else a[at])


def load_text(path: str | Path) -> tuple[str, str]:
    """Read a whole export as text; returns (text, encoding). Raises InputError for non-text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    _check_bytes(path, data[:_HEAD_BYTES])
    text, encoding = _decode(data, path)
    _check_text(path, text, encoding, data)
    text = text.replace("\r\n", "\n")
    if "\r" in text and (m := _LONE_CR.search(text)):  # the csv module cannot split such a line
        raise InputError(
            path,
            "carriage return (CR) inside a line: damaged export or CR-only line ends "
            "(save it with Windows or Unix line ends)",
            text.count("\n", 0, m.start()) + 1,
        )
    return text, encoding


def _head_text(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    _check_bytes(path, head)
    text, encoding = _decode(head, path, partial=True)
    _check_text(path, text, encoding, head)
    return text.replace("\r\n", "\n")


def _detect_zip(path: Path) -> str | None:
    """An XLSX is a ZIP file: a FIS template has its '#FIS-Vorlage:' line in cell A1."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    if magic != b"PK\x03\x04":
        return None
    import zipfile
    import zlib

    from openpyxl.utils.exceptions import InvalidFileException

    from fis.readers.tabular import xlsx_marker

    try:
        marker = xlsx_marker(path)
    except InvalidFileException:  # openpyxl goes by the file name's extension
        raise InputError(path, "an XLSX file needs the extension .xlsx to be read") from None
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, SyntaxError, zlib.error) as exc:
        # A damaged workbook (the XML parser's ParseError is a SyntaxError).
        raise InputError(path, f"not a readable XLSX file ({type(exc).__name__})") from None
    if marker is None:
        raise InputError(
            path, "XLSX/ZIP file without '#FIS-Vorlage:' in cell A1 of its first sheet: "
            "not a FIS template (see data/templates/README.md)",
        )  # fmt: skip
    return "fis_tabular"


def detect(path: str | Path) -> str:
    """Return "genesis_csv", "ffcsv", "gv100ad" or "fis_tabular" from the file's content."""
    path = Path(path)
    if fmt := _detect_zip(path):
        return fmt
    lines = _head_text(path).split("\n")[:300]
    first = next((ln for ln in lines if ln.strip()), "")
    if first.lstrip('" ').startswith("#FIS-Vorlage:"):
        return "fis_tabular"
    if first.startswith("statistics_code;"):
        return "ffcsv"  # the flat-file reader reports a header without its value columns
    if _GV100_RECORD.match(first) and len(first.rstrip("\r")) >= 124:
        return "gv100ad"
    if _GENESIS_FIRST.match(first):
        return "genesis_csv"
    if any(_DATA_ROW.match(ln) for ln in lines):
        return "genesis_csv"
    raise InputError(
        path,
        "unknown layout: not a GENESIS table CSV, GENESIS flat file (ffcsv), GV100AD file "
        "or FIS template",
    )


def read_file(path: str | Path) -> ReadResult:
    """Detect the format of `path` and read it with the matching reader."""
    fmt = detect(path)
    module = importlib.import_module(f"fis.readers.{_MODULES.get(fmt, fmt)}")
    result = module.read(path)
    result.frame = as_categories(result.frame)
    return result


def as_categories(frame):
    """The long frame's text columns as categoricals (each distinct text stored once)."""
    text = [c for c in TEXT_COLUMNS if c in frame and frame[c].dtype != "category"]
    return frame.astype(dict.fromkeys(text, "category")) if text else frame
