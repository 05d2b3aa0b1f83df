"""A refresh: read exports, map them to variables, validate, merge, recompute — atomically.

Either the whole refresh lands (one DuckDB transaction) or the warehouse's data stays exactly
as it was; the attempt is logged in `refreshes` either way.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from fis.catalog import load_catalog
from fis.config import Config
from fis.errors import FisError, InputError
from fis.keys import KeyIndex, normalise_keys
from fis.pipelines import PipelineSpec, apply_spec, duplicated_codes, load_specs, match_spec
from fis.readers.base import ReadResult
from fis.readers.gv100ad import read_register
from fis.readers.sniff import detect, read_file
from fis.warehouse import aggregate, checks, derived, indicators, jugendaemter, regions, schema
from fis.warehouse.lock import refresh_lock
from fis.warehouse.views import create_views


@dataclass
class FileSummary:
    path: str
    format: str
    table_code: str
    pipeline: str
    cells: int
    sha256: str
    stand: str | None


@dataclass
class RefreshReport:
    refresh_id: int
    status: str  # ok | unchanged | dry-run
    files: list[FileSummary] = field(default_factory=list)
    n_new: int = 0
    n_revised: int = 0
    n_unchanged: int = 0
    n_regions_register: int = 0
    n_historical: int = 0
    n_indicator_values: int = 0
    n_findings: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    validation_report: Path | None = None  # the Prüfbericht (HTML) of this refresh


def collect_files(paths: list[Path]) -> list[tuple[Path, bool]]:
    """(file, named directly) for files named directly and every file below named folders."""
    out: list[tuple[Path, bool]] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += [(f, False) for f in sorted(p.rglob("*"))
                    if f.is_file() and not f.name.startswith(".")]  # fmt: skip
        elif p.is_file():
            out.append((p, True))
        else:
            raise InputError(p, "no such file or folder")
    return out


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def refresh(
    cfg: Config,
    paths: list[Path],
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> RefreshReport:
    """Load `paths` into the warehouse of `cfg`; raises FisError and leaves the data unchanged."""
    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    specs = load_specs(cfg.pipelines)
    catalog = load_catalog(cfg.indicators)
    files = collect_files(paths)
    if not files:
        raise FisError("nothing to refresh: no files given")
    report_notes: list[str] = []
    with refresh_lock(cfg.warehouse, report_notes):
        report = _locked_refresh(cfg, files, specs, catalog, dry_run, say, t0)
    report.warnings[:0] = report_notes
    return report


# DuckDB's share of the memory during a refresh. Its operators (sorts, joins, grouped
# aggregates) spill to the warehouse's .tmp folder beyond it, so a Germany-scale refresh stays
# within ~6 GB on a 2-core, 24 GB machine (DuckDB would take 80 % of the RAM by default).
# FIS_MEMORY_LIMIT overrides it (e.g. "8GB" on a bigger machine).
MEMORY_LIMIT = "3GB"


# From this many bytes of exports on, a second process reads and maps them while the refresh
# merges (below that, a thread: starting a process costs more than it saves).
READ_PROCESS_MIN_BYTES = 20_000_000
# How far the reading may run ahead of the merge: bytes of the export files read or being read
# and not merged yet, the one being merged included (the next one is read in any case).
# Twice what it was when the reader got new exports only between two merges: now it reads
# on while the merge is busy, and a smaller window stopped it for seconds behind the biggest
# export (Germany scale: 128 -> 256 MB with 32 MB below, loading 27.4 -> 23.8 s, medians of
# three interleaved runs of `fis refresh`; peak memory 4.64 -> 4.73 GB).
READ_AHEAD_BYTES = 256_000_000
# While it waits for the reader, the refresh reads ahead itself only exports up to this size:
# a bigger one would keep it from merging for seconds, and the reader never runs dry now.
READ_SELF_MAX_BYTES = 32_000_000


def _reader(files) -> Executor:
    """Where exports are read and mapped, ahead of the merge.

    pandas and pandera hold Python's GIL for most of their work, so a thread overlaps little
    with the merge; a process overlaps fully (2 cores; a third busy process only slowed the
    merge, measured at Germany scale). It is forked here, before DuckDB opens the warehouse
    and starts its threads, from a process with a single thread.
    """
    size = sum(f.stat().st_size for f, _ in files)
    limit = int(os.environ.get("FIS_READ_PROCESS_MIN_BYTES", READ_PROCESS_MIN_BYTES))
    if size < limit or "fork" not in multiprocessing.get_all_start_methods():
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="fis-read")
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    pool.submit(_warm_up)  # forks now; the child imports pandera while the register loads
    return pool


def _warm_up() -> None:
    import fis.schemas  # noqa: F401


class _ReadAhead:
    """The exports read and mapped ahead of the merge, which takes them in order.

    The reader (see _reader) takes them from the front and always has two in hand: it gets
    the next as soon as it hands one back, not only when the merge comes to ask. While the
    merge waits for it, this process reads the next ones the reader has not taken. What may
    be read now: the export being merged, the next one, and the ones after them while all
    of them stay within READ_AHEAD_BYTES (bounded memory). An export's error is raised when
    the merge gets to it (in order).
    """

    def __init__(self, pool: Executor, paths: list[Path], read: Callable[[Path], Mapped]):
        self.pool, self.paths, self.read = pool, paths, read
        self.sizes = [p.stat().st_size for p in paths]
        self.results: dict[int, Future | None] = {}  # claimed exports (None: merged)
        self.in_pool: list[Future] = []
        self.merging = 0
        self.stopped = False
        # The reader hands exports back on another thread (their callbacks): one lock.
        self.lock = threading.RLock()

    def take(self, i: int) -> Mapped:
        """Export i, read and mapped, once the merge gets to it."""
        with self.lock:
            self.merging = i
            self._fill()  # export i is claimed now: by the reader, if not before
        while True:
            with self.lock:
                if self.results[i].done() or (j := self._claim()) is None:
                    fut, self.results[i] = self.results[i], None  # merged: let go of it
                    break
                own = self.results[j] = Future()
            try:
                own.set_result(self.read(self.paths[j]))
            except Exception as e:  # raised in order, when the merge gets there
                own.set_exception(e)
        return fut.result()

    def stop(self) -> None:
        """No further reading (the refresh is over, or has failed)."""
        with self.lock:
            self.stopped = True

    def _window(self) -> range:
        """The exports that may be read now."""
        end, total = self.merging, 0
        while end < len(self.paths):
            total += self.sizes[end]
            if end >= self.merging + 2 and total > READ_AHEAD_BYTES:
                break
            end += 1
        return range(self.merging, end)

    def _fill(self) -> None:
        """Give the reader the first unclaimed exports, till it has two in hand."""
        self.in_pool = [f for f in self.in_pool if not f.done()]
        window = self._window()
        while len(self.in_pool) < 2 and not self.stopped:
            i = next((i for i in window if i not in self.results), None)
            if i is None:
                return
            self.results[i] = fut = self.pool.submit(self.read, self.paths[i])
            self.in_pool.append(fut)
            fut.add_done_callback(self._handed_back)

    def _handed_back(self, _fut: Future) -> None:
        with self.lock:
            self._fill()

    def _claim(self) -> int | None:
        """The next unclaimed export of the window that this process may read itself."""
        for i in self._window():
            if i not in self.results and self.sizes[i] <= READ_SELF_MAX_BYTES:
                return i
        return None


def _locked_refresh(cfg, files, specs, catalog, dry_run, say, t0) -> RefreshReport:
    limit = _memory_limit()
    pool = _reader(files)
    try:
        return _refresh_with(cfg, files, specs, catalog, dry_run, say, t0, limit, pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # after a failure: read no further


def _refresh_with(cfg, files, specs, catalog, dry_run, say, t0, limit, pool) -> RefreshReport:
    con = schema.connect(cfg.warehouse)
    con.execute(f"SET memory_limit = '{limit}'")
    started = pd.Timestamp.now()
    refresh_id = con.execute("SELECT coalesce(max(refresh_id), 0) + 1 FROM refreshes").fetchone()[0]
    report = RefreshReport(refresh_id=refresh_id, status="ok")
    try:
        con.execute("BEGIN TRANSACTION")
        _run(con, cfg, files, specs, catalog, report, say, pool)
        if dry_run:
            # the data go, the findings stay: a dry run is for reading them
            kept = _findings_of(con, refresh_id)
            con.execute("ROLLBACK")
            _keep_findings(con, refresh_id, kept)
            report.status = "dry-run"
        else:
            if report.n_new == 0 and report.n_revised == 0:
                report.status = "unchanged"
            con.execute("COMMIT")
    except BaseException as e:
        kept = _findings_of(con, refresh_id)
        con.execute("ROLLBACK")
        msg = str(e) if isinstance(e, FisError) else f"{type(e).__name__}: {e}"
        _log(con, refresh_id, started, "failed", len(files), report, msg)
        _keep_findings(con, refresh_id, kept, failure=e)
        report.status = "failed"
        _write_validation_report(con, cfg, report)
        con.close()
        raise
    _log(
        con,
        refresh_id,
        started,
        report.status,
        len(files),
        report,
        "; ".join(report.warnings)[:2000],
    )
    _write_validation_report(con, cfg, report)
    con.close()  # includes DuckDB's checkpoint: part of the time the refresh took
    report.seconds = time.perf_counter() - t0
    return report


def _memory_limit() -> str:
    limit = os.environ.get("FIS_MEMORY_LIMIT", MEMORY_LIMIT).strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit, re.IGNORECASE):
        raise FisError(f"FIS_MEMORY_LIMIT {limit!r} is no size such as 3GB or 500MB")
    return limit


def _findings_of(con, refresh_id: int) -> list[tuple]:
    """The findings this refresh recorded so far (none if its transaction is broken)."""
    try:
        return con.execute("SELECT * FROM findings WHERE refresh_id = ?", [refresh_id]).fetchall()
    except duckdb.Error:
        return []


def _keep_findings(con, refresh_id: int, rows: list[tuple], failure=None) -> None:
    """Record findings after a rollback: what the checks found, and why the refresh failed."""
    if failure is not None and not any(r[2] == "error" for r in rows):
        rule = getattr(failure, "rule", "input" if isinstance(failure, FisError) else "abbruch")
        msg = (
            str(failure)
            if isinstance(failure, FisError)
            else f"{type(failure).__name__}: {failure}"
        )
        rows = [*rows, (refresh_id, rule, "error", None, None, None, None, None, None, msg)]
    if rows:
        con.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _write_validation_report(con, cfg: Config, report: RefreshReport) -> None:
    """The refresh's Prüfbericht (HTML) under <out>/pruefberichte/; never hides the outcome."""
    from fis.report.validation import render_validation_report
    from fis.warehouse.queries import validation_summary

    path = cfg.out / "pruefberichte" / f"refresh-{report.refresh_id:04d}.html"
    try:
        html = render_validation_report(validation_summary(con, report.refresh_id), cfg.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(path)
        report.validation_report = path
    except (OSError, duckdb.Error) as e:
        report.warnings.append(f"Prüfbericht nicht geschrieben: {e}")


def _log(con, refresh_id, started, status, n_files, report: RefreshReport, message: str) -> None:
    con.execute(
        "INSERT INTO refreshes VALUES (?, ?, current_timestamp, ?, ?, ?, ?, ?, ?)",
        [refresh_id, started, status, n_files, report.n_new, report.n_revised,
         report.n_unchanged, message],
    )  # fmt: skip


def _run(con, cfg: Config, files, specs, catalog, report: RefreshReport, say, pool) -> None:
    exports: list[tuple[Path, str]] = []
    for path, named in files:
        try:
            fmt = detect(path)
        except InputError as e:
            if named:
                raise
            # In a folder, files that are no export at all (notes, README) are skipped and
            # listed; a file named on the command line must be an export.
            report.warnings.append(f"{path.name} übersprungen: {e.reason}")
            continue
        exports.append((path, fmt))
    # The register first, so that the statistics' keys can be checked against it.
    for path, fmt in exports:
        if fmt == "gv100ad":
            say(f"Gebietsregister aus {path.name}")
            report.n_regions_register += regions.load_register(con, read_register(path))
    _sync_catalog(con, catalog)
    create_views(con)  # the wide view has a column per indicator of the catalogue
    index = _key_index(con)
    track = derived.start(con)  # record the (variable, period) pairs touched
    # Into an empty warehouse, what a pipeline has loaded is known here: the years of its
    # files merged so far (else each merge asks the warehouse; 61 exports: 0.3 s).
    loaded: dict[str, tuple[int, int]] | None = (
        {} if con.execute("SELECT count(*) FROM observations").fetchall() == [(0,)] else None
    )
    # One export at a time: read, map, validate, merge, then let go of it (bounded memory);
    # meanwhile the exports after it are read and mapped (see _ReadAhead).
    read = functools.partial(_read_and_map, specs=specs, known_vars=set(catalog.variables),
                             index=index)  # fmt: skip
    reading = _ReadAhead(pool, [p for p, _ in exports], read)
    try:
        for i, (path, _fmt) in enumerate(exports):
            say(f"lese {path.name}")
            m = reading.take(i)
            say(f"{path.name}: Pipeline {m.spec.id} ({m.cells:,} Zellen)")
            if m.unmapped:
                report.warnings.append(
                    f"{path.name}: {len(m.unmapped)} Spalte(n) nicht zugeordnet, "
                    f"z. B. {m.unmapped[0]!r}"
                )
            obs = _prepare(con, cfg, path, m.obs, index, report)
            _merge(con, obs, m, path, report, track, loaded)
            del m, obs
    finally:
        reading.stop()
    jugendaemter.load_members(con, cfg.jugendaemter)
    # Everything derived again, or only what this refresh's new and revised cells touch.
    state = derived.fingerprint(con, cfg.rules.model_dump_json(), cfg.focus, tuple(cfg.comparison))
    previous = derived.previous(con, state)
    if previous is not None:
        n_pairs, n_vars = derived.scope_size(con)
        say(f"neu zu berechnen: {n_vars} Variablen in {n_pairs} Variable-Jahr-Paaren")
    say("summiere Gemeinden zu Kreisen, Ländern und Verbänden")
    aggregate.build_variable_values(con, scoped=previous is not None)
    say("berechne Indikatoren")
    report.n_indicator_values = indicators.build_indicator_values(
        con, catalog.indicators.values(), scoped=previous is not None
    )
    say("prüfe Regeln")
    ctx = checks.Context(report.refresh_id, cfg.focus, cfg.comparison, carry_from=previous)
    report.n_findings = checks.run_all(con, ctx, cfg.rules)
    if previous is None or report.n_new or report.n_revised:
        derived.record(con, report.refresh_id, state)  # else the state stays as it was
    error = checks.first_error(con, report.refresh_id)
    if error:
        # errors block the refresh: the transaction is rolled back by the caller
        raise FisError(error)


def _sync_catalog(con, catalog) -> None:
    """Mirror the catalogue's variables and indicators into the warehouse."""
    con.execute("DELETE FROM variables")
    con.executemany(
        "INSERT INTO variables VALUES (?, ?, ?, ?, ?, ?)",
        [[v.id, v.name, v.unit, v.aggregation, v.stichtag, v.source_table]
         for v in catalog.variables.values()],
    )  # fmt: skip
    con.execute("DELETE FROM indicators")
    con.executemany(
        "INSERT INTO indicators (indicator_id, name, short, handlungsfeld, unit, decimals, polarity, "
        "numerator, denominator, factor, range_min, range_max, lowest_level, definition, note, "
        "levels, level_note, extension) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[i.id, i.name, i.short, i.handlungsfeld, i.unit, i.decimals, i.polarity, i.numerator,
          i.denominator, i.factor, i.range[0], i.range[1], i.lowest_level, i.definition, i.note,
          list(i.levels), i.level_note, i.extension]
         for i in catalog.indicators.values()],
    )  # fmt: skip


