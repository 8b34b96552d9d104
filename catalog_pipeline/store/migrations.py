"""Versioned schema migrations that the project runs itself, never destructively.

Each migration runs once, in order, inside one transaction together with its row in
``schema_migrations``; on PostgreSQL an advisory lock makes concurrent starters wait for
each other. A migration only ever adds (tables, nullable columns) and checks before it
adds, so a database created by any version reaches the current schema; no migration drops
or rewrites a table that holds data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, DateTime, Engine, inspect, select, text
from sqlalchemy.types import TypeEngine

from catalog_pipeline.store import schema

MIGRATION_LOCK_KEY = 7_406_118_301


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    tables = [
        schema.catalog_meta,
        schema.providers,
        schema.price_history,
        schema.provider_snapshots,
        schema.raw_payloads,
    ]
    schema.metadata.create_all(conn, tables=[*tables, schema.models])
    conn.execute(schema.catalog_meta.insert().values(key="catalog_version", value="0"))


def _alert_state(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.alert_state])


def _add_column(conn: Connection, table: str, column: str, column_type: TypeEngine) -> None:
    """Add a column unless it exists (a database created by a newer version 1 has it)."""
    if column in {c["name"] for c in inspect(conn).get_columns(table)}:
        return
    compiled = column_type.compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {compiled}"))


def _lifecycle_and_admin(conn: Connection) -> None:
    """``models.last_seen_at`` (set on status transitions), backups and the audit log."""
    _add_column(conn, "models", "last_seen_at", DateTime(timezone=True))
    schema.metadata.create_all(conn, tables=[schema.catalog_backups, schema.audit_log])


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "providers, models, price history, snapshots, raw payloads", _initial),
    Migration(2, "alert state for deduplicated alerts", _alert_state),
    Migration(3, "model last_seen_at, catalog backups, audit log", _lifecycle_and_admin),
)


def current_version(conn: Connection) -> int:
    schema.schema_migrations.create(conn, checkfirst=True)
    versions = conn.execute(select(schema.schema_migrations.c.version)).scalars().all()
    return max(versions, default=0)


def migrate(engine: Engine) -> list[int]:
    """Apply pending migrations; return the versions applied."""
    applied: list[int] = []
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        version = current_version(conn)
        for migration in MIGRATIONS:
            if migration.version <= version:
                continue
            migration.apply(conn)
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=migration.version,
                    description=migration.description,
                    applied_at=dt.datetime.now(dt.UTC),
                )
            )
            applied.append(migration.version)
    return applied
