"""``catalog-pipeline sync``: one Dagster run per provider, concurrently, then the catalog run.

Every run goes through the Dagster instance in ``DAGSTER_HOME`` (so it shows in the UI),
executes the same job a schedule or a backfill would, and fails alone. Providers that
need a key and have none are reported ``not_configured`` without launching a run.

Runs execute in a pool of worker processes (:mod:`catalog_pipeline.cli.workers`), each
running one provider at a time. A worker that dies (a crash in a C extension, the OOM
killer) fails only its provider: the pool starts a fresh worker for the rest, and the dead
worker's run is marked failed. Runs left STARTED by a CLI that was itself killed are marked
failed by the next sync (:func:`fail_orphaned_runs`), and by the daemon's run monitoring
when one runs on the same instance. Threads of one process are not an option: Dagster's
SQLite event log serialises every event write of a process behind one lock, and with a
``dagster.yaml`` in ``DAGSTER_HOME`` Dagster reconfigures logging per run, which
deadlocks concurrent in-process runs (BENCHMARKS.md, scenario 1). The slowest providers
of the previous sync start first, so the wall time is bounded by the slowest provider
rather than by whichever one happened to be queued last.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from typing import Literal

import dagster as dg
from dagster._core.instance.ref import InstanceRef
from dagster._core.utils import make_new_run_id
from pydantic import BaseModel

from catalog_pipeline.cli.workers import (
    TaskError,
    WorkerDied,
    WorkerPool,
    process_identity,
    process_is_gone,
    worker_context,
)
from catalog_pipeline.defs.ingest import FETCH_POOL
from catalog_pipeline.defs.io_manager import write_atomically
from catalog_pipeline.defs.run_errors import step_error_text
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.providers.client import BASE_URL_ENV, ProviderClient
from catalog_pipeline.providers.references.registry import is_source, source_slugs
from catalog_pipeline.providers.registry import PROVIDERS, get_provider, provider_slugs
from catalog_pipeline.replay.server import ReplayServer
from catalog_pipeline.settings import data_dir
from catalog_pipeline.store.catalog_store import CatalogStore

Status = Literal["ok", "failed", "not_configured"]
DEFAULT_CONCURRENCY = 4 * (os.cpu_count() or 1)
SYNC_JOB = "sync_provider"
REFERENCE_JOB = "sync_reference"
TRIGGER_TAG = "catalog/trigger"
WORKER_TAG = "catalog/worker"
"""The ``host:pid:start`` of the CLI worker process that runs the run."""


def console_logging(verbose: bool) -> dict:
    """Run config for Dagster's console logger: silent unless ``verbose`` (INFO and above).

    The CLI's own summary reports every provider failure, check failure and catalog
    failure in one line each, so Dagster's event lines (and the tracebacks of its ERROR
    events) would only repeat it. Every event, DEBUG included, is in each run's event log
    in the UI either way.
    """
    level = "INFO" if verbose else "CRITICAL"
    return {"loggers": {"console": {"config": {"log_level": level}}}}


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
    summary: str = ""


class SyncReport(BaseModel):
    providers: dict[str, ProviderOutcome]
    checks: list[CheckOutcome]
    models_table_rows: int
    catalog_error: str | None = None

    @property
    def ok(self) -> bool:
        providers_ok = all(p.status == "ok" for p in self.providers.values())
        failed_error_check = any(not c.passed and c.severity == "ERROR" for c in self.checks)
        return providers_ok and not failed_error_check and self.catalog_error is None


INSTANCE_YAML = """\
# Created by catalog-pipeline: the embedded SQLite instance, telemetry off (as in the
# repository's dagster.yaml). Replace it with deploy/dagster.yaml for PostgreSQL storage.
telemetry:
  enabled: false

# When a daemon runs on this instance (make ui), it fails runs that hang or whose process
# was killed from outside: the default run launcher cannot see a dead run worker, so such a
# run ends FAILURE once it is older than max_runtime_seconds.
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  max_runtime_seconds: 3600
  poll_interval_seconds: 60
