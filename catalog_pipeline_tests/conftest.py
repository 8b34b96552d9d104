"""Shared fixtures: real payloads, the replay server, and catalog databases (SQLite and PG)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog_pipeline.providers.client import provider_base_url
from catalog_pipeline.replay.server import ReplayServer

pytest_plugins = [
    "catalog_pipeline_tests.faults.summary",
    "catalog_pipeline_tests.payload_summary",
]

REPO = Path(__file__).resolve().parent.parent
RECORDINGS = REPO / "recordings"
PAYLOADS_ENV = "CATALOG_REAL_PAYLOADS"
POSTGRES_ENV = "CATALOG_TEST_POSTGRES_URL"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that reaches the real PostgreSQL server as ``postgres`` (through the
    ``postgres_url`` fixture or a ``postgres`` parameter of ``database_url``/``instance``),
    so ``make test-fast`` can leave them out without each test saying so."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec else ()
        if "postgres_url" in getattr(item, "fixturenames", ()) or "postgres" in params:
            item.add_marker(pytest.mark.postgres)


def real_payloads_dir() -> Path:
    return Path(os.environ.get(PAYLOADS_ENV) or REPO.parent / "shared" / "payloads").resolve()


def require_real_payload(path: Path) -> Path:
    """``path`` under the real payloads folder; missing, the test skips, or fails in CI
    (``CI`` set): a CI run never goes green without its real-data checks."""
    from catalog_pipeline_tests.payload_summary import CI_ENV, in_ci

    if not path.exists():
        message = f"real payloads not found at {path}; set {PAYLOADS_ENV}"
        if in_ci():
            pytest.fail(f"{message} ({CI_ENV} is set, so this fails instead of skipping)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def real_payloads() -> Path:
    """The folder of real recorded provider payloads (``$CATALOG_REAL_PAYLOADS``)."""
    return require_real_payload(real_payloads_dir())


@pytest.fixture
def replay_server(tmp_path: Path) -> Iterator[ReplayServer]:
    """A replay server over a private copy of the sample recordings (tests may edit it).

    Every provider request of the test goes to it, as with ``--replay``: the server's URL
    is ``CATALOG_PROVIDER_BASE_URL`` for the test's duration (the environment, never run
    config, is the only way to redirect providers).
    """
    import shutil

    root = tmp_path / "recordings"
    shutil.copytree(RECORDINGS, root)
    with ReplayServer(root) as server, provider_base_url(server.url):
        yield server


def _postgres_database(base_url: str) -> Iterator[str]:
    """A fresh schema-isolated database on the real server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"catalog_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.fail(f"PostgreSQL at {base_url} is not usable: {exc}")
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        from catalog_pipeline.store.engine import engine_for

        url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
        if engine_for.cache_info().currsize:
            engine_for(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database(os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'catalog.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test using this runs on the embedded SQLite default and on real PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'catalog.db'}"
    else:
        yield from _postgres_database(os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES)
