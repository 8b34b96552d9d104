"""How the Resolver identifies a request and binds a named provider, with whole answers.

Every test builds its own small catalog of hand-written offers and compares the whole
:class:`Resolution` (status, offer, ``match``, ``chosen_by``, named provider, alternatives,
reason word for word, candidates) with a literal. The catalog is built inside each test so
that what a gateway is billed from is checked for every rule on its own: the exact
canonical id, an id a provider lists, the alias table, the canonical form of the request,
a moving alias and the base of a dated snapshot nobody lists; a provider named by
``provider=``, by a LiteLLM prefix or by a native wrapper; ``not_found`` at that provider
with the other providers' offers as labelled alternatives, or with candidates; and the
answer cache (bounded, long ids answered but not remembered).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from catalog_pipeline.domain.answers import Alternative, OfferView, Resolution
from catalog_pipeline.domain.resolution import Resolver
from catalog_pipeline.domain.rows import PRICE_FIELDS, Prices


def per_million(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value) / 1_000_000


def offer(
    provider: str,
    provider_model_id: str,
    canonical_id: str,
    prompt: str | None = None,
    completion: str | None = None,
    status: str = "active",
) -> OfferView:
    """One offer as a store row reads back, prices in USD per 1M tokens."""
    return OfferView(
        provider=provider,
        provider_model_id=provider_model_id,
        canonical_id=canonical_id,
        display_name=provider_model_id,
        model_type="chat",
        status=status,
        context_length=None,
        max_output_tokens=None,
        prices=Prices(prompt=per_million(prompt), completion=per_million(completion)),
        price_source="provider_api",
    )


def row(view: OfferView) -> dict[str, Any]:
    """The store row of an offer (the shape ``CatalogStore.offers()`` returns)."""
    return {
        "provider": view.provider,
        "provider_model_id": view.provider_model_id,
        "canonical_id": view.canonical_id,
        "display_name": view.display_name,
        "model_type": view.model_type,
        "status": view.status,
        "context_length": view.context_length,
        "max_output_tokens": view.max_output_tokens,
        "price_source": view.price_source,
        **{name: getattr(view.prices, name) for name in PRICE_FIELDS},
        "price_tiers": None,
    }


def resolver_of(*offers: OfferView, **options: Any) -> Resolver:
    """A resolver over the offers' store rows, as the read side builds one."""
    return Resolver([row(view) for view in offers], **options)


# identification without a named provider -------------------------------------------------


def test_the_exact_canonical_id_in_any_case_is_an_exact_match() -> None:
    nova = offer("acme", "Nova-7B", "acme/nova-7b", "0.2", "0.4")
    resolver = resolver_of(nova)
    assert resolver.resolve("ACME/Nova-7b") == Resolution(
        requested="ACME/Nova-7b",
        status="priced",
        match="exact",
        chosen_by="publisher",
        canonical_id="acme/nova-7b",
        offer=nova,
        reason="acme lists 'Nova-7B' (exact id)",
    )
    # the id the provider lists is exact too
    assert resolver.resolve(" Nova-7B ") == Resolution(
        requested="Nova-7B",
        status="priced",
        match="exact",
        chosen_by="publisher",
        canonical_id="acme/nova-7b",
        offer=nova,
        reason="acme lists 'Nova-7B' (exact id)",
    )


def test_a_spelling_alias_is_an_alias_match_not_the_canonical_form() -> None:
    flux = offer("together", "black-forest-labs/FLUX.1.1-pro", "bfl/flux-1.1-pro", "40")
    resolver = resolver_of(flux)
    assert resolver.resolve("bfl/flux-pro-1.1") == Resolution(
        requested="bfl/flux-pro-1.1",
        status="priced",
        match="alias",
        chosen_by="sole_provider",
        canonical_id="bfl/flux-1.1-pro",
        offer=flux,
        reason="together lists 'black-forest-labs/FLUX.1.1-pro' (alias table); together is "
        "the only provider of bfl/flux-1.1-pro",
    )


def test_the_canonical_form_of_the_request_says_so() -> None:
    gpt = offer("openai", "gpt-4o", "openai/gpt-4o", "2.5", "10")
    assert resolver_of(gpt).resolve("GPT-4o") == Resolution(
        requested="GPT-4o",
        status="priced",
        match="normalized",
        chosen_by="publisher",
        canonical_id="openai/gpt-4o",
        offer=gpt,
        reason="openai lists 'gpt-4o' (canonical form of the request)",
    )


