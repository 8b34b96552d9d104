"""A catalog synced from the real recorded provider lists in ``$CATALOG_REAL_PAYLOADS``.

Each payload goes through the provider's own parser, normalization and the blocking
``one_price_per_canonical_id`` check, then ``CatalogStore.apply_offers``: the path of a sync
without the HTTP fetch (the payloads are files, not responses of a replayable URL). The
newest full list of each provider is used; the payloads are never copied into the repo.
"""

from __future__ import annotations

import json
from pathlib import Path

from catalog_pipeline.domain.reference_names import reference_provider_names
from catalog_pipeline.pipeline.checks import one_price_per_canonical_id
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.pipeline.snapshot import NormalizedSnapshot
from catalog_pipeline.providers.fetch import parse_payload
from catalog_pipeline.providers.registry import PROVIDERS, get_provider
from catalog_pipeline.store.catalog_store import CatalogStore

REAL_LISTS = {
    "openai": "openai__starmap_2026-08-17.json",
    "anthropic": "anthropic__starmap_2026-08-17.json",
    "google": "gemini__llm-gemini_cassette_2026-08-05_page1.json",
    "groq": "groq__codebase_agent_2026-03-06.json",
    "deepinfra": "deepinfra__multichat_2026-04-17.json",
    "together": "together__mch-research_2026-01.json",
    "openrouter": "openrouter__modelsdev_models_json.json",
    "cerebras": "cerebras-public__ai-pricelog_fixture_trimmed.json",
    "nebius": "nebius__agent-zero_2026-03.json",
    "moonshot": "moonshot__starmap_2025-10-20.json",
    "deepseek": "deepseek__starmap_2025-09-11.json",
    "novita": "novita__lobechat_fixture_2024_data_array.json",
    "huggingface": "huggingface-router__genai-prices_fixture_trimmed.json",
}
"""Roster slug -> its newest real list payload (PROVENANCE.md)."""

BARE_ARRAYS = {"novita"}
"""Payloads whose author stripped the ``{"data": [...]}`` wrapper."""

MODELS_DEV_PROVIDERS = {
    entry.provider: source_provider
    for (source, source_provider), entry in reference_provider_names().items()
    if source == "models-dev"
}
"""Roster slug -> models.dev provider id, from the one mapping the product matches by
(``domain/data/reference_providers.csv``)."""


def sync_real_payloads(store: CatalogStore, folder: Path) -> list[str]:
    """Write every real list into ``store``; return the synced slugs."""
    store.register_providers(provider_rows(PROVIDERS))
    for slug, name in REAL_LISTS.items():
        body = (folder / name).read_bytes()
        if slug in BARE_ARRAYS:
            body = json.dumps({"data": json.loads(body)}).encode()
        offers = normalize_rows(get_provider(slug), parse_payload(get_provider(slug), body).rows)
        outcome = one_price_per_canonical_id(
            NormalizedSnapshot(provider=slug, snapshot_id=0, offers=offers)
        )
        assert outcome.passed, outcome.summary
        store.apply_offers(slug, offers, None)
    return list(REAL_LISTS)
