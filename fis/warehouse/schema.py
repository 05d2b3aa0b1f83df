"""DuckDB schema of the warehouse, its version, and opening a connection."""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

import duckdb

from fis.errors import WarehouseError
from fis.warehouse.views import create_views

SCHEMA_VERSION = 6

# Forward migrations: version -> statements that bring a warehouse of version - 1 up to it.
# A fresh warehouse gets the current DDL and needs none of them.
MIGRATIONS: dict[int, list] = {  # SQL statements or functions of the connection
    2: [
        "ALTER TABLE indicators ADD COLUMN IF NOT EXISTS levels VARCHAR[]",
        "ALTER TABLE indicators ADD COLUMN IF NOT EXISTS level_note VARCHAR",
        "ALTER TABLE indicators ADD COLUMN IF NOT EXISTS extension BOOLEAN",
    ],
    # 3: the big tables without PRIMARY KEY (see below); filled in after DDL is defined
    # 4: sum_comparisons kept (no longer a temp table) and derived_state; the DDL creates
    #    both, and the first refresh after the migration rebuilds everything derived
    4: [],
}

# The three big tables (observations, variable_values, indicator_values) have no PRIMARY KEY:
# their keys are unique by construction (each file is checked for duplicate cells, the merge
# replaces a cell of the same pipeline, the derived tables are rebuilt by grouped queries;
# tests/test_refresh.py checks it), and an index over tens of millions of rows would cost
# gigabytes of memory and most of the time of every refresh (measured: benchmarks/).
# Tables per DESIGN §5 (the analysts' views are in views.py). Keys are strings everywhere;
# periods are years (INTEGER) with the reference date kept beside them.
DDL = [
    """CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)""",
    """CREATE TABLE IF NOT EXISTS regions (
        region_key VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        level VARCHAR NOT NULL,          -- staat, land, regbez, region, kreis, verband, gemeinde,
                                         -- gemeindefrei, bezirk, jugendamt
        parent_key VARCHAR,
        verband_key VARCHAR,
        area_km2 DOUBLE,
        population BIGINT,
        kreisfrei BOOLEAN NOT NULL DEFAULT FALSE,
        historical BOOLEAN NOT NULL DEFAULT FALSE,  -- not in the current register (merged/dissolved)
        gebietsstand VARCHAR,            -- register edition the row comes from (ISO date)
        origin VARCHAR NOT NULL          -- 'register' or the export file that named it
    )""",
    """CREATE TABLE IF NOT EXISTS jugendamt_members (
        jugendamt_key VARCHAR NOT NULL,
        gemeinde_key VARCHAR NOT NULL,
        valid_from INTEGER,              -- first year served (NULL: always)
        valid_to INTEGER,                -- last year served (NULL: still)
        origin VARCHAR NOT NULL)         -- 'regel' (default rule) or the membership file""",
    """CREATE TABLE IF NOT EXISTS variables (
        variable_id VARCHAR PRIMARY KEY, name VARCHAR, unit VARCHAR, aggregation VARCHAR,
        stichtag VARCHAR, source_table VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS indicators (
        indicator_id VARCHAR PRIMARY KEY, name VARCHAR, short VARCHAR, handlungsfeld VARCHAR,
        unit VARCHAR, decimals INTEGER, polarity VARCHAR, numerator VARCHAR, denominator VARCHAR,
        factor DOUBLE, range_min DOUBLE, range_max DOUBLE, lowest_level VARCHAR,
        definition VARCHAR, note VARCHAR, levels VARCHAR[], level_note VARCHAR,
        extension BOOLEAN)""",
    """CREATE SEQUENCE IF NOT EXISTS refresh_seq START 1""",
    """CREATE TABLE IF NOT EXISTS refreshes (
        refresh_id INTEGER PRIMARY KEY,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP,
        status VARCHAR NOT NULL,         -- ok, unchanged, failed, dry-run
        n_files INTEGER, n_new BIGINT, n_revised BIGINT, n_unchanged BIGINT,
        message VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS refresh_files (
        refresh_id INTEGER, sha256 VARCHAR, path VARCHAR, pipeline VARCHAR,
        n_new BIGINT, n_revised BIGINT, n_unchanged BIGINT)""",
    """CREATE TABLE IF NOT EXISTS sources (
        sha256 VARCHAR PRIMARY KEY, path VARCHAR NOT NULL, format VARCHAR, table_code VARCHAR,
        title VARCHAR, stand VARCHAR, encoding VARCHAR, pipeline VARCHAR, n_cells BIGINT,
        first_refresh_id INTEGER, last_refresh_id INTEGER)""",
    """CREATE TABLE IF NOT EXISTS observations (
        variable_id VARCHAR NOT NULL,
        region_key VARCHAR NOT NULL,
        period INTEGER NOT NULL,
        ref_date DATE,
        value DOUBLE,                    -- NULL where only a symbol was delivered
        status VARCHAR NOT NULL,         -- '' or the official symbol / quality flag
        pipeline VARCHAR NOT NULL,
        priority INTEGER NOT NULL,       -- lower wins when several sources deliver
        source_sha256 VARCHAR NOT NULL,
        line INTEGER,
        refresh_id INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS observation_history (
        variable_id VARCHAR, region_key VARCHAR, period INTEGER, ref_date DATE, value DOUBLE,
        status VARCHAR, pipeline VARCHAR, priority INTEGER, source_sha256 VARCHAR, line INTEGER,
        refresh_id INTEGER,              -- the refresh that had loaded the old value
        superseded_by INTEGER NOT NULL)  -- the refresh that replaced it""",
    # One value per variable, region and year (DESIGN §3): the view `variable_values` below.
    # Where several sources deliver a cell, the lowest (priority, pipeline) wins. The
    # deliveries of a variable's preferred source always win and are not stored twice
    # (Germany scale: 28.4 of 28.5 million rows; copying them cost 7-10 s of a full refresh).
    """CREATE TABLE IF NOT EXISTS preferred_sources (
        variable_id VARCHAR NOT NULL, pipeline VARCHAR NOT NULL, priority INTEGER NOT NULL)""",
    # The other sources delivering a variable: every (variable, priority, pipeline) of the
    # observations but the preferred one. The view leaves their rows out, which is the same
    # as keeping those of the preferred ones, and cheaper: a join against these few rows
    # (Germany scale: 34, against 203 preferred) takes half the time per row (a full scan
    # of the view 0.51 -> 0.25 s; the yoy rule 3.5 -> 3.1 s). aggregate.py keeps both.
    """CREATE TABLE IF NOT EXISTS other_sources (
        variable_id VARCHAR NOT NULL, pipeline VARCHAR NOT NULL, priority INTEGER NOT NULL)""",
    # Stored: the deliveries of other sources where the preferred one has none (pipeline
    # set), and the sums up the hierarchy (pipeline NULL). aggregate.py keeps both tables.
    """CREATE TABLE IF NOT EXISTS variable_values_derived (
        variable_id VARCHAR, region_key VARCHAR, period INTEGER, value DOUBLE, status VARCHAR,
        pipeline VARCHAR)""",
    # A '-' of a region that did not exist in that period (value NULL) delivers nothing.
    # ONE_VARIABLE_SQL below gives the same rows for one variable (keep the two alike).
    """CREATE OR REPLACE VIEW variable_values AS
        SELECT variable_id, region_key, period, value, status, 'delivered' AS origin, pipeline
        FROM observations ANTI JOIN other_sources USING (variable_id, priority, pipeline)
        WHERE NOT (value IS NULL AND status = '-')
        UNION ALL
        SELECT variable_id, region_key, period, value, status,
               CASE WHEN pipeline IS NULL THEN 'aggregated' ELSE 'delivered' END, pipeline
        FROM variable_values_derived""",
    """CREATE TABLE IF NOT EXISTS indicator_values (
        indicator_id VARCHAR, region_key VARCHAR, period INTEGER, value DOUBLE,
        numerator DOUBLE, denominator DOUBLE, status VARCHAR)""",
    # Parent values delivered and summed from complete children, for the sum_of_children rule
    # (derived, like variable_values; aggregate.py keeps it).
    """CREATE TABLE IF NOT EXISTS sum_comparisons (
        variable_id VARCHAR, region_key VARCHAR, period INTEGER, delivered DOUBLE,
        pipeline VARCHAR, children_sum DOUBLE, n_children BIGINT, child_pipelines VARCHAR[])""",
    # What the derived tables (variable_values, indicator_values, sum_comparisons and the
    # findings of the refresh named here) were computed from: a fingerprint of the catalogue,
    # the regions, the Jugendamt members, the rules and FIS's derivation code. A refresh whose
    # fingerprint matches recomputes only the variables and years whose observations changed.
    """CREATE TABLE IF NOT EXISTS derived_state (
        refresh_id INTEGER NOT NULL, fingerprint VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS findings (
        refresh_id INTEGER, rule VARCHAR, severity VARCHAR, variable_id VARCHAR,
        indicator_id VARCHAR, region_key VARCHAR, period INTEGER, observed DOUBLE,
        expected DOUBLE, message VARCHAR)""",
]


