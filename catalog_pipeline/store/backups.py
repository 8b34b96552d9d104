"""Restorable snapshots of the catalog tables, and the audit log of destructive operations.

A backup is one gzip JSON document holding every row of the catalog tables, read in one
transaction, stored in ``catalog_backups`` of the same database (so it travels with the
catalog and needs no shared disk). Restore replaces the tables in one transaction, keeping
row ids, and bumps the catalog version so readers reload.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Engine, LargeBinary, Table, func, select, text

from catalog_pipeline.store import schema
from catalog_pipeline.store.types import ExactDecimal

CATALOG_TABLES: tuple[Table, ...] = (
    schema.providers,
    schema.models,
    schema.price_history,
    schema.provider_snapshots,
    schema.raw_payloads,
)
"""In foreign-key order: insert in this order, delete in reverse."""


def table_counts(conn: Connection) -> dict[str, int]:
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in CATALOG_TABLES
    }


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _decoder(column_type: Any) -> Any:
    if isinstance(column_type, ExactDecimal):
        return Decimal
    if isinstance(column_type, DateTime):
        return dt.datetime.fromisoformat
    if isinstance(column_type, Date):
        return dt.date.fromisoformat
    if isinstance(column_type, LargeBinary):
        return base64.b64decode
    return None


def _decode_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    decoded = {}
    for column in table.columns:
        value = row.get(column.name)
        decode = _decoder(column.type)
        decoded[column.name] = decode(value) if value is not None and decode else value
    return decoded


def create_backup(conn: Connection, reason: str, run_id: str | None) -> tuple[str, dict[str, int]]:
    """Snapshot every catalog table inside the caller's transaction; return name and counts."""
    payload = {
        table.name: [
            {key: _encode(value) for key, value in row._mapping.items()}
            for row in conn.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in CATALOG_TABLES
    }
    counts = {name: len(rows) for name, rows in payload.items()}
    now = dt.datetime.now(dt.UTC)
    name = f"{now:%Y%m%dT%H%M%SZ}-{reason}-{uuid.uuid4().hex[:6]}"
    conn.execute(
        schema.catalog_backups.insert().values(
            name=name,
            created_at=now,
            reason=reason,
            run_id=run_id,
            row_counts=json.dumps(counts, sort_keys=True),
            content_gzip=gzip.compress(json.dumps(payload).encode("utf-8"), mtime=0),
        )
    )
    return name, counts


def restore_backup(conn: Connection, name: str) -> dict[str, int]:
    """Replace the catalog tables with the named backup inside the caller's transaction."""
    content = conn.execute(
        select(schema.catalog_backups.c.content_gzip).where(schema.catalog_backups.c.name == name)
    ).scalar_one_or_none()
    if content is None:
        known = (
            conn.execute(
                select(schema.catalog_backups.c.name).order_by(schema.catalog_backups.c.id.desc())
            )
            .scalars()
            .all()
        )
        raise LookupError(
            f"no backup named {name!r}; latest backups: {', '.join(known[:5]) or 'none'}"
        )
    payload = json.loads(gzip.decompress(content))
    for table in reversed(CATALOG_TABLES):
        conn.execute(table.delete())
    for table in CATALOG_TABLES:
        rows = [_decode_row(table, row) for row in payload[table.name]]
        if rows:
            conn.execute(table.insert(), rows)
        if conn.dialect.name == "postgresql":
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )
    return {table.name: len(payload[table.name]) for table in CATALOG_TABLES}


def write_audit(engine: Engine, **values: Any) -> None:
    """One audit row per destructive operation, in its own transaction (kept on failure too)."""
    for key in ("counts_before", "counts_after"):
        if isinstance(values.get(key), dict):
            values[key] = json.dumps(values[key], sort_keys=True)
    with engine.begin() as conn:
        conn.execute(schema.audit_log.insert().values(**values))
