"""The Python API (`fis.open`) against direct SQL on the demo warehouse."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

import fis
from conftest import ROOT
from fis.errors import FisError
from fis.warehouse.queries import show_region


# Mirrored in README.md ("From Python"): keep the two identical.
def readme_example() -> str:
    """The Python example of README.md, exactly as a user reads it there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    (block,) = [b for b in blocks if "fis.open(" in b]
    return block


@pytest.fixture
def wh(demo_warehouse):
    with fis.open(demo_warehouse.root) as w:
        yield w


@pytest.fixture
def ro(demo_warehouse):
    con = duckdb.connect(str(demo_warehouse.warehouse), read_only=True)
    yield con
    con.close()


def test_readme_example_runs(demo_warehouse, monkeypatch):
    monkeypatch.chdir(demo_warehouse.root)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(readme_example(), {})
    text = out.getvalue()
    assert "Kreuztal, Stadt" in text and "Siegen-Wittgenstein" in text and "059" in text


def test_import_fis_stays_light():
    code = "import sys, fis; assert not {'pandas', 'duckdb'} & set(sys.modules), sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_indicator_equals_sql(wh, ro):
    df = wh.indicator("share_under18", year=2020, level="gemeinde")
    expected = ro.execute(
        """SELECT iv.region_key, iv.value, iv.status FROM indicator_values iv
           JOIN regions r USING (region_key)
           WHERE indicator_id = 'share_under18' AND period = 2020 AND r.level = 'gemeinde'
           ORDER BY region_key"""
    ).fetchall()
    assert len(expected) == 11
    assert (
        list(df[["region_key", "value", "status"]].itertuples(index=False, name=None)) == expected
    )
    assert set(df.columns) >= {"region_name", "level", "period", "numerator", "denominator"}


def test_indicator_for_regions_by_name_or_key(wh, ro):
    df = wh.indicator("share_under18", regions=["Kreuztal", "05970"])
    assert set(df.region_key) == {"05970024", "05970"}
    n = ro.execute(
        """SELECT count(*) FROM indicator_values
           WHERE indicator_id = 'share_under18' AND region_key IN ('05970024', '05970')"""
    ).fetchone()[0]
    assert len(df) == n
    assert list(wh.indicator("share_under18", regions="Kreuztal").period) == sorted(
        df[df.region_key == "05970024"].period
    )


def test_profile_equals_show_region(wh, ro, demo_warehouse):
    df = wh.profile("Kreuztal", year=2020)
    table = show_region(ro, "05970024", "05970", demo_warehouse.comparison, 2020)
    assert list(df.columns) == table.columns
    assert "value_05970" in df.columns and "value_05" in df.columns
    expected = pd.DataFrame(table.rows, columns=table.columns)
    pd.testing.assert_frame_equal(df, expected, check_dtype=False)
    assert df.period.dtype == "Int64"
    assert df.attrs["title"].startswith("Kreuztal")


def test_series_has_a_column_per_region(wh, ro):
    df = wh.series("share_under18", ["Kreuztal", "Siegen-Wittgenstein", "05"])
    assert list(df.columns) == ["Kreuztal, Stadt", "Siegen-Wittgenstein", "Nordrhein-Westfalen"]
    value = ro.execute(
        """SELECT value FROM indicator_values
           WHERE indicator_id = 'share_under18' AND region_key = '05970' AND period = 2020"""
    ).fetchone()[0]
    assert df.loc[2020, "Siegen-Wittgenstein"] == value
    assert df.index.is_monotonic_increasing


def test_series_tells_apart_regions_of_the_same_name(wh):
    # in NRW every Gemeinde is also a Gemeindeverband of the same name
    df = wh.series("share_under18", ["05970024", "059700024"])
    assert list(df.columns) == ["Kreuztal, Stadt (05970024)", "Kreuztal, Stadt (059700024)"]


def test_regions_by_level_and_within(wh, ro):
    gem = wh.regions(level="gemeinde", within="Siegen-Wittgenstein")
    expected = ro.execute(
        """SELECT region_key FROM regions WHERE parent_key = '05970' AND level = 'gemeinde'
           ORDER BY 1"""
    ).fetchall()
    assert [(k,) for k in gem.region_key] == expected and len(expected) == 11
    # Kreise hang below the Regierungsbezirke: `within` walks down the whole tree
    kreise = wh.regions(level="kreis", within="05")
    assert set(kreise.region_key) == {
        r[0]
        for r in ro.execute(
            "SELECT region_key FROM regions WHERE level = 'kreis' AND region_key LIKE '05%'"
        ).fetchall()
    }
    assert len(wh.regions()) == ro.execute("SELECT count(*) FROM regions").fetchone()[0]


def test_sql_and_catalogue_return_frames(wh, ro):
    df = wh.sql("SELECT indicator_id, count(*) AS n FROM v_indicator_long GROUP BY 1 ORDER BY 1")
    expected = ro.execute(
        "SELECT indicator_id, count(*) FROM indicator_values GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert list(df.itertuples(index=False, name=None)) == expected
    assert len(wh.indicators()) == ro.execute("SELECT count(*) FROM indicators").fetchone()[0]
    assert wh.sql("SET threads = 1").empty  # a statement without a result


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda w: w.indicator("no_such_indicator"), "unknown indicator"),
        (lambda w: w.series("no_such_indicator", "Kreuztal"), "unknown indicator"),
        (lambda w: w.indicator("share_under18", regions=["Atlantis"]), "unknown region"),
        (lambda w: w.profile("Atlantis"), "unknown region"),
        (lambda w: w.regions(level="planet"), "unknown level"),
        (lambda w: w.series("share_under18", []), "no regions"),
        (lambda w: w.sql("SELEKT 1"), "query failed"),
        (lambda w: w.sql("CREATE TABLE x (a INTEGER)"), "query failed"),  # read-only
    ],
)
def test_user_mistakes_are_fis_errors(wh, call, message):
    with pytest.raises(FisError, match=message):
        call(wh)


def test_open_paths(demo_warehouse, tmp_path):
    with pytest.raises(FisError, match="no such project folder"):
        fis.open(tmp_path / "missing")
    with pytest.raises(FisError, match="no fis.toml"):
        fis.open(tmp_path)
    # a bare warehouse file: comparison regions come from the hierarchy
    with fis.open(demo_warehouse.warehouse) as w:
        cols = list(w.profile("05970024").columns)
    assert cols[-3:] == ["value_05970", "value_05", "value_DG"]


def test_context_manager_closes(demo_warehouse):
    with fis.open(demo_warehouse.root) as w:
        assert "open" in repr(w)
    assert "closed" in repr(w)
    with pytest.raises(FisError, match="closed"):
        w.sql("SELECT 1")
    w.close()  # again is harmless
