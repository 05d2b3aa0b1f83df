"""The region register in the warehouse: loading GV100AD, historical regions, lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from fis.errors import RegionError
from fis.warehouse.schema import staged

if TYPE_CHECKING:  # pandas only on the refresh path: `fis show` must start fast
    import pandas as pd

REGION_COLUMNS = [
    "region_key", "name", "level", "parent_key", "verband_key", "area_km2", "population",
    "kreisfrei", "historical", "gebietsstand", "origin",
]  # fmt: skip


def load_register(con: duckdb.DuckDBPyConnection, register: pd.DataFrame) -> int:
    """Replace the current register with `register`; historical regions stay. Returns rows."""
    frame = register.assign(historical=False, origin="register")
    frame = frame.reindex(columns=REGION_COLUMNS)
    with staged(con, "incoming_register", frame):
        # A key that was historical and is in the register now becomes current again.
        con.execute(
            "DELETE FROM regions WHERE origin = 'register' OR region_key IN "
            "(SELECT region_key FROM incoming_register)"
        )
        con.execute("INSERT INTO regions SELECT * FROM incoming_register")
    return len(frame)


def register_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current register (not historical) as a frame, for building a KeyIndex."""
    return con.execute("SELECT * FROM regions WHERE NOT historical AND origin = 'register'").df()


def parent_from_key(key: str, level: str, existing: set[str]) -> str | None:
    """The parent of a region known only from an export, derived from its key."""
    if level == "staat":
        return None
    if level == "land":
        return "DG"
    if level == "regbez":
        return key[:2]
    if level == "kreis":
        return key[:3] if key[:3] in existing else key[:2]
    if level in ("gemeinde", "verband", "gemeindefrei"):
        return key[:5]
    if level == "bezirk":
        return key[:2] + "000"
    if level == "jugendamt":
        return key[2:7]
    return None


def add_export_regions(
    con: duckdb.DuckDBPyConnection, found: pd.DataFrame, origin: str
) -> pd.DataFrame:
    """Register keys of an export that the warehouse does not know yet.

    `found` has region_key, region_name, level, historical. Returns the rows added.
    """
    import pandas as pd

    with staged(con, "found_keys", found[["region_key"]]):
        unknown = con.execute(
            "SELECT DISTINCT region_key::VARCHAR FROM found_keys ANTI JOIN regions USING (region_key)"
        ).fetchall()
    new = found[found["region_key"].isin([r[0] for r in unknown])].drop_duplicates("region_key")
    if new.empty:
        return new
    keys = {r[0] for r in con.execute("SELECT region_key FROM regions").fetchall()}
    keys |= set(new["region_key"])
    rows = pd.DataFrame(
        {
            "region_key": new["region_key"],
            "name": new["region_name"],
            "level": new["level"],
            "parent_key": [
                parent_from_key(k, lv, keys) for k, lv in zip(new["region_key"], new["level"])
            ],
            "verband_key": None,
            "area_km2": None,
            "population": None,
            "kreisfrei": False,
            "historical": new["historical"].astype(bool),
            "gebietsstand": None,
            "origin": origin,
        }
    ).reindex(columns=REGION_COLUMNS)
    with staged(con, "incoming_regions", rows):
        con.execute("INSERT INTO regions SELECT * FROM incoming_regions")
    return new


def resolve_region(con: duckdb.DuckDBPyConnection, text: str, focus: str) -> tuple[str, str]:
    """A region by key or name: an exact name (before the comma) inside the focus Kreis wins,
    then anywhere; an ambiguous name raises RegionError listing the candidates."""
    text = text.strip()
    row = con.execute(
        "SELECT region_key, name FROM regions WHERE region_key = ?", [text]
    ).fetchone()
    if row:
        return row[0], row[1]
    cands = con.execute(
        """
        SELECT region_key, name, level, region_key LIKE $focus || '%' AS in_focus,
               lower(name) = lower($t) AS exact_full
        FROM regions
        WHERE lower(name) = lower($t) OR lower(split_part(name, ',', 1)) = lower($t)
        ORDER BY historical, in_focus DESC, region_key
        """,
        {"t": text, "focus": focus},
    ).fetchall()
    if not cands:
        raise RegionError(f"unknown region {text!r}; try 'fis regions --name {text}'")
    # In NRW every Gemeinde is also its own Gemeindeverband of the same name: prefer the
    # Gemeinde (or Kreis, Land) to the Verband.
    if any(c[2] != "verband" for c in cands):
        cands = [c for c in cands if c[2] != "verband"]
    for pool in ([c for c in cands if c[3]], cands):
        exact = [c for c in pool if c[4]]
        pick = exact or pool
        if len(pick) == 1:
            return pick[0][0], pick[0][1]
        if len(pick) > 1:
            listing = "; ".join(f"{c[0]} {c[1]} ({c[2]})" for c in pick[:10])
            raise RegionError(f"region name {text!r} is ambiguous: {listing}")
    raise RegionError(f"unknown region {text!r}")
