"""The read client that gateways import: ``Catalog.from_url(url)``.

A :class:`Catalog` keeps one immutable :class:`CatalogSnapshot` in memory: the catalog
version and every row of the models table, read together in ONE transaction (REPEATABLE
READ on PostgreSQL, a single deferred transaction on SQLite in WAL mode), so a snapshot is
always exactly one committed catalog, never a mix of an old and a new provider sync.

Every committed sync that changes rows bumps ``catalog_meta.catalog_version`` in the same
transaction as the rows (``CatalogStore.apply_offers``). The client checks that version at
most every ``refresh_interval`` seconds and reloads the rows only when it changed. While one
thread reloads, the others keep answering from the previous snapshot; a failed check keeps
the last good snapshot and is retried at the next interval (see :attr:`Catalog.last_error`).

Resolution rules live in :mod:`catalog_pipeline.domain.resolution` and only there: this
module builds a :class:`~catalog_pipeline.domain.resolution.Resolver` per snapshot and asks it;
the CLI, the catalog checks and this client share that resolver and its answer types, with
Decimal prices. There is no silent default price: :meth:`Catalog.price` answers
``"not_found"``, ``"ambiguous"`` or ``"unpriced"`` (with the reason, the alternatives and
the nearest candidates) unless the caller passes ``default=``, and then the answer says
``"default"``. Another provider's price is used only with ``fallback="any_provider"``.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import operator
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Connection, Engine, create_engine, event, select, type_coerce
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import SQLAlchemyError

from catalog_pipeline.domain.answers import (
    Alternative,
    ChosenBy,
    Fallback,
    Match,
    OfferView,
    Resolution,
    pricing_json,
)
from catalog_pipeline.domain.collector import collector_paused
from catalog_pipeline.domain.cost import Cost, CostLine, Usage, request_cost
from catalog_pipeline.domain.ids import fold_case
from catalog_pipeline.domain.resolution import Resolver
from catalog_pipeline.domain.rows import OFFER_COLUMNS, PRICE_FIELDS, TOKEN_PRICE_FIELDS, Prices
from catalog_pipeline.domain.units import decimal_str
from catalog_pipeline.settings import database_url
from catalog_pipeline.store import schema
from catalog_pipeline.store.engine import SQLITE_BUSY_TIMEOUT_MS, engine_for, safe_url
from catalog_pipeline.store.types import ExactDecimal

ALL_STATUSES = ("active", "missing", "deprecated")
READ_COLUMNS = ("provider_model_id", *OFFER_COLUMNS, "status", "first_seen_at", "changed_at")
"""The columns the read side needs, named, so a newer column added by a migration the
reader's database has not run yet (or an older reader on a newer database) still works."""
DEFAULT_REFRESH_SECONDS = 30.0

PriceStatus = Literal["priced", "unpriced", "not_found", "ambiguous", "default"]

ModelInfo = OfferView
"""An offer as :meth:`Catalog.offers` and :meth:`Catalog.list` return it (the resolver's type)."""


class CatalogUnavailable(RuntimeError):
    """The catalog database cannot be read (unreachable, or never migrated/synced)."""


