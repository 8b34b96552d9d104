"""The Resolver's rules, one class of the billing-grade resolution issue at a time.

No database here: offers are built by the pipeline's own normalization from rows in each
provider's spelling, then turned into rows of the shape ``CatalogStore.offers()`` returns.
The same classes run on SQLite and PostgreSQL, through ``Catalog`` and the CLI, in
``test_read_api.py`` and ``test_cli.py``.
"""

from __future__ import annotations

import dataclasses
import threading
from decimal import Decimal
from typing import Any

import pytest

from catalog_pipeline.domain.answers import EXIT_CODES, OfferView, Resolution
from catalog_pipeline.domain.resolution import Resolver
from catalog_pipeline.domain.rows import OFFER_COLUMNS, Offer, Prices, ProviderModel
from catalog_pipeline.domain.suggestions import Suggestions, nearest
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.providers.registry import get_provider


def per_million(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value) / 1_000_000


def served(model_id: str, prompt: str | None, completion: str | None = None) -> ProviderModel:
    """A model as a provider lists it, with prices in USD per 1M tokens."""
    prices = Prices(prompt=per_million(prompt), completion=per_million(completion or prompt))
    return ProviderModel(provider_model_id=model_id, prices=prices)


def store_row(offer: Offer, status: str = "active") -> dict[str, Any]:
    row = {name: getattr(offer, name) for name in ("provider", "provider_model_id")}
    row.update(dict(zip(_COLUMNS, offer.column_values, strict=True)))
    row["status"] = status
    return row


_COLUMNS = OFFER_COLUMNS

CATALOG = {
    "together": [
        served("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.88"),
        served("deepseek-ai/DeepSeek-V3.1", "0.6", "1.7"),
        served("openai/gpt-oss-120b", "0.15", "0.6"),
    ],
    "deepinfra": [
        served("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.10", "0.32"),
        served("deepseek-ai/DeepSeek-V3.1", "0.3", "1"),
        served("deepseek-ai/DeepSeek-V3-0324", "0.2", "0.77"),
        served("deepseek-ai/DeepSeek-V3", "0.32", "0.89"),
        served("openai/gpt-oss-120b", "0.039", "0.19"),
        served("Qwen/Qwen3-32B-Unique", "0.1", "0.3"),
    ],
    "groq": [served("openai/gpt-oss-120b", None), served("llama-3.3-70b-versatile", "0.59")],
    "cerebras": [served("gpt-oss-120b", "0.35", "0.75")],
    "openrouter": [
        served("openai/gpt-4o", "2.5", "10"),
        served("openai/gpt-4o-2024-05-13", "5", "15"),
        served("mistralai/mistral-large", "2", "6"),
        served("mistralai/mistral-large-2512", "0.5", "1.5"),
        served("anthropic/claude-sonnet-4.5", "3", "15"),
        served("anthropic/claude-opus-4.6", "5", "25"),
        served("meta-llama/llama-3.1-8b-instruct", "0.02", "0.05"),
        served("meta-llama/llama-3.3-70b-instruct", "0.1", "0.32"),
        served("google/gemini-2.5-flash-preview-05-20", "0.15", "0.6"),
        served("google/gemini-2.5-flash", "0.3", "2.5"),
    ],
    "openai": [
        served("gpt-4o", "2.5", "10"),
        served("gpt-4o-2024-05-13", None),
        served("gpt-4o-2024-08-06", "2.5", "10"),
    ],
    "anthropic": [served("claude-sonnet-4-5-20250929", "3", "15"), served("claude-opus-4-6", None)],
    "aihubmix": [served("claude-sonnet-4-5", "2.4", "12")],
    "google": [served("models/gemini-2.5-pro", "1.25", "10")],
}


def offers_of(catalog: dict[str, list[ProviderModel]]) -> list[dict[str, Any]]:
    return [
        store_row(o)
        for slug, rows in catalog.items()
        for o in normalize_rows(get_provider(slug), rows)
    ]


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(offers_of(CATALOG))


def prompt_per_million(answer: Resolution) -> Decimal | None:
    assert answer.prices is not None
    value = answer.prices.prompt
    return None if value is None else (value * 1_000_000).normalize()


# 1. A provider named in the request binds ----------------------------------------------


