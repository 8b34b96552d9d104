"""Runs killed from outside end FAILURE, not STARTED forever.

With the default run launcher Dagster cannot ask whether a run's process is alive, so the
daemon's run monitoring fails a run once it is older than ``max_runtime_seconds``. Every
instance this project ships or writes turns it on; the end-to-end test SIGKILLs a real
sync mid-run and watches a real ``dagster-daemon`` fail the run it left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._core.instance.config import dagster_instance_config
from dagster._core.instance.ref import InstanceRef

from catalog_pipeline.cli.sync import INSTANCE_YAML
from catalog_pipeline.replay.server import ReplayServer
from catalog_pipeline_tests.conftest import RECORDINGS, REPO

SHIPPED = {
    "repository dagster.yaml": (REPO / "dagster.yaml").read_text(),
    "deploy/dagster.yaml": (REPO / "deploy" / "dagster.yaml").read_text(),
    "the CLI's instance (INSTANCE_YAML)": INSTANCE_YAML,
}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_shipped_instance_monitors_runs(name: str) -> None:
    monitoring = yaml.safe_load(SHIPPED[name])["run_monitoring"]
    assert monitoring["enabled"] is True, name
    assert 0 < monitoring["max_runtime_seconds"] <= 3600, name
    assert 0 < monitoring["poll_interval_seconds"] <= 60, name


@pytest.mark.parametrize("name", ["repository dagster.yaml", "the CLI's instance (INSTANCE_YAML)"])
def test_the_sqlite_instances_accept_the_monitoring_config(name: str, tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text(SHIPPED[name])
    dagster_instance_config(str(tmp_path))
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(tmp_path))) as instance:
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_max_runtime_seconds == 3600


TEST_INSTANCE = """\
telemetry:
  enabled: false
run_monitoring:
  enabled: true
  max_runtime_seconds: 5
  poll_interval_seconds: 1
"""
EMPTY_CODE = "import dagster as dg\n\ndefs = dg.Definitions()\n"


@pytest.mark.e2e
@pytest.mark.process
def test_a_run_whose_process_is_sigkilled_ends_failure_under_the_daemon(
    tmp_path: Path, record_fault
) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(TEST_INSTANCE)
    code = tmp_path / "empty_code.py"
    code.write_text(EMPTY_CODE)
    shutil.copytree(RECORDINGS, tmp_path / "recordings")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(
        DAGSTER_HOME=str(home),
        CATALOG_DATABASE_URL=f"sqlite:///{tmp_path / 'catalog.db'}",
        CATALOG_DATA_DIR=str(tmp_path / "data"),
        OPENROUTER_API_KEY="replay",
        PYTHONPATH=str(REPO),
    )
    record_fault("run_process_sigkilled")
    with ReplayServer(tmp_path / "recordings") as server:
        server.latency["openrouter"] = 60.0
        env["CATALOG_PROVIDER_BASE_URL"] = server.url
        sync = subprocess.Popen(
            [sys.executable, "-m", "catalog_pipeline.cli", "sync", "--providers", "openrouter"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while not any(r.provider == "openrouter" for r in server.requests):
                assert time.monotonic() < deadline and sync.poll() is None, "sync never fetched"
                time.sleep(0.1)
            sync.send_signal(signal.SIGKILL)
            sync.wait(timeout=30)
        finally:
            if sync.poll() is None:
                sync.kill()
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        [record] = instance.get_run_records(dg.RunsFilter(job_name="sync_provider"))
        assert record.dagster_run.status == dg.DagsterRunStatus.STARTED
        run_id = record.dagster_run.run_id

    daemon = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-daemon"), "run", "-f", str(code)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
            while instance.get_run_by_id(run_id).status != dg.DagsterRunStatus.FAILURE:
                assert time.monotonic() < deadline, "the daemon never failed the killed run"
                assert daemon.poll() is None, "the daemon exited"
                time.sleep(0.5)
            messages = [e.message for e in instance.all_logs(run_id) if e.message]
        assert any("maximum runtime of 5 seconds" in m for m in messages), messages[-5:]
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
