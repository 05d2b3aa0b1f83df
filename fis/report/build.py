"""Writing reports: one municipality, every Gemeinde of a Kreis (in parallel), the Kreisübersicht.

Each report is read from the warehouse once (`report_data`), turned into a print view (charts
rendered once) and written as HTML and/or PDF. Batches run in worker processes, one per core;
each opens the warehouse read-only.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from fis.config import Config, load_config
from fis.errors import FisError

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class Written:
    """One report written: the region, its files."""

    key: str
    name: str
    paths: tuple[Path, ...]


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise FisError(f"unknown report format {', '.join(bad) or '(none)'}; use html or pdf")
    return tuple(dict.fromkeys(formats))


def _file_stem(kind: str, key: str, name: str) -> str:
    from fis.report.view import slug

    return f"{kind}_{key}_{slug(name.split(',')[0])}"


def _write(out: Path, stem: str, formats, html: Callable[[], str], pdf: Callable[[], bytes]):
    """Write the requested formats atomically (a temp file renamed), so that a reader never
    sees half a report."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out / f"{stem}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp")
        if fmt == "html":
            tmp.write_text(html(), encoding="utf-8")
        else:
            tmp.write_bytes(pdf())
        tmp.replace(path)
        paths.append(path)
    return tuple(paths)


def _html():
    from fis.report import html

    return html


def _pdf():
    """The PDF renderer, imported only when a PDF is asked for (typst takes 0.1 s to load)."""
    from fis.report import pdf_report

    return pdf_report


def _context(cfg: Config):
    from fis.catalog import load_catalog
    from fis.report.branding import load_branding
    from fis.warehouse import schema

    return schema.connect(cfg.warehouse, read_only=True), load_catalog(cfg.indicators), \
        load_branding(cfg)  # fmt: skip


def write_report(cfg: Config, region: str, year: int | None = None,
                 formats: Sequence[str] = FORMATS, out: Path | None = None, ctx=None,
                 stem: str | None = None) -> Written:  # fmt: skip
    """The kleiner Familienbericht of one Gemeinde or kreisfreie Stadt (key or name), written
    to `out` (default <out>/berichte/<year>/) as <stem>.html / .pdf."""
    from fis.report.view import report_view
    from fis.warehouse.report_data import report_data

    formats = _check_formats(formats)
    con, catalog, branding = ctx or _context(cfg)
    try:
        data = report_data(con, cfg, catalog, region, year)
    finally:
        if ctx is None:
            con.close()
    view = report_view(data, branding.colors)
    folder = out or cfg.out / "berichte" / str(data.year)
    stem = stem or _file_stem("familienbericht", data.region.key, data.region.name)
    paths = _write(folder, stem, formats, lambda: _html().render_report_html(view, branding),
                   lambda: _pdf().render_report_pdf(view, branding))  # fmt: skip
    return Written(data.region.key, data.region.name, paths)


def write_overview(cfg: Config, kreis: str | None = None, year: int | None = None,
                   formats: Sequence[str] = FORMATS, out: Path | None = None,
                   stem: str | None = None) -> Written:  # fmt: skip
    """The Kreisübersicht of a Kreis (default: the focus Kreis)."""
    from fis.report.view import overview_view
    from fis.warehouse.report_data import kreis_overview

    formats = _check_formats(formats)
    con, catalog, branding = _context(cfg)
    try:
        ov = kreis_overview(con, cfg, catalog, kreis or cfg.focus, year)
    finally:
        con.close()
    view = overview_view(ov)
    folder = out or cfg.out / "berichte" / str(ov.year)
    stem = stem or _file_stem("kreisuebersicht", ov.kreis.key, ov.kreis.name)
    paths = _write(folder, stem, formats,
                   lambda: _html().render_overview_html(view, branding),
                   lambda: _pdf().render_overview_pdf(view, branding))  # fmt: skip
    return Written(ov.kreis.key, ov.kreis.name, paths)


def batch_targets(cfg: Config, within: str | None = None) -> list[tuple[str, str]]:
    """(key, name) of every current Gemeinde and kreisfreie Stadt within a Kreis,
    Regierungsbezirk or Land (key or name; default: the focus Kreis)."""
    from fis.warehouse import schema
    from fis.warehouse.queries import report_targets

    con = schema.connect(cfg.warehouse, read_only=True)
    try:
        return report_targets(con, within or cfg.focus, cfg.focus)
    finally:
        con.close()


def _worker(root: str, key: str, year, formats, out) -> Written:
    cfg = load_config(Path(root))
    global _CTX
    if _CTX is None:  # one warehouse connection and catalogue per worker process
        _CTX = _context(cfg)
    return write_report(cfg, key, year, formats, out, ctx=_CTX)


_CTX = None


def write_batch(cfg: Config, targets: list[tuple[str, str]], year: int | None = None,
                formats: Sequence[str] = FORMATS, out: Path | None = None, jobs: int | None = None,
                progress: Callable[[Written], None] | None = None) -> list[Written]:  # fmt: skip
    """Reports for many regions, in parallel on the available cores; stops at the first error."""
    formats = _check_formats(formats)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(targets)))
    done: list[Written] = []
    if jobs == 1:
        ctx = _context(cfg)
        try:
            for key, _ in targets:
                done.append(write_report(cfg, key, year, formats, out, ctx=ctx))
                if progress:
                    progress(done[-1])
        finally:
            ctx[0].close()
        return done
    # spawn, not fork: the parent may hold a DuckDB connection or a chart engine already
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=spawn) as pool:
        futures = [pool.submit(_worker, str(cfg.root), key, year, formats, out)
                   for key, _ in targets]  # fmt: skip
        for fut in as_completed(futures):
            done.append(fut.result())
            if progress:
                progress(done[-1])
    order = {key: i for i, (key, _) in enumerate(targets)}
    return sorted(done, key=lambda w: order[w.key])