def test_an_owner_the_provider_reports_as_unknown_is_found_by_the_canonical_form() -> None:
    # Cerebras names the publisher in ``owned_by``; "unknown" there makes the canonical id
    # "unknown/zorb-7b", which is also the canonical form of a bare request nobody claims.
    zorb = offer("cerebras", "Zorb-7B", "unknown/zorb-7b", "0.1", "0.1")
    assert resolver_of(zorb).resolve("zorb-7b") == Resolution(
        requested="zorb-7b",
        status="priced",
        match="normalized",
        chosen_by="sole_provider",
        canonical_id="unknown/zorb-7b",
        offer=zorb,
        reason="cerebras lists 'Zorb-7B' (canonical form of the request); cerebras is the only "
        "provider of unknown/zorb-7b",
    )
    # a misspelling of it is a candidate of the same (unknown) publisher
    assert resolver_of(zorb).resolve("zarb-7b") == Resolution(
        requested="zarb-7b",
        status="not_found",
        reason="no provider lists 'zarb-7b' and no canonical id, alias or rule matches it; "
        "the candidates are listed, never chosen",
        candidates=("unknown/zorb-7b",),
    )


def test_a_moving_alias_names_its_pin_source_and_date() -> None:
    pinned = offer("xai", "grok-2-1212", "xai/grok-2-1212", "2", "10")
    assert resolver_of(pinned).resolve("grok-2-latest") == Resolution(
        requested="grok-2-latest",
        status="priced",
        match="moving_alias",
        chosen_by="publisher",
        canonical_id="xai/grok-2-1212",
        offer=pinned,
        reason="xai lists 'grok-2-1212' (moving alias (grok-2-latest -> grok-2-1212 per xAI "
        "models docs (grok-2 era copy at grok.cadn.net.cn/docs/models.html), checked "
        "2026-11-28))",
    )


def test_a_dated_snapshot_nobody_lists_is_its_base_and_says_so() -> None:
    gpt = offer("openai", "gpt-4o", "openai/gpt-4o", "2.5", "10")
    assert resolver_of(gpt).resolve("gpt-4o-2024-06-01") == Resolution(
        requested="gpt-4o-2024-06-01",
        status="priced",
        match="base_of_snapshot",
        chosen_by="publisher",
        canonical_id="openai/gpt-4o",
        offer=gpt,
        reason="openai lists 'gpt-4o' (base model of a dated snapshot nobody lists)",
    )


def test_a_deprecated_offer_says_it_is() -> None:
    old = offer("acme", "nova-7b", "acme/nova-7b", "0.2", "0.4", status="deprecated")
    assert resolver_of(old).resolve("nova-7b") == Resolution(
        requested="nova-7b",
        status="priced",
        match="exact",
        chosen_by="publisher",
        canonical_id="acme/nova-7b",
        offer=old,
        reason="acme lists 'nova-7b' (exact id); the offer is deprecated",
    )


def test_the_publisher_of_a_canonical_id_is_its_first_segment() -> None:
    # A fine-tune id may hold a second slash; the publisher is still "acme".
    tuned = offer("acme", "ft:nova-7b:org/support:a1", "acme/ft:nova-7b:org/support:a1", "1")
    assert resolver_of(tuned).resolve("acme/ft:nova-7b:org/support:a1") == Resolution(
        requested="acme/ft:nova-7b:org/support:a1",
        status="priced",
        match="exact",
        chosen_by="publisher",
        canonical_id="acme/ft:nova-7b:org/support:a1",
        offer=tuned,
        reason="acme lists 'ft:nova-7b:org/support:a1' (exact id)",
    )


