"""providers.rows_version: the catalog version at which the provider's rows last changed.

Revision 0004, after 0003. NULL (every provider here) means "not known": the next sync of
the provider reads its rows under the lock, as before, and sets it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("providers", sa.Column("rows_version", sa.Integer(), nullable=True))
