"""Demo exports of long-term care (Pflegestatistik, biennial), paediatricians, children injured
in road traffic (Kreis-level Landesdatenbank NRW tables) and selected offences by Tatortgemeinde
(Polizeiliche Kriminalstatistik)."""

from __future__ import annotations

from pathlib import Path

from fis.demo import generate as gen
from fis.demo.generate import GEMEINDE_KEYS, KREIS, YEARS
from fis.demo.official_common import (
    KIND,
    ROWS_KREIS,
    Ctx,
    cnt,
    ldb,
    ldb_rows,
    noisy,
    pois,
    rng,
    trend,
)

CARE_YEARS = list(range(2009, 2024, 2))
# Care-dependent per inhabitant (new definition of Pflegebedürftigkeit from 2017).
CARE = {2009: 0.031, 2011: 0.033, 2013: 0.035, 2015: 0.038, 2017: 0.049, 2019: 0.058,
        2021: 0.068, 2023: 0.075}  # fmt: skip
CASH = {2009: 0.46, 2013: 0.47, 2015: 0.48, 2017: 0.52, 2019: 0.55, 2021: 0.56, 2023: 0.57}
AMB = {2009: 0.235, 2015: 0.245, 2017: 0.235, 2023: 0.205}
LEVEL = {"05": 1.0, "059": 1.03, KREIS: 1.05}


def care(ctx: Ctx) -> dict[tuple[str, int], list[int]]:
    """[insgesamt, 65+, Pflegegeld, ambulant, vollstationär, teilstationär/sonstige]."""
    if "care" in ctx.cache:
        return ctx.cache["care"]
    r = rng("22421-01i")
    res = {}
    for k in ROWS_KREIS:
        for y in CARE_YEARS:
            n = noisy(r, ctx.fig[k].pop[y] * trend(CARE, y) * LEVEL[k], 0.015)
            old = n * (0.82 - 0.0025 * (y - 2009))
            cash = n * trend(CASH, y) * (1 + 0.01 * r.normal())
            amb = n * trend(AMB, y) * (1 + 0.02 * r.normal())
            stat = n * (0.285 - 0.0085 * (y - 2009))
            v = [int(round(x)) for x in (n, old, cash, amb, stat)]
            res[(k, y)] = [*v, v[0] - v[2] - v[3] - v[4]]
    ctx.cache["care"] = res
    return res


def write_care(ctx: Ctx, out: Path) -> Path:
    c = care(ctx)
    head = [["Pflegestatistik"] * 6,
            ["Pflegebedürftige insgesamt", "darunter: 65 Jahre und älter",
             "ausschließlich Pflegegeld (Versorgung durch Angehörige)",
             "ambulante Pflege (Pflegedienste)", "vollstationäre Dauerpflege",
             "übrige (Kurzzeit-, Tagespflege, Pflegegrad 1)"], ["Anzahl"] * 6]  # fmt: skip
    return ldb(
        out, "22421-01i",
        "Pflegebedürftige nach Art der Versorgung und Alter - Stichtag 15.12. - Kreise",
        head, ldb_rows(ROWS_KREIS, CARE_YEARS, lambda k, y: [cnt(v) for v in c[(k, y)]],
                       "15.12.{y}"),
        ["", "Die Pflegestatistik wird alle zwei Jahre erhoben",
         "(Stichtag 15.12.). Ab 2017 neuer Pflegebedürftigkeitsbegriff",
         "(Pflegegrade statt Pflegestufen): Zeitreihenbruch."],
    )  # fmt: skip


def write_care_homes(ctx: Ctx, out: Path) -> Path:
    c = care(ctx)
    r = rng("22412-01i")
    vals = {}
    for k in ROWS_KREIS:
        for y in CARE_YEARS:
            places = int(round(c[(k, y)][4] * (1.09 + 0.01 * r.normal()) + c[(k, y)][0] * 0.004))
            size = 82 + 0.6 * (y - 2009)
            homes = int(round(places / size))
            vals[(k, y)] = [homes, places, int(round(places * 0.93))]
    head = [["Pflegeheime"] * 3,
            ["Pflegeheime", "verfügbare Plätze", "darunter: vollstationäre Dauerpflege"],
            ["Anzahl"] * 3]  # fmt: skip
    return ldb(
        out, "22412-01i",
        "Stationäre Pflegeeinrichtungen (Pflegeheime) und verfügbare Plätze"
        " - Stichtag 15.12. - Kreise",
        head, ldb_rows(ROWS_KREIS, CARE_YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]],
                       "15.12.{y}"),
        ["", "Zugelassene Pflegeheime nach SGB XI, Erhebung alle zwei",
         "Jahre."],
    )  # fmt: skip


def write_paediatricians(ctx: Ctx, out: Path) -> Path:
    r = rng("23111-01i")
    per_10000 = {"05": 6.3, "059": 5.4, KREIS: 3.8}
    vals = {}
    for k in ROWS_KREIS:
        for y in YEARS:
            base = ctx.pop(k, y, 0, 18) / 10000 * per_10000[k] * (1 + 0.004 * (y - 2008))
            n = int(round(noisy(r, base, 0.015 if k != KREIS else 0.04)))
            vals[(k, y)] = [int(round(n * 1.9)), n]
    head = [["Ärztinnen und Ärzte für Kinder- und Jugendmedizin"] * 2,
            ["berufstätig insgesamt", "darunter: niedergelassen (vertragsärztlich)"],
            ["Anzahl"] * 2]  # fmt: skip
    return ldb(
        out, "23111-01i",
        "Berufstätige Ärztinnen und Ärzte für Kinder- und Jugendmedizin"
        " - Stichtag 31.12. - Kreise",
        head, ldb_rows(ROWS_KREIS, YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]],
                       "31.12.{y}"),
        ["", "Quelle der echten Daten: Ärztekammern und Kassenärztliche",
         "Vereinigungen (Arztregister), Gesundheitsberichterstattung",
         "NRW. Nachweis nach dem Ort der Tätigkeit."],
    )  # fmt: skip


