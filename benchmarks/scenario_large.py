"""Scenario 3: one Featherless-sized provider (~17,800 models, ~50 MB in one response).

Two child processes, each measured for its own peak RSS (``wait4`` rusage):

* ``stages``: the pipeline's steps called directly, timed one by one: HTTP download
  (spooled to disk), parse (streaming ijson + per-item validation + raw gzip copy),
  normalize, write (``record_fetch`` with the raw page, then ``apply_offers``), with the
  process's VmHWM after each step;
* ``sync``: ``catalog-pipeline sync --providers featherless --json``, the real sync
  process through Dagster (IO manager pickles between steps included).

Target: peak RSS of the sync process < 500 MB.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import bench_env, fresh_database, python_child, run_child
from benchmarks.generate import FEATHERLESS_MODELS, featherless_payload
from benchmarks.result import ScenarioResult
from benchmarks.scenario_sync import replay_env

RSS_LIMIT_MB = 500


def child_stages(base_url: str) -> dict:
    from benchmarks.common import peak_rss_mb

    out: dict[str, float] = {"rss_after_import_mb": 0.0}
    from catalog_pipeline.pipeline.normalize import normalize_rows
    from catalog_pipeline.pipeline.registration import provider_rows
    from catalog_pipeline.pipeline.sync import fetch_record
    from catalog_pipeline.providers.client import BASE_URL_ENV, ProviderClient
    from catalog_pipeline.providers.fetch import fetch_provider
    from catalog_pipeline.providers.registry import PROVIDERS, get_provider
    from catalog_pipeline.store.catalog_store import CatalogStore

    store = CatalogStore()
    store.register_providers(provider_rows(PROVIDERS))
    out["rss_after_import_mb"] = peak_rss_mb()
    spec = get_provider("featherless")
    os.environ[BASE_URL_ENV] = base_url
    client = ProviderClient(require_api_keys=False)
    t0 = time.perf_counter()
    fetch = fetch_provider(client, spec)
    fetch_seconds = time.perf_counter() - t0
    out["download_seconds"] = fetch.elapsed_seconds
    out["parse_seconds"] = fetch_seconds - fetch.elapsed_seconds
    out["models"] = len(fetch.rows)
    out["rejected"] = fetch.rejected_count
    out["bytes"] = sum(p.size for p in fetch.pages)
    out["rss_after_parse_mb"] = peak_rss_mb()
    t0 = time.perf_counter()
    offers = normalize_rows(spec, fetch.rows)
    out["normalize_seconds"] = time.perf_counter() - t0
    out["rss_after_normalize_mb"] = peak_rss_mb()
    t0 = time.perf_counter()
    snapshot_id = store.record_fetch(spec.slug, fetch_record(fetch), None)
    out["write_raw_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = store.apply_offers(spec.slug, offers, snapshot_id)
    out["write_models_seconds"] = time.perf_counter() - t0
    out["rows_written"] = summary.rows_written
    out["rss_after_write_mb"] = peak_rss_mb()
    return out


def run(models: int = FEATHERLESS_MODELS) -> ScenarioResult:
    from catalog_pipeline.replay.server import ReplayServer

    result = ScenarioResult("large", f"Featherless-sized provider ({models:,} models)")
    with tempfile.TemporaryDirectory(prefix="bench-large-") as tmp_name:
        tmp = Path(tmp_name)
        target = tmp / "recordings" / "featherless" / "v1" / "models.json"
        target.parent.mkdir(parents=True)
        t0 = time.perf_counter()
        target.write_bytes(featherless_payload(models))
        result.figures["generate_seconds"] = round(time.perf_counter() - t0, 2)
        result.figures["payload_mb"] = round(target.stat().st_size / 1e6, 1)
        with ReplayServer(tmp / "recordings") as server:
            with fresh_database() as db_url:
                env = {**bench_env(tmp / "stages", db_url), **replay_env(server.url)}
                stages = run_child(
                    python_child("benchmarks.scenario_large", "--child", server.url), env=env
                )
            data = stages.json()
            with fresh_database() as db_url:
                env = {**bench_env(tmp / "sync", db_url), **replay_env(server.url)}
                sync = run_child(
                    python_child(
                        "catalog_pipeline.cli", "sync", "--providers", "featherless", "--json"
                    ),
                    env=env,
                )
            report = sync.json()
    for key in ("models", "rejected", "rows_written"):
        result.figures[f"stages_{key}"] = data[key]
    for key in (
        "download_seconds",
        "parse_seconds",
        "normalize_seconds",
        "write_raw_seconds",
        "write_models_seconds",
    ):
        result.figures[f"stages_{key}"] = round(data[key], 2)
    for key in (
        "rss_after_import_mb",
        "rss_after_parse_mb",
        "rss_after_normalize_mb",
        "rss_after_write_mb",
    ):
        result.figures[f"stages_{key}"] = round(data[key], 1)
    result.figures["stages_peak_rss_mb"] = round(stages.peak_rss_mb, 1)
    outcome = report["providers"]["featherless"]
    result.figures["sync_status"] = f"{outcome['status']} ({outcome['models']} models)"
    result.figures["sync_wall_seconds"] = round(sync.wall_seconds, 2)
    result.figures["sync_cli_process_peak_rss_mb"] = round(sync.peak_rss_mb, 1)
    result.figures["sync_largest_process_peak_rss_mb"] = round(sync.tree_peak_process_mb, 1)
    result.figures["sync_whole_tree_peak_pss_mb"] = round(sync.tree_peak_pss_mb, 1)
    largest = max(sync.peak_rss_mb, sync.tree_peak_process_mb)
    result.check(
        "peak RSS of the sync (largest of the CLI and its worker processes)",
        largest < RSS_LIMIT_MB,
        f"< {RSS_LIMIT_MB} MB",
        f"{largest:.0f} MB",
        f"{largest - RSS_LIMIT_MB:+.0f} MB vs target",
    )
    result.check(
        "memory of the whole sync process tree at its peak (PSS)",
        sync.tree_peak_pss_mb < RSS_LIMIT_MB,
        f"< {RSS_LIMIT_MB} MB",
        f"{sync.tree_peak_pss_mb:.0f} MB",
    )
    result.check(
        "peak RSS of the staged steps",
        stages.peak_rss_mb < RSS_LIMIT_MB,
        f"< {RSS_LIMIT_MB} MB",
        f"{stages.peak_rss_mb:.0f} MB",
    )
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child_stages(sys.argv[2])))
    else:
        print(run().render())
