"""The Resolver's rules, its remembered answers and the immutability that makes them safe.

No database: rows are built here in the shape ``CatalogStore.offers()`` returns.
"""

from __future__ import annotations

import copy
import difflib
import gc
import pickle
import random
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from catalog_pipeline.domain.aliases import aliases
from catalog_pipeline.domain.collector import collector_paused
from catalog_pipeline.domain.ids import canonical_id
from catalog_pipeline.domain.resolution import (
    OfferView,
    PriceTexts,
    Pricing,
    Resolution,
    Resolver,
    plain_decimal,
    trusted,
)
from catalog_pipeline.domain.rows import PRICE_FIELDS
from catalog_pipeline.domain.units import decimal_str
from catalog_pipeline.read_api import CatalogSnapshot, ModelInfo

STATUS_ORDER = {"active": 0, "missing": 1, "deprecated": 2}


def row(
    provider: str,
    provider_model_id: str,
    canonical: str,
    prompt: str | None = "0.000001",
    status: str = "active",
    **prices: str,
) -> dict[str, Any]:
    values: dict[str, Any] = {name: None for name in PRICE_FIELDS}
    values["prompt"] = Decimal(prompt) if prompt is not None else None
    values.update({name: Decimal(value) for name, value in prices.items()})
    return {
        "provider": provider,
        "provider_model_id": provider_model_id,
        "canonical_id": canonical,
        "publisher": canonical.split("/", 1)[0],
        "display_name": canonical.split("/", 1)[1],
        "model_type": "chat",
        "input_modalities": "text",
        "output_modalities": "text",
        "capabilities": "",
        "context_length": 131_072,
        "max_output_tokens": None,
        "price_source": "provider api",
        "deprecation_date": None,
        "status": status,
        **values,
    }


ALIAS = next(iter(aliases().values()))

