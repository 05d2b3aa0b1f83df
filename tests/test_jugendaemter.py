"""Jugendamt districts: default rule, membership file with validity, sums per Jugendamt."""

from __future__ import annotations

import duckdb
import pytest

from conftest import ROOT
from fis.errors import InputError
from fis.warehouse.jugendaemter import read_members
from fis.warehouse.refresh import refresh

DEMO = ROOT / "data" / "demo"
HEADER = "jugendamt_key;gemeinde_key;gueltig_ab;gueltig_bis;hinweis\n"


def rows(cfg, sql):
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_default_rule_siegen_and_kreisjugendamt(demo_warehouse):
    members = dict(
        rows(
            demo_warehouse,
            "SELECT jugendamt_key, list(gemeinde_key ORDER BY gemeinde_key) "
            "FROM jugendamt_members GROUP BY 1",
        )  # fmt: skip
    )
    assert members["JH05970040"] == ["05970040"]
    assert len(members["JH05970999"]) == 10 and "05970040" not in members["JH05970999"]


def test_population_summed_per_jugendamt(demo_warehouse):
    got = dict(
        rows(
            demo_warehouse,
            "SELECT region_key, value FROM variable_values WHERE variable_id = "
            "'bev_insg' AND period = 2024 AND region_key LIKE 'JH%'",
        )  # fmt: skip
    )
    assert got["JH05970040"] == 102685
    assert got["JH05970040"] + got["JH05970999"] == 274074  # the Kreis


def test_membership_with_validity(cfg, tmp_path):
    f = tmp_path / "ja.csv"
    # a (fictitious) Jugendamt Kreuztal that served Kreuztal until 2015
    f.write_text(HEADER + "JH05970024;05970024;2008;2015;Jugendamt Kreuztal\n", encoding="utf-8")
    cfg = type(cfg)(**{**cfg.__dict__, "jugendaemter": f})
    refresh(
        cfg, [DEMO / "gv100ad_demo_301121.ASC", DEMO / "regionalstatistik_12411-01-01-5_demo.csv"]
    )
    got = dict(
        rows(
            cfg,
            "SELECT period, value FROM variable_values WHERE variable_id = 'bev_insg' "
            "AND region_key = 'JH05970024'",
        )  # fmt: skip
    )
    assert set(got) == set(range(2008, 2016))
    assert rows(
        cfg, "SELECT name, level, parent_key FROM regions WHERE region_key = 'JH05970024'"
    ) == [("Jugendamt Kreuztal", "jugendamt", "05970")]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("05970024;05970024;;;x\n", "not a Jugendamt key"),
        ("JH05970024;5970024;;;x\n", "8-digit"),
        ("JH05970024;05970024;ab 2012;;x\n", "year"),
        ("JH05970024;05970024;;\n", "cells"),
    ],
)
def test_bad_membership_rows(tmp_path, line, words):
    f = tmp_path / "ja.csv"
    f.write_text("# Kommentar\n" + HEADER + line, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_members(f)
    assert words in str(exc.value) and f"{f}:3:" in str(exc.value)
