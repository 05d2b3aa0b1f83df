"""Demo exports of the Kindertagesbetreuung statistics (KJH-Statistik 22541 Tageseinrichtungen,
22543 Kindertagespflege) per Jugendamt, Stichtag 01.03., counted at the place of care."""

from __future__ import annotations

from pathlib import Path

from fis.demo.generate import GEMEINDE_KEYS, KREIS, YEARS
from fis.demo.official_common import (
    JA_MEMBERS,
    KIND,
    ROWS_JA,
    Ctx,
    cnt,
    dec,
    ldb,
    ldb_rows,
    rng,
    trend,
)

AREAS = ["05", "059", *GEMEINDE_KEYS]
Q_U3 = {2008: 0.085, 2009: 0.10, 2010: 0.12, 2011: 0.14, 2012: 0.165, 2013: 0.19, 2014: 0.21,
        2015: 0.22, 2017: 0.23, 2019: 0.24, 2020: 0.25, 2022: 0.255, 2024: 0.265}  # fmt: skip
Q_36 = {2008: 0.90, 2016: 0.92, 2017: 0.905, 2024: 0.925}
Q_SCHOOL = {2008: 0.030, 2012: 0.015, 2016: 0.006, 2024: 0.004}
GT7_U3 = {2008: 0.45, 2024: 0.52}
GT7_36 = {2008: 0.30, 2015: 0.38, 2024: 0.43}
MIG = {2008: 0.26, 2015: 0.29, 2016: 0.31, 2024: 0.37}
PLACE_U3 = {"uni": 1.10, "town": 0.97, "rural": 0.93, "05": 0.94, "059": 0.92}
MIG_PLACE = {"uni": 1.35, "town": 0.85, "rural": 0.80, "05": 1.20, "059": 1.10}
KTP_U3 = {2008: 0.030, 2013: 0.065, 2024: 0.072}
KTP_PLACE = {"uni": 0.80, "town": 1.10, "rural": 1.25, "05": 0.95, "059": 1.0}
STAFF = {2008: 7.1, 2014: 6.0, 2024: 5.5}  # Ganztagsbetreuungsäquivalente per VZÄ


def _ja(vals: dict[tuple[str, int], list[float]], n: int) -> None:
    """Round the Gemeinde floats and add Jugendamt and Kreis sums, in place."""
    for y in YEARS:
        for ja, members in JA_MEMBERS.items():
            vals[(ja, y)] = [sum(vals[(k, y)][i] for k in members) for i in range(n)]
        for k in ("05", "059", *JA_MEMBERS):
            vals[(k, y)] = [int(round(v)) for v in vals[(k, y)]]
        vals[(KREIS, y)] = [sum(vals[(ja, y)][i] for ja in JA_MEMBERS) for i in range(n)]


