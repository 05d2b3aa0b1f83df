"""Comparisons, trends and generated German sentences for the report: pure functions on plain
dataclasses, no I/O. Rules: REPORT.md "Comparison marker and words"."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from fis.report.numbers import (
    MISSING_SYMBOLS,
    RELATIVE_DECIMALS,
    SHARE_UNIT,
    fmt_change,
    fmt_number,
    fmt_unit,
    fmt_year_range,
    is_missing,
    relative_change,
    round_half_up,
)

POLARITIES = ("higher_is_better", "higher_is_worse", "neutral")
POPULATION_ID = "population_total"
# Units of absolute counts: a Kreis total is no yardstick for a Gemeinde, so no comparison.
COUNT_UNITS = ("Personen",)
# Tolerance for float noise at a threshold (33.3 - 31.3 = 1.9999999999999964 counts as 2).
_EPS = 1e-9


@dataclass(frozen=True)
class Thresholds:
    """When a difference is "deutlich" and a trend more than "weitgehend stabil"."""

    share_pp: float = 2.0  # shares (unit "%"): percentage points
    relative: float = 0.10  # other units: fraction of the reference value
    trend_share_pp: float = 1.0  # shares: percentage points over the trend period
    trend_relative: float = 0.03  # other units: fraction of the past value


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class IndicatorFacts:
    """What the text generator needs to know about one indicator for one region."""

    indicator_id: str
    name: str
    short: str
    unit: str
    decimals: int
    polarity: str  # higher_is_better | higher_is_worse | neutral
    period: int | None  # latest year with a value for the region
    value: float | None
    status: str = ""
    reference_name: str | None = None  # "Kreis Siegen-Wittgenstein"
    reference_value: float | None = None
    reference_kind: str = "kreis"  # kreis | regbez (kreisfreie Stadt) | land
    land_value: float | None = None
    past_period: int | None = None  # about five years before `period`
    past_value: float | None = None
    multi_year: bool = False  # a mean of four years (mean4): the text says so


@dataclass(frozen=True)
class Comparison:
    """A value against its reference: direction, whether the difference is "deutlich", and the
    judgement by polarity; `score` is |difference| in multiples of the threshold (for ranking)."""

    direction: str  # higher | lower | same
    significant: bool
    judgement: str  # better | worse | neutral | same
    marker: str  # ▲ ▼ ●
    label: str  # günstiger | ungünstiger | höher | niedriger | etwa gleich
    difference: float
    score: float


@dataclass(frozen=True)
class Trend:
    """The latest value against the past one. `delta` is in percentage points for shares, in
    percent for other units, or the plain difference (`kind` "absolute") where a percentage
    means nothing; `delta_text` is signed ("+2,1 Prozentpunkte", "-3,4 %", "+0,8")."""

    direction: str  # rising | falling | stable
    kind: str  # points | relative | absolute
    delta: float
    delta_text: str
    arrow: str  # ↗ ↘ →
    label: str  # gestiegen | gesunken | weitgehend stabil


class _RefWords(NamedTuple):
    genitive: str  # etwa auf dem Niveau …
    average: str  # deutlich über dem … (judged indicators)
    value: str  # deutlich über dem … (neutral indicators); der … beträgt 5,2 %
    place: str  # günstiger als …


_REFERENCE = {
    "kreis": _RefWords("des Kreises", "Kreisdurchschnitt", "Kreiswert", "im Kreis"),
    "regbez": _RefWords("des Regierungsbezirks", "Durchschnitt des Regierungsbezirks",
                        "Wert des Regierungsbezirks", "im Regierungsbezirk"),
    "land": _RefWords("des Landes", "Landesdurchschnitt", "Landeswert", "im Landesdurchschnitt"),
}  # fmt: skip


def reference_label(kind: str, polarity: str) -> str:
    """The reference as a noun: "Kreisdurchschnitt" (judged) or "Kreiswert" (neutral), etc."""
    words = _REFERENCE[kind]
    return words.value if polarity == "neutral" else words.average


def _exceeds(diff: float, limit: float) -> bool:
    return diff != 0 and abs(diff) >= limit - _EPS * max(1.0, limit)


def compare(
    value: float,
    reference: float,
    unit: str,
    polarity: str,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Comparison:
    """Compare a value with its reference (both present) by the thresholds and the polarity;
    neutral indicators are never judged, only "höher"/"niedriger"."""
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {polarity!r}")
    if is_missing(value) or is_missing(reference):
        raise ValueError("compare needs a value and a reference value")
    diff = value - reference
    limit = thresholds.share_pp if unit == SHARE_UNIT else thresholds.relative * abs(reference)
    significant = _exceeds(diff, limit)
    direction = "same" if diff == 0 else ("higher" if diff > 0 else "lower")
    score = abs(diff) / limit if limit > 0 else (math.inf if diff else 0.0)
    if not significant:
        return Comparison(direction, False, "same", "●", "etwa gleich", diff, score)
    marker = "▲" if diff > 0 else "▼"
    if polarity == "neutral":
        label = "höher" if diff > 0 else "niedriger"
        return Comparison(direction, True, "neutral", marker, label, diff, score)
    better = (diff > 0) == (polarity == "higher_is_better")
    label = "günstiger" if better else "ungünstiger"
    return Comparison(direction, True, "better" if better else "worse", marker, label, diff, score)


def trend(
    value: float,
    past_value: float,
    unit: str,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    decimals: int = 1,
) -> Trend:
    """The development from `past_value` to `value`: percentage points for shares (shown with
    `decimals`), percent for other units, the plain difference where percent means nothing."""
    diff = value - past_value
    if unit == SHARE_UNIT:
        kind, delta, text = "points", diff, fmt_change(diff, unit, decimals)
        stable = not _exceeds(diff, thresholds.trend_share_pp)
    elif (rel := relative_change(value, past_value)) is not None:
        kind, delta, text = "relative", rel, fmt_change(rel, unit, RELATIVE_DECIMALS)
        stable = not _exceeds(rel, thresholds.trend_relative * 100)
    else:  # e.g. a Wanderungssaldo changing sign: "von -2,0 auf 1,0"
        kind, delta, text = "absolute", diff, fmt_number(diff, decimals, signed=True)
        scale = max(abs(value), abs(past_value))
        stable = not _exceeds(diff, thresholds.trend_relative * scale)
    if stable:
        return Trend("stable", kind, delta, text, "→", "weitgehend stabil")
    if diff > 0:
        return Trend("rising", kind, delta, text, "↗", "gestiegen")
    return Trend("falling", kind, delta, text, "↘", "gesunken")


# --- what the facts offer --------------------------------------------------------------------


def shown_value(facts: IndicatorFacts) -> float | None:
    """The region's value if it may be shown: None when missing or blocked by a status symbol."""
    if is_missing(facts.value) or facts.status in MISSING_SYMBOLS:
        return None
    return facts.value


