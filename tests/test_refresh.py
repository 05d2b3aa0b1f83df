"""The refresh: atomic, idempotent, keys and symbols handled, sums and priorities right."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, data_checksum
from fis.errors import FisError, InputError
from fis.warehouse.refresh import refresh

DEMO = ROOT / "data" / "demo"
REGISTER = DEMO / "gv100ad_demo_301121.ASC"
LDB_POP = DEMO / "ldbnrw_12411-15i_demo.csv"
BIRTHS_B = DEMO / "regionalstatistik_12612-01-01-5-B_demo.csv"
MIGRATION = DEMO / "ldbnrw_12711-01i_demo.csv"
SOME = [REGISTER, LDB_POP, BIRTHS_B, MIGRATION]


def one(cfg, sql, params=()):
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchone()
    finally:
        con.close()


def value(cfg, table, var_col, var, key, period):
    row = one(
        cfg,
        f"SELECT value, status FROM {table} WHERE {var_col} = ? AND region_key = ? AND period = ?",
        [var, key, period],
    )
    return row


def edited(tmp_path: Path, src: Path, old: str, new: str, encoding: str) -> Path:
    """A copy of a demo export with one text replaced (exactly once)."""
    text = src.read_text(encoding=encoding)
    assert text.count(old) >= 1, old
    dst = tmp_path / src.name
    dst.write_text(text.replace(old, new, 1), encoding=encoding)
    return dst


# --- the demo warehouse ---------------------------------------------------------------------


def test_demo_has_every_gemeinde(demo_warehouse):
    cfg = demo_warehouse
    n = one(
        cfg,
        """SELECT count(DISTINCT region_key) FROM indicator_values iv JOIN regions r USING (region_key)
           WHERE r.parent_key = '05970' AND r.level = 'gemeinde' AND iv.value IS NOT NULL""",
    )[0]
    assert n == 11


def test_births_priority_ldb_wins_over_regionalstatistik(demo_warehouse):
    cfg = demo_warehouse
    v = one(
        cfg,
        "SELECT pipeline FROM variable_values WHERE variable_id = 'geb_lebend' "
        "AND region_key = '05970040' AND period = 2015",
    )
    assert v[0] == "ldbnrw_12612-01i"
    # both sources are kept as observations
    n = one(
        cfg,
        "SELECT count(*) FROM observations WHERE variable_id = 'geb_lebend' "
        "AND region_key = '05970040' AND period = 2015",
    )[0]
    assert n == 2


def test_dash_is_zero_for_existing_region(demo_warehouse):
    # Erndtebrück: no male births in 2019, written '-' in the -B export
    row = value(demo_warehouse, "observations", "variable_id", "geb_lebend_m", "05970012", 2019)
    assert row == (0.0, "-")


def test_dash_of_dissolved_region_is_not_applicable(demo_warehouse):
    cfg = demo_warehouse
    hist = one(cfg, "SELECT historical, level, parent_key FROM regions WHERE region_key = '05354'")
    assert hist == (True, "kreis", "053")
    row = value(cfg, "observations", "variable_id", "bev_insg", "05354", 2020)
    assert row == (None, "-")
    assert value(cfg, "variable_values", "variable_id", "bev_insg", "05354", 2020) is None


def test_delivered_kreis_equals_sum_of_gemeinden(demo_warehouse):
    cfg = demo_warehouse
    kreis = value(cfg, "variable_values", "variable_id", "bev_insg", "05970", 2015)[0]
    total = one(
        cfg,
        """SELECT sum(value) FROM variable_values v JOIN regions r USING (region_key)
           WHERE variable_id = 'bev_insg' AND period = 2015 AND r.parent_key = '05970'
             AND r.level = 'gemeinde'""",
    )[0]
    assert kreis == total == 280800
    assert (
        one(
            cfg,
            "SELECT count(*) FROM findings WHERE region_key = '05970' AND rule = 'sum_of_children'",
        )[0]
        == 0
    )


def test_secret_symbol_kept_and_propagated(demo_warehouse):
    cfg = demo_warehouse
    # '.' cells are kept with their status, never turned into zero
    n = one(cfg, "SELECT count(*) FROM observations WHERE status = '.' AND value IS NULL")[0]
    assert n >= 1
    assert one(cfg, "SELECT count(*) FROM observations WHERE status = '.' AND value = 0")[0] == 0


# --- aggregation rules ----------------------------------------------------------------------


def test_counts_summed_when_kreis_not_delivered(cfg):
    refresh(cfg, [REGISTER, BIRTHS_B])
    kreis = value(cfg, "variable_values", "variable_id", "geb_lebend", "05970", 2020)
    total = one(
        cfg,
        "SELECT sum(value) FROM variable_values WHERE variable_id = 'geb_lebend' "
        "AND period = 2020 AND region_key LIKE '05970___'",
    )[0]
    assert kreis == (total, "")
    origin = one(cfg, "SELECT origin FROM variable_values WHERE variable_id = 'geb_lebend' "
                 "AND region_key = '05970' AND period = 2020")[0]  # fmt: skip
    assert origin == "aggregated"
    # never NRW from the Gemeinden of one Kreis: the other 52 Kreise are missing
    assert value(cfg, "variable_values", "variable_id", "geb_lebend", "05", 2020) is None
    assert value(cfg, "variable_values", "variable_id", "geb_lebend", "059", 2020) is None


def test_flows_are_never_summed(cfg, tmp_path):
    # drop the Kreis and Land rows: Zuzüge of the Kreis must not become the Gemeinden's sum
    lines = MIGRATION.read_text(encoding="iso-8859-1").split("\n")
    kept = [
        ln
        for ln in lines
        if not ln.split(";")[1:2] or ln.split(";")[1] not in ("05970", "05", "059")
    ]
    f = tmp_path / MIGRATION.name
    f.write_text("\n".join(kept), encoding="iso-8859-1")
    refresh(cfg, [REGISTER, f])
    assert value(cfg, "variable_values", "variable_id", "zuz_insg", "05970", 2020) is None
    assert value(cfg, "variable_values", "variable_id", "zuz_insg", "05970040", 2020) is not None


KEYS = {
    "observations": "variable_id, region_key, period, pipeline",
    "variable_values": "variable_id, region_key, period",
    "indicator_values": "indicator_id, region_key, period",
}


def duplicate_keys(cfg) -> dict[str, int]:
    """Rows beyond the first per key, per big table (they have no PRIMARY KEY to enforce it)."""
    return {
        t: one(cfg, f"SELECT count(*) - count(DISTINCT ({k})) FROM {t}")[0] for t, k in KEYS.items()
    }


def test_big_tables_have_unique_keys(demo_warehouse):
    assert duplicate_keys(demo_warehouse) == dict.fromkeys(KEYS, 0)
    assert one(demo_warehouse, "SELECT count(*) FROM observations")[0] > 10000


def test_indicator_values_are_stored_by_region(demo_warehouse):
    """Stored in region order per statement of the build (indicators.BATCH indicators each),
    so that a region's profile reads only a few row groups of each."""
    from fis.warehouse.indicators import BATCH

    con = duckdb.connect(str(demo_warehouse.warehouse), read_only=True)
    keys = [
        k
        for (k,) in con.execute("SELECT region_key FROM indicator_values ORDER BY rowid").fetchall()
    ]
    n_indicators = con.execute("SELECT count(DISTINCT indicator_id) FROM indicator_values")
    statements = -(-n_indicators.fetchone()[0] // BATCH)
    runs = 1 + sum(a > b for a, b in zip(keys, keys[1:], strict=False))
    assert len(keys) > 10000 and statements > 10 and runs <= statements


# --- idempotence and revisions ----------------------------------------------------------------


def test_same_files_twice_change_nothing(cfg):
    first = refresh(cfg, [DEMO])
    assert first.status == "ok" and first.n_new > 5000
    before = data_checksum(cfg.warehouse)
    second = refresh(cfg, [DEMO])
    assert second.status == "unchanged"
    assert (second.n_new, second.n_revised) == (0, 0)
    assert second.n_unchanged == first.n_new
    assert data_checksum(cfg.warehouse) == before
    assert duplicate_keys(cfg) == dict.fromkeys(KEYS, 0)


def test_revision_moves_old_value_to_history(cfg, tmp_path):
    refresh(cfg, [REGISTER, LDB_POP])
    old = value(cfg, "observations", "variable_id", "bev_insg", "05970040", 2024)
    assert old == (102685.0, "")
    f = edited(tmp_path, LDB_POP, "05970040;      Siegen, Stadt;102685;",
               "05970040;      Siegen, Stadt;102700;", "iso-8859-1")  # fmt: skip
    rep = refresh(cfg, [REGISTER, f])
    assert (rep.n_revised, rep.status) == (1, "ok")
    assert value(cfg, "observations", "variable_id", "bev_insg", "05970040", 2024) == (102700.0, "")
    hist = one(cfg, "SELECT value, refresh_id, superseded_by FROM observation_history")
    assert hist == (102685.0, 1, 2)
    assert duplicate_keys(cfg) == dict.fromkeys(KEYS, 0)  # replaced, not added


def test_second_export_of_a_pipeline_in_one_refresh_revises_the_first(cfg, tmp_path):
    """Into an empty warehouse the merge knows what each pipeline loaded from the files before
    (no query per file): an export of the same pipeline and years merges as changes."""
    f = edited(tmp_path, LDB_POP, "05970040;      Siegen, Stadt;102685;",
               "05970040;      Siegen, Stadt;102700;", "iso-8859-1")  # fmt: skip
    again = f.with_name("ldbnrw_12411-15i_revised.csv")
    f.rename(again)
    rep = refresh(cfg, [REGISTER, LDB_POP, again])
    assert (rep.n_revised, rep.status) == (1, "ok")
    per_file = "SELECT n_new, n_revised, n_unchanged FROM refresh_files WHERE path = ?"
    n = one(cfg, per_file, [str(LDB_POP)])[0]
    assert n > 500 and one(cfg, per_file, [str(again)]) == (0, 1, n - 1)  # none added
    assert value(cfg, "observations", "variable_id", "bev_insg", "05970040", 2024) == (102700.0, "")
    assert one(cfg, "SELECT value, refresh_id, superseded_by FROM observation_history") == (
        102685.0, 1, 1)  # fmt: skip
    assert duplicate_keys(cfg) == dict.fromkeys(KEYS, 0)


# --- failures leave the data as it was ----------------------------------------------------------


BAD_CASES = [
    # (old text, new text, expected words in the message)
    ("05970044;      Wilnsdorf;", "05970099;      Wilnsdorf;", "05970099"),
    ("05970040;      Siegen, Stadt;102685;", "05970040;      Siegen, Stadt;-102685;", "negative"),
]


@pytest.mark.parametrize(("old", "new", "words"), BAD_CASES)
def test_bad_file_fails_atomically(cfg, tmp_path, old, new, words):
    refresh(cfg, SOME)  # a loaded warehouse to protect
    before = data_checksum(cfg.warehouse)
    bad = edited(tmp_path, LDB_POP, old, new, "iso-8859-1")
    with pytest.raises(InputError) as exc:
        refresh(cfg, [REGISTER, bad])
    msg = str(exc.value)
    assert str(bad) in msg and words in msg
    assert exc.value.line is not None and f":{exc.value.line}:" in msg
    assert data_checksum(cfg.warehouse) == before
    status = one(cfg, "SELECT status FROM refreshes ORDER BY refresh_id DESC LIMIT 1")[0]
    assert status == "failed"


def test_truncated_file_fails_atomically(cfg, tmp_path):
    refresh(cfg, SOME)  # a loaded warehouse to protect
    before = data_checksum(cfg.warehouse)
    raw = LDB_POP.read_bytes()
    bad = tmp_path / "truncated.csv"
    bad.write_bytes(raw[: raw.index(b"Siegen, Stadt") + 20])
    with pytest.raises(InputError) as exc:
        refresh(cfg, [REGISTER, bad])
    assert "truncated.csv" in str(exc.value)
    assert data_checksum(cfg.warehouse) == before


def test_dry_run_writes_no_data(cfg):
    refresh(cfg, [REGISTER])
    before = data_checksum(cfg.warehouse)
    rep = refresh(cfg, SOME, dry_run=True)
    assert rep.status == "dry-run" and rep.n_new > 0
    assert data_checksum(cfg.warehouse) == before


def test_folder_scan_skips_non_exports(cfg, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REGISTER, folder)
    (folder / "Hinweise.txt").write_text("Ihr Kontakt zu uns: ...\n", encoding="utf-8")
    rep = refresh(cfg, [folder])
    assert any("Hinweise.txt" in w for w in rep.warnings)
    with pytest.raises(InputError):
        refresh(cfg, [folder / "Hinweise.txt"])


def test_memory_limit_from_the_environment(cfg, monkeypatch):
    monkeypatch.setenv("FIS_MEMORY_LIMIT", "lots")
    with pytest.raises(FisError, match="FIS_MEMORY_LIMIT 'lots' is no size"):
        refresh(cfg, [REGISTER, LDB_POP])
    monkeypatch.setenv("FIS_MEMORY_LIMIT", "512MB")
    assert refresh(cfg, [REGISTER, LDB_POP]).status == "ok"


# --- reading in a second process (large refreshes) ------------------------------------------


def test_reading_process_gives_the_same_warehouse(cfg, tmp_path, monkeypatch):
    """Exports read and mapped in a forked process (as above READ_PROCESS_MIN_BYTES) give the
    same data as reading them in a thread; errors come back with file and line."""
    from concurrent.futures import ProcessPoolExecutor

    from conftest import make_project
    from fis.config import load_config
    from fis.warehouse.refresh import _reader

    monkeypatch.setenv("FIS_READ_PROCESS_MIN_BYTES", "0")
    pool = _reader([(REGISTER, True)])
    assert isinstance(pool, ProcessPoolExecutor)
    pool.shutdown()
    said: list[str] = []
    refresh(cfg, SOME, progress=said.append)
    via_process = data_checksum(cfg.warehouse)
    assert any(m.startswith("lese ") for m in said)
    bad = edited(tmp_path, LDB_POP, *BAD_CASES[1][:2], "iso-8859-1")
    with pytest.raises(InputError) as exc:
        refresh(cfg, [REGISTER, bad])
    assert str(bad) in str(exc.value) and exc.value.line is not None
    assert data_checksum(cfg.warehouse) == via_process

    monkeypatch.setenv("FIS_READ_PROCESS_MIN_BYTES", str(10**15))  # a thread
    other = load_config(make_project(tmp_path / "thread"))
    refresh(other, SOME)
    assert data_checksum(other.warehouse) == via_process
    with pytest.raises(InputError) as exc2:
        refresh(other, [REGISTER, bad])
    assert str(exc2.value) == str(exc.value)


def test_exports_above_the_size_limit_are_left_to_the_reader(cfg, tmp_path, monkeypatch):
    """While the merge waits, the refresh reads ahead only small exports itself (a big one
    would keep it from merging while the reader runs dry); the data are the same."""
    import threading
    import time

    from conftest import make_project
    from fis.config import load_config
    from fis.warehouse import refresh as refresh_module

    where: list[str] = []
    real = refresh_module._read_and_map

    def spy(path, *args, **kwargs):
        name = threading.current_thread().name
        where.append(name)
        if name.startswith("fis-read"):
            time.sleep(0.2)  # a slow reader: the merge waits, and would read ahead itself
        return real(path, *args, **kwargs)

    monkeypatch.setattr(refresh_module, "_read_and_map", spy)
    monkeypatch.setattr(refresh_module, "READ_SELF_MAX_BYTES", 0)
    refresh(cfg, SOME)
    assert len(where) >= 3 and all(name.startswith("fis-read") for name in where)

    monkeypatch.setattr(refresh_module, "READ_SELF_MAX_BYTES", 10**15)
    where.clear()
    other = load_config(make_project(tmp_path / "self"))
    refresh(other, SOME)
    assert len(where) >= 3
    assert data_checksum(other.warehouse) == data_checksum(cfg.warehouse)


def test_the_reader_reads_on_while_the_merge_is_busy(cfg, tmp_path, monkeypatch):
    """The reader gets the next export as soon as it hands one back, not only between two
    merges: while the first export merges, it reads all the others that this process did
    not take while it waited (they fit into READ_AHEAD_BYTES). With no room ahead only the
    next one is read, and the data are the same."""
    import threading
    import time

    from conftest import make_project
    from fis.config import load_config
    from fis.warehouse import refresh as refresh_module

    real_read, real_merge = refresh_module._read_and_map, refresh_module._merge
    reads: list[str] = []
    changed = threading.Condition()
    seen: list[int] = []  # exports read when the first merge ends
    expect = [len(SOME)]

    def read(path, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            time.sleep(0.3)  # this process reads slowly: the reader is done first
        res = real_read(path, *args, **kwargs)
        with changed:
            reads.append(threading.current_thread().name)
            changed.notify_all()
        return res

    def slow_merge(*args, **kwargs):
        if not seen:
            with changed:  # a slow first merge: until the reads expected are done
                changed.wait_for(lambda: len(reads) >= expect[0], timeout=10)
            time.sleep(0.3)  # (time to read one too many)
            seen.append(len(reads))
        return real_merge(*args, **kwargs)

    monkeypatch.setattr(refresh_module, "_read_and_map", read)
    monkeypatch.setattr(refresh_module, "_merge", slow_merge)
    refresh(cfg, SOME)
    assert seen == [len(SOME)]

    monkeypatch.setattr(refresh_module, "READ_AHEAD_BYTES", 0)
    reads.clear(), seen.clear()
    expect[0] = 2
    other = load_config(make_project(tmp_path / "bounded"))
    refresh(other, SOME)
    assert seen == [2]  # the export being merged and the next one
    assert data_checksum(other.warehouse) == data_checksum(cfg.warehouse)


def test_dashes_resolved_per_key_form_and_period():
    """'-' is 0, except all-'-' rows before a key's first delivery, after a historical
    region's last one, of a key that never delivers, and where another form of the same
    region delivers that period."""
    import pandas as pd

    from fis.warehouse.refresh import _resolve_dashes

    rows = [  # raw key, region key, period, value, status
        ("A", "A", 2019, None, "-"), ("A", "A", 2020, 5, ""), ("A", "A", 2021, None, "-"),
        ("H", "H", 2019, 3, ""), ("H", "H", 2020, None, "-"),
        ("N", "N", 2019, None, "-"), ("N", "N", 2020, None, "-"),
        ("old", "M", 2019, 7, ""), ("old", "M", 2020, None, "-"),
        ("new", "M", 2019, None, "-"), ("new", "M", 2020, 8, ""),
    ]  # fmt: skip
    obs = pd.DataFrame(rows, columns=["raw_key", "region_key", "period", "value", "status"])
    obs = obs.astype({"raw_key": "category", "region_key": "category", "status": "category"})
    out = _resolve_dashes(obs, historical={"H"})
    got = {(r.raw_key, r.period): (r.not_applicable, None if pd.isna(r.value) else r.value)
           for r in out.itertuples()}  # fmt: skip
    assert got[("A", 2019)] == (True, None)  # before the first delivery
    assert got[("A", 2021)] == (False, 0.0)  # a true zero later on
    assert got[("H", 2020)] == (True, None)  # after a historical region's last delivery
    assert got[("N", 2019)] == got[("N", 2020)] == (True, None)  # never delivers
    assert got[("old", 2020)] == (True, None)  # the new form delivers 2020
    assert got[("new", 2019)] == (True, None)  # the old form delivers 2019
    assert got[("A", 2020)] == (False, 5.0)


def test_duplicated_keys_as_pandas_finds_them():
    import numpy as np
    import pandas as pd

    from fis.warehouse.refresh import _duplicated

    rng = np.random.default_rng(7)
    for periods in ([2019, 2020, 2021], [1, 10**12]):  # a small and a huge range of periods
        n = 5000
        obs = pd.DataFrame({
            "variable_id": pd.Categorical(rng.choice(["a", "b", "c"], n)),
            "region_key": pd.Categorical(rng.choice([f"{i:05d}" for i in range(400)], n)),
            "period": rng.choice(periods, n),
        })  # fmt: skip
        expected = obs.duplicated(["variable_id", "region_key", "period"], keep=False)
        assert expected.any() and not expected.all()
        assert (_duplicated(obs) == expected.to_numpy()).all()
