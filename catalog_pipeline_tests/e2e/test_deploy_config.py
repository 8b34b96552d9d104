"""The Docker and Kubernetes configs say what the tested deploy/dagster.yaml says.

The end-to-end test runs deploy/dagster.yaml for real; Docker and Kubernetes cannot run
here, so these checks keep their files from drifting away from it: same instance settings,
every provider key forwarded to run containers, the same code location and ports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from catalog_pipeline.providers.registry import PROVIDERS

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
PG_ENV = ("DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_USER", "DAGSTER_PG_PASSWORD")


def load(relative: str) -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / relative).read_text())


def test_instance_config_is_valid_for_this_dagster(monkeypatch, tmp_path: Path) -> None:
    from dagster._core.instance.config import dagster_instance_config
    from dagster._core.instance.ref import InstanceRef

    for name in (*PG_ENV, "DAGSTER_PG_DB"):
        monkeypatch.setenv(name, "5432" if name.endswith("PORT") else "x")
    (tmp_path / "dagster.yaml").write_text((DEPLOY / "dagster.yaml").read_text())
    config, _ = dagster_instance_config(str(tmp_path))
    ref = InstanceRef.from_dir(str(tmp_path))
    assert ref.storage_data.module_name == "dagster_postgres"
    assert type(ref.run_coordinator).__name__ == "QueuedRunCoordinator"
    assert config["run_retries"]["retry_on_asset_or_op_failure"] is False
    per_provider = {"key": "dagster/partition", "value": {"applyLimitPerUniqueValue": True}}
    assert {**per_provider, "limit": 1} in config["concurrency"]["runs"]["tag_concurrency_limits"]


def test_no_default_pool_limit_on_postgres_storage() -> None:
    """A default pool limit makes each run create the fetch pool's row when it finds none.

    On PostgreSQL, Dagster 1.13's fallback after the duplicate-key error reuses the aborted
    transaction, so two first runs that start together (a first backfill) can fail. Without
    a default the runs never write that row; an operator caps the pool explicitly.
    """
    for relative in ("dagster.yaml", "docker/dagster.yaml"):
        assert "pools" not in load(relative)["concurrency"], relative


def test_docker_instance_differs_only_in_the_run_launcher() -> None:
    base, docker = load("dagster.yaml"), load("docker/dagster.yaml")
    launcher = docker.pop("run_launcher")
    assert base.pop("run_launcher")["class"] == "DefaultRunLauncher"
    assert docker == base
    assert (launcher["module"], launcher["class"]) == ("dagster_docker", "DockerRunLauncher")

    forwarded = set(launcher["config"]["env_vars"])
    keys = {spec.key_env_names[0] for spec in PROVIDERS}
    needed = {*PG_ENV, "DAGSTER_PG_DB", "CATALOG_DATABASE_URL", "CATALOG_ALERT_WEBHOOK_URL"}
    assert needed | keys <= forwarded, sorted((needed | keys) - forwarded)

    compose = load("docker/compose.yaml")
    assert launcher["config"]["network"] in {n["name"] for n in compose["networks"].values()}
    set_by_compose = set(compose["x-dagster-env"])
    env_example = {
        line.split("=", 1)[0]
        for line in (DEPLOY / "docker" / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    missing = forwarded - set_by_compose - env_example
    assert not missing, f"the daemon needs these in .env.example: {sorted(missing)}"


def test_compose_services_use_the_tested_workspace_and_code_location() -> None:
    compose = load("docker/compose.yaml")
    services = compose["services"]
    code = services["catalog_pipeline_code"]["command"]
    workspace = load("workspace.yaml")["load_from"][0]["grpc_server"]
    env = compose["x-dagster-env"]
    assert code[code.index("-m") + 1] == "catalog_pipeline.definitions"
    assert code[code.index("--location-name") + 1] == workspace["location_name"]
    assert code[code.index("-p") + 1] == env["CATALOG_CODE_SERVER_PORT"]
    assert env["CATALOG_CODE_SERVER_HOST"] == "catalog_pipeline_code"
    assert workspace["host"] == {"env": "CATALOG_CODE_SERVER_HOST"}
    assert workspace["port"] == {"env": "CATALOG_CODE_SERVER_PORT"}
    for name in ("webserver", "daemon"):
        command = services[name]["command"]
        assert command[command.index("-w") + 1] == "deploy/workspace.yaml"


@pytest.mark.parametrize(
    ("helm", "instance"),
    [
        ("startTimeoutSeconds", "start_timeout_seconds"),
        ("cancelTimeoutSeconds", "cancel_timeout_seconds"),
        ("maxRuntimeSeconds", "max_runtime_seconds"),
        ("pollIntervalSeconds", "poll_interval_seconds"),
        ("freeSlotsAfterRunEndSeconds", "free_slots_after_run_end_seconds"),
    ],
)
def test_helm_run_monitoring_matches(helm: str, instance: str) -> None:
    values = load("k8s/values.yaml")["dagsterDaemon"]["runMonitoring"]
    assert values[helm] == load("dagster.yaml")["run_monitoring"][instance]


def test_helm_values_mirror_the_instance() -> None:
    base, values = load("dagster.yaml"), load("k8s/values.yaml")
    daemon = values["dagsterDaemon"]
    queued = daemon["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert queued["maxConcurrentRuns"] == base["concurrency"]["runs"]["max_concurrent_runs"]
    assert queued["tagConcurrencyLimits"] == base["concurrency"]["runs"]["tag_concurrency_limits"]
    assert (
        queued["dequeueIntervalSeconds"]
        == base["run_coordinator"]["config"]["dequeue_interval_seconds"]
    )
    assert (queued["dequeueUseThreads"], queued["dequeueNumWorkers"]) == (
        base["run_coordinator"]["config"]["dequeue_use_threads"],
        base["run_coordinator"]["config"]["dequeue_num_workers"],
    )
    extra = values["additionalInstanceConfig"]
    assert set(extra) == {"backfills"}, "the chart renders sensors/schedules from its own values"
    assert extra["backfills"] == base["backfills"]
    for name in ("sensors", "schedules"):
        threads = daemon[name]
        assert {
            "use_threads": threads["useThreads"],
            "num_workers": threads["numWorkers"],
            "num_submit_workers": threads["numSubmitWorkers"],
        } == base[name]
    retries = daemon["runRetries"]
    assert (retries["enabled"], retries["maxRetries"], retries["retryOnAssetOrOpFailure"]) == (
        base["run_retries"]["enabled"],
        base["run_retries"]["max_retries"],
        base["run_retries"]["retry_on_asset_or_op_failure"],
    )
    assert values["retention"]["schedule"] == {
        "purgeAfterDays": base["retention"]["schedule"]["purge_after_days"]
    }
    sensor = values["retention"]["sensor"]["purgeAfterDays"]
    assert {k: v for k, v in sensor.items() if k != "started"} == (
        base["retention"]["sensor"]["purge_after_days"]
    )
    assert values["telemetry"] == base["telemetry"]
    assert values["pythonLogs"] == {"pythonLogLevel": base["python_logs"]["python_log_level"]}
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"] == ["-m", "catalog_pipeline.definitions"]
    assert deployment["envSecrets"] and deployment["includeConfigInLaunchedRuns"]["enabled"]