def _reference(facts: IndicatorFacts) -> tuple[str, float] | None:
    """The yardstick: the reference region, else the Land; None for counts and when missing."""
    if facts.unit in COUNT_UNITS:
        return None
    if not is_missing(facts.reference_value):
        return facts.reference_kind, facts.reference_value
    if not is_missing(facts.land_value):
        return "land", facts.land_value
    return None


def compare_facts(
    facts: IndicatorFacts, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Comparison | None:
    """`compare` for the facts against their yardstick; None when there is nothing to compare."""
    value, ref = shown_value(facts), _reference(facts)
    if value is None or ref is None:
        return None
    return compare(value, ref[1], facts.unit, facts.polarity, thresholds)


def trend_facts(facts: IndicatorFacts, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Trend | None:
    """`trend` for the facts; None without a past value from an earlier period."""
    value = shown_value(facts)
    if value is None or is_missing(facts.past_value) or facts.past_period is None:
        return None
    if facts.period is not None and facts.past_period >= facts.period:
        return None
    return trend(value, facts.past_value, facts.unit, thresholds, facts.decimals)


# --- grammar of the indicator names ----------------------------------------------------------

# Endings of head nouns (whole words included) → grammatical gender; the first match counts.
_GENDERS = (
    ("quote", "die"), ("rate", "die"), ("zahl", "die"), ("dichte", "die"), ("ziffer", "die"),
    ("miete", "die"), ("fläche", "die"), ("größe", "die"), ("hilfe", "die"), ("nahme", "die"),
    ("armut", "die"), ("ung", "die"), ("heit", "die"), ("keit", "die"), ("ität", "die"),
    ("anteil", "der"), ("saldo", "der"), ("wert", "der"), ("quotient", "der"), ("betrag", "der"),
    ("index", "der"), ("alter", "das"), ("verhältnis", "das"), ("einkommen", "das"),
)  # fmt: skip
_STRONG_ENDING = {"der": "er", "die": "e", "das": "es"}  # "Natürlicher Saldo", "Verfügbares …"
_DATIVE = {"der": "zum", "die": "zur", "das": "zum"}
_PRONOUN = {"der": "er", "die": "sie", "das": "es"}
# Nominalised adjectives after "Anteil" take the genitive -r: "Anteil Minderjähriger".
_NOMINALISED = ("jährige", "erziehende", "betagte", "arbeitslose", "lebende", "berechtigte")


@dataclass(frozen=True)
class Subject:
    """How a sentence names the indicator. With a known gender the name is the subject ("die
    Betreuungsquote …"); otherwise `prefix` names it and "der Wert" is the subject."""

    nominative: str  # "die Betreuungsquote unter 3-Jährige" | "der Wert"
    dative: str  # "zur Betreuungsquote unter 3-Jährige" | "zum Indikator »…«"
    pronoun: str  # "sie" | "er"
    prefix: str = ""  # "" | "Beim Indikator »…«"


def _gender(token: str) -> str | None:
    word = token.split("-")[-1]
    if not word[:1].isupper():
        return None
    low = word.lower()
    return next((gender for end, gender in _GENDERS if low.endswith(end)), None)


def _is_prefix(tokens: list[str], i: int) -> bool:
    """Abbreviations and truncated compounds before the head: "SGB II-Quote", "Gesamt- bzw. …"."""
    tok = tokens[i]
    joins = tok in ("bzw.", "und", "oder") and i > 0 and tokens[i - 1].endswith("-")
    return tok.isupper() or tok.endswith("-") or joins


def _head(tokens: list[str]) -> tuple[int | None, int, str] | None:
    """(index of a leading adjective or None, index of the head noun, gender) or None."""
    i = 0
    while i < len(tokens) - 1 and _is_prefix(tokens, i):
        i += 1
    if gender := _gender(tokens[i]):
        return None, i, gender
    if i + 1 < len(tokens) and tokens[i][:1].isupper() and (gender := _gender(tokens[i + 1])):
        return (i, i + 1, gender) if tokens[i].endswith(_STRONG_ENDING[gender]) else None
    return None


def _genitive_after_anteil(token: str) -> str:
    if token.isalpha() and (token[:1].islower() and token.endswith("e")):
        return token + "r"  # "junge Menschen" → "junger Menschen"
    return token + "r" if token.endswith(_NOMINALISED) else token


def subject(name: str) -> Subject:
    """The grammatical subject for an indicator name; names that are no plain noun phrase with a
    known head noun (plural heads, "X: Y", a trailing predicate) use the "Beim Indikator" form."""
    last = re.sub(r"\([^)]*\)", "", name).split()[-1:]
    predicate = bool(last) and last[0][:1].islower() and last[0].isalpha()
    tokens = name.split()
    found = None if ":" in name or predicate or not tokens else _head(tokens)
    if found is None:
        return Subject("der Wert", f"zum Indikator »{name}«", "er", f"Beim Indikator »{name}«")
    adj, head, gender = found
    nom, dat = list(tokens), list(tokens)
    if adj is not None:
        stem = tokens[adj].lower().removesuffix(_STRONG_ENDING[gender])
        nom[adj], dat[adj] = stem + "e", stem + "en"
    if tokens[head] == "Anteil" and head + 1 < len(tokens):
        nom[head + 1] = dat[head + 1] = _genitive_after_anteil(tokens[head + 1])
    return Subject(
        f"{gender} {' '.join(nom)}", f"{_DATIVE[gender]} {' '.join(dat)}", _PRONOUN[gender]
    )


def _clause(subj: Subject, verb: str, rest: str) -> str:
    """A main clause with the verb in second place: "Die Quote liegt …" / "Beim … liegt der Wert …"."""
    if subj.prefix:
        return f"{subj.prefix} {verb} {subj.nominative} {rest}"
    text = f"{subj.nominative} {verb} {rest}"
    return text[0].upper() + text[1:]


# --- amounts in prose ------------------------------------------------------------------------

_UNIT_DATIVE = {"Jahre": "Jahren", "Kinder": "Kindern", "Plätze": "Plätzen"}  # after "mit"
_UNIT_SILENT = ("Verhältnis",)
_FLAG_WORDS = {"p": "vorläufig", "r": "berichtigt", "s": "geschätzt", "e": "geschätzt",
               "()": "eingeschränkt aussagekräftig"}  # fmt: skip
_REASONS = {".": "Wert geheim oder unbekannt", "/": "Wert nicht sicher genug",
            "x": "Wert nicht sinnvoll", "...": "Wert fällt später an",
            "·": "Wert aus Datenschutzgründen nicht ausgewiesen"}  # fmt: skip


def _with_unit(number: str, facts: IndicatorFacts, *, dative: bool = False) -> str:
    """Append the unit in prose ("44,1 Jahren" after "mit"); left out where the indicator's name
    already says it ("Wanderungssaldo je 1.000 EW") or where it is no word ("Verhältnis")."""
    unit = facts.unit
    first, _, more = unit.partition(" ")
    if dative and first in _UNIT_DATIVE:
        unit = f"{_UNIT_DATIVE[first]} {more}".strip()
    silent = facts.unit in _UNIT_SILENT or facts.unit in facts.name
    return fmt_unit(number, unit, with_unit=not silent)


def _amount(value: float, facts: IndicatorFacts, *, dative: bool = False, own: bool = False) -> str:
    """A value in prose: "34,8 %", "8,3 je 1.000 EW"; the region's `own` value with its notes:
    "34,8 % (vorläufig; Mittel 2021–2024)"."""
    text = _with_unit(fmt_number(value, facts.decimals), facts, dative=dative)
    notes = [_FLAG_WORDS[facts.status]] if own and facts.status in _FLAG_WORDS else []
    if own and facts.multi_year and facts.period is not None:
        notes.append(f"Mittel {fmt_year_range(facts.period - 3, facts.period)}")
    return f"{text} ({'; '.join(notes)})" if notes else text


def _comparison_phrase(facts: IndicatorFacts, cmp: Comparison, kind: str, ref: float) -> str:
    words, ref_text = _REFERENCE[kind], _amount(ref, facts)
    if not cmp.significant:
        return f"etwa auf dem Niveau {words.genitive} ({ref_text})"
    side = "über" if cmp.direction == "higher" else "unter"
    if cmp.judgement == "neutral":
        return f"deutlich {side} dem {words.value} ({ref_text})"
    return f"deutlich {side} dem {words.average} ({ref_text}), also {cmp.label} als {words.place}"


# --- sentences -------------------------------------------------------------------------------


def _population_sentences(region: str, facts: IndicatorFacts, value: float) -> list[str]:
    when = f" Ende {facts.period}" if facts.period is not None else ""
    flag = f" ({_FLAG_WORDS[facts.status]})" if facts.status in _FLAG_WORDS else ""
    text = f"In {region} lebten{when} {fmt_number(value, 0)} Menschen{flag}"
    change = relative_change(value, facts.past_value) if facts.past_period else None
    if change is not None and round_half_up(change, RELATIVE_DECIMALS) == 0:
        text += f", etwa so viele wie {facts.past_period}"
    elif change is not None:
        more = "mehr" if change > 0 else "weniger"
        text += f", {fmt_change(change, '', RELATIVE_DECIMALS, signed=False)} {more} als {facts.past_period}"
    return [text + "."]


def _missing_sentences(region: str, facts: IndicatorFacts, subj: Subject) -> list[str]:
    reason = f" ({_REASONS[facts.status]})" if facts.status in _REASONS else ""
    text = f"Für {region} liegen keine Daten {subj.dative} vor{reason}"
    if (ref := _reference(facts)) is not None:
        text += f"; der {_REFERENCE[ref[0]].value} beträgt {_amount(ref[1], facts)}"
    return [text + "."]


def _trend_clause(facts: IndicatorFacts, tr: Trend, value: float) -> str:
    """ "seit 2019 um 6,3 Prozentpunkte auf 34,8 % gestiegen" (or "von … auf …")."""
    target = _amount(value, facts, own=True)
    if tr.kind == "absolute":
        start = fmt_unit(fmt_number(facts.past_value, facts.decimals), facts.unit)
        return f"seit {facts.past_period} von {start} auf {target} {tr.label}"
    decimals = facts.decimals if tr.kind == "points" else RELATIVE_DECIMALS
    by = fmt_change(tr.delta, facts.unit, decimals, signed=False)
    return f"seit {facts.past_period} um {by} auf {target} {tr.label}"


def _stable_sentence(facts: IndicatorFacts, tr: Trend, subj: Subject) -> str:
    delta = _with_unit(tr.delta_text, facts) if tr.kind == "absolute" else tr.delta_text
    return f"Seit {facts.past_period} ist {subj.pronoun} weitgehend stabil geblieben ({delta})."


def sentences(
    region_name: str, facts: IndicatorFacts, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[str]:
    """One or two German sentences on one indicator of a region: value, comparison with the
    reference (by polarity) and the trend; a missing value is said to be missing, never zero."""
    value, subj = shown_value(facts), subject(facts.name)
    if value is None:
        return _missing_sentences(region_name, facts, subj)
    if facts.indicator_id == POPULATION_ID:
        return _population_sentences(region_name, facts, value)
    ref, cmp = _reference(facts), compare_facts(facts, thresholds)
    tr = trend_facts(facts, thresholds)
    if tr is not None and tr.direction != "stable":
        text = _clause(subj, "ist", f"in {region_name} {_trend_clause(facts, tr, value)}")
        if cmp is None:
            return [text + "."]
        along = cmp.direction == ("higher" if tr.direction == "rising" else "lower")
        link = " und liegt damit" if along or not cmp.significant else ", liegt aber"
        return [f"{text}{link} {_comparison_phrase(facts, cmp, *ref)}."]
    amount = _amount(value, facts, own=True)
    if cmp is None:
        first = _clause(subj, "beträgt", f"in {region_name} {amount}.")
    else:
        dative = _amount(value, facts, dative=True, own=True)
        rest = f"in {region_name} mit {dative} {_comparison_phrase(facts, cmp, *ref)}."
        first = _clause(subj, "liegt", rest)
    return [first] if tr is None else [first, _stable_sentence(facts, tr, subj)]


_NUMBER_WORDS = ("", "einem", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
                 "zehn", "elf", "zwölf")  # fmt: skip


def _summary_sentence(region: str, rest: list[IndicatorFacts]) -> str:
    """ "Bei drei weiteren Indikatoren … liegt Kreuztal etwa auf dem Niveau des Kreises." """
    n = len(rest)
    count = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
    noun = "weiteren Indikator" if n == 1 else "weiteren Indikatoren"
    kinds = {_reference(f)[0] for f in rest}
    where = _REFERENCE[kinds.pop()].genitive if len(kinds) == 1 else "der Vergleichsregionen"
    return f"Bei {count} {noun} dieses Handlungsfelds liegt {region} etwa auf dem Niveau {where}."


def key_sentence_for_section(
    region_name: str,
    facts_list: list[IndicatorFacts],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    limit: int = 4,
) -> list[str]:
    """Two to four sentences for a Handlungsfeld chapter: the lead indicator (the first with a
    value) and then the indicators that differ most from their reference."""
    if not facts_list:
        return []
    with_value = [f for f in facts_list if shown_value(f) is not None]
    lead = with_value[0] if with_value else facts_list[0]
    if shown_value(lead) is None and _reference(lead) is None:
        return []
    out = sentences(region_name, lead, thresholds)
    compared = [(f, c) for f in with_value if f is not lead and (c := compare_facts(f, thresholds))]
    notable = sorted((x for x in compared if x[1].significant), key=lambda x: -x[1].score)
    for facts, _ in notable:
        if len(out) >= limit:
            break
        out.append(sentences(region_name, facts, thresholds)[0])
    if not notable and compared and len(out) < limit:
        out.append(_summary_sentence(region_name, [f for f, _ in compared]))
    return out