@dataclass(frozen=True)
class PriceAnswer:
    """What one model costs, in Decimal USD per token (non-token units in ``prices``).

    ``status``: the resolution's (``priced``, ``unpriced``, ``not_found``, ``ambiguous``),
    or ``default`` when the caller's explicit ``default=`` was used because there was no
    price (``reason`` still says why). ``resolution`` is the whole answer: the chosen
    offer, how it matched, the alternatives and the candidates.
    """

    resolution: Resolution
    status: PriceStatus
    prices: Prices
    catalog_version: int
    default_used: bool = False

    @property
    def requested(self) -> str:
        return self.resolution.requested

    @property
    def canonical_id(self) -> str | None:
        return self.resolution.canonical_id

    @property
    def provider(self) -> str | None:
        return self.resolution.provider

    @property
    def provider_model_id(self) -> str | None:
        return self.resolution.provider_model_id

    @property
    def match(self) -> Match | None:
        return self.resolution.match

    @property
    def chosen_by(self) -> ChosenBy | None:
        return self.resolution.chosen_by

    @property
    def reason(self) -> str | None:
        reason = self.resolution.reason
        if self.default_used:
            return f"{reason}; the caller's default price was used"
        return reason

    @property
    def candidates(self) -> tuple[str, ...]:
        return self.resolution.candidates

    @property
    def alternatives(self) -> tuple[Alternative, ...]:
        return self.resolution.alternatives

    @property
    def price_source(self) -> str | None:
        if self.default_used:
            return "caller default"
        offer = self.resolution.offer
        return offer.price_source if offer is not None else None

    @property
    def prompt(self) -> Decimal | None:
        return self.prices.prompt

    @property
    def completion(self) -> Decimal | None:
        return self.prices.completion

    def as_json(self) -> dict[str, Any]:
        """The answer with prices as decimal strings, for JSON output."""
        return {
            **self.resolution.as_json(),
            "status": self.status,
            "default_used": self.default_used,
            "pricing": pricing_json(self.prices),
            "price_source": self.price_source,
            "reason": self.reason,
            "catalog_version": self.catalog_version,
        }


CostStatus = Literal["billed", "unknown_price", "not_found", "ambiguous"]

COST_EXIT_CODES: dict[str, int] = {
    "billed": 0,
    "not_found": 1,
    "unknown_price": 3,
    "ambiguous": 4,
}
"""Process exit code per cost status (``catalog-pipeline cost``): resolve's codes, with 3
meaning "a quantity used has no known price" (a wholly unpriced offer is that case too)."""


@dataclass(frozen=True)
class CostAnswer:
    """The bill of one request: which offer served it (the same resolution as
    :meth:`Catalog.resolve`) and its lines. ``total_usd`` is None unless every quantity
    used has a known price; ``unknown`` names the ones that have none (never billed as 0).
    """

    resolution: Resolution
    usage: Usage
    bill: Cost | None
    catalog_version: int

    @property
    def status(self) -> CostStatus:
        if self.resolution.status in ("not_found", "ambiguous"):
            return self.resolution.status
        return "unknown_price" if self.unknown else "billed"

    @property
    def exit_code(self) -> int:
        return COST_EXIT_CODES[self.status]

    @property
    def found(self) -> bool:
        return self.resolution.found

    @property
    def provider(self) -> str | None:
        return self.resolution.provider

    @property
    def provider_model_id(self) -> str | None:
        return self.resolution.provider_model_id

    @property
    def tier_above_prompt_tokens(self) -> int | None:
        return self.bill.tier_above_prompt_tokens if self.bill is not None else None

    @property
    def lines(self) -> tuple[CostLine, ...]:
        return self.bill.lines if self.bill is not None else ()

    @property
    def unknown(self) -> tuple[str, ...]:
        return self.bill.unknown if self.bill is not None else ()

    @property
    def total_usd(self) -> Decimal | None:
        return self.bill.total_usd if self.bill is not None else None

    @property
    def reason(self) -> str | None:
        if self.unknown:
            return "no known price for " + "; ".join(self.unknown)
        return self.resolution.reason

    def as_json(self) -> dict[str, Any]:
        """The bill with amounts as decimal strings (``catalog-pipeline cost --json``)."""
        tier = self.tier_above_prompt_tokens
        return {
            "requested": self.resolution.requested,
            "found": self.found,
            "status": self.status,
            "canonical_id": self.resolution.canonical_id,
            "provider": self.provider,
            "provider_model_id": self.provider_model_id,
            "match": self.resolution.match,
            "tier": None if tier is None else {"above_prompt_tokens": tier},
            "total_usd": decimal_str(self.total_usd),
            "lines": [
                {
                    "item": line.item,
                    "quantity": decimal_str(line.quantity),
                    "unit_price": decimal_str(line.unit_price),
                    "price": line.price,
                    "usd": decimal_str(line.usd),
                }
                for line in self.lines
            ],
            "unknown": list(self.unknown),
            "usage": {
                name: decimal_str(Decimal(value))
                for name, value in self.usage.model_dump().items()
                if value
            },
            "price_source": self.resolution.offer.price_source
            if self.resolution.offer is not None
            else None,
            "reason": self.reason,
            "alternatives": [alternative.as_json() for alternative in self.resolution.alternatives],
            "candidates": list(self.resolution.candidates),
            "catalog_version": self.catalog_version,
        }


