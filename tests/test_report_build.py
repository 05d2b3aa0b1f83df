"""`fis report`: one municipality, all of the Kreis in parallel, the Kreisübersicht; errors."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from fis.cli.main import app


def invoke(cfg, *args):
    return CliRunner().invoke(app, ["--project", str(cfg.root), "report", *args])


def test_one_report_to_a_named_file(demo_warehouse, tmp_path):
    out = tmp_path / "kreuztal.html"
    r = invoke(demo_warehouse, "Kreuztal", "--format", "html", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert r.output.strip() == str(out)
    html = out.read_text(encoding="utf-8")
    assert "Kreuztal" in html and "Demodaten" in html
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left over


@pytest.mark.slow
def test_all_gemeinden_and_the_kreis_overview(demo_warehouse, tmp_path):
    r = invoke(demo_warehouse, "--all", "--kreis", "--format", "html", "--out", str(tmp_path),
               "--jobs", "2")  # fmt: skip
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in tmp_path.glob("*.html"))
    assert len([f for f in files if f.startswith("familienbericht_05970")]) == 11
    assert "kreisuebersicht_05970_siegen-wittgenstein.html" in files
    assert "familienbericht_05970040_siegen.html" in files


def test_pdf_of_one_report(demo_warehouse, tmp_path):
    import pypdfium2

    r = invoke(demo_warehouse, "05970024", "--format", "pdf", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    (pdf,) = tmp_path.glob("familienbericht_05970024_*.pdf")
    doc = pypdfium2.PdfDocument(pdf)
    assert len(doc) >= 5
    first = doc[0].get_textpage().get_text_range()
    assert "Kreuztal" in first


@pytest.mark.parametrize(
    "args, message",
    [
        (["Atlantis"], "unknown region 'Atlantis'"),
        (["Siegen-Wittgenstein"], "Siegen-Wittgenstein"),  # a Kreis has the overview, not this
        (["--all", "--out", "x.html"], "--out FILE names one report"),
        ([], "name a region, or use --all or --kreis"),
        (["Kreuztal", "--format", "docx"], "unknown report format docx"),
        (["--all", "--within", "Kreuztal"], "need a Kreis, Regierungsbezirk or Land"),
    ],
)
def test_report_errors_are_one_line(demo_warehouse, args, message):
    r = invoke(demo_warehouse, *args)
    assert r.exit_code == 1
    assert message in str(r.exception), r.exception