def _key_index(con) -> KeyIndex | None:
    reg = regions.register_frame(con)
    return KeyIndex.from_register(reg) if len(reg) else None


@dataclass
class Mapped:
    """One export read and mapped (see _reader), ready to be merged."""

    res: ReadResult  # without its frame
    spec: PipelineSpec
    obs: pd.DataFrame
    unmapped: list[str]
    cells: int  # cells of the export
    digest: str  # SHA-256 of the file


def _read_and_map(path: Path, specs, known_vars: set[str], index) -> Mapped:
    """Read one export, find its pipeline, check and map it, normalise its keys.

    Runs in the reading process or thread (see _reader): touches no DuckDB connection.
    """
    from fis.schemas import validate_reader_frame

    res = read_file(path)
    spec = match_spec(specs, res)
    unknown_vars = {c.variable for c in spec.columns} - known_vars
    if unknown_vars:
        raise InputError(
            path, f"pipeline {spec.id} maps to unknown variable(s) {sorted(unknown_vars)}"
        )
    validate_reader_frame(res.frame, str(path))
    obs, unmapped = apply_spec(spec, res)
    keys = normalise_keys(obs["raw_key"], index)
    # (Series of the same index: assigned without copying, unlike their arrays)
    obs = obs.assign(region_key=keys["region_key"], level=keys["level"], known=keys["known"])
    cells = len(res.frame)
    return Mapped(dataclasses.replace(res, frame=None), spec, obs, unmapped, cells, sha256(path))


