"""The shape every reader returns: a long frame plus what the file says about itself."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# Columns of every reader's long frame, in this order. `line` is the 1-based line of the
# cell in the file, so that later stages can name it in an error.
LONG_COLUMNS = ["region_key", "region_name", "period", "label", "value", "status", "line"]
# The text columns are pandas categoricals: a table of 12 million cells has some thousand
# distinct keys, a few hundred labels and periods and a handful of statuses, and every stage
# after the reader (mapping, grouping, validating, loading) works on the integer codes.
TEXT_COLUMNS = ["region_key", "region_name", "period", "label", "status"]

# Official symbols (DIN 55301 / GENESIS Zeichenerklärung) and quality flags.
SYMBOLS = {
    "-": "nichts vorhanden (genau null)",
    ".": "Zahlenwert unbekannt oder geheim zu halten",
    "...": "Angabe fällt später an",
    "/": "keine Angabe, da Zahlenwert nicht sicher genug",
    "x": "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
    "()": "Aussagewert eingeschränkt",
    "e": "endgültig",
    "p": "vorläufig",
    "r": "berichtigt",
    "s": "geschätzt",
}


@dataclass
class ReadResult:
    """One parsed export: the long frame and its provenance.

    format: "genesis_csv" | "ffcsv" | "gv100ad"
    table_code: e.g. "12411-01-01-5" (classic CSV, from its first line), "12411" or "1000A"
        (ffcsv statistics_code), "GV100AD" for the register.
    title: the descriptive lines of the header block (classic) or statistics_label (ffcsv).
    stand: the export's "Stand:" date as ISO "YYYY-MM-DD", or None.
    """

    path: str
    format: str
    table_code: str
    title: str
    frame: pd.DataFrame
    stand: str | None = None
    encoding: str = "utf-8"
    notes: str = ""
    extra: dict = field(default_factory=dict)
