"""The catalog database schema (SQLAlchemy Core), current version.

Changed only together with a new migration in :mod:`catalog_pipeline.store.migrations`,
whose test checks that the migrated database and this module agree.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from catalog_pipeline.domain.limits import (
    MAX_CAPABILITIES_LENGTH,
    MAX_ID_LENGTH,
    MAX_MODALITIES_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PRICE_SOURCE_LENGTH,
    MAX_PUBLISHER_LENGTH,
)
from catalog_pipeline.domain.rows import PRICE_FIELDS
from catalog_pipeline.store.types import ExactDecimal

metadata = MetaData()


def _price_columns() -> list[Column]:
    """Every price of an offer: exact decimals, and the long-context tiers as canonical JSON
    text (``domain.rows.tiers_text``), in ``PRICE_COLUMN_NAMES`` order."""
    return [
        *(Column(name, ExactDecimal(), nullable=True) for name in PRICE_FIELDS),
        Column("price_tiers", Text(), nullable=True),
    ]


catalog_meta = Table(
    "catalog_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

providers = Table(
    "providers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("api_family", String(64), nullable=False),
    Column("list_url", String(500), nullable=False),
    Column("price_unit", String(200), nullable=False),
    Column("last_status", String(32), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("last_attempt_at", DateTime(timezone=True), nullable=True),
    Column("last_success_at", DateTime(timezone=True), nullable=True),
    Column("model_count", Integer, nullable=True),
    Column("rows_version", Integer, nullable=True),
)

models = Table(
    "models",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "provider_id",
        Integer,
        ForeignKey("providers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("provider_model_id", String(MAX_ID_LENGTH), nullable=False),
    Column("canonical_id", String(MAX_ID_LENGTH), nullable=False),
    Column("publisher", String(MAX_PUBLISHER_LENGTH), nullable=False),
    Column("display_name", String(MAX_NAME_LENGTH), nullable=False),
    Column("model_type", String(32), nullable=False),
    Column("input_modalities", String(MAX_MODALITIES_LENGTH), nullable=False),
    Column("output_modalities", String(MAX_MODALITIES_LENGTH), nullable=False),
    Column("capabilities", String(MAX_CAPABILITIES_LENGTH), nullable=False),
    Column("context_length", Integer, nullable=True),
    Column("max_output_tokens", Integer, nullable=True),
    *_price_columns(),
    Column("price_source", String(MAX_PRICE_SOURCE_LENGTH), nullable=False),
    Column("status", String(16), nullable=False),
    Column("missing_count", Integer, nullable=False),
    Column("deprecation_date", Date, nullable=True),
    Column("content_hash", String(64), nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("provider_id", "provider_model_id", name="uq_models_provider_model"),
    Index("ix_models_canonical_id", "canonical_id"),
)

price_history = Table(
    "price_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "provider_id",
        Integer,
        ForeignKey("providers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("provider_model_id", String(MAX_ID_LENGTH), nullable=False),
    *_price_columns(),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("valid_to", DateTime(timezone=True), nullable=True),
    Index("ix_price_history_offer", "provider_id", "provider_model_id", "valid_from"),
)

provider_snapshots = Table(
    "provider_snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "provider_id",
        Integer,
        ForeignKey("providers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("run_id", String(64), nullable=True),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Column("status", String(32), nullable=False),
    Column("error", Text, nullable=True),
    Column("sha256", String(64), nullable=True),
    Column("bytes", Integer, nullable=True),
    Column("model_count", Integer, nullable=True),
    Column("rejected_count", Integer, nullable=True),
    Column("applied_at", DateTime(timezone=True), nullable=True),
    Index("ix_snapshots_provider_fetched", "provider_id", "fetched_at"),
)

raw_payloads = Table(
    "raw_payloads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "snapshot_id",
        Integer,
        ForeignKey("provider_snapshots.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("page_index", Integer, nullable=False),
    Column("url", String(2000), nullable=False),
    Column("http_status", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("bytes", Integer, nullable=False),
    Column("content_gzip", LargeBinary, nullable=False),
    UniqueConstraint("snapshot_id", "page_index", name="uq_raw_payloads_page"),
)

alert_state = Table(
    "alert_state",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("state", String(32), nullable=False),
    Column("detail", Text, nullable=True),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("run_id", String(64), nullable=True),
)

catalog_backups = Table(
    "catalog_backups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("run_id", String(64), nullable=True),
    Column("row_counts", Text, nullable=False),
    Column("content_gzip", LargeBinary, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job", String(100), nullable=False),
    Column("run_id", String(64), nullable=True),
    Column("confirmation", String(200), nullable=True),
    Column("backup_name", String(200), nullable=True),
    Column("counts_before", Text, nullable=True),
    Column("counts_after", Text, nullable=True),
    Column("outcome", String(32), nullable=False),
    Column("detail", Text, nullable=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)

price_overrides = Table(
    "price_overrides",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("provider", String(64), nullable=False),
    Column("provider_model_id", String(512), nullable=False),
    *(Column(name, ExactDecimal(), nullable=True) for name in PRICE_FIELDS),
    Column("model_type", String(32), nullable=True),
    Column("reason", String(200), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("expiry_recorded_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("provider", "provider_model_id", name="uq_price_overrides_offer"),
)
"""Operator prices by provider slug and exact model id; no foreign key, so they outlive a
flush of the providers and every rebuild of the models table."""

price_override_audit = Table(
    "price_override_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(16), nullable=False),
    Column("provider", String(64), nullable=False),
    Column("provider_model_id", String(512), nullable=False),
    Column("prices", Text, nullable=False),
    Column("reason", String(200), nullable=True),
    Column("actor", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("previous", Text, nullable=True),
    Column("run_id", String(64), nullable=True),
    Index("ix_price_override_audit_offer", "provider", "provider_model_id", "at"),
)
"""One row per set, remove and expiry of an override (prices as JSON decimal strings)."""

reference_fetches = Table(
    "reference_fetches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(64), nullable=False),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Column("status", String(32), nullable=False),
    Column("error", Text, nullable=True),
    Column("url", String(2000), nullable=True),
    Column("http_status", Integer, nullable=True),
    Column("sha256", String(64), nullable=True),
    Column("bytes", Integer, nullable=True),
    Column("content_gzip", LargeBinary, nullable=True),
    Column("observation_count", Integer, nullable=True),
    Column("rejected_count", Integer, nullable=True),
    Column("run_id", String(64), nullable=True),
    Index("ix_reference_fetches_source_fetched", "source", "fetched_at"),
)

reference_prices = Table(
    "reference_prices",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("provider", String(64), primary_key=True),
    Column("provider_model_id", String(512), primary_key=True),
    Column("source_key", String(1000), nullable=False),
    *_price_columns(),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Index("ix_reference_prices_provider", "provider"),
)
