"""``catalog-pipeline sync`` with reference sources, as a user runs it (real processes)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.test_cli import cli_env, run  # noqa: F401 - the fixture

pytestmark = pytest.mark.process


def test_sync_accepts_source_slugs_and_a_failing_source_blocks_no_provider(
    cli_env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    recordings = tmp_path / "recordings"
    shutil.copytree(RECORDINGS, recordings)
    shutil.rmtree(recordings / "litellm")
    sync = run(
        ["sync", "--replay", str(recordings), "--providers", "models-dev,litellm,google", "--json"],
        cli_env,
        tmp_path,
    )
    assert sync.returncode == 1, sync.stderr[-3000:]
    report = json.loads(sync.stdout)
    assert report["providers"]["models-dev"]["status"] == "ok"
    assert report["providers"]["models-dev"]["models"] == 10
    litellm = report["providers"]["litellm"]
    assert litellm["status"] == "failed" and "HTTP 404" in litellm["error"]
    assert report["providers"]["google"] == {"status": "ok", "models": 6, "error": None}
    partitions = {(c["asset"], c["partition"]) for c in report["checks"]}
    assert ("reference_prices", "models-dev") in partitions

    resolve = run(
        ["resolve", "models/gemini-2.5-flash", "--provider", "google", "--json"], cli_env, tmp_path
    )
    answer = json.loads(resolve.stdout)
    assert answer["status"] == "priced"
    assert answer["pricing"]["prompt"] == "0.0000003"
    assert answer["price_source"].startswith("prompt,completion=consensus(models-dev ")
    assert "curated:" in answer["price_source"], "models.dev and the curated row agree"