def test_one_id_listed_as_two_models_is_ambiguous_and_never_a_base() -> None:
    # Two providers list the same dated id as two different models; OpenRouter lists the
    # undated base. No provider named: ambiguous. Named elsewhere: never the base's price.
    base = offer("openrouter", "openai/gpt-4o", "openai/gpt-4o", "2.5", "10")
    azure = offer("deepinfra", "gpt-4o-2024-06-01", "azure/gpt-4o-2024-06-01", "4", "12")
    github = offer("groq", "gpt-4o-2024-06-01", "github/gpt-4o-2024-06-01", "5", "15")
    resolver = resolver_of(base, azure, github)
    assert resolver.resolve("gpt-4o-2024-06-01") == Resolution(
        requested="gpt-4o-2024-06-01",
        status="ambiguous",
        match="exact",
        alternatives=(Alternative(azure, "candidate"), Alternative(github, "candidate")),
        reason="2 providers list 'gpt-4o-2024-06-01' as different models "
        "(azure/gpt-4o-2024-06-01, github/gpt-4o-2024-06-01); name the provider",
    )
    assert resolver.resolve("gpt-4o-2024-06-01", "nebius") == Resolution(
        requested="gpt-4o-2024-06-01",
        status="not_found",
        named_provider="nebius",
        named_by="argument",
        reason="'gpt-4o-2024-06-01' names provider nebius (argument); the catalog has no "
        "offers from nebius (not synced, or not a provider of the roster), and no other "
        "provider lists the model",
        candidates=("azure/gpt-4o-2024-06-01", "github/gpt-4o-2024-06-01", "openai/gpt-4o"),
    )


def test_nothing_matches_lists_candidates_never_chosen() -> None:
    nova = offer("together", "acme/nova-7b", "acme/nova-7b", "0.2")
    nova_9b = offer("groq", "acme/nova-9b", "acme/nova-9b", "0.3")
    resolver = resolver_of(nova, nova_9b)
    assert resolver.resolve("nova-9b") == Resolution(
        requested="nova-9b",
        status="not_found",
        reason="no provider lists 'nova-9b' and no canonical id, alias or rule matches it; "
        "the candidates are listed, never chosen",
        candidates=("acme/nova-9b", "acme/nova-7b"),
    )
    # at a provider of the catalog: that provider's models only
    assert resolver.resolve("nova-9b", "together") == Resolution(
        requested="nova-9b",
        status="not_found",
        named_provider="together",
        named_by="argument",
        reason="'nova-9b' names provider together (argument); together has no offer of it, "
        "and no other provider lists the model",
        candidates=("acme/nova-7b",),
    )
    # at a provider the catalog does not carry: every model
    assert resolver.resolve("nebius/nova-9b") == Resolution(
        requested="nebius/nova-9b",
        status="not_found",
        named_provider="nebius",
        named_by="prefix",
        reason="'nebius/nova-9b' names provider nebius (prefix); the catalog has no offers "
        "from nebius (not synced, or not a provider of the roster), and no other provider "
        "lists the model",
        candidates=("acme/nova-9b", "acme/nova-7b"),
    )
    assert resolver.resolve("nova-9b", "groq").candidates == ("acme/nova-9b",)


def test_the_candidates_of_a_provider_are_built_once_and_kept() -> None:
    resolver = resolver_of(offer("together", "acme/nova-7b", "acme/nova-7b", "0.2"))
    assert resolver._suggestable("together") is resolver._suggestable("together")
    assert resolver._suggestable(None) is resolver._suggestable(None)


def test_at_most_five_candidates_nearest_first() -> None:
    names = [
        "acme/nova-lite-chat-vision-beta-fast-max",
        "acme/nova-lite-chat-vision-beta-max",
        "acme/nova-lite-chat-vision-max",
        "acme/nova-lite-chat-max",
        "acme/nova-lite-max",
        "acme/nova-max",
    ]
    resolver = resolver_of(*(offer("acme", name, name, "1") for name in names))
    answer = resolver.resolve("acme/nova-lite-chat-vision-beta-fast-mini")
    assert (answer.status, answer.candidates) == ("not_found", tuple(names[:5]))


# a provider named in the request binds ---------------------------------------------------


def test_a_named_provider_answers_with_its_offer_and_lists_the_others() -> None:
    mine = offer("together", "acme/Nova-7B", "acme/nova-7b", "0.2", "0.4")
    publisher = offer("acme", "nova-7b", "acme/nova-7b", "0.1", "0.2")
    host = offer("deepinfra", "acme/nova-7b", "acme/nova-7b")  # no price
    resolver = resolver_of(mine, publisher, host)
    assert resolver.resolve("acme/Nova-7B", "together") == Resolution(
        requested="acme/Nova-7B",
        status="priced",
        match="exact",
        chosen_by="named_provider",
        canonical_id="acme/nova-7b",
        offer=mine,
        named_provider="together",
        named_by="argument",
        alternatives=(Alternative(publisher, "publisher"), Alternative(host, "other_provider")),
        reason="together lists 'acme/Nova-7B' (exact id; provider named by argument)",
    )
    # the canonical id at that provider is an exact match too, by prefix
    assert resolver.resolve("together_ai/acme/nova-7b") == Resolution(
        requested="together_ai/acme/nova-7b",
        status="priced",
        match="exact",
        chosen_by="named_provider",
        canonical_id="acme/nova-7b",
        offer=mine,
        named_provider="together",
        named_by="prefix",
        alternatives=(Alternative(publisher, "publisher"), Alternative(host, "other_provider")),
        reason="together lists 'acme/Nova-7B' (exact id; provider named by prefix)",
    )


