"""Warehouse schema: versions, forward migration with a backup, refusal of newer versions."""

from __future__ import annotations

import duckdb
import pytest

from fis.errors import WarehouseError
from fis.warehouse.schema import SCHEMA_VERSION, connect


def test_new_warehouse_has_current_version(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    con.close()


def test_version_1_is_migrated_with_backup(tmp_path):
    path = tmp_path / "w.duckdb"
    old = duckdb.connect(str(path))
    old.execute(
        "CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    old.execute("INSERT INTO schema_version (version) VALUES (1)")
    old.execute(
        "CREATE TABLE indicators (indicator_id VARCHAR PRIMARY KEY, name VARCHAR, short VARCHAR, "
        "handlungsfeld VARCHAR, unit VARCHAR, decimals INTEGER, polarity VARCHAR, numerator VARCHAR, "
        "denominator VARCHAR, factor DOUBLE, range_min DOUBLE, range_max DOUBLE, lowest_level VARCHAR, "
        "definition VARCHAR, note VARCHAR)"
    )
    old.execute("INSERT INTO indicators (indicator_id, name) VALUES ('x', 'X')")
    old.close()
    con = connect(path)
    cols = {r[0] for r in con.execute("DESCRIBE indicators").fetchall()}
    assert {"levels", "level_note", "extension"} <= cols
    assert con.execute("SELECT name FROM indicators").fetchall() == [("X",)]  # data kept
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    con.close()
    backup = tmp_path / "w.duckdb.v1.bak"
    assert backup.exists()
    b = duckdb.connect(str(backup), read_only=True)
    assert b.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    b.close()


def test_newer_version_is_refused(tmp_path):
    path = tmp_path / "w.duckdb"
    con = connect(path)
    con.execute("INSERT INTO schema_version (version) VALUES (?)", [SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(WarehouseError, match="newer than this FIS"):
        connect(path)


def test_version_2_loses_the_primary_keys_of_the_big_tables_but_keeps_their_rows(tmp_path):
    path = tmp_path / "w.duckdb"
    con = connect(path)
    con.execute("DROP TABLE observations")
    con.execute(
        "CREATE TABLE observations (variable_id VARCHAR NOT NULL, region_key VARCHAR NOT NULL, "
        "period INTEGER NOT NULL, ref_date DATE, value DOUBLE, status VARCHAR NOT NULL, "
        "pipeline VARCHAR NOT NULL, priority INTEGER NOT NULL, source_sha256 VARCHAR NOT NULL, "
        "line INTEGER, refresh_id INTEGER NOT NULL, "
        "PRIMARY KEY (variable_id, region_key, period, pipeline))"
    )
    con.execute("INSERT INTO observations VALUES ('bev_insg', '05970', 2020, NULL, 1.0, '', "
                "'p', 10, 'abc', 7, 1)")  # fmt: skip
    con.execute("UPDATE schema_version SET version = 2")
    con.close()
    con = connect(path)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT region_key, value, line FROM observations").fetchall() == [
        ("05970", 1.0, 7)
    ]
    keys = con.execute(
        "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
        "AND table_name IN ('observations', 'variable_values', 'indicator_values')"
    ).fetchall()
    assert keys == []
    con.close()
    assert (tmp_path / "w.duckdb.v2.bak").exists()


def test_version_4_keeps_only_the_derived_rows_of_variable_values_and_reads_the_same(tmp_path):
    """From version 5 on, variable_values is a view: the deliveries of each variable's
    preferred source, plus the stored rest (other sources where the preferred one has none,
    and the sums). The migration must show the same rows as the version-4 table did."""
    path = tmp_path / "w.duckdb"
    con = connect(path)
    con.execute("DROP VIEW variable_values")
    con.execute("DROP TABLE variable_values_derived")
    con.execute("DROP TABLE preferred_sources")
    con.execute(
        "CREATE TABLE variable_values (variable_id VARCHAR, region_key VARCHAR, period INTEGER, "
        "value DOUBLE, status VARCHAR, origin VARCHAR, pipeline VARCHAR)"
    )
    obs = [  # variable, region, value, status, pipeline, priority
        ("bev_insg", "05970040", 100.0, "", "a", 10),
        ("bev_insg", "05970004", 50.0, "", "a", 10),
        ("geb_lebend", "05970040", 3.0, "", "a", 10),
        ("geb_lebend", "05970040", 4.0, "", "b", 20),  # the lower priority: not chosen
        ("geb_lebend", "05970004", 2.0, "", "b", 20),  # the only delivery: chosen
        ("bev_u3", "05970040", None, "-", "a", 10),  # not applicable: no value
    ]
    for var, region, value, status, pipeline, priority in obs:
        con.execute(
            "INSERT INTO observations VALUES (?, ?, 2020, NULL, ?, ?, ?, ?, 'sha', 1, 1)",
            [var, region, value, status, pipeline, priority],
        )
    old = [
        ("bev_insg", "05970040", 2020, 100.0, "", "delivered", "a"),
        ("bev_insg", "05970004", 2020, 50.0, "", "delivered", "a"),
        ("bev_insg", "05970", 2020, 150.0, "", "aggregated", None),
        ("geb_lebend", "05970040", 2020, 3.0, "", "delivered", "a"),
        ("geb_lebend", "05970004", 2020, 2.0, "", "delivered", "b"),
        ("geb_lebend", "05970", 2020, 5.0, "", "aggregated", None),
    ]
    con.executemany("INSERT INTO variable_values VALUES (?, ?, ?, ?, ?, ?, ?)", old)
    con.execute("UPDATE schema_version SET version = 4")
    con.close()
    con = connect(path)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    rows = con.execute("SELECT * FROM variable_values ORDER BY ALL").fetchall()
    assert rows == sorted(old, key=lambda r: tuple("" if x is None else x for x in r))
    kinds = dict(
        con.execute(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_name IN "
            "('variable_values', 'variable_values_derived', 'preferred_sources')"
        ).fetchall()
    )
    assert kinds == {"variable_values": "VIEW", "variable_values_derived": "BASE TABLE",
                     "preferred_sources": "BASE TABLE"}  # fmt: skip
    # stored: the two sums and the one delivery of the less preferred source
    assert con.execute(
        "SELECT variable_id, region_key, pipeline FROM variable_values_derived ORDER BY ALL"
    ).fetchall() == [("bev_insg", "05970", None), ("geb_lebend", "05970", None),
                     ("geb_lebend", "05970004", "b")]  # fmt: skip
    assert con.execute("SELECT * FROM preferred_sources ORDER BY ALL").fetchall() == [
        ("bev_insg", "a", 10), ("bev_u3", "a", 10), ("geb_lebend", "a", 10)
    ]  # fmt: skip
    # version 6: the view leaves out the deliveries of the other sources
    assert con.execute("SELECT * FROM other_sources").fetchall() == [("geb_lebend", "b", 20)]
    con.close()
