"""The production stack end to end: real webserver, daemon and code server on PostgreSQL.

``deploy/run_local_stack.py --replay`` starts the three processes over ``deploy/dagster.yaml``
(PostgreSQL storage, queued runs, one run per provider) on a fresh Dagster database, with
every provider pointed at a loopback replay server, a fresh catalog database and a loopback
webhook receiver for alerts. Everything below goes through the webserver's GraphQL API, as
the UI or a script would; the daemon does the rest (backfill, run queue, sensors).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog_pipeline.defs.catalog import models
from catalog_pipeline.defs.ingest import normalized_models, provider_models
from catalog_pipeline.providers.registry import provider_slugs
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.automation.receiver import WebhookReceiver
from catalog_pipeline_tests.conftest import (
    DEFAULT_POSTGRES,
    POSTGRES_ENV,
    RECORDINGS,
    _postgres_database,
)
from catalog_pipeline_tests.e2e.stack import LocalStack, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

PROVIDERS = ("openrouter", "openai", "anthropic", "together", "groq")
DROPPING = "groq"
PROVIDER_ASSETS = ("provider_models", "normalized_models", "models")
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}

LAUNCH_BACKFILL = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
  }
}"""
BACKFILL = """
query($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    ... on PartitionBackfill { status runs(limit: 100) { runId status tags { key value } } }
  }
}"""
LAUNCH_RUN = """
mutation($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}"""
RUN = """
query($id: ID!) {
  runOrError(runId: $id) { ... on Run { status startTime endTime tags { key value } } }
}"""
CHECKS_OF_RUN = """
query($id: ID!) {
  logsForRun(runId: $id) {
    ... on EventConnection {
      events {
        ... on AssetCheckEvaluationEvent {
          evaluation {
            checkName success severity assetKey { path }
            metadataEntries { label ... on FloatMetadataEntry { floatValue } }
          }
        }
      }
    }
  }
}"""
ENGINE_MESSAGES = """
query($id: ID!) {
  logsForRun(runId: $id) { ... on EventConnection { events { ... on EngineEvent { message } } } }
}"""
CATALOG_MATERIALIZED = """
{ assetOrError(assetKey: {path: ["catalog"]}) {
    ... on Asset { assetMaterializations(limit: 1) { timestamp runId } } } }"""
MODELS_MATERIALIZED = """
{ assetOrError(assetKey: {path: ["models"]}) {
    ... on Asset { assetMaterializations(limit: 1) { timestamp } } } }"""
SCHEDULE_DRY_RUN = """
mutation($selector: ScheduleSelector!, $timestamp: Float) {
  scheduleDryRun(selectorData: $selector, timestamp: $timestamp) {
    __typename
    ... on DryRunInstigationTick {
      evaluationResult { skipReason error { message } runRequests { runKey tags { key value } } }
    }
    ... on PythonError { message }
  }
}"""


class Phases:
    """Phase timings, shown with ``pytest -s`` (the whole test should stay under 3 minutes)."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self, what: str) -> None:
        print(f"[e2e {time.monotonic() - self.started:6.1f} s] {what}", flush=True)


def tags_of(item: dict[str, Any]) -> dict[str, str]:
    return {t["key"]: t["value"] for t in item["tags"]}


def recorded_count(root: Path, slug: str) -> int:
    """Models in a provider's recordings, all pages: the oracle for its models-table rows."""
    total = 0
    for path in (root / slug).rglob("*.json"):
        if path.name.endswith(".meta.json"):
            continue
        body = json.loads(path.read_text())
        total += len(body if isinstance(body, list) else body["data"])
    return total


def check_evaluations(stack: LocalStack, run_id: str) -> dict[str, dict[str, Any]]:
    events = stack.query(CHECKS_OF_RUN, {"id": run_id})["logsForRun"]["events"]
    return {e["evaluation"]["checkName"]: e["evaluation"] for e in events if e}


def wait_for_run(stack: LocalStack, run_id: str, timeout: float) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        run = stack.query(RUN, {"id": run_id})["runOrError"]
        return run if run["status"] in TERMINAL else None

    return wait_until(f"run {run_id}", finished, timeout)