def test_an_unpriced_offer_at_the_named_provider_lists_only_priced_others() -> None:
    mine = offer("together", "acme/nova-7b", "acme/nova-7b")  # no price
    publisher = offer("acme", "nova-7b", "acme/nova-7b", "0.1", "0.2")
    host = offer("deepinfra", "acme/nova-7b", "acme/nova-7b")  # no price either
    resolver = resolver_of(mine, publisher, host)
    assert resolver.resolve("together_ai/acme/nova-7b") == Resolution(
        requested="together_ai/acme/nova-7b",
        status="unpriced",
        match="exact",
        chosen_by="named_provider",
        canonical_id="acme/nova-7b",
        offer=mine,
        named_provider="together",
        named_by="prefix",
        alternatives=(Alternative(publisher, "publisher"),),
        reason="together lists 'acme/nova-7b' (exact id; provider named by prefix); it has "
        "no price (1 priced offer(s) of other providers are alternatives, not used)",
    )
    # a priced offer lists every other offer, priced or not
    assert resolver.resolve("nova-7b", "acme") == Resolution(
        requested="nova-7b",
        status="priced",
        match="exact",
        chosen_by="named_provider",
        canonical_id="acme/nova-7b",
        offer=publisher,
        named_provider="acme",
        named_by="argument",
        alternatives=(Alternative(host, "other_provider"), Alternative(mine, "other_provider")),
        reason="acme lists 'nova-7b' (exact id; provider named by argument)",
    )


def test_a_deprecated_offer_at_the_named_provider_says_it_is() -> None:
    old = offer("together", "acme/nova-7b", "acme/nova-7b", "0.2", status="deprecated")
    assert resolver_of(old).resolve("acme/nova-7b", "together") == Resolution(
        requested="acme/nova-7b",
        status="priced",
        match="exact",
        chosen_by="named_provider",
        canonical_id="acme/nova-7b",
        offer=old,
        named_provider="together",
        named_by="argument",
        reason="together lists 'acme/nova-7b' (exact id; provider named by argument); "
        "the offer is deprecated",
    )


def test_a_prefix_that_is_part_of_the_listed_id_is_an_exact_match() -> None:
    auto = offer("openrouter", "openrouter/auto", "openrouter/auto", "1", "2")
    assert resolver_of(auto).resolve("openrouter/auto") == Resolution(
        requested="openrouter/auto",
        status="priced",
        match="exact",
        chosen_by="named_provider",
        canonical_id="openrouter/auto",
        offer=auto,
        named_provider="openrouter",
        named_by="prefix",
        reason="openrouter lists 'openrouter/auto' (exact id; provider named by prefix)",
    )


def test_the_providers_native_spelling_and_wrapper_are_exact_matches() -> None:
    pro = offer("google", "models/gemini-2.5-pro", "google/gemini-2.5-pro", "1.25", "10")
    llama = offer("fireworks", "accounts/fireworks/models/nova-7b", "acme/nova-7b", "0.2", "0.4")
    resolver = resolver_of(pro, llama)
    assert resolver.resolve("gemini/gemini-2.5-pro") == Resolution(
        requested="gemini/gemini-2.5-pro",
        status="priced",
        match="exact",
        chosen_by="named_provider",
        canonical_id="google/gemini-2.5-pro",
        offer=pro,
        named_provider="google",
        named_by="prefix",
        reason="google lists 'models/gemini-2.5-pro' (exact id; provider named by prefix)",
    )
    assert resolver.resolve("accounts/fireworks/models/nova-7b") == Resolution(
        requested="accounts/fireworks/models/nova-7b",
        status="priced",
        match="exact",
        chosen_by="named_provider",
        canonical_id="acme/nova-7b",
        offer=llama,
        named_provider="fireworks",
        named_by="wrapper",
        reason="fireworks lists 'accounts/fireworks/models/nova-7b' (exact id; provider "
        "named by wrapper)",
    )


