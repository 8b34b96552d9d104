"""What an operator is told: one line per error a user can cause, quiet runs, readable files.

Every case runs the real ``catalog-pipeline`` command in a subprocess, as a user would.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from catalog_pipeline_tests.conftest import DEFAULT_POSTGRES, POSTGRES_ENV, RECORDINGS, REPO

CLI = [sys.executable, "-m", "catalog_pipeline.cli"]


def run(
    args: list[str], env: dict[str, str], cwd: Path, umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        CLI + args,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    environ.pop("CATALOG_DATABASE_URL", None)
    environ.update(
        DAGSTER_HOME=str(tmp_path / "dagster_home"),
        CATALOG_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO),
    )
    return environ


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The whole of stderr, which must be exactly one line, and exit status 2."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def admin_url() -> str:
    return os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES


@pytest.fixture
def server() -> Iterator[tuple[str, int, list[str]]]:
    """The PostgreSQL host and port, and a list of database names to drop afterwards."""
    url = make_url(admin_url())
    created: list[str] = []
    yield url.host or "127.0.0.1", url.port or 5432, created
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in created:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_a_missing_postgres_database_is_created_when_the_role_may(
    env: dict[str, str], tmp_path: Path, server: tuple[str, int, list[str]]
) -> None:
    host, port, created = server
    name = f"catalog_new_{uuid.uuid4().hex[:10]}"
    created.append(name)
    user = make_url(admin_url()).username
    env["CATALOG_DATABASE_URL"] = f"postgresql+psycopg://{user}@{host}:{port}/{name}"
    result = run(["export", "--format", "csv", "--output", "-"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"created PostgreSQL database '{name}' for the catalog",
        "csv: 0 entries from catalog version 0 to -",
    ]


@pytest.mark.postgres
def test_a_missing_database_the_role_may_not_create_is_one_line(
    env: dict[str, str], tmp_path: Path, server: tuple[str, int, list[str]]
) -> None:
    host, port, _ = server
    role = f"reader_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB'))
    try:
        env["CATALOG_DATABASE_URL"] = f"postgresql+psycopg://{role}@{host}:{port}/nowhere_db"
        line = one_line_error(run(["resolve", "gpt-4o"], env, tmp_path))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()
    assert line == (
        f"catalog-pipeline resolve: PostgreSQL database 'nowhere_db' does not exist on "
        f"{host}:{port} and user '{role}' may not create it (permission denied to create "
        'database); create it (CREATE DATABASE "nowhere_db") or point CATALOG_DATABASE_URL '
        "at an existing one"
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_database_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    port = closed_port()
    env["CATALOG_DATABASE_URL"] = f"postgresql+psycopg://catalog:s3cret@127.0.0.1:{port}/catalog"
    line = one_line_error(run(["sync", "--replay", str(RECORDINGS)], env, tmp_path))
    assert line == (
        f"catalog-pipeline sync: cannot reach the catalog database at "
        f"postgresql+psycopg://catalog:***@127.0.0.1:{port}/catalog: Connection refused; "
        "start the database server or fix the host and port in CATALOG_DATABASE_URL"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "catalog.db",
            "CATALOG_DATABASE_URL is not a database URL; expected "
            "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE or sqlite:///PATH",
        ),
        (
            "mysql://catalog:s3cret@db/catalog",
            "CATALOG_DATABASE_URL names a 'mysql' database; the catalog lives in PostgreSQL or "
            "SQLite: postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE or sqlite:///PATH",
        ),
        (
            "sqlite:////nonexistent-folder/catalog.db",
            "cannot open the SQLite catalog at sqlite:////nonexistent-folder/catalog.db: "
            "unable to open database file; make sure its folder exists and is writable, or "
            "set CATALOG_DATABASE_URL",
        ),
    ],
)
def test_a_bad_database_url_is_one_line(
    env: dict[str, str], tmp_path: Path, url: str, expected: str
) -> None:
    env["CATALOG_DATABASE_URL"] = url
    line = one_line_error(run(["resolve", "gpt-4o"], env, tmp_path))
    assert line == f"catalog-pipeline resolve: {expected}"
    assert "s3cret" not in line


def test_unknown_provider_and_missing_recordings_are_one_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    unknown = one_line_error(run(["sync", "--providers", "opneai"], env, tmp_path))
    assert unknown.startswith(
        "catalog-pipeline sync: unknown provider 'opneai'; known providers: aihubmix, aimo,"
    )
    missing = one_line_error(run(["sync", "--replay", "no-such-folder"], env, tmp_path))
    assert missing == "catalog-pipeline sync: --replay no-such-folder: no such folder of recordings"


def test_a_missing_key_is_a_summary_line_not_a_traceback(
    env: dict[str, str], tmp_path: Path
) -> None:
    result = run(["sync", "--providers", "openai"], env, tmp_path)
    assert result.returncode == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "openai  not_configured      0 models  no API key: set OPENAI_API_KEY"
    assert "models table: 0 rows" in lines
    assert not any(line.startswith("catalog refresh failed") for line in lines)


def test_sync_is_quiet_and_verbose_on_request(env: dict[str, str], tmp_path: Path) -> None:
    watchlist = tmp_path / "watchlist.csv"
    watchlist.write_text("model_id,provider,note\ndeepseek-ai/DeepSeek-V3.1,together,test\n")
    env["CATALOG_WATCHLIST"] = str(watchlist)
    quiet = run(["sync", "--replay", str(RECORDINGS), "--providers", "together"], env, tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert quiet.stdout.splitlines()[0] == "together  ok                  7 models"
    assert " - dagster - " not in quiet.stdout

    verbose = run(
        ["sync", "--replay", str(RECORDINGS), "--providers", "together", "--verbose"],
        env,
        tmp_path,
    )
    assert verbose.returncode == 0, verbose.stderr
    output = (verbose.stdout + verbose.stderr).splitlines()
    events = [line for line in output if " - dagster - INFO - " in line]
    assert any("together: 0 added, 0 repriced, 0 missing" in line for line in events), events


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_exports_get_the_usual_mode_under_the_umask(
    env: dict[str, str], tmp_path: Path, umask: int, mode: int
) -> None:
    output = tmp_path / "exports" / "models.csv"
    output.parent.mkdir()
    for _ in range(2):  # a new file, then a replaced one
        result = run(["export", "--format", "csv", "--output", str(output)], env, tmp_path, umask)
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(output.stat().st_mode) == mode
    assert [p.name for p in output.parent.iterdir()] == ["models.csv"]
