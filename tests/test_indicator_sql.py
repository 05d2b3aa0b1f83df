"""The SQL an indicator formula compiles to, on a hand-made variable_values table: which rows
exist, the values, and how the inputs' statuses carry over."""

from __future__ import annotations

import duckdb
import pytest

from fis.warehouse.indicators import compile_indicator

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