def test_two_spellings_at_one_provider_the_one_requested_or_ambiguous() -> None:
    bare = offer("google", "gemini-2.5-pro", "google/gemini-2.5-pro", "1.25", "10")
    native = offer("google", "models/gemini-2.5-pro", "google/gemini-2.5-pro", "2", "12")
    resolver = resolver_of(bare, native)
    assert resolver.resolve("gemini-2.5-pro", "google") == Resolution(
        requested="gemini-2.5-pro",
        status="priced",
        match="exact",
        chosen_by="named_provider",
        canonical_id="google/gemini-2.5-pro",
        offer=bare,
        named_provider="google",
        named_by="argument",
        alternatives=(Alternative(native, "publisher"),),
        reason="google lists 'gemini-2.5-pro' (exact id; provider named by argument)",
    )
    assert resolver.resolve("Gemini-2.5-Pro", "google") == Resolution(
        requested="Gemini-2.5-Pro",
        status="ambiguous",
        match="normalized",
        canonical_id="google/gemini-2.5-pro",
        named_provider="google",
        named_by="argument",
        alternatives=(Alternative(bare, "candidate"), Alternative(native, "candidate")),
        reason="google lists 2 offers of google/gemini-2.5-pro at different prices; ask for "
        "one of their ids",
    )


def test_the_rules_of_identification_at_a_named_provider() -> None:
    nova = offer("together", "acme/Nova-7B", "acme/nova-7b", "0.2", "0.4")
    llama = offer(
        "together",
        "meta-llama/Llama-3.3-70B-Instruct",
        "meta/llama-3.3-70b-instruct",
        "0.88",
        "0.88",
    )
    sonnet = offer(
        "openrouter", "anthropic/claude-sonnet-4.5", "anthropic/claude-sonnet-4.5", "3", "15"
    )
    grok = offer("openrouter", "x-ai/grok-2-1212", "xai/grok-2-1212", "2", "10")
    gpt = offer("openrouter", "openai/gpt-4o", "openai/gpt-4o", "2.5", "10")
    resolver = resolver_of(nova, llama, sonnet, grok, gpt)

    def at(requested: str, provider: str | None = None) -> tuple[Any, ...]:
        answer = resolver.resolve(requested, provider)
        assert answer.status == "priced" and answer.chosen_by == "named_provider"
        assert answer.alternatives == () and answer.candidates == ()
        return (answer.offer, answer.canonical_id, answer.match, answer.named_by, answer.reason)

    assert at("acme/nova-7b", "together") == (
        nova,
        "acme/nova-7b",
        "exact",
        "argument",
        "together lists 'acme/Nova-7B' (exact id; provider named by argument)",
    )
    assert at("openrouter/anthropic/claude-4.5-sonnet") == (
        sonnet,
        "anthropic/claude-sonnet-4.5",
        "alias",
        "prefix",
        "openrouter lists 'anthropic/claude-sonnet-4.5' (alias table; provider named by prefix)",
    )
    assert at("together_ai/meta-llama/llama-3.3-70b-instruct") == (
        llama,
        "meta/llama-3.3-70b-instruct",
        "normalized",
        "prefix",
        "together lists 'meta-llama/Llama-3.3-70B-Instruct' (canonical form of the "
        "request; provider named by prefix)",
    )
    assert at("openrouter/x-ai/grok-2-latest") == (
        grok,
        "xai/grok-2-1212",
        "moving_alias",
        "prefix",
        "openrouter lists 'x-ai/grok-2-1212' (moving alias; provider named by prefix)",
    )
    assert at("gpt-4o-2024-06-01", "openrouter") == (
        gpt,
        "openai/gpt-4o",
        "base_of_snapshot",
        "argument",
        "openrouter lists 'openai/gpt-4o' (base model of a dated snapshot nobody lists; "
        "provider named by argument)",
    )