def _prepare(con, cfg, path, obs: pd.DataFrame, index, report) -> pd.DataFrame:
    """Mapped observations with their regions registered, '-' resolved, validated."""
    from fis.schemas import validate_observations

    _check_focus(path, obs, cfg.focus, index)
    # Keys the register does not know: former Gemeinden/Kreise (historical), Jugendämter.
    found = obs.drop_duplicates("region_key")[["region_key", "region_name", "level", "known"]]
    found = found.assign(
        historical=(~found["known"]) & (found["level"] != "jugendamt") & (index is not None)
    )
    added = regions.add_export_regions(con, found, origin=str(path))
    n_hist = int(added["historical"].sum()) if len(added) else 0
    if n_hist:
        report.n_historical += n_hist
        report.warnings.append(
            f"{path.name}: {n_hist} Schlüssel nicht im Gebietsregister, als historische Gebiete "
            f"registriert (z. B. {added[added['historical']]['region_key'].iloc[0]})"
        )
    historical = set(
        r[0] for r in con.execute("SELECT region_key FROM regions WHERE historical").fetchall()
    )
    obs = _resolve_dashes(obs, historical)
    obs = _drop_duplicate_keys(path, obs)
    validate_observations(obs, str(path))
    return obs


def _check_focus(path, obs: pd.DataFrame, focus: str, index) -> None:
    """Inside the focus Kreis the register is authoritative: an unknown Gemeinde is an error."""
    if index is None:
        return
    unknown = obs[(~obs["known"]).to_numpy() & (obs["level"] == "gemeinde").to_numpy()]
    bad = unknown[unknown["region_key"].str.startswith(focus)]  # few rows: known ones go first
    if len(bad):
        row = bad.iloc[0]
        raise InputError(
            path,
            f"Gemeinde key {row['raw_key']} ({row['region_name']}) inside the focus Kreis {focus} "
            "is not in the Gebietsregister",
            int(row["line"]),
        )


