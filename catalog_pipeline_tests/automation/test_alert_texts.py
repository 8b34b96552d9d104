"""What each alert says, word for word, for every check and for a failed fetch.

Every scenario is a real Dagster run against the loopback replay server (a recording
edited to cause the failure), evaluated by the alert sensors exactly as the daemon does,
and delivered to a real webhook receiver. The expected texts are literals: what an
operator reads in Slack.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from catalog_pipeline.defs.catalog import catalog
from catalog_pipeline.defs.jobs import PROVIDER_ASSETS, sync_provider_job
from catalog_pipeline.replay.server import CannedResponse, ReplayServer
from catalog_pipeline_tests.automation.receiver import WebhookReceiver
from catalog_pipeline_tests.automation.test_alerts_and_schedule import deliver
from catalog_pipeline_tests.pipeline.harness import resources

UI = "http://ui.test"


class Operator:
    """Runs syncs and catalog refreshes and reads what the webhook received after each."""

    def __init__(
        self,
        instance: dg.DagsterInstance,
        database_url: str,
        server: ReplayServer,
        receiver: WebhookReceiver,
    ) -> None:
        self.instance = instance
        self.database_url = database_url
        self.server = server
        self.receiver = receiver

    def _deliver(self, result: dg.ExecuteInProcessResult) -> list[str]:
        before = len(self.receiver.messages)
        deliver(self.instance, result, self.receiver.url, self.database_url, ui_base_url=UI)
        return [m["text"] for m in self.receiver.messages[before:]]

    def _definitions(self) -> dg.Definitions:
        return dg.Definitions(
            assets=PROVIDER_ASSETS,
            jobs=[sync_provider_job],
            resources=resources(self.database_url, self.server),
        )

    def _run(self, job: dg.JobDefinition, slug: str) -> tuple[dg.ExecuteInProcessResult, list[str]]:
        result = job.execute_in_process(
            partition_key=slug, instance=self.instance, raise_on_error=False
        )
        return result, self._deliver(result)

    def backfill(self, slug: str) -> tuple[dg.ExecuteInProcessResult, list[str]]:
        """A run of the provider's three assets as a UI backfill makes it (``__ASSET_JOB``)."""
        return self._run(self._definitions().resolve_implicit_global_asset_job_def(), slug)

    def scheduled(self, slug: str) -> tuple[dg.ExecuteInProcessResult, list[str]]:
        """A run of the ``sync_provider`` job, as the daily schedule launches it."""
        return self._run(self._definitions().resolve_job_def("sync_provider"), slug)

    def refresh(self) -> tuple[dg.ExecuteInProcessResult, list[str]]:
        result = dg.materialize(
            [catalog],
            resources=resources(self.database_url, self.server),
            instance=self.instance,
            raise_on_error=False,
        )
        return result, self._deliver(result)

    def edit(self, path: str, change) -> None:
        recording = self.server.root / path
        body = json.loads(recording.read_text())
        recording.write_text(json.dumps(change(body)))


@pytest.fixture
def operator(
    replay_server: ReplayServer, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Operator]:
    monkeypatch.delenv("CATALOG_UI_BASE_URL", raising=False)
    with dg.instance_for_test() as instance, WebhookReceiver() as receiver:
        yield Operator(instance, sqlite_url, replay_server, receiver)


def run_link(result: dg.ExecuteInProcessResult) -> str:
    return f"Run: {UI}/runs/{result.run_id}"


def watch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *model_ids: str) -> None:
    watchlist = tmp_path / "watchlist.csv"
    lines = ["model_id,provider,note", *(f"{model_id},,test" for model_id in model_ids)]
    watchlist.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("CATALOG_WATCHLIST", str(watchlist))


TOGETHER = "together/v1/models.json"
GROQ = "groq/openai/v1/models.json"
OPENROUTER = "openrouter/api/v1/models.json"
ANANNAS = "anannas/v1/models.json"


def test_schema_valid_error_names_the_items_and_the_threshold(operator: Operator) -> None:
    def break_one(models: list[dict]) -> list[dict]:
        models[2]["pricing"]["input"] = "three dollars"
        return models

    operator.edit(TOGETHER, break_one)
    result, texts = operator.backfill("together")
    assert not result.success
    assert texts == [
        ":rotating_light: ERROR: schema_valid on provider_models[together]: together: 1 of 7 "
        "items failed validation (14.3%; ERROR above 5%); first: deepseek-ai/DeepSeek-V3.1: "
        "pricing.input: Input should be a valid decimal\n" + run_link(result)
    ]