def test_a_snapshot_another_provider_lists_is_never_the_named_providers_base() -> None:
    # OpenRouter lists only the base; two hosts list the dated snapshot (at other prices).
    base = offer("openrouter", "openai/gpt-4o", "openai/gpt-4o", "2.5", "10")
    snapshot = offer("together", "openai/gpt-4o-2024-06-01", "openai/gpt-4o-2024-06-01", "5", "15")
    cheaper = offer("deepinfra", "openai/gpt-4o-2024-06-01", "openai/gpt-4o-2024-06-01", "4", "12")
    resolver = resolver_of(base, snapshot, cheaper)
    assert resolver.resolve("gpt-4o-2024-06-01", "openrouter") == Resolution(
        requested="gpt-4o-2024-06-01",
        status="not_found",
        match="normalized",
        canonical_id="openai/gpt-4o-2024-06-01",
        named_provider="openrouter",
        named_by="argument",
        alternatives=(
            Alternative(cheaper, "other_provider"),
            Alternative(snapshot, "other_provider"),
        ),
        reason="'gpt-4o-2024-06-01' names provider openrouter (argument); openrouter has no "
        "offer of it; 2 other offer(s) of openai/gpt-4o-2024-06-01 are listed as "
        "alternatives, never used (pass fallback='any_provider' to accept one)",
    )
    assert resolver.resolve(
        "gpt-4o-2024-06-01", "openrouter", fallback="any_provider"
    ) == Resolution(
        requested="gpt-4o-2024-06-01",
        status="priced",
        match="fallback_any_provider",
        chosen_by="highest_price",
        canonical_id="openai/gpt-4o-2024-06-01",
        offer=snapshot,
        named_provider="openrouter",
        named_by="argument",
        alternatives=(Alternative(cheaper, "other_provider"),),
        reason="openrouter has no offer of openai/gpt-4o-2024-06-01; fallback='any_provider' "
        "chose together's (highest_price)",
    )


def test_a_snapshot_listed_as_another_model_is_never_the_named_providers_base() -> None:
    base = offer("openrouter", "openai/gpt-4o", "openai/gpt-4o", "2.5", "10")
    other = offer("deepinfra", "gpt-4o-2024-06-01", "azure/gpt-4o-2024-06-01", "4", "12")
    resolver = resolver_of(base, other)
    assert resolver.resolve("gpt-4o-2024-06-01", "openrouter") == Resolution(
        requested="gpt-4o-2024-06-01",
        status="not_found",
        match="exact",
        canonical_id="azure/gpt-4o-2024-06-01",
        named_provider="openrouter",
        named_by="argument",
        alternatives=(Alternative(other, "other_provider"),),
        reason="'gpt-4o-2024-06-01' names provider openrouter (argument); openrouter has no "
        "offer of it; 1 other offer(s) of azure/gpt-4o-2024-06-01 are listed as "
        "alternatives, never used (pass fallback='any_provider' to accept one)",
    )


def test_not_at_the_named_provider_identified_by_the_id_after_the_prefix() -> None:
    # "nebius/Nova-7B" is no model; "Nova-7B", the id after the prefix, is acme's.
    publisher = offer("acme", "Nova-7B", "acme/nova-7b", "0.1", "0.2")
    host = offer("together", "acme/nova-7b", "acme/nova-7b", "0.2", "0.4")
    resolver = resolver_of(publisher, host)
    assert resolver.resolve("nebius/Nova-7B") == Resolution(
        requested="nebius/Nova-7B",
        status="not_found",
        match="exact",
        canonical_id="acme/nova-7b",
        named_provider="nebius",
        named_by="prefix",
        alternatives=(Alternative(publisher, "publisher"), Alternative(host, "other_provider")),
        reason="'nebius/Nova-7B' names provider nebius (prefix); the catalog has no offers "
        "from nebius (not synced, or not a provider of the roster); 2 other offer(s) of "
        "acme/nova-7b are listed as alternatives, never used (pass "
        "fallback='any_provider' to accept one)",
    )
    # at a provider of the catalog that does not list it
    assert resolver.resolve("together_ai/Nova-7B").reason == (
        "'together_ai/Nova-7B' names provider together (prefix); together has no offer of "
        "it; 2 other offer(s) of acme/nova-7b are listed as alternatives, never used (pass "
        "fallback='any_provider' to accept one)"
    )


def test_not_at_the_named_provider_identified_by_the_whole_request() -> None:
    # "mistral/" names Mistral and is also the publisher's org: "nova-7b" alone is no
    # model, "mistral/nova-7b" is.
    host = offer("openrouter", "mistralai/nova-7b", "mistral/nova-7b", "0.2", "0.4")
    assert resolver_of(host).resolve("mistral/nova-7b") == Resolution(
        requested="mistral/nova-7b",
        status="not_found",
        match="exact",
        canonical_id="mistral/nova-7b",
        named_provider="mistral",
        named_by="prefix",
        alternatives=(Alternative(host, "other_provider"),),
        reason="'mistral/nova-7b' names provider mistral (prefix); the catalog has no offers "
        "from mistral (not synced, or not a provider of the roster); 1 other offer(s) of "
        "mistral/nova-7b are listed as alternatives, never used (pass "
        "fallback='any_provider' to accept one)",
    )