def launch_sync(stack: LocalStack, slug: str) -> str:
    params = {
        "selector": stack.selector(pipelineName="sync_provider"),
        "executionMetadata": {"tags": [{"key": "dagster/partition", "value": slug}]},
    }
    result = stack.query(LAUNCH_RUN, {"params": params})["launchRun"]
    assert result["__typename"] == "LaunchRunSuccess", result
    return result["run"]["runId"]


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """Two fresh databases on the real server: Dagster's storage and the catalog."""
    base = os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES
    dagster_db = _postgres_database(base)
    catalog_db = _postgres_database(base)
    try:
        yield next(dagster_db), next(catalog_db)
    finally:
        for generator in (catalog_db, dagster_db):
            generator.close()


def test_production_stack_end_to_end(tmp_path: Path, databases: tuple[str, str]) -> None:
    mark = Phases()
    dagster_url, catalog_url = databases
    replay_dir = tmp_path / "recordings"
    shutil.copytree(RECORDINGS, replay_dir)
    expected_rows = {slug: recorded_count(replay_dir, slug) for slug in PROVIDERS}
    assert all(expected_rows.values()), expected_rows
    store = CatalogStore(database_url=catalog_url)

    with WebhookReceiver() as receiver:
        env = {
            "CATALOG_DATABASE_URL": catalog_url,
            "CATALOG_ALERT_WEBHOOK_URL": receiver.url,
            "CATALOG_DATA_DIR": str(tmp_path / "data"),
        }
        stack = LocalStack(
            tmp_path / "dagster_home", dagster_url, env, replay_dir, tmp_path / "stack.log"
        )
        with stack:
            mark("stack up")
            try:
                _scenario(stack, store, receiver, replay_dir, expected_rows, mark)
            except BaseException:
                print(f"--- stack log (tail) ---\n{stack.log_tail(80)}")
                raise
            finally:
                store.engine().dispose()


