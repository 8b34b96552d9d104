"""Scenario 2: the whole roster as one backfill on a real dagster-daemon (PostgreSQL storage).

A private ``DAGSTER_HOME`` holds ``deploy/dagster.yaml`` pointed at a fresh PostgreSQL
database; ``dagster-webserver`` and ``dagster-daemon`` run over ``workspace.yaml`` with the
catalog on another fresh database and every provider pointed at the replay server (same
generated recordings and latency profile as scenario 1). The backfill of
``provider_models``/``normalized_models``/``models`` over every provider partition is
launched with the GraphQL ``launchPartitionBackfill`` mutation and polled until every run
has finished. The processes and databases are torn down whatever happens.

Reported: wall time (launch to last run end), per run: queue wait (created to started),
duration, and overhead (duration minus the replay latency that run paid). Target: < 90 s.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.common import REPO, bench_env, fresh_database, postgres_instance_env
from benchmarks.generate import roster_latency, roster_recordings
from benchmarks.result import ScenarioResult
from benchmarks.scenario_sync import replay_env

WALL_LIMIT_SECONDS = 90.0
TERMINAL_RUN = {"SUCCESS", "FAILURE", "CANCELED"}
ACTIVE_BACKFILL = {"REQUESTED", "CANCELING", "FAILING"}
ASSETS = ("provider_models", "normalized_models", "models")

LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}
"""

OTHER_RUNS = """
{ runsOrError { __typename ... on Runs { results { jobName status tags { key value } } } } }
"""

