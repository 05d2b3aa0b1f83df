"""Reader for the Destatis Gemeindeverzeichnis GV100AD (fixed width; positions are characters)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from fis.errors import InputError
from fis.readers.base import LONG_COLUMNS, ReadResult
from fis.readers.genesis_csv import str_array
from fis.readers.sniff import load_text

# 1-based inclusive positions from the GV100AD record layout.
FIELDS = {
    "satzart": (1, 2),
    "gebietsstand": (3, 10),
    "land": (11, 12),
    "rb": (11, 13),
    "region": (11, 14),
    "kreis": (11, 15),
    "ags": (11, 18),
    "verband": (19, 22),
    "name": (23, 72),
    "tk": (123, 124),
    "area_ha": (129, 139),
    "pop": (140, 150),
    "male": (151, 161),
}
LEVELS = {
    "10": "land",
    "20": "regbez",
    "30": "region",
    "40": "kreis",
    "50": "verband",
    "60": "gemeinde",
}
# Digits of the regional key from position 11 (Satzart 50 and 60 add the Verband, 19-22).
KEY_LENGTH = {"10": 2, "20": 3, "30": 4, "40": 5, "50": 5, "60": 8}
KREISFREI_TK = (
    "41",
    "42",
)  # 41 kreisfreie Stadt, 42 Stadtkreis (43 Kreis, 44 Landkreis, 45 Regionalverband)
GEMEINDEFREI_TK = ("65", "66")  # gemeindefreies Gebiet, bewohnt / unbewohnt
LABELS = {"area_ha": "Fläche (ha)", "pop": "Bevölkerung", "male": "Bevölkerung männlich"}
REGISTER_COLUMNS = [
    "region_key",
    "name",
    "level",
    "parent_key",
    "verband_key",
    "area_km2",
    "population",
    "kreisfrei",
    "textkennzeichen",
    "gebietsstand",
    "satzart",
]


def _records(path) -> tuple[pd.DataFrame, str, str]:
    """All records with their fields as strings; returns (records, Gebietsstand ISO, encoding)."""
    text, encoding = load_text(path)
    lines = pd.Series(text.split("\n"), dtype=object)
    lines = lines[lines.str.strip().ne("")]
    rec = pd.DataFrame({f: lines.str.slice(a - 1, b) for f, (a, b) in FIELDS.items()})
    rec["line"] = lines.index.to_numpy() + 1
    bad = ~rec["satzart"].isin(list(LEVELS)) | ~rec["gebietsstand"].str.fullmatch(r"\d{8}")
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise InputError(
            path, f"not a GV100AD record: {lines.iat[i][:30]!r}", int(rec["line"].iat[i])
        )
    # The regional key of each Satzart (AGS for 60, Kreis + Verband for 50) is digits only.
    key = pd.Series("", index=rec.index, dtype=object)
    for sa, n in KEY_LENGTH.items():
        m = rec["satzart"].eq(sa)
        key[m] = lines[m].str.slice(10, 10 + n)
        if sa in ("50", "60"):
            key[m] = key[m] + " " + rec.loc[m, "verband"]
    badkey = ~key.str.fullmatch(r"\d+(?: \d{4})?")
    if badkey.any():
        i = int(badkey.to_numpy().argmax())
        raise InputError(
            path, f"regional key {key.iat[i]!r} is not all digits", int(rec["line"].iat[i])
        )
    g = rec["satzart"].eq("60")
    short = g & (lines.str.len() < 161)
    if short.any():
        i = int(short.to_numpy().argmax())
        raise InputError(
            path, "Satzart 60 record shorter than 161 characters", int(rec["line"].iat[i])
        )
    for col in ("area_ha", "pop", "male"):
        raw = rec[col].str.strip()
        nonnum = g & ~raw.str.fullmatch(r"\d+")
        if nonnum.any():
            i = int(nonnum.to_numpy().argmax())
            raise InputError(
                path, f"non-numeric {LABELS[col]} {raw.iat[i]!r}", int(rec["line"].iat[i])
            )
        rec[col] = pd.to_numeric(raw.where(g, None)).astype("Int64")
    stands = rec["gebietsstand"].unique()
    if len(stands) != 1:
        raise InputError(path, f"mixed Gebietsstand in one file: {', '.join(sorted(stands))}")
    s = stands[0]
    rec["name"] = rec["name"].str.strip()
    rec["tk"] = rec["tk"].str.strip()
    return rec.reset_index(drop=True), f"{s[:4]}-{s[4:6]}-{s[6:]}", encoding


def _build(path) -> tuple[pd.DataFrame, str, str]:
    """Register rows with area_ha / pop / male summed up from the Gemeinden, plus `line`."""
    rec, stand, encoding = _records(path)
    sa = rec["satzart"]
    key = pd.Series(
        np.select(
            [sa.eq("10"), sa.eq("20"), sa.eq("30"), sa.eq("40"), sa.eq("50")],
            [
                rec["land"],
                rec["rb"],
                "R" + rec["region"],
                rec["kreis"],
                rec["kreis"] + rec["verband"],
            ],
            rec["ags"],
        ),
        dtype=object,
    )  # Regionen (BW only) get an "R" so that "R0811" cannot collide with a Kreis key.
    level = sa.map(LEVELS)
    level = level.where(~(sa.eq("60") & rec["tk"].isin(GEMEINDEFREI_TK)), "gemeindefrei")

    # Area and population are given only on Satzart 60: sum them up by key prefix.
    gem = rec[sa.eq("60")]
    gkey = gem["ags"]
    prefix = {"10": 2, "20": 3, "30": 4, "40": 5}
    sums = {}
    for col in ("area_ha", "pop", "male"):
        val = pd.Series(pd.NA, index=rec.index, dtype="Int64")
        for sz, n in prefix.items():
            by = gem.groupby(gkey.str.slice(0, n))[col].sum()
            m = sa.eq(sz)
            val[m] = (
                rec.loc[m, "region" if sz == "30" else "kreis"].str.slice(0, n).map(by).to_numpy()
            )
        by_v = gem.groupby(gem["kreis"] + gem["verband"])[col].sum()
        val[sa.eq("50")] = key[sa.eq("50")].map(by_v).to_numpy()
        val[sa.eq("60")] = gem[col].to_numpy()
        sums[col] = val.fillna(0).astype("Int64")

    kreise = set(key[sa.eq("40")])
    rbs = set(key[sa.eq("20")])
    kreisfrei = sa.eq("40") & rec["tk"].isin(KREISFREI_TK)
    kreis5, land = rec["kreis"], rec["land"]
    # Kreis -> Regierungsbezirk if the file has it, else Land; Verband/Gemeinde -> Kreis.
    parent = np.select(
        [
            sa.eq("10"),
            sa.eq("20"),
            sa.eq("30"),
            sa.eq("40") & rec["rb"].isin(rbs),
            sa.eq("40"),
            kreis5.isin(kreise),
        ],
        ["DG", land, rec["rb"], rec["rb"], land, kreis5],
        land,  # the pseudo-Kreise 07000 / 13000 of two gemeindefreie Gebiete do not exist
    )
    reg = pd.DataFrame(
        {
            "region_key": key,
            "name": rec["name"],
            "level": level,
            "parent_key": parent,
            "verband_key": (rec["kreis"] + rec["verband"]).where(sa.eq("60"), None),
            "kreisfrei": kreisfrei.to_numpy(),
            "textkennzeichen": rec["tk"],
            "gebietsstand": stand,
            "satzart": sa,
            "line": rec["line"],
            **sums,
        }
    )
    # A kreisfreie Stadt's single Gemeinde (AGS = Kreis + "000", also Berlin, Hamburg) is the
    # same area as its Kreis, whose row already carries the sums: no separate Gemeinde row.
    kf = set(key[kreisfrei])
    same = sa.eq("60") & rec["ags"].str.endswith("000") & kreis5.isin(kf)
    reg = reg[~same.to_numpy()]
    total = {c: gem[c].sum() for c in ("area_ha", "pop", "male")}
    dg = pd.DataFrame(
        [
            {
                "region_key": "DG",
                "name": "Deutschland",
                "level": "staat",
                "parent_key": None,
                "verband_key": None,
                "kreisfrei": False,
                "textkennzeichen": "",
                "gebietsstand": stand,
                "satzart": "",
                "line": 0,
                **total,
            }
        ]
    )
    reg = pd.concat([dg, reg], ignore_index=True)
    for col in ("area_ha", "pop", "male"):
        reg[col] = reg[col].astype("Int64")
    reg["area_km2"] = reg["area_ha"].astype("float64") / 100
    reg["population"] = reg["pop"]
    reg["kreisfrei"] = reg["kreisfrei"].astype(bool)
    reg["line"] = reg["line"].astype("int64")
    for col in ("region_key", "name", "level", "textkennzeichen", "gebietsstand", "satzart"):
        reg[col] = reg[col].astype("str")
    for col in ("parent_key", "verband_key"):
        reg[col] = reg[col].astype(object).where(reg[col].notna(), None)
    return reg, stand, encoding


def read_register(path: str | Path) -> pd.DataFrame:
    """One row per region (DG, Länder, RB, Regionen, Kreise, Verbände, Gemeinden)."""
    reg, _, _ = _build(path)
    return reg[REGISTER_COLUMNS].reset_index(drop=True)


def read(path: str | Path) -> ReadResult:
    """Area (ha), population and male population as the file gives them: per Gemeinde.

    Only Gemeinde records carry figures; the sums that the register derives for Kreise, Länder
    and Germany are not shown here (nor loaded as observations: they would be interpretation).
    A kreisfreie Stadt appears under its Kreis key, like its single Gemeinde record.
    """
    reg, stand, encoding = _build(path)
    reg = reg[(reg["satzart"] == "60") | reg["kreisfrei"]].reset_index(drop=True)
    n = len(reg)
    rows = np.repeat(np.arange(n), 3)
    cols = np.tile(np.arange(3), n)
    values = reg[list(LABELS)].to_numpy(dtype="float64", na_value=np.nan).ravel()
    frame = pd.DataFrame(
        {
            "region_key": str_array(reg["region_key"].to_numpy(dtype=object), rows),
            "region_name": str_array(reg["name"].to_numpy(dtype=object), rows),
            "period": str_array([stand], np.zeros(3 * n, dtype=np.int64)),
            "label": str_array(list(LABELS.values()), cols),
            "value": values,
            "status": str_array([""], np.zeros(3 * n, dtype=np.int64)),
            "line": reg["line"].to_numpy()[rows],
        },
        columns=LONG_COLUMNS,
    )
    return ReadResult(
        path=str(path),
        format="gv100ad",
        table_code="GV100AD",
        title="Gemeindeverzeichnis GV100AD",
        frame=frame,
        stand=stand,
        encoding=encoding,
        extra={"regions": n},  # regions with figures
    )
