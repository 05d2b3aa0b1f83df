"""Which derived values a refresh must recompute: all of them, or only what its data touched.

The derived tables (variable_values, sum_comparisons, indicator_values, and the findings of the
refresh that computed them) follow from the observations and from things that change rarely:
the catalogue, the regions, the Jugendamt members, the rules and FIS's own derivation code. A
fingerprint of those is kept in `derived_state`. When a refresh finds the same fingerprint, it
recomputes only the (variable, period) pairs whose observations it added or revised — the temp
table `touched` — and the indicators and rules that read them; otherwise everything.

Adding a year for all of Germany touches 1/20 of the pairs, a revised Kreis table a few
variables: measured in benchmarks/run.py ("refresh adding 2024").
"""

from __future__ import annotations

import hashlib

import duckdb

# Raise when the way derived values are computed changes (aggregate.py, indicators.py,
# checks.py): warehouses built before then are rebuilt in full by their next refresh.
DERIVATION_VERSION = 1

# What the fingerprint covers; `origin` (which file named a region) derives nothing.
_INPUTS = {
    "regions": "* EXCLUDE (origin)",
    "jugendamt_members": "* EXCLUDE (origin)",
    "variables": "*",
    "indicators": "*",
}


def start(con: duckdb.DuckDBPyConnection) -> bool:
    """An empty `touched` table for this refresh's (variable, period) pairs. Returns whether
    they are worth recording: not where no derived state exists yet (a first refresh, or one
    after a migration), which recomputes everything (Germany scale: 0.6 s of 61 merges)."""
    con.execute("CREATE OR REPLACE TEMP TABLE touched (variable_id VARCHAR, period INTEGER)")
    # fetchall: a result left open would keep the merge from registering its frames
    return con.execute("SELECT count(*) FROM derived_state").fetchall()[0][0] > 0


def touch(con: duckdb.DuckDBPyConnection, select_sql: str) -> None:
    """Add the (variable_id, period) pairs of `select_sql`'s rows to `touched`."""
    con.execute(
        f"INSERT INTO touched SELECT DISTINCT variable_id::VARCHAR, period FROM ({select_sql})"
    )


def fingerprint(con: duckdb.DuckDBPyConnection, rules_json: str, focus: str,
                comparison: tuple[str, ...]) -> str:  # fmt: skip
    """SHA-256 over everything besides the observations that the derived tables depend on."""
    h = hashlib.sha256(f"{DERIVATION_VERSION}\0{rules_json}\0{focus}\0{comparison}".encode())
    for table, columns in _INPUTS.items():
        digest = con.execute(
            f"SELECT md5(coalesce(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR), '')) "
            f"FROM (SELECT {columns} FROM {table}) t"
        ).fetchone()[0]
        h.update(f"\0{table}\0{digest}".encode())
    return h.hexdigest()


def previous(con: duckdb.DuckDBPyConnection, fingerprint_now: str) -> int | None:
    """The refresh whose derived state is current, if it was computed from the same inputs."""
    row = con.execute("SELECT refresh_id, fingerprint FROM derived_state").fetchone()
    if row is None or row[1] != fingerprint_now:
        return None
    return row[0]


def scope_size(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(pairs, variables) in `touched`, after removing duplicates."""
    con.execute("CREATE OR REPLACE TEMP TABLE touched AS SELECT DISTINCT * FROM touched")
    return con.execute("SELECT count(*), count(DISTINCT variable_id) FROM touched").fetchone()


def record(con: duckdb.DuckDBPyConnection, refresh_id: int, fingerprint_now: str) -> None:
    """This refresh's derived state is now the current one (inside its transaction)."""
    con.execute("DELETE FROM derived_state")
    con.execute("INSERT INTO derived_state VALUES (?, ?)", [refresh_id, fingerprint_now])
