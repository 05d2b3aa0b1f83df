"""Demo exports of the official statistics beyond population (filled in step by step)."""

from __future__ import annotations

from pathlib import Path


def write_all(fig: dict, out: Path) -> list[Path]:
    """Write every official demo export into `out`; returns their paths."""
    return []