def _resolve_dashes(obs: pd.DataFrame, historical: set[str]) -> pd.DataFrame:
    """'-' is a true zero, except in rows of a region that did not exist in that period.

    A row (raw key, period) whose cells are all '-' is 'not applicable' (value NULL, status
    '-') before the first period in which that key delivers anything, and — for historical
    regions — after the last one; and where another key form of the same region delivers that
    period. Everything else that is '-' is 0.
    """
    dash = (obs["status"] == "-").to_numpy()
    if not dash.any():
        return obs.assign(not_applicable=False)
    # Counted per (key, period) cell of small integer tables, not by grouping (Germany
    # scale: 8 million observations of 12411-03i in ~0.2 s instead of 1.5 s).
    raw = _codes(obs["raw_key"])
    region = _codes(obs["region_key"])
    period = obs["period"].to_numpy()
    first_period = int(period.min())
    p = (period - first_period).astype(np.int64)
    n_p = int(p.max()) + 1
    raw_cell = raw * n_p + p
    live = ~dash
    # per raw key: the first and last period with something delivered
    delivered = np.bincount(raw_cell[live], minlength=(raw.max() + 1) * n_p).reshape(-1, n_p)
    has = delivered > 0
    never = ~has.any(axis=1)
    first = np.where(never, n_p, has.argmax(axis=1))[raw]
    last = np.where(never, -1, n_p - 1 - has[:, ::-1].argmax(axis=1))[raw]
    # a row is all '-' when its (raw key, period) has no other cell
    row_all_dash = (delivered.ravel() == 0)[raw_cell]
    is_hist = obs["region_key"].isin(historical).to_numpy()
    before = p < first  # includes keys that never deliver
    after = is_hist & (p > last)
    # A Gemeinde that moved between Samtgemeinden appears under several key forms, each
    # all '-' in the years it was filed under another: there the other form holds the data.
    region_cell = region * n_p + p
    live_rows = np.bincount(region_cell[live], minlength=(region.max() + 1) * n_p)
    elsewhere = row_all_dash & (live_rows[region_cell] > 0)
    not_applicable = (row_all_dash & (before | after)) | elsewhere
    value = obs["value"].where(~(dash & ~not_applicable), 0.0)
    return obs.assign(
        value=value.astype("float64"),
        not_applicable=pd.Series(not_applicable, index=obs.index, copy=False),
    )


