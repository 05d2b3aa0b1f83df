"""`fis indicators`: list, show, check (failing clearly on a broken catalogue) and doc."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from conftest import ROOT, make_project
from fis.catalog import load_catalog
from fis.cli.main import app

runner = CliRunner()
CATALOG = load_catalog(ROOT / "indicators")


def fis(project, *args):
    return runner.invoke(app, ["--project", str(project), *args])


def test_list_csv_has_at_least_150_in_13_handlungsfelder(project):
    r = fis(project, "indicators", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    core = [x for x in rows if x["extension"] == "False"]
    assert len(core) >= 150
    assert len({x["handlungsfeld"] for x in rows}) == 13


def test_list_filters_by_handlungsfeld(project):
    r = fis(project, "indicators", "list", "--handlungsfeld", "Geburten", "--format", "json")
    assert r.exit_code == 0
    assert '"crude_birth_rate"' in r.output and '"share_under3"' not in r.output


def test_show_one_indicator(project):
    r = fis(project, "indicators", "show", "share_under3")
    assert r.exit_code == 0
    assert "Anteil Kinder unter 3 Jahren" in r.output and "Formel" in r.output


def test_check_passes_on_the_catalogue(project):
    r = fis(project, "indicators", "check")
    assert r.exit_code == 0 and "in Ordnung" in r.output


BROKEN = {
    "formula": ("numerator: bev_u3", "numerator: bev_u3 * (", "formula"),
    "variable": ("numerator: bev_u3", "numerator: bev_u3_gibt_es_nicht", "bev_u3_gibt_es_nicht"),
}


def _broken_project(tmp_path, old: str, new: str):
    cat = tmp_path / "indicators"
    shutil.copytree(ROOT / "indicators", cat)
    f = cat / "bevoelkerung" / "share_under3.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    proj = make_project(tmp_path / "p")
    toml = proj / "fis.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(str(ROOT / "indicators"), str(cat)),
        encoding="utf-8",
    )
    return proj, cat


@pytest.mark.parametrize("case", ["formula", "variable", "duplicate"])
def test_check_fails_clearly(tmp_path, case):
    if case == "duplicate":
        proj, cat = _broken_project(tmp_path, "x", "x")
        shutil.copy(
            cat / "bevoelkerung" / "share_under3.yaml",
            cat / "bevoelkerung" / "share_under3_copy.yaml",
        )
        words = "share_under3"
    else:
        old, new, words = BROKEN[case]
        proj, cat = _broken_project(tmp_path, old, new)
    p = subprocess.run(
        [sys.executable, "-m", "fis.cli", "--project", str(proj), "indicators", "check"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    last = p.stderr.strip().splitlines()[-1]
    assert last.startswith("Fehler: catalogue check failed") and words in p.stderr
    assert "share_under3" in p.stderr  # names the file or id at fault


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.ids |= {v for k, v in attrs if k == "id"}


def test_doc_writes_markdown_and_html_with_every_indicator(project, tmp_path):
    out = tmp_path / "doc"
    r = fis(project, "indicators", "doc", "--out", str(out))
    assert r.exit_code == 0, r.output
    page = (out / "indikatorenkatalog.html").read_text(encoding="utf-8")
    parser = _Ids()
    parser.feed(page)
    assert parser.ids == set(CATALOG.indicators)
    assert page.startswith("<!DOCTYPE html>") and 'lang="de"' in page
    md = (out / "indikatorenkatalog.md").read_text(encoding="utf-8")
    assert all(f"`{i}`" in md for i in CATALOG.indicators)
    assert "Lebendgeborene" in md  # formulas in words use the variables' names