@pytest.mark.parametrize(
    ("requested", "provider", "expected_provider", "prompt"),
    [
        ("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", None, "together", "0.88"),
        ("deepinfra/meta-llama/Llama-3.3-70B-Instruct-Turbo", None, "deepinfra", "0.1"),
        ("meta-llama/Llama-3.3-70B-Instruct-Turbo", "together", "together", "0.88"),
        ("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together", "together", "0.88"),
        ("deepinfra/openai/gpt-oss-120b", None, "deepinfra", "0.039"),
        ("cerebras/gpt-oss-120b", None, "cerebras", "0.35"),
        ("gemini/gemini-2.5-pro", None, "google", "1.25"),
        ("gemini-2.5-pro", "google", "google", "1.25"),
    ],
)
def test_a_named_provider_answers_with_its_own_offer(
    resolver: Resolver, requested: str, provider: str | None, expected_provider: str, prompt: str
) -> None:
    answer = resolver.resolve(requested, provider)
    assert answer.status == "priced"
    assert (answer.provider, answer.chosen_by) == (expected_provider, "named_provider")
    assert prompt_per_million(answer) == Decimal(prompt)


def test_a_named_provider_without_a_price_is_unpriced_never_another_providers_price(
    resolver: Resolver,
) -> None:
    answer = resolver.resolve("groq/openai/gpt-oss-120b")
    assert answer.status == "unpriced" and answer.exit_code == 3
    assert answer.provider == "groq" and answer.provider_model_id == "openai/gpt-oss-120b"
    assert answer.prices == Prices()
    assert {a.offer.provider for a in answer.alternatives} == {"together", "deepinfra", "cerebras"}
    assert all(a.offer.priced for a in answer.alternatives)


@pytest.mark.parametrize(
    ("requested", "provider", "named"),
    [
        ("nebius/meta-llama/Llama-3.3-70B-Instruct-Turbo", None, "nebius"),
        ("meta-llama/Llama-3.3-70B-Instruct-Turbo", "groq", "groq"),
        ("accounts/fireworks/models/llama-v3p3-70b-instruct-turbo", None, "fireworks"),
        ("bedrock/meta.llama3-3-70b-instruct-turbo-v1:0", None, "bedrock"),
        ("us.meta.llama3-3-70b-instruct-turbo-v1:0", None, "bedrock"),
    ],
)
def test_not_found_at_the_named_provider_lists_the_others_as_alternatives(
    resolver: Resolver, requested: str, provider: str | None, named: str
) -> None:
    answer = resolver.resolve(requested, provider)
    assert answer.status == "not_found" and answer.exit_code == 1
    assert answer.offer is None and answer.provider == named
    if answer.alternatives:
        assert answer.canonical_id == "meta/llama-3.3-70b-instruct-turbo"
        assert {a.offer.provider for a in answer.alternatives} == {"together", "deepinfra"}
        assert {a.relation for a in answer.alternatives} == {"other_provider"}


def test_another_providers_price_only_when_the_caller_opts_in(resolver: Resolver) -> None:
    refused = resolver.resolve("nebius/deepseek-ai/DeepSeek-V3.1")
    assert refused.status == "not_found"
    accepted = resolver.resolve("nebius/deepseek-ai/DeepSeek-V3.1", fallback="any_provider")
    assert accepted.status == "priced"
    assert accepted.match == "fallback_any_provider" and accepted.chosen_by == "highest_price"
    assert accepted.provider == "together"  # the higher of 0.6 (together) and 0.3 (deepinfra)
    assert accepted.named_provider == "nebius"
    with pytest.raises(ValueError, match="fallback"):
        resolver.resolve("gpt-4o", fallback="cheapest")  # type: ignore[arg-type]


def test_an_explicit_provider_keeps_another_providers_prefix_in_the_id(
    resolver: Resolver,
) -> None:
    # ``openai/`` names OpenAI, but at OpenRouter it is part of the id.
    answer = resolver.resolve("openai/gpt-4o-2024-05-13", "openrouter")
    assert (answer.status, answer.provider_model_id) == ("priced", "openai/gpt-4o-2024-05-13")
    assert prompt_per_million(answer) == Decimal(5)
    assert resolver.resolve("openrouter/openai/gpt-4o-2024-05-13").provider == "openrouter"


# 2. Different prices are different models -----------------------------------------------


