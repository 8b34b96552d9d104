"""Precedence per offer and field, and the evidence string (domain/references.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from catalog_pipeline.domain.references import (
    PROVIDER_API,
    ReferenceObservation,
    choose_prices,
    format_price_source,
    own_prices,
    parse_price_source,
)
from catalog_pipeline.domain.rows import Prices, PriceTier
from catalog_pipeline.domain.units import per_million

MODELS_DEV = dt.datetime(2026, 7, 2, tzinfo=dt.UTC)
LITELLM = dt.datetime(2026, 8, 21, tzinfo=dt.UTC)
CURATED = "curated:https://example.com/pricing (checked 2026-01-01)"


def seen(source: str, when: dt.datetime, **prices: str) -> ReferenceObservation:
    return ReferenceObservation(
        source=source,
        provider="openai",
        provider_model_id="gpt-4o",
        source_key="gpt-4o",
        prices=Prices(**{k: per_million(v) for k, v in prices.items()}),
        fetched_at=when,
    )


def test_the_providers_own_price_wins_over_agreeing_references() -> None:
    api = Prices(prompt=per_million("2.5"))
    refs = [
        seen("models-dev", MODELS_DEV, prompt="2.4", completion="10"),
        seen("litellm", LITELLM, prompt="2.4", completion="10"),
    ]
    choice = choose_prices(api, refs)
    assert choice.prices.prompt == per_million("2.5")
    assert choice.evidence["prompt"] == PROVIDER_API
    assert choice.prices.completion == per_million("10")
    assert choice.evidence["completion"] == ("consensus(models-dev 2026-07-02, litellm 2026-08-21)")
    assert choice.price_source == (
        "prompt=provider_api; completion=consensus(models-dev 2026-07-02, litellm 2026-08-21)"
    )


def test_consensus_needs_agreement_within_half_a_percent() -> None:
    close = [seen("models-dev", MODELS_DEV, prompt="10"), seen("litellm", LITELLM, prompt="10.04")]
    assert choose_prices(Prices(), close).evidence["prompt"].startswith("consensus(")
    apart = [seen("models-dev", MODELS_DEV, prompt="10"), seen("litellm", LITELLM, prompt="10.1")]
    choice = choose_prices(Prices(), apart)
    assert choice.prices.prompt is None, "two references that disagree price nothing"
    assert "prompt" not in choice.evidence


def test_a_single_reference_is_labelled_single_source_and_beats_curated() -> None:
    refs = [seen("litellm", LITELLM, prompt="3")]
    choice = choose_prices(Prices(), refs, Prices(prompt=per_million("2")), CURATED)
    assert choice.prices.prompt == per_million("3")
    assert choice.price_source == "single-source(litellm 2026-08-21)"


def test_curated_fills_what_no_reference_has_and_counts_towards_consensus() -> None:
    curated = Prices(prompt=per_million("3"), per_request=Decimal("0.01"))
    refs = [seen("models-dev", MODELS_DEV, prompt="3")]
    choice = choose_prices(Prices(), refs, curated, CURATED)
    assert choice.evidence["prompt"] == f"consensus(models-dev 2026-07-02, {CURATED})"
    assert choice.evidence["per_request"] == CURATED
    assert choice.prices.per_request == Decimal("0.01")


def test_disagreeing_references_fall_back_to_curated() -> None:
    refs = [seen("models-dev", MODELS_DEV, prompt="3"), seen("litellm", LITELLM, prompt="6")]
    choice = choose_prices(Prices(), refs, Prices(prompt=per_million("4")), CURATED)
    assert choice.prices.prompt == per_million("4")
    assert choice.evidence["prompt"] == CURATED


def test_tiers_are_one_field_that_agrees_only_when_every_tier_does() -> None:
    tier = PriceTier(above_prompt_tokens=200_000, prompt=per_million("2.5"))
    other = PriceTier(above_prompt_tokens=128_000, prompt=per_million("2.5"))
    refs = [
        seen("models-dev", MODELS_DEV, prompt="1.25").model_copy(
            update={"prices": Prices(prompt=per_million("1.25"), tiers=(tier,))}
        ),
        seen("litellm", LITELLM).model_copy(
            update={"prices": Prices(prompt=per_million("1.25"), tiers=(tier,))}
        ),
    ]
    assert choose_prices(Prices(), refs).prices.tiers == (tier,)
    refs[1] = refs[1].model_copy(update={"prices": Prices(tiers=(other,))})
    assert choose_prices(Prices(), refs).prices.tiers == ()


def test_price_source_round_trips_and_recovers_the_providers_own_fields() -> None:
    api = Prices(prompt=per_million("1"))
    refs = [
        seen("models-dev", MODELS_DEV, completion="2"),
        seen("litellm", LITELLM, completion="2"),
    ]
    choice = choose_prices(api, refs)
    text = format_price_source(choice.evidence)
    assert parse_price_source(text, choice.prices) == choice.evidence
    assert own_prices(choice.prices, text) == (api, PROVIDER_API)
    assert parse_price_source("provider_api", api) == {"prompt": PROVIDER_API}
    assert parse_price_source(CURATED, api) == {"prompt": CURATED}
    assert own_prices(api, CURATED) == (Prices(), PROVIDER_API)
    packaged = "https://docs.bfl.ai/pricing"
    assert own_prices(api, packaged) == (api, packaged)


def test_an_override_layer_wins_over_every_source() -> None:
    choice = choose_prices(Prices(prompt=per_million("1")), [])
    overridden = choice.with_fields({"prompt": per_million("0.5")}, "override:ops (negotiated)")
    assert overridden.prices.prompt == per_million("0.5")
    assert overridden.price_source == "override:ops (negotiated)"


def test_long_evidence_fits_the_price_source_column() -> None:
    """Many agreeing sources and a curated URL: the evidence drops the URL, then is cut,
    never longer than the column (a longer one would fail the provider's whole write)."""
    from catalog_pipeline.domain.limits import MAX_PRICE_SOURCE_LENGTH
    from catalog_pipeline.domain.references import format_price_source

    curated = "curated:https://example.com/" + "p" * 120 + " (checked 2026-11-23)"
    evidence = {
        "prompt": f"consensus(models-dev 2026-11-28, litellm 2026-11-28, {curated})",
        "completion": f"consensus(genai-prices 2026-11-28, {curated})",
        "cache_read": "single-source(litellm 2026-11-28)",
    }
    text = format_price_source(evidence)
    assert text is not None and len(text) <= MAX_PRICE_SOURCE_LENGTH
    assert text.startswith(
        "prompt=consensus(models-dev 2026-11-28, litellm 2026-11-28, curated (checked 2026-11-23))"
    )
    assert "https://" not in text
    long = {"prompt": "consensus(" + ", ".join(f"source{i} 2026-11-28" for i in range(40)) + ")"}
    cut = format_price_source(long)
    assert cut is not None and len(cut) == MAX_PRICE_SOURCE_LENGTH and cut.endswith("\u2026")
