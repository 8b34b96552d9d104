"""Model last_seen_at (set on status transitions), catalog backups and the audit log.

Revision 0003, after 0002.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("models", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "catalog_backups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("row_counts", sa.Text(), nullable=False),
        sa.Column("content_gzip", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("job", sa.String(100), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("confirmation", sa.String(200), nullable=True),
        sa.Column("backup_name", sa.String(200), nullable=True),
        sa.Column("counts_before", sa.Text(), nullable=True),
        sa.Column("counts_after", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
