"""The Dagster UI of ``make ui`` in a real browser: each provider's checks stand on their own.

Two providers are synced with the real command (``catalog-pipeline sync --replay``), one of
them twice with a model gone the second time (a WARN). Then ``make ui`` runs on a free
loopback port and headless Chromium (Debian's ``chromium`` package, driven by Playwright;
``.ci/run`` installs it when missing) opens ``provider_models`` -> Checks ->
``count_not_dropped`` -> Partitions, and finds each provider's own result and history,
then the Runs page. On failure, screenshots go to a temporary folder named in the output.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from catalog_pipeline_tests.conftest import RECORDINGS, REPO
from catalog_pipeline_tests.e2e.stack import free_port, wait_until

pytestmark = pytest.mark.e2e

CLI = (sys.executable, "-m", "catalog_pipeline.cli")
CHROMIUM = Path(os.environ.get("CATALOG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GROQ_WARN = (
    "groq: 4 models, 5 at the last good sync (20.0% dropped; WARN above 10%, ERROR above "
    "50%); gone: moonshotai/kimi-k2-instruct-0905"
)
TOGETHER_PASS = "together: 7 models; no earlier good sync to compare with"
SYNC_RUNS = """
query($partition: String!) {
  runsOrError(filter: {pipelineName: "sync_provider",
                       tags: [{key: "dagster/partition", value: $partition}]}) {
    ... on Runs { results { runId status } }
  }
}"""
ALL_RUNS = "{ runsOrError { ... on Runs { results { runId pipelineName } } } }"
LOCATIONS = """{ workspaceOrError { ... on Workspace { locationEntries {
    name loadStatus locationOrLoadError { __typename } } } } }"""


def sync(env: dict[str, str], cwd: Path, providers: str, recordings: Path) -> None:
    result = subprocess.run(
        [*CLI, "sync", "--replay", str(recordings), "--providers", providers],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert result.stderr == "", result.stderr


class MakeUi:
    """``make ui PORT=<free port>`` in its own session; stopped with everything it started."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.http = httpx.Client(timeout=30, trust_env=False)

    def __enter__(self) -> MakeUi:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                ["make", "-s", "ui", f"PORT={self.port}"],
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until("make ui to load the code location", self._loaded, timeout=240)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables or {}}
        )
        response.raise_for_status()
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def _loaded(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"make ui exited:\n{self.log_path.read_text()[-3000:]}")
        try:
            entries = self.query(LOCATIONS)["workspaceOrError"]["locationEntries"]
        except httpx.TransportError:
            return False
        return any(
            e["name"] == "catalog_pipeline"
            and e["loadStatus"] == "LOADED"
            and e["locationOrLoadError"]["__typename"] == "RepositoryLocation"
            for e in entries
        )

    def stop(self) -> None:
        self.http.close()
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)  # dagster dev stops its children
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def synced(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of an operator who synced together and groq, then groq again."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    for name in ("CATALOG_DATABASE_URL", "CATALOG_UI_BASE_URL", "CATALOG_ALERT_WEBHOOK_URL"):
        env.pop(name, None)
    env.update(
        DAGSTER_HOME=str(tmp_path / "dagster_home"),
        CATALOG_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO),
    )
    recordings = tmp_path / "recordings"
    shutil.copytree(RECORDINGS, recordings)
    sync(env, tmp_path, "together,groq", recordings)
    groq = recordings / "groq" / "openai" / "v1" / "models.json"
    body = json.loads(groq.read_text())
    groq.write_text(json.dumps({**body, "data": body["data"][:4]}))
    sync(env, tmp_path, "groq", recordings)
    yield env


def test_each_provider_has_its_own_check_result_and_history_in_the_ui(
    synced: dict[str, str], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)")
    screenshots = Path(tempfile.mkdtemp(prefix="catalog-ui-screenshots-"))
    with MakeUi(synced, tmp_path / "make-ui.log") as ui:
        ui.query("mutation { setNuxSeen }")  # no newsletter dialog over the page
        groq_runs = ui.query(SYNC_RUNS, {"partition": "groq"})["runsOrError"]["results"]
        together_runs = ui.query(SYNC_RUNS, {"partition": "together"})["runsOrError"]["results"]
        all_runs = ui.query(ALL_RUNS)["runsOrError"]["results"]
        assert len(groq_runs) == 2 and len(together_runs) == 1
        assert sorted(r["pipelineName"] for r in all_runs) == [
            "refresh_catalog",
            "refresh_catalog",
            "sync_provider",
            "sync_provider",
            "sync_provider",
        ]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch_persistent_context(
                str(tmp_path / "chromium-profile"),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1600, "height": 1200},
            )
            page = browser.new_page()
            page.set_default_timeout(30_000)
            try:
                page.goto(f"{ui.url}/assets/provider_models?view=checks")
                page.get_by_text("count_not_dropped", exact=True).first.click()
                page.get_by_text("Partitions", exact=True).last.click()

                def open_partition(slug: str) -> None:
                    page.get_by_placeholder("Filter by partition…").fill(slug)
                    page.get_by_text(slug, exact=True).first.click()

                open_partition("groq")
                expect(page.get_by_text(GROQ_WARN)).to_be_visible()
                expect(page.get_by_text(TOGETHER_PASS)).to_have_count(0)
                page.get_by_text("View all historical executions (2)").click()
                history = page.get_by_role("dialog")
                expect(history).to_contain_text("Historical check executions for groq")
                for run in groq_runs:
                    expect(history).to_contain_text(run["runId"][:8])
                expect(history).to_contain_text("Failed")
                expect(history).to_contain_text("Succeeded")
                assert together_runs[0]["runId"][:8] not in history.inner_text()
                history.get_by_role("button", name="OK").click()
                expect(history).to_have_count(0)

                open_partition("together")
                expect(page.get_by_text(TOGETHER_PASS)).to_be_visible()
                expect(page.get_by_text(GROQ_WARN)).to_have_count(0)
                expect(page.get_by_text("View all historical executions (1)")).to_be_visible()

                page.goto(f"{ui.url}/runs")
                for run in all_runs:
                    expect(page.get_by_text(run["runId"][:8]).first).to_be_visible()
                expect(page.get_by_text("sync_provider").first).to_be_visible()
            except BaseException:
                page.screenshot(path=str(screenshots / "failure.png"), full_page=True)
                print(f"screenshots in {screenshots}; make ui log: {ui.log_path}")
                raise
            finally:
                browser.close()
    shutil.rmtree(screenshots, ignore_errors=True)
