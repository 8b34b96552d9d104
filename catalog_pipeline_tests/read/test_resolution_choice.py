"""Which offer answers when no provider is named, as whole literal answers.

Small hand-built catalogs (offers as the read side sees them), one behaviour per test, and
the expected :class:`Resolution` written out in full: status, offer, ``match``,
``chosen_by``, the reason word for word and every alternative with its relation. A gateway
bills from all of these, so a test compares all of them at once.

The order of the module doc: the publisher's own offer, a reference price, the sole
provider, else ambiguous (``fallback="any_provider"`` then takes the publisher's or the
highest-priced offer); active offers before deprecated ones; an unpriced publisher offer
stays unpriced with the priced offers beside it.
"""

from __future__ import annotations

from decimal import Decimal

from catalog_pipeline.domain.answers import Alternative, OfferView, Resolution
from catalog_pipeline.domain.resolution import Resolver
from catalog_pipeline.domain.rows import Prices

MISTRAL_LARGE_SOURCE = (
    "docs.mistral.ai/models/mistral-large-3-25-12: apiNames mistral-large-2512, "
    "mistral-large-latest (mistralai/platform-docs-public@222f4ba9, src/schema/models/models)"
)


def per_million(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value) / 1_000_000


def offer(
    provider: str,
    model_id: str,
    canonical: str,
    prompt: str | None,
    completion: str | None,
    status: str = "active",
    price_source: str = "provider_api",
) -> OfferView:
    """One offer, prices in USD per 1M tokens."""
    return OfferView(
        provider=provider,
        provider_model_id=model_id,
        canonical_id=canonical,
        display_name=model_id,
        model_type="chat",
        status=status,
        context_length=None,
        max_output_tokens=None,
        prices=Prices(prompt=per_million(prompt), completion=per_million(completion)),
        price_source=price_source,
    )


def other(view: OfferView) -> Alternative:
    return Alternative(view, "other_provider")


def candidate(view: OfferView) -> Alternative:
    return Alternative(view, "candidate")


# 1. The publisher's own offer ----------------------------------------------------------


def test_the_publishers_priced_offer_answers_and_a_deprecated_host_is_not_listed() -> None:
    own = offer("acme", "nova-7b", "acme/nova-7b", "1", "2")
    host = offer("together", "acme/nova-7b", "acme/nova-7b", "3", "4")
    old = offer("deepinfra", "acme/nova-7b", "acme/nova-7b", "0.5", "0.6", "deprecated")
    resolver = Resolver.from_offers([old, host, own])
    assert resolver.resolve("acme/nova-7b") == Resolution(
        requested="acme/nova-7b",
        status="priced",
        match="exact",
        chosen_by="publisher",
        canonical_id="acme/nova-7b",
        offer=own,
        alternatives=(other(host),),
        reason="acme lists 'nova-7b' (exact id)",
    )
    assert resolver.resolve("acme/nova-7b").prices == Prices(
        prompt=Decimal("0.000001"), completion=Decimal("0.000002")
    )


def test_a_publisher_with_two_prices_is_ambiguous_unless_one_id_is_asked_for() -> None:
    cheap = offer("acme", "nova-7b", "acme/nova-7b", "1", "1")
    turbo = offer("acme", "nova-7b-turbo", "acme/nova-7b", "2", "2")
    host = offer("together", "acme/nova-7b", "acme/nova-7b", "3", "3")
    resolver = Resolver.from_offers([turbo, host, cheap])
    assert resolver.resolve("acme/nova-7b") == Resolution(
        requested="acme/nova-7b",
        status="ambiguous",
        match="exact",
        canonical_id="acme/nova-7b",
        alternatives=(candidate(cheap), candidate(turbo)),
        reason="the publisher lists 2 offers of acme/nova-7b at different prices; ask for "
        "one of their ids",
    )
    # the dearer one, listed second, spelled as requested
    assert resolver.resolve("nova-7b-turbo") == Resolution(
        requested="nova-7b-turbo",
        status="priced",
        match="exact",
        chosen_by="publisher",
        canonical_id="acme/nova-7b",
        offer=turbo,
        # the publisher's other offer too, labelled like the hosts' (``_listed``)
        alternatives=(other(cheap), other(host)),
        reason="acme lists 'nova-7b-turbo' (exact id)",
    )