def _codes(column: pd.Series) -> np.ndarray:
    """Integer codes 0..n-1 of a column's distinct values (a categorical's own codes)."""
    if isinstance(column.dtype, pd.CategoricalDtype) and not column.isna().any():
        return column.cat.codes.to_numpy().astype(np.int64)
    return pd.factorize(column, use_na_sentinel=False)[0].astype(np.int64)


def _duplicated(obs: pd.DataFrame) -> np.ndarray:
    """Rows whose (variable, region, period) occurs more than once (keep=False)."""
    variable, region = _codes(obs["variable_id"]), _codes(obs["region_key"])
    period = obs["period"].to_numpy().astype(np.int64)
    period -= period.min() if len(period) else 0
    n_r, n_p = int(region.max(initial=0)) + 1, int(period.max(initial=0)) + 1
    return duplicated_codes((variable * n_r + region) * n_p + period)


def _drop_duplicate_keys(path, obs: pd.DataFrame) -> pd.DataFrame:
    """Two raw keys normalised to one region (old and new key forms): keep the one with data.

    Afterwards each (variable, region, period) occurs once: the warehouse's key."""
    k = ["variable_id", "region_key", "period"]
    dup = _duplicated(obs)
    if not dup.any():
        return obs.drop(columns=["not_applicable"])
    d = obs[dup]
    # Prefer applicable rows; among them identical values are fine, different ones are not.
    d = d.sort_values(["not_applicable", "line"])
    applicable = d[~d["not_applicable"]]
    clash = applicable.groupby(k).agg(n=("value", "nunique"), s=("status", "nunique"),
                                      first=("line", "min"), last=("line", "max"))  # fmt: skip
    clash = clash[(clash["n"] > 1) | (clash["s"] > 1)]
    if len(clash):
        (var, key, period), row = next(iter(clash.iterrows()))
        raise InputError(
            path,
            f"region {key} occurs twice for {var} {period} with different values "
            f"(lines {row['first']} and {row['last']})",
            int(row["last"]),
        )
    kept = d.drop_duplicates(k, keep="first")
    return pd.concat([obs[~dup], kept]).drop(columns=["not_applicable"])


