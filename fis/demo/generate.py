"""Generate the FIS demo data: synthetic statistics exports in the exact real formats.

The demo imitates eight exports of German official statistics for Kreis Siegen-Wittgenstein
(05970) and its 11 Gemeinden, 2008-2024: Regionalstatistik (GENESIS classic CSV and the ffcsv
flat file) and Landesdatenbank NRW (ISO-8859-1). Every file carries a visible demo mark
("DEMODATEN") and holds invented figures, calibrated only to a few published totals.

    python -m fis.demo.generate [OUT_DIR]      # default: data/demo under the project root

How the figures are made (all deterministic, fixed seed, fixed "Stand" dates):

* One cohort-component simulation per area (single years of age 0-99+, both sexes) from
  31.12.2007 to 31.12.2024: births from age-specific fertility, deaths from a Gompertz-Makeham
  hazard (with a small excess 2020-2022), net migration from a base rate per period, an
  age-structural exchange (Siegen gains 18-24-year-olds and loses 25-30-year-olds; the rural
  Wittgenstein towns lose the young and win back some families), refugee inflows 2015/16 and
  2022, and a Zensus-2011 correction of the stock that is not a flow.
* Per area the base migration rates 2008-2015 and 2016-2024 are solved (bisection) so that the
  path runs through the anchors: 2024 = the published calibration facts; the Kreis total of
  2008 and 2015 = the published Kreis totals (Gemeinde paths assumed, then scaled).
* Integer figures: anchors exact; Gemeinde counts add up exactly to the Kreis; the net migration
  is whatever closes the stock-flow identity apart from the Zensus correction and a small
  "Bestandsberichtigung"; gross Zu-/Fortzüge add a symmetric exchange to the net by age group.
  About 30 % of the Gemeinden's exchange happens inside the Kreis and cancels at Kreis level.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

from fis.demo import local, official
from fis.demo.register import write_register

SEED = 20260210
FIRST_YEAR, LAST_YEAR = 2008, 2024
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))
N_AGE = 100  # single years 0..98, 99 = 99 and older
AGE = np.arange(N_AGE, dtype=float)
KREIS = "05970"

DEMO_MARK = "DEMODATEN – nicht amtlich"
DEMO_MARK_LATIN1 = "DEMODATEN - nicht amtlich"  # ISO-8859-1 has no en dash

# ---------------------------------------------------------------------------------------------
# Facts (the only published numbers in this module)
# ---------------------------------------------------------------------------------------------
# Landesdatenbank NRW, table 12411-15i, Stichtag 31.12.2024: population, Katasterfläche (km²,
# stored here in hundredths).
FACTS_2024 = {
    "05": (18034454, 3411244),
    "059": (3571898, 801241),
    "05970": (274074, 113289),
}
# Regionalstatistik 12411-01-01-5: Kreis 05970 31.12.2008 and 31.12.2015, NRW and DG 31.12.2015.
FACT_KREIS_2008 = 286299
FACT_KREIS_2015 = 280800
FACT_NRW_2015 = 17865516
FACT_DG_2015 = 82175684
# Regionalstatistik 12411-01-01-4 (flat file), Kreis 05970, 31.12.2024: male population.
FACT_KREIS_MALE_2024 = 136549


@dataclass(frozen=True)
class Gemeinde:
    """A Gemeinde of Kreis 05970: facts (key, names, 2024 figures) and simulation assumptions."""

    key: str
    name_rs: str  # Regionalstatistik / Destatis GV100AD spelling
    name_b: str  # Regionalstatistik "-B" tables (regionale Ebenen)
    name_ldb: str  # Landesdatenbank NRW
    pop2024: int  # LDB 12411-15i, 31.12.2024
    area2024: int  # LDB 12411-15i, 31.12.2024, km² in hundredths
    kind: str  # "uni" (Siegen), "rural" (Wittgenstein), "town"
    r2008: float  # assumed population 2008 / 2024 (before scaling to the Kreis total)
    r2015: float  # assumed population 2015 / 2024
    refugee_2015: float = 1.0  # relative size of the 2015/16 inflow (reception centres)


GEMEINDEN = [
    Gemeinde("05970004", "Bad Berleburg, Stadt", "Bad Berleburg", "Bad Berleburg, Stadt",
             18400, 27552, "rural", 1.088, 1.070, 1.6),
    Gemeinde("05970008", "Burbach", "Burbach, Siegerl", "Burbach",
             14553, 7972, "town", 1.010, 1.026, 1.5),
    Gemeinde("05970012", "Erndtebrück", "Erndtebrück", "Erndtebrück",
             6792, 7098, "rural", 1.082, 1.062),
    Gemeinde("05970016", "Freudenberg, Stadt", "Freudenberg, Westf", "Freudenberg, Stadt",
             17355, 5460, "town", 1.066, 1.031),
    Gemeinde("05970020", "Hilchenbach, Stadt", "Hilchenbach", "Hilchenbach, Stadt",
             14412, 8112, "town", 1.102, 1.052),
    Gemeinde("05970024", "Kreuztal, Stadt", "Kreuztal", "Kreuztal, Stadt",
             30905, 7107, "town", 1.014, 1.019),
    Gemeinde("05970028", "Bad Laasphe, Stadt", "Bad Laasphe", "Bad Laasphe, Stadt",
             13148, 13595, "rural", 1.112, 1.083),
    Gemeinde("05970032", "Netphen, Stadt", "Netphen", "Netphen, Stadt",
             23080, 13739, "town", 1.054, 1.014),
    Gemeinde("05970036", "Neunkirchen", "Neunkirchen, Siegerl", "Neunkirchen",
             12705, 3981, "town", 1.093, 1.078),
    Gemeinde("05970040", "Siegen, Universitätsstadt", "Siegen", "Siegen, Stadt",
             102685, 11469, "uni", 1.017, 0.997),
    Gemeinde("05970044", "Wilnsdorf", "Wilnsdorf", "Wilnsdorf",
             20039, 7204, "town", 1.051, 1.023),
]  # fmt: skip
GEMEINDE_KEYS = [g.key for g in GEMEINDEN]

NAMES_RS = {"DG": "Deutschland", "05": "Nordrhein-Westfalen", KREIS: "Siegen-Wittgenstein, Kreis"}
NAMES_RS |= {g.key: g.name_rs for g in GEMEINDEN}
NAMES_LDB = {
    "05": "Nordrhein-Westfalen",
    "059": "Arnsberg, Regierungsbezirk",
    "05354": "Aachen, Kreis",  # dissolved 21.10.2009 (Städteregion Aachen); LDB keeps it with "-"
    KREIS: "Siegen-Wittgenstein, Kreis",
} | {g.key: g.name_ldb for g in GEMEINDEN}
NAMES_B = {g.key: g.name_b for g in GEMEINDEN}
INDENT_RS = {"DG": 0, "05": 2, KREIS: 6} | {k: 8 for k in GEMEINDE_KEYS}
INDENT_LDB = {"05": 0, "059": 2, "05354": 4, KREIS: 4} | {k: 6 for k in GEMEINDE_KEYS}

# Age groups of 12411-02-03-5 (17) and of the migration table (7), as lower bounds.
AGE17_BOUNDS = [0, 3, 6, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 75, N_AGE]
AGE17_LABELS = [
    "unter 3 Jahre", "3 bis unter 6 Jahre", "6 bis unter 10 Jahre", "10 bis unter 15 Jahre",
    "15 bis unter 18 Jahre", "18 bis unter 20 Jahre", "20 bis unter 25 Jahre",
    "25 bis unter 30 Jahre", "30 bis unter 35 Jahre", "35 bis unter 40 Jahre",
    "40 bis unter 45 Jahre", "45 bis unter 50 Jahre", "50 bis unter 55 Jahre",
    "55 bis unter 60 Jahre", "60 bis unter 65 Jahre", "65 bis unter 75 Jahre",
    "75 Jahre und mehr",
]  # fmt: skip
AGE7_BOUNDS = [0, 6, 18, 25, 30, 50, 65, N_AGE]
AGE7_LABELS = [
    "unter 6 Jahre", "6 bis unter 18 Jahre", "18 bis unter 25 Jahre", "25 bis unter 30 Jahre",
    "30 bis unter 50 Jahre", "50 bis unter 65 Jahre", "65 Jahre und mehr",
]  # fmt: skip

# Special cells (DIN 55301 symbols) the demo carries on purpose.
SECRET_BIRTHS_B = ("05970012", 2009)  # -B births: männlich and weiblich "." (Insgesamt given)
ZERO_MALE_BIRTHS = ("05970012", 2019)  # no boy born: "-" in the births tables
SECRET_AGE_CELL = ("05970012", 2010, "männlich", 5)  # 12411-02-03-5: 18 bis unter 20 Jahre

STAND_RS = "10.02.2026"
STAND_LDB = "Stand: 19.01.2026 / 13:58:12"
COPYRIGHT_LDB = (
    "© IT.NRW, Düsseldorf, 2026. Dieses Werk ist lizenziert unter der Datenlizenz Deutschland"
    " - Namensnennung - Version 2.0."
)
COPYRIGHT_RS = [
    '"© Statistische Ämter des Bundes und der Länder, Deutschland, 2026.',
    "Dieses Werk ist lizensiert unter der Datenlizenz Deutschland",
    '- Namensnennung - Version 2.0."',
]


# ---------------------------------------------------------------------------------------------
# Demographic building blocks (assumptions, not facts)
# ---------------------------------------------------------------------------------------------
def _gauss(mu: float, sd: float) -> np.ndarray:
    return np.exp(-0.5 * ((AGE - mu) / sd) ** 2)


def _sigmoid(x0: float, width: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(AGE - x0) / width))


# Total fertility rate by year (Germany-like path: low, rise to 2016-2021, fall after 2021).
TFR = dict(zip(YEARS, [1.38, 1.36, 1.39, 1.39, 1.41, 1.42, 1.47, 1.50, 1.59, 1.57, 1.57,
                       1.54, 1.53, 1.58, 1.46, 1.35, 1.35], strict=True))  # fmt: skip
_ASFR = np.where((AGE >= 15) & (AGE <= 49), _gauss(30.8, 5.6), 0.0)
ASFR_SHAPE = _ASFR / _ASFR.sum()
MALE_AT_BIRTH = 0.5122
FERTILITY = {"rural": 1.25, "town": 1.19, "uni": 1.01}  # relative to the national TFR
# Relative mortality level by year (flu 2018, Covid-19 2020-2022).
EXCESS = {2015: 1.03, 2018: 1.03, 2020: 1.05, 2021: 1.07, 2022: 1.09, 2023: 1.03}


def hazard(sex: int, year: int) -> np.ndarray:
    """Gompertz-Makeham death rate by age (sex 0 male, 1 female); slow improvement over time."""
    modal = (83.0 if sex == 0 else 88.0) + 0.09 * (year - 2008)
    mu = 0.00012 + 0.1 * np.exp(0.1 * (AGE - modal))
    mu[0] += 0.0033
    mu[1:5] += 0.0002
    if sex == 0:
        mu += 0.0004 * _gauss(22, 5)
    return mu * EXCESS.get(year, 1.0)


def _cohort_pyramid() -> np.ndarray:
    """Germany-like age structure on 31.12.2007, (2, N_AGE), summing to 1."""
    # Live births (thousands) by birth year, Germany-like, interpolated.
    pts = [(1907, 1850), (1913, 1840), (1915, 1380), (1917, 910), (1919, 1250), (1920, 1600),
           (1925, 1290), (1930, 1140), (1932, 970), (1934, 1200), (1936, 1280), (1939, 1410),
           (1942, 1060), (1944, 1100), (1945, 760), (1946, 920), (1950, 1120), (1955, 1110),
           (1960, 1260), (1964, 1357), (1967, 1270), (1970, 1050), (1973, 810), (1975, 780),
           (1980, 860), (1985, 810), (1990, 905), (1995, 765), (1997, 810), (2000, 767),
           (2005, 686), (2007, 685)]  # fmt: skip
    xp, fp = zip(*pts, strict=True)
    births = np.interp(2007 - AGE, xp, fp)
    pyr = np.empty((2, N_AGE))
    for sex, share, modal in ((0, MALE_AT_BIRTH, 79.0), (1, 1 - MALE_AT_BIRTH, 85.0)):
        mu = 0.00012 + 0.1 * np.exp(0.1 * (AGE - modal))  # older cohorts died earlier
        mu[0] += 0.0033
        cum = np.concatenate([[0.0], np.cumsum(mu)[:-1]])
        pyr[sex] = births * share * np.exp(-cum)
    pyr *= 1 + 0.2 * _gauss(34, 11)  # immigrants of the past decades
    pyr[0] *= np.where((2007 - AGE >= 1912) & (2007 - AGE <= 1928), 0.78, 1.0)  # war losses
    return pyr / pyr.sum()


BASE_PYRAMID = _cohort_pyramid()


def _sexed(profile: np.ndarray, male_share: float) -> np.ndarray:
    p = profile / profile.sum()
    return np.vstack([p * male_share, p * (1 - male_share)])


# Age profiles of net migration (each sums to 1 over both sexes).
PROFILE_GENERAL = _sexed(0.25 * _gauss(6, 5) + _gauss(27, 7) + 0.25 * _gauss(50, 9), 0.52)
PROFILE_2015 = _sexed(0.45 * _gauss(8, 5) + _gauss(23, 6) + 0.1 * _gauss(45, 10), 0.62)
PROFILE_2022 = _sexed(0.8 * _gauss(9, 5) + _gauss(36, 9) + 0.35 * _gauss(62, 10), 0.36)


def _exchange(out_mu: float, in_mu: float, size: float, kids: float = 0.0) -> np.ndarray:
    """A zero-sum age exchange per capita: `size` leave at about `out_mu` (young adults) and
    arrive at about `in_mu` (families, a share `kids` of them as children)."""
    leave = _gauss(out_mu, 2.2)
    arrive = _gauss(in_mu, 6)
    arrive = (1 - kids) * arrive / arrive.sum() + kids * _gauss(5, 3) / _gauss(5, 3).sum()
    prof = size * (arrive - leave / leave.sum())
    return np.vstack([prof * 0.5, prof * 0.5])


def _student_exchange(size: float) -> np.ndarray:
    """Siegen: students arrive at 18-24 and leave at 25-30 (zero-sum, per capita)."""
    arrive, leave = _gauss(20, 1.6), _gauss(27, 2.0)
    prof = size * (arrive / arrive.sum() - leave / leave.sum())
    return np.vstack([prof * 0.52, prof * 0.48])


@dataclass
class Area:
    """Simulation parameters of one area; the pyramid is normalised to 1 at 31.12.2007."""

    key: str
    size: float  # rough absolute population (noise scale)
    pyramid: np.ndarray
    structural: np.ndarray  # zero-sum migration by age, per capita
    shocks: dict[int, tuple[float, np.ndarray]]  # year -> (per capita, profile)
    zensus: np.ndarray  # share of each age/sex cell removed on 31.12.2011
    fert: np.ndarray  # fertility multiplier by year
    mort: np.ndarray  # mortality multiplier by year
    mig_noise: np.ndarray  # additive net migration rate noise by year
    sex_z: np.ndarray  # standard normal draws for the sex ratio at birth
    targets: dict[int, float] = field(default_factory=dict)  # year -> population (absolute)


@dataclass
class SimResult:
    pop: dict[int, np.ndarray]  # year -> (2, N_AGE), 31.12.; includes 2007
    births: dict[int, np.ndarray]  # year -> (2,)
    deaths: dict[int, np.ndarray]
    net: dict[int, np.ndarray]  # year -> (2, N_AGE) net migration by age at year end
    corr: dict[int, float]  # year -> Zensus correction (negative = removed)


def simulate(area: Area, rho1: float, rho2: float, last: int = LAST_YEAR) -> SimResult:
    """Run the cohort-component model from 31.12.2007 (total 1) to 31.12.`last`."""
    pop = area.pyramid.copy()
    res = SimResult({FIRST_YEAR - 1: pop}, {}, {}, {}, {})
    for i, t in enumerate(range(FIRST_YEAR, last + 1)):
        total = pop.sum()
        b = TFR[t] * area.fert[i] * float((ASFR_SHAPE * pop[1]).sum())
        sd = 0.5 / math.sqrt(max(b * area.size, 1.0))
        male = MALE_AT_BIRTH + area.sex_z[i] * sd
        births = np.array([b * male, b * (1 - male)])
        q = np.vstack([1 - np.exp(-hazard(s, t) * area.mort[i]) for s in (0, 1)])
        dying = pop * q
        surv = pop - dying
        new = np.zeros_like(pop)
        new[:, 1:] = surv[:, :-1]
        new[:, -1] += surv[:, -1]
        infant = births * 0.0017
        new[:, 0] = births - infant
        rate = (rho1 if t <= 2015 else rho2) + area.mig_noise[i]
        net = total * (rate * PROFILE_GENERAL + area.structural)
        if t in area.shocks:
            size, prof = area.shocks[t]
            net = net + total * size * prof
        neg = np.minimum(new + net, 0.0)
        net = net - neg
        new = new + net
        corr = 0.0
        if t == 2011:
            removed = new * area.zensus
            new = new - removed
            corr = -float(removed.sum())
        res.pop[t] = new
        res.births[t] = births
        res.deaths[t] = dying.sum(axis=1) + infant
        res.net[t] = net
        res.corr[t] = corr
        pop = new
    return res


def _bisect(f, lo: float = -0.08, hi: float = 0.08, n: int = 48) -> float:
    """Root of an increasing function by bisection (deterministic, robust)."""
    for _ in range(n):
        mid = 0.5 * (lo + hi)
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def calibrate(area: Area) -> tuple[SimResult, float]:
    """Solve the base migration rates 2008-2015 and 2016-2024 so that the simulated path has the
    target ratios 2015/2008 and 2024/2015; return the run and its scale to absolute numbers."""
    t = area.targets

    def ratio(r: SimResult, a: int, b: int) -> float:
        return float(r.pop[b].sum() / r.pop[a].sum())

    rho1 = _bisect(lambda x: ratio(simulate(area, x, 0.0, 2015), 2008, 2015) - t[2015] / t[2008])
    rho2 = _bisect(lambda x: ratio(simulate(area, rho1, x), 2015, 2024) - t[2024] / t[2015])
    sim = simulate(area, rho1, rho2)
    anchor = 2015 if area.key == "DG" else 2024  # DG: only 2015 is a published fact here
    return sim, t[anchor] / float(sim.pop[anchor].sum())


# ---------------------------------------------------------------------------------------------
# Integer figures
# ---------------------------------------------------------------------------------------------
def apportion(values, total: int) -> np.ndarray:
    """Integers summing to `total`, proportional to non-negative `values` (largest remainder)."""
    v = np.asarray(values, dtype=float)
    s = v.sum()
    v = v * (total / s) if s > 0 else np.full(v.shape, total / v.size)
    return _largest_remainder(v, total)


def apportion_signed(values, total: int) -> np.ndarray:
    """Integers summing to `total`, close to signed `values` (difference spread by |value|)."""
    v = np.asarray(values, dtype=float)
    w = np.abs(v)
    w = w / w.sum() if w.sum() > 0 else np.full(v.shape, 1 / v.size)
    return _largest_remainder(v + (total - v.sum()) * w, total)


def _largest_remainder(v: np.ndarray, total: int) -> np.ndarray:
    fl = np.floor(v + 1e-9)
    rest = int(round(total - fl.sum()))
    order = np.argsort(-(v - fl), kind="stable")
    out = fl.astype(np.int64)
    if rest > 0:
        out[order[:rest]] += 1
    elif rest < 0:
        out[order[::-1][:-rest]] -= 1
    return out


def _groups(arr: np.ndarray, bounds: list[int]) -> np.ndarray:
    """Sum the last axis (single ages) into age groups."""
    return np.stack(
        [arr[..., a:b].sum(axis=-1) for a, b in zip(bounds[:-1], bounds[1:], strict=True)], axis=-1
    )


@dataclass
class Figures:
    """Integer figures of one area by year (31.12. stocks, annual flows)."""

    pop: dict[int, int] = field(default_factory=dict)  # incl. 2007 for the 2008 balance
    male: dict[int, int] = field(default_factory=dict)
    age: dict[int, np.ndarray] = field(default_factory=dict)  # (2, 17) male, female
    births: dict[int, tuple[int, int]] = field(default_factory=dict)
    deaths: dict[int, tuple[int, int]] = field(default_factory=dict)
    zuz: dict[int, np.ndarray] = field(default_factory=dict)  # (7,) by migration age group
    fort: dict[int, np.ndarray] = field(default_factory=dict)
    area: dict[int, int] = field(default_factory=dict)  # km² in hundredths
    corr: dict[int, int] = field(default_factory=dict)  # Zensus + Bestandsberichtigung
    exchange: dict[int, np.ndarray] = field(default_factory=dict)  # symmetric part of the flows


# Gross exchange (moves that cancel in the net): per capita and shares by migration age group.
TURNOVER = {"uni": 0.058, "town": 0.046, "rural": 0.041, "059": 0.030, "05": 0.021}
EXCHANGE_SHARES = {
    "uni": [0.05, 0.06, 0.30, 0.22, 0.24, 0.08, 0.05],
    "default": [0.07, 0.09, 0.22, 0.17, 0.28, 0.10, 0.07],
}
TURNOVER_YEAR = {2015: 1.04, 2016: 1.09, 2017: 1.04, 2020: 0.93, 2021: 0.96, 2022: 1.03, 2023: 1.05}
# Share of the Gemeinden's exchange that stays inside the Kreis, by migration age group.
INTRA_KREIS = [0.41, 0.40, 0.25, 0.32, 0.38, 0.39, 0.44]


class _Builder:
    """Runs the simulations and turns them into integer figures."""

    def __init__(self) -> None:
        self.rng = np.random.default_rng(SEED)

    def area(
        self,
        key: str,
        kind: str,
        size: float,
        targets: dict[int, float],
        zensus: float,
        shock_scale: dict[int, float],
        noise: float,
    ) -> Area:
        rng = self.rng
        n = len(YEARS)
        mod = np.ones(N_AGE)  # age-structure modifier relative to the national pyramid
        structural = np.zeros((2, N_AGE))
        jitter = rng.normal(0, 1, 3)
        if kind == "uni":
            mod = 1 + (0.62 + 0.05 * jitter[0]) * _gauss(23, 3.6) - 0.04 * _sigmoid(65, 3)
            structural = _student_exchange(0.008)
        elif kind == "rural":
            mod = (
                1
                - (0.15 + 0.03 * jitter[0]) * _gauss(26, 6)
                + (0.12 + 0.03 * jitter[1]) * _sigmoid(62, 4)
                - 0.05 * _gauss(8, 5)
            )
            structural = _exchange(20.5, 36, 0.0024 + 0.0003 * jitter[2], kids=0.3)
        elif kind == "town":
            mod = (
                1
                - 0.08 * _gauss(24, 5)
                + (0.05 + 0.02 * jitter[0]) * _gauss(46, 10)
                + 0.03 * jitter[1] * _sigmoid(65, 4)
            )
            structural = _exchange(21, 36, 0.0014 + 0.0003 * jitter[2], kids=0.3)
        elif kind == "059":  # Regierungsbezirk Arnsberg: a little older than NRW
            mod = 1 + 0.035 * _sigmoid(62, 4) - 0.02 * _gauss(26, 6)
        pyr = BASE_PYRAMID * mod
        pyr /= pyr.sum()
        weight = 0.6 + _gauss(28, 8)  # the Zensus found fewer people mainly among young adults
        z_share = np.broadcast_to(zensus * weight / (pyr * weight).sum(), pyr.shape).copy()
        base_shocks = {2015: (0.0110, PROFILE_2015), 2016: (0.0032, PROFILE_2015),
                       2017: (0.0006, PROFILE_2015), 2022: (0.0098, PROFILE_2022),
                       2023: (0.0022, PROFILE_2022)}  # fmt: skip
        shocks = {y: (s * shock_scale.get(y, 1.0), p) for y, (s, p) in base_shocks.items()}
        return Area(
            key=key,
            size=size,
            pyramid=pyr,
            structural=structural,
            shocks=shocks,
            zensus=z_share,
            fert=FERTILITY.get(kind, 1.0) * (1 + noise * rng.normal(0, 1, n)),
            mort=1 + noise * rng.normal(0, 1, n),
            mig_noise=noise * 0.04 * rng.normal(0, 1, n),
            sex_z=rng.normal(0, 1, n),
            targets=targets,
        )

    def integerize(
        self,
        sim: SimResult,
        scale: float,
        totals: dict[int, int],
        male_factor: float = 1.0,
        male_fixed: dict[int, int] | None = None,
    ) -> Figures:
        """Integer stocks and flows; `totals` fixes some 31.12. totals (others are rounded)."""
        f = Figures()
        years = [FIRST_YEAR - 1, *YEARS]
        for y in years:
            p = sim.pop[y] * scale
            t = totals.get(y, int(round(p.sum())))
            f.pop[y] = t
            m = (male_fixed or {}).get(y, int(round(t * male_factor * p[0].sum() / p.sum())))
            f.male[y] = m
            if y >= FIRST_YEAR:
                g = _groups(p, AGE17_BOUNDS)
                f.age[y] = np.vstack([apportion(g[0], m), apportion(g[1], t - m)])
        for y in YEARS:
            f.births[y] = tuple(int(round(v)) for v in sim.births[y] * scale)
            f.deaths[y] = tuple(int(round(v)) for v in sim.deaths[y] * scale)
            noise = self.rng.normal(0, 0.0004 * f.pop[y])
            f.corr[y] = int(round(sim.corr[y] * scale + noise))
        return f

    def migration(self, f: Figures, sim: SimResult, scale: float, kind: str) -> None:
        """Net migration closes the balance; gross flows add a symmetric exchange by age group."""
        shares = np.array(EXCHANGE_SHARES.get(kind, EXCHANGE_SHARES["default"]))
        for y in YEARS:
            net_total = (f.pop[y] - f.pop[y - 1] - (sum(f.births[y]) - sum(f.deaths[y]))
                         - f.corr[y])  # fmt: skip
            net = apportion_signed(_groups(sim.net[y].sum(axis=0) * scale, AGE7_BOUNDS), net_total)
            level = TURNOVER[kind] * TURNOVER_YEAR.get(y, 1.0) * (1 + 0.03 * self.rng.normal())
            ex = np.round(f.pop[y - 1] * level * shares * (1 + 0.04 * self.rng.normal(0, 1, 7)))
            ex = ex.astype(np.int64)
            f.zuz[y] = ex + np.maximum(net, 0)
            f.fort[y] = ex + np.maximum(-net, 0)
            f.exchange[y] = ex


def _area_series(
    rng: np.random.Generator, a2024: int, n_changes: int, max_step: int
) -> dict[int, int]:
    """Katasterfläche in hundredths of km²: 2024 fixed, a few small resurveys before."""
    changes = {}
    for _ in range(n_changes):
        y = int(rng.integers(2009, 2025))
        changes[y] = changes.get(y, 0) + int(rng.integers(-max_step, max_step + 1))
    out, a = {}, a2024
    for y in reversed(YEARS):
        out[y] = a
        a -= changes.get(y, 0)  # the area before year y's change
    return out


def build_figures() -> dict[str, Figures]:
    """Simulate every area and return the integer figures by key (DG, 05, 059, 05970, AGS)."""
    b = _Builder()
    rng = b.rng
    fig: dict[str, Figures] = {}

    # Gemeinden: assumed 2008 and 2015 paths, scaled to the published Kreis totals.
    raw08 = np.array([g.r2008 * g.pop2024 for g in GEMEINDEN])
    raw15 = np.array([g.r2015 * g.pop2024 for g in GEMEINDEN])
    t08 = raw08 * FACT_KREIS_2008 / raw08.sum()
    t15 = raw15 * FACT_KREIS_2015 / raw15.sum()
    int08 = apportion(t08, FACT_KREIS_2008)
    int15 = apportion(t15, FACT_KREIS_2015)
    sims = {}
    for i, g in enumerate(GEMEINDEN):
        zensus = 0.0115 if g.kind == "uni" else 0.0065 + 0.003 * rng.random()
        shock = {2015: g.refugee_2015, 2016: g.refugee_2015}
        if g.kind == "uni":
            shock = {2015: 1.15, 2016: 1.2, 2022: 1.15, 2023: 1.2}
        area = b.area(
            g.key,
            g.kind,
            g.pop2024,
            {2008: t08[i], 2015: t15[i], 2024: g.pop2024},
            zensus,
            shock,
            noise=0.035,
        )
        sims[g.key] = (*calibrate(area), g.kind)

    # Kreis male total 2024 is a fact: one common factor on the male shares, then exact.
    male24 = sum(s.pop[2024][0].sum() * sc for s, sc, _ in sims.values())
    male_factor = FACT_KREIS_MALE_2024 / male24
    male_fixed_24 = apportion(
        [sims[k][0].pop[2024][0].sum() * sims[k][1] * male_factor for k in GEMEINDE_KEYS],
        FACT_KREIS_MALE_2024,
    )
    for i, g in enumerate(GEMEINDEN):
        sim, scale, kind = sims[g.key]
        f = b.integerize(
            sim,
            scale,
            {2008: int(int08[i]), 2015: int(int15[i]), 2024: g.pop2024},
            male_factor,
            {2024: int(male_fixed_24[i])},
        )
        if (g.key, 2019) == ZERO_MALE_BIRTHS:
            f.births[2019] = (0, sum(f.births[2019]))
        b.migration(f, sim, scale, kind)
        f.area = _area_series(rng, g.area2024, 2, 4)
        fig[g.key] = f

    # Kreis: sums of the Gemeinden; migration only across the Kreis boundary.
    k = Figures()
    gs = [fig[key] for key in GEMEINDE_KEYS]
    for y in [FIRST_YEAR - 1, *YEARS]:
        k.pop[y] = sum(f.pop[y] for f in gs)
        k.male[y] = sum(f.male[y] for f in gs)
    for y in YEARS:
        k.age[y] = sum(f.age[y] for f in gs)
        k.births[y] = tuple(sum(f.births[y][s] for f in gs) for s in (0, 1))
        k.deaths[y] = tuple(sum(f.deaths[y][s] for f in gs) for s in (0, 1))
        k.corr[y] = sum(f.corr[y] for f in gs)
        ex = sum(f.exchange[y] for f in gs)
        intra = np.round(ex * np.array(INTRA_KREIS) * (1 + 0.03 * rng.normal(0, 1, 7)))
        intra = intra.astype(np.int64)
        k.zuz[y] = sum(f.zuz[y] for f in gs) - intra
        k.fort[y] = sum(f.fort[y] for f in gs) - intra
        k.area[y] = sum(f.area[y] for f in gs)
    fig[KREIS] = k

    # Regierungsbezirk Arnsberg, NRW, Germany: own simulations (not sums of the Kreis). Targets
    # other than the facts (RB 2008/2015, NRW 2008, DG 2008/2024) are assumed ratios.
    rb24, nrw24 = FACTS_2024["059"][0], FACTS_2024["05"][0]
    for key, kind, targets, zensus, shock, fixed in (
        ("059", "059", {2008: rb24 * 1.0245, 2015: rb24 * 1.0036, 2024: rb24},
         0.0145, {2015: 1.05, 2016: 1.1, 2022: 1.0}, {2024: rb24}),
        ("05", "05", {2008: FACT_NRW_2015 * 1.00371, 2015: FACT_NRW_2015, 2024: nrw24},
         0.0160, {2015: 1.12, 2016: 1.5, 2022: 1.12}, {2015: FACT_NRW_2015, 2024: nrw24}),
        ("DG", "DG", {2008: FACT_DG_2015 * 0.99806, 2015: FACT_DG_2015, 2024: FACT_DG_2015 * 1.01733},
         0.0180, {2015: 1.25, 2016: 1.55, 2017: 3.0, 2022: 1.6}, {2015: FACT_DG_2015}),
    ):  # fmt: skip
        area = b.area(key, kind, targets[2024], targets, zensus, shock, noise=0.006)
        sim, scale = calibrate(area)
        f = b.integerize(sim, scale, fixed)
        if key != "DG":
            b.migration(f, sim, scale, kind)
        fig[key] = f
    fig["05"].area = _area_series(rng, FACTS_2024["05"][1], 5, 6)
    arns = {}
    for y in YEARS:  # the RB changes with its Kreis plus a few resurveys of its own
        arns[y] = FACTS_2024["059"][1] - (k.area[2024] - k.area[y])
    own = _area_series(rng, 0, 3, 3)
    fig["059"].area = {y: arns[y] + own[y] for y in YEARS}
    return fig


def register_figures(fig: dict[str, Figures], year: int = 2020) -> dict[str, tuple[int, int, int]]:
    """Per Gemeinde (area in ha, population, male) on 31.12.`year`, e.g. for a demo GV100AD.

    Hundredths of a km² are hectares, so the area needs no conversion.
    """
    return {k: (fig[k].area[year], fig[k].pop[year], fig[k].male[year]) for k in GEMEINDE_KEYS}


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------
def _pad(text: str, n_sep: int) -> str:
    """A header line padded with ';' to the table's full column count, as in the exports."""
    return text + ";" * n_sep


