"""Canonical ids: the documented rules, near-misses that must never merge, the gold set."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog_pipeline.domain.aliases import aliases, moving_aliases
from catalog_pipeline.domain.ids import (
    CanonicalId,
    canonical_id,
    canonicalize,
    fold_case,
    is_canonical,
    publisher_name,
    snapshot_base,
    split_variant,
)


@pytest.mark.parametrize(
    ("provider", "served", "canonical"),
    [
        ("anthropic", "claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4.5-20250929"),
        ("openrouter", "anthropic/claude-sonnet-4.5", "anthropic/claude-sonnet-4.5"),
        (
            "bedrock",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "anthropic/claude-sonnet-4.5-20250929",
        ),
        ("google-vertex", "claude-sonnet-4-5@20250929", "anthropic/claude-sonnet-4.5-20250929"),
        ("google-vertex", "claude-opus-4-6@default", "anthropic/claude-opus-4.6"),
        ("anthropic", "claude-3-5-haiku-20241022", "anthropic/claude-3.5-haiku-20241022"),
        (
            "fireworks",
            "accounts/fireworks/models/llama-v3p1-8b-instruct",
            "meta/llama-3.1-8b-instruct",
        ),
        ("cloudflare-workers-ai", "@cf/meta/llama-3.1-8b-instruct", "meta/llama-3.1-8b-instruct"),
        ("together", "meta-llama/Meta-Llama-3-8B-Instruct", "meta/llama-3-8b-instruct"),
        ("google", "models/gemini-2.0-flash", "google/gemini-2.0-flash"),
        ("openai", "gpt-4o-2024-08-06", "openai/gpt-4o-2024-08-06"),
        ("openai", "ft:gpt-4o-2024-08-06", "openai/ft:gpt-4o-2024-08-06"),
        ("groq", "gemma2-9b-it", "google/gemma-2-9b-it"),
        ("openrouter", "qwen/qwen3-14b", "alibaba/qwen3-14b"),
        ("openrouter", "x-ai/grok-4", "xai/grok-4"),
        ("together", "deepseek-ai/DeepSeek-V3.1", "deepseek/deepseek-v3.1"),
        ("openrouter", "z-ai/glm-4.6", "zai/glm-4.6"),
        ("together", "zai-org/GLM-4.6", "zai/glm-4.6"),
        ("openrouter", "moonshotai/kimi-k2", "moonshot/kimi-k2"),
        ("together", "black-forest-labs/FLUX.1-schnell", "bfl/flux.1-schnell"),
        ("mistral", "mistral-large-latest", "mistral/mistral-large-latest"),
        ("fireworks", "accounts/fireworks/routers/kimi-k2p6-fast", "moonshot/kimi-k2.6-fast"),
        ("fireworks", "accounts/acme/models/llama-v3p1-8b", "acme/llama-3.1-8b"),
        ("openrouter", "~anthropic/claude-sonnet-latest", "anthropic/claude-sonnet-latest"),
        ("portkey", "@openai-prod/gpt-4o", "openai/gpt-4o"),
        (
            "bedrock",
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "anthropic/claude-sonnet-4.5-20250929",
        ),
        (
            "openrouter",
            "meta-llama/llama-3.3-70b-instruct:free",
            "meta/llama-3.3-70b-instruct:free",
        ),
        ("snowflake", "openai-gpt-5", "openai/gpt-5"),
        # Vertex's @latest is the publisher's -latest alias (Mistral's own codestral-latest).
        ("google-vertex", "codestral@latest", "mistral/codestral-latest"),
        ("google-vertex", "mistral-large@latest", "mistral/mistral-large-latest"),
        # a trailing 4.0 is 4
        ("anthropic", "claude-opus-4-0", "anthropic/claude-opus-4"),
        ("openrouter", "anthropic/claude-sonnet-4-0", "anthropic/claude-sonnet-4"),
        # a two-word publisher written into the name (Venice)
        ("venice", "zai-org-glm-4.7", "zai/glm-4.7"),
        ("venice", "zai-org-glm-5-1", "zai/glm-5.1"),
        ("venice", "z-ai-glm-5-turbo", "zai/glm-5-turbo"),
        # the serving provider's own name (not a publisher) written into the name
        ("databricks", "databricks-claude-sonnet-4-5", "anthropic/claude-sonnet-4.5"),
        ("databricks", "databricks-gemini-2-5-pro", "google/gemini-2.5-pro"),
        # an org spelled with underscores (LiteLLM's spelling of a request)
        ("unknown", "meta_llama/Llama-3.3-70B-Instruct", "meta/llama-3.3-70b-instruct"),
        ("unknown", "black_forest_labs/flux-pro-1.1", "bfl/flux-pro-1.1"),
        # Bedrock's -v0:N is the model's version (Mistral 7B v0.2), -v1:0 is Bedrock's own
        ("bedrock", "mistral.mistral-7b-instruct-v0:2", "mistral/mistral-7b-instruct-v0.2"),
        ("together", "mistralai/Mistral-7B-Instruct-v0.2", "mistral/mistral-7b-instruct-v0.2"),
        ("bedrock", "mistral.mixtral-8x7b-instruct-v0:1", "mistral/mixtral-8x7b-instruct-v0.1"),
        ("bedrock", "mistral.mistral-large-2402-v1:0", "mistral/mistral-large-2402"),
        # the longest publisher prefix written into the name (Novita's 2024 list)
        ("novita", "meta-llama-llama-3.1-8b-instruct", "meta/llama-3.1-8b-instruct"),
        ("novita", "meta-llama/llama-3.1-8b-instruct", "meta/llama-3.1-8b-instruct"),
    ],
)
def test_rules(provider: str, served: str, canonical: str) -> None:
    assert canonical_id(served, provider) == canonical


@pytest.mark.parametrize(
    ("provider", "served", "owned_by", "canonical"),
    [
        # Groq's owned_by names the publisher of a model the rules do not know.
        ("groq", "playai-tts", "PlayAI", "playai/playai-tts"),
        ("groq", "allam-2-7b", "SDAIA", "sdaia/allam-2-7b"),
        (
            "groq",
            "distil-whisper-large-v3-en",
            "Hugging Face",
            "hugging-face/distil-whisper-large-v3-en",
        ),
        # a known family beats the hint
        ("groq", "mixtral-8x7b-32768", "Mistral AI", "mistral/mixtral-8x7b-32768"),
    ],
)
def test_the_owned_by_hint_names_the_publisher_nothing_else_names(
    provider: str, served: str, owned_by: str, canonical: str
) -> None:
    assert canonical_id(served, provider, owned_by) == canonical


@pytest.mark.parametrize(
    ("spelling", "publisher"),
    [
        # owned_by / organization values of the recorded Groq and Together payloads
        ("Moonshot AI", "moonshot"),
        ("Alibaba Cloud", "alibaba"),
        ("Black Forest Labs", "bfl"),
        ("Zai Org", "zai"),
        (" Canopy Labs ", "canopy-labs"),
        # org prefixes spelled with underscores (LiteLLM)
        ("meta_llama", "meta"),
        ("black_forest_labs", "bfl"),
    ],
)
def test_publisher_name_unifies_spaces_and_underscores(spelling: str, publisher: str) -> None:
    assert publisher_name(spelling) == publisher


def test_fine_tunes_take_the_base_models_publisher_and_keep_the_whole_id() -> None:
    # OpenAI: ft:<base>:<org>:<suffix>:<job>; owned_by is the owning org or user.
    assert canonicalize(
        "ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:9qhblbkv", "openai", "user-abc123"
    ) == CanonicalId("openai/ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:9qhblbkv", "family")
    assert canonicalize("ft:gpt-4o-2024-08-06", "openai") == CanonicalId(
        "openai/ft:gpt-4o-2024-08-06", "family"
    )
    # Mistral: no family names open-mistral-7b; the hint given for the base names the publisher.
    assert canonicalize(
        "ft:open-mistral-7b:587a6b29:20240514:7e773925", "mistral", "mistralai"
    ) == CanonicalId("mistral/ft:open-mistral-7b:587a6b29:20240514:7e773925", "owned_by")
    assert canonicalize("ft:open-mistral-7b:587a6b29:20240514:7e773925", "mistral") == (
        CanonicalId("mistral/ft:open-mistral-7b:587a6b29:20240514:7e773925", "provider")
    )


def test_a_fine_tunes_org_and_suffix_never_name_its_publisher() -> None:
    # Constructed: the org and suffix are the customer's words, so even one with a "/" (or
    # a publisher's name) must not decide whose price a fine-tune of gpt-4o-mini bills.
    assert canonical_id("ft:gpt-4o-mini:acme/anthropic:bot:9qhblbkv", "openai") == (
        "openai/ft:gpt-4o-mini:acme/anthropic:bot:9qhblbkv"
    )


def test_split_variant_takes_the_text_after_the_last_colon() -> None:
    # OpenRouter lists reasoning levels as a second variant (models.dev export)
    assert split_variant("anthropic/claude-opus-4.6:thinking:medium") == (
        "anthropic/claude-opus-4.6:thinking",
        "medium",
    )
    assert split_variant("meta-llama/llama-3.3-70b-instruct:free") == (
        "meta-llama/llama-3.3-70b-instruct",
        "free",
    )
    assert split_variant("anthropic.claude-3-haiku-20240307-v1:0:200k") == (
        "anthropic.claude-3-haiku-20240307-v1:0:200k",
        None,
    )


def test_an_id_with_an_org_path_is_never_read_as_a_bedrock_id() -> None:
    # Constructed: "<publisher>.<x>" followed by a "/" is an org named with a dot, not
    # Bedrock's "<publisher>.<model>" (Bedrock ids have no "/").
    assert canonical_id("mistral.ai/mistral-7b-instruct", "unknown") == (
        "mistral.ai/mistral-7b-instruct"
    )
    assert canonical_id("meta.llama3-8b-instruct-v1:0", "bedrock") == "meta/llama-3-8b-instruct"


NEAR_MISSES = [
    ("claude-sonnet-4-20250514", "claude-sonnet-4-5-20250929"),
    ("anthropic/claude-sonnet-4", "anthropic/claude-sonnet-4.5"),
    ("gpt-4o", "gpt-4o-mini"),
    ("meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-70B-Instruct"),
    ("z-ai/glm-4.6", "z-ai/glm-4.7"),
    ("zai-org/GLM-4.5", "zai-org/GLM-4.5-Air"),
    ("meta-llama/llama-3.3-70b-instruct:free", "meta-llama/llama-3.3-70b-instruct"),
    ("deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-V3-fast"),
    ("meta-llama/Llama-3.3-70B-Instruct", "meta-llama/Llama-3.3-70B-Instruct-fast"),
    ("deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-R1-0528"),
    ("gemini-2.5-flash", "gemini-2.5-flash-lite"),
    ("gemini-3.1-flash-lite", "gemini-3.1-flash-lite-preview"),
    ("mistral-large-2411", "mistral-large-2407"),
    ("o3", "o3-mini"),
    ("llama-3-8b-instruct", "llama-3-70b-instruct"),
    ("coding-glm-5.1", "glm-5.1"),
    # Table C of the resolution memo: a dated snapshot or a -latest alias is its own model.
    ("gpt-4o-2024-05-13", "gpt-4o"),
    ("gpt-4o-2024-05-13", "gpt-4o-2024-11-20"),
    ("claude-3-5-sonnet-20240620", "claude-3-5-sonnet-20241022"),
    ("qwen-plus-2025-07-28", "qwen-plus"),
    ("qwen3-max-2026-01-23", "qwen3-max"),
    ("mistral-large-latest", "mistral-large"),
    ("mistral-small-latest", "mistral-small"),
    ("gemini-flash-latest", "gemini-2.5-flash"),
    ("grok-build-latest", "grok-build-0.1"),
    ("chatgpt-4o-latest", "gpt-4o"),
    ("ft:gpt-4o-2024-08-06", "gpt-4o-2024-08-06"),
    ("accounts/acme/models/llama-v3p1-8b", "accounts/fireworks/models/llama-v3p1-8b"),
    # Mistral 7B Instruct v0.2 on Bedrock is not the moving mistral-7b-instruct (v0.3 now)
    ("mistral.mistral-7b-instruct-v0:2", "mistralai/mistral-7b-instruct"),
]


@pytest.mark.parametrize(("left", "right"), NEAR_MISSES)
def test_near_misses_never_merge(left: str, right: str) -> None:
    assert canonical_id(left, "any") != canonical_id(right, "any")


def test_provider_model_id_case_is_not_needed_but_canonical_is_lowercase() -> None:
    assert canonical_id("Qwen/Qwen2.5-72B-Instruct", "together") == "alibaba/qwen2.5-72b-instruct"


def test_lowercasing_never_turns_a_lookalike_into_ascii() -> None:
    # U+212A KELVIN SIGN lowercases to "k" with str.lower(); U+0130 to "i" + a combining dot.
    kelvin = canonical_id("\u212aimi-k2", "openrouter")
    assert kelvin != canonical_id("kimi-k2", "openrouter") == "moonshot/kimi-k2"
    assert "\u212a" in kelvin
    assert fold_case("\u212aIMI-\u0130") == "\u212aimi-\u0130"
    assert fold_case("Stra\u00dfe-K2") == "stra\u00dfe-k2"  # no casefold: never "ss"
    assert fold_case("\u00c0-\u0394") == "\u00e0-\u03b4"  # other letters still lowercase


def test_snapshot_base_names_the_date_only() -> None:
    assert snapshot_base("openai/gpt-4o-2024-05-13") == "openai/gpt-4o"
    assert snapshot_base("anthropic/claude-sonnet-4.5-20250929") == "anthropic/claude-sonnet-4.5"
    assert snapshot_base("openai/gpt-4o-2024-05-13:extended") == "openai/gpt-4o:extended"
    assert snapshot_base("deepseek/deepseek-r1-0528") is None  # a checkpoint, not a date
    assert snapshot_base("mistral/mistral-large-2512") is None
    assert snapshot_base("openai/gpt-4o") is None


served_ids = st.from_regex(r"[A-Za-z@.][A-Za-z0-9._:@/-]{0,60}", fullmatch=True)


@given(served_ids, st.sampled_from(["openrouter", "together", "x"]))
def test_canonicalization_is_idempotent(served: str, provider: str) -> None:
    once = canonical_id(served, provider)
    assert canonical_id(once, provider) == once


@given(served_ids)
def test_canonical_ids_are_lowercase_publisher_slash_model(served: str) -> None:
    value = canonical_id(served, "provider")
    assert value == value.lower()
    assert "/" in value


def test_alias_table_is_lossless_and_sourced() -> None:
    table = aliases()
    assert table, "the alias table is empty"
    targets = defaultdict(set)
    for entry in table.values():
        assert entry.source.strip()
        assert is_canonical(entry.canonical_id)
        targets[entry.alias.lower()].add(entry.canonical_id)
    assert all(len(t) == 1 for t in targets.values())
    for near_left, near_right in NEAR_MISSES:
        left, right = canonical_id(near_left, "x"), canonical_id(near_right, "x")
        left = table[left].canonical_id if left in table else left
        right = table[right].canonical_id if right in table else right
        assert left != right, f"alias table merges {near_left} and {near_right}"


# Gold-set entries where models.dev's base_model contradicts a documented rule; each is a
# distinct model (or a data error) by our rules, and the test names why.
GOLD_EXCLUSIONS = {
    ("neon", "claude-sonnet-4"): "gold maps Sonnet 4 to a Sonnet 4.5 snapshot (data error)",
    ("databricks", "databricks-claude-sonnet-4"): "same data error: Sonnet 4 is not 4.5",
    ("anyapi", "deepseek/deepseek-r1"): "R1 weights vs the deepseek-reasoner API alias",
    ("neon", "gemini-3-1-flash-lite"): "GA model vs its -preview: distinct",
    ("databricks", "databricks-gemini-3-1-flash-lite"): "GA model vs its -preview",
    ("helicone", "mistral-small"): "moving alias vs the pinned 2506 checkpoint",
    ("moonshotai", "kimi-k2.7-code-highspeed"): "a -highspeed variant is its own row",
    ("moonshotai-cn", "kimi-k2.7-code-highspeed"): "a -highspeed variant is its own row",
}


def same_model(left: str, right: str) -> bool:
    """Equal ids, or one is the documented moving-alias target of the other."""
    table = moving_aliases()
    return (
        left == right
        or (left in table and table[left].target_id == right)
        or (right in table and table[right].target_id == left)
    )


def snapshot_pair(left: str, right: str) -> bool:
    """A dated snapshot and its base (or two snapshots of one base): distinct by rule 4."""
    return (snapshot_base(left) or left) == (snapshot_base(right) or right)


@pytest.mark.conformance
def test_gold_set_precision_and_recall(real_payloads, capsys) -> None:
    gold = json.loads((real_payloads / "peer__modelsdev_base_model_alias_map.json").read_text())
    models = gold["map"]
    gold_ids = {name: canonical_id(name, "unknown") for name in models}
    known = set(gold_ids.values())
    correct = wrong = unresolved = claimed_total = snapshots = 0
    wrong_rows = []
    for name, entries in models.items():
        for entry in entries:
            key = (entry["provider"], entry["provider_model_id"])
            if key in GOLD_EXCLUSIONS:
                continue
            result = canonicalize(entry["provider_model_id"], entry["provider"])
            claimed_total += result.claimed
            if same_model(result.value, gold_ids[name]):
                correct += 1
            elif snapshot_pair(result.value, gold_ids[name]):
                snapshots += 1  # gold merges a dated snapshot with its base; we keep them apart
            elif result.claimed and result.value in known:
                wrong += 1
                wrong_rows.append((key, result.value, name))
            else:
                unresolved += 1
    total = correct + wrong + unresolved
    precision = correct / (correct + wrong)
    recall = correct / total
    with capsys.disabled():
        print(
            f"\ngold set: {total + snapshots} provider ids of {len(models)} models "
            f"({len(GOLD_EXCLUSIONS)} documented exclusions); claimed {claimed_total}; "
            f"{snapshots} dated snapshots kept apart from their base; "
            f"precision {precision:.2%}, recall {recall:.2%} of the rest"
        )
    assert not wrong_rows, wrong_rows[:10]
    assert recall > 0.85
