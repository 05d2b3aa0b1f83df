"""Demo files of the Kreis's local sources, in the templates of data/templates/."""

from __future__ import annotations

from pathlib import Path


def write_all(fig: dict, out: Path) -> list[Path]:
    """Write every local-source demo file into `out`; returns their paths."""
    return []
