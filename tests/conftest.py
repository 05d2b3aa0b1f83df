"""Shared fixtures: the reference corpus beside the project, and fresh project folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = ROOT.parent / "shared" / "data" / "real"


def _need_real() -> Path:
    """The real exports; skip visibly on a user's clone, fail in CI where they must exist."""
    if SHARED_REAL.is_dir():
        return SHARED_REAL
    if os.environ.get("CI") == "true":
        pytest.fail(f"reference corpus missing at {SHARED_REAL} (CI=true requires it)")
    pytest.skip(f"reference corpus not found at {SHARED_REAL}")


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """Folder of the real exports (../shared/data/real)."""
    return _need_real()


@pytest.fixture(scope="session")
def real(real_dir):
    """A function: file name -> path in the reference corpus."""

    def get(name: str) -> Path:
        p = real_dir / name
        if not p.exists():
            pytest.fail(f"reference file missing: {p}")
        return p

    return get


def make_project(folder: Path, focus: str = "05970") -> Path:
    """A project folder using this repo's catalogue, pipelines and demo data, own warehouse."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fis.toml").write_text(
        f"""[regions]
focus = "{focus}"
comparison = ["{focus}", "05", "DG"]
[paths]
warehouse = "{folder / "fis.duckdb"}"
indicators = "{ROOT / "indicators"}"
pipelines = "{ROOT / "pipelines"}"
demo = "{ROOT / "data" / "demo"}"
raw = "{folder / "raw"}"
jugendaemter = "{ROOT / "data" / "regions" / "jugendaemter.csv"}"
""",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh project folder with an empty warehouse path."""
    return make_project(tmp_path / "proj")


@pytest.fixture
def cfg(project):
    from fis.config import load_config

    return load_config(project)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory):
    """Config of a project whose warehouse was built once from the demo data (read-only use)."""
    from fis.config import load_config
    from fis.demo.build import build_demo

    c = load_config(make_project(tmp_path_factory.mktemp("demo")))
    build_demo(c)
    return c


def data_checksum(warehouse: Path) -> str:
    """A checksum over every data table of a warehouse (not its logs), computed in DuckDB:
    row count and the sum of whole-row hashes (independent of row order)."""
    import hashlib

    import duckdb

    from fis.warehouse.schema import DATA_TABLES

    h = hashlib.sha256()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for t in DATA_TABLES:
            row = con.execute(f"SELECT count(*), sum(hash(*COLUMNS(*))) FROM {t}").fetchone()
            h.update(f"{t}:{row}".encode())
    finally:
        con.close()
    return h.hexdigest()
