"""After the demo refresh, every indicator has a value, inside its plausible range, for its
latest period at every region of the levels it declares (Gemeinde, Jugendamt, Kreis)."""

from __future__ import annotations

import duckdb
import pytest

from conftest import ROOT
from fis.catalog import load_catalog

CATALOG = load_catalog(ROOT / "indicators")
GEMEINDEN = [f"05970{n:03d}" for n in range(4, 48, 4)]
REGIONS = {"gemeinde": GEMEINDEN, "jugendamt": ["JH05970040", "JH05970999"], "kreis": ["05970"]}


@pytest.fixture(scope="module")
def values(demo_warehouse):
    con = duckdb.connect(str(demo_warehouse.warehouse), read_only=True)
    try:
        rows = con.execute(
            """SELECT indicator_id, region_key, value, status FROM indicator_values
               QUALIFY period = max(period) FILTER (WHERE value IS NOT NULL)
                        OVER (PARTITION BY indicator_id)"""
        ).fetchall()
    finally:
        con.close()
    return {(i, r): (v, s) for i, r, v, s in rows}


@pytest.mark.parametrize(
    "ind", sorted(CATALOG.indicators.values(), key=lambda i: i.id), ids=lambda i: i.id
)
def test_indicator_has_values_in_range(ind, values):
    lo, hi = ind.range
    missing, outside = [], []
    for level in ind.levels:
        for key in REGIONS.get(level, []):
            v, status = values.get((ind.id, key), (None, None))
            if v is None:
                missing.append(f"{key} ({status or 'kein Wert'})")
            elif not lo <= v <= hi:
                outside.append(f"{key}={v:.2f}")
    assert not missing, f"{ind.id}: no value for {', '.join(missing)}"
    assert not outside, f"{ind.id}: outside [{lo}, {hi}]: {', '.join(outside)}"


def test_enough_gemeinde_indicators():
    gem = [i for i in CATALOG.indicators.values() if "gemeinde" in i.levels and not i.extension]
    assert len(gem) >= 120