def write_road_casualties(ctx: Ctx, out: Path) -> Path:
    r = rng("46241-05i")
    rate = {2008: 0.0034, 2012: 0.0031, 2016: 0.0030, 2019: 0.0029, 2020: 0.0022,
            2021: 0.0024, 2022: 0.0027, 2024: 0.0026}  # fmt: skip
    level = {"05": 1.0, "059": 0.95, KREIS: 0.9}
    vals = {}
    for k in ROWS_KREIS:
        for y in YEARS:
            lam = ctx.pop(k, y, 0, 15) * trend(rate, y) * level[k]
            dead = pois(r, lam * 0.0035)
            severe = pois(r, lam * 0.13)
            light = pois(r, lam * 0.8665)
            vals[(k, y)] = [dead + severe + light, dead, severe, light]
    head = [
        ["Verunglückte Kinder unter 15 Jahren"] * 4,
        ["Insgesamt", "Getötete", "Schwerverletzte", "Leichtverletzte"],
        ["Anzahl"] * 4,
    ]
    return ldb(
        out, "46241-05i",
        "Bei Straßenverkehrsunfällen verunglückte Kinder unter 15 Jahren - Kreise - Jahr",
        head, ldb_rows(ROWS_KREIS, YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]]),
        ["", "Nachweis nach dem Unfallort (polizeilich erfasste Unfälle)."],
    )  # fmt: skip


# Selected neighbourhood offences per 100 inhabitants (trend) and by kind of Gemeinde.
CRIME = {2008: 1.62, 2012: 1.55, 2015: 1.58, 2018: 1.34, 2021: 1.12, 2023: 1.30, 2024: 1.33}
CRIME_PLACE = {"uni": 1.75, "town": 0.78, "rural": 0.70, "05": 1.45}
OFFENCES = [("Sachbeschädigung", 0.46), ("Körperverletzung auf Straßen, Wegen, Plätzen", 0.22),
            ("Wohnungseinbruchdiebstahl", 0.12), ("Diebstahl an/aus Kraftfahrzeugen", 0.20)]  # fmt: skip
BURGLARY = {2008: 0.9, 2014: 1.25, 2015: 1.35, 2016: 1.2, 2018: 0.85, 2021: 0.55, 2024: 0.7}


def write_crime(ctx: Ctx, out: Path) -> Path:
    """Polizeiliche Kriminalstatistik by Tatortgemeinde, in the CSV layout of the Landesdatenbank
    (the real LKA NRW tables are spreadsheets per Kreispolizeibehörde)."""
    r = rng("pks_kiez")
    keys = ["05", KREIS, *GEMEINDE_KEYS]
    vals = {}
    for y in YEARS:
        for k in ["05", *GEMEINDE_KEYS]:
            lam = ctx.fig[k].pop[y] / 100 * trend(CRIME, y) * CRIME_PLACE[KIND.get(k, k)]
            parts = [
                pois(r, lam * w * (trend(BURGLARY, y) if "einbruch" in name else 1.0))
                for name, w in OFFENCES
            ]
            vals[(k, y)] = [sum(parts), parts[2]]
        vals[(KREIS, y)] = [sum(vals[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(2)]
    head = [["Polizeiliche Kriminalstatistik: bekannt gewordene Fälle (Tatort)"] * 2,
            ["Ausgewählte wohnumfeldbezogene Straftaten", "darunter: Wohnungseinbruchdiebstahl"],
            ["Anzahl"] * 2]  # fmt: skip
    rows = ldb_rows(keys, YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]])
    title = (
        "Polizeiliche Kriminalstatistik: ausgewählte wohnumfeldbezogene Straftaten nach"
        f" Tatortgemeinden - Jahr ({gen.DEMO_MARK_LATIN1})"
    )
    lines = ["Tabelle: PKS-TO-01", gen._pad(title, 4)]
    lines += [";;;" + ";".join(h) for h in head] + [";".join(x) for x in rows]
    lines += ["__________",
              '"DEMODATEN: synthetisch erzeugt mit fis.demo.generate, nicht amtlich.',
              "Fälle nach der Gemeinde des Tatorts. Deliktauswahl nach den Berliner",
              "Kernindikatoren (kiezbezogene Straftaten): Sachbeschädigung, Körper-",
              "verletzung auf Straßen, Wegen, Plätzen, Wohnungseinbruchdiebstahl,",
              "Diebstahl an/aus Kraftfahrzeugen. Mit der Kreispolizeibehörde",
              'abzustimmen. Kreis = Summe der Tatortgemeinden."',
              "© Landeskriminalamt NRW, Düsseldorf, 2026 (Demodaten im Tabellenformat der"
              " Landesdatenbank).",
              gen.STAND_LDB]  # fmt: skip
    return gen._write(out / "lkanrw_pks_tatortgemeinden_demo.csv", lines, "latin-1")


def write_all(ctx: Ctx, out: Path) -> list[Path]:
    return [
        write_care(ctx, out),
        write_care_homes(ctx, out),
        write_paediatricians(ctx, out),
        write_road_casualties(ctx, out),
        write_crime(ctx, out),
    ]
