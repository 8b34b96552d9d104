"""Alembic's environment: migrations always run on the connection ``migrate`` hands over,
inside its transaction (alembic then neither begins nor commits one of its own)."""

from alembic import context

from catalog_pipeline.store.migrations import VERSION_TABLE
from catalog_pipeline.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run catalog migrations through catalog_pipeline.store.migrations.migrate(engine) "
        "or with config(connection): there is no alembic.ini and no URL here"
    )
context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
