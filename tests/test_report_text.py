"""German numbers and generated sentences of the kleiner Familienbericht (fis.report.numbers,
fis.report.text): the wording rules of REPORT.md, pinned on exact strings."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pytest

from fis.catalog import load_catalog
from fis.report.numbers import (
    fmt_change,
    fmt_number,
    fmt_value,
    fmt_year_range,
    relative_change,
)
from fis.report.text import (
    IndicatorFacts,
    Thresholds,
    compare,
    compare_facts,
    key_sentence_for_section,
    reference_label,
    sentences,
    subject,
    trend,
)

INDICATORS = Path(__file__).resolve().parents[1] / "indicators"


def facts(**kw) -> IndicatorFacts:
    """A share indicator of Kreuztal in 2024, overridable field by field."""
    base = dict(
        indicator_id="share_x",
        name="Anteil der unter 18-Jährigen",
        short="unter 18-Jährige",
        unit="%",
        decimals=1,
        polarity="neutral",
        period=2024,
        value=17.4,
        reference_name="Kreis Siegen-Wittgenstein",
        reference_value=17.6,
    )
    return IndicatorFacts(**{**base, **kw})


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (30905, 0, "30.905"),
        (31.2, 1, "31,2"),
        (1234567.891, 2, "1.234.567,89"),
        (0.25, 1, "0,3"),  # half up, not babel's half even ("0,2")
        (0.35, 1, "0,4"),
        (2.675, 2, "2,68"),  # the decimal written, not the binary float below it
        (-1234.55, 1, "-1.234,6"),
        (-0.04, 1, "0,0"),  # no "-0,0"
    ],
)
def test_fmt_number_german_half_up(value, decimals, expected):
    assert fmt_number(value, decimals) == expected


def test_fmt_number_signed_and_missing():
    assert fmt_number(2.14, 1, signed=True) == "+2,1"
    assert fmt_number(-0.4, 1, signed=True) == "-0,4"
    assert fmt_number(0.04, 1, signed=True) == "±0,0"
    with pytest.raises(ValueError):
        fmt_number(math.nan, 1)


def test_fmt_value_units_and_flags():
    assert fmt_value(31.2, 1, unit="%") == "31,2 %"
    assert fmt_value(31.2, 1, "p", "%") == "31,2 % p"
    assert fmt_value(31.2, 1, "r") == "31,2 r"
    assert fmt_value(31.2, 1, "()", "%") == "(31,2 %)"
    assert fmt_value(8.25, 1, unit="je 1.000 EW") == "8,3"
    assert fmt_value(8.25, 1, unit="je 1.000 EW", with_unit=True) == "8,3 je 1.000 EW"


@pytest.mark.parametrize("symbol", ["-", ".", "/", "x", "...", "·"])
def test_fmt_value_keeps_status_symbols(symbol):
    assert fmt_value(None, 1, symbol, "%") == symbol
    # a value under a blocking symbol is never shown
    assert fmt_value(12.0, 1, symbol, "%") == symbol


def test_fmt_value_missing_without_symbol_and_unknown_status():
    assert fmt_value(None, 1) == "k. A."
    assert fmt_value(math.nan, 1, unit="%") == "k. A."
    with pytest.raises(ValueError, match="unknown status"):
        fmt_value(1.0, 1, "?")


def test_fmt_change_points_for_shares_percent_otherwise():
    assert fmt_change(2.1, "%", 1) == "+2,1 Prozentpunkte"
    assert fmt_change(-0.4, "%", 1) == "-0,4 Prozentpunkte"
    assert fmt_change(1.0, "%", 1) == "+1,0 Prozentpunkte"
    assert fmt_change(1.0, "%", 0) == "+1 Prozentpunkt"
    assert fmt_change(-6.3, "%", 1, signed=False) == "6,3 Prozentpunkte"
    assert fmt_change(3.44, "je 1.000 EW", 1) == "+3,4 %"


def test_relative_change_and_year_range():
    assert relative_change(110, 100) == pytest.approx(10.0)
    assert relative_change(1.0, -2.0) is None  # a saldo changing sign: no percentage
    assert relative_change(1.0, 0.0) is None
    assert fmt_year_range(2019, 2024) == "2019–2024"
    assert fmt_year_range(2024, 2024) == "2024"


# --- comparison and trend ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "value", "judgement", "label", "marker"),
    [
        ("higher_is_better", 40.0, "better", "günstiger", "▲"),
        ("higher_is_better", 20.0, "worse", "ungünstiger", "▼"),
        ("higher_is_worse", 40.0, "worse", "ungünstiger", "▲"),
        ("higher_is_worse", 20.0, "better", "günstiger", "▼"),
        ("neutral", 40.0, "neutral", "höher", "▲"),
        ("neutral", 20.0, "neutral", "niedriger", "▼"),
        ("higher_is_better", 30.5, "same", "etwa gleich", "●"),
    ],
)
def test_compare_polarity(polarity, value, judgement, label, marker):
    cmp = compare(value, 30.0, "%", polarity)
    assert (cmp.judgement, cmp.label, cmp.marker) == (judgement, label, marker)


def test_compare_share_threshold_edges():
    assert compare(19.6, 17.6, "%", "neutral").significant  # exactly 2 points (float noise)
    assert compare(33.3, 31.3, "%", "neutral").significant  # 1.9999999999999964
    assert not compare(19.5, 17.6, "%", "neutral").significant
    assert compare(17.4, 17.6, "%", "neutral").direction == "lower"
    assert compare(19.5, 17.6, "%", "neutral", Thresholds(share_pp=1.9)).significant


def test_compare_relative_threshold_edges():
    assert compare(55.0, 50.0, "je 1.000 EW", "neutral").significant  # exactly 10 %
    assert not compare(54.9, 50.0, "je 1.000 EW", "neutral").significant
    assert compare(-2.2, -2.0, "je 1.000 EW", "neutral").significant  # |reference|
    assert compare(0.1, 0.0, "je 1.000 EW", "neutral").significant
    assert compare(0.0, 0.0, "je 1.000 EW", "neutral").direction == "same"
    assert compare(54.0, 50.0, "je 1.000 EW", "neutral", Thresholds(relative=0.05)).significant


def test_compare_rejects_missing_and_bad_polarity():
    with pytest.raises(ValueError):
        compare(math.nan, 1.0, "%", "neutral")
    with pytest.raises(ValueError):
        compare(1.0, 1.0, "%", "good")


def test_trend_points_relative_absolute():
    up = trend(34.8, 28.5, "%", decimals=1)
    assert (up.direction, up.delta_text, up.arrow) == ("rising", "+6,3 Prozentpunkte", "↗")
    assert trend(17.4, 16.5, "%").direction == "stable"  # below 1 percentage point
    assert trend(17.5, 16.5, "%").direction == "rising"  # exactly 1 point is a change
    small = trend(30905, 31568, "Personen")
    assert (small.direction, small.delta_text, small.arrow) == ("stable", "-2,1 %", "→")
    down = trend(29000, 31568, "Personen")
    assert (down.direction, down.delta_text, down.label) == ("falling", "-8,1 %", "gesunken")
    assert trend(102.9, 100.0, "je 100").direction == "stable"  # below 3 %
    sign = trend(1.0, -2.0, "je 1.000 EW")
    assert (sign.kind, sign.delta_text, sign.direction) == ("absolute", "+3,0", "rising")


def test_reference_label():
    assert reference_label("kreis", "higher_is_better") == "Kreisdurchschnitt"
    assert reference_label("kreis", "neutral") == "Kreiswert"
    assert reference_label("regbez", "neutral") == "Wert des Regierungsbezirks"


# --- sentences -------------------------------------------------------------------------------


def test_sentence_same_level_as_kreis():
    assert sentences("Kreuztal", facts()) == [
        "Der Anteil der unter 18-Jährigen liegt in Kreuztal mit 17,4 % etwa auf dem Niveau "
        "des Kreises (17,6 %)."
    ]


def test_sentence_trend_and_judged_comparison():
    f = facts(
        name="Betreuungsquote der unter 3-Jährigen",
        polarity="higher_is_better",
        value=34.8,
        reference_value=31.2,
        past_period=2019,
        past_value=28.5,
    )
    assert sentences("Kreuztal", f) == [
        "Die Betreuungsquote der unter 3-Jährigen ist in Kreuztal seit 2019 um 6,3 "
        "Prozentpunkte auf 34,8 % gestiegen und liegt damit deutlich über dem "
        "Kreisdurchschnitt (31,2 %), also günstiger als im Kreis."
    ]


def test_sentence_population():
    f = facts(
        indicator_id="population_total",
        name="Einwohnerzahl (Hauptwohnsitz)",
        unit="Personen",
        decimals=0,
        value=30905.0,
        reference_value=278000.0,
        past_period=2019,
        past_value=31568.0,
    )
    assert sentences("Kreuztal", f) == [
        "In Kreuztal lebten Ende 2024 30.905 Menschen, 2,1 % weniger als 2019."
    ]


def test_sentence_missing_value_with_and_without_reference():
    f = facts(name="Betreuungsquote in Kindertagespflege", value=None, reference_value=5.2)
    (text,) = sentences("Kreuztal", f)
    assert text == (
        "Für Kreuztal liegen keine Daten zur Betreuungsquote in Kindertagespflege vor; "
        "der Kreiswert beträgt 5,2 %."
    )
    assert "0" not in text
    alone = sentences("Kreuztal", dataclasses.replace(f, reference_value=None))
    assert alone == [
        "Für Kreuztal liegen keine Daten zur Betreuungsquote in Kindertagespflege vor."
    ]


def test_sentence_blocked_value_is_missing_with_reason():
    (text,) = sentences("Kreuztal", facts(value=3.0, status="/", reference_value=5.2))
    assert "3,0" not in text
    assert "(Wert nicht sicher genug)" in text


def test_sentence_neutral_never_judges():
    f = facts(value=25.0, reference_value=17.6, polarity="neutral")
    (text,) = sentences("Kreuztal", f)
    assert "deutlich über dem Kreiswert (17,6 %)." in text
    assert "günstig" not in text


def test_sentence_worse_against_regbez_with_contrast():
    f = facts(
        name="SGB II-Quote",
        polarity="higher_is_worse",
        value=14.6,
        reference_value=12.1,
        reference_kind="regbez",
        past_period=2019,
        past_value=16.6,
    )
    assert sentences("Hagen", f) == [
        "Die SGB II-Quote ist in Hagen seit 2019 um 2,0 Prozentpunkte auf 14,6 % gesunken, "
        "liegt aber deutlich über dem Durchschnitt des Regierungsbezirks (12,1 %), also "
        "ungünstiger als im Regierungsbezirk."
    ]


def test_sentence_stable_trend_status_and_unit():
    f = facts(
        name="Durchschnittsalter",
        unit="Jahre",
        value=44.1,
        status="p",
        reference_value=44.0,
        past_period=2019,
        past_value=43.9,
    )
    assert sentences("Kreuztal", f) == [
        "Das Durchschnittsalter liegt in Kreuztal mit 44,1 Jahren (vorläufig) etwa auf dem "
        "Niveau des Kreises (44,0 Jahre).",
        "Seit 2019 ist es weitgehend stabil geblieben (+0,5 %).",
    ]


def test_sentence_fallback_without_article_and_land_reference():
    f = facts(name="Einschüler im Sportverein", reference_value=None, land_value=30.0)
    assert sentences("Kreuztal", f) == [
        "Beim Indikator »Einschüler im Sportverein« liegt der Wert in Kreuztal mit 17,4 % "
        "deutlich unter dem Landeswert (30,0 %)."
    ]


def test_sentence_multi_year_mean_and_sign_change():
    f = facts(
        name="Wanderungssaldo je 1.000 EW",
        unit="je 1.000 EW",
        value=1.0,
        reference_value=None,
        past_period=2019,
        past_value=-2.0,
        multi_year=True,
    )
    assert sentences("Kreuztal", f) == [
        "Der Wanderungssaldo je 1.000 EW ist in Kreuztal seit 2019 von -2,0 auf 1,0 "
        "(Mittel 2021–2024) gestiegen."
    ]


@pytest.mark.parametrize(
    ("name", "nominative", "dative"),
    [
        ("Anteil Minderjährige", "der Anteil Minderjähriger", "zum Anteil Minderjähriger"),
        ("Natürlicher Saldo je 1.000 EW", "der natürliche Saldo je 1.000 EW", "zum natürlichen"),
        ("Verfügbares Einkommen", "das verfügbare Einkommen", "zum verfügbaren Einkommen"),
        ("SGB II-Quote Minderjährige", "die SGB II-Quote Minderjährige", "zur SGB II-Quote"),
        ("Gesamt- bzw. Abhängigkeitsquotient", "der Gesamt- bzw. Abhängigkeitsquotient", "zum"),
        ("Geburtenverhältnis", "das Geburtenverhältnis", "zum Geburtenverhältnis"),
    ],
)
def test_subject_article_from_head_noun(name, nominative, dative):
    subj = subject(name)
    assert (subj.prefix, subj.nominative) == ("", nominative)
    assert subj.dative.startswith(dative)


@pytest.mark.parametrize(
    "name",
    [
        "Einschüler im Sportverein",  # plural head
        "Kinderarmut: SGB II-Quote unter 15-Jährige",  # "X: Y"
        "Vereinbarkeit von Familie und Beruf schwierig (Befragung)",  # a predicate
        "Adipositas bei Einschulungskindern",  # head noun not in the table
    ],
)
def test_subject_falls_back_to_indicator_phrase(name):
    assert subject(name).prefix == f"Beim Indikator »{name}«"


def _check(text: str) -> None:
    assert text and text[0].isupper() and text.endswith("."), text
    assert not re.search(r"\b(None|nan|NaN|inf)\b", text), text
    for bad in ("  ", " .", " ,", "()"):
        assert bad not in text, (bad, text)


def test_every_catalogue_indicator_gives_clean_sentences():
    catalogue = load_catalog(INDICATORS).indicators
    assert len(catalogue) > 150
    for ind in catalogue.values():
        v = 12.34 if ind.unit == "%" else 123.4
        base = IndicatorFacts(
            ind.id, ind.name, ind.short, ind.unit, ind.decimals, ind.polarity, 2024, v
        )
        variants = [
            base,
            dataclasses.replace(base, reference_value=v * 0.99),
            dataclasses.replace(base, reference_value=v * 1.5, past_period=2019, past_value=v),
            dataclasses.replace(base, reference_value=v, past_period=2019, past_value=v * 0.5),
            dataclasses.replace(base, value=None, reference_value=v),
            dataclasses.replace(base, value=math.nan, status="."),
            dataclasses.replace(base, value=-1.0, land_value=2.0, past_period=2019, past_value=1.0),
        ]
        for f in variants:
            out = sentences("Kreuztal", f)
            assert 1 <= len(out) <= 2, (ind.id, out)
            for text in out:
                _check(text)


# --- section text ----------------------------------------------------------------------------


def test_key_sentences_lead_then_largest_differences():
    lead = facts(name="Betreuungsquote U3", polarity="higher_is_better", value=30.0)
    small = facts(name="Betreuungsquote Ü3", value=92.0, reference_value=91.5)
    large = facts(name="Ganztagsquote Ü3", value=60.0, reference_value=45.0)
    medium = facts(name="Platzversorgungsquote U3", value=40.0, reference_value=35.0)
    missing = facts(name="Pflegequote", value=None, reference_value=3.0)
    out = key_sentence_for_section("Kreuztal", [lead, small, medium, missing, large])
    assert len(out) == 3
    assert out[0].startswith("Die Betreuungsquote U3 liegt")
    assert out[1].startswith("Die Ganztagsquote Ü3 liegt")  # 15 points before 5 points
    assert out[2].startswith("Die Platzversorgungsquote U3 liegt")


def test_key_sentences_summary_when_nothing_stands_out():
    lead = facts(value=17.5)
    others = [facts(name="Jugendquotient", value=v, reference_value=17.6) for v in (17.0, 18.0)]
    out = key_sentence_for_section("Kreuztal", [lead, *others])
    assert out[-1] == (
        "Bei zwei weiteren Indikatoren dieses Handlungsfelds liegt Kreuztal etwa auf dem "
        "Niveau des Kreises."
    )
    assert key_sentence_for_section("Kreuztal", []) == []


def test_key_sentences_limit_and_compare_facts():
    many = [facts(name=f"Quote {i}", value=20.0 + i) for i in range(8)]
    assert len(key_sentence_for_section("Kreuztal", many)) == 4
    assert compare_facts(facts(value=None)) is None
    assert compare_facts(facts(unit="Personen", reference_value=9.0)) is None


@pytest.mark.parametrize(
    "raw, shown",
    [
        (
            "Wert 22.83 außerhalb 0.0 bis 20.0 je 1.000 EW",
            "Wert 22,83 außerhalb 0 bis 20 je 1.000 EW",
        ),
        ("05970040 2024: von 102994.0 auf 1027.0", "05970040 2024: von 102994 auf 1027"),
        ("üblich -1.5 ± 12.25 (z-Wert 5.2)", "üblich -1,5 ± 12,25 (z-Wert 5,2)"),
    ],
)
def test_machine_messages_get_german_decimals(raw, shown):
    from fis.report.numbers import german_decimals

    assert german_decimals(raw) == shown
