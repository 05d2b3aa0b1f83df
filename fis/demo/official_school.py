"""Demo exports of the school statistics (IT.NRW Schulstatistik 21111, by school location):
pupils, transitions to secondary schools, school leavers, school entry."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fis.demo.generate import GEMEINDE_KEYS, KREIS, YEARS
from fis.demo.official_common import (
    KIND,
    ROWS_GEM,
    ROWS_KREIS,
    SOCIAL,
    Ctx,
    cnt,
    ldb,
    ldb_rows,
    noisy,
    pois,
    rng,
    trend,
)

AREAS = ["05", "059", *GEMEINDE_KEYS]
# Secondary pupils at the school location relative to the resident 10-15-year-olds.
SEK_PLACE = {
    "05970004": 1.15, "05970008": 0.90, "05970012": 0.85, "05970016": 0.85, "05970020": 1.25,
    "05970024": 1.20, "05970028": 1.00, "05970032": 0.80, "05970036": 0.70, "05970040": 1.40,
    "05970044": 0.75, "05": 1.0, "059": 1.0,
}  # fmt: skip
FOERDER = {"05970040": 0.60, "05970024": 0.15, "05970004": 0.10, "05970032": 0.08,
           "05970008": 0.07}  # fmt: skip
PLACE = {"uni": 1.15, "town": 0.95, "rural": 0.85, "05": 1.2, "059": 1.1}
ZUWG_PLACE = {"uni": 1.45, "town": 0.85, "rural": 0.80, "05": 1.35, "059": 1.2}


def pupils(ctx: Ctx) -> dict[tuple[str, int], list[int]]:
    """[GS, GS Ganztag, GS Zuwanderungsgeschichte, Sek I, Sek I Ganztag, Förderschulen]."""
    r = rng("21111-01i")
    ogs = {2008: 0.20, 2012: 0.33, 2016: 0.40, 2020: 0.47, 2024: 0.53}
    zuwg = {2008: 0.20, 2015: 0.24, 2016: 0.28, 2022: 0.33, 2024: 0.36}
    sek_gt = {2008: 0.12, 2012: 0.25, 2016: 0.33, 2024: 0.42}
    foerder = {2008: 0.058, 2014: 0.052, 2016: 0.046, 2024: 0.044}
    norm = sum(ctx.pop(k, 2015, 10, 16) * SEK_PLACE[k] for k in GEMEINDE_KEYS) / ctx.pop(
        KREIS, 2015, 10, 16
    )
    res = {}
    for y in YEARS:
        for k in AREAS:
            kind = KIND.get(k, k)
            gs = noisy(r, ctx.pop(k, y, 6, 10) * (1.03 if kind == "uni" else 0.99), 0.01)
            sek = noisy(r, ctx.pop(k, y, 10, 16) * SEK_PLACE[k] / (norm if k in KIND else 1)
                        * 0.985, 0.01)  # fmt: skip
            v = [gs, gs * trend(ogs, y) * PLACE[kind], gs * trend(zuwg, y) * ZUWG_PLACE[kind],
                 sek, sek * trend(sek_gt, y) * (1 + 0.1 * r.normal())]  # fmt: skip
            res[(k, y)] = [int(round(x)) for x in v] + [0]
        kreis_f = trend(foerder, y) * sum(res[(k, y)][0] + res[(k, y)][3] for k in GEMEINDE_KEYS)
        for k in AREAS:
            if k in FOERDER:
                res[(k, y)][5] = int(round(kreis_f * FOERDER[k] * (1 + 0.03 * r.normal())))
            elif k in ("05", "059"):
                res[(k, y)][5] = int(round(trend(foerder, y) * 1.05 * (res[(k, y)][0]
                                                                       + res[(k, y)][3])))  # fmt: skip
        res[(KREIS, y)] = [sum(res[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(6)]
    return res


def write_pupils(ctx: Ctx, out: Path) -> Path:
    p = pupils(ctx)
    head = [["Grundschulen"] * 3 + ["Sekundarstufe I"] * 2 + ["Förderschulen", "Klassen 1 bis 10"],
            ["Schüler/-innen", "im Ganztag", "mit Zuwanderungsgeschichte", "Schüler/-innen",
             "im Ganztag", "Schüler/-innen", "Schüler/-innen"], ["Anzahl"] * 7]  # fmt: skip

    def cells(k, y):
        v = p[(k, y)]
        return [cnt(x) for x in v] + [cnt(v[0] + v[3] + v[5])]

    return ldb(
        out, "21111-01i",
        "Schüler/-innen an allgemeinbildenden Schulen nach Schulformen, Ganztag und"
        " Zuwanderungsgeschichte - Stichtag 15.10. - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, cells, "15.10.{y}"),
        ["", "Nachweis nach dem Schulstandort (Schuljahr ab August,",
         "Stichtag 15.10.). Sekundarstufe I: Klassen 5 bis 10 aller",
         "Schulformen. Ganztag: offener und gebundener Ganztag."],
    )  # fmt: skip


TRANSITION = [
    ("Hauptschule", {2008: 0.13, 2012: 0.09, 2016: 0.05, 2024: 0.03}),
    ("Realschule", {2008: 0.29, 2014: 0.25, 2018: 0.20, 2024: 0.17}),
    ("Gymnasium", {2008: 0.37, 2016: 0.40, 2024: 0.42}),
    ("Gesamtschule", {2008: 0.17, 2012: 0.20, 2024: 0.27}),
    ("Sekundarschule", {2011: 0.0, 2012: 0.04, 2016: 0.07, 2024: 0.08}),
]
SEK_SCHOOL = {"05970012": 2.5, "05970028": 2.0, "05970020": 1.5, "05970008": 1.2,
              "05970040": 0.5}  # fmt: skip


def write_transitions(ctx: Ctx, out: Path) -> Path:
    r = rng("21111-02i")
    vals = {}
    for y in YEARS:
        for k in AREAS:
            kind = KIND.get(k, k)
            total = pois(r, ctx.pop(k, y, 10, 11) * 0.985)
            sh = [trend(t, y) for _, t in TRANSITION]
            sh[2] *= {"uni": 1.15, "rural": 0.9}.get(kind, 1.0)
            sh[0] *= SOCIAL[k] ** 0.5
            sh[4] *= SEK_SCHOOL.get(k, 0.4 if k in KIND else 1.0)
            sh = [s * (1 + 0.06 * r.normal()) for s in sh]
            sh.append(max(0.012, 1 - sum(sh)))
            n = r.multinomial(total, np.array(sh) / sum(sh))
            vals[(k, y)] = [total, *(int(v) for v in n)]
        vals[(KREIS, y)] = [sum(vals[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(7)]
    labels = ["Insgesamt", *(s for s, _ in TRANSITION), "Sonstige Schulformen"]
    head = [["Übergänge von Grundschulen auf weiterführende Schulen"] * 7, labels, ["Anzahl"] * 7]
    return ldb(
        out, "21111-02i",
        "Übergänge von der Grundschule in Klasse 5 nach Schulformen - Stichtag 15.10."
        " - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]], "15.10.{y}"),
        ["", "Nachweis nach dem Standort der abgebenden Grundschule.",
         "Sekundarschulen gibt es seit dem Schuljahr 2012/13 (davor -).",
         "Sonstige: Gemeinschaftsschulen, PRIMUS-Schulen, Förderschulen."],
    )  # fmt: skip


LEAVE = ["ohne Hauptschulabschluss", "mit Hauptschulabschluss", "mit mittlerem Abschluss",
         "mit Fachhochschulreife", "mit allgemeiner Hochschulreife"]  # fmt: skip
NO_ABITUR = {"05970012"}  # no upper secondary school in the Gemeinde


def leavers(ctx: Ctx) -> dict[tuple[str, int], list[int]]:
    """Leavers of the school year ending in y: [insgesamt, 5 qualifications]."""
    if "abg" in ctx.cache:
        return ctx.cache["abg"]
    r = rng("21111-03i")
    without = {2008: 0.068, 2014: 0.058, 2019: 0.062, 2024: 0.065}
    abitur = {2008: 0.30, 2012: 0.33, 2014: 0.34, 2024: 0.37}
    res = {}
    for y in YEARS:
        for k in AREAS:
            kind = KIND.get(k, k)
            place = SEK_PLACE[k] if k in KIND else 1.0
            double = 1.22 if y == 2013 else 1.0  # G8: double Abitur cohort in NRW 2013
            total = pois(r, ctx.pop(k, y - 1, 16, 17) * place * 0.98 * double)
            ab = 0.0 if k in NO_ABITUR else trend(abitur, y) * (1.15 if kind == "uni" else 0.97)
            if y == 2013:
                ab = ab * 1.9 / double
            sh = [trend(without, y) * SOCIAL[k] ** 0.6, 0.17 - 0.003 * (y - 2008), 0.0,
                  0.015, ab]  # fmt: skip
            sh[2] = max(0.2, 1 - sum(sh))
            n = r.multinomial(total, np.array(sh) / sum(sh))
            res[(k, y)] = [total, *(int(v) for v in n)]
        res[(KREIS, y)] = [sum(res[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(6)]
    ctx.cache["abg"] = res
    return res


def write_leavers(ctx: Ctx, out: Path) -> Path:
    a = leavers(ctx)
    head = [["Abgänger/-innen und Absolvent(inn)en allgemeinbildender Schulen"] * 6,
            ["Insgesamt", *LEAVE], ["Anzahl"] * 6]  # fmt: skip
    return ldb(
        out, "21111-03i",
        "Abgänger/-innen und Absolvent(inn)en allgemeinbildender Schulen nach Abschlussart"
        " - Gemeinden - Abgangsjahr",
        head, ldb_rows(ROWS_GEM, YEARS, lambda k, y: [cnt(v) for v in a[(k, y)]]),
        ["", "Abgangsjahr = Ende des Schuljahres (2024 = Schuljahr",
         "2023/24). Nachweis nach dem Schulstandort. 2013 doppelter",
         "Abiturjahrgang (G8 und G9). Erndtebrück: keine Schule mit",
         "gymnasialer Oberstufe (-)."],
    )  # fmt: skip


def write_leavers_foreign(ctx: Ctx, out: Path) -> Path:
    a = leavers(ctx)
    r = rng("21111-04i")
    share = {2008: 0.075, 2016: 0.085, 2020: 0.11, 2024: 0.13}
    level = {"05": 1.45, "059": 1.3, KREIS: 1.0}
    head = [["Abgänger/-innen und Absolvent(inn)en allgemeinbildender Schulen"] * 4,
            ["Insgesamt", "Insgesamt", "Ausländer/-innen", "Ausländer/-innen"],
            ["zusammen", "ohne Hauptschulabschluss", "zusammen", "ohne Hauptschulabschluss"],
            ["Anzahl"] * 4]  # fmt: skip

    def cells(k, y):
        t, wo = a[(k, y)][0], a[(k, y)][1]
        au = int(round(t * trend(share, y) * level[k] * (1 + 0.04 * r.normal())))
        factor = 3.0 if 2016 <= y <= 2018 else 2.3
        wo_a = min(au, int(round(au * wo / t * factor * (1 + 0.08 * r.normal()))))
        return [cnt(t), cnt(wo), cnt(au), cnt(wo_a)]

    return ldb(
        out, "21111-04i",
        "Abgänger/-innen allgemeinbildender Schulen nach Nationalität - Kreise - Abgangsjahr",
        head, ldb_rows(ROWS_KREIS, YEARS, cells),
        ["", "Nach Nationalität nur für Kreise und kreisfreie Städte",
         "(kleine Fallzahlen in den Gemeinden)."],
    )  # fmt: skip


def write_school_entry(ctx: Ctx, out: Path) -> Path:
    r = rng("21111-05i")
    deferred = {2008: 0.062, 2012: 0.048, 2016: 0.045, 2020: 0.055, 2024: 0.060}
    vals = {}
    for y in YEARS:
        for k in AREAS:
            due = pois(r, ctx.pop(k, y - 1, 5, 6) * 1.0)
            d = pois(r, due * trend(deferred, y) * SOCIAL[k] ** 0.4)
            vals[(k, y)] = [due, d]
        vals[(KREIS, y)] = [sum(vals[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(2)]
    head = [["Einschulungen"] * 2,
            ["Schulpflichtig gewordene Kinder", "vom Schulbesuch zurückgestellt"],
            ["Anzahl"] * 2]  # fmt: skip
    return ldb(
        out, "21111-05i",
        "Schulpflichtig gewordene und vom Schulbesuch zurückgestellte Kinder"
        " - Stichtag 15.10. - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]], "15.10.{y}"),
        ["", "Nachweis nach dem Standort der Grundschule."],
    )  # fmt: skip


def write_all(ctx: Ctx, out: Path) -> list[Path]:
    return [
        write_pupils(ctx, out),
        write_transitions(ctx, out),
        write_leavers(ctx, out),
        write_leavers_foreign(ctx, out),
        write_school_entry(ctx, out),
    ]