@dataclass(frozen=True)
class CatalogSnapshot:
    """One committed catalog: its version, its rows and the resolver built from them."""

    version: int
    rows: tuple[dict[str, Any], ...]
    loaded_at: dt.datetime
    resolver: Resolver = field(repr=False)

    @property
    def models(self) -> tuple[OfferView, ...]:
        return self.resolver.offers

    @classmethod
    def build(cls, version: int, rows: Sequence[dict[str, Any]]) -> CatalogSnapshot:
        return cls(
            version=version,
            rows=tuple(rows),
            loaded_at=dt.datetime.now(dt.UTC),
            resolver=Resolver(rows),
        )


def read_version(conn: Connection) -> int:
    value = conn.execute(
        select(schema.catalog_meta.c.value).where(schema.catalog_meta.c.key == "catalog_version")
    ).scalar_one()
    return int(value)


def read_rows(conn: Connection, statuses: Iterable[str] = ALL_STATUSES) -> list[dict[str, Any]]:
    """Every offer in ``statuses`` with its provider slug (the shape the Resolver reads).

    Prices are fetched raw and converted by the store's own :class:`ExactDecimal` once
    per distinct value, and rows are zipped with the column names once: per-cell type
    processing and ``RowMapping`` cost more than the query on a catalog of 20,000 offers.
    """
    models = schema.models
    raw_price = ExactDecimal().load_dialect_impl(conn.dialect)
    columns = [
        type_coerce(models.c[name], raw_price).label(name)
        if name in PRICE_FIELDS
        else models.c[name]
        for name in READ_COLUMNS
    ]
    query = (
        select(*columns, schema.providers.c.slug.label("provider"))
        .join(schema.providers)
        .where(models.c.status.in_(tuple(statuses)))
        .order_by(schema.providers.c.slug, models.c.provider_model_id)
    )
    result = conn.execute(query)
    keys = tuple(result.keys())
    exact = _ExactPrices(conn.dialect).__getitem__
    rows = []
    for values in result:
        row = dict(zip(keys, values, strict=True))
        row.update(zip(PRICE_FIELDS, map(exact, _RAW_PRICES(row)), strict=True))
        rows.append(row)
    return rows


_RAW_PRICES = operator.itemgetter(*PRICE_FIELDS)


