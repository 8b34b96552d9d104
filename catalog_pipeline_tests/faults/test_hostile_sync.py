"""Hostile providers against the real ``catalog-pipeline sync``: its process tree, its memory.

Each test runs the command as a user does (a child process, its fork server and worker
processes) against a loopback replay server that plays one hostile provider among good
ones, on a real PostgreSQL catalog. It then checks that the hostile provider failed with a
clear error, that every other provider of the same sync is ``ok``, and, for the memory
attacks, that the whole process tree's proportional set size grew by no more than the
512 MB response cap over a clean sync of the same providers.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from dagster._core.instance.ref import InstanceRef

from catalog_pipeline.replay import faults
from catalog_pipeline.replay.server import ReplayServer
from catalog_pipeline_tests.conftest import (
    DEFAULT_POSTGRES,
    POSTGRES_ENV,
    RECORDINGS,
    REPO,
    _postgres_database,
)
from catalog_pipeline_tests.faults.processes import (
    PeakTreePss,
    alive,
    descendants,
    pid_of_loopback_client,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.process]

CLI = [sys.executable, "-m", "catalog_pipeline.cli", "sync", "--json"]
PROVIDERS = ("groq", "together", "openrouter", "anthropic")
RESPONSE_CAP_MB = 512
"""The client's default ``max_response_mb``: the most one hostile response may add."""
FAKE_KEYS = {"GROQ_API_KEY": "gsk-replay", "TOGETHER_API_KEY": "tg-replay"}
FAKE_KEYS["ANTHROPIC_API_KEY"] = "sk-ant-replay"


@dataclass
class SyncRun:
    returncode: int
    report: dict[str, Any] | None
    peak_mb: float
    stderr: str

    def status(self, slug: str) -> str:
        assert self.report is not None, self.stderr[-3000:]
        return self.report["providers"][slug]["status"]

    def error(self, slug: str) -> str:
        assert self.report is not None, self.stderr[-3000:]
        return self.report["providers"][slug]["error"] or ""


