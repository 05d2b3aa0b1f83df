"""Benchmarks: time whole commands on the real corpus; prints a table of figures.

Run with `make bench`. Benchmarks measure; they never fail the test suite.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "real"
FIS = [sys.executable, "-m", "fis.cli"]


def project(tmp: Path) -> Path:
    """A throw-away project using this repo's catalogue and pipelines and a fresh warehouse."""
    (tmp / "fis.toml").write_text(
        f"""[regions]
focus = "05970"
comparison = ["05970", "05", "DG"]
[paths]
warehouse = "{tmp / "fis.duckdb"}"
indicators = "{ROOT / "indicators"}"
pipelines = "{ROOT / "pipelines"}"
demo = "{ROOT / "data" / "demo"}"
jugendaemter = "{ROOT / "data" / "regions" / "jugendaemter.csv"}"
""",
        encoding="utf-8",
    )
    return tmp


def timed(args: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(FIS + args, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - t0


def reader_times(runs: int) -> list[tuple[str, list[float]]]:
    """Reading each real export (in this process; speed of the readers alone)."""
    from fis.readers.sniff import read_file

    rows = []
    for path in sorted(REAL.iterdir()):
        if path.suffix.lower() not in (".csv", ".asc"):
            continue
        ts = []
        for _ in range(runs):
            t0 = time.perf_counter()
            res = read_file(path)
            ts.append(time.perf_counter() - t0)
        rows.append((f"read {path.name} ({len(res.frame)} cells)", ts))
    return rows


def report_times(p: Path, runs: int) -> list[tuple[str, list[float]]]:
    """One report in this process (data, view with charts, HTML / PDF), and whole commands."""
    from fis.catalog import load_catalog
    from fis.config import load_config
    from fis.report import html, pdf_report
    from fis.report.branding import load_branding
    from fis.report.view import report_view
    from fis.warehouse import schema
    from fis.warehouse.report_data import report_data

    cfg = load_config(p)
    cat, brand = load_catalog(cfg.indicators), load_branding(cfg)
    con = schema.connect(cfg.warehouse, read_only=True)
    data_t, view_t, html_t, pdf_t = [], [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        data = report_data(con, cfg, cat, "Kreuztal")
        t1 = time.perf_counter()
        view = report_view(data, brand.colors)
        t2 = time.perf_counter()
        html.render_report_html(view, brand)
        t3 = time.perf_counter()
        pdf_report.render_report_pdf(view, brand)
        t4 = time.perf_counter()
        data_t.append(t1 - t0)
        view_t.append(t2 - t1)
        html_t.append(t3 - t2)
        pdf_t.append(t4 - t3)
    con.close()
    return [
        ("report Kreuztal: data from the warehouse", data_t),
        ("report Kreuztal: print view incl. 25 charts (SVG)", view_t),
        ("report Kreuztal: HTML from the view", html_t),
        ("report Kreuztal: PDF from the view (typst)", pdf_t),
        ("fis report Kreuztal --format html (whole command)",
         [timed(["report", "Kreuztal", "--format", "html"], p) for _ in range(runs)]),
        ("fis report Kreuztal --format pdf (whole command)",
         [timed(["report", "Kreuztal", "--format", "pdf"], p) for _ in range(runs)]),
        ("fis report --all --kreis (11 Gemeinden + Kreis, HTML + PDF, 2 processes)",
         [timed(["report", "--all", "--kreis"], p)]),
    ]  # fmt: skip


def main(runs: int = 3) -> None:
    rows = []
    if REAL.is_dir():
        rows += reader_times(runs)
        full, again = [], []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as d:
                p = project(Path(d))
                full.append(timed(["refresh", str(REAL)], p))
                again.append(timed(["refresh", str(REAL)], p))
        rows.append(("fis refresh, real corpus (all of Germany), fresh warehouse", full))
        rows.append(("fis refresh, same files again (no changes)", again))
    else:
        print(f"reference corpus not found at {REAL}; skipping the real-corpus benchmarks")
    with tempfile.TemporaryDirectory() as d:
        p = project(Path(d))
        demo = [timed(["demo", "--no-reports"], p)]
        rows.append(("fis demo --no-reports (fresh warehouse)", demo))
        rows.append(("fis --help", [timed(["--help"], p) for _ in range(runs)]))
        rows.append(("fis show Siegen", [timed(["show", "Siegen"], p) for _ in range(runs)]))
        rows += report_times(p, runs)
    print(f"{'benchmark':72} {'median s':>9} {'runs':>5}")
    for name, ts in rows:
        print(f"{name:72} {statistics.median(ts):9.3f} {len(ts):5d}")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