@pytest.mark.parametrize(
    ("requested", "provider", "expected_id", "prompt"),
    [
        ("gpt-4o-2024-05-13", "openrouter", "openai/gpt-4o-2024-05-13", "5"),
        ("openai/gpt-4o-2024-05-13", "openrouter", "openai/gpt-4o-2024-05-13", "5"),
        ("openai/gpt-4o", "openrouter", "openai/gpt-4o", "2.5"),
        ("gpt-4o-2024-08-06", "openai", "gpt-4o-2024-08-06", "2.5"),
        ("mistralai/mistral-large-2512", "openrouter", "mistralai/mistral-large-2512", "0.5"),
        ("deepseek-ai/DeepSeek-V3-0324", "deepinfra", "deepseek-ai/DeepSeek-V3-0324", "0.2"),
        ("deepseek-ai/DeepSeek-V3", "deepinfra", "deepseek-ai/DeepSeek-V3", "0.32"),
        (
            "google/gemini-2.5-flash-preview-05-20",
            "openrouter",
            "google/gemini-2.5-flash-preview-05-20",
            "0.15",
        ),
    ],
)
def test_a_listed_snapshot_is_never_its_base(
    resolver: Resolver, requested: str, provider: str, expected_id: str, prompt: str
) -> None:
    answer = resolver.resolve(requested, provider)
    assert answer.status == "priced" and answer.provider_model_id == expected_id
    assert prompt_per_million(answer) == Decimal(prompt)


def test_a_listed_snapshot_without_a_price_stays_unpriced(resolver: Resolver) -> None:
    answer = resolver.resolve("gpt-4o-2024-05-13")
    assert answer.status == "unpriced" and answer.chosen_by == "publisher"
    assert answer.provider_model_id == "gpt-4o-2024-05-13"  # never gpt-4o's $2.50
    assert [(a.offer.provider, a.offer.provider_model_id) for a in answer.alternatives] == [
        ("openrouter", "openai/gpt-4o-2024-05-13")
    ]


def test_a_snapshot_nobody_lists_falls_back_to_its_base_and_says_so(resolver: Resolver) -> None:
    answer = resolver.resolve("gpt-4o-2024-06-01", "openrouter")
    assert answer.status == "priced" and answer.match == "base_of_snapshot"
    assert answer.provider_model_id == "openai/gpt-4o"
    # Listed by OpenAI, so never collapsed, not even at a provider that does not list it.
    assert resolver.resolve("gpt-4o-2024-08-06", "openrouter").status == "not_found"


# 3. Moving aliases through the sourced table --------------------------------------------


def test_latest_resolves_to_the_documented_pin_not_to_an_undated_id(resolver: Resolver) -> None:
    answer = resolver.resolve("mistral-large-latest")
    assert answer.status == "priced" and answer.match == "moving_alias"
    assert answer.provider_model_id == "mistralai/mistral-large-2512"
    assert prompt_per_million(answer) == Decimal("0.5")  # Large 3, not Large 2's $2
    assert answer.chosen_by == "sole_provider"
    assert answer.reason == (
        "openrouter lists 'mistralai/mistral-large-2512' (moving alias); openrouter is the "
        "only provider of mistral/mistral-large-2512"
    )
    at_openrouter = resolver.resolve("mistral-large-latest", "openrouter")
    assert at_openrouter.provider_model_id == "mistralai/mistral-large-2512"
    assert at_openrouter.match == "moving_alias"


def test_a_provider_listing_the_alias_itself_answers_with_its_own_price() -> None:
    catalog = {
        "mistral": [
            served("mistral-large-latest", "0.5", "1.5"),
            served("mistral-large-2411", "2"),
        ],
        "openrouter": [served("mistralai/mistral-large", "2", "6")],
    }
    answer = Resolver(offers_of(catalog)).resolve("mistral-large-latest")
    assert (answer.provider, answer.provider_model_id, answer.match) == (
        "mistral",
        "mistral-large-latest",
        "exact",
    )
    assert Resolver(offers_of(catalog)).resolve("mistral/mistral-large").status == "not_found"