def _num(v: int, zero: str = "0") -> str:
    return zero if v == 0 else str(int(v))


def _density(pop: int, area_h: int) -> str:
    d = (Decimal(pop) * 100 / Decimal(area_h)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return str(d).replace(".", ",")


def _area(area_h: int) -> str:
    return f"{area_h // 100},{area_h % 100:02d}"


def _write(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _rs_footer(note: list[str], stand_time: str) -> list[str]:
    return ["__________", *note, *COPYRIGHT_RS, f"Stand: {STAND_RS} / {stand_time}"]


RS_NOTE_POP = [
    '"zu ""gesamter Tabelle"":',
    "DEMODATEN: synthetisch erzeugt mit fis.demo.generate,",
    "nicht amtlich. Nur für Entwicklung und Tests.",
    " ",
    "ab dem Berichtsjahr 2011: nach dem Zensus 2011 (simuliert)",
    "Kalibriert auf veröffentlichte Eckwerte des Kreises",
    'Siegen-Wittgenstein (31.12.2008, 31.12.2015, 31.12.2024)"',
]
DESC_YEARS = list(reversed(YEARS))
SEXES = ("Insgesamt", "männlich", "weiblich")


def _sex_triple(f: Figures, y: int) -> tuple[int, int, int]:
    return f.pop[y], f.male[y], f.pop[y] - f.male[y]


def write_12411_01_01_5(fig: dict[str, Figures], out: Path) -> Path:
    n = 2 + 3 * len(YEARS)
    sep = n - 1
    lines = [
        "GENESIS-Tabelle: 12411-01-01-5",
        _pad(f"Bevölkerungsstand: Bevölkerung nach Geschlecht ({DEMO_MARK})", sep),
        _pad("- Stichtag 31.12. -", sep),
        _pad("regionale Tiefe: Gemeinden, Samt-/Verbandsgemeinden", sep),
        _pad("Fortschreibung des Bevölkerungsstandes", sep),
        _pad("Bevölkerungsstand (Anzahl)", sep),
        ";;" + ";".join(f"31.12.{y}" for y in DESC_YEARS for _ in SEXES),
        ";;" + ";".join(s for _ in DESC_YEARS for s in SEXES),
    ]
    for key in ["DG", "05", KREIS, *GEMEINDE_KEYS]:
        vals = [v for y in DESC_YEARS for v in _sex_triple(fig[key], y)]
        lines.append(f"{key};{' ' * INDENT_RS[key]}{NAMES_RS[key]};" + ";".join(map(str, vals)))
    lines += _rs_footer(RS_NOTE_POP, "10:00:00")
    return _write(out / "regionalstatistik_12411-01-01-5_demo.csv", lines, "utf-8")


def write_12411_02_03_5(fig: dict[str, Figures], out: Path) -> Path:
    per_year = 3 * 18
    n = 2 + per_year * len(YEARS)
    sep = n - 1
    labels = [*AGE17_LABELS, "Insgesamt"]
    lines = [
        "GENESIS-Tabelle: 12411-02-03-5",
        _pad("Bevölkerungsstand: Bevölkerung nach Geschlecht", sep),
        _pad(f"und Altersgruppen (17) - Stichtag 31.12. - ({DEMO_MARK})", sep),
        _pad("regionale Tiefe: Gemeinden, Samt-/Verbandsgemeinden", sep),
        _pad("Fortschreibung des Bevölkerungsstandes", sep),
        _pad("Bevölkerungsstand (Anzahl)", sep),
        ";;" + ";".join(f"31.12.{y}" for y in DESC_YEARS for _ in range(per_year)),
        ";;" + ";".join(s for _ in DESC_YEARS for s in SEXES for _ in labels),
        ";;"
        + ";".join("Altersgruppen (unter 3 bis 75 u.m.)" for _ in range(per_year * len(YEARS))),
        ";;" + ";".join(lab for _ in DESC_YEARS for _ in SEXES for lab in labels),
    ]
    for key in ["DG", "05", KREIS, *GEMEINDE_KEYS]:
        f = fig[key]
        cells = []
        for y in DESC_YEARS:
            m, w = f.age[y]
            for sex, groups in (("Insgesamt", m + w), ("männlich", m), ("weiblich", w)):
                row = [str(int(v)) for v in groups] + [str(int(groups.sum()))]
                if (key, y, sex) == SECRET_AGE_CELL[:3]:
                    row[SECRET_AGE_CELL[3]] = "."
                cells += row
        lines.append(f"{key};{' ' * INDENT_RS[key]}{NAMES_RS[key]};" + ";".join(cells))
    lines += _rs_footer(
        ['"zu ""gesamte Tabelle""',
         "DEMODATEN: synthetisch erzeugt mit fis.demo.generate,",
         "nicht amtlich. Stichtage 31.12.2008 bis 31.12.2024 in",
         "einer Tabelle (erste Kopfzeile).",
         " ",
         "Berichtsjahr ab 2011: Ergebnisse auf Grundlage des Zensus",
         '2011 (simuliert)"'],
        "10:02:17",
    )  # fmt: skip
    return _write(out / "regionalstatistik_12411-02-03-5_demo.csv", lines, "utf-8")


def write_12612_b(fig: dict[str, Figures], out: Path) -> Path:
    sep = 2 + 3 * len(YEARS) - 1
    lines = [
        "GENESIS-Tabelle: 12612-01-01-5-B",
        _pad(f"Geburten: Lebendgeborene nach Geschlecht - Jahressumme - ({DEMO_MARK})", sep),
        _pad("regionale Ebenen", sep),
        _pad("Statistik der Geburten", sep),
        _pad("Lebendgeborene (Anzahl)", sep),
        ";;" + ";".join(str(y) for y in DESC_YEARS for _ in SEXES),
        ";;" + ";".join(s for _ in DESC_YEARS for s in SEXES),
    ]
    for key in GEMEINDE_KEYS:
        cells = []
        for y in DESC_YEARS:
            m, w = fig[key].births[y]
            row = [_num(m + w, "-"), _num(m, "-"), _num(w, "-")]
            if (key, y) == SECRET_BIRTHS_B:
                row[1] = row[2] = "."
            cells += row
        lines.append(f"{key};{NAMES_B[key]};" + ";".join(cells))
    lines += _rs_footer(
        ['"zu ""gesamte Tabelle"":',
         "DEMODATEN: synthetisch erzeugt mit fis.demo.generate,",
         "nicht amtlich.",
         "Zeichen: - nichts vorhanden, . Zahlenwert geheim zu halten",
         'Erndtebrück 2009: Gliederung nach Geschlecht geheim"'],
        "10:04:51",
    )  # fmt: skip
    return _write(out / "regionalstatistik_12612-01-01-5-B_demo.csv", lines, "utf-8")


LDB_NOTE = [
    '"DEMODATEN: synthetisch erzeugt mit fis.demo.generate,',
    "nicht amtlich. Die Werte imitieren nur das Format der",
    "Landesdatenbank NRW.",
    "",
    "Kalibriert auf den Bevölkerungsstand und die Katasterfläche",
    "zum 31.12.2024.",
]


def _ldb_file(
    path: Path,
    table: str,
    title: str,
    head: list[list[str]],
    rows: list[list[str]],
    note: list[str],
) -> Path:
    n = 3 + len(head[0])
    lines = [f"Tabelle: {table}", _pad(f"{title} ({DEMO_MARK_LATIN1})", n - 1)]
    lines += [";;;" + ";".join(h) for h in head]
    lines += [";".join(r) for r in rows]
    lines += ["__________", *note, COPYRIGHT_LDB, STAND_LDB]
    return _write(path, lines, "latin-1")


LDB_KEYS = ["05", "059", KREIS, *GEMEINDE_KEYS]


def _ldb_label(key: str) -> list[str]:
    return [key, " " * INDENT_LDB[key] + NAMES_LDB[key]]


def write_ldb_vital(fig: dict[str, Figures], out: Path, which: str) -> Path:
    if which == "births":
        table, stat = "12612-01i", "Statistik der Geburten"
        title = "Lebendgeborene nach Geschlecht - Gemeinden - Jahr"
    else:
        table, stat = "12613-01i", "Statistik der Sterbefälle"
        title = "Gestorbene nach Geschlecht - Gemeinden - Jahr"
    head = [[stat] * 3, list(SEXES), ["Anzahl"] * 3]
    rows = []
    for y in YEARS:
        for key in LDB_KEYS:
            m, w = getattr(fig[key], which)[y]
            rows.append([str(y), *_ldb_label(key), _num(m + w, "-"), _num(m, "-"), _num(w, "-")])
    note = [*LDB_NOTE[:-1], 'zum 31.12.2024."']
    return _ldb_file(out / f"ldbnrw_{table}_demo.csv", table, title, head, rows, note)


def write_ldb_migration(fig: dict[str, Figures], out: Path) -> Path:
    labels = ["Insgesamt", *AGE7_LABELS]
    head = [
        ["Zuzüge über die Gemeindegrenzen"] * 8 + ["Fortzüge über die Gemeindegrenzen"] * 8,
        labels + labels,
        ["Anzahl"] * 16,
    ]
    rows = []
    for y in YEARS:
        for key in LDB_KEYS:
            z, f = fig[key].zuz[y], fig[key].fort[y]
            vals = [z.sum(), *z, f.sum(), *f]
            rows.append([str(y), *_ldb_label(key), *(_num(v, "-") for v in vals)])
    note = [
        *LDB_NOTE[:4],
        "Kreis, Regierungsbezirk und Land: nur Zu- und Fortzüge über",
        "die Grenzen des jeweiligen Gebiets. Umzüge zwischen den",
        'Gemeinden eines Kreises heben sich auf Kreisebene auf."',
    ]
    title = "Zu- und Fortzüge über die Gemeindegrenzen nach Altersgruppen - Gemeinden - Jahr"
    return _ldb_file(out / "ldbnrw_12711-01i_demo.csv", "12711-01i", title, head, rows, note)


# Column headers of LDB table 12411-15i (population, Katasterfläche, density).
HEAD_12411_15I = [
    ["Fortschreibung des Bevölkerungsstandes",
     "Flächenerhebung nach Art der tatsächlichen Nutzung",
     "Fortschreibung des Bevölkerungsstandes"],
    ["Bevölkerungsstand (Basis Zensus 2022 und früher)",
     "Bodenfläche (Katasterfläche) in qkm", "Bevölkerungsdichte"],
    ["Anzahl", "qkm", "EW pro qkm"],
]  # fmt: skip


def write_ldb_12411_15i(fig: dict[str, Figures], out: Path) -> Path:
    head = HEAD_12411_15I
    rows = []
    for y in YEARS:
        for key in ["05", "05354", "059", KREIS, *GEMEINDE_KEYS]:
            label = [f"31.12.{y}", key, " " * INDENT_LDB[key] + NAMES_LDB[key]]
            if key == "05354":
                rows.append([*label, "-", "-", "-"])
                continue
            p, a = fig[key].pop[y], fig[key].area[y]
            rows.append([*label, str(p), _area(a), _density(p, a)])
    title = "Katasterfläche (qkm), Bevölkerung und Bevölkerungsdichte - Stichtag - Gemeinden"
    note = [
        *LDB_NOTE[:4],
        "Der Kreis Aachen (05354) ist seit dem 21.10.2009 aufgelöst",
        "und wird mit - geführt.",
        "",
        "Die Fortschreibung des Bevölkerungsstandes basiert ab dem",
        'Jahr 2011 auf den Ergebnissen des Zensus 2011 (simuliert)."',
    ]
    return _ldb_file(out / "ldbnrw_12411-15i_demo.csv", "12411-15i", title, head, rows, note)


FLAT_HEADER = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
    "2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;"
    "value_variable_label"
)


def write_flat(fig: dict[str, Figures], out: Path) -> Path:
    total, male, female = _sex_triple(fig[KREIS], 2024)
    lines = [FLAT_HEADER]
    for code, label, value in (("GESW", "weiblich", female), ("", "Insgesamt", total),
                               ("GESM", "männlich", male)):  # fmt: skip
        lines.append(
            "12411;DEMODATEN: Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;2024-12-31;"
            f"KREISE;Kreise und kreisfreie Städte;{KREIS};Siegen-Wittgenstein, Kreis;"
            f"GES;Geschlecht;{code};{label};{value};Anzahl;BEVSTD;Bevölkerungsstand"
        )
    return _write(out / "regionalstatistik_12411-01-01-4_demo_flat.csv", lines, "utf-8-sig")


def generate(out_dir: Path) -> list[Path]:
    """Write the demo exports into `out_dir` (created if missing); return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fig = build_figures()
    return [
        write_12411_01_01_5(fig, out),
        write_12411_02_03_5(fig, out),
        write_12612_b(fig, out),
        write_ldb_vital(fig, out, "births"),
        write_ldb_vital(fig, out, "deaths"),
        write_ldb_migration(fig, out),
        write_ldb_12411_15i(fig, out),
        write_flat(fig, out),
        # the demo's own Gemeindeverzeichnis (same edition as the real one: 30.11.2021, with
        # area and population of 31.12.2020), so that the demo runs without the real register
        write_register(out / "gv100ad_demo_301121.ASC", "20211130", register_figures(fig, 2020)),
        *official.write_all(fig, out),
        *local.write_all(fig, out),
    ]


DEFAULT_OUT = Path(__file__).resolve().parents[2] / "data" / "demo"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m fis.demo.generate", description=__doc__.split("\n")[0]
    )
    ap.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output folder (default: {DEFAULT_OUT})",
    )
    args = ap.parse_args(argv)
    for p in generate(args.out_dir):
        print(f"{p}  ({p.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