def kita(ctx: Ctx) -> dict[tuple[str, int], list]:
    """[u3, u3 >7h, 3-6, 3-6 >7h, 6-14, total, mig, ndfs, 3-6 mig, GTÄ, VZÄ] per key (01.03.)."""
    if "kita" in ctx.cache:
        return ctx.cache["kita"]
    r = rng("22541-01i")
    res = {}
    for k in AREAS:
        kind = KIND.get(k, k)
        lev = 1 + 0.05 * r.normal()
        for y in YEARS:
            u3 = ctx.pop(k, y - 1, 0, 3) * trend(Q_U3, y) * PLACE_U3[kind] * lev
            u3 *= 1 + 0.03 * r.normal()
            k36 = ctx.pop(k, y - 1, 3, 6) * trend(Q_36, y) * (1.03 if kind == "uni" else 0.99)
            k36 *= 1 + 0.01 * r.normal()
            school = ctx.pop(k, y - 1, 6, 11) * trend(Q_SCHOOL, y) * (1 + 0.1 * r.normal())
            plus = 0.06 if kind == "uni" else 0.0
            g3, g36 = u3 * (trend(GT7_U3, y) + plus), k36 * (trend(GT7_36, y) + plus)
            total = u3 + k36 + school
            mig = total * trend(MIG, y) * MIG_PLACE[kind] * (1 + 0.012 * r.normal())
            gta = (u3 * 0.93 + k36 * 0.80 + school * 0.45) * (1 + 0.0035 * (y - 2008))
            vze = gta / trend(STAFF, y) * (1 + 0.02 * r.normal())
            res[(k, y)] = [u3, g3, k36, g36, school, total, mig, mig * 0.62,
                           k36 * trend(MIG, y) * MIG_PLACE[kind] * 1.03, gta, vze]  # fmt: skip
    for y in YEARS:  # counts are integers; the equivalents keep one decimal
        for k in AREAS:
            v = res[(k, y)]
            ints = [int(round(x)) for x in v[:5]]
            res[(k, y)] = [
                *ints,
                sum(ints[i] for i in (0, 2, 4)),
                *(int(round(x)) for x in v[6:9]),
                round(v[9], 1),
                round(v[10], 1),
            ]
        for ja, members in JA_MEMBERS.items():
            res[(ja, y)] = [sum(res[(k, y)][i] for k in members) for i in range(11)]
        res[(KREIS, y)] = [sum(res[(ja, y)][i] for ja in JA_MEMBERS) for i in range(11)]
    ctx.cache["kita"] = res
    return res


def write_kita(ctx: Ctx, out: Path) -> Path:
    v = kita(ctx)
    head = [["Kinder in Kindertageseinrichtungen"] * 6,
            ["unter 3 Jahre", "unter 3 Jahre", "3 Jahre bis Schuleintritt",
             "3 Jahre bis Schuleintritt", "Schulkinder unter 14 Jahren", "Insgesamt"],
            ["zusammen", "mehr als 7 Stunden täglich", "zusammen", "mehr als 7 Stunden täglich",
             "zusammen", "zusammen"], ["Anzahl"] * 6]  # fmt: skip

    def cells(k, y):
        x = v[(k, y)]
        return [cnt(x[i]) for i in (0, 1, 2, 3, 4, 5)]

    return ldb(
        out, "22541-01i",
        "Kinder in Kindertageseinrichtungen nach Altersgruppen und Betreuungszeit"
        " - Stichtag 01.03. - Jugendämter",
        head, ldb_rows(ROWS_JA, YEARS, cells, "01.03.{y}"),
        ["", "Nachweis nach dem Ort der Einrichtung (nicht dem Wohnort",
         "der Kinder). Jugendamt Siegen: Stadt Siegen, Kreisjugendamt:",
         "die übrigen zehn Städte und Gemeinden des Kreises.",
         "Mehr als 7 Stunden: vertraglich vereinbarte Betreuungszeit."],
    )  # fmt: skip


def write_kita_migration(ctx: Ctx, out: Path) -> Path:
    v = kita(ctx)
    head = [["Kinder in Kindertageseinrichtungen"] * 4,
            ["Insgesamt", "mit ausländischer Herkunft mindestens eines Elternteils",
             "in der Familie vorrangig nicht Deutsch sprechend",
             "3 Jahre bis Schuleintritt mit ausländischer Herkunft mind. eines Elternteils"],
            ["Anzahl"] * 4]  # fmt: skip
    return ldb(
        out, "22541-02i",
        "Kinder in Kindertageseinrichtungen nach Migrationshintergrund und Familiensprache"
        " - Stichtag 01.03. - Jugendämter",
        head,
        ldb_rows(ROWS_JA, YEARS, lambda k, y: [cnt(v[(k, y)][i]) for i in (5, 6, 7, 8)],
                 "01.03.{y}"),
        ["", "Ausländische Herkunft: mindestens ein Elternteil",
         "ausländischer Herkunft (Geburtsland). Nachweis nach dem",
         "Ort der Einrichtung."],
    )  # fmt: skip