def _merge_changes(con, rows: str, columns: str, consts: dict, track: bool) -> tuple[int, int, int]:
    """Against what this pipeline delivered before: insert new cells, move changed ones into
    history (then replace them), count unchanged ones. Returns (new, revised, unchanged)."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE cmp AS
            SELECT i.*, o.value AS old_value, o.status AS old_status,
                   o.region_key IS NOT NULL AS existed
            FROM ({rows}) i
            LEFT JOIN (SELECT * FROM observations
                       WHERE pipeline = $pipe AND period BETWEEN $first AND $last) o
              USING (variable_id, region_key, period, pipeline)""",
        consts,
    )
    changed = "existed AND (old_value IS DISTINCT FROM value OR old_status IS DISTINCT FROM status)"
    n_new, n_rev, n_same = con.execute(
        f"SELECT count(*) FILTER (WHERE NOT existed), count(*) FILTER (WHERE {changed}), "
        f"count(*) FILTER (WHERE existed AND NOT ({changed})) FROM cmp"
    ).fetchone()
    if n_rev:
        con.execute(
            f"""INSERT INTO observation_history
                SELECT o.*, $rid FROM observations o
                SEMI JOIN (SELECT * FROM cmp WHERE {changed}) c
                  USING (variable_id, region_key, period, pipeline)""",
            {"rid": consts["rid"]},
        )
        con.execute(
            f"""DELETE FROM observations o USING (SELECT * FROM cmp WHERE {changed}) c
                WHERE o.variable_id = c.variable_id AND o.region_key = c.region_key
                  AND o.period = c.period AND o.pipeline = c.pipeline"""
        )
    if n_new or n_rev:
        con.execute(
            f"INSERT INTO observations ({columns}) SELECT {columns} FROM cmp "
            f"WHERE NOT existed OR ({changed})"
        )
        if track:
            derived.touch(con, f"SELECT * FROM cmp WHERE NOT existed OR ({changed})")
    con.execute("DROP TABLE cmp")
    return n_new, n_rev, n_same


