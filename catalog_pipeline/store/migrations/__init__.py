"""Schema migrations of the catalog database, run by alembic from inside the package.

``migrate(engine)`` brings a database to the newest revision: in one transaction, under a
PostgreSQL advisory lock so that processes starting together wait for each other (SQLite
transactions are serial anyway). ``CatalogStore.engine()`` calls it once per process and
database. No ``alembic.ini`` is involved: :func:`config` builds the configuration, with
the scripts in this folder (``env.py``, ``versions/``).

Each file in ``versions/`` is the DDL of one migration exactly as it shipped, written out
with ``op`` and plain SQLAlchemy types; it never imports ``schema.py`` (which is the
*current* schema), so an old database always replays the same steps.

Databases made by the project's first migration runner (a ``schema_migrations`` table
with versions 1..3 and no ``VERSION_TABLE``) are stamped with the matching revision
(``LEGACY_REVISIONS``), their old bookkeeping table dropped, and upgraded from there.

Adding a migration:

1. Change ``store/schema.py``.
2. Add ``versions/NNNN_what_it_does.py`` with ``revision = "NNNN"`` (the next number) and
   ``down_revision`` the newest one before it, or generate the file from the template::

       python -c "from alembic import command; from catalog_pipeline.store.migrations \\
       import config; command.revision(config(), 'what it does', rev_id='NNNN')"

3. Write ``upgrade()`` by hand with ``op`` (``op.add_column``, ``op.create_table``,
   ``op.create_index``, data with ``op.execute``), spelling out every type rather than
   importing one from ``schema.py``: an exact price column is
   ``sa.Numeric().with_variant(sa.String(64), "sqlite")``, as in ``0001_initial.py``.
   SQLite alters a table only by adding columns; anything else goes through
   ``with op.batch_alter_table(...)``. Never drop or rewrite a table that holds data.
4. Set ``HEAD`` in ``catalog_pipeline_tests/store/test_migrations.py`` to the new number:
   that test then checks that head matches ``schema.py`` on SQLite and PostgreSQL and
   that older databases upgrade with their rows intact. Add rows of the new kind to its
   fixtures if the migration moves data.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "catalog_alembic_version"
"""Where alembic keeps the revision: not its default ``alembic_version``, which Dagster's
own PostgreSQL storage uses, so the two can even share one database."""

MIGRATION_LOCK_KEY = 7_406_118_301
"""The PostgreSQL advisory lock held while migrating (the same key as the old runner's)."""

LEGACY_REVISIONS = {1: "0001", 2: "0002", 3: "0003"}
"""Versions of the first runner's ``schema_migrations`` -> the revision with that schema."""

SCRIPTS = Path(__file__).resolve().parent

_IN_PROCESS = threading.Lock()
"""Alembic's ``context`` and ``op`` are module globals: one migration per process at a time."""


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for this package, handing over ``connection`` to ``env.py``."""
    from alembic.config import Config

    settings = Config(attributes={"connection": connection})
    settings.set_main_option("script_location", str(SCRIPTS))
    return settings


def newest_revision() -> str:
    """The head revision, read off the file names (``NNNN_*.py`` holds revision ``NNNN``;
    the migrations test holds every file to that and checks this against alembic's head)."""
    return max(path.name.split("_", 1)[0] for path in (SCRIPTS / "versions").glob("[0-9]*_*.py"))


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest revision.

    A database already there costs two small reads and no import of alembic (a fifth of
    a second in a process that has not imported it yet, such as ``catalog-pipeline
    resolve``).
    """
    with _IN_PROCESS, engine.begin() as conn:
        revision = _revision(conn)
        if revision == newest_revision():
            return
        from alembic import command
        from alembic.util import CommandError

        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        settings = config(conn)
        _adopt_legacy_runner(conn, settings)
        try:
            command.upgrade(settings, "head")
        except CommandError as error:
            where = engine.url.render_as_string(hide_password=True)
            raise RuntimeError(
                f"cannot migrate the catalog database at {where} from "
                f"revision {revision!r}: {error}. A newer catalog-pipeline has migrated it; "
                "run that version, or point CATALOG_DATABASE_URL at another database"
            ) from error


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _adopt_legacy_runner(conn: Connection, settings: Config) -> None:
    """Stamp a database made by the first runner with the revision of its version."""
    from alembic import command

    tables = set(inspect(conn).get_table_names())
    if "schema_migrations" not in tables or VERSION_TABLE in tables:
        return
    version = conn.execute(text("SELECT max(version) FROM schema_migrations")).scalar()
    if version is not None:
        if version not in LEGACY_REVISIONS:
            raise RuntimeError(
                f"the catalog database has schema_migrations version {version}, which no "
                f"release knows (known: {sorted(LEGACY_REVISIONS)}); it was written by "
                "another program or a newer build: restore a backup or point "
                "CATALOG_DATABASE_URL at another database"
            )
        command.stamp(settings, LEGACY_REVISIONS[version])
    conn.execute(text("DROP TABLE schema_migrations"))