# Each variable's preferred source among the (variable_id, priority, pipeline) rows of
# {source}: the lowest priority, then pipeline (aggregate.py, and the migration to version 5).
PREFERRED_SOURCES_SQL = """
    SELECT DISTINCT ON (variable_id) variable_id, pipeline, priority FROM {source}
    ORDER BY variable_id, priority, pipeline"""

# The other sources: the (variable_id, pipeline, priority) rows of {source} that are not in
# preferred_sources (aggregate.py, and the migration to version 6).
OTHER_SOURCES_SQL = """
    SELECT DISTINCT variable_id, pipeline, priority FROM {source}
    EXCEPT SELECT variable_id, pipeline, priority FROM preferred_sources"""

# The view variable_values restricted to one variable whose preferred source is known: the
# parameters ${a}_id, ${a}_pipe and ${a}_prio (None, None where nothing is delivered). The
# same rows as `variable_values WHERE variable_id = ${a}_id`, without the join against
# other_sources that the view needs (all 166 indicators at Germany scale: 7.8 -> 5.6 s).
ONE_VARIABLE_SQL = """(
    SELECT region_key, period, value, status FROM observations
    WHERE variable_id = ${a}_id AND pipeline = ${a}_pipe AND priority = ${a}_prio
      AND NOT (value IS NULL AND status = '-')
    UNION ALL
    SELECT region_key, period, value, status FROM variable_values_derived
    WHERE variable_id = ${a}_id)"""