"""


def ensure_dagster_home() -> Path:
    """Use ``$DAGSTER_HOME``; when unset, a persistent folder beside the catalog data.

    A home without a ``dagster.yaml`` gets a minimal one, so each worker process does not
    print Dagster's missing-config warning and telemetry banner. It is written to a
    temporary file and renamed, so a full disk cannot leave half of it; a file that is a
    strict beginning of it (left by a version that wrote in place) is written again, since
    Dagster would fail to start on it. Any other existing file is never touched.
    """
    home = os.environ.get("DAGSTER_HOME")
    path = Path(home) if home else data_dir() / "dagster_home"
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists() or _partial_default(config):
        write_atomically(config, INSTANCE_YAML.encode())
    os.environ["DAGSTER_HOME"] = str(path.resolve())
    return path


def _partial_default(config: Path) -> bool:
    """``config`` holds a cut-short copy of the default instance settings."""
    text = config.read_bytes()
    return len(text) < len(INSTANCE_YAML.encode()) and INSTANCE_YAML.encode().startswith(text)


def open_instance() -> dg.DagsterInstance:
    """The instance in ``DAGSTER_HOME``, without stdout capture.

    Compute-log capture would start log-tailing helper processes for every step of every
    provider run, and all workers share the CLI's terminal anyway, so the CLI's runs log
    through Dagster's structured event log only (which is what the UI shows per run).
    """
    home = ensure_dagster_home()
    overrides = {
        "compute_logs": {
            "module": "dagster._core.storage.noop_compute_log_manager",
            "class": "NoOpComputeLogManager",
        }
    }
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home), overrides=overrides))


def prepare_instance(instance: dg.DagsterInstance) -> None:
    """Create what the workers would otherwise race to create, once, in the CLI process.

    The storage is touched first, so a new SQLite instance creates its tables once. Then,
    when the instance has a default pool limit, the fetch pool's limit row: on PostgreSQL
    storage, several runs claiming a never-used pool at once each try to insert it;
    Dagster 1.13's fallback after the duplicate-key error reuses the aborted transaction,
    and the run fails ("current transaction is aborted"). The same fallback fails whenever
    the row exists, so the row is created only when it is missing. (deploy/dagster.yaml
    sets no default for this reason; the daemon has no single place to do this.)
    """
    instance.get_run_records(limit=1)
    instance.get_latest_materialization_events([dg.AssetKey("models")])
    storage = instance.event_log_storage
    if (
        instance.global_op_concurrency_default_limit is not None
        and storage.supports_global_concurrency_limits
        and FETCH_POOL not in storage.get_concurrency_keys()
    ):
        storage.initialize_concurrency_limit_to_default(FETCH_POOL)


def _checks_of(result: dg.ExecuteInProcessResult) -> list[CheckOutcome]:
    """The run's check evaluations, each with its own partition (per-provider checks are
    partitioned; the catalog's are not) and its one-sentence summary."""
    outcomes = []
    for evaluation in result.get_asset_check_evaluations():
        summary = evaluation.metadata.get("summary")
        outcomes.append(
            CheckOutcome(
                asset=evaluation.asset_key.to_user_string(),
                check=evaluation.check_name,
                partition=evaluation.partition,
                passed=evaluation.passed,
                severity="WARN" if evaluation.severity == dg.AssetCheckSeverity.WARN else "ERROR",
                summary=str(summary.value) if summary is not None else "",
            )
        )
    return outcomes


