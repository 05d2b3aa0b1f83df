"""Benchmarks: every figure of the scale targets, as a table (`make bench`).

Benchmarks measure; they never fail the test suite. Each row: figure, target, measured (median
of the runs), the ratio measured / target, and — for refreshes — the practical limit (DuckDB
alone loading the same observations from a long CSV) and the ratio to it.

    python benchmarks/run.py                 # everything: real corpus, demo, Germany scale
    python benchmarks/run.py --no-scale      # without the Germany-scale corpus (minutes less)
    python benchmarks/run.py --share 0.1     # Germany scale with every 10th Kreis

The Germany-scale corpus is written by benchmarks/scale.py into --scale-dir (outside the
repository; reused when it is there with the same options) from the real GV100AD register.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "real"
REGISTER = REAL / "destatis_GV100AD_301121.ASC"
FIS = [sys.executable, "-m", "fis.cli"]
GEMEINDE = "05970024"  # Kreuztal: the profile query's Gemeinde


def project(tmp: Path, rules: Path | None = None) -> Path:
    """A throw-away project using this repo's catalogue and pipelines and a fresh warehouse."""
    rules_line = f'rules = "{rules}"\n' if rules else ""
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
out = "{tmp / "out"}"
{rules_line}""",
        encoding="utf-8",
    )
    return tmp


@dataclass
class Row:
    figure: str
    times: list[float]
    target: float | None = None  # seconds
    unit: str = "s"
    limit: float | None = None  # the practical limit (seconds), where one is defined
    notes: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            pass  # gone meanwhile
    return total


def run(args: list[str], cwd: Path, progress: list | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in GB) of one whole command, as from the shell.

    The peak is the larger of the process's own maximum (wait4) and the sum over it and its
    children sampled every 50 ms (a refresh reads exports in a second process). `progress`,
    if given, receives (seconds since the start, line) for each line the command writes to
    stderr (a refresh's progress: where its stages begin)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(FIS + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()
    out_lines: list[bytes] = []
    err_lines: list[tuple[float, str]] = []

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_rss(p.pid))

    def drain_stdout() -> None:  # both pipes are read as they fill: no pipe buffer blocks
        out_lines.extend(p.stdout)

    def drain_stderr() -> None:
        for line in p.stderr:
            err_lines.append((time.perf_counter() - t0, line.decode().strip()))

    threads = [
        threading.Thread(target=f, daemon=True) for f in (sample, drain_stdout, drain_stderr)
    ]
    for t in threads:
        t.start()
    _, status, usage = os.wait4(p.pid, 0)
    done.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    out = b"".join(out_lines).decode()
    err = "\n".join(line for _, line in err_lines)
    if progress is not None:
        progress.extend(err_lines)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise RuntimeError(f"fis {' '.join(args)} failed ({p.returncode}):\n{out}\n{err}")
    return wall, max(usage.ru_maxrss * 1e3, peak[0]) / 1e9  # ru_maxrss is in kB on Linux


def stage_start(progress: list[tuple[float, str]], prefix: str) -> float:
    """Seconds from the command's start to its first progress line starting with `prefix`."""
    return next(t for t, line in progress if line.startswith(prefix))


def timed(args: list[str], cwd: Path) -> float:
    return run(args, cwd)[0]


def csv_limit(warehouse: Path, work: Path, where: str = "TRUE") -> tuple[float, int]:
    """The practical limit: DuckDB alone loading the refresh's observations from a long CSV
    (a row per cell with all columns) into a new database file. Returns (seconds, rows)."""
    import duckdb

    csv = work / "observations.csv"
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute(f"COPY (SELECT * FROM observations WHERE {where}) TO '{csv}' (HEADER)")
    con.close()
    db = work / "limit.duckdb"
    t0 = time.perf_counter()
    con = duckdb.connect(str(db))
    n = con.execute(f"CREATE TABLE o AS SELECT * FROM read_csv('{csv}')").fetchone()[0]
    con.close()  # includes the checkpoint, like the refresh's commit
    seconds = time.perf_counter() - t0
    csv.unlink()
    db.unlink()
    return seconds, n


def reader_rows(runs: int) -> list[Row]:
    """Reading each real export in this process (the readers alone)."""
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
        rows.append(Row(f"read {path.name} ({len(res.frame):,} cells)", ts))
    return rows


def report_rows(p: Path, runs: int) -> list[Row]:
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
        Row("report Kreuztal: data from the warehouse", data_t),
        Row("report Kreuztal: print view incl. charts (SVG)", view_t),
        Row("report Kreuztal: HTML from the view", html_t),
        Row("report Kreuztal: PDF from the view (typst)", pdf_t),
        Row("fis report Kreuztal --format html (whole command)",
            [timed(["report", "Kreuztal", "--format", "html"], p) for _ in range(runs)]),
        Row("fis report Kreuztal --format pdf (whole command)",
            [timed(["report", "Kreuztal", "--format", "pdf"], p) for _ in range(runs)]),
        Row("fis report --all --kreis (11 Gemeinden + Kreis, HTML + PDF)",
            [timed(["report", "--all", "--kreis"], p)]),
    ]  # fmt: skip


