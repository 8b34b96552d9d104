"""Each failing check reaches the webhook once and resolves once, on SQLite and PostgreSQL.

A real run against the loopback replay server, with a recording edited to make one check
fail; the same failure again (nothing new is posted); the recording restored (one
"Resolved" message). The alert state lives in the catalog database, so every scenario
runs on both. The full texts are asserted in ``test_alert_texts.py``; here the point is
the count and the first words, which name the check, its severity and where it failed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from catalog_pipeline.replay.server import CannedResponse, ReplayServer
from catalog_pipeline_tests.automation.receiver import WebhookReceiver
from catalog_pipeline_tests.automation.test_alert_texts import (
    ANANNAS,
    GROQ,
    OPENROUTER,
    TOGETHER,
    Operator,
    watch,
)

VERCEL = "vercel-ai-gateway/v1/models.json"


@pytest.fixture
def operator(
    replay_server: ReplayServer, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Operator]:
    monkeypatch.delenv("CATALOG_UI_BASE_URL", raising=False)
    with dg.instance_for_test() as instance, WebhookReceiver() as receiver:
        yield Operator(instance, database_url, replay_server, receiver)


def break_schema(models: list[dict]) -> list[dict]:
    models[2]["pricing"]["input"] = "three dollars"
    return models


def per_token_by_mistake(models: list[dict]) -> list[dict]:
    for model in models:
        model["pricing"]["input"] = model["pricing"]["input"] * 1_000_000
    return models


def keep(n: int) -> Callable[[dict], dict]:
    return lambda body: {**body, "data": body["data"][:n]}


def prefixed_name(body: dict) -> dict:
    body["data"][5]["name"] = "Meta: Llama: 3.3 70B Instruct"
    return body


def two_spellings_two_prices(body: dict) -> dict:
    """Two spellings of one model at different prices: the identity rules merge them."""
    for model_id, prompt in (
        ("qwen/qwen2.5-vl-72b-instruct", "0.0000007"),
        ("qwen/qwen-2.5-vl-72b-instruct", "0.0000006"),
    ):
        item = copy.deepcopy(body["data"][5])
        item.update(id=model_id, canonical_slug=model_id, name="Qwen: Qwen2.5 VL 72B Instruct")
        item["pricing"]["prompt"] = prompt
        body["data"].append(item)
    return body


SCENARIOS: dict[str, tuple[str, str, Callable[[Any], Any], str, str]] = {
    # name: (provider, recording, breaking edit, first words of the alert, of the resolution)
    "schema_valid": (
        "together",
        TOGETHER,
        break_schema,
        ":rotating_light: ERROR: schema_valid on provider_models[together]: together: 1 of 7 "
        "items failed validation",
        ":white_check_mark: Resolved: schema_valid on provider_models[together] passes again "
        "(was ERROR): together: all 7 items valid",
    ),
    "count_not_dropped_warn": (
        "groq",
        GROQ,
        keep(4),
        ":warning: WARN: count_not_dropped on provider_models[groq]: groq: 4 models, 5 at the "
        "last good sync (20.0% dropped;",
        ":white_check_mark: Resolved: count_not_dropped on provider_models[groq] passes again "
        "(was WARN): groq: 4 models, 4 at the last good sync (0.0% dropped;",
    ),
    "count_not_dropped_error": (
        "groq",
        GROQ,
        keep(2),
        ":rotating_light: ERROR: count_not_dropped on provider_models[groq]: groq: 2 models, 5 "
        "at the last good sync (60.0% dropped;",
        ":white_check_mark: Resolved: count_not_dropped on provider_models[groq] passes again "
        "(was ERROR): groq: 5 models, 5 at the last good sync (0.0% dropped;",
    ),
    "prices_sane": (
        "together",
        TOGETHER,
        per_token_by_mistake,
        ":rotating_light: ERROR: prices_sane on normalized_models[together]: together: 4 token "
        "prices failed",
        ":white_check_mark: Resolved: prices_sane on normalized_models[together] passes again "
        "(was ERROR): together: every price inside its band and steady",
    ),
    "names_valid": (
        "openrouter",
        OPENROUTER,
        prefixed_name,
        ":warning: WARN: names_valid on normalized_models[openrouter]: openrouter: 1 display "
        "name with a company prefix",
        ":white_check_mark: Resolved: names_valid on normalized_models[openrouter] passes again "
        "(was WARN): openrouter: every display name clean",
    ),
    "one_price_per_canonical_id": (
        "openrouter",
        OPENROUTER,
        two_spellings_two_prices,
        ":rotating_light: ERROR: one_price_per_canonical_id on normalized_models[openrouter]: "
        "openrouter: 1 canonical id(s) merge offers that the provider prices differently",
        ":white_check_mark: Resolved: one_price_per_canonical_id on "
        "normalized_models[openrouter] passes again (was ERROR): openrouter: every canonical "
        "id has one price",
    ),
}


def about(check: str, texts: list[str]) -> list[str]:
    return [text for text in texts if f" {check} on " in text.split("\n")[0]]


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_failing_check_alerts_once_and_resolves_once(operator: Operator, scenario: str) -> None:
    slug, path, edit, alert, resolution = SCENARIOS[scenario]
    check = scenario.removesuffix("_warn").removesuffix("_error")
    recording = operator.server.root / path
    good = recording.read_text()
    first, texts = operator.backfill(slug)
    assert first.success and texts == []

    operator.edit(path, edit)
    _, announced = operator.backfill(slug)
    assert len(about(check, announced)) == 1, announced
    assert about(check, announced)[0].startswith(alert), announced
    if scenario != "count_not_dropped_warn":  # a WARN run writes: the next compares with it
        assert operator.backfill(slug)[1] == []
        recording.write_text(good)
    recovered, texts = operator.backfill(slug)
    assert recovered.success
    assert len(about(check, texts)) == 1, texts
    assert about(check, texts)[0].startswith(resolution), texts
    assert operator.backfill(slug)[1] == []


def test_a_failed_run_alerts_once_and_its_recovery_resolves_once(operator: Operator) -> None:
    for _ in range(2):
        operator.server.faults["groq"] = [CannedResponse(500, b"upstream down")] * 3
        failed, texts = operator.backfill("groq")
        assert not failed.success
        if _ == 0:
            assert len(texts) == 1
            assert texts[0].startswith(":rotating_light: provider_models[groq] failed: ")
        else:
            assert texts == []
    recovered, texts = operator.backfill("groq")
    assert recovered.success
    assert texts == [
        ":white_check_mark: Resolved: provider_models[groq] succeeded again (was failed)\n"
        f"Run: http://ui.test/runs/{recovered.run_id}"
    ]
    assert operator.backfill("groq")[1] == []


def test_catalog_checks_alert_once_and_resolve_once(
    operator: Operator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The four catalog checks fail, are announced once, then recover.

    ``missing_providers`` cannot pass here (it would take a sync of every provider), so
    its recovery is the move from ERROR (helicone failing) to WARN (only never-synced
    providers left), announced once as such.
    """
    watch(tmp_path, monkeypatch, "openrouter/openai/gpt-4o", "no-such-lab/model-x")
    anannas = (operator.server.root / ANANNAS).read_text()

    def gpt_4o_ten_times(body: dict) -> dict:
        body["data"][0]["pricing"]["prompt"] = "0.000025"
        return body

    operator.edit(ANANNAS, gpt_4o_ten_times)
    for slug in ("openrouter", "anannas", "vercel-ai-gateway"):
        assert operator.backfill(slug)[0].success
    operator.server.faults["helicone"] = [CannedResponse(503, b"maintenance")] * 3
    assert not operator.backfill("helicone")[0].success

    refreshes = [operator.refresh()[1] for _ in range(2)]
    assert refreshes[1] == []
    assert sorted(text.split(": ", 2)[1] for text in refreshes[0]) == [
        "ERROR",
        "ERROR",
        "WARN",
        "WARN",
    ]
    heads = sorted(text.split(" on catalog:")[0] for text in refreshes[0])
    assert heads == [
        ":rotating_light: ERROR: missing_providers",
        ":rotating_light: ERROR: requested_models_resolve",
        ":warning: WARN: price_outliers",
        ":warning: WARN: unpriced_models",
    ]

    watch(tmp_path, monkeypatch, "openrouter/openai/gpt-4o")
    (operator.server.root / ANANNAS).write_text(anannas)

    def without_unpriced(body: dict) -> dict:
        unpriced = ("openrouter/auto", "bfl/flux-pro-1.1")
        return {**body, "data": [m for m in body["data"] if m["id"] not in unpriced]}

    operator.edit(OPENROUTER, without_unpriced)
    operator.edit(VERCEL, without_unpriced)
    for slug in ("openrouter", "vercel-ai-gateway", "anannas", "helicone"):
        assert operator.backfill(slug)[0].success

    _, texts = operator.refresh()
    assert sorted(text.split(" on catalog")[0] for text in texts) == [
        ":warning: WARN: missing_providers",
        ":white_check_mark: Resolved: price_outliers",
        ":white_check_mark: Resolved: requested_models_resolve",
        ":white_check_mark: Resolved: unpriced_models",
    ], texts
    assert operator.refresh()[1] == []
