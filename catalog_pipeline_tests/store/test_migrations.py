"""Alembic migrations on SQLite and real PostgreSQL: old databases upgrade with their rows,
databases of the first runner are adopted, head equals ``schema.py``, and processes that
start together migrate once."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from catalog_pipeline.domain.rows import Offer, Prices
from catalog_pipeline.store import schema
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.engine import engine_for
from catalog_pipeline.store.migrations import (
    MIGRATION_LOCK_KEY,
    SCRIPTS,
    VERSION_TABLE,
    config,
    migrate,
    newest_revision,
)
from catalog_pipeline.store.records import ProviderRow

HEAD = "0006"
AT = dt.datetime(2026, 11, 20, 5, 30, tzinfo=dt.UTC)
TINY = "0.000000000123456789012"


def upgrade_to(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        command.upgrade(config(conn), revision)


def as_the_first_runner_left_it(engine: Engine, versions: list[int]) -> None:
    """Swap alembic's bookkeeping for the first runner's: ``schema_migrations`` as it made
    it, with a row per version applied, and no alembic version table."""
    legacy = sa.MetaData()
    table = sa.Table(
        "schema_migrations",
        legacy,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {VERSION_TABLE}"))
        legacy.create_all(conn)
        for version in versions:
            conn.execute(
                table.insert().values(version=version, description=f"v{version}", applied_at=AT)
            )


def revision_of(conn: Connection) -> str | None:
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def insert(conn: Connection, table: str, **values: object) -> None:
    """A row written as SQL of its day: timestamps bound as such, everything else literal
    text (price strings land exactly in NUMERIC and in SQLite's text columns alike)."""
    columns = [
        sa.column(name, sa.DateTime(timezone=True) if isinstance(value, dt.datetime) else None)
        for name, value in values.items()
    ]
    conn.execute(sa.table(table, *columns).insert().values(**values))


def first_release_rows(conn: Connection) -> None:
    """A provider with one model, its price history, a fetch and its raw page."""
    insert(
        conn,
        "providers",
        id=1,
        slug="groq",
        name="Groq",
        api_family="openai-compatible",
        list_url="https://api.groq.com/openai/v1/models",
        price_unit="USD per million tokens",
        last_status="ok",
        last_success_at=AT,
        model_count=1,
    )
    model = {"provider_id": 1, "provider_model_id": "Llama-3.3-70B", "prompt": TINY}
    insert(
        conn,
        "models",
        id=1,
        **model,
        canonical_id="meta/llama-3.3-70b",
        publisher="meta",
        display_name="Llama 3.3 70B",
        model_type="chat",
        input_modalities="text",
        output_modalities="text",
        capabilities="tools",
        context_length=131072,
        completion="0.00000079",
        price_source="provider_api",
        status="active",
        missing_count=0,
        content_hash="0" * 64,
        first_seen_at=AT,
        changed_at=AT,
    )
    insert(conn, "price_history", id=1, **model, completion="0.00000079", valid_from=AT)
    insert(conn, "provider_snapshots", id=1, provider_id=1, fetched_at=AT, status="applied")
    insert(
        conn,
        "raw_payloads",
        id=1,
        snapshot_id=1,
        page_index=0,
        url="https://api.groq.com/openai/v1/models",
        http_status=200,
        sha256="a" * 64,
        bytes=12,
        content_gzip=b"\x1f\x8b raw page",
    )
    conn.execute(text("UPDATE catalog_meta SET value = '7' WHERE key = 'catalog_version'"))


def assert_first_release_rows_intact(store: CatalogStore) -> None:
    (row,) = store.offers(("active", "missing", "deprecated"))
    assert (row["provider"], row["provider_model_id"]) == ("groq", "Llama-3.3-70B")
    assert row["prompt"] == Decimal(TINY) and row["completion"] == Decimal("0.00000079")
    assert (row["context_length"], row["capabilities"]) == (131072, "tools")
    assert store.catalog_version() == 7
    (state,) = store.provider_states()
    assert (state["slug"], state["last_status"], state["rows_version"]) == ("groq", "ok", None)
    with store.engine().connect() as conn:
        assert conn.execute(text("SELECT prompt FROM price_history")).scalar() is not None
        assert conn.execute(text("SELECT content_gzip FROM raw_payloads")).scalar() == (
            b"\x1f\x8b raw page"
        )


def schema_differences(engine: Engine) -> list[object]:
    """What differs between the database and ``schema.metadata``: alembic's comparison of
    tables, columns, indexes, keys and constraints, plus each column's type as the
    dialect spells it and its nullability (alembic takes NUMERIC(38, 20) for NUMERIC)."""
    with engine.connect() as conn:
        opts = {"compare_type": True, "version_table": VERSION_TABLE}
        context = MigrationContext.configure(conn, opts=opts)
        found: list[object] = list(compare_metadata(context, schema.metadata))
        dialect, inspector = conn.dialect, inspect(conn)
        expected = {
            (table.name, column.name): (column.type.compile(dialect=dialect), column.nullable)
            for table in schema.metadata.sorted_tables
            for column in table.columns
        }
        actual = {
            (table, column["name"]): (column["type"].compile(dialect=dialect), column["nullable"])
            for table in inspector.get_table_names()
            if table != VERSION_TABLE
            for column in inspector.get_columns(table)
        }
    found += sorted(
        (key, expected.get(key), actual.get(key))
        for key in expected.keys() | actual.keys()
        if expected.get(key) != actual.get(key)
    )
    return found


def test_head_is_the_newest_file_and_every_file_names_its_revision() -> None:
    """``migrate`` reads the head off the file names: each file holds the revision its
    name starts with, after the one before it, in one line of history."""
    script = ScriptDirectory.from_config(config())
    assert script.get_heads() == [newest_revision()] == [HEAD]
    files = sorted((SCRIPTS / "versions").glob("*.py"))
    previous = None
    for path in files:
        source = path.read_text()
        assert re.search(rf'^revision = "{path.name[:4]}"$', source, re.M), path.name
        assert re.search(rf"^down_revision = {previous!r}$".replace("'", '"'), source, re.M), (
            path.name
        )
        assert "catalog_pipeline" not in source, f"{path.name} must not import the project"
        previous = path.name[:4]


def test_a_new_database_is_migrated_to_head_and_equals_the_schema(database_url: str) -> None:
    engine = engine_for(database_url)
    upgrade_to(engine, "0003")
    assert schema_differences(engine), "the comparison must see a database behind the code"
    migrate(engine)
    migrate(engine)
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        assert revision_of(conn) == HEAD
        meta = conn.execute(text("SELECT key, value FROM catalog_meta")).all()
    assert [tuple(row) for row in meta] == [("catalog_version", "0")]


def test_a_database_shared_with_dagster_keeps_both_revisions(database_url: str) -> None:
    """Dagster's PostgreSQL storage keeps its alembic revision in ``alembic_version``; the
    catalog keeps its own apart, so one database can hold both."""
    engine = engine_for(database_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('16e3655b4d9b')"))
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "16e3655b4d9b"
        )
        assert revision_of(conn) == HEAD
        assert inspect(conn).has_table("models")


@pytest.mark.parametrize("bookkeeping", ["first runner", "alembic"])
def test_a_first_release_database_upgrades_with_its_rows_intact(
    database_url: str, bookkeeping: str
) -> None:
    engine = engine_for(database_url)
    upgrade_to(engine, "0001")
    with engine.begin() as conn:
        first_release_rows(conn)
    if bookkeeping == "first runner":
        as_the_first_runner_left_it(engine, [1])
    store = CatalogStore(database_url=database_url)
    assert_first_release_rows_intact(store)
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        assert revision_of(conn) == HEAD
    store.register_providers(
        [ProviderRow("groq", "Groq", "openai-compatible", "https://x.invalid/v1", "USD")]
    )
    summary = store.apply_offers(
        "groq",
        [
            Offer(
                provider="groq",
                provider_model_id="Llama-3.3-70B",
                canonical_id="meta/llama-3.3-70b",
                publisher="meta",
                display_name="Llama 3.3 70B",
                prices=Prices(prompt=Decimal(TINY), completion=Decimal("0.00000079")),
            )
        ],
        None,
    )
    assert (summary.added, summary.updated, summary.catalog_version) == ([], ["Llama-3.3-70B"], 8)


def test_a_database_of_the_first_runner_at_version_3_is_stamped_not_recreated(
    database_url: str,
) -> None:
    engine = engine_for(database_url)
    upgrade_to(engine, "0003")
    with engine.begin() as conn:
        first_release_rows(conn)
        insert(conn, "alert_state", key="check:x:groq", state="failing", changed_at=AT)
        insert(
            conn,
            "audit_log",
            id=1,
            job="flush_models",
            outcome="succeeded",
            started_at=AT,
        )
    as_the_first_runner_left_it(engine, [1, 2, 3])

    store = CatalogStore(database_url=database_url)
    assert_first_release_rows_intact(store)
    with engine.connect() as conn:
        assert revision_of(conn) == HEAD
        assert conn.execute(text("SELECT state FROM alert_state")).scalar() == "failing"
        assert conn.execute(text("SELECT job FROM audit_log")).scalar() == "flush_models"
        assert not inspect(conn).has_table("schema_migrations")
    assert schema_differences(engine) == []


def test_an_unknown_version_of_the_first_runner_is_refused(sqlite_url: str) -> None:
    engine = engine_for(sqlite_url)
    upgrade_to(engine, "0003")
    as_the_first_runner_left_it(engine, [1, 2, 3, 9])
    with pytest.raises(RuntimeError, match="schema_migrations version 9"):
        migrate(engine)
    with engine.connect() as conn:
        assert inspect(conn).has_table("schema_migrations")
        assert not inspect(conn).has_table(VERSION_TABLE)


MIGRATE_CHILD = """
import sys, time
from catalog_pipeline.store.engine import engine_for
from catalog_pipeline.store.migrations import migrate
engine = engine_for(sys.argv[1])
with engine.connect():
    pass
print("ready", flush=True)
migrate(engine)
print("migrated", flush=True)
"""


@pytest.mark.postgres
def test_processes_starting_together_migrate_once(postgres_url: str, tmp_path: Path) -> None:
    """Both wait on the advisory lock the test holds, then both succeed: one migrates, the
    other finds head. They run from a folder with no alembic.ini in it."""
    holder = sa.create_engine(postgres_url)
    with holder.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        lock.commit()
        children = [
            subprocess.Popen(
                [sys.executable, "-c", MIGRATE_CHILD, postgres_url],
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        deadline = time.monotonic() + 60
        waiting = 0
        while waiting < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
            waiting = lock.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = "
                    "current_database())"
                )
            ).scalar_one()
            lock.commit()
        lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        lock.commit()
    holder.dispose()
    outputs = [child.communicate(timeout=120) for child in children]
    assert waiting == 2, outputs
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert out.split() == ["ready", "migrated"]
    engine = engine_for(postgres_url)
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM catalog_meta")).scalar() == 1
        assert revision_of(conn) == HEAD


def test_threads_of_one_process_migrate_once(database_url: str) -> None:
    """Alembic's ``context`` is a module global: threads must take turns, and all succeed."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    engine = engine_for(database_url)
    start = Barrier(4)

    def run(_: int) -> None:
        start.wait()
        migrate(engine)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(run, range(4)))
    assert schema_differences(engine) == []