def preferred_sources(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, int]]:
    """The table preferred_sources: per variable its preferred (pipeline, priority)."""
    rows = con.execute("SELECT variable_id, pipeline, priority FROM preferred_sources").fetchall()
    return {v: (p, prio) for v, p, prio in rows}


# variable_values as a table (schema versions 1-4), for the migration to version 3.
_VARIABLE_VALUES_V4 = """CREATE TABLE IF NOT EXISTS variable_values (
    variable_id VARCHAR, region_key VARCHAR, period INTEGER, value DOUBLE, status VARCHAR,
    origin VARCHAR, pipeline VARCHAR)"""


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]
        ).fetchone()[0]
    )


def _drop_primary_key(table: str):
    """A migration step: rebuild `table` from its DDL (no key), keeping its rows."""

    def step(con: duckdb.DuckDBPyConnection) -> None:
        if not _table_exists(con, table):
            return
        con.execute(f"ALTER TABLE {table} RENAME TO {table}_v2")
        ddl = [*DDL, _VARIABLE_VALUES_V4]
        con.execute(next(d for d in ddl if f"EXISTS {table} (" in d))
        con.execute(f"INSERT INTO {table} SELECT * FROM {table}_v2")
        con.execute(f"DROP TABLE {table}_v2")

    return step


MIGRATIONS[3] = [
    _drop_primary_key(t) for t in ("observations", "variable_values", "indicator_values")
]


def _variable_values_as_view(con: duckdb.DuckDBPyConnection) -> None:
    """Version 5: of the table variable_values, keep the rows that are no delivery of the
    variable's preferred source (sums, other sources); the view replaces it."""
    if not _table_exists(con, "variable_values"):
        return
    for table in ("preferred_sources", "variable_values_derived"):
        con.execute(next(d for d in DDL if f"EXISTS {table} (" in d))
    con.execute(
        "INSERT INTO preferred_sources " + PREFERRED_SOURCES_SQL.format(source="observations")
    )
    con.execute(
        """INSERT INTO variable_values_derived
           SELECT variable_id, region_key, period, value, status, pipeline
           FROM variable_values v ANTI JOIN (
               SELECT variable_id, region_key, period, pipeline FROM observations
               SEMI JOIN preferred_sources USING (variable_id, priority, pipeline)
           ) p USING (variable_id, region_key, period, pipeline)"""
    )
    con.execute("DROP TABLE variable_values")


