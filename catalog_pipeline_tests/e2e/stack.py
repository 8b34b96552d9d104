"""The production stack as real processes (deploy/run_local_stack.py) and its GraphQL API."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from catalog_pipeline.settings import dagster_postgres_env

REPO = Path(__file__).resolve().parents[2]
LAUNCHER = REPO / "deploy" / "run_local_stack.py"
LOCATION = "catalog_pipeline"
REPOSITORY = "__repository__"
STOP_TIMEOUT_SECONDS = 10

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(what: str, probe: Callable[[], T | None], timeout: float, every: float = 1.0) -> T:
    """Call ``probe`` until it returns something truthy; fail naming ``what`` after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


class LocalStack:
    """Runs ``deploy/run_local_stack.py`` in its own session; stops it and all it spawned."""

    def __init__(
        self,
        home: Path,
        dagster_database_url: str,
        env: dict[str, str],
        replay_dir: Path,
        log_path: Path,
    ) -> None:
        self.port = free_port()
        self.code_server_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {**os.environ, **env, **dagster_postgres_env(dagster_database_url)}
        self.env.pop("DAGSTER_HOME", None)
        self.args = [
            sys.executable,
            str(LAUNCHER),
            "--dagster-home",
            str(home),
            "--port",
            str(self.port),
            "--code-server-port",
            str(self.code_server_port),
            "--replay",
            str(replay_dir),
            "--no-create-db",
            "--stop-timeout",
            str(STOP_TIMEOUT_SECONDS),
        ]
        self.process: subprocess.Popen | None = None
        self.http = httpx.Client(timeout=60, trust_env=False)

    def __enter__(self) -> LocalStack:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.args,
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            wait_until("the code location to load", self._loaded, timeout=180)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def _loaded(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"the stack exited while starting:\n{self.log_tail()}")
        try:
            data = self.query(
                """{ workspaceOrError { ... on Workspace { locationEntries {
                    name loadStatus locationOrLoadError { __typename } } } } }"""
            )
        except httpx.TransportError:
            return False
        entries = data["workspaceOrError"]["locationEntries"]
        return any(
            e["name"] == LOCATION
            and e["loadStatus"] == "LOADED"
            and e["locationOrLoadError"]["__typename"] == "RepositoryLocation"
            for e in entries
        )

    def stop(self) -> None:
        """SIGTERM the launcher (it stops its children), then SIGKILL the whole session."""
        self.http.close()
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS + 15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables or {}}
        )
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise AssertionError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def selector(self, **extra: str) -> dict[str, str]:
        return {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, **extra}