def test_two_spellings_at_one_price_answer_with_the_shortest_id() -> None:
    # Listed first (alphabetically, uppercase first) is the longer id; the shorter answers.
    long = offer("acme", "Nova-7B-Instruct", "acme/nova-7b", "1", "2")
    short = offer("acme", "nova-7b", "acme/nova-7b", "1", "2")
    host = offer("together", "acme/nova-7b", "acme/nova-7b", "3", "4")
    resolver = Resolver.from_offers([short, host, long])
    assert resolver.resolve("acme/nova-7b") == Resolution(
        requested="acme/nova-7b",
        status="priced",
        match="exact",
        chosen_by="publisher",
        canonical_id="acme/nova-7b",
        offer=short,
        alternatives=(other(long), other(host)),
        reason="acme lists 'nova-7b' (exact id)",
    )


def test_the_documented_pin_of_a_moving_alias_is_the_publishers_offer() -> None:
    own = offer("mistral", "mistral-large-2512", "mistral/mistral-large-2512", "0.5", "1.5")
    host = offer(
        "openrouter", "mistralai/mistral-large-2512", "mistral/mistral-large-2512", "0.6", "2"
    )
    resolver = Resolver.from_offers([host, own])
    assert resolver.resolve("mistral-large-latest") == Resolution(
        requested="mistral-large-latest",
        status="priced",
        match="moving_alias",
        chosen_by="publisher",
        canonical_id="mistral/mistral-large-2512",
        offer=own,
        alternatives=(other(host),),
        reason="mistral lists 'mistral-large-2512' (moving alias (mistral-large-latest -> "
        f"mistral-large-2512 per {MISTRAL_LARGE_SOURCE}, checked 2026-08-21))",
    )


def test_a_host_listing_the_alias_defers_to_the_publishers_offer_of_the_pin() -> None:
    own = offer("mistral", "mistral-large-2512", "mistral/mistral-large-2512", "0.5", "1.5")
    pinned = offer(
        "openrouter", "mistralai/mistral-large-2512", "mistral/mistral-large-2512", "0.6", "2"
    )
    alias = offer(
        "openrouter", "mistralai/mistral-large-latest", "mistral/mistral-large-latest", "2", "6"
    )
    resolver = Resolver.from_offers([alias, pinned, own])
    assert resolver.resolve("mistralai/mistral-large-latest") == Resolution(
        requested="mistralai/mistral-large-latest",
        status="priced",
        match="moving_alias",
        chosen_by="publisher",
        canonical_id="mistral/mistral-large-2512",
        offer=own,
        alternatives=(other(pinned),),
        reason="mistral lists 'mistral-large-2512' (moving alias (mistral-large-latest -> "
        f"mistral-large-2512 per {MISTRAL_LARGE_SOURCE}, checked 2026-08-21))",
    )


def test_a_host_listing_the_alias_answers_alone_when_nobody_lists_the_pin() -> None:
    alias = offer(
        "openrouter", "mistralai/mistral-large-latest", "mistral/mistral-large-latest", "2", "6"
    )
    resolver = Resolver.from_offers([alias])
    assert resolver.resolve("mistralai/mistral-large-latest") == Resolution(
        requested="mistralai/mistral-large-latest",
        status="priced",
        match="exact",
        chosen_by="sole_provider",
        canonical_id="mistral/mistral-large-latest",
        offer=alias,
        reason="openrouter lists 'mistralai/mistral-large-latest' (exact id); openrouter is "
        "the only provider of mistral/mistral-large-latest",
    )


# 2. An unpriced publisher offer --------------------------------------------------------