POLL = """
query Poll($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status numPartitions }
    ... on Error { message }
  }
  runsOrError(filter: {tags: [{key: "dagster/backfill", value: $id}]}) {
    __typename
    ... on Runs {
      results { runId status creationTime startTime endTime tags { key value } }
    }
  }
}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(url: str, query: str, variables: dict) -> dict:
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        url + "/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        payload = json.loads(response.read())
    if payload.get("errors"):
        raise RuntimeError(f"GraphQL errors: {payload['errors']}")
    return payload["data"]


def _wait_for_webserver(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dagster-webserver exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/server_info", timeout=5):
                pass
            graphql(url, "{ version }", {})
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"dagster-webserver not ready at {url} after {timeout} s")


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process this scenario started, and its own children (its process group)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def run(featherless_models: int = 17_800, timeout: float = 900) -> ScenarioResult:
    from catalog_pipeline.replay.server import ReplayServer

    result = ScenarioResult("backfill", "roster backfill on dagster-daemon + PostgreSQL storage")
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="bench-backfill-") as tmp_name:
        tmp = Path(tmp_name)
        pages = roster_recordings(tmp / "recordings", featherless_models)
        latency = roster_latency(pages)
        paid = {slug: latency[slug] * pages[slug] for slug in pages}
        slugs = sorted(pages)
        result.figures["partitions"] = len(slugs)
        result.figures["slowest_provider_latency_seconds"] = round(max(paid.values()), 2)
        with (
            ReplayServer(tmp / "recordings") as server,
            fresh_database() as catalog_db,
            fresh_database("dagster_bench") as dagster_db,
        ):
            server.latency.update(latency)
            env = {
                **os.environ,
                **bench_env(tmp, catalog_db),
                **replay_env(server.url),
                **postgres_instance_env(tmp / "dagster_home", dagster_db),
            }
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            logs = tmp / "logs"
            logs.mkdir()
            procs: list[subprocess.Popen] = []
            try:
                for name, argv in (
                    (
                        "webserver",
                        [
                            str(bin_dir / "dagster-webserver"),
                            "-w",
                            "workspace.yaml",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            str(port),
                        ],
                    ),
                    ("daemon", [str(bin_dir / "dagster-daemon"), "run", "-w", "workspace.yaml"]),
                ):
                    procs.append(
                        subprocess.Popen(
                            argv,
                            cwd=REPO,
                            env=env,
                            stdout=(logs / f"{name}.log").open("wb"),
                            stderr=subprocess.STDOUT,
                            start_new_session=True,
                        )
                    )
                t0 = time.perf_counter()
                _wait_for_webserver(url, procs[0])
                result.figures["webserver_ready_seconds"] = round(time.perf_counter() - t0, 1)
                _measure(result, url, slugs, paid, procs[1], timeout)
            except Exception:
                tail = (logs / "daemon.log").read_text(errors="replace")[-3000:]
                result.notes.append(f"daemon log tail: {tail}")
                raise
            finally:
                for proc in reversed(procs):
                    _stop(proc)
    return result


def _measure(
    result: ScenarioResult,
    url: str,
    slugs: list[str],
    paid: dict[str, float],
    daemon: subprocess.Popen,
    timeout: float,
) -> None:
    params = {"partitionNames": slugs, "assetSelection": [{"path": [a]} for a in ASSETS]}
    launched_at = time.time()
    answer = graphql(url, LAUNCH, {"params": params})["launchPartitionBackfill"]
    if answer["__typename"] != "LaunchBackfillSuccess":
        raise RuntimeError(f"launchPartitionBackfill: {answer}")
    backfill_id = answer["backfillId"]
    timed_out = False
    deadline = time.monotonic() + timeout
    while True:
        if daemon.poll() is not None:
            raise RuntimeError(f"dagster-daemon exited with {daemon.returncode}")
        data = graphql(url, POLL, {"id": backfill_id})
        status = data["partitionBackfillOrError"].get("status")
        runs = data["runsOrError"].get("results", [])
        done = [r for r in runs if r["status"] in TERMINAL_RUN]
        if status not in ACTIVE_BACKFILL and len(done) == len(runs) and runs:
            break
        if time.monotonic() > deadline:
            timed_out = True
            result.notes.append(
                f"backfill {backfill_id} not done after {timeout:.0f} s: {status}, "
                f"{len(done)}/{len(runs)} runs finished; figures below cover finished runs"
            )
            break
        time.sleep(1.0)
    observed = time.time() - launched_at
    others = graphql(url, OTHER_RUNS, {})["runsOrError"].get("results", [])
    by_job: dict[str, int] = {}
    for other in others:
        if not any(t["key"] == "dagster/backfill" for t in other["tags"]):
            label = f"{other['jobName']}:{other['status']}"
            by_job[label] = by_job.get(label, 0) + 1
    result.figures["other_runs_during_backfill"] = json.dumps(by_job)
    last_end = max(r["endTime"] for r in runs if r["endTime"])
    first_start = min(r["startTime"] for r in runs if r["startTime"])
    waits, durations, overheads = [], [], []
    for run in runs:
        partition = next((t["value"] for t in run["tags"] if t["key"] == "dagster/partition"), "")
        if run["startTime"] and run["endTime"]:
            waits.append(run["startTime"] - run["creationTime"])
            duration = run["endTime"] - run["startTime"]
            durations.append(duration)
            overheads.append(duration - paid.get(partition, 0.0))
    statuses: dict[str, int] = {}
    for run in runs:
        statuses[run["status"]] = statuses.get(run["status"], 0) + 1
    wall = (time.time() if timed_out else last_end) - launched_at
    result.figures["backfill_status"] = status
    result.figures["runs"] = f"{len(done)} finished of {len(runs)} launched"
    result.figures["run_statuses"] = json.dumps(statuses)
    result.figures["wall_seconds (launch to last run end)"] = round(wall, 1)
    result.figures["observed_seconds (launch to poll saw done)"] = round(observed, 1)
    result.figures["launch_to_first_run_start_seconds"] = round(first_start - launched_at, 1)
    result.figures["queue_wait_mean/max_seconds"] = (
        f"{statistics.mean(waits):.1f} / {max(waits):.1f}"
    )
    result.figures["run_duration_mean/max_seconds"] = (
        f"{statistics.mean(durations):.1f} / {max(durations):.1f}"
    )
    result.figures["per_run_overhead_mean/median_seconds"] = (
        f"{statistics.mean(overheads):.1f} / {statistics.median(overheads):.1f}"
    )
    result.check(
        "backfill wall time",
        wall < WALL_LIMIT_SECONDS and not timed_out,
        f"< {WALL_LIMIT_SECONDS:.0f} s",
        f"{'> ' if timed_out else ''}{wall:.1f} s",
        f"{wall - WALL_LIMIT_SECONDS:+.1f} s vs target",
    )


if __name__ == "__main__":
    print(run().render())
