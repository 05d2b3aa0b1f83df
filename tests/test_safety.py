"""Refresh safety: one refresh at a time, stale locks, and SIGKILL at any moment."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import ROOT, data_checksum, make_project
from fis.config import load_config
from fis.errors import WarehouseError
from fis.warehouse.lock import lock_path
from fis.warehouse.refresh import refresh

DEMO = ROOT / "data" / "demo"
REGISTER = DEMO / "gv100ad_demo_301121.ASC"
# a handful of demo exports: enough work that a kill can land in every stage
FILES = [
    REGISTER,
    DEMO / "regionalstatistik_12411-01-01-5_demo.csv",
    DEMO / "regionalstatistik_12411-02-03-5_demo.csv",
    DEMO / "ldbnrw_12411-15i_demo.csv",
    DEMO / "ldbnrw_12612-01i_demo.csv",
    DEMO / "ldbnrw_12613-01i_demo.csv",
    DEMO / "ldbnrw_12711-01i_demo.csv",
]


def _cli(project, *args):
    return [sys.executable, "-m", "fis.cli", "--project", str(project), *args]


def _checksum(warehouse):
    # a killed writer leaves a WAL: open once read-write so that DuckDB replays or drops it
    duckdb.connect(str(warehouse)).close()
    return data_checksum(warehouse)


def test_live_lock_refuses_second_refresh(cfg):
    refresh(cfg, [REGISTER])
    before = data_checksum(cfg.warehouse)
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_path(cfg.warehouse).write_text(
            f'{{"pid": {holder.pid}, "host": "{os.uname().nodename}", "since": "jetzt"}}',
            encoding="utf-8",
        )
        with pytest.raises(WarehouseError, match=f"another refresh is running \\(pid {holder.pid}"):
            refresh(cfg, FILES)
    finally:
        holder.kill()
        holder.wait()
    assert data_checksum(cfg.warehouse) == before
    lock_path(cfg.warehouse).unlink()


def test_stale_lock_is_taken_over(cfg):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock_path(cfg.warehouse).write_text(
        f'{{"pid": {dead.pid}, "host": "{os.uname().nodename}", "since": "gestern"}}',
        encoding="utf-8",
    )
    rep = refresh(cfg, [REGISTER])
    assert any("verwaiste Sperre" in w for w in rep.warnings)
    assert not lock_path(cfg.warehouse).exists()


@pytest.mark.slow
def test_two_concurrent_refreshes_one_refused(tmp_path):
    proj = make_project(tmp_path / "p")
    cfg = load_config(proj)
    first = subprocess.Popen(
        _cli(proj, "refresh", str(DEMO)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.time() + 60
    while not lock_path(cfg.warehouse).exists() and time.time() < deadline:
        time.sleep(0.05)
    second = subprocess.run(_cli(proj, "refresh", *map(str, FILES)), capture_output=True, text=True)
    assert second.returncode == 1
    assert "another refresh is running" in second.stderr
    assert first.wait(timeout=300) == 0
    # nothing lost: the first refresh's data is exactly what a refresh alone gives
    alone = load_config(make_project(tmp_path / "alone"))
    refresh(alone, [DEMO])
    assert data_checksum(cfg.warehouse) == data_checksum(alone.warehouse)


@pytest.mark.slow
def test_sigkill_leaves_before_or_after(tmp_path):
    base = load_config(make_project(tmp_path / "base"))
    refresh(base, [REGISTER])
    before = data_checksum(base.warehouse)
    done = load_config(make_project(tmp_path / "done"))
    shutil.copy(base.warehouse, done.warehouse)
    t0 = time.perf_counter()
    refresh(done, FILES)
    duration = time.perf_counter() - t0
    after = data_checksum(done.warehouse)
    assert before != after
    outcomes = []
    # kill at spread-out moments: reading, merging, aggregating, computing, committing
    for i, frac in enumerate([0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.1]):
        proj = make_project(tmp_path / f"k{i}")
        cfg = load_config(proj)
        shutil.copy(base.warehouse, cfg.warehouse)
        proc = subprocess.Popen(_cli(proj, "refresh", *map(str, FILES)), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(0.8 + frac * duration)  # interpreter start-up first
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = _checksum(cfg.warehouse)
        assert state in (before, after), f"kill {i}: warehouse is neither before nor after"
        outcomes.append(state == after)
    assert outcomes.count(False) >= 1  # some kills landed before the commit
