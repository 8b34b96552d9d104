"""Providers, models, price history, snapshots and raw payloads (the first release).

Revision 0001, the first. The schema as the first migration runner created it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

EXACT_DECIMAL = sa.Numeric().with_variant(sa.String(64), "sqlite")
"""Unconstrained NUMERIC; a decimal string on SQLite (what ``ExactDecimal`` stores)."""
PRICE_FIELDS = (
    "prompt",
    "completion",
    "cache_read",
    "cache_write",
    "reasoning",
    "per_image",
    "per_input_image",
    "per_request",
    "per_web_search",
    "per_second",
)


def _prices() -> list[sa.Column]:
    return [sa.Column(name, EXACT_DECIMAL, nullable=True) for name in PRICE_FIELDS]


def _provider_id() -> sa.Column:
    return sa.Column(
        "provider_id",
        sa.Integer(),
        sa.ForeignKey("providers.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    meta = op.create_table(
        "catalog_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.create_table(
        "providers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("api_family", sa.String(64), nullable=False),
        sa.Column("list_url", sa.String(500), nullable=False),
        sa.Column("price_unit", sa.String(200), nullable=False),
        sa.Column("last_status", sa.String(32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("model_count", sa.Integer(), nullable=True),
    )
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), primary_key=True),
        _provider_id(),
        sa.Column("provider_model_id", sa.String(512), nullable=False),
        sa.Column("canonical_id", sa.String(512), nullable=False),
        sa.Column("publisher", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(300), nullable=False),
        sa.Column("model_type", sa.String(32), nullable=False),
        sa.Column("input_modalities", sa.String(200), nullable=False),
        sa.Column("output_modalities", sa.String(200), nullable=False),
        sa.Column("capabilities", sa.String(300), nullable=False),
        sa.Column("context_length", sa.Integer(), nullable=True),
        sa.Column("max_output_tokens", sa.Integer(), nullable=True),
        *_prices(),
        sa.Column("price_source", sa.String(300), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("missing_count", sa.Integer(), nullable=False),
        sa.Column("deprecation_date", sa.Date(), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("provider_id", "provider_model_id", name="uq_models_provider_model"),
    )
    op.create_index("ix_models_canonical_id", "models", ["canonical_id"])
    op.create_table(
        "price_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        _provider_id(),
        sa.Column("provider_model_id", sa.String(512), nullable=False),
        *_prices(),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_price_history_offer",
        "price_history",
        ["provider_id", "provider_model_id", "valid_from"],
    )
    op.create_table(
        "provider_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True),
        _provider_id(),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("bytes", sa.Integer(), nullable=True),
        sa.Column("model_count", sa.Integer(), nullable=True),
        sa.Column("rejected_count", sa.Integer(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_snapshots_provider_fetched", "provider_snapshots", ["provider_id", "fetched_at"]
    )
    op.create_table(
        "raw_payloads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "snapshot_id",
            sa.Integer(),
            sa.ForeignKey("provider_snapshots.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("page_index", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("content_gzip", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("snapshot_id", "page_index", name="uq_raw_payloads_page"),
    )
    op.bulk_insert(meta, [{"key": "catalog_version", "value": "0"}])
