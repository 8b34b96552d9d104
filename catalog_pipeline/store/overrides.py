"""Operator price overrides in the catalog database, with one audit row per change.

Every change (set, remove, expiry) writes its audit row in the same transaction as the
change itself, so there is never a change without its row or a row without its change.
The overrides table has no foreign key to ``providers``: a flush of the providers, a reset
and a restore leave it alone, and the next sync applies the overrides again.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from catalog_pipeline.domain.overrides import PriceOverride
from catalog_pipeline.domain.rows import PRICE_FIELDS
from catalog_pipeline.store import schema
from catalog_pipeline.store.types import as_utc

SET, REMOVE, EXPIRE = "set", "remove", "expire"
SYSTEM = "catalog-pipeline"
"""The actor of an expiry: nobody acted, the clock did."""


def _override(row: Any) -> PriceOverride:
    values = row._mapping
    return PriceOverride(
        provider=values["provider"],
        provider_model_id=values["provider_model_id"],
        prices={name: values[name] for name in PRICE_FIELDS if values[name] is not None},
        model_type=values["model_type"],
        reason=values["reason"],
        created_by=values["created_by"],
        created_at=as_utc(values["created_at"]),
        expires_at=as_utc(values["expires_at"]) if values["expires_at"] else None,
    )


def _row(override: PriceOverride) -> dict[str, Any]:
    return {
        "provider": override.provider,
        "provider_model_id": override.provider_model_id,
        **{name: override.prices.get(name) for name in PRICE_FIELDS},
        "model_type": str(override.model_type) if override.model_type else None,
        "reason": override.reason,
        "created_by": override.created_by,
        "created_at": override.created_at,
        "expires_at": override.expires_at,
        "expiry_recorded_at": None,
    }


def _audit(
    conn: Connection,
    action: str,
    override: PriceOverride,
    actor: str,
    at: dt.datetime,
    run_id: str | None,
    previous: PriceOverride | None = None,
) -> None:
    conn.execute(
        insert(schema.price_override_audit).values(
            action=action,
            provider=override.provider,
            provider_model_id=override.provider_model_id,
            prices=json.dumps(override.prices_text(), sort_keys=True),
            reason=override.reason,
            actor=actor,
            at=at,
            expires_at=override.expires_at,
            previous=json.dumps(_described(previous), sort_keys=True) if previous else None,
            run_id=run_id,
        )
    )


def _described(override: PriceOverride) -> dict[str, Any]:
    return {
        "prices": override.prices_text(),
        "reason": override.reason,
        "by": override.created_by,
        "at": override.created_at.isoformat(),
        "expires_at": override.expires_at.isoformat() if override.expires_at else None,
    }


def _where(provider: str, model_id: str) -> Any:
    table = schema.price_overrides
    return (table.c.provider == provider) & (table.c.provider_model_id == model_id)


def get(conn: Connection, provider: str, model_id: str) -> PriceOverride | None:
    row = conn.execute(select(schema.price_overrides).where(_where(provider, model_id))).first()
    return _override(row) if row else None


def set_override(
    conn: Connection, override: PriceOverride, run_id: str | None
) -> PriceOverride | None:
    """Store ``override`` (replacing the one for the same offer, if any); return the replaced."""
    previous = get(conn, override.provider, override.provider_model_id)
    table = schema.price_overrides
    if previous is None:
        conn.execute(insert(table).values(**_row(override)))
    else:
        conn.execute(
            update(table)
            .where(_where(override.provider, override.provider_model_id))
            .values(**_row(override))
        )
    _audit(conn, SET, override, override.created_by, override.created_at, run_id, previous)
    return previous


def remove_override(
    conn: Connection, provider: str, model_id: str, actor: str, run_id: str | None
) -> PriceOverride | None:
    """Delete the override of the offer and audit it; None (and no row) if there was none."""
    previous = get(conn, provider, model_id)
    if previous is None:
        return None
    conn.execute(delete(schema.price_overrides).where(_where(provider, model_id)))
    _audit(conn, REMOVE, previous, actor, dt.datetime.now(dt.UTC), run_id, previous)
    return previous


def list_overrides(conn: Connection, provider: str | None = None) -> list[PriceOverride]:
    table = schema.price_overrides
    query = select(table).order_by(table.c.provider, table.c.provider_model_id)
    if provider is not None:
        query = query.where(table.c.provider == provider)
    return [_override(row) for row in conn.execute(query)]


def record_expiries(conn: Connection, now: dt.datetime, run_id: str | None) -> list[PriceOverride]:
    """Mark overrides that expired since the last look and audit each once; return them."""
    table = schema.price_overrides
    rows = conn.execute(
        select(table).where(table.c.expires_at.is_not(None), table.c.expiry_recorded_at.is_(None))
    ).all()
    expired = []
    for row in rows:
        override = _override(row)
        if override.active(now):
            continue
        marked = conn.execute(
            update(table)
            .where(table.c.id == row.id, table.c.expiry_recorded_at.is_(None))
            .values(expiry_recorded_at=now)
        ).rowcount
        if marked:
            _audit(conn, EXPIRE, override, SYSTEM, override.expires_at or now, run_id)
            expired.append(override)
    return expired


def audit_rows(conn: Connection) -> list[dict[str, Any]]:
    table = schema.price_override_audit
    return [dict(row._mapping) for row in conn.execute(select(table).order_by(table.c.id))]


def changes_since(conn: Connection, after_id: int) -> list[tuple[int, str]]:
    """(audit id, provider) of every change after ``after_id``, oldest first."""
    table = schema.price_override_audit
    query = select(table.c.id, table.c.provider).where(table.c.id > after_id).order_by(table.c.id)
    return [(row.id, row.provider) for row in conn.execute(query)]


def overridden_ids(conn: Connection, provider: str) -> set[str]:
    """Every model id of the provider that an override ever named (from the audit)."""
    table = schema.price_override_audit
    query = select(table.c.provider_model_id).where(table.c.provider == provider).distinct()
    return set(conn.execute(query).scalars())


def changed_since_last_success(conn: Connection, provider: str) -> set[str]:
    """Model ids of the provider whose override changed (set, removed, expired) after its
    last successful sync: their stored prices may be an operator's, not the source's."""
    success = conn.execute(
        select(schema.providers.c.last_success_at).where(schema.providers.c.slug == provider)
    ).scalar_one_or_none()
    table = schema.price_override_audit
    rows = conn.execute(
        select(table.c.provider_model_id, table.c.at).where(table.c.provider == provider)
    )
    return {
        row.provider_model_id for row in rows if success is None or as_utc(row.at) > as_utc(success)
    }
