"""Each reference source's parser on files in its exact wire format (the replay recordings),
and the mapping of each source's provider names and id spelling to roster ids."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.reference_names import match_reference, reference_provider_names
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.pipeline.pricing import ROUTERS
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline.providers.references.fetch import parse_reference, require_observations
from catalog_pipeline.providers.references.registry import SOURCES, get_source
from catalog_pipeline.providers.registry import get_provider, provider_slugs
from catalog_pipeline_tests.conftest import RECORDINGS


def recorded(slug: str) -> bytes:
    source = get_source(slug)
    return (RECORDINGS / slug / (source.path.strip("/") + ".json")).read_bytes()


def prices(slug: str) -> dict[tuple[str, str], object]:
    fetch = parse_reference(get_source(slug), recorded(slug))
    return {(o.provider, o.provider_model_id): o.prices for o in fetch.observations}


def test_every_mapped_provider_is_in_the_roster_and_every_row_has_a_source() -> None:
    slugs = {source.slug for source in SOURCES} | set(ROUTERS)
    for (source, name), entry in reference_provider_names().items():
        assert source in slugs
        assert get_provider(entry.provider).slug in provider_slugs()
        assert entry.source_note.strip(), (source, name)


def test_id_spelling_is_exact_prefixes_only() -> None:
    assert match_reference("litellm", "gemini", "gemini/gemini-2.5-pro") == (
        "google",
        "models/gemini-2.5-pro",
    )
    assert match_reference("models-dev", "moonshotai", "kimi-k2-0905-preview") == (
        "moonshot",
        "kimi-k2-0905-preview",
    )
    assert match_reference("litellm", "together_ai", "together_ai/meta-llama/Llama-3-8B") == (
        "together",
        "meta-llama/Llama-3-8B",
    )
    assert match_reference("models-dev", "openai", "GPT-4o") == ("openai", "GPT-4o")
    assert match_reference("litellm", "bedrock_converse", "bedrock/x") is None


def test_models_dev_per_million_with_context_tiers() -> None:
    got = prices("models-dev")
    pro = got[("google", "models/gemini-2.5-pro")]
    assert pro.prompt == Decimal("0.00000125") and pro.completion == Decimal("0.00001")
    assert [(t.above_prompt_tokens, t.prompt, t.completion) for t in pro.tiers] == [
        (200_000, per_million("2.5"), per_million("15"))
    ]
    assert got[("anthropic", "claude-sonnet-4-5-20250929")].cache_write == per_million("3.75")
    assert ("openai", "chatgpt-image-latest") not in got, "no cost: no observation"
    assert not any(provider == "amazon-bedrock" for provider, _ in got)


def test_litellm_per_token_with_above_k_tiers_and_no_batch_prices() -> None:
    fetch = parse_reference(get_source("litellm"), recorded("litellm"))
    got = {(o.provider, o.provider_model_id): o.prices for o in fetch.observations}
    gpt = got[("openai", "gpt-4o")]
    assert (gpt.prompt, gpt.completion, gpt.cache_read) == (
        Decimal("0.0000025"),
        Decimal("0.00001"),
        Decimal("0.00000125"),
    )
    pro = got[("google", "models/gemini-2.5-pro")]
    assert pro.tiers[0].above_prompt_tokens == 200_000
    assert pro.tiers[0].cache_read == per_million("0.25")
    assert got[("groq", "openai/gpt-oss-120b")].completion == per_million("0.75")
    assert fetch.unmatched == 1, "the bedrock entry is not in the roster"
    assert fetch.rejected_count == 0, "sample_spec is skipped, not rejected"


def test_genai_prices_reads_only_equals_rules_and_tiered_prices() -> None:
    got = prices("genai-prices")
    assert got[("openai", "gpt-4o")].prompt == per_million("2.5")
    assert got[("openai", "gpt-4o-2024-08-06")].prompt == per_million("2.5")
    assert ("openai", "gpt-4o-mini") not in got, "a starts_with rule names no exact id"
    pro = got[("google", "models/gemini-2.5-pro")]
    assert pro.tiers[0].completion == per_million("15")


def test_a_bad_entry_is_a_rejected_row_and_an_empty_file_fails() -> None:
    body = json.dumps(
        {
            "gpt-4o": {"litellm_provider": "openai", "input_cost_per_token": "free"},
            "gpt-4o-mini": {"litellm_provider": "openai", "input_cost_per_token": 1.5e-07},
        }
    ).encode()
    fetch = parse_reference(get_source("litellm"), body)
    assert fetch.rejected_count == 1 and "not a number" in fetch.rejected[0].error
    assert [o.provider_model_id for o in fetch.observations] == ["gpt-4o-mini"]
    empty = parse_reference(
        get_source("litellm"), b'{"bedrock/x": {"litellm_provider": "bedrock"}}'
    )
    with pytest.raises(ProviderError, match="priced none"):
        require_observations(get_source("litellm"), empty)
    with pytest.raises(ProviderError, match="expected a JSON object"):
        parse_reference(get_source("litellm"), b"[]")


def test_schema_valid_of_a_source_says_what_it_counted() -> None:
    from catalog_pipeline.pipeline.check_settings import CheckThresholds
    from catalog_pipeline.pipeline.references import schema_valid

    body = json.dumps(
        {"gpt-4o-mini": {"litellm_provider": "openai", "input_cost_per_token": 1.5e-07}}
    ).encode()
    one = schema_valid(parse_reference(get_source("litellm"), body), CheckThresholds())
    assert (one.passed, one.summary) == (True, "litellm: all 1 entry valid")
    nothing = schema_valid(parse_reference(get_source("litellm"), b"{}"), CheckThresholds())
    assert (nothing.passed, nothing.blocks, nothing.summary) == (
        False,
        True,
        "litellm: the file has no entries, which is a failed fetch; nothing is stored and "
        "the previous observations stay",
    )
