"""Normalise the region keys of raw exports to register keys (AGS, Kreis, Verband, ...)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fis.errors import FisError

LEVELS = ("staat", "land", "regbez", "kreis", "bezirk", "verband", "gemeinde", "jugendamt")

_DIGITS = re.compile(r"\d+")
_JH = re.compile(r"JH\d+")
# Niedersachsen numbers Gemeinden below 400 and its Samtgemeinden 54xx, exported as Kreis + 4xx.
_NI_SAMTGEMEINDE = re.compile(r"03\d{3}4\d{2}")


def ars_to_ags(keys: pd.Series) -> pd.Series:
    """12-digit ARS (Zensus) -> 8-digit AGS = ars[:5] + ars[9:12]; other keys unchanged."""
    keys = keys.astype(str)
    ars = keys.str.fullmatch(r"\d{12}")
    if not ars.any():
        return keys
    return keys.where(~ars, keys.str.slice(0, 5) + keys.str.slice(9, 12))


@dataclass
class KeyIndex:
    """Sets of register keys by level, built from fis.readers.gv100ad.read_register()."""

    gemeinden: set[str]
    kreise: set[str]
    kreisfrei: set[str]
    verbaende: set[str]
    verband_alt: dict[str, str]
    laender: set[str] = field(default_factory=set)
    regbez: set[str] = field(default_factory=set)
    # Identifies the register the sets come from: normalised keys are remembered per token
    # (_NORMALISED), also in the process that reads a refresh's exports, where each export
    # brings its own copy of the index.
    token: str = ""

    @classmethod
    def from_register(cls, regions: pd.DataFrame) -> KeyIndex:
        """Index a register frame (columns region_key, level, kreisfrei)."""
        key, level = regions["region_key"].astype(str), regions["level"].astype(str)

        def keys_of(*levels: str) -> set[str]:
            return set(key[level.isin(levels)])

        kreisfrei = set(key[(level == "kreis") & regions["kreisfrei"].astype(bool)])
        verbaende = keys_of("verband")
        # Exports drop the leading "5" of Samt-/Verbandsgemeinde codes and their zero padding:
        # register 071315001 -> export "0713101" (7 digits, only Rheinland-Pfalz uses these),
        # 031515401 -> "03151401" (8 digits, only Niedersachsen's Samtgemeinden 54xx). Elsewhere
        # kreis + code[1:] is the AGS of a (dissolved) Gemeinde, e.g. 16061009 Bischofferode.
        alt: dict[str, str] = {}
        for v in sorted(verbaende):
            kreis, code = v[:5], v[5:]
            if code.startswith("50"):
                alt.setdefault(kreis + code[2:], v)
            if code.startswith("54") and kreis.startswith("03"):
                alt.setdefault(kreis + code[1:], v)
        return cls(
            gemeinden=keys_of("gemeinde", "gemeindefrei"),
            kreise=keys_of("kreis"),
            kreisfrei=kreisfrei,
            verbaende=verbaende,
            verband_alt=alt,
            laender=keys_of("land"),
            regbez=keys_of("regbez"),
            token=hashlib.sha256(
                "\n".join(sorted(f"{k}\t{lv}" for k, lv in zip(key, level, strict=True))).encode()
                + "\n".join(sorted(kreisfrei)).encode()
            ).hexdigest(),
        )


def _eight(key: str, ix: KeyIndex | None) -> tuple[str, str, bool]:
    """An 8-digit key: Gemeinde, kreisfreie Stadt as xxxxx000, Berlin Bezirk or Samtgemeinde."""
    kreis = key[:5]
    if ix is None:
        if key.endswith("000"):  # kreisfreie Stadt; Berlin, Hamburg: Land = Kreis = Gemeinde
            return kreis, "kreis", False
        if key.startswith("11") and kreis != "11000":
            return kreis, "bezirk", False
        if _NI_SAMTGEMEINDE.fullmatch(key):
            return kreis + "5" + key[5:], "verband", False
        return key, "gemeinde", False
    if key in ix.gemeinden:
        return key, "gemeinde", True
    # -B tables key kreisfreie Städte (and Berlin, Hamburg) as Kreis + "000": the same area.
    # Only kreisfreie Städte have Gemeinde number 000, so a former one (05313000, Aachen
    # before the Städteregion) is its former Kreis too.
    if key.endswith("000"):
        return kreis, "kreis", kreis in ix.kreise
    if key.startswith("11") and kreis != "11000":
        return kreis, "bezirk", False
    if key in ix.verband_alt:
        return ix.verband_alt[key], "verband", True
    if _NI_SAMTGEMEINDE.fullmatch(key):  # dissolved Samtgemeinde, e.g. 03152401 Dransfeld
        return kreis + "5" + key[5:], "verband", False
    return key, "gemeinde", False


def normalise_key(raw: str, index: KeyIndex | None) -> tuple[str, str, bool]:
    """One raw export key -> (normalised key, level, known). Raises FisError for unknown forms."""
    key = str(raw).strip()
    if key == "DG":
        return key, "staat", True
    if _JH.fullmatch(key):
        return key, "jugendamt", True
    if not _DIGITS.fullmatch(key):
        raise FisError(f"unknown region key form {raw!r}")
    n = len(key)
    ix = index
    if n == 2:
        return key, "land", ix is not None and key in ix.laender
    if n == 3:
        return key, "regbez", ix is not None and key in ix.regbez
    if n == 5:
        if key.startswith("11") and key != "11000":  # Berlin Bezirke 11001..11012
            return key, "bezirk", False
        return key, "kreis", ix is not None and key in ix.kreise
    if n == 7:
        # Verbandsgemeinde in export form, e.g. 0713101 = register 071315001.
        if ix is not None and key in ix.verband_alt:
            return ix.verband_alt[key], "verband", True
        # a former Verbandsgemeinde: register form Kreis + "50" + the two digits
        return key[:5] + "50" + key[5:], "verband", False
    if n == 8:
        return _eight(key, ix)
    if n == 9:
        return key, "verband", ix is not None and key in ix.verbaende
    if n in (10, 11, 12):
        # Kreis + Verband (2 digits in RLP exports, 3 in NI, 4 in the ARS) + Gemeinde (3).
        return _eight(key[:5] + key[n - 3 :], ix)
    raise FisError(f"unknown region key form {raw!r} ({n} digits)")


# register token -> {raw key: normalise_key(raw key)}: the same ~11,000 keys come in every
# export of a refresh.
_NORMALISED: dict[str, dict[str, tuple[str, str, bool]]] = {}


def normalise_keys(raw: pd.Series, index: KeyIndex | None) -> pd.DataFrame:
    """Normalise raw keys (computed once per unique key); frame aligned with `raw`:
    region_key, level, known."""
    raw = raw if raw.dtype == "category" else raw.astype(str)
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)
    if index is not None and index.token:
        memo = _NORMALISED.setdefault(index.token, {})
        out = [
            memo[k] if k in memo else memo.setdefault(k, normalise_key(k, index)) for k in uniques
        ]
    else:
        out = [normalise_key(k, index) for k in uniques]
    known = np.array([o[2] for o in out], dtype=bool)

    def column(i: int):  # a categorical: no Python object per row
        ucodes, cats = pd.factorize(pd.Series([o[i] for o in out], dtype=object))
        return pd.Categorical.from_codes(ucodes[codes], pd.Index(cats, dtype="str"))

    return pd.DataFrame(
        {"region_key": column(0), "level": column(1), "known": known[codes]},
        index=raw.index,
        copy=False,  # the columns are new
    )
