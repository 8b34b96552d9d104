"""Scenario 1: full sync of the whole roster over a replay server with realistic latency.

``catalog-pipeline sync --json`` runs in a child process against a generated recordings
folder served by :class:`ReplayServer` with a per-request latency per provider (0.2 to
3 s, paid per page), twice per Dagster instance (SQLite default, PostgreSQL deploy config):
a first sync from nothing and the daily case on the same catalog. In the same run a
sequential baseline fetches the same providers one after another.
Target: sync wall time <= slowest provider's total latency + 15 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import (
    bench_env,
    fresh_database,
    postgres_instance_env,
    python_child,
    run_child,
    summarize_dump,
)
from benchmarks.generate import roster_latency, roster_recordings
from benchmarks.result import ScenarioResult

SLACK_SECONDS = 15.0
SYNC_TIMEOUT = 300.0
INSTANCES = {
    "sqlite": "CLI default: SQLite instance in DAGSTER_HOME",
    "postgres": "DAGSTER_HOME with deploy/dagster.yaml on PostgreSQL",
}


def replay_env(server_url: str) -> dict[str, str]:
    """Point every provider at the replay server, with a placeholder key for each."""
    from catalog_pipeline.providers.client import BASE_URL_ENV
    from catalog_pipeline.providers.registry import PROVIDERS

    env = {BASE_URL_ENV: server_url}
    for spec in PROVIDERS:
        env[spec.default_key_env] = "bench-placeholder-key"
    return env


RUNS = {
    "first": "first sync: fresh catalog and instance, no run history",
    "daily": "second sync on the same catalog and instance: unchanged upstream, run history",
}


def _sync_twice(tmp: Path, server_url: str, instance: str) -> dict:
    """``catalog-pipeline sync --json`` twice on one fresh catalog database and instance.

    The first sync starts from nothing (every provider is new, no run history orders the
    workers); the second is the daily case: the same upstream, so no model row changes, and
    the previous runs' durations decide which providers start first.
    """
    outcomes = {}
    with fresh_database() as db_url, fresh_database("dagster_bench") as dagster_db:
        env = {**bench_env(tmp, db_url), **replay_env(server_url)}
        if instance == "postgres":
            env.update(postgres_instance_env(tmp / "dagster_home", dagster_db))
        for run in RUNS:
            sync = run_child(
                python_child("catalog_pipeline.cli", "sync", "--json"),
                env=env,
                timeout=SYNC_TIMEOUT,
            )
            outcomes[run] = (sync, None if sync.timed_out else sync.json())
    return outcomes


def run(featherless_models: int = 17_800) -> ScenarioResult:
    from catalog_pipeline.replay.server import ReplayServer

    result = ScenarioResult("sync", "full roster sync vs sequential baseline (replay latency)")
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        pages = roster_recordings(tmp / "recordings", featherless_models)
        result.figures["generate_seconds"] = round(time.perf_counter() - t0, 2)
        latency = roster_latency(pages)
        totals = {slug: latency[slug] * pages[slug] for slug in pages}
        slowest = max(totals, key=totals.__getitem__)
        result.figures["providers"] = len(pages)
        result.figures["requests"] = sum(pages.values())
        result.figures["latency_sum_seconds"] = round(sum(totals.values()), 2)
        result.figures["slowest_provider"] = (
            f"{slowest} ({pages[slowest]} pages x {latency[slowest]} s = {totals[slowest]:.1f} s)"
        )
        with ReplayServer(tmp / "recordings") as server:
            server.latency.update(latency)
            runs = {}
            for instance in INSTANCES:
                for run, outcome in _sync_twice(tmp / instance, server.url, instance).items():
                    runs[(instance, run)] = outcome
            with fresh_database() as db_url:
                env = {**bench_env(tmp / "baseline", db_url), **replay_env(server.url)}
                baseline = run_child(
                    python_child("benchmarks.sequential_fetch", server.url, ",".join(pages)),
                    env=env,
                    timeout=1800,
                )
            base = baseline.json()
        limit = totals[slowest] + SLACK_SECONDS
        result.figures["sequential_wall_seconds"] = round(baseline.wall_seconds, 2)
        result.figures["sequential_fetch_seconds"] = base["total_seconds"]
        result.figures["sequential_providers_ok"] = (
            f"{sum(1 for p in base['providers'].values() if p['ok'])}/{len(base['providers'])}"
        )
        for (instance, run), (sync, report) in runs.items():
            key = f"sync[{instance},{run}]"
            label = f"{INSTANCES[instance]}; {RUNS[run]}"
            if report is None:
                result.figures[f"{key}_wall_seconds"] = f"hung; killed after {SYNC_TIMEOUT:.0f} s"
                result.notes.append(f"{key} hung: {summarize_dump(sync.hang_dump)}")
                result.check(
                    f"{key} wall time ({label})",
                    False,
                    f"<= {limit:.1f} s",
                    f"did not finish in {SYNC_TIMEOUT:.0f} s (threads deadlocked)",
                )
                continue
            statuses = [p["status"] for p in report["providers"].values()]
            failed = {s: p["error"] for s, p in report["providers"].items() if p["status"] != "ok"}
            result.figures[f"{key}_wall_seconds"] = round(sync.wall_seconds, 2)
            result.figures[f"{key}_exit_code"] = sync.returncode
            result.figures[f"{key}_providers_ok"] = f"{statuses.count('ok')}/{len(statuses)}"
            result.figures[f"{key}_models_table_rows"] = report["models_table_rows"]
            result.figures[f"{key}_largest_process_peak_rss_mb"] = round(
                max(sync.peak_rss_mb, sync.tree_peak_process_mb), 1
            )
            result.figures[f"{key}_whole_tree_peak_pss_mb"] = round(sync.tree_peak_pss_mb, 1)
            result.figures[f"{key}_speedup_vs_sequential"] = round(
                baseline.wall_seconds / sync.wall_seconds, 2
            )
            failed_checks = sorted(
                {f"{c['asset']} {c['check']} ({c['severity']})" for c in report["checks"]}
                - {
                    f"{c['asset']} {c['check']} ({c['severity']})"
                    for c in report["checks"]
                    if c["passed"]
                }
            )
            if failed:
                result.notes.append(f"{key} providers not ok: {failed}")
            if failed_checks:
                result.notes.append(f"{key} failed checks: {failed_checks}")
            result.check(
                f"{key} wall time ({label})",
                sync.wall_seconds <= limit,
                f"<= {limit:.1f} s (slowest {totals[slowest]:.1f} s + {SLACK_SECONDS:.0f} s)",
                f"{sync.wall_seconds:.1f} s",
                f"{sync.wall_seconds - limit:+.1f} s vs target",
            )
    return result


if __name__ == "__main__":
    print(run().render())
    sys.exit(0)
