"""The SQL an indicator formula compiles to, on a hand-made variable_values table: which rows
exist, the values, and how the inputs' statuses carry over."""

from __future__ import annotations

import duckdb
import pytest

from fis.warehouse.indicators import compile_indicator
from fis.warehouse.schema import preferred_sources

ROWS = [  # variable, region, period, value, status
    ("a", "R1", 2020, 10.0, ""),
    ("b", "R1", 2020, 40.0, ""),
    ("a", "R2", 2020, None, "."),  # secret: blocks the value, the status carries over
    ("b", "R2", 2020, 50.0, "p"),
    ("a", "R3", 2020, 5.0, "p"),  # a flag carries over
    ("b", "R3", 2020, 20.0, ""),
    ("a", "R4", 2020, 7.0, ""),  # no b: no row at all
    ("a", "R5", 2020, 3.0, "r"),
    ("b", "R5", 2020, 0.0, ""),  # division by zero: 'x'
    ("a", "R6", 2020, 1.0, "p"),
    ("b", "R6", 2020, None, "/"),  # '/' comes before 'p'
    ("a", "R1", 2019, 6.0, ""),
    ("a", "R1", 2018, 4.0, ""),
    ("a", "R1", 2017, 2.0, "s"),
]


@pytest.fixture
def con():
    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE variable_values (variable_id VARCHAR, region_key VARCHAR, period INTEGER, "
        "value DOUBLE, status VARCHAR)"
    )
    con.executemany("INSERT INTO variable_values VALUES (?, ?, ?, ?, ?)", ROWS)
    yield con
    con.close()


def result(con, numerator, denominator, factor=1.0, **extra) -> dict:
    sql, params = compile_indicator(numerator, denominator, factor, **extra)
    rows = con.execute(
        f"SELECT region_key, period, value, numerator, denominator, status FROM ({sql})",
        {**params, **({"targets": [2020]} if extra.get("targets") else {})},
    ).fetchall()
    return {(r, p): (v, n, d, s) for r, p, v, n, d, s in rows}


def test_share_rows_values_and_statuses(con):
    got = result(con, "a", "b", 100)
    assert got == {
        ("R1", 2020): (25.0, 10.0, 40.0, ""),
        ("R2", 2020): (None, None, None, "."),
        ("R3", 2020): (25.0, 5.0, 20.0, "p"),
        ("R5", 2020): (None, 3.0, 0.0, "x"),
        ("R6", 2020): (None, None, None, "/"),
    }


def test_offsets_and_mean4(con):
    assert result(con, "a - a[t-1]", None) == {
        ("R1", 2018): (2.0, 2.0, None, "s"),
        ("R1", 2019): (2.0, 2.0, None, ""),
        ("R1", 2020): (4.0, 4.0, None, ""),
    }
    # (10 + 6 + 4 + 2) / 4, with the 's' of 2017
    assert result(con, "mean4(a)", None) == {("R1", 2020): (5.5, 5.5, None, "s")}


def test_targets_limit_the_periods(con):
    assert set(result(con, "a - a[t-1]", None, targets=True)) == {("R1", 2020)}


def test_inputs_read_behind_the_view_give_the_views_rows(demo_warehouse):
    """Read past the view (each input from observations and variable_values_derived, with its
    variable's preferred source as parameters), every indicator of the demo warehouse has
    exactly the rows it has when its inputs are read from the view variable_values."""
    from fis.catalog import load_catalog

    con = duckdb.connect(str(demo_warehouse.warehouse), read_only=True)
    try:
        preferred = preferred_sources(con)
        # the demo has what the view joins: other sources' deliveries, sums, and '-' rows of
        # regions that did not exist, which deliver nothing
        kinds = con.execute(
            "SELECT count(*) FILTER (WHERE pipeline IS NOT NULL), count(*) FILTER (WHERE "
            "pipeline IS NULL) FROM variable_values_derived"
        ).fetchone()
        assert kinds[0] > 0 and kinds[1] > 0
        compared = 0
        for ind in load_catalog(demo_warehouse.indicators).indicators.values():
            rows = []
            for via in (None, preferred):
                sql, params = compile_indicator(
                    ind.numerator, ind.denominator, ind.factor, preferred=via
                )
                rows.append(con.execute(f"SELECT * FROM ({sql}) ORDER BY ALL", params).fetchall())
            assert rows[0] == rows[1], ind.id
            compared += len(rows[0])
        assert compared > 10_000
    finally:
        con.close()