ROWS = [
    row("deepinfra", "deepseek-ai/DeepSeek-V3.1", "deepseek/deepseek-v3.1", "0.0000003"),
    row("together", "deepseek-ai/DeepSeek-V3.1", "deepseek/deepseek-v3.1", "0.0000006"),
    row("deepseek", "deepseek-chat", "deepseek/deepseek-v3.1", "0.00000056"),
    row("groq", "deepseek-v3.1", "deepseek/deepseek-v3.1", None),
    row("openai", "gpt-4o", "openai/gpt-4o", "0.0000025", completion="0.00001"),
    row("openai", "gpt-4o-2024-08-06", "openai/gpt-4o", "0.0000025", status="deprecated"),
    row("azure", "gpt-4o", "openai/gpt-4o", "0.0000025"),
    row("openrouter", "openai/gpt-4o", "openai/gpt-4o", "0.0000025"),
    row("anthropic", "claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4.5", "0.000003"),
    row("openrouter", "anthropic/claude-sonnet-4.5", "anthropic/claude-sonnet-4.5", "3E-6"),
    row("bedrock", "Anthropic.Claude-Sonnet-4-5", "anthropic/claude-sonnet-4.5", "0.0000030"),
    row("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "meta/llama-3.3-70b", None),
    row("deepinfra", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "meta/llama-3.3-70b", None),
    row("groq", "llama-3.3-70b-versatile", "meta/llama-3.3-70b-versatile", "0.00000059"),
    row("fireworks", "accounts/fireworks/models/qwen3-8b", "alibaba/qwen3-8b", "0.0000002"),
    row("mistral", "mistral-large-latest", "mistral/mistral-large", "0.000002", status="missing"),
    row("mistral", "Mistral-Large", "mistral/mistral-large", "0.000002"),
    row("bench-alias-targets", ALIAS.canonical_id, ALIAS.canonical_id, "0.000001"),
]

REQUESTS = [
    "deepseek/deepseek-v3.1",
    "DeepSeek/DeepSeek-V3.1",
    "  deepseek/deepseek-v3.1  ",
    "deepseek-ai/DeepSeek-V3.1",
    "deepseek-ai/deepseek-v3.1",
    "deepseek-chat",
    "openai/gpt-4o",
    "gpt-4o",
    "gpt-4o-2024-08-06",
    "GPT-4o",
    "openai/gpt-4o-2024-11-20",
    "claude-sonnet-4-5-20250929",
    "claude-sonnet-4-5",
    "anthropic/claude-sonnet-4.5",
    "Anthropic.Claude-Sonnet-4-5",
    "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    "meta/llama-3.3-70b",
    "llama-3.3-70b-versatile",
    "accounts/fireworks/models/qwen3-8b",
    "qwen/qwen3-8b",
    "mistral-large-latest",
    "mistral-large",
    "Mistral-Large",
    ALIAS.alias,
    ALIAS.alias.upper(),
    "deepseek/deepseek-v3.2",
    "nobody/nothing",
    "",
    "gpt",
]
PROVIDERS = [None, "openai", "azure", "together", "groq", "mistral", "anthropic", "nowhere", ""]


class ReferenceResolver:
    """The rules as they were before answers were ranked once and remembered: the oracle."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.offers = [plain_offer(r) for r in rows]

    def resolve(self, requested: str, provider: str | None = None) -> dict[str, Any]:
        text = requested.strip()
        lowered = text.lower()
        found = self._for(lambda o: o.canonical_id == lowered, provider)
        if found:
            return self._answer(text, "exact", found, lowered)
        found = self._for(lambda o: o.provider_model_id == text, provider)
        if found:
            return self._answer(text, "exact", found, found[0].canonical_id)
        alias = aliases().get(lowered)
        keys = [("alias", alias.canonical_id if alias else None)]
        keys.append(("normalized", canonical_id(text, provider or "unknown")))
        for match, key in keys:
            found = self._for(lambda o, key=key: o.canonical_id == key, provider) if key else []
            if found:
                return self._answer(text, match, found, key)
        pool = sorted(
            {o.canonical_id for o in self.offers if provider is None or o.provider == provider}
        )
        target = canonical_id(text, provider or "unknown")
        return {
            "requested": text,
            "found": False,
            "candidates": difflib.get_close_matches(target, pool, n=5, cutoff=0.6),
        }

    def _for(self, where, provider: str | None) -> list[OfferView]:
        found = [o for o in self.offers if where(o)]
        if provider is not None:
            found = [o for o in found if o.provider == provider]
        return sorted(found, key=self._preference)

    @staticmethod
    def _preference(offer: OfferView) -> tuple[int, int, int, str]:
        first_party = 0 if offer.provider == offer.publisher else 1
        unpriced = 0 if any(v is not None for v in offer.pricing.values()) else 1
        return (STATUS_ORDER.get(offer.status, 3), first_party, unpriced, offer.provider)

    @staticmethod
    def _answer(text: str, match: str, offers: list[OfferView], canonical: str) -> dict:
        chosen = offers[0]
        return {
            "requested": text,
            "found": True,
            "canonical_id": canonical,
            "provider": chosen.provider,
            "provider_model_id": chosen.provider_model_id,
            "match": match,
            "pricing": chosen.pricing,
            "context_length": chosen.context_length,
            "offers": [(o.provider, o.provider_model_id) for o in offers],
        }


def plain_offer(values: dict[str, Any]) -> OfferView:
    """An offer built the validated way, with a plain pricing dict."""
    return OfferView(
        **{name: values[name] for name in OfferView.model_fields if name != "pricing"},
        pricing={name: decimal_str(values[name]) for name in PRICE_FIELDS},
    )


def comparable(answer: Resolution) -> dict[str, Any]:
    if not answer.found:
        return {
            "requested": answer.requested,
            "found": False,
            "candidates": list(answer.candidates),
        }
    data = answer.model_dump(exclude={"offers", "reason", "candidates"})
    data["offers"] = [(o.provider, o.provider_model_id) for o in answer.offers]
    return data


QUESTIONS = [(text, provider) for text in REQUESTS for provider in PROVIDERS]


def test_answers_follow_the_rules_cached_or_not() -> None:
    """Remembered answers, freshly computed answers and the reference rules all agree."""
    reference = ReferenceResolver(ROWS)
    cached = Resolver(ROWS)
    uncached = Resolver(ROWS, answer_cache=0)
    tiny = Resolver(ROWS, answer_cache=3)  # evicts constantly
    for _ in range(2):  # the second pass answers from the cache
        for text, provider in QUESTIONS:
            expected = reference.resolve(text, provider)
            fresh = uncached.resolve(text, provider)
            assert comparable(fresh) == expected, (text, provider)
            assert cached.resolve(text, provider) == fresh, (text, provider)
            assert tiny.resolve(text, provider) == fresh, (text, provider)
            assert cached.resolve(text, provider=provider) == fresh


def test_every_kind_of_match_and_the_preference_order() -> None:
    resolver = Resolver(ROWS)
    by_canonical = resolver.resolve("DeepSeek/DeepSeek-V3.1")
    assert by_canonical.match == "exact" and by_canonical.canonical_id == "deepseek/deepseek-v3.1"
    # the publisher's own offer first, then priced offers by provider, the unpriced one last
    assert [o.provider for o in by_canonical.offers] == [
        "deepseek",
        "deepinfra",
        "together",
        "groq",
    ]
    by_provider_id = resolver.resolve("Mistral-Large")
    assert by_provider_id.match == "exact" and by_provider_id.provider_model_id == "Mistral-Large"
    assert resolver.resolve("mistral-large").match == "normalized"
    # active before missing, even when the missing one is the request's exact spelling
    assert resolver.resolve("mistral/mistral-large").provider_model_id == "Mistral-Large"
    assert resolver.resolve(ALIAS.alias).match == "alias"
    dated = resolver.resolve("claude-sonnet-4-5-20250929", provider="openrouter")
    assert dated.match == "normalized" and dated.provider == "openrouter"
    assert dated.pricing == {**dict.fromkeys(PRICE_FIELDS), "prompt": "0.000003"}


def test_not_found_lists_candidates_and_never_picks_one() -> None:
    resolver = Resolver(ROWS)
    answer = resolver.resolve("deepseek/deepseek-v3.2")
    assert not answer.found and answer.canonical_id is None and answer.pricing is None
    assert answer.offers == () and "deepseek/deepseek-v3.1" in answer.candidates
    assert len(answer.candidates) <= 5 and "candidates are listed, never chosen" in answer.reason
    scoped = resolver.resolve("deepseek/deepseek-v3.2", provider="openai")
    assert not scoped.found and "deepseek/deepseek-v3.1" not in scoped.candidates
    assert "at provider 'openai'" in scoped.reason


def test_a_caller_cannot_change_the_next_answer() -> None:
    resolver = Resolver(ROWS)
    answer = resolver.resolve("gpt-4o")
    before = answer.model_dump()
    with pytest.raises(ValidationError):
        answer.provider = "somewhere-else"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        answer.offers[0].status = "deprecated"  # type: ignore[misc]
    with pytest.raises(TypeError):
        answer.pricing["prompt"] = "0"  # type: ignore[index]
    for mutate in (
        lambda p: p.update(prompt="0"),
        lambda p: p.pop("prompt"),
        lambda p: p.setdefault("new", "1"),
        lambda p: p.clear(),
        lambda p: p.__delitem__("prompt"),
        lambda p: p.__ior__({"prompt": "0"}),
        lambda p: p.popitem(),
    ):
        with pytest.raises(TypeError):
            mutate(answer.offers[1].pricing)
    assert isinstance(answer.offers, tuple) and isinstance(answer.candidates, tuple)
    # what a caller may change are copies: they do not reach the resolver
    copied = dict(answer.pricing)
    copied["prompt"] = "0"
    dumped = answer.model_dump()
    dumped["pricing"]["prompt"] = "0"
    dumped["offers"][0]["pricing"]["prompt"] = "0"
    changed = answer.model_copy(update={"provider": "elsewhere"})
    assert changed.provider == "elsewhere"
    again = resolver.resolve("gpt-4o")
    assert again is answer and again.model_dump() == before
    assert Resolver(ROWS, answer_cache=0).resolve("gpt-4o").model_dump() == before
    missing = resolver.resolve("nobody/nothing")
    assert resolver.resolve("nobody/nothing").candidates == missing.candidates


def test_answers_copy_pickle_and_serialize_like_plain_models() -> None:
    resolver = Resolver(ROWS)
    answer = resolver.resolve("gpt-4o")
    assert copy.deepcopy(answer) == answer and pickle.loads(pickle.dumps(answer)) == answer
    assert Resolution.model_validate_json(answer.model_dump_json()) == answer
    assert type(answer.model_dump()["pricing"]) is dict
    assert answer.model_fields_set == set(Resolution.model_fields) - {"reason", "candidates"}
    assert "reason" not in answer.model_dump(exclude_unset=True)
    missing = resolver.resolve("x/y")
    assert missing.model_fields_set == {"requested", "found", "reason", "candidates"}
    assert set(missing.model_dump(exclude_unset=True)) == missing.model_fields_set
    with pytest.raises(TypeError):
        answer.model_fields_set.add("reason")
    with pytest.raises(TypeError):
        answer.offers[0].model_fields_set.clear()
    changed = answer.model_copy(update={"reason": "a caller's note"})
    assert "reason" in changed.model_fields_set and "reason" not in answer.model_fields_set
    assert "reason" not in resolver.resolve("gpt-4o").model_fields_set


def test_only_short_requests_are_remembered() -> None:
    resolver = Resolver(ROWS)
    assert resolver.resolve("gpt-4o") is resolver.resolve("gpt-4o")
    assert resolver.resolve("gpt-4o", "azure") is resolver.resolve("gpt-4o", "azure")
    padded = " " * 300 + "gpt-4o"
    first = resolver.resolve(padded)
    assert first == resolver.resolve(padded) and first is not resolver.resolve(padded)
    assert first.found and first.requested == "gpt-4o"
    long_provider = "p" * 300
    assert resolver.resolve("gpt-4o", long_provider) is not resolver.resolve(
        "gpt-4o", long_provider
    )


@pytest.mark.parametrize("model", [OfferView, ModelInfo])
def test_trusted_builds_what_model_construct_builds(model: type[OfferView]) -> None:
    built = model.from_row(ROWS[4])
    values = {name: getattr(built, name) for name in model.model_fields}
    expected = model.model_construct(**values)
    assert built == expected and built.__dict__ == expected.__dict__
    assert built.model_fields_set == expected.model_fields_set
    assert built.__pydantic_extra__ == expected.__pydantic_extra__
    assert built.__pydantic_private__ == expected.__pydantic_private__
    assert built == model.model_validate(built.model_dump())
    assert trusted(model, dict(values)) == expected


def test_prices_are_formatted_once_and_shared() -> None:
    texts = PriceTexts()
    first = texts.pricing(row("a", "m", "x/m", "0.0000030"))
    second = texts.pricing(row("b", "m", "x/m", "3E-6"))
    assert first is second and isinstance(first, Pricing)
    assert first["prompt"] == "0.000003" and first["completion"] is None
    offers = Resolver(ROWS).resolve("claude-sonnet-4.5").offers
    spelled_three_ways = [o for o in offers if o.provider in {"anthropic", "openrouter", "bedrock"}]
    assert len({id(o.pricing) for o in spelled_three_ways}) == 1
    assert spelled_three_ways[0].pricing["prompt"] == "0.000003"


def test_the_collector_is_paused_while_indexing_and_left_as_found() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failed read")
    assert gc.isenabled()
    gc.disable()
    try:
        Resolver(ROWS)
        assert not gc.isenabled(), "an application's choice to disable the collector stands"
    finally:
        gc.enable()


def test_plain_decimal_is_decimal_str() -> None:
    rng = random.Random(9)
    values = [Decimal(text) for text in ("0", "-0", "0E+3", "0.000", "100", "1E+2", "100.0")]
    values += [Decimal(text) for text in ("1.50", "-1.5", "5E-7", "0.0000010", "3E-6", "12.5")]
    for _ in range(20_000):
        digits = rng.randrange(10 ** rng.randint(1, 18))
        values.append(Decimal(f"{rng.choice(['', '-'])}{digits}E{rng.randint(-30, 6)}"))
    for value in values:
        assert plain_decimal(value) == decimal_str(value), value


def test_the_read_clients_snapshot_shares_its_models_with_the_resolver() -> None:
    snapshot = CatalogSnapshot.build(7, ROWS)
    answer = snapshot.resolver.resolve("deepseek/deepseek-v3.1")
    assert all(isinstance(o, ModelInfo) for o in answer.offers)
    assert answer.offers[0] in snapshot.by_canonical["deepseek/deepseek-v3.1"]
    assert comparable(answer) == comparable(Resolver(ROWS).resolve("deepseek/deepseek-v3.1"))
    assert snapshot.models[0].input_modalities == ("text",)
