"""What the alerts of the source-comparison checks and of a failed source say, word for
word (real runs against the replay server, the alert sensors, a real webhook receiver)."""

from __future__ import annotations

import json

import dagster as dg

from catalog_pipeline.defs.references import reference_prices
from catalog_pipeline_tests.automation.test_alert_texts import (  # noqa: F401 - the fixture
    Operator,
    operator,
    run_link,
)
from catalog_pipeline_tests.pipeline.harness import resources

LITELLM = "litellm/BerriAI/litellm/main/model_prices_and_context_window.json.json"
MODELS_DEV = "models-dev/api.json.json"


def sync_source(by: Operator, slug: str) -> tuple[dg.ExecuteInProcessResult, list[str]]:
    """A run of the source's partition, its alerts delivered as the sensors deliver them."""
    result = dg.materialize(
        [reference_prices],
        partition_key=slug,
        resources=resources(by.database_url, by.server),
        instance=by.instance,
        raise_on_error=False,
    )
    return result, by._deliver(result)


def test_price_sources_disagree_warn_names_the_offer_and_field(
    operator: Operator,  # noqa: F811
) -> None:
    def older_price(cost_map: dict) -> dict:
        cost_map["groq/llama-3.3-70b-versatile"]["output_cost_per_token"] = 9.9e-07
        return cost_map

    operator.edit(LITELLM, older_price)
    for slug in ("models-dev", "litellm"):
        result, texts = sync_source(operator, slug)
        assert result.success and texts == []
    result, texts = operator.backfill("groq")
    assert result.success
    assert texts == [
        ":warning: WARN: price_sources_disagree on normalized_models[groq]: groq: price sources "
        "differ by more than 1% on 1 price of 1 offer: llama-3.3-70b-versatile completion "
        "(values in USD per 1M tokens in the table)\n" + run_link(result)
    ]


def test_a_unit_bug_against_two_references_is_an_error_that_names_both_prices(
    operator: Operator,  # noqa: F811
) -> None:
    """OpenRouter lists $0.13 per 1M for Llama 3.3 70B; two references that agree on $130
    (one side read per token as per thousand) stop the run before it writes."""

    def add_openrouter(body: dict) -> dict:
        body["openrouter"] = {
            "id": "openrouter",
            "name": "OpenRouter",
            "models": {
                "meta-llama/llama-3.3-70b-instruct": {
                    "id": "meta-llama/llama-3.3-70b-instruct",
                    "cost": {"input": 130, "output": 0.4},
                }
            },
        }
        return body

    def add_litellm(cost_map: dict) -> dict:
        cost_map["openrouter/meta-llama/llama-3.3-70b-instruct"] = {
            "litellm_provider": "openrouter",
            "input_cost_per_token": 1.3e-04,
            "output_cost_per_token": 4e-07,
        }
        return cost_map

    operator.edit(MODELS_DEV, add_openrouter)
    operator.edit(LITELLM, add_litellm)
    for slug in ("models-dev", "litellm"):
        assert sync_source(operator, slug)[0].success
    result, texts = operator.backfill("openrouter")
    assert not result.success
    assert texts == [
        ":warning: WARN: price_sources_disagree on normalized_models[openrouter]: openrouter: "
        "price sources differ by more than 1% on 1 price of 1 offer: "
        "meta-llama/llama-3.3-70b-instruct prompt (values in USD per 1M tokens in the table)\n"
        + run_link(result),
        ":rotating_light: ERROR: provider_price_unit_bug on normalized_models[openrouter]: "
        "openrouter: the provider's own price is 10x or more away from the price two "
        "reference sources agree on for 1 price (a unit bug on one side; the provider's "
        "previous prices stay): meta-llama/llama-3.3-70b-instruct prompt 0.13 vs 130 per 1M "
        "(models-dev, litellm)\n" + run_link(result),
    ]


def test_a_failed_source_names_the_source_and_the_cause(operator: Operator) -> None:  # noqa: F811
    (operator.server.root / LITELLM).write_text(json.dumps({"gpt-4o": ["not", "an", "entry"]})[:-1])
    result, texts = sync_source(operator, "litellm")
    assert not result.success
    url = f"{operator.server.url}/litellm/BerriAI/litellm/main/model_prices_and_context_window.json"
    assert texts == [
        ":rotating_light: reference_prices[litellm] failed: reference source 'litellm': body "
        f"is not valid JSON: parse error: premature EOF (GET {url}). The reference file is not "
        "the documented JSON; the stored prices stay.\n" + run_link(result)
    ]