def _unpriced_publisher() -> tuple[OfferView, OfferView, OfferView, OfferView]:
    own = offer("acme", "nova-7b", "acme/nova-7b", None, None)
    cheap = offer("together", "acme/nova-7b", "acme/nova-7b", "1", "1")
    dear = offer("deepinfra", "acme/nova-7b", "acme/nova-7b", "3", "3")
    unpriced = offer("groq", "nova-7b", "acme/nova-7b", None, None)
    return own, cheap, dear, unpriced


REFERENCE = offer(
    "reference:models-dev",
    "nova-7b",
    "acme/nova-7b",
    "5",
    "6",
    price_source="models.dev (reference)",
)


def test_an_unpriced_publisher_offer_is_unpriced_with_the_priced_offers_beside_it() -> None:
    own, cheap, dear, unpriced = _unpriced_publisher()
    expected = Resolution(
        requested="acme/nova-7b",
        status="unpriced",
        match="exact",
        chosen_by="publisher",
        canonical_id="acme/nova-7b",
        offer=own,
        alternatives=(other(cheap), other(dear)),
        reason="acme lists 'nova-7b' without a price; 2 other provider(s) price it "
        "(alternatives, not used)",
    )
    assert Resolver.from_offers([unpriced, dear, own, cheap]).resolve("acme/nova-7b") == expected
    # a reference hook without a price for the model changes nothing
    with_hook = Resolver.from_offers([unpriced, dear, own, cheap], reference_offer={}.get)
    assert with_hook.resolve("acme/nova-7b") == expected


def test_an_unpriced_publisher_offer_alone_is_unpriced_without_alternatives() -> None:
    own, _, _, unpriced = _unpriced_publisher()
    expected = Resolution(
        requested="acme/nova-7b",
        status="unpriced",
        match="exact",
        chosen_by="publisher",
        canonical_id="acme/nova-7b",
        offer=own,
        reason="acme lists 'nova-7b' without a price",
    )
    resolver = Resolver.from_offers([unpriced, own])
    assert resolver.resolve("acme/nova-7b") == expected
    assert resolver.resolve("acme/nova-7b", fallback="any_provider") == expected


def test_the_fallback_replaces_an_unpriced_publisher_offer_with_the_highest_price() -> None:
    own, cheap, dear, unpriced = _unpriced_publisher()
    resolver = Resolver.from_offers([unpriced, dear, own, cheap])
    assert resolver.resolve("acme/nova-7b", fallback="any_provider") == Resolution(
        requested="acme/nova-7b",
        status="priced",
        match="fallback_any_provider",
        chosen_by="highest_price",
        canonical_id="acme/nova-7b",
        offer=dear,
        alternatives=(other(cheap), other(own), other(unpriced)),
        reason="acme lists 'nova-7b' without a price; fallback='any_provider' chose "
        "deepinfra's (highest_price)",
    )


def test_a_reference_price_answers_for_an_unpriced_publisher_offer() -> None:
    own, cheap, dear, unpriced = _unpriced_publisher()
    resolver = Resolver.from_offers(
        [unpriced, dear, own, cheap], reference_offer={"acme/nova-7b": REFERENCE}.get
    )
    assert resolver.resolve("acme/nova-7b") == Resolution(
        requested="acme/nova-7b",
        status="priced",
        match="exact",
        chosen_by="reference_price",
        canonical_id="acme/nova-7b",
        offer=REFERENCE,
        alternatives=(other(cheap), other(dear), other(own), other(unpriced)),
        reason="acme's offer has no price; reference price from models.dev (reference)",
    )


# 3. No publisher offer: reference price, sole provider, ambiguous ----------------------

# A model part may hold a slash (``is_canonical``); the publisher is the first segment.
SLASHED = "acme/nova/7b"


def _hosts() -> tuple[OfferView, OfferView, OfferView]:
    cheap = offer("together", "acme/nova/7b", SLASHED, "1", "2")
    dear = offer("deepinfra", "acme/nova/7b", SLASHED, "3", "1")
    old = offer("groq", "nova-7b", SLASHED, "9", "9", "deprecated")
    return cheap, dear, old