def profile_query(warehouse: Path, runs: int = 7) -> list[float]:
    """All indicators × 15 years of one Gemeinde, in-process on an open connection, warm."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    sql = """SELECT indicator_id, period, value, status FROM indicator_values
             WHERE region_key = ? AND period BETWEEN 2010 AND 2024"""
    con.execute(sql, [GEMEINDE]).fetchall()  # warm-up
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        rows = con.execute(sql, [GEMEINDE]).fetchall()
        ts.append(time.perf_counter() - t0)
    con.close()
    if not rows:
        raise RuntimeError(f"profile query found nothing for {GEMEINDE}")
    return ts


def all_indicators(cfg_dir: Path, runs: int = 2) -> list[float]:
    """Recomputing every indicator for all regions and periods (rolled back afterwards)."""
    from fis.catalog import load_catalog
    from fis.config import load_config
    from fis.warehouse import indicators, schema

    cfg = load_config(cfg_dir)
    defs = list(load_catalog(cfg.indicators).indicators.values())
    con = schema.connect(cfg.warehouse)
    ts = []
    for _ in range(runs):
        con.execute("BEGIN TRANSACTION")
        t0 = time.perf_counter()
        indicators.build_indicator_values(con, defs)
        ts.append(time.perf_counter() - t0)
        con.execute("ROLLBACK")
    con.close()
    return ts


def scale_corpus(out: Path, share: float, *extra: str) -> Path:
    """Write (or reuse) a Germany-scale corpus; the options are remembered in a dot file."""
    stamp = out / ".options"
    options = f"share={share} {' '.join(extra)}"
    if stamp.exists() and stamp.read_text() == options:
        return out
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--out", str(out),
           "--share", str(share), *extra]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True)
    stamp.write_text(options)
    return out


def scale_project(tmp: Path) -> Path:
    """A project for the synthetic Germany-scale corpus: the project's rules, except that a
    share above 100 % is a warning. The generator rounds parts and totals of different tables
    independently, so a few single cells of tiny areas pass 100 %; the rule still runs (and
    costs what it costs), the refresh lands, and the bench reports how many there were."""
    import yaml

    rules = yaml.safe_load((ROOT / "rules.yaml").read_text(encoding="utf-8")) or {}
    rules.setdefault("share_above_100", {})["severity"] = "warning"
    path = tmp / "rules.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    return project(tmp, path)


def synthetic_shares(warehouse: Path) -> int:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    n = con.execute(
        "SELECT count(*) FROM findings WHERE rule = 'share_above_100' AND severity = 'warning' "
        "AND refresh_id = (SELECT max(refresh_id) FROM refreshes)"
    ).fetchone()[0]
    con.close()
    return n


def scale_rows(scale_dir: Path, share: float, runs: int) -> list[Row]:
    """Germany scale: full refresh, limit, incremental year, indicators, profile, NRW reports."""
    import duckdb

    full = scale_corpus(scale_dir / "full", share)
    base = scale_corpus(scale_dir / "base", share, "--years", "19", "--last-year", "2023")
    new_year = scale_corpus(scale_dir / "2024", share, "--only-years", "2024")
    rows = []
    walls, peaks, limits = [], [], []
    with tempfile.TemporaryDirectory() as d:
        p = scale_project(Path(d))
        loads = []
        for _ in range(runs):
            (p / "fis.duckdb").unlink(missing_ok=True)
            said: list[tuple[float, str]] = []
            wall, peak = run(["refresh", str(REGISTER), str(full)], p, said)
            walls.append(wall)
            peaks.append(peak)
            loads.append(stage_start(said, "summiere"))
            # the limit after each run too: the machine's speed drifts between runs, and the
            # ratio compares the medians of both
            limit, n_obs = csv_limit(p / "fis.duckdb", Path(d))
            limits.append(limit)
        con = duckdb.connect(str(p / "fis.duckdb"), read_only=True)
        n_ind = con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
        n_reg = con.execute("SELECT count(*) FROM regions WHERE level = 'gemeinde'").fetchone()[0]
        con.close()
        what = (f"{n_obs / 1e6:.1f} M obs., {n_reg:,} Gemeinden, 20 years; "
                f"{synthetic_shares(p / 'fis.duckdb')} shares > 100 % as warnings")  # fmt: skip
        rows.append(Row(f"fis refresh, Germany scale ({what}), fresh warehouse", walls, 120,
                        limit=statistics.median(limits)))  # fmt: skip
        rows.append(Row("  of which loading (read, map, check, merge; until aggregation)", loads,
                        limit=statistics.median(limits)))  # fmt: skip
        rows.append(Row("  peak memory of that refresh", peaks, 6, unit="GB"))
        rows.append(Row(f"all {len(indicator_ids())} indicators, all regions and periods "
                        f"({n_ind / 1e6:.1f} M values)", all_indicators(p), 30))  # fmt: skip
        rows.append(Row(f"profile query: all indicators × 15 years, one Gemeinde ({GEMEINDE}), "
                        "warm", profile_query(p / "fis.duckdb"), 0.05))  # fmt: skip
        t_reports, _ = run(["report", "--all", "--within", "05", "--format", "html"], p)
        n_reports = len(list((p / "out" / "berichte").rglob("*.html")))
        rows.append(Row(f"fis report --all --within 05 --format html ({n_reports} reports)",
                        [t_reports], 300))  # fmt: skip
    incr, limits = [], []
    with tempfile.TemporaryDirectory() as d:
        p = scale_project(Path(d))
        run(["refresh", str(REGISTER), str(base)], p)
        for _ in range(runs):
            backup = Path(d) / "base.duckdb"
            shutil.copy2(p / "fis.duckdb", backup)
            os.sync()  # the copy's write-back is setup, not part of the refresh measured
            incr.append(run(["refresh", str(new_year)], p)[0])
            if not limits:
                last = duckdb.connect(str(p / "fis.duckdb"), read_only=True).execute(
                    "SELECT max(refresh_id) FROM refreshes").fetchone()[0]  # fmt: skip
                limits.append(csv_limit(p / "fis.duckdb", Path(d), f"refresh_id = {last}")[0])
            shutil.copy2(backup, p / "fis.duckdb")
        rows.append(Row("fis refresh adding 2024 for all regions (warehouse with 2005-2023)",
                        incr, 20, limit=statistics.median(limits)))  # fmt: skip
    return rows


def guarded_scale_rows(a) -> list[Row]:
    """The Germany-scale rows; a failing command becomes a row saying so (benchmarks measure,
    they do not stop at the first failure)."""
    try:
        return scale_rows(a.scale_dir, a.share, a.scale_runs)
    except (RuntimeError, subprocess.CalledProcessError) as e:
        reason = next((ln for ln in str(e).splitlines() if "Fehler" in ln or "Error" in ln),
                      str(e).splitlines()[0])  # fmt: skip
        return [Row(f"Germany scale FAILED: {reason}", [float("nan")])]


def indicator_ids() -> list[str]:
    from fis.catalog import load_catalog

    return list(load_catalog(ROOT / "indicators").indicators)


def print_table(rows: list[Row]) -> None:
    head = f"{'figure':86} {'target':>8} {'measured':>9} {'/target':>8} {'limit':>7} {'/limit':>7} {'runs':>4}"
    print(head)
    print("-" * len(head))
    for r in rows:
        unit = r.unit
        target = f"{r.target:g} {unit}" if r.target is not None else ""
        ratio = f"{r.median / r.target:.2f}" if r.target else ""
        limit = f"{r.limit:.1f} s" if r.limit else ""
        to_limit = f"{r.median / r.limit:.1f}×" if r.limit else ""
        measured = f"{r.median:.3f} {unit}" if r.median < 10 else f"{r.median:.1f} {unit}"
        if r.median != r.median:  # NaN: the command failed
            measured, ratio = "failed", ""
        print(f"{r.figure[:86]:86} {target:>8} {measured:>9} {ratio:>8} {limit:>7} "
              f"{to_limit:>7} {len(r.times):>4}")  # fmt: skip
    print(f"machine: {os.cpu_count()} cores, {_memory_gb():.0f} GB, {platform.machine()}, "
          f"Python {sys.version.split()[0]}, {platform.platform()}")  # fmt: skip


def _memory_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    except (ValueError, OSError):
        return 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per quick figure (median)")
    ap.add_argument("--scale-runs", type=int, default=1, help="runs per Germany-scale refresh")
    ap.add_argument("--share", type=float, default=1.0, help="share of Kreise for the scale")
    ap.add_argument("--scale-dir", type=Path, default=Path(tempfile.gettempdir()) / "fis-bench")
    ap.add_argument("--no-scale", action="store_true", help="skip the Germany-scale figures")
    ap.add_argument("--only-scale", action="store_true", help="only the Germany-scale figures")
    a = ap.parse_args(argv)
    rows: list[Row] = []
    if a.only_scale:
        rows += guarded_scale_rows(a)
        print_table(rows)
        return 0
    with tempfile.TemporaryDirectory() as d:
        p = project(Path(d))
        rows.append(Row("fis --help", [timed(["--help"], p) for _ in range(a.runs)], 0.3))
        rows.append(Row("fis demo --no-reports (fresh warehouse)",
                        [timed(["demo", "--no-reports"], p)]))  # fmt: skip
        rows.append(Row("fis show Siegen (demo warehouse)",
                        [timed(["show", "Siegen"], p) for _ in range(a.runs)], 0.5))  # fmt: skip
        rows += report_rows(p, a.runs)
    if REAL.is_dir():
        rows += reader_rows(a.runs)
        full, again = [], []
        for _ in range(a.runs):
            with tempfile.TemporaryDirectory() as d:
                p = project(Path(d))
                full.append(timed(["refresh", str(REAL)], p))
                again.append(timed(["refresh", str(REAL)], p))
        rows.append(Row("fis refresh, real corpus, fresh warehouse", full))
        rows.append(Row("fis refresh, same files again (no changes)", again))
        if not a.no_scale:
            rows += guarded_scale_rows(a)
    else:
        print(f"reference corpus not found at {REAL}: real-corpus and scale figures skipped")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