class _ExactPrices(dict[Any, Decimal | None]):
    """Raw price -> what ``ExactDecimal`` reads it as, converted once per distinct value."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__({None: None})
        self._dialect = dialect
        self._type = ExactDecimal()

    def __missing__(self, raw: Any) -> Decimal | None:
        value = self[raw] = self._type.process_result_value(raw, self._dialect)
        return value


def read_snapshot(engine: Engine, statuses: Iterable[str] = ALL_STATUSES) -> CatalogSnapshot:
    """The version and the rows of one committed catalog, read in one transaction."""
    with collector_paused():
        with consistent_read(engine) as conn:
            version = read_version(conn)
            rows = read_rows(conn, statuses)
        return CatalogSnapshot.build(version, rows)


@contextlib.contextmanager
def consistent_read(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction that sees one committed state for all its statements."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        transaction = conn.begin()
        try:
            yield conn
        finally:
            transaction.rollback()  # read-only: nothing to commit


def reader_engine(url: str) -> Engine:
    """An engine for reading.

    PostgreSQL shares the project's pooled engine. SQLite gets its own engine whose
    transactions start with a deferred ``BEGIN``: in WAL mode the whole transaction reads
    one snapshot and neither blocks a writer nor waits for one (the store's engine starts
    every transaction with ``BEGIN IMMEDIATE``, which would queue readers behind syncs).
    """
    if make_url(url).get_backend_name() != "sqlite":
        return engine_for(url)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


class Catalog:
    """A thread-safe, version-cached view of the catalog for gateways.

    >>> catalog = Catalog.from_url("postgresql+psycopg://reader@db/catalog")
    >>> catalog.price("claude-sonnet-4-5-20250929").prompt
    Decimal('0.000003')
    """

    def __init__(
        self,
        engine: Engine,
        *,
        refresh_interval: float = DEFAULT_REFRESH_SECONDS,
        owns_engine: bool = False,
        clock: Any = time.monotonic,
    ) -> None:
        if refresh_interval < 0:
            raise ValueError("refresh_interval must be >= 0 seconds")
        self.engine = engine
        self.refresh_interval = refresh_interval
        self.reloads = 0
        self.version_checks = 0
        self.last_error: str | None = None
        self._owns_engine = owns_engine
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot: CatalogSnapshot | None = None
        self._checked_at = 0.0

    @classmethod
    def from_url(
        cls, url: str | None = None, *, refresh_interval: float = DEFAULT_REFRESH_SECONDS
    ) -> Catalog:
        """A client for the catalog at ``url`` (default ``$CATALOG_DATABASE_URL``, else the
        embedded SQLite file). The first read loads the catalog; later reads check the
        version at most every ``refresh_interval`` seconds (0: on every call)."""
        resolved = database_url(url)
        sqlite = make_url(resolved).get_backend_name() == "sqlite"
        return cls(reader_engine(resolved), refresh_interval=refresh_interval, owns_engine=sqlite)

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Catalog({safe_url(str(self.engine.url))!r}, version={self.version})"

    # freshness ---------------------------------------------------------------------------

    @property
    def version(self) -> int | None:
        """The catalog version currently served (None before the first load)."""
        return self._snapshot.version if self._snapshot else None

    def snapshot(self) -> CatalogSnapshot:
        """The current snapshot, reloaded first if the interval passed and the version moved.

        A caller that needs several answers from one catalog reads them from one snapshot.
        """
        current = self._snapshot
        if current is not None and self._clock() - self._checked_at < self.refresh_interval:
            return current
        if current is None:
            with self._lock:
                if self._snapshot is None:
                    self._refresh_locked(force=True)
                return self._require_snapshot()
        if not self._lock.acquire(blocking=False):
            return current  # another thread is checking; serve the catalog we have
        try:
            if self._clock() - self._checked_at >= self.refresh_interval:
                self._refresh_locked(force=False)
        finally:
            self._lock.release()
        return self._require_snapshot()

    def refresh(self, force: bool = False) -> int:
        """Check the version now (reload when it moved, or always with ``force``)."""
        with self._lock:
            self._refresh_locked(force=force or self._snapshot is None)
        return self._require_snapshot().version

    def _require_snapshot(self) -> CatalogSnapshot:
        if self._snapshot is None:
            raise CatalogUnavailable(self.last_error or "catalog not loaded")
        return self._snapshot

    def _refresh_locked(self, force: bool) -> None:
        try:
            if not force and self._snapshot is not None:
                with consistent_read(self.engine) as conn:
                    version = read_version(conn)
                self.version_checks += 1
                if version == self._snapshot.version:
                    self._checked_at = self._clock()
                    self.last_error = None
                    return
            snapshot = read_snapshot(self.engine)
        except SQLAlchemyError as exc:
            where = safe_url(str(self.engine.url))
            cause = getattr(exc, "orig", None) or exc
            self.last_error = f"cannot read the catalog at {where}: {type(cause).__name__}: {cause}"
            self._checked_at = self._clock()
            if self._snapshot is None:
                raise CatalogUnavailable(
                    f"{self.last_error} (has `catalog-pipeline sync` run against it?)"
                ) from exc
            return
        self._snapshot = snapshot
        self._checked_at = self._clock()
        self.reloads += 1
        self.last_error = None

    # questions ---------------------------------------------------------------------------

    def resolve(
        self, model_id: str, provider: str | None = None, *, fallback: Fallback = "none"
    ) -> Resolution:
        """Which offer ``model_id`` is (rules: the Resolver's; a named provider binds)."""
        return self.snapshot().resolver.resolve(model_id, provider, fallback=fallback)

    def price(
        self,
        model_id: str,
        provider: str | None = None,
        *,
        default: Prices | None = None,
        fallback: Fallback = "none",
    ) -> PriceAnswer:
        """What ``model_id`` costs. Never a silent default: ``default=`` is explicit, and an
        answer that used it has ``status == "default"`` and ``default_used``; another
        provider's price only with ``fallback="any_provider"`` (``match`` says so)."""
        snap = self.snapshot()
        resolution = snap.resolver.resolve(model_id, provider, fallback=fallback)
        prices = resolution.prices or Prices()
        if resolution.status == "priced" or default is None:
            return PriceAnswer(resolution, resolution.status, prices, snap.version)
        return PriceAnswer(resolution, "default", default, snap.version, default_used=True)

    def cost(
        self,
        model_id: str,
        usage: Usage,
        provider: str | None = None,
        *,
        fallback: Fallback = "none",
    ) -> CostAnswer:
        """The bill of one request that used ``usage`` on ``model_id`` (resolved exactly as
        :meth:`resolve`). Rules in :mod:`catalog_pipeline.domain.cost`: the tier is chosen
        on the whole prompt, and a quantity without a known price leaves the total unknown
        and is named, never billed as 0."""
        snap = self.snapshot()
        resolution = snap.resolver.resolve(model_id, provider, fallback=fallback)
        offer = resolution.offer if resolution.status not in ("not_found", "ambiguous") else None
        bill = request_cost(offer.prices, usage) if offer is not None else None
        return CostAnswer(resolution, usage, bill, snap.version)

    def offers(self, canonical_id: str, *, include_inactive: bool = False) -> list[OfferView]:
        """Every provider's offer of one canonical model, cheapest first.

        Order: priced offers by prompt price, then completion price, then provider; offers
        with no known prompt price last. Only ``active`` offers unless ``include_inactive``.
        """
        found = self.snapshot().resolver.offers_of(fold_case(canonical_id.strip()))
        if not include_inactive:
            found = tuple(m for m in found if m.status == "active")
        return sorted(found, key=_cheapest_first)

    def list(
        self,
        *,
        provider: str | None = None,
        modality: str | None = None,
        input_modality: str | None = None,
        output_modality: str | None = None,
        capability: str | None = None,
        model_type: str | None = None,
        status: str | None = "active",
        publisher: str | None = None,
    ) -> builtins.list[OfferView]:
        """Offers matching every given filter (``modality`` matches input or output;
        ``status=None`` means any status), ordered by provider and model id."""
        snap = self.snapshot()
        result = []
        for model in snap.models:
            if provider is not None and model.provider != provider:
                continue
            if status is not None and model.status != status:
                continue
            if model_type is not None and model.model_type != model_type:
                continue
            if publisher is not None and model.publisher != publisher:
                continue
            if capability is not None and capability not in model.capabilities:
                continue
            if input_modality is not None and input_modality not in model.input_modalities:
                continue
            if output_modality is not None and output_modality not in model.output_modalities:
                continue
            if modality is not None and modality not in (
                model.input_modalities + model.output_modalities
            ):
                continue
            result.append(model)
        return result


def _cheapest_first(model: OfferView) -> tuple[Any, ...]:
    def key(name: str) -> tuple[int, Decimal]:
        value = model.price(name)
        return (1, Decimal(0)) if value is None else (0, value)

    return (
        *(key(name) for name in TOKEN_PRICE_FIELDS[:2]),
        model.provider,
        model.provider_model_id,
    )