def test_count_not_dropped_warn_then_error_then_resolved(operator: Operator) -> None:
    full = (operator.server.root / GROQ).read_text()
    result, texts = operator.backfill("groq")
    assert result.success and texts == []

    operator.edit(GROQ, lambda body: {**body, "data": body["data"][:4]})
    warned, texts = operator.backfill("groq")
    assert warned.success
    assert texts == [
        ":warning: WARN: count_not_dropped on provider_models[groq]: groq: 4 models, 5 at the "
        "last good sync (20.0% dropped; WARN above 10%, ERROR above 50%); gone: "
        "moonshotai/kimi-k2-instruct-0905\n" + run_link(warned)
    ]

    operator.edit(GROQ, lambda body: {**body, "data": body["data"][:1]})
    blocked, texts = operator.backfill("groq")
    assert not blocked.success
    assert texts == [
        ":rotating_light: ERROR: count_not_dropped on provider_models[groq]: groq: 1 model, 4 "
        "at the last good sync (75.0% dropped; WARN above 10%, ERROR above 50%); gone: "
        "meta-llama/llama-4-scout-17b-16e-instruct, openai/gpt-oss-120b, whisper-large-v3; "
        "the provider keeps its last good rows\n" + run_link(blocked)
    ]

    (operator.server.root / GROQ).write_text(full)
    recovered, texts = operator.backfill("groq")
    assert recovered.success
    assert texts == [
        ":white_check_mark: Resolved: count_not_dropped on provider_models[groq] passes again "
        "(was ERROR): groq: 5 models, 4 at the last good sync (0.0% dropped; WARN above 10%, "
        "ERROR above 50%)\n" + run_link(recovered)
    ]


def test_prices_sane_error_lists_prices_out_of_band_and_moved(operator: Operator) -> None:
    assert operator.backfill("together")[0].success

    def per_token_by_mistake(models: list[dict]) -> list[dict]:
        for model in models:
            model["pricing"]["input"] = model["pricing"]["input"] * 1_000_000
        return models

    operator.edit(TOGETHER, per_token_by_mistake)
    result, texts = operator.backfill("together")
    assert not result.success
    assert texts == [
        ":rotating_light: ERROR: prices_sane on normalized_models[together]: together: 4 token "
        "prices failed (4 outside 0.0000000001..0.001 USD/token, 4 moved more than 10x since "
        "the last good sync: a unit change?): meta-llama/Llama-3.3-70B-Instruct-Turbo prompt "
        "0.00000088 -> 0.88, deepseek-ai/DeepSeek-V3.1 prompt 0.0000006 -> 0.6, "
        "meta-llama/Llama-Guard-3-11B-Vision-Turbo prompt 0.00000018 -> 0.18 and 1 more; the "
        "provider keeps its last good rows\n" + run_link(result)
    ]


def test_names_valid_warn_quotes_the_names(operator: Operator) -> None:
    def double_prefix(body: dict) -> dict:
        body["data"][5]["name"] = "Meta: Llama: 3.3 70B Instruct"
        return body

    operator.edit(OPENROUTER, double_prefix)
    result, texts = operator.backfill("openrouter")
    assert result.success
    assert texts == [
        ":warning: WARN: names_valid on normalized_models[openrouter]: openrouter: 1 display "
        "name with a company prefix, type suffix or stray whitespace: 'Llama: 3.3 70B "
        "Instruct' (company prefix)\n" + run_link(result)
    ]


def test_zero_prices_suspect_warn_says_why_a_zero_is_not_free(operator: Operator) -> None:
    lyria = {
        "id": "google/lyria-3-pro-preview",
        "name": "Google: Lyria 3 Pro Preview",
        "description": "Full-length songs are priced at $0.08 per song. Lyria 3 is Google's "
        "family of music generation models.",
        "context_length": 1048576,
        "architecture": {"input_modalities": ["text"], "output_modalities": ["text", "audio"]},
        "pricing": {"prompt": "0", "completion": "0"},
    }
    operator.edit(OPENROUTER, lambda body: {**body, "data": [*body["data"], lyria]})
    result, texts = operator.backfill("openrouter")
    assert result.success
    assert texts == [
        ":warning: WARN: zero_prices_suspect on normalized_models[openrouter]: openrouter: 1 "
        "model listed at price 0 but billed per song, clip, image or second (audio/video/music "
        "output or a per-unit price in the description), so the 0 is read as unknown, not "
        "free, and these answer unpriced: google/lyria-3-pro-preview (listed at 0 for prompt, "
        "completion, but its output is audio; its description says '$0.08 per song')\n"
        + run_link(result)
    ]