def _loaded_before(con, pipeline: str, span: dict, loaded: dict | None) -> bool:
    """Whether `pipeline` may already hold cells of the years span["first"]..span["last"].

    loaded: per pipeline the first and last year this refresh has merged, where that is all
    the warehouse holds (it was empty), kept up to date here; None: ask the warehouse. Years
    that overlap may hold the same cells (merged as changes); others cannot.
    """
    if loaded is None:
        return (
            con.execute(
                "SELECT count(*) FROM (SELECT 1 FROM observations WHERE pipeline = $pipe "
                "AND period BETWEEN $first AND $last LIMIT 1)",
                {"pipe": pipeline} | span,
            ).fetchone()[0]
            > 0
        )
    before = loaded.get(pipeline)
    first, last = before or (span["first"], span["last"])
    loaded[pipeline] = (min(first, span["first"]), max(last, span["last"]))
    return before is not None and first <= span["last"] and span["first"] <= last


def _merge(
    con, obs: pd.DataFrame, m: Mapped, path: Path, report, track: bool, loaded: dict | None
) -> None:
    """Insert new cells, move changed ones into history, count unchanged ones.

    loaded: what the refresh has merged so far, see _loaded_before.
    """
    res, spec, digest = m.res, m.spec, m.digest
    rid = report.refresh_id
    # Only the per-row columns cross into DuckDB (Arrow, categoricals as dictionaries); the
    # columns that are the same for the whole file are constants of the query.
    frame = pd.DataFrame(
        {
            "variable_id": obs["variable_id"],
            "region_key": obs["region_key"],
            "period": obs["period"].astype("int32"),
            "ref_date": obs["ref_date"],
            "value": obs["value"].astype("float64"),
            "status": obs["status"],
            "line": obs["line"].astype("int32"),
        },
        copy=False,  # only read (by DuckDB), as long as obs is there
    )
    consts = {"pipe": spec.id, "prio": spec.priority, "sha": digest, "rid": rid}
    rows = """SELECT variable_id::VARCHAR AS variable_id, region_key::VARCHAR AS region_key,
                     period, ref_date, value, status::VARCHAR AS status,
                     $pipe AS pipeline, $prio::INTEGER AS priority, $sha AS source_sha256,
                     line, $rid::INTEGER AS refresh_id
              FROM incoming"""
    columns = ("variable_id, region_key, period, ref_date, value, status, pipeline, priority, "
               "source_sha256, line, refresh_id")  # fmt: skip
    with schema.staged(con, "incoming", frame):
        # Only this pipeline's cells of the years the file covers can be replaced.
        span = {"first": int(frame["period"].min()), "last": int(frame["period"].max())}
        if not _loaded_before(con, spec.id, span, loaded):
            # nothing of this pipeline for these years yet (a first load, a new year): every
            # cell is new
            con.execute(f"INSERT INTO observations ({columns}) {rows}", consts)
            if track:
                derived.touch(con, "SELECT * FROM incoming")
            n_new, n_rev, n_same = len(frame), 0, 0
        else:
            n_new, n_rev, n_same = _merge_changes(con, rows, columns, consts | span, track)
    report.n_new += n_new
    report.n_revised += n_rev
    report.n_unchanged += n_same
    con.execute(
        """INSERT INTO sources VALUES ($sha, $path, $fmt, $tab, $title, $stand, $enc, $pipe, $n, $rid, $rid)
           ON CONFLICT (sha256) DO NOTHING""",
        {"sha": digest, "path": str(path), "fmt": res.format, "tab": res.table_code,
         "title": res.title, "stand": res.stand, "enc": res.encoding, "pipe": spec.id,
         "n": len(frame), "rid": rid},
    )  # fmt: skip
    con.execute(
        "INSERT INTO refresh_files VALUES (?, ?, ?, ?, ?, ?, ?)",
        [rid, digest, str(path), spec.id, n_new, n_rev, n_same],
    )
    report.files.append(
        FileSummary(str(path), res.format, res.table_code, spec.id, len(frame), digest, res.stand)
    )