def write_kita_staff(ctx: Ctx, out: Path) -> Path:
    v = kita(ctx)
    head = [["Kindertageseinrichtungen"] * 2,
            ["Ganztagsbetreuungsäquivalente der Kinder",
             "pädagogisch tätiges Personal (Vollzeitäquivalente)"],
            ["Anzahl", "Anzahl"]]  # fmt: skip
    return ldb(
        out, "22541-03i",
        "Ganztagsbetreuungsäquivalente und pädagogisches Personal in"
        " Kindertageseinrichtungen - Stichtag 01.03. - Jugendämter",
        head,
        ldb_rows(ROWS_JA, YEARS, lambda k, y: [dec(v[(k, y)][9]), dec(v[(k, y)][10])],
                 "01.03.{y}"),
        ["", "Ganztagsbetreuungsäquivalent: vereinbarte Betreuungszeit",
         "der Kinder je Woche / 40 Stunden. Vollzeitäquivalent:",
         "vertragliche Arbeitszeit des pädagogisch tätigen Personals",
         "(ohne Leitung und Verwaltung) / 39 Stunden."],
    )  # fmt: skip


def childminding(ctx: Ctx) -> dict[tuple[str, int], list]:
    """[u3, u3 >7h, 3-6, 3-6 >7h, 6-14, Tagespflegepersonen] per key (01.03.): floats for the
    Gemeinden (the place of the Tagespflegeperson), rounded counts for the Jugendämter (the
    rounded sums of their Gemeinden), the Kreis (their sum), Land and Regierungsbezirk."""
    if "childminding" in ctx.cache:
        return ctx.cache["childminding"]
    r = rng("22543-01i")
    vals: dict[tuple[str, int], list[float]] = {}
    for k in AREAS:
        kind = KIND.get(k, k)
        lev = 1 + 0.1 * r.normal()
        for y in YEARS:
            u3 = ctx.pop(k, y - 1, 0, 3) * trend(KTP_U3, y) * KTP_PLACE[kind] * lev
            u3 *= 1 + 0.05 * r.normal()
            k36 = ctx.pop(k, y - 1, 3, 6) * 0.0055 * KTP_PLACE[kind] * (1 + 0.15 * r.normal())
            school = ctx.pop(k, y - 1, 6, 11) * 0.004 * (1 + 0.15 * r.normal())
            persons = (u3 + k36 + school) / (3.2 + 0.06 * (y - 2008))
            vals[(k, y)] = [u3, u3 * 0.15, k36, k36 * 0.10, school, persons]
    _ja(vals, 6)
    ctx.cache["childminding"] = vals
    return vals


def write_childminding(ctx: Ctx, out: Path) -> Path:
    vals = childminding(ctx)
    head = [["Kinder in Kindertagespflege (ohne zusätzliche Betreuung in Tageseinrichtungen)"] * 5
            + ["Tagespflegepersonen"],
            ["unter 3 Jahre", "unter 3 Jahre", "3 Jahre bis Schuleintritt",
             "3 Jahre bis Schuleintritt", "Schulkinder unter 14 Jahren", "Insgesamt"],
            ["zusammen", "mehr als 7 Stunden täglich", "zusammen", "mehr als 7 Stunden täglich",
             "zusammen", "zusammen"], ["Anzahl"] * 6]  # fmt: skip
    return ldb(
        out, "22543-01i",
        "Kinder in Kindertagespflege ohne zusätzliche Betreuung in Tageseinrichtungen"
        " nach Altersgruppen und Betreuungszeit - Stichtag 01.03. - Jugendämter",
        head, ldb_rows(ROWS_JA, YEARS, lambda k, y: [cnt(x) for x in vals[(k, y)]], "01.03.{y}"),
        ["", "Kinder, die zusätzlich eine Kindertageseinrichtung oder",
         "eine Ganztagsschule besuchen, sind nicht enthalten.",
         "Nachweis nach dem Ort der Tagespflegeperson."],
    )  # fmt: skip


def write_all(ctx: Ctx, out: Path) -> list[Path]:
    return [
        write_kita(ctx, out),
        write_kita_migration(ctx, out),
        write_kita_staff(ctx, out),
        write_childminding(ctx, out),
    ]