@dataclass
class HostileWorld:
    server: ReplayServer
    env: dict[str, str]
    home: Path
    clean_peak_mb: float = 0.0

    def start(self, providers: tuple[str, ...] = PROVIDERS) -> subprocess.Popen[str]:
        """The sync as a child process, its output to files: a process it leaves behind may
        hold a pipe open forever, a file it cannot."""
        folder = self.home.parent
        with (folder / "out.json").open("w") as out, (folder / "err.log").open("w") as err:
            return subprocess.Popen(
                [*CLI, "--providers", ",".join(providers)],
                env=self.env,
                cwd=folder,
                stdout=out,
                stderr=err,
                text=True,
            )

    def sync(
        self,
        providers: tuple[str, ...] = PROVIDERS,
        during: Callable[[subprocess.Popen[str]], None] | None = None,
    ) -> SyncRun:
        process = self.start(providers)
        sampler = PeakTreePss(process.pid)
        try:
            if during is not None:
                during(process)
            process.wait(timeout=300)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            peak = sampler.stop()
        err = (self.home.parent / "err.log").read_text()
        try:
            report = json.loads((self.home.parent / "out.json").read_text())
        except json.JSONDecodeError:
            report = None
        return SyncRun(process.returncode, report, peak, err)

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(self.home)))

    def wait_for_request(self, slug: str, timeout: float = 120) -> int:
        """The client port of the first request for ``slug`` (waits until it arrives)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for request in list(self.server.requests):
                if request.provider == slug:
                    return request.client_port
            time.sleep(0.05)
        raise AssertionError(f"no request for {slug} within {timeout}s")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileWorld]:
    folder = tmp_path_factory.mktemp("hostile-sync")
    shutil.copytree(RECORDINGS, folder / "recordings")
    base = os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES
    for database_url in _postgres_database(base):
        with ReplayServer(folder / "recordings") as server:
            env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
            env.update(
                FAKE_KEYS,
                CATALOG_PROVIDER_BASE_URL=server.url,
                CATALOG_DATABASE_URL=database_url,
                DAGSTER_HOME=str(folder / "dagster_home"),
                CATALOG_DATA_DIR=str(folder / "data"),
                PYTHONPATH=str(REPO),
            )
            state = HostileWorld(server, env, folder / "dagster_home")
            clean = state.sync()
            assert {clean.status(slug) for slug in PROVIDERS} == {"ok"}, clean.stderr[-3000:]
            state.clean_peak_mb = clean.peak_mb
            yield state


@pytest.fixture
def hostile(world: HostileWorld) -> Iterator[HostileWorld]:
    world.server.faults.clear()
    world.server.latency.clear()
    world.server.requests.clear()
    yield world
    world.server.faults.clear()
    world.server.latency.clear()


def assert_alone_failed(run: SyncRun, slug: str, expected: str) -> None:
    assert run.status(slug) == "failed", run.report
    assert f"provider {slug!r}" in run.error(slug) and expected in run.error(slug), run.error(slug)
    others = {other: run.status(other) for other in PROVIDERS if other != slug}
    assert set(others.values()) == {"ok"}, run.report


def assert_memory_bounded(world: HostileWorld, run: SyncRun, record: Callable) -> None:
    growth = run.peak_mb - world.clean_peak_mb
    record("clean_sync_peak_pss_mb", round(world.clean_peak_mb))
    record("hostile_sync_peak_pss_mb", round(run.peak_mb))
    assert growth <= RESPONSE_CAP_MB, (
        f"the sync's process tree peaked at {run.peak_mb:.0f} MB PSS, {growth:.0f} MB over a "
        f"clean sync ({world.clean_peak_mb:.0f} MB): more than the {RESPONSE_CAP_MB} MB cap"
    )


def test_a_compression_bomb_is_capped_while_it_inflates(
    hostile: HostileWorld, record_fault, record_property
):
    """~3.6 KB labelled ``gzip, gzip`` that inflate to 2 GB: the decoded bytes stop at 512 MB."""
    hostile.server.faults["groq"] = [faults.compression_bomb(2 * 1024**3, layers=2)]
    record_fault("cli_compression_bomb_2gb_gzip_gzip")
    run = hostile.sync()
    assert_memory_bounded(hostile, run, record_property)
    assert_alone_failed(run, "groq", "response exceeded 512 MB once decoded")


def test_deep_nesting_is_refused_before_it_is_parsed(
    hostile: HostileWorld, record_fault, record_property
):
    """One item nested 20,000 levels deep (40 KB): refused at level 65, memory flat."""
    document = faults.load(hostile.server.root, "together", "v1/models")
    hostile.server.faults["together"] = [faults.deeply_nested(document, None, 20_000)]
    record_fault("cli_one_item_nested_20000_levels")
    run = hostile.sync()
    assert_memory_bounded(hostile, run, record_property)
    assert_alone_failed(run, "together", "nests deeper than 64 levels")


def test_a_4301_digit_integer_fails_its_provider_alone(
    hostile: HostileWorld, record_fault, record_property
):
    """The number that crashes the C JSON parser: the other providers (still fetching when it
    arrives) finish ``ok``."""
    document = faults.load(hostile.server.root, "openrouter", "api/v1/models")
    hostile.server.faults["openrouter"] = [faults.huge_integer(document, "data", 4_301)]
    for slug in PROVIDERS:
        if slug != "openrouter":
            hostile.server.latency[slug] = 3.0
    record_fault("cli_integer_of_4301_digits")
    run = hostile.sync()
    assert_memory_bounded(hostile, run, record_property)
    assert_alone_failed(run, "openrouter", "number longer than 100 characters")


def test_a_worker_killed_mid_run_fails_only_its_provider(hostile: HostileWorld, record_fault):
    """SIGSEGV to the worker running together (a crash in native code): together fails with
    a message saying so, its run is marked failed, the others finish ``ok``."""
    hostile.server.latency["together"] = 30.0
    for slug in ("groq", "openrouter", "anthropic"):
        hostile.server.latency[slug] = 3.0
    record_fault("cli_worker_segfault_mid_run")
    killed: list[int] = []

    def crash_together(process: subprocess.Popen[str]) -> None:
        port = hostile.wait_for_request("together")
        pid = pid_of_loopback_client(port, descendants(process.pid))
        assert pid is not None, "no process of the sync holds together's connection"
        os.kill(pid, signal.SIGSEGV)
        killed.append(pid)

    run = hostile.sync(during=crash_together)
    assert killed
    assert_alone_failed(run, "together", "killed by SIGSEGV")
    with hostile.instance() as instance:
        [record] = instance.get_run_records(
            dg.RunsFilter(job_name="sync_provider", tags={"dagster/partition": "together"}),
            limit=1,
        )
    assert record.dagster_run.status == dg.DagsterRunStatus.FAILURE


def test_killing_the_sync_kills_its_workers_and_the_next_sync_fails_their_runs(
    hostile: HostileWorld, record_fault
):
    """SIGKILL the CLI while every provider is mid-fetch: within 5 s nothing it started is
    alive, and the runs it left STARTED end FAILURE at the next sync."""
    for slug in PROVIDERS:
        hostile.server.latency[slug] = 60.0
    record_fault("cli_sigkilled_mid_run")
    process = hostile.start()
    try:
        for slug in PROVIDERS:
            hostile.wait_for_request(slug)
        children = descendants(process.pid)
        assert len(children) >= len(PROVIDERS) + 1, "expected a fork server and a worker each"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.1)
    survivors = [pid for pid in children if alive(pid)]
    assert survivors == [], f"processes of the killed sync still alive: {survivors}"

    with hostile.instance() as instance:
        left = instance.get_run_records(
            dg.RunsFilter(tags={"catalog/trigger": "cli"}, statuses=[dg.DagsterRunStatus.STARTED])
        )
    orphans = {record.dagster_run.run_id for record in left}
    assert len(orphans) == len(PROVIDERS)
    hostile.server.latency.clear()
    again = hostile.sync()
    assert {again.status(slug) for slug in PROVIDERS} == {"ok"}, again.report
    with hostile.instance() as instance:
        statuses = {run_id: instance.get_run_by_id(run_id).status for run_id in orphans}
    assert set(statuses.values()) == {dg.DagsterRunStatus.FAILURE}
