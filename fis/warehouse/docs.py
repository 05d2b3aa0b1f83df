"""What each warehouse table and its columns mean, for `fis schema` and analysts' notebooks.

Kept beside the DDL in `schema.py`; a test checks that every table and column there is
described here.
"""

from __future__ import annotations

# table -> (description, {column: meaning})
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "schema_version": (
        "Schema versions applied to this warehouse (forward migrations).",
        {
            "version": "schema version number",
            "applied_at": "when this version was applied",
        },
    ),
    "regions": (
        "The region register: Gemeinden up to Deutschland, Gemeindeverbände, Jugendämter, "
        "and historical regions named by exports.",
        {
            "region_key": "official key (AGS/ARS prefix), e.g. 05970024; DG for Deutschland",
            "name": "official name, e.g. 'Kreuztal, Stadt'",
            "level": "staat, land, regbez, region, kreis, verband, gemeinde, gemeindefrei, "
            "bezirk or jugendamt",
            "parent_key": "key of the region above (a Gemeinde's Kreis, a Kreis's Reg.-Bez.)",
            "verband_key": "a Gemeinde's Gemeindeverband",
            "area_km2": "area in km²",
            "population": "population from the register",
            "kreisfrei": "a kreisfreie Stadt",
            "historical": "not in the current register (merged or dissolved)",
            "gebietsstand": "register edition the row comes from (ISO date)",
            "origin": "'register' or the export file that named the region",
        },
    ),
    "jugendamt_members": (
        "Which Gemeinden each Jugendamt serves, with validity years.",
        {
            "jugendamt_key": "key of the Jugendamt (JH...)",
            "gemeinde_key": "key of a Gemeinde it serves",
            "valid_from": "first year served (empty: always)",
            "valid_to": "last year served (empty: still)",
            "origin": "'regel' (default rule) or the membership file",
        },
    ),
    "variables": (
        "The catalogue's variables (counts and amounts delivered by sources), mirrored at "
        "each refresh.",
        {
            "variable_id": "stable snake_case id, e.g. bev_insg",
            "name": "German name",
            "unit": "unit of the values",
            "aggregation": "how Gemeinde values add up to larger regions (sum, none, ...)",
            "stichtag": "reference date of the count (e.g. 31.12.)",
            "source_table": "official table code it comes from",
        },
    ),
    "indicators": (
        "The indicator catalogue, mirrored at each refresh.",
        {
            "indicator_id": "stable snake_case id, e.g. share_under18",
            "name": "German name",
            "short": "short name for tables and charts",
            "handlungsfeld": "Handlungsfeld (topic) it belongs to",
            "unit": "unit of the value (%, je 1000, ...)",
            "decimals": "decimals shown in reports",
            "polarity": "whether higher is better, worse or neutral",
            "numerator": "formula of the numerator (over variables)",
            "denominator": "formula of the denominator",
            "factor": "factor applied to numerator / denominator (e.g. 100)",
            "range_min": "lowest plausible value",
            "range_max": "highest plausible value",
            "lowest_level": "lowest region level it is published for",
            "definition": "definition in words",
            "note": "remarks on interpretation",
            "levels": "levels it is computed for",
            "level_note": "why some levels are left out",
            "extension": "an extension beyond the core catalogue",
        },
    ),
    "refreshes": (
        "The refresh log: one row per `fis refresh` (also failed ones and dry runs).",
        {
            "refresh_id": "number of the refresh",
            "started_at": "start time",
            "finished_at": "end time",
            "status": "ok, unchanged, failed or dry-run",
            "n_files": "files read",
            "n_new": "new observations",
            "n_revised": "observations whose value changed",
            "n_unchanged": "observations delivered again unchanged",
            "message": "warnings or the reason of a failure",
        },
    ),
    "refresh_files": (
        "Which files each refresh read, with their counts.",
        {
            "refresh_id": "the refresh",
            "sha256": "checksum of the file",
            "path": "path of the file",
            "pipeline": "pipeline spec that mapped it",
            "n_new": "new observations from it",
            "n_revised": "revised observations from it",
            "n_unchanged": "unchanged observations from it",
        },
    ),
    "sources": (
        "Every source file ever loaded: checksum, table code, Stand.",
        {
            "sha256": "checksum of the file",
            "path": "path when last loaded",
            "format": "export format (genesis, ffcsv, gv100ad, ...)",
            "table_code": "official table code, e.g. 12411-01-01-5",
            "title": "table title from the export",
            "stand": "Stand (data status date) from the export",
            "encoding": "text encoding detected",
            "pipeline": "pipeline spec that mapped it",
            "n_cells": "cells read",
            "first_refresh_id": "refresh that first loaded it",
            "last_refresh_id": "refresh that last loaded it",
        },
    ),
    "observations": (
        "Current values as delivered: one per variable, region, period and pipeline.",
        {
            "variable_id": "the variable",
            "region_key": "the region",
            "period": "year",
            "ref_date": "reference date (Stichtag)",
            "value": "the value (empty where only a symbol was delivered)",
            "status": "'' or the official symbol / quality flag (-, ., /, x, ...)",
            "pipeline": "pipeline spec that delivered it",
            "priority": "lower wins when several sources deliver the variable",
            "source_sha256": "checksum of the source file",
            "line": "line in the source file",
            "refresh_id": "refresh that loaded it",
        },
    ),
    "observation_history": (
        "Superseded values, with the refresh that replaced them (for `fis diff`, --as-of).",
        {
            "variable_id": "the variable",
            "region_key": "the region",
            "period": "year",
            "ref_date": "reference date (Stichtag)",
            "value": "the old value",
            "status": "the old status",
            "pipeline": "pipeline spec that delivered it",
            "priority": "its priority",
            "source_sha256": "checksum of the source file",
            "line": "line in the source file",
            "refresh_id": "the refresh that had loaded the old value",
            "superseded_by": "the refresh that replaced it",
        },
    ),
    "preferred_sources": (
        "Per variable the source whose deliveries win wherever it has one: the lowest priority "
        "(then pipeline) of those delivering the variable.",
        {
            "variable_id": "the variable",
            "pipeline": "the preferred pipeline",
            "priority": "its priority (lower wins)",
        },
    ),
    "other_sources": (
        "Per variable the sources delivering it besides the preferred one: variable_values "
        "leaves out their deliveries.",
        {
            "variable_id": "the variable",
            "pipeline": "a pipeline delivering it that is not the preferred one",
            "priority": "its priority",
        },
    ),
    "variable_values_derived": (
        "The rows of variable_values that are no delivery of the variable's preferred source: "
        "deliveries of another source where the preferred one has none, and values summed up "
        "the hierarchy (pipeline empty).",
        {
            "variable_id": "the variable",
            "region_key": "the region",
            "period": "year",
            "value": "the value",
            "status": "'' or a symbol / quality flag",
            "pipeline": "pipeline of the delivered value; empty for a sum",
        },
    ),
    "variable_values": (
        "One value per variable, region and year: the preferred delivery, or summed up the "
        "hierarchy. A view: the deliveries of each variable's preferred source (see "
        "preferred_sources; it leaves out those of other_sources), and variable_values_derived.",
        {
            "variable_id": "the variable",
            "region_key": "the region",
            "period": "year",
            "value": "the value",
            "status": "'' or a symbol / quality flag",
            "origin": "delivered or aggregated",
            "pipeline": "pipeline of the delivered value",
        },
    ),
    "indicator_values": (
        "Computed indicators: one value per indicator, region and year.",
        {
            "indicator_id": "the indicator",
            "region_key": "the region",
            "period": "year",
            "value": "the indicator value",
            "numerator": "value of the numerator",
            "denominator": "value of the denominator",
            "status": "'' or why the value is missing or flagged",
        },
    ),
    "sum_comparisons": (
        "Parent values that were delivered and could also be summed from complete children "
        "(Gemeinden to Kreis, Kreise to Land, ...): what the sum_of_children rule judges.",
        {
            "variable_id": "the variable (a count)",
            "region_key": "the parent region",
            "period": "year",
            "delivered": "the delivered value of the parent",
            "pipeline": "pipeline of the delivered value",
            "children_sum": "sum of the children's values",
            "n_children": "number of children summed",
            "child_pipelines": "pipelines of the children's values",
        },
    ),
    "derived_state": (
        "What variable_values, sum_comparisons, indicator_values and the findings of one "
        "refresh were computed from. A refresh with the same fingerprint recomputes only the "
        "variables and years whose observations changed.",
        {
            "refresh_id": "the refresh whose findings belong to the derived values",
            "fingerprint": "SHA-256 of the catalogue, regions, Jugendamt members, rules and "
            "FIS's derivation version",
        },
    ),
    "findings": (
        "What the validation rules found, per refresh.",
        {
            "refresh_id": "the refresh",
            "rule": "the rule (range, sum, jump, completeness, revision, ...)",
            "severity": "error, warning or info",
            "variable_id": "the variable concerned",
            "indicator_id": "the indicator concerned",
            "region_key": "the region concerned",
            "period": "year",
            "observed": "value found",
            "expected": "value or bound expected",
            "message": "explanation",
        },
    ),
}
