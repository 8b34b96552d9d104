"""LiteLLM, given our export, bills a request what ``catalog-pipeline cost`` bills it.

A catalog synced over loopback HTTP from OpenRouter-format recordings (a long-context
tiered model with cache prices, an audio model, a model with a reasoning price), exported
with ``catalog-pipeline export --format litellm``, registered in the real ``litellm``
package (its local cost map: no internet here) and asked ``completion_cost`` for tiered,
cached, audio and reasoning usages; every answer is compared with ``catalog-pipeline cost``.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from catalog_pipeline_tests.test_cli import cli_env, run  # noqa: F401 - cli_env is a fixture

pytestmark = pytest.mark.process

SONNET_4 = {
    "id": "anthropic/claude-sonnet-4",
    "name": "Anthropic: Claude Sonnet 4",
    "created": 1747930371,
    "context_length": 1000000,
    "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["text"]},
    "pricing": {
        "prompt": "0.000003",
        "completion": "0.000015",
        "input_cache_read": "0.0000003",
        "input_cache_write": "0.00000375",
        "overrides": [
            {
                "min_prompt_tokens": 200000,
                "prompt": "0.000006",
                "completion": "0.0000225",
                "input_cache_read": "0.0000006",
                "input_cache_write": "0.0000075",
            }
        ],
    },
}
GPT_AUDIO = {
    "id": "openai/gpt-audio",
    "name": "OpenAI: GPT Audio",
    "context_length": 128000,
    "architecture": {"input_modalities": ["text", "audio"], "output_modalities": ["text", "audio"]},
    "pricing": {"prompt": "0.0000025", "completion": "0.00001", "audio": "0.000032"},
}
GEMINI_FLASH = {
    "id": "google/gemini-2.5-flash",
    "name": "Google: Gemini 2.5 Flash",
    "context_length": 1048576,
    "architecture": {"input_modalities": ["text", "image", "audio"], "output_modalities": ["text"]},
    "pricing": {
        "prompt": "0.0000003",
        "completion": "0.0000025",
        "image": "0.0000003",
        "audio": "0.000001",
        "internal_reasoning": "0.0000025",
        "input_cache_read": "0.00000003",
    },
}

S4 = "anthropic/claude-sonnet-4"
USAGES = [
    (S4, dict(input=1_000, output=100)),
    (S4, dict(input=1_000, output=100, cache_read=5_000, cache_write=2_000)),
    # the whole prompt (input + cache) is over 200k: every line at the tier price
    (S4, dict(input=190_000, output=900, cache_read=8_000, cache_write=2_001)),
    (S4, dict(input=250_000, output=100)),
    # exactly 200k is not over it
    (S4, dict(input=200_000, output=100)),
    ("openai/gpt-audio", dict(input=100, output=50, audio_input=10_000)),
    ("google/gemini-2.5-flash", dict(input=2_000, output=300, reasoning=1_200, audio_input=900)),
    ("google/gemini-2.5-flash", dict(input=2_000, output=30, cache_read=40_000)),
]  # fmt: skip


def litellm_cost(litellm, key: str, q: dict[str, int]) -> Decimal:
    """LiteLLM's total for the usage as an OpenAI-style response reports it: prompt tokens
    include cached, cache-write and audio tokens; completion tokens include reasoning."""
    from litellm import ModelResponse
    from litellm.types.utils import (
        CompletionTokensDetailsWrapper,
        PromptTokensDetailsWrapper,
        Usage,
    )

    prompt = sum(q.get(k, 0) for k in ("input", "cache_read", "cache_write", "audio_input"))
    completion = q.get("output", 0) + q.get("reasoning", 0)
    usage = Usage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        total_tokens=prompt + completion,
        prompt_tokens_details=PromptTokensDetailsWrapper(
            text_tokens=q.get("input", 0),
            cached_tokens=q.get("cache_read", 0),
            cache_creation_tokens=q.get("cache_write", 0),
            audio_tokens=q.get("audio_input", 0),
        ),
        completion_tokens_details=CompletionTokensDetailsWrapper(
            text_tokens=q.get("output", 0), reasoning_tokens=q.get("reasoning", 0)
        ),
    )
    response = ModelResponse(model=key, usage=usage)
    return Decimal(repr(litellm.completion_cost(completion_response=response, model=key)))


def test_litellm_bills_our_export_as_the_cost_command_does(
    cli_env: dict[str, str],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recordings = tmp_path / "recordings" / "openrouter" / "api" / "v1"
    recordings.mkdir(parents=True)
    body = {"data": [SONNET_4, GPT_AUDIO, GEMINI_FLASH]}
    (recordings / "models.json").write_text(json.dumps(body))
    synced = run(
        ["sync", "--replay", str(tmp_path / "recordings"), "--providers", "openrouter", "--json"],
        cli_env,
        tmp_path,
    )
    assert json.loads(synced.stdout)["providers"]["openrouter"]["status"] == "ok", synced.stderr
    exported = tmp_path / "litellm.json"
    done = run(["export", "--format", "litellm", "--output", str(exported)], cli_env, tmp_path)
    assert done.returncode == 0, done.stderr
    cost_map = json.loads(exported.read_text())
    sonnet = cost_map["openrouter/anthropic/claude-sonnet-4"]
    assert sonnet["input_cost_per_token_above_200k_tokens"] == 0.000006
    assert sonnet["cache_creation_input_token_cost_above_200k_tokens"] == 0.0000075
    assert cost_map["openrouter/openai/gpt-audio"]["input_cost_per_audio_token"] == 0.000032

    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    assert os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] == "True"
    litellm.register_model(cost_map)
    compared = []
    for model, quantities in USAGES:
        flags = [f"--{name.replace('_', '-')}-tokens={count}" for name, count in quantities.items()]
        answer = run(
            ["cost", model, "--provider", "openrouter", *flags, "--json"], cli_env, tmp_path
        )
        assert answer.returncode == 0, (model, quantities, answer.stdout, answer.stderr)
        ours = Decimal(json.loads(answer.stdout)["total_usd"])
        theirs = litellm_cost(litellm, f"openrouter/{model}", quantities)
        assert abs(ours - theirs) <= ours * Decimal("1e-12"), (model, quantities, ours, theirs)
        compared.append((model, ours))
    tiered = [usd for model, usd in compared if model == S4]
    assert tiered[2] > tiered[1] * 10, "the long prompt is billed at the tier price"
    assert len(compared) == len(USAGES)
