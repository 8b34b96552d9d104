"""Reference price sources: their fetches (raw file kept) and their observations.

Revision 0006, after 0005. ``reference_fetches`` logs every fetch of a source (models.dev,
LiteLLM, genai-prices) like ``provider_snapshots`` does for providers, with the gzipped
file of the newest fetches; ``reference_prices`` holds each source's latest successful
observations, one row per (source, provider, exact provider model id), prices in USD per
token. Both are new tables: nothing existing changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

EXACT_DECIMAL = sa.Numeric().with_variant(sa.String(64), "sqlite")
PRICE_FIELDS = (
    "prompt",
    "completion",
    "cache_read",
    "cache_write",
    "reasoning",
    "audio_input",
    "audio_output",
    "per_image",
    "per_input_image",
    "per_request",
    "per_web_search",
    "per_second",
)


def upgrade() -> None:
    op.create_table(
        "reference_fetches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("bytes", sa.Integer(), nullable=True),
        sa.Column("content_gzip", sa.LargeBinary(), nullable=True),
        sa.Column("observation_count", sa.Integer(), nullable=True),
        sa.Column("rejected_count", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.String(64), nullable=True),
    )
    op.create_index(
        "ix_reference_fetches_source_fetched", "reference_fetches", ["source", "fetched_at"]
    )
    op.create_table(
        "reference_prices",
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("provider", sa.String(64), primary_key=True),
        sa.Column("provider_model_id", sa.String(512), primary_key=True),
        sa.Column("source_key", sa.String(1000), nullable=False),
        *(sa.Column(name, EXACT_DECIMAL, nullable=True) for name in PRICE_FIELDS),
        sa.Column("price_tiers", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reference_prices_provider", "reference_prices", ["provider"])
