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


def test_other_sources_fill_exactly_the_cells_the_preferred_one_lacks(con):
    # The preferred source 'a' has Alt in 2010, 2012 and 2013 (a gap in 2011, nothing in
    # 2014) and no Neu; 'b' has everything, 'c' (lower still) Alt in 2011. The other
    # sources' values show where 'a' has none: looked up cell by cell only outside a gapless
    # run of a's years, so the gap and the years after it are the cases to get right.
    observe(con, "a", 10, [("05970001", 2010, 1.0, ""), ("05970001", 2012, 1.0, ""),
                           ("05970001", 2013, 1.0, "")])  # fmt: skip
    observe(con, "b", 20, [(key, year, 2.0, "") for key in ("05970001", "05970002")
                           for year in range(2010, 2015)])  # fmt: skip
    observe(con, "c", 30, [("05970001", 2011, 3.0, "")])
    aggregate.build_variable_values(con)
    rows = con.execute(
        "SELECT region_key, period, value, pipeline FROM variable_values "
        "WHERE region_key LIKE '05970___' ORDER BY ALL"
    ).fetchall()
    alt = {2010: 1.0, 2011: 2.0, 2012: 1.0, 2013: 1.0, 2014: 2.0}
    assert rows == [("05970001", y, v, "a" if v == 1.0 else "b") for y, v in alt.items()] + [
        ("05970002", y, 2.0, "b") for y in range(2010, 2015)
    ]
