"""Plain check outcomes as Dagster check results: tables as ``MetadataValue.table``."""

from __future__ import annotations

import dagster as dg

from catalog_pipeline.pipeline.outcome import CheckOutcome, Table

SEVERITY = {"ERROR": dg.AssetCheckSeverity.ERROR, "WARN": dg.AssetCheckSeverity.WARN}


def table_value(table: Table) -> dg.TableMetadataValue:
    """The UI renders it as a table; every cell is text so mixed columns stay readable."""
    schema = dg.TableSchema(columns=[dg.TableColumn(name, "string") for name in table.columns])
    records = [
        dg.TableRecord(
            {
                name: "" if cell is None else str(cell)
                for name, cell in zip(table.columns, row, strict=True)
            }
        )
        for row in table.rows
    ]
    return dg.MetadataValue.table(records=records, schema=schema)


def metadata_of(outcome: CheckOutcome) -> dict[str, dg.RawMetadataValue]:
    metadata: dict[str, dg.RawMetadataValue] = {"summary": dg.MetadataValue.text(outcome.summary)}
    for key, value in outcome.metadata.items():
        if isinstance(value, Table):
            metadata[key] = table_value(value)
            if value.total > len(value.rows):
                metadata[f"{key}_not_shown"] = value.total - len(value.rows)
        else:
            metadata[key] = value
    return metadata


def check_result(outcome: CheckOutcome, asset: str | None = None) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=outcome.name,
        asset_key=asset,
        passed=outcome.passed,
        severity=SEVERITY[outcome.severity],
        metadata=metadata_of(outcome),
    )