def test_a_reference_price_answers_before_the_hosts() -> None:
    cheap, dear, old = _hosts()
    reference = offer(
        "reference:models-dev", "nova-7b", SLASHED, "5", "6", price_source="models.dev (ref)"
    )
    unpriced_reference = offer("reference:models-dev", "nova-7b", SLASHED, None, None)
    resolver = Resolver.from_offers([old, dear, cheap], reference_offer={SLASHED: reference}.get)
    assert resolver.resolve(SLASHED) == Resolution(
        requested=SLASHED,
        status="priced",
        match="exact",
        chosen_by="reference_price",
        canonical_id=SLASHED,
        offer=reference,
        alternatives=(other(cheap), other(dear)),
        reason="no offer from acme; reference price from models.dev (ref)",
    )
    # a reference without a price, or none for the model, is not an answer
    for hook in ({SLASHED: unpriced_reference}.get, {}.get):
        answer = Resolver.from_offers([old, dear, cheap], reference_offer=hook).resolve(SLASHED)
        assert (answer.status, answer.offer) == ("ambiguous", None)


def test_several_hosts_and_no_publisher_offer_is_ambiguous() -> None:
    cheap, dear, old = _hosts()
    resolver = Resolver.from_offers([old, dear, cheap])
    assert resolver.resolve(SLASHED) == Resolution(
        requested=SLASHED,
        status="ambiguous",
        match="exact",
        canonical_id=SLASHED,
        alternatives=(candidate(cheap), candidate(dear)),
        reason="2 providers offer acme/nova/7b, acme does not, and no provider is named: name "
        "one (provider=, a prefix such as together_ai/, or --provider), or pass "
        "fallback='any_provider'",
    )


def test_the_fallback_takes_the_highest_prompt_price_among_hosts() -> None:
    cheap, dear, old = _hosts()
    resolver = Resolver.from_offers([old, dear, cheap])
    assert resolver.resolve(SLASHED, fallback="any_provider") == Resolution(
        requested=SLASHED,
        status="priced",
        match="fallback_any_provider",
        chosen_by="highest_price",
        canonical_id=SLASHED,
        offer=dear,
        alternatives=(other(cheap),),
        reason="2 providers offer acme/nova/7b and none is named; fallback='any_provider' "
        "chose deepinfra's (highest_price)",
    )


def test_the_fallback_without_any_price_stays_ambiguous() -> None:
    first = offer("together", "acme/nova-7b", "acme/nova-7b", None, None)
    second = offer("deepinfra", "acme/nova-7b", "acme/nova-7b", None, None)
    resolver = Resolver.from_offers([first, second])
    assert resolver.resolve("acme/nova-7b", fallback="any_provider") == Resolution(
        requested="acme/nova-7b",
        status="ambiguous",
        match="exact",
        canonical_id="acme/nova-7b",
        alternatives=(candidate(second), candidate(first)),
        reason="2 providers offer acme/nova-7b, acme does not, and no provider is named: name "
        "one (provider=, a prefix such as together_ai/, or --provider), or pass "
        "fallback='any_provider'",
    )


def test_one_active_host_is_the_sole_provider_before_a_deprecated_publisher_offer() -> None:
    retired = offer("acme", "nova-7b", "acme/nova-7b", "1", "1", "deprecated")
    host = offer("together", "acme/nova-7b", "acme/nova-7b", "3", "3")
    resolver = Resolver.from_offers([retired, host])
    assert resolver.resolve("acme/nova-7b") == Resolution(
        requested="acme/nova-7b",
        status="priced",
        match="exact",
        chosen_by="sole_provider",
        canonical_id="acme/nova-7b",
        offer=host,
        reason="together lists 'acme/nova-7b' (exact id); together is the only provider of "
        "acme/nova-7b",
    )