def test_a_failed_fetch_names_the_provider_the_url_and_the_status(operator: Operator) -> None:
    operator.server.faults["groq"] = [CannedResponse(500, b'{"error": "upstream down"}')] * 3
    result, texts = operator.backfill("groq")
    assert not result.success
    assert texts == [
        ":rotating_light: provider_models[groq] failed: provider 'groq': gave up after 3 "
        'attempts; last: HTTP 500: {"error": "upstream down"} '
        f"(GET {operator.server.url}/groq/openai/v1/models). The provider is down or "
        "rate-limiting; the last good data stays in the catalog. Retry later or raise "
        "max_attempts.\n" + run_link(result)
    ]


def test_catalog_checks_say_which_providers_and_models(
    operator: Operator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch(tmp_path, monkeypatch, "openai/gpt-4o", "no-such-lab/model-x", "openrouter/auto")

    def gpt_4o_ten_times(body: dict) -> dict:
        body["data"][0]["pricing"]["prompt"] = "0.000025"
        return body

    operator.edit(ANANNAS, gpt_4o_ten_times)
    for slug in ("openrouter", "openai", "anannas"):
        assert operator.backfill(slug)[0].success
    operator.server.faults["groq"] = [CannedResponse(503, b"maintenance")] * 3
    assert not operator.backfill("groq")[0].success

    result, texts = operator.refresh()
    assert result.success
    assert sorted(texts) == sorted(
        [
            ":rotating_light: ERROR: missing_providers on catalog: 1 provider failing or stale "
            "(no successful sync in 36 h): groq (failed: provider 'groq': gave up after 3 "
            f"attempts; last: HTTP 503: maintenance (GET {operator.server.url}/groq/openai/v1/"
            "models). The provider is down or rate-limitin…); their last good rows, if any, "
            "are still served; 35 more not configured or never synced\n" + run_link(result),
            ":warning: WARN: unpriced_models on catalog: 5 of 17 active offers have no known "
            "price (no token, image or request price); by provider: openai 4 of 7, openrouter "
            "1 of 7; e.g. openai gpt-3.5-turbo, openai gpt-4o-2024-05-13, openai gpt-image-1 "
            "and 2 more\n" + run_link(result),
            ":warning: WARN: price_outliers on catalog: 1 offer more than 5x from the median "
            "prompt price of the same model at 3 or more providers: anannas openai/gpt-4o "
            "0.000025 USD/token (median 0.0000025)\n" + run_link(result),
            ":rotating_light: ERROR: requested_models_resolve on catalog: 1 watched id resolves "
            "to nothing (a gateway has no price to bill): no-such-lab/model-x (not_found); 1 "
            "watched id "
            "resolves to no billable price: openrouter/auto (unpriced at openrouter)\n"
            + run_link(result),
        ]
    )


def test_a_watched_model_without_a_price_warns_with_its_provider(
    operator: Operator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch(tmp_path, monkeypatch, "openrouter/openai/gpt-4o", "openrouter/auto")
    assert operator.backfill("openrouter")[0].success
    result, texts = operator.refresh()
    requested = [text for text in texts if "requested_models_resolve" in text]
    assert requested == [
        ":warning: WARN: requested_models_resolve on catalog: 1 watched id resolves to no "
        "billable price: openrouter/auto (unpriced at openrouter)\n" + run_link(result)
    ]


def test_a_scheduled_failure_is_resolved_by_a_backfill(operator: Operator) -> None:
    """Alert state is keyed by asset and partition, not by job: the schedule's
    ``sync_provider`` run and a UI backfill's ``__ASSET_JOB`` run are the same provider."""
    operator.server.faults["groq"] = [CannedResponse(500, b'{"error": "upstream down"}')] * 3
    failed, texts = operator.scheduled("groq")
    assert failed.dagster_run.job_name == "sync_provider"
    assert not failed.success and len(texts) == 1
    assert texts[0].startswith(":rotating_light: provider_models[groq] failed: ")

    recovered, texts = operator.backfill("groq")
    assert recovered.dagster_run.job_name == "__ASSET_JOB"
    assert recovered.success
    assert texts == [
        ":white_check_mark: Resolved: provider_models[groq] succeeded again (was failed)\n"
        + run_link(recovered)
    ]

    operator.server.faults["groq"] = [CannedResponse(500, b'{"error": "upstream down"}')] * 3
    _, texts = operator.backfill("groq")
    assert len(texts) == 1 and texts[0].startswith(":rotating_light: provider_models[groq]")
    resolved_by_schedule, texts = operator.scheduled("groq")
    assert texts == [
        ":white_check_mark: Resolved: provider_models[groq] succeeded again (was failed)\n"
        + run_link(resolved_by_schedule)
    ]
