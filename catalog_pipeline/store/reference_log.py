"""Reference sources in the catalog database: their fetch log and their observations.

A successful fetch replaces the source's observations in one transaction, so readers see
the whole previous file or the whole new one; a failed fetch is logged and leaves the
stored observations (and every offer priced from them) as they were. The gzipped file of
the newest ``files_kept`` fetches per source is kept; older fetches keep their facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from catalog_pipeline.domain.references import ReferenceObservation
from catalog_pipeline.domain.rows import PRICE_FIELDS, Prices, tiers_from_text, tiers_text
from catalog_pipeline.store import schema
from catalog_pipeline.store.types import as_utc


def record_fetch(
    conn: Connection,
    source: str,
    facts: dict[str, Any],
    observations: Sequence[ReferenceObservation],
    files_kept: int,
) -> int:
    """Log a successful fetch and make ``observations`` the source's stored ones."""
    fetch_id = conn.execute(
        insert(schema.reference_fetches).values(
            source=source, status="ok", observation_count=len(observations), **facts
        )
    ).inserted_primary_key[0]
    prices = schema.reference_prices
    conn.execute(delete(prices).where(prices.c.source == source))
    if observations:
        conn.execute(insert(prices), [_row(o) for o in observations])
    _prune(conn, source, files_kept)
    return int(fetch_id)


def record_failure(
    conn: Connection, source: str, error: str, run_id: str | None, url: str | None
) -> None:
    conn.execute(
        insert(schema.reference_fetches).values(
            source=source,
            fetched_at=dt.datetime.now(dt.UTC),
            status="failed",
            error=error,
            url=url,
            run_id=run_id,
        )
    )


def _row(observation: ReferenceObservation) -> dict[str, Any]:
    return {
        "source": observation.source,
        "provider": observation.provider,
        "provider_model_id": observation.provider_model_id,
        "source_key": observation.source_key[:1000],
        **observation.prices.as_dict(),
        "price_tiers": tiers_text(observation.prices.tiers),
        "fetched_at": observation.fetched_at,
    }


def _prune(conn: Connection, source: str, files_kept: int) -> None:
    fetches = schema.reference_fetches
    kept = select(fetches.c.id).where(
        and_(fetches.c.source == source, fetches.c.content_gzip.is_not(None))
    )
    ids = [row.id for row in conn.execute(kept.order_by(fetches.c.id.desc()))]
    if len(ids) > files_kept:
        conn.execute(
            update(fetches).where(fetches.c.id.in_(ids[files_kept:])).values(content_gzip=None)
        )


def observations(conn: Connection, provider: str | None = None) -> list[ReferenceObservation]:
    """The stored observations (of one provider's models, or all), by source and id."""
    prices = schema.reference_prices
    query = select(prices).order_by(prices.c.provider, prices.c.provider_model_id, prices.c.source)
    if provider is not None:
        query = query.where(prices.c.provider == provider)
    return [
        ReferenceObservation(
            source=row.source,
            provider=row.provider,
            provider_model_id=row.provider_model_id,
            source_key=row.source_key,
            prices=Prices(
                **{name: getattr(row, name) for name in PRICE_FIELDS},
                tiers=tiers_from_text(row.price_tiers),
            ),
            fetched_at=as_utc(row.fetched_at),
        )
        for row in conn.execute(query)
    ]


def last_good_count(conn: Connection, source: str) -> int | None:
    """Observations of the source's last successful fetch, or None before the first."""
    fetches = schema.reference_fetches
    return conn.execute(
        select(fetches.c.observation_count)
        .where(and_(fetches.c.source == source, fetches.c.status == "ok"))
        .order_by(fetches.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def states(conn: Connection) -> dict[str, dict[str, Any]]:
    """Each source's latest fetch (ok or failed) and its last successful fetch time
    (``last_success_at``, None if it never succeeded), keyed by source."""
    fetches = schema.reference_fetches
    latest = select(fetches.c.source, fetches.c.id).order_by(fetches.c.id)
    newest = {row.source: row.id for row in conn.execute(latest)}
    if not newest:
        return {}
    rows = conn.execute(
        select(
            fetches.c.source,
            fetches.c.status,
            fetches.c.error,
            fetches.c.fetched_at,
            fetches.c.observation_count,
        ).where(fetches.c.id.in_(list(newest.values())))
    )
    found = {row.source: dict(row._mapping) for row in rows}
    succeeded = select(fetches.c.source, func.max(fetches.c.fetched_at)).where(
        fetches.c.status == "ok"
    )
    last_success = dict(conn.execute(succeeded.group_by(fetches.c.source)).all())
    for source, state in found.items():
        state["last_success_at"] = last_success.get(source)
    return found
