"""Audio token prices and long-context price tiers on models and price history.

Revision 0005, after 0004. ``audio_input`` / ``audio_output`` are exact USD per token like
the other prices; ``price_tiers`` is the canonical JSON text of the tiers (thresholds and
token prices as decimal strings). NULL everywhere means unknown / no tiers: the next sync
of each provider fills them where its source publishes them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

EXACT_DECIMAL = sa.Numeric().with_variant(sa.String(64), "sqlite")


def upgrade() -> None:
    for table in ("models", "price_history"):
        op.add_column(table, sa.Column("audio_input", EXACT_DECIMAL, nullable=True))
        op.add_column(table, sa.Column("audio_output", EXACT_DECIMAL, nullable=True))
        op.add_column(table, sa.Column("price_tiers", sa.Text(), nullable=True))
