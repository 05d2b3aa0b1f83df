"""Analysts' views (long, wide, region hierarchy) and `fis schema`, on the demo warehouse."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from fis.warehouse.docs import TABLES
from fis.warehouse.schema import DDL, connect
from fis.warehouse.views import VIEWS, create_views, describe_schema


@pytest.fixture(scope="module")
def reopened(demo_warehouse, tmp_path_factory):
    """A copy of the demo warehouse opened read-write once, as any later command would."""
    path = tmp_path_factory.mktemp("views") / "fis.duckdb"
    shutil.copy2(demo_warehouse.warehouse, path)
    connect(path).close()
    return path


@pytest.fixture
def ro(demo_warehouse):
    """A read-only connection to the demo warehouse itself."""
    con = connect(demo_warehouse.warehouse, read_only=True)
    yield con
    con.close()


def _columns(con, name: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]


def test_every_view_exists_on_a_read_only_connection(ro):
    views = {
        r[0]
        for r in ro.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    }
    assert set(VIEWS) <= views
    for name in VIEWS:
        ro.execute(f"SELECT * FROM {name} LIMIT 1").fetchall()


def test_long_view_keeps_its_columns(ro):
    assert _columns(ro, "v_indicator_long") == [
        "indicator_id", "indicator_name", "handlungsfeld", "unit", "region_key", "region_name",
        "level", "period", "value", "numerator", "denominator", "status",
    ]  # fmt: skip
    n_long, n_values = ro.execute(
        "SELECT (SELECT count(*) FROM v_indicator_long), (SELECT count(*) FROM indicator_values)"
    ).fetchone()
    assert n_long == n_values > 0


def test_refresh_recreates_wide_view_with_the_catalogue(ro):
    """The refresh syncs the catalogue into `indicators` and must recreate the wide view."""
    ids = [r[0] for r in ro.execute("SELECT indicator_id FROM indicators ORDER BY 1").fetchall()]
    assert _columns(ro, "v_indicator_wide")[4:] == ids


def test_wide_view_has_one_column_per_indicator(reopened):
    con = duckdb.connect(str(reopened), read_only=True)
    ids = [r[0] for r in con.execute("SELECT indicator_id FROM indicators ORDER BY 1").fetchall()]
    assert len(ids) > 100
    assert (
        _columns(con, "v_indicator_wide") == ["region_key", "region_name", "level", "period"] + ids
    )
    n_rows, n_keys = con.execute(
        """SELECT (SELECT count(*) FROM v_indicator_wide),
                  (SELECT count(*) FROM (SELECT DISTINCT region_key, period FROM indicator_values))"""
    ).fetchone()
    assert n_rows == n_keys  # one row per region and period
    con.close()


def test_wide_values_equal_long_values(reopened):
    con = duckdb.connect(str(reopened), read_only=True)
    ids = [r[0] for r in con.execute("SELECT indicator_id FROM indicators").fetchall()]
    unpivoted = " UNION ALL ".join(
        f"SELECT '{i}' AS indicator_id, region_key, period, \"{i}\" AS value FROM v_indicator_wide"
        for i in ids
    )
    diff = con.execute(
        f"""SELECT count(*) FROM ({unpivoted}) w
            FULL JOIN v_indicator_long l USING (indicator_id, region_key, period)
            WHERE w.value IS DISTINCT FROM l.value"""
    ).fetchone()[0]
    assert diff == 0
    kreuztal = con.execute(
        """SELECT share_under18 FROM v_indicator_wide WHERE region_key = '05970024'
           AND period = 2020"""
    ).fetchone()[0]
    assert (
        kreuztal
        == con.execute(
            """SELECT value FROM v_indicator_long WHERE region_key = '05970024' AND period = 2020
           AND indicator_id = 'share_under18'"""
        ).fetchone()[0]
    )
    con.close()


def test_wide_view_without_indicators_is_still_valid(tmp_path):
    con = connect(tmp_path / "empty.duckdb")
    assert _columns(con, "v_indicator_wide") == ["region_key", "region_name", "level", "period"]
    con.execute("INSERT INTO indicators (indicator_id) VALUES ('a_b'), ('it''s')")
    create_views(con)
    assert _columns(con, "v_indicator_wide")[4:] == ["a_b", "it's"]  # quoted safely
    con.close()


def test_hierarchy_walks_up_to_the_land(ro):
    row = ro.execute(
        """SELECT region_name, level, verband_key, kreis_key, kreis_name, regbez_key, land_key,
                  land_name, historical
           FROM v_region_hierarchy WHERE region_key = '05970024'"""
    ).fetchone()
    assert row == (
        "Kreuztal, Stadt", "gemeinde", "059700024", "05970", "Siegen-Wittgenstein", "059", "05",
        "Nordrhein-Westfalen", False,
    )  # fmt: skip
    # every region appears once; a Kreis is its own Kreis, Deutschland lies in no Land
    assert (
        ro.execute("SELECT count(*) FROM v_region_hierarchy").fetchone()[0]
        == ro.execute("SELECT count(*) FROM regions").fetchone()[0]
    )
    assert ro.execute(
        "SELECT kreis_key, land_key FROM v_region_hierarchy WHERE region_key = '05970'"
    ).fetchone() == ("05970", "05")
    assert ro.execute(
        "SELECT land_key FROM v_region_hierarchy WHERE region_key = 'DG'"
    ).fetchone() == (None,)


def test_every_table_and_column_is_documented(ro):
    table = describe_schema(ro)
    undocumented = [(r[0], r[2]) for r in table.rows if not r[4]]
    assert undocumented == []
    ddl_tables = {s.split("EXISTS")[1].split("(")[0].strip() for s in DDL if "TABLE" in s}
    ddl_views = {s.split("VIEW")[1].split(" AS")[0].strip() for s in DDL if "VIEW" in s}
    assert ddl_views == {"variable_values"}
    assert ddl_tables | ddl_views == set(TABLES)


def test_schema_command_lists_every_table_and_view(demo_warehouse):
    from fis.cli.main import app
    from fis.cli.schema import schema

    if "schema" not in {c.name or c.callback.__name__ for c in app.registered_commands}:
        app.command("schema")(schema)  # until fis/cli/main.py registers it
    runner = CliRunner()
    res = runner.invoke(app, ["--project", str(demo_warehouse.root), "schema", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    listed = {r["object"] for r in rows}
    assert set(TABLES) | set(VIEWS) <= listed
    kinds = {r["object"]: r["kind"] for r in rows}
    assert all(kinds[v] == "view" for v in VIEWS)
    res = runner.invoke(
        app, ["--project", str(demo_warehouse.root), "schema", "v_region_hierarchy"]
    )
    assert res.exit_code == 0 and "kreis_key" in res.output and "observations" not in res.output
    res = runner.invoke(app, ["--project", str(demo_warehouse.root), "schema", "nope"])
    assert res.exit_code != 0
