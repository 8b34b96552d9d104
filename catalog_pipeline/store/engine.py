"""One SQLAlchemy engine per database URL, with the settings each backend needs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.sql.dml import Insert

SQLITE_BUSY_TIMEOUT_MS = 60_000


@functools.cache
def engine_for(url: str) -> Engine:
    """A shared engine. SQLite gets WAL, foreign keys and ``BEGIN IMMEDIATE`` transactions.

    ``BEGIN IMMEDIATE`` takes the write lock at the start of each transaction, so
    concurrent writers queue on ``busy_timeout`` instead of failing on lock upgrade.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=5)


def safe_url(url: str) -> str:
    """The URL with any password hidden, for logs and metadata."""
    return make_url(url).render_as_string(hide_password=True)


def insert_for(conn: Connection) -> Callable[..., Insert]:
    """The dialect's INSERT, which has ``on_conflict_do_nothing``/``on_conflict_do_update``.

    Both backends spell the upsert the same way in SQLAlchemy, through their own
    ``insert``; this picks it, so callers can write race-safe inserts once.
    """
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
