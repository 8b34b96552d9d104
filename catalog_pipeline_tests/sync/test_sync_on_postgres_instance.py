"""``catalog-pipeline sync`` on the production instance config (deploy/dagster.yaml).

Before provider runs had their own processes, this hung: Dagster reconfigures logging per
run when DAGSTER_HOME has a dagster.yaml, and concurrent in-process runs in threads
deadlocked on the logging locks. A fresh PostgreSQL instance also raced on creating the
fetch pool's limit row, and re-creating an existing one failed. All are exercised here
with real CLI processes: a first sync and a second one on the same instance. The instance
adds a default pool limit to deploy/dagster.yaml (which sets none, for the daemon's sake):
that default is what makes runs create the row, and what an operator may well configure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import yaml

from catalog_pipeline.settings import dagster_postgres_env
from catalog_pipeline_tests.conftest import (
    DEFAULT_POSTGRES,
    POSTGRES_ENV,
    RECORDINGS,
    REPO,
    _postgres_database,
)

CLI = [sys.executable, "-m", "catalog_pipeline.cli", "sync", "--json"]
PROVIDERS = ["openrouter", "anthropic", "together", "groq", "deepinfra", "google"]


@pytest.fixture
def dagster_database() -> Iterator[str]:
    yield from _postgres_database(os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES)


def test_concurrent_provider_runs_on_a_fresh_postgres_instance(
    tmp_path: Path, postgres_url: str, dagster_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    config = yaml.safe_load((REPO / "deploy" / "dagster.yaml").read_text())
    config["concurrency"]["pools"] = {"default_limit": 8}
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    watchlist = tmp_path / "watchlist.csv"
    watchlist.write_text("model_id,provider,note\nclaude-sonnet-4-5-20250929,,core five\n")
    env = {
        **{k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")},
        "DAGSTER_HOME": str(home),
        **dagster_postgres_env(dagster_database),
        "CATALOG_DATABASE_URL": postgres_url,
        "CATALOG_DATA_DIR": str(tmp_path / "data"),
        "CATALOG_WATCHLIST": str(watchlist),
        "PYTHONPATH": str(REPO),
    }
    for attempt in ("first sync", "daily sync on the same instance"):
        sync = subprocess.run(
            [*CLI, "--replay", str(RECORDINGS), "--providers", ",".join(PROVIDERS)],
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert sync.returncode == 0, f"{attempt}: {sync.stderr[-3000:]}"
        report = json.loads(sync.stdout)
        statuses = {slug: p["status"] for slug, p in report["providers"].items()}
        assert statuses == dict.fromkeys(PROVIDERS, "ok"), attempt

    for name, value in env.items():
        if name.startswith("DAGSTER_PG_"):
            monkeypatch.setenv(name, value)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_run_records(dg.RunsFilter(job_name="sync_provider"))
        assert sorted(r.dagster_run.tags["dagster/partition"] for r in runs) == sorted(
            PROVIDERS * 2
        )
        assert {r.dagster_run.status for r in runs} == {dg.DagsterRunStatus.SUCCESS}
