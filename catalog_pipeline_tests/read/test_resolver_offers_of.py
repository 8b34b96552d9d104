"""``Resolver.offers_of``: every offer of one canonical model, any status, in display order.

A fast, database-free test (``test_read_api.py`` reaches the method only through a
store). Offers are built as in ``test_resolver.py``: the pipeline's own normalization of
rows in each provider's spelling, turned into rows of the shape ``CatalogStore.offers()``
returns.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from catalog_pipeline.domain.resolution import Resolver
from catalog_pipeline.domain.rows import OFFER_COLUMNS, Prices, ProviderModel
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.providers.registry import get_provider


def served(model_id: str, prompt: str | None, completion: str | None = None) -> ProviderModel:
    """A model as a provider lists it, with prices in USD per 1M tokens."""

    def per_million(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value) / 1_000_000

    prices = Prices(prompt=per_million(prompt), completion=per_million(completion or prompt))
    return ProviderModel(provider_model_id=model_id, prices=prices)


CATALOG = {
    "together": [
        served("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.88"),
        served("openai/gpt-oss-120b", "0.15", "0.6"),
    ],
    "deepinfra": [
        served("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.10", "0.32"),
        served("openai/gpt-oss-120b", "0.039", "0.19"),
    ],
    "groq": [served("openai/gpt-oss-120b", None)],
    "cerebras": [served("gpt-oss-120b", "0.01", "0.02")],
    "openrouter": [
        served("openai/gpt-4o", "2.5", "10"),
        served("openai/gpt-4o-2024-05-13", "5", "15"),
    ],
    "openai": [served("gpt-4o", "2.5", "10"), served("gpt-4o-2024-05-13", None)],
}
STATUS = {("cerebras", "gpt-oss-120b"): "deprecated"}
"""Rows not active in the store; every other row is active."""


def rows(catalog: dict[str, list[ProviderModel]]) -> list[dict[str, Any]]:
    found = []
    for slug, models in catalog.items():
        for offer in normalize_rows(get_provider(slug), models):
            row = {"provider": offer.provider, "provider_model_id": offer.provider_model_id}
            row.update(dict(zip(OFFER_COLUMNS, offer.column_values, strict=True)))
            row["status"] = STATUS.get((offer.provider, offer.provider_model_id), "active")
            found.append(row)
    return found


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(rows(CATALOG))


def listed(resolver: Resolver, canonical: str) -> list[tuple[str, str, str]]:
    return [(o.provider, o.provider_model_id, o.status) for o in resolver.offers_of(canonical)]


def test_offers_of_lists_every_provider_active_cheapest_first(resolver: Resolver) -> None:
    assert listed(resolver, "meta/llama-3.3-70b-instruct-turbo") == [
        ("deepinfra", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "active"),  # 0.10 per 1M
        ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "active"),  # 0.88 per 1M
    ]


def test_offers_of_keeps_unpriced_and_deprecated_offers_after_the_priced_active_ones(
    resolver: Resolver,
) -> None:
    # cerebras is the cheapest, but deprecated: last; groq lists no price: after the priced.
    assert listed(resolver, "openai/gpt-oss-120b") == [
        ("deepinfra", "openai/gpt-oss-120b", "active"),
        ("together", "openai/gpt-oss-120b", "active"),
        ("groq", "openai/gpt-oss-120b", "active"),
        ("cerebras", "gpt-oss-120b", "deprecated"),
    ]
    prices = [o.prices.prompt for o in resolver.offers_of("openai/gpt-oss-120b")]
    assert prices == [Decimal("0.000000039"), Decimal("0.00000015"), None, Decimal("0.00000001")]


def test_offers_of_a_snapshot_and_of_its_base_are_separate(resolver: Resolver) -> None:
    # Ties on price are listed by provider name.
    assert listed(resolver, "openai/gpt-4o") == [
        ("openai", "gpt-4o", "active"),
        ("openrouter", "openai/gpt-4o", "active"),
    ]
    assert listed(resolver, "openai/gpt-4o-2024-05-13") == [
        ("openrouter", "openai/gpt-4o-2024-05-13", "active"),
        ("openai", "gpt-4o-2024-05-13", "active"),
    ]


@pytest.mark.parametrize(
    "canonical",
    ["meta/llama-3.3-70b-instruct", "anthropic/claude-sonnet-4.5", "", "gpt-oss-120b"],
)
def test_offers_of_a_model_nobody_offers_is_an_empty_tuple(
    resolver: Resolver, canonical: str
) -> None:
    assert resolver.offers_of(canonical) == ()