def test_the_undated_name_of_a_pre_4_6_claude_is_the_publishers_snapshot(
    resolver: Resolver,
) -> None:
    answer = resolver.resolve("claude-sonnet-4-5")
    assert answer.status == "priced"
    assert (answer.provider, answer.provider_model_id) == (
        "anthropic",
        "claude-sonnet-4-5-20250929",
    )
    assert answer.match == "moving_alias" and answer.chosen_by == "publisher"
    assert "platform.claude.com" in (answer.reason or "")


# 4. No provider named: one precedence ---------------------------------------------------


def test_a_hosts_spelling_of_the_publishers_id_does_not_capture_it(resolver: Resolver) -> None:
    # aihubmix lists ``claude-sonnet-4-5`` at its own price; the publisher's offer answers.
    answer = resolver.resolve("claude-sonnet-4-5")
    assert answer.provider == "anthropic"
    assert resolver.resolve("aihubmix/claude-sonnet-4-5").provider == "aihubmix"


def test_several_hosts_and_no_publisher_offer_is_ambiguous(resolver: Resolver) -> None:
    answer = resolver.resolve("meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert answer.status == "ambiguous" and answer.exit_code == 4 and answer.offer is None
    assert {a.offer.provider for a in answer.alternatives} == {"together", "deepinfra"}
    assert {a.relation for a in answer.alternatives} == {"candidate"}
    assert resolver.resolve("gpt-oss-120b").status == "ambiguous"  # cerebras' spelling
    chosen = resolver.resolve("meta/llama-3.3-70b-instruct-turbo", fallback="any_provider")
    assert (chosen.provider, chosen.match) == ("together", "fallback_any_provider")


def test_one_host_is_answered_as_the_sole_provider(resolver: Resolver) -> None:
    answer = resolver.resolve("llama-3.3-70b-versatile")
    assert (answer.status, answer.provider, answer.chosen_by) == (
        "priced",
        "groq",
        "sole_provider",
    )


def test_an_unpriced_publisher_offer_is_unpriced_with_the_priced_ones_beside_it(
    resolver: Resolver,
) -> None:
    answer = resolver.resolve("claude-opus-4-6")
    assert answer.status == "unpriced" and answer.chosen_by == "publisher"
    assert answer.provider == "anthropic"
    named = resolver.resolve("anthropic/claude-opus-4.6")  # the LiteLLM prefix names anthropic
    assert (named.status, named.chosen_by) == ("unpriced", "named_provider")
    assert [a.offer.provider for a in answer.alternatives] == ["openrouter"]
    fallback = resolver.resolve("claude-opus-4-6", fallback="any_provider")
    assert (fallback.provider, fallback.match) == ("openrouter", "fallback_any_provider")


def test_a_reference_price_slots_in_after_the_publisher() -> None:
    rows = offers_of(CATALOG)
    reference = OfferView(
        provider="reference:models-dev",
        provider_model_id="claude-opus-4-6",
        canonical_id="anthropic/claude-opus-4.6",
        display_name="Claude Opus 4.6",
        model_type="chat",
        status="active",
        context_length=None,
        max_output_tokens=None,
        prices=Prices(prompt=Decimal("0.000005"), completion=Decimal("0.000025")),
        price_source="models.dev (reference)",
    )
    resolver = Resolver(rows, reference_offer={"anthropic/claude-opus-4.6": reference}.get)
    answer = resolver.resolve("claude-opus-4-6")
    assert (answer.status, answer.chosen_by, answer.provider) == (
        "priced",
        "reference_price",
        "reference:models-dev",
    )


def test_one_spelling_of_two_models_is_ambiguous() -> None:
    catalog = {
        "together": [served("acme/nova-7b", "0.2")],
        "deepinfra": [served("nova-7b", "0.3")],
        "groq": [served("nova-7b", "0.1")],
    }
    rows = offers_of(catalog)
    rows[1]["canonical_id"] = "acme/nova-7b"
    rows[2]["canonical_id"] = "other/nova-7b"  # one host means another publisher's model
    answer = Resolver(rows).resolve("nova-7b")
    assert answer.status == "ambiguous"
    assert {a.offer.canonical_id for a in answer.alternatives} == {"acme/nova-7b", "other/nova-7b"}


def test_never_an_alphabetical_choice_between_providers() -> None:
    # Two hosts at equal prices: still no pick without a provider or an opt-in.
    catalog = {
        "deepinfra": [served("acme/nova-7b", "0.2")],
        "together": [served("acme/nova-7b", "0.2")],
    }
    assert Resolver(offers_of(catalog)).resolve("acme/nova-7b").status == "ambiguous"


# 5. Answers a script can trust ----------------------------------------------------------


def test_answers_are_frozen_and_carry_decimal_prices(resolver: Resolver) -> None:
    answer = resolver.resolve("together_ai/deepseek-ai/DeepSeek-V3.1")
    assert isinstance(answer.prices, Prices)
    assert answer.prices.prompt == Decimal("0.0000006")
    assert isinstance(answer.prices.prompt, Decimal)
    assert all(isinstance(a.offer.prices.prompt, Decimal) for a in answer.alternatives)
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.status = "not_found"  # type: ignore[misc]
    assert resolver.resolve("together_ai/deepseek-ai/DeepSeek-V3.1") is answer  # remembered


def test_json_edge_prints_decimal_strings(resolver: Resolver) -> None:
    data = resolver.resolve("together_ai/deepseek-ai/DeepSeek-V3.1").as_json()
    assert data["status"] == "priced" and data["found"] is True
    assert data["pricing"]["prompt"] == "0.0000006" and data["pricing"]["completion"] == "0.0000017"
    assert data["alternatives"][0]["pricing"]["prompt"] == "0.0000003"
    assert set(data) >= {
        "found",
        "status",
        "canonical_id",
        "provider",
        "provider_model_id",
        "match",
        "pricing",
        "alternatives",
        "context_length",
    }
    assert EXIT_CODES == {"priced": 0, "not_found": 1, "unpriced": 3, "ambiguous": 4}


def test_concurrent_first_lookups_agree(resolver: Resolver) -> None:
    fresh = Resolver.from_offers(resolver.offers)
    answers: list[Resolution] = []
    threads = [
        threading.Thread(target=lambda: answers.append(fresh.resolve("claude-sonnet-4-5")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {(a.status, a.provider_model_id) for a in answers} == {
        ("priced", "claude-sonnet-4-5-20250929")
    }


# 7. Candidates a person can use ---------------------------------------------------------


def test_candidates_are_the_same_family_and_size_first(resolver: Resolver) -> None:
    answer = resolver.resolve("llama-3.3-70b")
    assert answer.status == "not_found"
    assert answer.candidates[0].startswith("meta/llama-3.3-70b")
    assert "meta/llama-3.1-8b-instruct" not in answer.candidates[:2]


def test_wrapper_shaped_ids_are_never_candidates() -> None:
    pool = Suggestions.of(["@openai-prod/gpt-4o", "openai/gpt-4o", "accounts/x/models/gpt-4o"])
    assert nearest("openai/gpt-4o-mini", pool) == ("openai/gpt-4o",)


def test_a_lookalike_character_never_captures_a_model() -> None:
    catalog = {"moonshot": [served("kimi-k2", "0.6", "2.5")]}
    resolver = Resolver(offers_of(catalog))
    assert resolver.resolve("KIMI-K2").provider_model_id == "kimi-k2"  # ASCII case folds
    answer = resolver.resolve("\u212aimi-k2")  # KELVIN SIGN, lowercases to "k" in str.lower
    assert answer.status == "not_found" and answer.offer is None


# Table C of the resolution memo: a snapshot (or variant) and its base, both listed by one
# provider at different prices (USD per 1M in/out).
TABLE_C = [
    ("openrouter", "openai/gpt-4o-2024-05-13", "5/15", "openai/gpt-4o", "2.5/10"),
    ("openai", "gpt-4o-2024-05-13", "5/15", "gpt-4o-2024-11-20", "2.5/10"),
    ("openrouter", "openai/gpt-3.5-turbo-0613", "1/2", "openai/gpt-3.5-turbo", "0.5/1.5"),
    ("openrouter", "openai/chatgpt-4o-latest", "5/15", "openai/gpt-4o", "2.5/10"),
    ("openai", "ft:gpt-4o-2024-08-06", "3.75/15", "gpt-4o-2024-08-06", "2.5/10"),
    ("anthropic", "claude-3-5-sonnet-20240620", "3/15", "claude-3-5-sonnet-20241022", "3/14"),
    ("google", "models/gemini-flash-latest", "0.75/3.75", "models/gemini-2.5-flash", "0.3/2.5"),
    ("openrouter", "mistralai/mistral-large-2512", "0.5/1.5", "mistralai/mistral-large", "2/6"),
    ("mistral", "mistral-small-latest", "0.15/0.6", "mistral-small", "0.1/0.3"),
    ("mistral", "mistral-large-latest", "0.5/1.5", "mistral-large", "2/6"),
    ("openrouter", "cohere/command-r-08-2024", "0.15/0.6", "cohere/command-r", "0.5/1.5"),
    (
        "deepinfra",
        "deepseek-ai/DeepSeek-V3-0324",
        "0.2/0.77",
        "deepseek-ai/DeepSeek-V3",
        "0.32/0.89",
    ),
    ("novita", "deepseek/deepseek-r1-0528", "0.7/2.5", "deepseek/deepseek-r1", "4/4"),
    ("openrouter", "qwen/qwen3-235b-a22b-2507", "0.071/0.1", "qwen/qwen3-235b-a22b", "0.455/1.82"),
    ("alibaba", "qwen-plus-2025-07-28", "0.4/1.2", "qwen-plus", "0.4/1.1"),
    ("alibaba", "qwen3-max-2026-01-23", "1.2/6", "qwen3-max", "0.845/3.38"),
    ("xai", "grok-build-latest", "2/6", "grok-build-0.1", "1/2"),
]


@pytest.mark.parametrize(("provider", "left", "left_price", "right", "right_price"), TABLE_C)
def test_table_c_a_snapshot_never_answers_with_its_base_price(
    provider: str, left: str, left_price: str, right: str, right_price: str
) -> None:
    # The base is listed first, so an answer by listing order would be the wrong one.
    rows = offers_of(
        {provider: [served(right, *right_price.split("/")), served(left, *left_price.split("/"))]}
    )
    assert rows[0]["canonical_id"] != rows[1]["canonical_id"]
    resolver = Resolver(rows)
    bare = left.split("/")[-1]
    for requested, named in ((left, provider), (bare, provider), (left, None), (bare, None)):
        answer = resolver.resolve(requested, named)
        assert answer.provider_model_id in (left, None), (requested, named)
        if answer.provider_model_id is None:  # ``openai/…`` names OpenAI, not listed here
            assert named is None and answer.status == "not_found"


def _view(provider: str, prompt: str | None, completion: str | None, status: str = "active"):
    return OfferView(
        provider=provider,
        provider_model_id="acme/model-x",
        canonical_id="acme/model-x",
        display_name="Model X",
        model_type="chat",
        status=status,
        context_length=None,
        max_output_tokens=None,
        prices=Prices(prompt=per_million(prompt), completion=per_million(completion)),
        price_source="provider_api",
    )


@pytest.mark.parametrize(
    ("offers", "expected"),
    [
        # the publisher's own offer wins over a dearer host, and the first of its own
        ([("together", "5", "5"), ("acme", "1", "1"), ("acme", "2", "2")], ("acme", "1")),
        # an unknown prompt counts as 0, never as a price: 0.5 beats unknown
        ([("together", None, "9"), ("deepinfra", "0.5", "0.1")], ("deepinfra", "0.5")),
        # prompt first, then completion
        ([("together", "1", "2"), ("deepinfra", "1", "3")], ("deepinfra", "1")),
        # an unknown completion counts as 0
        ([("together", "1", None), ("deepinfra", "1", "0.01")], ("deepinfra", "1")),
    ],
)
def test_the_fallback_choice_with_literal_answers(
    offers: list[tuple[str, str | None, str | None]], expected: tuple[str, str]
) -> None:
    from catalog_pipeline.domain.resolution import _fallback_choice

    chosen, _ = _fallback_choice([_view(*offer) for offer in offers])
    assert chosen is not None
    assert (chosen.provider, chosen.prices.prompt) == (expected[0], per_million(expected[1]))


def test_the_fallback_prefers_an_active_offer_at_the_same_price() -> None:
    from catalog_pipeline.domain.resolution import _fallback_choice

    offers = [_view("together", "1", "1", "deprecated"), _view("deepinfra", "1", "1", "active")]
    chosen, chosen_by = _fallback_choice(offers)
    assert (chosen.provider if chosen else None, chosen_by) == ("deepinfra", "highest_price")
    assert _fallback_choice([_view("together", None, None)]) == (None, "highest_price")
