"""Demo exports of the official statistics beyond population, births, deaths and migration.

One demo file per real source table, in the layout the real statistic uses (Landesdatenbank
NRW, classic Regionalstatistik, Zensus flat file), each marked DEMODATEN. The writers live in
fis/demo/official_*.py; fis/demo/official_common.py explains how the figures are made.
"""

from __future__ import annotations

from pathlib import Path


def write_all(fig: dict, out: Path) -> list[Path]:
    """Write every official demo export into `out`; returns their paths."""
    # imported here: the writers import fis.demo.generate, which imports this module
    from fis.demo import (
        official_health,
        official_housing,
        official_kita,
        official_population,
        official_school,
        official_social,
        official_vital,
        official_work,
        official_youth,
    )
    from fis.demo.official_common import Ctx, single_ages

    ctx = Ctx(fig, single_ages(fig))
    paths: list[Path] = []
    for module in (
        official_population,
        official_vital,
        official_work,
        official_social,
        official_housing,
        official_health,
        official_school,
        official_kita,
        official_youth,
    ):
        paths += module.write_all(ctx, out)
    return paths
