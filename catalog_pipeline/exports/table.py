"""The models table as CSV for humans: every row, every status, exact decimal prices.

Token prices are in USD per token (``*_usd_per_token``) with a USD-per-million column
next to the two main ones for reading; non-token prices are USD per unit
(``*_usd``). All numbers are plain decimal strings from the catalog's Decimal; an empty
cell is an unknown price (never 0).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from catalog_pipeline.domain.rows import TOKEN_PRICE_FIELDS, UNIT_PRICE_FIELDS
from catalog_pipeline.domain.units import decimal_str, to_per_million
from catalog_pipeline.exports.common import CatalogRows, Rendered

FORMAT = "csv"

IDENTITY_COLUMNS = (
    "provider",
    "provider_model_id",
    "canonical_id",
    "publisher",
    "display_name",
    "model_type",
    "status",
    "input_modalities",
    "output_modalities",
    "capabilities",
    "context_length",
    "max_output_tokens",
)
PRICE_COLUMNS = {
    **{f"{name}_usd_per_token": name for name in TOKEN_PRICE_FIELDS},
    **{f"{name}_usd": name for name in UNIT_PRICE_FIELDS},
}
PER_MILLION_COLUMNS = {"prompt_usd_per_1m": "prompt", "completion_usd_per_1m": "completion"}
TRAILING_COLUMNS = ("price_source", "deprecation_date", "changed_at")
COLUMNS = (*IDENTITY_COLUMNS, *PRICE_COLUMNS, *PER_MILLION_COLUMNS, *TRAILING_COLUMNS)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def csv_row(row: dict[str, Any]) -> dict[str, str]:
    out = {name: _cell(row[name]) for name in IDENTITY_COLUMNS}
    for column, field in PRICE_COLUMNS.items():
        out[column] = decimal_str(row[field]) or ""
    for column, field in PER_MILLION_COLUMNS.items():
        value = row[field]
        out[column] = decimal_str(to_per_million(value)) or "" if value is not None else ""
    for name in TRAILING_COLUMNS:
        out[name] = _cell(row[name])
    return out


def render(catalog: CatalogRows) -> Rendered:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in catalog.rows:
        writer.writerow(csv_row(row))
    return Rendered(
        format=FORMAT,
        text=buffer.getvalue(),
        entries=len(catalog.rows),
        catalog_version=catalog.version,
    )