def test_a_deprecated_offer_answers_when_nothing_is_active_and_says_so() -> None:
    retired = offer("together", "acme/nova-7b", "acme/nova-7b", "3", "3", "deprecated")
    resolver = Resolver.from_offers([retired])
    assert resolver.resolve("acme/nova-7b") == Resolution(
        requested="acme/nova-7b",
        status="priced",
        match="exact",
        chosen_by="sole_provider",
        canonical_id="acme/nova-7b",
        offer=retired,
        reason="together lists 'acme/nova-7b' (exact id); the offer is deprecated; together "
        "is the only provider of acme/nova-7b",
    )


def test_a_sole_provider_with_two_prices_is_ambiguous_unless_one_id_is_asked_for() -> None:
    base = offer("together", "nova-7b", "acme/nova-7b", "1", "1")
    fast = offer("together", "nova-7b-fast", "acme/nova-7b", "2", "2")
    resolver = Resolver.from_offers([fast, base])
    assert resolver.resolve("acme/nova-7b") == Resolution(
        requested="acme/nova-7b",
        status="ambiguous",
        match="exact",
        canonical_id="acme/nova-7b",
        alternatives=(candidate(base), candidate(fast)),
        reason="together lists 2 offers of acme/nova-7b at different prices; ask for one of "
        "their ids",
    )
    assert resolver.resolve("nova-7b-fast") == Resolution(
        requested="nova-7b-fast",
        status="priced",
        match="exact",
        chosen_by="sole_provider",
        canonical_id="acme/nova-7b",
        offer=fast,
        alternatives=(other(base),),
        reason="together lists 'nova-7b-fast' (exact id); together is the only provider of "
        "acme/nova-7b",
    )


# 4. A named provider without an offer: the alternatives and the opt-in fallback --------


def test_alternatives_label_the_publishers_offer() -> None:
    own = offer("acme", "nova/7b", SLASHED, "1", "1")
    host = offer("together", "acme/nova/7b", SLASHED, "2", "2")
    resolver = Resolver.from_offers([host, own])
    assert resolver.resolve(SLASHED, "nebius") == Resolution(
        requested=SLASHED,
        status="not_found",
        match="exact",
        canonical_id=SLASHED,
        named_provider="nebius",
        named_by="argument",
        alternatives=(Alternative(own, "publisher"), other(host)),
        reason="'acme/nova/7b' names provider nebius (argument); the catalog has no offers "
        "from nebius (not synced, or not a provider of the roster); 2 other offer(s) of "
        "acme/nova/7b are listed as alternatives, never used (pass fallback='any_provider' "
        "to accept one)",
    )
    # the opt-in fallback takes the publisher's offer, though the host's is dearer
    assert resolver.resolve(SLASHED, "nebius", fallback="any_provider") == Resolution(
        requested=SLASHED,
        status="priced",
        match="fallback_any_provider",
        chosen_by="publisher",
        canonical_id=SLASHED,
        offer=own,
        named_provider="nebius",
        named_by="argument",
        alternatives=(other(host),),
        reason="nebius has no offer of acme/nova/7b; fallback='any_provider' chose acme's "
        "(publisher)",
    )


def test_the_fallback_ranks_an_unknown_status_after_deprecated_at_one_price() -> None:
    # No store constraint limits ``status``; an unknown one must rank last, not crash.
    unknown = offer("deepinfra", "acme/nova-7b", "acme/nova-7b", "2", "2", "retired")
    deprecated = offer("together", "acme/nova-7b", "acme/nova-7b", "2", "2", "deprecated")
    resolver = Resolver.from_offers([unknown, deprecated])
    assert resolver.resolve("acme/nova-7b", fallback="any_provider") == Resolution(
        requested="acme/nova-7b",
        status="priced",
        match="fallback_any_provider",
        chosen_by="highest_price",
        canonical_id="acme/nova-7b",
        offer=deprecated,
        alternatives=(other(unknown),),
        reason="2 providers offer acme/nova-7b and none is named; fallback='any_provider' "
        "chose together's (highest_price)",
    )
