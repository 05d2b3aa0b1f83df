"""PDF primitive: compile a typst document (with its images and data files) to PDF bytes.

Typst sees only the shipped font (`fonts/`) and its own embedded fonts, never the machine's, so
the same source gives the same PDF everywhere; `#set document(date: none)` makes it byte-identical.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import typst

from fis.errors import FisError
from fis.report.charts import FONT_DIR, FONT_FAMILY

MAIN = "main.typ"
# Prepended to every document: no creation date in the PDF, so two runs give the same bytes, and
# the shipped font as default (typst's own default is a serif). Semicolons end the set rules
# without a newline, so typst's line numbers stay right.
_PRELUDE = f'#set document(date: none); #set text(font: "{FONT_FAMILY}");'


class PdfError(FisError):
    """A typst document that does not compile (the message is typst's, with file and line)."""


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or name.startswith("\\"):
        raise ValueError(f"file name must be a relative path inside the document: {name!r}")
    if str(path) == MAIN:
        raise ValueError(f"{MAIN!r} is reserved for the document source")
    return path


def compile_typst(
    source: str,
    files: Mapping[str, bytes] | None = None,
    *,
    sys_inputs: Mapping[str, str] | None = None,
    strict: bool = True,
) -> bytes:
    """Compile typst `source` to PDF; `files` (relative path -> bytes) are readable from it.

    Example: `files={"charts/a.svg": svg.encode()}` and `#image("charts/a.svg", alt: "...")`,
    strings via `sys_inputs` as `sys.inputs.name`. Text is set in the shipped font unless the
    source says otherwise. With `strict`, a typst warning (e.g. an unknown font) is an error.
    """
    with tempfile.TemporaryDirectory(prefix="fis-typst-") as tmp:
        root = Path(tmp)
        for name, data in (files or {}).items():
            target = root / _safe_relative(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        main = root / MAIN
        main.write_text(_PRELUDE + source, encoding="utf-8")
        try:
            pdf, warnings = typst.compile_with_warnings(
                str(main),
                root=str(root),
                font_paths=[str(FONT_DIR)],
                ignore_system_fonts=True,
                format="pdf",
                sys_inputs=dict(sys_inputs or {}),
            )
        except typst.TypstError as exc:
            raise PdfError(_describe(exc, root)) from exc
        if strict and warnings:
            raise PdfError(_describe(warnings[0], root))
        return pdf


def _describe(problem: Exception, root: Path) -> str:
    detail = getattr(problem, "diagnostic", None) or str(problem)
    # name files as the caller did, not by their temporary location
    return "typst: " + re.sub(r"\S*" + re.escape(root.name) + "/", "", detail).strip()