# the request itself and the answer cache ---------------------------------------------------


def test_an_empty_request_is_not_found() -> None:
    resolver = resolver_of(offer("acme", "nova-7b", "acme/nova-7b", "0.1"))
    assert resolver.resolve("  ") == Resolution(
        requested="", status="not_found", reason="empty model id"
    )


def test_rows_with_equal_prices_share_one_prices_object() -> None:
    first = offer("acme", "nova-7b", "acme/nova-7b", "0.1", "0.2")
    second = offer("together", "acme/nova-7b", "acme/nova-7b", "0.1", "0.2")
    resolver = resolver_of(first, second)
    assert resolver.offers == (first, second)
    assert resolver.offers[0].prices is resolver.offers[1].prices


def test_answers_are_remembered_and_the_cache_is_bounded() -> None:
    nova = offer("acme", "nova-7b", "acme/nova-7b", "0.1", "0.2")
    for resolver in (resolver_of(nova), Resolver.from_offers([nova])):
        assert resolver.resolve("nova-7b") is resolver.resolve("nova-7b")
    one = Resolver.from_offers([nova], answer_cache=1)
    first = one.resolve("nova-7b")
    assert one.resolve("nova-7b") is first
    one.resolve("acme/nova-7b")  # pushes the first answer out
    again = one.resolve("nova-7b")
    assert again == first and again is not first
    none = resolver_of(nova, answer_cache=0)
    assert none.resolve("nova-7b") is not none.resolve("nova-7b")


def test_from_offers_keeps_the_reference_hook() -> None:
    host = offer("together", "acme/nova-7b", "acme/nova-7b", "0.2", "0.4")
    other = offer("deepinfra", "acme/nova-7b", "acme/nova-7b", "0.3", "0.5")
    reference = dataclasses.replace(
        offer("reference:models-dev", "acme/nova-7b", "acme/nova-7b", "0.25", "0.45"),
        price_source="models.dev (reference)",
    )
    resolver = Resolver.from_offers([host, other], reference_offer={"acme/nova-7b": reference}.get)
    assert resolver.resolve("acme/nova-7b") == Resolution(
        requested="acme/nova-7b",
        status="priced",
        match="exact",
        chosen_by="reference_price",
        canonical_id="acme/nova-7b",
        offer=reference,
        alternatives=(Alternative(host, "other_provider"), Alternative(other, "other_provider")),
        reason="no offer from acme; reference price from models.dev (reference)",
    )


def test_long_ids_are_answered_but_not_remembered() -> None:
    model = "acme/nova-" + "x" * 251  # 261 characters
    publisher = offer("acme", model, model, "1", "2")
    host = offer("together", model, model, "0.5", "1")
    resolver = resolver_of(publisher, host)
    answer = resolver.resolve(model, "nebius", fallback="any_provider")
    assert answer == Resolution(
        requested=model,
        status="priced",
        match="fallback_any_provider",
        chosen_by="publisher",
        canonical_id=model,
        offer=publisher,
        named_provider="nebius",
        named_by="argument",
        alternatives=(Alternative(host, "other_provider"),),
        reason=f"nebius has no offer of {model}; fallback='any_provider' chose acme's (publisher)",
    )
    assert resolver.resolve(model, "nebius", fallback="any_provider") is not answer
    unbound = resolver.resolve(model)
    assert (unbound.offer, unbound.chosen_by) == (publisher, "publisher")
    assert resolver.resolve(model) is not unbound
    # 256 characters are remembered, 257 are not; the same for the provider named
    at_limit = "n" * 256
    assert resolver.resolve(at_limit) is resolver.resolve(at_limit)
    assert resolver.resolve(at_limit + "n") is not resolver.resolve(at_limit + "n")
    assert resolver.resolve("nova", at_limit) is resolver.resolve("nova", at_limit)
    longer = at_limit + "p"
    assert resolver.resolve("nova", longer) is not resolver.resolve("nova", longer)
    assert resolver.resolve("nova", longer) == resolver.resolve("nova", longer)