def _failure_message(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error is not None:
            return step_error_text(event.step_failure_data.error)
    return "run failed before any step ran"


class PartitionRun(BaseModel):
    """What a worker process sends back about one provider's run (picklable, no Dagster types)."""

    slug: str
    success: bool
    run_id: str
    checks: list[CheckOutcome]
    error: str | None = None


_WORKER: dict[str, object] = {}


def _start_worker(run_config: dict, environ: dict[str, str]) -> None:
    """Per worker process: open the instance and load the job once, for all its runs.

    The worker takes the CLI's environment as it is now: workers fork from a server started
    before the CLI set ``DAGSTER_HOME`` or pointed providers at the replay server.

    The console shows what ``run_config`` asks for (:func:`console_logging`); every event,
    DEBUG included, is still in the run's event log in the UI.
    """
    from catalog_pipeline.definitions import defs

    os.environ.clear()
    os.environ.update(environ)
    _WORKER["instance"] = open_instance()
    _WORKER["job"] = defs.resolve_job_def(SYNC_JOB)
    _WORKER[REFERENCE_JOB] = defs.resolve_job_def(REFERENCE_JOB)
    _WORKER["run_config"] = run_config


def _run_partition(task: tuple[str, str]) -> PartitionRun:
    slug, run_id = task
    job = _WORKER[REFERENCE_JOB] if is_source(slug) else _WORKER["job"]
    assert isinstance(job, dg.JobDefinition)
    result = job.execute_in_process(
        partition_key=slug,
        instance=_WORKER["instance"],
        run_config=_WORKER["run_config"],
        raise_on_error=False,
        run_id=run_id,
        tags={TRIGGER_TAG: "cli", WORKER_TAG: process_identity()},
    )
    return PartitionRun(
        slug=slug,
        success=result.success,
        run_id=result.run_id,
        checks=_checks_of(result),
        error=None if result.success else _failure_message(result),
    )


def fail_orphaned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the CLI runs whose worker process is gone without finishing them.

    A CLI killed from outside takes its workers with it (they die with their parent), and
    their runs would stay STARTED forever. Runs of another host are left to the daemon's
    run monitoring. Returns the run ids marked failed.
    """
    records = instance.get_run_records(
        dg.RunsFilter(
            tags={TRIGGER_TAG: "cli"},
            statuses=[
                dg.DagsterRunStatus.NOT_STARTED,
                dg.DagsterRunStatus.STARTING,
                dg.DagsterRunStatus.STARTED,
            ],
        )
    )
    failed = []
    for record in records:
        run = record.dagster_run
        worker = run.tags.get(WORKER_TAG)
        if worker and process_is_gone(worker):
            instance.report_run_failed(
                run,
                f"The catalog-pipeline sync worker running this run ({worker}) ended without "
                "finishing it (the sync was killed or crashed); marked failed by the next sync.",
            )
            failed.append(run.run_id)
    return failed


def _fail_run(instance: dg.DagsterInstance, run_id: str, message: str) -> None:
    """Mark a run failed unless it already finished (a worker can die after the run ended)."""
    run = instance.get_run_by_id(run_id)
    if run is not None and not run.is_finished:
        instance.report_run_failed(run, message)


def slowest_first(instance: dg.DagsterInstance, slugs: list[str]) -> list[str]:
    """Order providers by their last successful run's duration, longest first.

    Longest-first keeps a pool of a few workers from starting the slowest provider last,
    which would make the sync take the slowest provider's time on top of everything else.
    Providers without a successful run yet go first, those whose API paginates (one
    round trip per page, in sequence) before those answering in one response.
    """

    def last_duration(slug: str) -> float | None:
        records = instance.get_run_records(
            dg.RunsFilter(
                job_name=SYNC_JOB,
                tags={"dagster/partition": slug},
                statuses=[dg.DagsterRunStatus.SUCCESS],
            ),
            limit=1,
        )
        if not records or records[0].start_time is None or records[0].end_time is None:
            return None
        return records[0].end_time - records[0].start_time

    def priority(slug: str) -> tuple[int, float]:
        duration = last_duration(slug)
        if duration is None:
            return (0, 0.0 if get_provider(slug).paginates else 1.0)
        return (1, -duration)

    return sorted(slugs, key=priority)


def run_sync(
    providers: list[str] | None = None,
    replay_dir: Path | None = None,
    concurrency: int | None = None,
    verbose: bool = False,
) -> SyncReport:
    """Materialize the requested reference sources, then the provider partitions, then the
    catalog; return the summary.

    Sources (``models-dev``, ``litellm``, ...) are synced by default and named like
    providers. They run first, so the providers' runs price with the newest references
    (each source's run also reprices the stored offers); a failed source is reported like
    a failed provider, and the providers run all the same with the observations stored.
    """
    from catalog_pipeline.definitions import defs

    slugs = providers or [*source_slugs(), *provider_slugs()]
    for slug in slugs:
        if not is_source(slug) and not get_provider(slug).enabled:
            raise KeyError(f"provider {slug!r} is disabled in the registry (see its docs_url)")
    with ExitStack() as stack:
        run_config: dict = console_logging(verbose)
        if replay_dir is not None:
            server = stack.enter_context(ReplayServer(replay_dir))
            os.environ[BASE_URL_ENV] = server.url
            run_config["resources"] = {"provider_client": {"config": {"require_api_keys": False}}}
        instance = stack.enter_context(open_instance())
        prepare_instance(instance)
        fail_orphaned_runs(instance)
        store = CatalogStore()
        store.register_providers(provider_rows(PROVIDERS))
        client = ProviderClient(require_api_keys=replay_dir is None)
        outcomes: dict[str, ProviderOutcome] = {}
        checks: list[CheckOutcome] = []
        runnable = []
        sources = [slug for slug in slugs if is_source(slug)]
        for slug in slugs:
            if is_source(slug):
                continue
            spec = get_provider(slug)
            if client.is_configured(spec):
                runnable.append(slug)
                continue
            message = f"no API key: set {' or '.join(spec.key_env_names)}"
            store.record_failure(slug, "not_configured", message, None)
            outcomes[slug] = ProviderOutcome(status="not_configured", models=0, error=message)
        if runnable or sources:
            pool = stack.enter_context(
                WorkerPool(
                    min(concurrency or DEFAULT_CONCURRENCY, max(len(runnable), len(sources))),
                    worker_context(),
                    _start_worker,
                    (run_config, dict(os.environ)),
                    _run_partition,
                )
            )
            first = [(slug, make_new_run_id()) for slug in sources]
            then = [(slug, make_new_run_id()) for slug in slowest_first(instance, runnable)]
            runs = [*pool.run(first), *pool.run(then)]
            for (slug, run_id), run in runs:
                if isinstance(run, (WorkerDied, TaskError)):
                    message = _worker_failure(slug, run)
                    _fail_run(instance, run_id, message)
                    if is_source(slug):
                        store.record_reference_failure(slug, message, run_id)
                    else:
                        store.record_failure(slug, "failed", message, run_id)
                    outcomes[slug] = ProviderOutcome(
                        status="failed", models=0, error=message, run_id=run_id
                    )
                    continue
                checks.extend(run.checks)
                outcomes[run.slug] = ProviderOutcome(
                    status="ok" if run.success else "failed",
                    models=_count(store, run.slug) if run.success else 0,
                    error=run.error,
                    run_id=run.run_id,
                )
            pool.close()  # workers exit while the catalog run goes on
        catalog_result = defs.resolve_job_def("refresh_catalog").execute_in_process(
            instance=instance,
            run_config=console_logging(verbose),
            raise_on_error=False,
            tags={"catalog/trigger": "cli"},
        )
        checks.extend(_checks_of(catalog_result))
        return SyncReport(
            providers={slug: outcomes[slug] for slug in slugs},
            checks=checks,
            models_table_rows=store.model_count(),
            catalog_error=None if catalog_result.success else _failure_message(catalog_result),
        )


def _count(store: CatalogStore, slug: str) -> int:
    """A provider's rows, or the roster models a reference source prices."""
    if is_source(slug):
        return store.reference_states().get(slug, {}).get("observation_count") or 0
    return store.model_count(slug)


def _worker_failure(slug: str, answer: WorkerDied | TaskError) -> str:
    if isinstance(answer, WorkerDied):
        return (
            f"provider {slug!r}: {answer.description} while it ran this provider (a crash in "
            "native code, or the out-of-memory killer); the other providers were not affected "
            "and this provider's last good data stays. Retry the sync; if it happens again, "
            "report it with this provider's response."
        )
    last = answer.text.strip().splitlines()[-1] if answer.text.strip() else "no detail"
    return f"provider {slug!r}: the worker raised {last}"
