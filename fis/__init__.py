"""FIS: Familienstatistisches Informationssystem, an indicator warehouse for German municipalities."""

from __future__ import annotations

__version__ = "0.1.0"


def open(path=None):  # shadows the builtin in this module only
    """Open a warehouse read-only for Python and notebooks (see fis.api.open).

    Imported here lazily: `import fis` (and `fis --help`) must not load pandas or DuckDB."""
    from fis.api import open as _open

    return _open(path)
