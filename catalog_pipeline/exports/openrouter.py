"""The catalog in the shape of OpenRouter's ``GET /api/v1/models`` (``{"data": [...]}``).

One item per active offer. ``id`` is ``<provider>/<provider model id>`` (the route a
gateway in front of many providers serves; ``canonical_slug`` is the catalog's canonical
id, so tools can group offers of one model). Prices are strings of USD per token, exact
decimal strings from the catalog's Decimal (``units.decimal_str``, never a float). An
unknown ``prompt``/``completion`` price is ``"-1"``, OpenRouter's own marker for "not
known in advance" (never ``"0"``, which means free); other price keys appear only when
known: ``input_cache_read``, ``input_cache_write``, ``internal_reasoning``, ``audio`` (per
input audio token), ``image`` (per input image), ``request``, ``web_search`` (USD per
unit). Long-context tiers are OpenRouter's ``overrides``: ``[{"min_prompt_tokens": 200000,
"prompt": ..., "completion": ..., ...}]`` with the tier's known token prices under the
same keys (the project's OpenRouter parser reads them back as the same tiers).
"""

from __future__ import annotations

from typing import Any

from catalog_pipeline.domain.rows import tiers_from_text
from catalog_pipeline.domain.units import decimal_str
from catalog_pipeline.exports.common import (
    ROUTABLE_STATUSES,
    CatalogRows,
    Rendered,
    exact_json,
    split_list,
)

FORMAT = "openrouter"
UNKNOWN_PRICE = "-1"

OPTIONAL_PRICES = {
    "cache_read": "input_cache_read",
    "cache_write": "input_cache_write",
    "reasoning": "internal_reasoning",
    "audio_input": "audio",
    "per_input_image": "image",
    "per_request": "request",
    "per_web_search": "web_search",
}

TIER_PRICES = {
    "prompt": "prompt",
    "completion": "completion",
    "cache_read": "input_cache_read",
    "cache_write": "input_cache_write",
    "reasoning": "internal_reasoning",
    "audio_input": "audio",
}
"""Tier price -> its key in an ``overrides`` entry."""

SUPPORTED_PARAMETERS = {
    "tools": ("tools", "tool_choice"),
    "reasoning": ("reasoning", "include_reasoning"),
    "structured_outputs": ("structured_outputs", "response_format"),
    "json_mode": ("response_format",),
}


def item(row: dict[str, Any]) -> dict[str, Any]:
    inputs = split_list(row["input_modalities"]) or ["text"]
    outputs = split_list(row["output_modalities"]) or ["text"]
    pricing = {
        "prompt": decimal_str(row["prompt"]) or UNKNOWN_PRICE,
        "completion": decimal_str(row["completion"]) or UNKNOWN_PRICE,
    }
    for field, key in OPTIONAL_PRICES.items():
        if row[field] is not None:
            pricing[key] = decimal_str(row[field])
    tiers = tiers_from_text(row.get("price_tiers"))
    if tiers:
        pricing["overrides"] = [
            {
                "min_prompt_tokens": tier.above_prompt_tokens,
                **{
                    key: decimal_str(getattr(tier, field))
                    for field, key in TIER_PRICES.items()
                    if getattr(tier, field) is not None
                },
            }
            for tier in tiers
        ]
    parameters: list[str] = []
    for capability in split_list(row["capabilities"]):
        for name in SUPPORTED_PARAMETERS.get(capability, ()):
            if name not in parameters:
                parameters.append(name)
    first_seen = row.get("first_seen_at")
    deprecation = row["deprecation_date"]
    return {
        "id": f"{row['provider']}/{row['provider_model_id']}",
        "canonical_slug": row["canonical_id"],
        "hugging_face_id": None,
        "name": row["display_name"],
        "created": int(first_seen.timestamp()) if first_seen is not None else None,
        "description": "",
        "context_length": row["context_length"],
        "architecture": {
            "modality": f"{'+'.join(inputs)}->{'+'.join(outputs)}",
            "input_modalities": inputs,
            "output_modalities": outputs,
            "tokenizer": "Other",
            "instruct_type": None,
        },
        "pricing": pricing,
        "top_provider": {
            "context_length": row["context_length"],
            "max_completion_tokens": row["max_output_tokens"],
            "is_moderated": False,
        },
        "per_request_limits": None,
        "supported_parameters": parameters,
        "default_parameters": {},
        "supported_voices": None,
        "knowledge_cutoff": None,
        "expiration_date": deprecation.isoformat() if deprecation is not None else None,
        "links": {},
        "provider": row["provider"],
        "provider_model_id": row["provider_model_id"],
        "model_type": row["model_type"],
        "price_source": row["price_source"],
    }


def build(catalog: CatalogRows) -> tuple[dict[str, Any], Rendered]:
    result = Rendered(format=FORMAT, text="", entries=0, catalog_version=catalog.version)
    data = []
    for row in catalog.rows:
        if row["status"] not in ROUTABLE_STATUSES:
            result.skip(f"status {row['status']}")
            continue
        data.append(item(row))
    result.entries = len(data)
    return {"data": data}, result


def render(catalog: CatalogRows) -> Rendered:
    document, result = build(catalog)
    result.text = exact_json(document)
    return result
