"""The catalog as a LiteLLM model cost map (``model_prices_and_context_window.json`` format).

One entry per active, priced offer, keyed the way LiteLLM looks models up for that
provider: bare ids for OpenAI, Anthropic, Cohere chat and Vertex AI models,
``<litellm-provider>/<provider model id>`` for the rest (``together_ai/...``,
``groq/...``, ``gemini/...``, ``fireworks_ai/accounts/fireworks/models/...``). The key
naming and ``litellm_provider`` values were compared with LiteLLM's own map
(``../shared/payloads/peer__litellm_model_prices.json``) and are checked in the tests.

Units: USD per token (``input_cost_per_token``), USD per image / request / second for
non-token prices, the same units as LiteLLM's map. Audio tokens are
``input_cost_per_audio_token`` / ``output_cost_per_audio_token``.

Long-context tiers are LiteLLM's ``*_above_<N>k_tokens`` keys (``input_cost_per_token``,
``output_cost_per_token``, ``cache_read_input_token_cost``,
``cache_creation_input_token_cost``), which LiteLLM applies to every token of a request
whose prompt tokens exceed N thousand: the catalog's rule. What LiteLLM's map cannot say:
a tier price the catalog does not know (LiteLLM then bills cache tokens at the tier's
input price and other tokens at the base price, where ``catalog-pipeline cost`` answers
"unknown"), and tiered reasoning or audio prices (it has no keys for them).

Numbers: every price is written as the exact plain decimal literal of the catalog's
Decimal (``0.00000015``), never via ``float`` repr. A JSON reader (LiteLLM included)
parses that literal to the nearest float64, exactly what it does with LiteLLM's own file
(``1.5e-07``), so the file itself carries no rounding error and LiteLLM gets the same
double it would get from its own map.

Left out, and counted in ``Rendered.skipped``: offers with no known price (LiteLLM
would bill them as free; leaving them out keeps LiteLLM's own entry or its "model not
mapped" error), providers LiteLLM has no provider name for, and non-active offers.
Capability flags are only ever written as ``true``: a missing flag in our data is
"not reported", and ``register_model`` would otherwise overwrite LiteLLM's own ``true``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from catalog_pipeline.domain.rows import tiers_from_text
from catalog_pipeline.exports.common import (
    ROUTABLE_STATUSES,
    CatalogRows,
    Rendered,
    exact_json,
    split_list,
)

FORMAT = "litellm"

# our provider slug -> (key prefix, litellm_provider); "" prefix means a bare key.
PROVIDERS: dict[str, tuple[str, str]] = {
    "openai": ("", "openai"),
    "anthropic": ("", "anthropic"),
    "google": ("gemini/", "gemini"),
    "google-vertex": ("", "vertex_ai-language-models"),
    "mistral": ("mistral/", "mistral"),
    "cohere": ("", "cohere_chat"),
    "xai": ("xai/", "xai"),
    "deepseek": ("deepseek/", "deepseek"),
    "moonshot": ("moonshot/", "moonshot"),
    "minimax": ("minimax/", "minimax"),
    "zai": ("zai/", "zai"),
    "alibaba": ("dashscope/", "dashscope"),
    "together": ("together_ai/", "together_ai"),
    "groq": ("groq/", "groq"),
    "deepinfra": ("deepinfra/", "deepinfra"),
    "novita": ("novita/", "novita"),
    "fireworks": ("fireworks_ai/", "fireworks_ai"),
    "cerebras": ("cerebras/", "cerebras"),
    "nebius": ("nebius/", "nebius"),
    "huggingface": ("huggingface/", "huggingface"),
    "cloudflare-workers-ai": ("cloudflare/", "cloudflare"),
    "vercel-ai-gateway": ("vercel_ai_gateway/", "vercel_ai_gateway"),
    "openrouter": ("openrouter/", "openrouter"),
    "aihubmix": ("aihubmix/", "aihubmix"),
    "featherless": ("featherless_ai/", "featherless_ai"),
    "fal": ("fal_ai/", "fal_ai"),
    "replicate": ("replicate/", "replicate"),
    "bfl": ("black_forest_labs/", "black_forest_labs"),
    "clarifai": ("clarifai/", "clarifai"),
}

MODES = {
    "chat": "chat",
    "completion": "completion",
    "embedding": "embedding",
    "image": "image_generation",
    "video": "video_generation",
    "audio": "audio_speech",
    "transcription": "audio_transcription",
    "moderation": "moderation",
    "rerank": "rerank",
}

TOKEN_PRICES = {
    "prompt": "input_cost_per_token",
    "completion": "output_cost_per_token",
    "cache_read": "cache_read_input_token_cost",
    "cache_write": "cache_creation_input_token_cost",
    "reasoning": "output_cost_per_reasoning_token",
    "audio_input": "input_cost_per_audio_token",
    "audio_output": "output_cost_per_audio_token",
    "per_image": "output_cost_per_image",
    "per_input_image": "input_cost_per_image",
    "per_request": "input_cost_per_request",
}

TIER_PRICES = {
    "prompt": "input_cost_per_token",
    "completion": "output_cost_per_token",
    "cache_read": "cache_read_input_token_cost",
    "cache_write": "cache_creation_input_token_cost",
}
"""Tier price -> the LiteLLM key that gets ``_above_<threshold>_tokens`` appended."""


def tier_key(base_key: str, above_prompt_tokens: int) -> str:
    """``input_cost_per_token_above_200k_tokens``: LiteLLM's spelling of a threshold
    (thousands as ``k``; any other count as a plain number, which LiteLLM also reads)."""
    thousands, rest = divmod(above_prompt_tokens, 1000)
    size = f"{thousands}k" if not rest else str(above_prompt_tokens)
    return f"{base_key}_above_{size}_tokens"


CAPABILITY_FLAGS = {
    "tools": ("supports_function_calling",),
    "vision": ("supports_vision",),
    "reasoning": ("supports_reasoning",),
    "structured_outputs": ("supports_response_schema",),
    "prompt_caching": ("supports_prompt_caching",),
    "caching": ("supports_prompt_caching",),
    "web_search": ("supports_web_search",),
}
INPUT_FLAGS = {
    "image": "supports_vision",
    "audio": "supports_audio_input",
    "video": "supports_video_input",
    "pdf": "supports_pdf_input",
    "file": "supports_pdf_input",
}
OUTPUT_FLAGS = {"audio": "supports_audio_output"}


def _google_id(model_id: str) -> str:
    return model_id.removeprefix("models/")


ID_TRANSFORMS: dict[str, Callable[[str], str]] = {"google": _google_id}


def litellm_key(row: dict[str, Any]) -> tuple[str, str] | None:
    """(cost-map key, litellm_provider) for an offer, or None if LiteLLM has no such provider."""
    provider = row["provider"]
    if provider not in PROVIDERS:
        return None
    prefix, litellm_provider = PROVIDERS[provider]
    model_id = ID_TRANSFORMS.get(provider, str)(row["provider_model_id"])
    model_type = row["model_type"]
    if provider == "cohere" and model_type != "chat":
        prefix, litellm_provider = (
            ("cohere/", "cohere") if model_type == "embedding" else ("", "cohere")
        )
    if provider == "google-vertex":
        litellm_provider = {
            "embedding": "vertex_ai-embedding-models",
            "image": "vertex_ai-image-models",
        }.get(model_type, litellm_provider)
    return prefix + model_id, litellm_provider


def litellm_entry(row: dict[str, Any], litellm_provider: str) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for field, key in TOKEN_PRICES.items():
        if row[field] is not None:
            entry[key] = row[field]
    for tier in tiers_from_text(row.get("price_tiers")):
        for field, key in TIER_PRICES.items():
            if (value := getattr(tier, field)) is not None:
                entry[tier_key(key, tier.above_prompt_tokens)] = value
    if row["per_second"] is not None:
        key = (
            "input_cost_per_second"
            if row["model_type"] == "transcription"
            else "output_cost_per_second"
        )
        entry[key] = row["per_second"]
    if row["per_web_search"] is not None:
        entry["search_context_cost_per_query"] = {
            size: row["per_web_search"]
            for size in (
                "search_context_size_low",
                "search_context_size_medium",
                "search_context_size_high",
            )
        }
    entry["litellm_provider"] = litellm_provider
    if row["model_type"] in MODES:
        entry["mode"] = MODES[row["model_type"]]
    if row["context_length"] is not None:
        entry["max_input_tokens"] = row["context_length"]
    if row["max_output_tokens"] is not None:
        entry["max_output_tokens"] = row["max_output_tokens"]
    flags: set[str] = set()
    for capability in split_list(row["capabilities"]):
        flags.update(CAPABILITY_FLAGS.get(capability, ()))
    flags.update(INPUT_FLAGS[m] for m in split_list(row["input_modalities"]) if m in INPUT_FLAGS)
    flags.update(OUTPUT_FLAGS[m] for m in split_list(row["output_modalities"]) if m in OUTPUT_FLAGS)
    if row["cache_read"] is not None:
        flags.add("supports_prompt_caching")
    for flag in sorted(flags):
        entry[flag] = True
    if row["deprecation_date"] is not None:
        entry["deprecation_date"] = row["deprecation_date"].isoformat()
    entry["source"] = row["price_source"]
    return entry


def _priced(row: dict[str, Any]) -> bool:
    return any(row[field] is not None for field in (*TOKEN_PRICES, "per_second", "per_web_search"))


def build(catalog: CatalogRows) -> tuple[dict[str, dict[str, Any]], Rendered]:
    """The cost map as a dict (Decimal prices) and the bookkeeping of what was left out."""
    result = Rendered(format=FORMAT, text="", entries=0, catalog_version=catalog.version)
    cost_map: dict[str, dict[str, Any]] = {}
    for row in catalog.rows:
        if row["status"] not in ROUTABLE_STATUSES:
            result.skip(f"status {row['status']}")
            continue
        named = litellm_key(row)
        if named is None:
            result.skip(f"provider {row['provider']} has no LiteLLM provider name")
            continue
        if not _priced(row):
            result.skip("no known price")
            continue
        key, litellm_provider = named
        if key in cost_map:
            result.skip("duplicate key")
            continue
        cost_map[key] = litellm_entry(row, litellm_provider)
    result.entries = len(cost_map)
    return dict(sorted(cost_map.items())), result


def render(catalog: CatalogRows) -> Rendered:
    cost_map, result = build(catalog)
    result.text = exact_json(cost_map)
    return result