def _scenario(
    stack: LocalStack,
    store: CatalogStore,
    receiver: WebhookReceiver,
    replay_dir: Path,
    expected_rows: dict[str, int],
    mark: Phases,
) -> None:
    # 1. A backfill of the provider partitions and the downstream assets, one run each.
    ranges = [{"start": slug, "end": slug} for slug in PROVIDERS]
    params = {
        "partitionsByAssets": [
            {"assetKey": {"path": [asset]}, "partitions": {"ranges": ranges}}
            for asset in PROVIDER_ASSETS
        ],
        "title": "e2e: five providers",
    }
    launched = stack.query(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched

    def backfill_runs_finished() -> list[dict[str, Any]] | None:
        backfill = stack.query(BACKFILL, {"id": launched["backfillId"]})
        runs = backfill["partitionBackfillOrError"]["runs"]
        done = len(runs) == len(PROVIDERS) and all(r["status"] in TERMINAL for r in runs)
        return runs if done else None

    runs = wait_until("the backfill's runs", backfill_runs_finished, timeout=240, every=2)
    mark("backfill runs finished")
    assert sorted(tags_of(r)["dagster/partition"] for r in runs) == sorted(PROVIDERS)
    assert {r["status"] for r in runs} == {"SUCCESS"}

    assert {slug: store.model_count(slug) for slug in PROVIDERS} == expected_rows
    assert store.model_count() == sum(expected_rows.values())
    wanted_checks = {
        spec.name
        for asset in (provider_models, normalized_models, models)
        for spec in asset.check_specs
    }
    for run in runs:
        evaluations = check_evaluations(stack, run["runId"])
        assert set(evaluations) == wanted_checks, tags_of(run)
        failing = {name for name, e in evaluations.items() if not e["success"]}
        assert not failing, (tags_of(run)["dagster/partition"], failing)

    # 3 (first half). The daemon's automation sensor refreshes the catalog by itself once
    # the backfill's provider writes have settled: a catalog materialization newer than
    # the newest provider write, launched by refresh_catalog_automation.
    latest = stack.query(MODELS_MATERIALIZED)["assetOrError"]["assetMaterializations"]
    models_written = float(latest[0]["timestamp"]) / 1000

    def refreshed_after_the_backfill() -> dict[str, Any] | None:
        found = stack.query(CATALOG_MATERIALIZED)["assetOrError"]
        records = found.get("assetMaterializations") or []
        if records and float(records[0]["timestamp"]) / 1000 >= models_written:
            return records[0]
        return None

    refresh = wait_until("the automatic catalog refresh", refreshed_after_the_backfill, 150, 2)
    refresh_run = stack.query(RUN, {"id": refresh["runId"]})["runOrError"]
    assert tags_of(refresh_run).get("dagster/sensor_name") == "refresh_catalog_automation"

    # 2. The dropping provider loses 60 % of its models. Two syncs of it are launched at
    # once: the instance's per-provider limit runs them one after the other, both fail on
    # the blocking ERROR check, the table keeps its rows and one alert goes out.
    recording = replay_dir / DROPPING / "openai" / "v1" / "models.json"
    body = json.loads(recording.read_text())
    kept = len(body["data"]) * 2 // 5
    body["data"] = body["data"][:kept]
    recording.write_text(json.dumps(body))
    rows_before = store.current_offers(DROPPING)
    assert len(rows_before) == expected_rows[DROPPING]

    mark("catalog refreshed automatically")
    run_ids = [launch_sync(stack, DROPPING), launch_sync(stack, DROPPING)]
    finished = {run_id: wait_for_run(stack, run_id, timeout=150) for run_id in run_ids}
    assert [run["status"] for run in finished.values()] == ["FAILURE", "FAILURE"]
    first_id, second_id = sorted(finished, key=lambda run_id: finished[run_id]["startTime"])
    first, second = finished[first_id], finished[second_id]
    assert second["startTime"] >= first["endTime"], "two syncs of one provider overlapped"
    mark("two dropping syncs finished")
    for run_id in run_ids:
        check = check_evaluations(stack, run_id)["count_not_dropped"]
        assert (check["success"], check["severity"]) == (False, "ERROR")
        drop = {m["label"]: m.get("floatValue") for m in check["metadataEntries"]}
        assert drop["drop_fraction"] == pytest.approx(1 - kept / expected_rows[DROPPING])
    assert store.current_offers(DROPPING) == rows_before
    assert store.model_count() == sum(expected_rows.values())

    def alerts_for_dropping() -> list[dict[str, Any]]:
        return [m for m in receiver.messages if f"[{DROPPING}]" in m["text"]]

    alerts = wait_until("the count-drop alert", alerts_for_dropping, timeout=120, every=2)
    assert len(alerts) == 1, receiver.messages
    alert = alerts[0]
    assert "count_not_dropped" in alert["text"] and "ERROR" in alert["text"]
    assert alert["text"].startswith(":rotating_light:")
    assert alert["text"].endswith(f"{stack.url}/runs/{first_id}")
    mark("alert delivered")

    def backfill_status() -> str | None:
        backfill = stack.query(BACKFILL, {"id": launched["backfillId"]})
        status = backfill["partitionBackfillOrError"]["status"]
        return status if status not in ("REQUESTED", "CANCELING") else None

    assert wait_until("the backfill to complete", backfill_status, 90) == "COMPLETED_SUCCESS"

    # 3 (second half). The daily schedule asks for one run per enabled provider.
    tick = dt.datetime(2026, 11, 24, 5, tzinfo=dt.UTC).timestamp()
    schedule = stack.query(
        SCHEDULE_DRY_RUN,
        {"selector": stack.selector(scheduleName="daily_provider_sync"), "timestamp": tick},
    )["scheduleDryRun"]
    assert schedule["__typename"] == "DryRunInstigationTick", schedule
    requests = schedule["evaluationResult"]["runRequests"]
    assert [tags_of(r)["dagster/partition"] for r in requests] == provider_slugs()
    assert {r["runKey"] for r in requests} == {f"{s}-2026-11-24" for s in provider_slugs()}

    def failure_sensor_saw_both() -> bool:
        acted = 'Sensor "alert_on_run_failure" acted on run status FAILURE'
        return all(
            any(acted in (e.get("message") or "") for e in events)
            for events in (
                stack.query(ENGINE_MESSAGES, {"id": run_id})["logsForRun"]["events"]
                for run_id in run_ids
            )
        )

    wait_until("the failure sensor to handle both runs", failure_sensor_saw_both, 90, every=2)
    mark("failure sensor handled both runs")
    assert len(alerts_for_dropping()) == 1, receiver.messages
