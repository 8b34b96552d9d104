"""``catalog-pipeline sync``: one Dagster run per provider, concurrently, then the catalog run.

Every run goes through the Dagster instance in ``DAGSTER_HOME`` (so it shows in the UI),
executes the same job a schedule or a backfill would, and fails alone. Providers that
need a key and have none are reported ``not_configured`` without launching a run.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Literal

import dagster as dg
from dagster._core.instance.ref import InstanceRef
from pydantic import BaseModel

from catalog_pipeline.providers.client import BASE_URL_ENV, ProviderClient
from catalog_pipeline.providers.registry import PROVIDERS, get_provider, provider_slugs
from catalog_pipeline.replay.server import ReplayServer
from catalog_pipeline.settings import data_dir
from catalog_pipeline.store.catalog_store import CatalogStore

Status = Literal["ok", "failed", "not_configured"]
DEFAULT_CONCURRENCY = 16


class ProviderOutcome(BaseModel):
    status: Status
    models: int
    error: str | None = None
    run_id: str | None = None


class CheckOutcome(BaseModel):
    asset: str
    check: str
    partition: str | None
    passed: bool
    severity: Literal["ERROR", "WARN"]


class SyncReport(BaseModel):
    providers: dict[str, ProviderOutcome]
    checks: list[CheckOutcome]
    models_table_rows: int

    @property
    def ok(self) -> bool:
        providers_ok = all(p.status == "ok" for p in self.providers.values())
        return providers_ok and not any(not c.passed and c.severity == "ERROR" for c in self.checks)


def ensure_dagster_home() -> Path:
    """Use ``$DAGSTER_HOME``; when unset, a persistent folder beside the catalog data."""
    home = os.environ.get("DAGSTER_HOME")
    path = Path(home) if home else data_dir() / "dagster_home"
    path.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(path.resolve())
    return path


def open_instance() -> dg.DagsterInstance:
    """The instance in ``DAGSTER_HOME``, without stdout capture.

    Compute-log capture redirects the process's file descriptors per step; with several
    provider runs in threads that would interleave, so the CLI's runs log through
    Dagster's structured event log only (which is what the UI shows per run anyway).
    The storage is touched once before any thread starts, so a new SQLite instance
    creates its tables once instead of racing.
    """
    home = ensure_dagster_home()
    overrides = {
        "compute_logs": {
            "module": "dagster._core.storage.noop_compute_log_manager",
            "class": "NoOpComputeLogManager",
        }
    }
    instance = dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home), overrides=overrides))
    instance.get_run_records(limit=1)
    instance.get_latest_materialization_events([dg.AssetKey("models")])
    return instance


def _checks_of(result: dg.ExecuteInProcessResult, partition: str | None) -> list[CheckOutcome]:
    outcomes = []
    for evaluation in result.get_asset_check_evaluations():
        outcomes.append(
            CheckOutcome(
                asset=evaluation.asset_key.to_user_string(),
                check=evaluation.check_name,
                partition=partition,
                passed=evaluation.passed,
                severity="WARN" if evaluation.severity == dg.AssetCheckSeverity.WARN else "ERROR",
            )
        )
    return outcomes


def _failure_message(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error is not None:
            error = event.step_failure_data.error
            cause = error.cause.message if error.cause is not None else ""
            text = error.message.strip()
            if "Failure" in (error.cls_name or "") or not cause:
                return text.removeprefix("dagster._core.definitions.events.Failure: ")
            return f"{text} {cause.strip()}"
    return "run failed before any step ran"


def run_sync(
    providers: list[str] | None = None,
    replay_dir: Path | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> SyncReport:
    """Materialize the requested provider partitions and the catalog; return the summary."""
    from catalog_pipeline.definitions import defs

    slugs = providers or provider_slugs()
    for slug in slugs:
        if not get_provider(slug).enabled:
            raise KeyError(f"provider {slug!r} is disabled in the registry (see its docs_url)")
    with ExitStack() as stack:
        run_config: dict = {}
        if replay_dir is not None:
            server = stack.enter_context(ReplayServer(replay_dir))
            os.environ[BASE_URL_ENV] = server.url
            run_config = {"resources": {"provider_client": {"config": {"require_api_keys": False}}}}
        instance = stack.enter_context(open_instance())
        store = CatalogStore()
        store.register_providers(PROVIDERS)
        client = ProviderClient(require_api_keys=replay_dir is None)
        job = defs.resolve_job_def("sync_provider")
        outcomes: dict[str, ProviderOutcome] = {}
        checks: list[CheckOutcome] = []
        runnable = []
        for slug in slugs:
            spec = get_provider(slug)
            if client.is_configured(spec):
                runnable.append(slug)
                continue
            message = f"no API key: set {' or '.join(spec.key_env_names)}"
            store.record_failure(slug, "not_configured", message, None)
            outcomes[slug] = ProviderOutcome(status="not_configured", models=0, error=message)

        def run_one(slug: str) -> tuple[str, dg.ExecuteInProcessResult]:
            return slug, job.execute_in_process(
                partition_key=slug,
                instance=instance,
                run_config=run_config,
                raise_on_error=False,
                tags={"catalog/trigger": "cli"},
            )

        workers = max(1, min(concurrency, len(runnable) or 1))
        if (Path(os.environ["DAGSTER_HOME"]) / "dagster.yaml").exists() and workers > 1:
            print(
                "catalog-pipeline: DAGSTER_HOME has a dagster.yaml; Dagster reconfigures logging "
                "per run from it, which deadlocks concurrent in-process runs, so providers run "
                "one at a time (use the daemon and a backfill for parallel production syncs).",
                file=sys.stderr,
            )
            workers = 1
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for slug, result in pool.map(run_one, runnable):
                checks.extend(_checks_of(result, slug))
                if result.success:
                    outcomes[slug] = ProviderOutcome(
                        status="ok", models=store.model_count(slug), run_id=result.run_id
                    )
                else:
                    outcomes[slug] = ProviderOutcome(
                        status="failed",
                        models=0,
                        error=_failure_message(result),
                        run_id=result.run_id,
                    )
        catalog_result = defs.resolve_job_def("refresh_catalog").execute_in_process(
            instance=instance, raise_on_error=False, tags={"catalog/trigger": "cli"}
        )
        checks.extend(_checks_of(catalog_result, None))
        return SyncReport(
            providers={slug: outcomes[slug] for slug in slugs},
            checks=checks,
            models_table_rows=store.model_count(),
        )
