"""Headless Chromium for tests: print a page to PDF, collect console errors, measure the layout.

Generic: nothing here knows the report. Each run gets a fresh profile folder and no network
(the pages under test are self-contained files). `require_chromium()` skips a test where no
Chromium is installed, but fails it in CI, where it must be.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("FIS_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
TIMEOUT_S = 180
RESULT_ID = "fis-layout-result"
# 96 CSS px per inch: millimetres of a printed page in CSS px.
PX_PER_MM = 96 / 25.4


def require_chromium() -> Path:
    """The Chromium binary; skip the test without one (fail under CI=true)."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = f"chromium not installed: {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + "; CI=true requires it")
    pytest.skip(reason)


def run(args: list[str], target: Path) -> subprocess.CompletedProcess:
    """Run headless Chromium on a local file with a fresh profile; stdout/stderr as text."""
    binary = require_chromium()
    profile = tempfile.mkdtemp(prefix="fis-chromium-")
    try:
        cmd = [str(binary), *FLAGS, f"--user-data-dir={profile}", *args, target.as_uri()]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(page: Path, png: Path, width: int = 1240, height: int = 1754) -> Path:
    """A screenshot of the page as a browser window shows it (screen stylesheet)."""
    proc = run([f"--screenshot={png}", f"--window-size={width},{height}",
                "--hide-scrollbars"], page)  # fmt: skip
    if not png.is_file() or png.stat().st_size == 0:
        raise AssertionError(
            f"chromium wrote no screenshot (exit {proc.returncode}): {proc.stderr[-2000:]}"
        )
    return png


def print_to_pdf(page: Path, pdf: Path) -> Path:
    """The page printed by Chromium (its print stylesheet, no browser header or footer)."""
    proc = run([f"--print-to-pdf={pdf}", "--no-pdf-header-footer"], page)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise AssertionError(
            f"chromium wrote no PDF (exit {proc.returncode}): {proc.stderr[-2000:]}"
        )
    return pdf


def console_errors(page: Path) -> list[str]:
    """Console lines of loading the page that report an error (script, SVG, CSS, resource)."""
    proc = run(
        ["--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom"], page
    )
    lines = [ln for ln in proc.stderr.splitlines() if "CONSOLE" in ln]
    return [ln for ln in lines if re.search(r"error|uncaught", ln, re.IGNORECASE)]


# Applies the page's @media print rules on screen (Chromium has no print emulation switch on the
# command line), fixes the root width to the printed page's content width, and records every
# table, cell, figure and svg that sticks out. The result goes into a <pre> for --dump-dom.
_MEASURE = """
<script>
(function () {
  function promotePrint() {
    for (const sheet of Array.from(document.styleSheets)) {
      const rules = Array.from(sheet.cssRules);
      for (const rule of rules) {
        if (rule.media && /print/.test(rule.media.mediaText)) {
          for (const inner of Array.from(rule.cssRules)) {
            sheet.insertRule(inner.cssText, sheet.cssRules.length);
          }
        }
      }
    }
  }
  function describe(el) {
    const text = (el.textContent || "").trim().slice(0, 60);
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " \\"" + text + "\\"";
  }
  function measure() {
    const width = __WIDTH__;
    const root = document.documentElement;
    root.style.width = width + "px";
    const right = root.getBoundingClientRect().left + width;
    const problems = [];
    const boxes = document.querySelectorAll("table, figure, svg, img, pre:not(#__ID__)");
    for (const el of boxes) {
      const r = el.getBoundingClientRect();
      if (r.right > right + 1) {
        problems.push("wider than the page: " + describe(el) + " " + Math.round(r.right));
      }
      if (el.tagName === "TABLE" && el.scrollWidth > el.clientWidth + 1) {
        problems.push("table overflows: " + describe(el));
      }
    }
    const cells = document.querySelectorAll("td, th");
    for (const c of cells) {
      if (c.scrollWidth > c.clientWidth + 1) {
        problems.push("cell overflows: " + describe(c) + " " + c.scrollWidth + " > " + c.clientWidth);
      }
    }
    const out = document.createElement("pre");
    out.id = "__ID__";
    const tables = document.querySelectorAll("table").length;
    out.textContent = JSON.stringify({width: width, tables: tables, cells: cells.length,
                                      problems: problems});
    document.body.appendChild(out);
  }
  window.addEventListener("load", function () {
    promotePrint();
    document.fonts.ready.then(measure);
  });
})();
</script>
"""


def measure_print_layout(html: str, width_px: float, folder: Path) -> dict:
    """Lay the page out at the printed content width with its print rules; return
    {"width", "tables", "cells", "problems": [what sticks out]}."""
    script = _MEASURE.replace("__WIDTH__", f"{width_px:.1f}").replace("__ID__", RESULT_ID)
    page = folder / "measure.html"
    page.write_text(html.replace("</body>", script + "</body>", 1), encoding="utf-8")
    proc = run(
        [f"--window-size={round(width_px)},1200", "--virtual-time-budget=10000", "--dump-dom"], page
    )
    m = re.search(rf'<pre id="{RESULT_ID}">(.*?)</pre>', proc.stdout, re.DOTALL)
    if m is None:
        raise AssertionError(
            f"layout script gave no result (exit {proc.returncode}): {proc.stderr[-2000:]}"
        )
    return json.loads(html_lib.unescape(m.group(1)))


def content_width_px(page_mm: float, margin_left_mm: float, margin_right_mm: float) -> float:
    """Width of a printed page's content box in CSS px."""
    return (page_mm - margin_left_mm - margin_right_mm) * PX_PER_MM
