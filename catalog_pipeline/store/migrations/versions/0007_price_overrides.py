"""Operator price overrides and their audit trail.

Revision 0007. ``price_overrides`` holds one operator price set per (provider slug, exact
provider model id), prices exact like the models table's; no foreign key to ``providers``,
so overrides outlive a flush and every reset. ``price_override_audit`` has one row per
set, remove and expiry.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
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
        "price_overrides",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("provider_model_id", sa.String(512), nullable=False),
        *(sa.Column(name, EXACT_DECIMAL, nullable=True) for name in PRICE_FIELDS),
        sa.Column("model_type", sa.String(32), nullable=True),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expiry_recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("provider", "provider_model_id", name="uq_price_overrides_offer"),
    )
    op.create_table(
        "price_override_audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("provider_model_id", sa.String(512), nullable=False),
        sa.Column("prices", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("previous", sa.Text(), nullable=True),
        sa.Column("run_id", sa.String(64), nullable=True),
    )
    op.create_index(
        "ix_price_override_audit_offer",
        "price_override_audit",
        ["provider", "provider_model_id", "at"],
    )
