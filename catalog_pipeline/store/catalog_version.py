"""The catalog version: one counter that every change of the catalog's rows increments.

Readers (the gateway client, exports) reload when it moves. Each provider also keeps the
version at which its own rows last changed (``providers.rows_version``), so a sync can
tell whether the rows it read before its checks are still the rows under its lock. The
counter lives in ``catalog_meta``, which backups neither save nor restore, so it only
ever grows and a ``rows_version`` is never handed out twice.
"""

from __future__ import annotations

from sqlalchemy import Connection, Integer, String, cast, select, update

from catalog_pipeline.store import schema


def read(conn: Connection) -> int:
    meta = schema.catalog_meta
    value = conn.execute(select(meta.c.value).where(meta.c.key == "catalog_version")).scalar_one()
    return int(value)


def bump(conn: Connection) -> int:
    """Increment the version in one UPDATE, so concurrent commits each count; return it.

    A read-then-write would lose a bump when two providers commit at once; the UPDATE
    takes the row lock and re-reads the committed value under READ COMMITTED. That lock is
    every writer's, held until the commit: call this as the last but one statement of a
    transaction (after it, only the writer's own provider row), never before slow work.
    A session frozen while holding it is ended by PostgreSQL's
    ``idle_in_transaction_session_timeout`` (``engine.POSTGRES_TIMEOUTS``).
    """
    meta = schema.catalog_meta
    return int(
        conn.execute(
            update(meta)
            .where(meta.c.key == "catalog_version")
            .values(value=cast(cast(meta.c.value, Integer) + 1, String))
            .returning(meta.c.value)
        ).scalar_one()
    )


def bump_for_every_provider(conn: Connection) -> int:
    """Bump the version and mark every provider's rows as changed at it.

    For operations that touch rows outside ``apply_offers`` (flush, restore, reset): a
    sync that read a provider's rows before such an operation must read them again.
    """
    version = bump(conn)
    conn.execute(update(schema.providers).values(rows_version=version))
    return version
