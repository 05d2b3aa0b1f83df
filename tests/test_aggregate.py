"""Sums up the hierarchy, on a hand-made warehouse: which children a parent expects."""

from __future__ import annotations

import duckdb
import pytest

from fis.warehouse import aggregate, schema

REGIONS = [  # key, name, level, parent
    ("05", "Land", "land", None),
    ("05970", "Kreis", "kreis", "05"),
    ("05970001", "Alt", "gemeinde", "05970"),
    ("05970002", "Neu", "gemeinde", "05970"),
]


@pytest.fixture
def con():
    con = duckdb.connect(":memory:")
    schema.ensure_schema(con)
    con.executemany(
        "INSERT INTO regions (region_key, name, level, parent_key, origin) "
        "VALUES (?, ?, ?, ?, 'register')",
        REGIONS,
    )
    con.execute("INSERT INTO variables VALUES ('v', 'V', 'Personen', 'sum', '31.12.', 't')")
    yield con
    con.close()


def observe(con, pipeline: str, priority: int, rows: list[tuple]) -> None:
    con.executemany(
        "INSERT INTO observations VALUES ('v', ?, ?, NULL, ?, ?, ?, ?, 'sha', 1, 1)",
        [(key, period, value, status, pipeline, priority) for key, period, value, status in rows],
    )


def kreis(con) -> dict[int, tuple]:
    return {
        p: (v, o)
        for p, v, o in con.execute(
            "SELECT period, value, origin FROM variable_values WHERE region_key = '05970'"
        ).fetchall()
    }


def test_a_dash_another_source_fills_is_expected_and_summed(con):
    # The preferred source has Alt as '-' with no value in 2010 (a region that did not exist
    # then: before its first delivery), another source delivers Alt that year: Alt is expected
    # and present, and the Kreis is the sum of both Gemeinden.
    observe(con, "a", 10, [("05970001", 2010, None, "-"), ("05970001", 2011, 4.0, ""),
                           ("05970002", 2010, 5.0, ""), ("05970002", 2011, 6.0, "")])  # fmt: skip
    observe(con, "b", 20, [("05970001", 2010, 3.0, "")])
    aggregate.build_variable_values(con)
    assert kreis(con) == {2010: (8.0, "aggregated"), 2011: (10.0, "aggregated")}


def test_a_dash_no_source_fills_is_not_expected(con):
    # Without the other source, Alt did not exist in 2010: the Kreis is Neu alone.
    observe(con, "a", 10, [("05970001", 2010, None, "-"), ("05970001", 2011, 4.0, ""),
                           ("05970002", 2010, 5.0, ""), ("05970002", 2011, 6.0, "")])  # fmt: skip
    observe(con, "b", 20, [("05970002", 2012, 1.0, "")])  # a second source, not for Alt
    aggregate.build_variable_values(con)
    assert kreis(con)[2010] == (5.0, "aggregated")
