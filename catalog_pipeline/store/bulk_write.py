"""How ``CatalogStore.apply_offers`` writes many rows: COPY on PostgreSQL, executemany elsewhere.

A first sync of a large provider inserts ~100,000 model rows and as many price-history
rows; through SQLAlchemy's executemany that is per-row parameter binding and dominates
the sync. PostgreSQL gets psycopg ``COPY`` on the SQLAlchemy connection's own driver
connection, so the rows land in the caller's transaction: readers still see a provider's
old rows or its new rows, and an admin job batching providers still rolls back as a whole.
Rows are tuples in the order of the ``columns`` passed along, with Python values (Decimal,
dates, None) that psycopg dumps exactly as it binds them as parameters; timestamps shared
by many rows go through ``stamp`` first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from psycopg import sql
from sqlalchemy import Connection, Table, bindparam, insert, update

Row = tuple[Any, ...]

COPY_UPDATE_MIN_ROWS = 200
"""Below this many rows an update is an executemany; a temp table costs a few round trips."""


class RowWriter:
    """Inserts, and updates by primary key, through SQLAlchemy executemany (SQLite)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def stamp(self, moment: dt.datetime | None) -> Any:
        """A timestamp shared by many rows, in the form this writer takes it."""
        return moment

    def insert(self, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> None:
        values = [dict(zip(columns, row, strict=True)) for row in rows]
        if values:
            self.conn.execute(insert(table), values)

    def update(self, table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Set ``columns`` of each row whose ``id`` is the row's first value."""
        if not rows:
            return
        keys = ("_id", *columns)
        self.conn.execute(
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values(**{name: bindparam(name) for name in columns}),
            [dict(zip(keys, row, strict=True)) for row in rows],
        )


class CopyWriter(RowWriter):
    """PostgreSQL: COPY for inserts; COPY into a temp table and one UPDATE for large updates."""

    def __init__(self, conn: Connection, update_min_rows: int = COPY_UPDATE_MIN_ROWS) -> None:
        super().__init__(conn)
        self.update_min_rows = update_min_rows

    def stamp(self, moment: dt.datetime | None) -> Any:
        """ISO 8601 text with its UTC offset, formatted once: psycopg's text dumper would
        format the same instant again for every row and column (2 us each)."""
        return None if moment is None else moment.isoformat()

    def insert(self, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> None:
        self._copy(sql.Identifier(table.name), columns, rows)

    def update(self, table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Like ``RowWriter.update``; the temp table is dropped at once so a caller's
        transaction can apply several providers in a row (ON COMMIT DROP covers errors)."""
        if len(rows) < self.update_min_rows:
            super().update(table, columns, rows)
            return
        target, staged = sql.Identifier(table.name), sql.Identifier(f"_staged_{table.name}")
        names = sql.SQL(", ").join(sql.Identifier(name) for name in ("id", *columns))
        with self._driver().cursor() as cursor:
            cursor.execute(
                sql.SQL(
                    "CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA"
                ).format(staged, names, target)
            )
            self._copy(staged, ("id", *columns), rows)
            assignments = sql.SQL(", ").join(
                sql.SQL("{} = s.{}").format(sql.Identifier(name), sql.Identifier(name))
                for name in columns
            )
            cursor.execute(
                sql.SQL("UPDATE {} AS t SET {} FROM {} AS s WHERE t.id = s.id").format(
                    target, assignments, staged
                )
            )
            cursor.execute(sql.SQL("DROP TABLE {}").format(staged))

    def _copy(self, table: sql.Composable, columns: Sequence[str], rows: Iterable[Row]) -> None:
        names = sql.SQL(", ").join(sql.Identifier(name) for name in columns)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(table, names)
        with self._driver().cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def _driver(self) -> Any:
        """The psycopg connection under the SQLAlchemy one: same session, same transaction."""
        return self.conn.connection.driver_connection


def writer_for(conn: Connection) -> RowWriter:
    """The one place that picks the write path for a dialect."""
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        return CopyWriter(conn)
    return RowWriter(conn)
