"""The command-line contract (DESIGN.md §3), exercised as a user runs it: real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from catalog_pipeline_tests.conftest import RECORDINGS, REPO

CLI = [sys.executable, "-m", "catalog_pipeline.cli"]


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        CLI + args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def cli_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    watchlist = tmp_path / "watchlist.csv"
    watchlist.write_text("model_id,provider,note\nclaude-sonnet-4-5-20250929,,core five\n")
    env.update(
        CATALOG_WATCHLIST=str(watchlist),
        CATALOG_DATABASE_URL=database_url,
        DAGSTER_HOME=str(tmp_path / "dagster_home"),
        CATALOG_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO),
    )
    return env


def test_sync_json_contract_and_resolve(cli_env: dict[str, str], tmp_path: Path) -> None:
    providers = "openrouter,openai,anthropic,together,groq"
    sync = run(
        ["sync", "--replay", str(RECORDINGS), "--providers", providers, "--json"], cli_env, tmp_path
    )
    assert sync.returncode == 0, sync.stderr[-3000:]
    report = json.loads(sync.stdout)
    assert set(report) == {"providers", "checks", "models_table_rows", "catalog_error"}
    assert report["providers"]["anthropic"] == {"status": "ok", "models": 4, "error": None}
    assert {p["status"] for p in report["providers"].values()} == {"ok"}
    assert report["models_table_rows"] == 30
    assert report["catalog_error"] is None
    check = report["checks"][0]
    assert set(check) == {"asset", "check", "partition", "passed", "severity", "summary"}
    assert {c["check"] for c in report["checks"]} >= {"count_not_dropped", "prices_sane"}
    # per-provider checks carry their own partition; the catalog's checks have none
    partitions = {(c["asset"], c["partition"]) for c in report["checks"]}
    assert {p for a, p in partitions if a != "catalog"} == set(providers.split(","))
    assert {p for a, p in partitions if a == "catalog"} == {None}
    together = next(
        c
        for c in report["checks"]
        if (c["check"], c["partition"]) == ("count_not_dropped", "together")
    )
    assert together["summary"] == "together: 7 models; no earlier good sync to compare with"

    resolved = run(["resolve", "anthropic/claude-sonnet-4.5", "--json"], cli_env, tmp_path)
    assert resolved.returncode == 0, resolved.stderr
    answer = json.loads(resolved.stdout)
    assert answer["found"] is True
    assert answer["canonical_id"] == "anthropic/claude-sonnet-4.5"
    assert answer["match"] == "exact"
    assert answer["pricing"]["prompt"] == "0.000003"
    assert answer["pricing"]["completion"] == "0.000015"
    assert answer["context_length"] == 1_000_000

    dated = json.loads(
        run(["resolve", "claude-sonnet-4-5-20250929", "--json"], cli_env, tmp_path).stdout
    )
    assert dated["canonical_id"] == "anthropic/claude-sonnet-4.5"
    assert dated["provider_model_id"] == "claude-sonnet-4-5-20250929"

    missing = run(["resolve", "anthropic/claude-sonnet-4.6", "--json"], cli_env, tmp_path)
    assert missing.returncode == 1
    not_found = json.loads(missing.stdout)
    assert not_found["found"] is False
    assert "anthropic/claude-sonnet-4.5" in not_found["candidates"]
    assert not_found["pricing"] is None


def test_sync_reports_not_configured_and_failed_and_exits_1(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    sync = run(["sync", "--providers", "openai,groq", "--json"], cli_env, tmp_path)
    assert sync.returncode == 1
    report = json.loads(sync.stdout)
    openai = report["providers"]["openai"]
    assert openai["status"] == "not_configured" and "OPENAI_API_KEY" in openai["error"]

    empty = tmp_path / "empty-recordings"
    empty.mkdir()
    replay = run(
        ["sync", "--replay", str(empty), "--providers", "groq", "--json"], cli_env, tmp_path
    )
    assert replay.returncode == 1
    groq = json.loads(replay.stdout)["providers"]["groq"]
    assert groq["status"] == "failed" and "HTTP 404" in groq["error"] and groq["models"] == 0


def test_unknown_provider_is_a_usage_error(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run(["sync", "--providers", "nope"], cli_env, tmp_path)
    assert result.returncode == 2
    assert "unknown provider 'nope'" in result.stderr


def test_dagster_definitions_validate(tmp_path: Path) -> None:
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path))
    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