MIGRATIONS[5] = [_variable_values_as_view]


def _other_sources(con: duckdb.DuckDBPyConnection) -> None:
    """Version 6: the view leaves out the rows of the table other_sources (filled here, where
    the migration to version 5 found data; a warehouse of version 1 has none yet)."""
    con.execute(next(d for d in DDL if "EXISTS other_sources (" in d))
    if _table_exists(con, "preferred_sources"):
        con.execute("INSERT INTO other_sources " + OTHER_SOURCES_SQL.format(source="observations"))


MIGRATIONS[6] = [_other_sources]

# Tables holding the warehouse's data (as opposed to its log): a failed refresh must leave
# exactly these unchanged.
DATA_TABLES = (
    "regions",
    "jugendamt_members",
    "variables",
    "indicators",
    "sources",
    "observations",
    "observation_history",
    "preferred_sources",
    "other_sources",
    "variable_values_derived",
    "indicator_values",
    "sum_comparisons",
    "derived_state",
)


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file, creating the schema if it is new."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"{path}: no warehouse yet; run 'fis refresh' or 'fis demo' first")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        raise WarehouseError(f"{path}: cannot open warehouse ({e})") from None
    if not read_only:
        version = _version(con)
        if version is not None and version < SCHEMA_VERSION:
            # keep a copy of the old warehouse before migrating it forward
            con.close()
            backup = path.with_name(f"{path.name}.v{version}.bak")
            shutil.copy2(path, backup)
            con = duckdb.connect(str(path))
        ensure_schema(con)
    else:
        check_version(con, path)
    return con


def _version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The warehouse's schema version; None for a new (empty) database."""
    has_version = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not has_version:
        return None
    return con.execute("SELECT max(version) FROM schema_version").fetchone()[0]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create a new warehouse, or migrate an older one forward; record the schema version."""
    version = _version(con)
    if version is not None and version > SCHEMA_VERSION:
        raise WarehouseError(
            f"warehouse schema version {version} is newer than this FIS ({SCHEMA_VERSION}); "
            "update FIS"
        )
    if version is not None and version < SCHEMA_VERSION:
        con.execute("BEGIN TRANSACTION")
        for v in range(version + 1, SCHEMA_VERSION + 1):
            for stmt in MIGRATIONS.get(v, []):
                stmt(con) if callable(stmt) else con.execute(stmt)
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [v])
        con.execute("COMMIT")
    for stmt in DDL:
        con.execute(stmt)
    create_views(con)
    if version is None:
        con.execute("INSERT INTO schema_version (version) VALUES (?)", [SCHEMA_VERSION])


def check_version(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a warehouse of an unknown (newer) schema version."""
    try:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    except duckdb.CatalogException:
        raise WarehouseError(f"{path}: not a FIS warehouse (no schema_version table)") from None
    if row[0] is None or row[0] > SCHEMA_VERSION:
        raise WarehouseError(f"{path}: unsupported warehouse schema version {row[0]}")


class staged:
    """`with staged(con, "name", frame):` makes a pandas/Arrow frame queryable as `name`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, name: str, frame) -> None:
        self.con, self.name, self.frame = con, name, frame

    def __enter__(self):
        frame = self.frame
        pd = sys.modules.get("pandas")  # a pandas frame means pandas is loaded; else no import
        if pd is not None and isinstance(frame, pd.DataFrame):
            # As Arrow: DuckDB scans pandas' Arrow-backed strings and the categories of a
            # categorical element by element (a merge of 400,000 cells: 0.11 s against 0.04 s).
            import pyarrow as pa

            frame = pa.Table.from_pandas(frame, preserve_index=False)
        self.con.register(self.name, frame)
        return self.name

    def __exit__(self, *exc) -> None:
        # in an aborted transaction this fails too; the original error matters, not this one
        with contextlib.suppress(duckdb.Error):
            self.con.unregister(self.name)
