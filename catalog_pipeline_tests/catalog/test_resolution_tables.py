"""The sourced tables resolution reads: provider prefixes, native wrappers, moving aliases.

Checked against the provider registry (the domain layer does not import it) and, where the
rows cite them, against the real LiteLLM and provider payloads.
"""

from __future__ import annotations

import json
import re

import pytest

from catalog_pipeline.domain.aliases import moving_alias_table, moving_aliases
from catalog_pipeline.domain.ids import PUBLISHER_ALIASES
from catalog_pipeline.domain.named_providers import (
    NamedProvider,
    named_provider,
    native_spellings,
    other_providers_named,
    prefix_table,
    provider_prefixes,
    provider_wrappers,
    roster_providers_named,
)
from catalog_pipeline.providers.registry import PROVIDERS

ROSTER = {spec.slug for spec in PROVIDERS}


def test_every_provider_the_tables_bind_to_is_checked_against_the_roster() -> None:
    assert roster_providers_named() <= ROSTER, roster_providers_named() - ROSTER
    assert not other_providers_named() & ROSTER, other_providers_named() & ROSTER
    assert {"together", "groq", "deepinfra", "fireworks", "google", "google-vertex"} <= (
        roster_providers_named()
    )
    assert {"bedrock", "azure", "azure_ai", "chatgpt", "bigmodel"} <= other_providers_named()


def test_every_row_has_a_source_and_a_checked_date() -> None:
    rows = [*provider_prefixes().values(), *provider_wrappers(), *moving_aliases().values()]
    assert all(row.source.strip() and row.checked_on.year >= 2025 for row in rows)


def test_a_prefix_that_is_only_a_publishers_org_is_not_bound() -> None:
    # ``meta/`` and ``stability/`` are LiteLLM prefixes too, but no roster provider's:
    # the canonical reading (``meta/llama-3.3-70b``) is the only one.
    assert "meta/" not in provider_prefixes() and "stability/" not in provider_prefixes()
    assert named_provider("meta/llama-3.3-70b-instruct") is None


@pytest.mark.parametrize(
    ("requested", "provider", "expected"),
    [
        (
            "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
            None,
            ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "prefix"),
        ),
        ("groq/openai/gpt-oss-120b", None, ("groq", "openai/gpt-oss-120b", "prefix")),
        ("gemini/gemini-2.5-pro", None, ("google", "gemini-2.5-pro", "prefix")),
        ("openai/gpt-4o", "openrouter", ("openrouter", "openai/gpt-4o", "argument")),
        ("openrouter/openai/gpt-4o", "openrouter", ("openrouter", "openai/gpt-4o", "argument")),
        (
            "accounts/fireworks/models/kimi-k2p6",
            None,
            ("fireworks", "accounts/fireworks/models/kimi-k2p6", "wrapper"),
        ),
        (
            "@cf/meta/llama-3.1-8b-instruct",
            None,
            ("cloudflare-workers-ai", "@cf/meta/llama-3.1-8b-instruct", "wrapper"),
        ),
        ("models/gemini-2.5-pro", None, ("google", "models/gemini-2.5-pro", "wrapper")),
        (
            "claude-sonnet-4-5@20250929",
            None,
            ("google-vertex", "claude-sonnet-4-5@20250929", "wrapper"),
        ),
        (
            "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
            None,
            ("bedrock", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "wrapper"),
        ),
        (
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
            None,
            ("bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "wrapper"),
        ),
        (
            "~anthropic/claude-sonnet-latest",
            None,
            ("openrouter", "~anthropic/claude-sonnet-latest", "wrapper"),
        ),
        ("@openai-prod/gpt-4o", None, ("portkey", "@openai-prod/gpt-4o", "wrapper")),
        ("ft:gpt-4o-2024-08-06", None, ("openai", "ft:gpt-4o-2024-08-06", "wrapper")),
        ("azure/gpt-4o", None, ("azure", "gpt-4o", "prefix")),
    ],
)
def test_named_provider(requested: str, provider: str | None, expected: tuple) -> None:
    assert named_provider(requested, provider) == NamedProvider(*expected)


@pytest.mark.parametrize(
    "requested",
    ["gpt-4o", "meta-llama/Llama-3.3-70B-Instruct", "gpt-4.1", "qwen/qwen3-14b", "gemini-2.5-pro"],
)
def test_an_id_that_names_no_provider(requested: str) -> None:
    assert named_provider(requested) is None


def test_native_spellings_add_the_providers_own_wrapper() -> None:
    assert native_spellings("google", "gemini-2.5-pro") == (
        "gemini-2.5-pro",
        "models/gemini-2.5-pro",
    )
    assert native_spellings("fireworks", "glm-5p1-fast") == (
        "glm-5p1-fast",
        "accounts/fireworks/models/glm-5p1-fast",
        "accounts/fireworks/routers/glm-5p1-fast",
    )
    assert native_spellings("google", "models/gemini-2.5-pro") == ("models/gemini-2.5-pro",)
    assert native_spellings("together", "x/y") == ("x/y",)


def test_prefix_rows_are_validated() -> None:
    row = {
        "prefix": "groq/",
        "provider": "groq",
        "in_roster": "yes",
        "source": "x",
        "checked_on": "2026-11-28",
    }
    with pytest.raises(ValueError, match="duplicate"):
        prefix_table([(2, row), (3, row)])
    with pytest.raises(ValueError, match="no source"):
        prefix_table([(2, {**row, "source": " "})])
    with pytest.raises(ValueError, match="both in and out"):
        prefix_table([(2, row), (3, {**row, "prefix": "groq2/", "in_roster": "no"})])
    with pytest.raises(ValueError, match="not a slug"):
        prefix_table([(2, {**row, "provider": "Groq Cloud"})])


def test_moving_alias_rows_are_validated() -> None:
    row = {
        "publisher": "mistral",
        "alias": "mistral-large-latest",
        "target": "mistral-large-2512",
        "source": "docs",
        "checked_on": "2026-08-21",
    }
    assert list(moving_alias_table([(2, row)])) == ["mistral/mistral-large-latest"]
    with pytest.raises(ValueError, match="duplicate"):
        moving_alias_table([(2, row), (3, row)])
    with pytest.raises(ValueError, match="unknown publisher"):
        moving_alias_table([(2, {**row, "publisher": "mistralai-labs"})])
    with pytest.raises(ValueError, match="itself"):
        moving_alias_table([(2, {**row, "target": "mistral-large-latest"})])
    with pytest.raises(ValueError, match="chain"):
        chained = {**row, "alias": "mistral-large-2512", "target": "mistral-large-2411"}
        moving_alias_table([(2, row), (3, chained)])
    with pytest.raises(ValueError, match="not a mistral model id"):
        moving_alias_table([(2, {**row, "alias": "gpt-4o-latest"})])


def test_moving_alias_publishers_are_known_publishers() -> None:
    for entry in moving_aliases().values():
        assert entry.publisher in set(PUBLISHER_ALIASES.values())
        assert entry.alias_id != entry.target_id


@pytest.mark.conformance
def test_prefix_rows_match_the_litellm_cost_map(real_payloads) -> None:
    """Every row citing the LiteLLM cost map names a real key with that prefix; every
    prefix of the map is a row, except image price rows and publisher-only orgs."""
    cost_map = json.loads((real_payloads / "peer__litellm_model_prices.json").read_text())
    prefixes = {key.split("/", 1)[0] + "/" for key in cost_map if "/" in key}
    table = provider_prefixes()
    for prefix, row in table.items():
        if "peer__litellm_model_prices.json" in row.source:
            example = re.search(r"e\.g\. (\S+?)(?:;|$)", row.source)
            assert example and example.group(1) in cost_map, row
            assert example.group(1).startswith(prefix)
    image_rows = {
        p for p in prefixes if re.fullmatch(r"(?:low|medium|high|standard|\w+-x-\w+)/", p)
    }
    assert prefixes - set(table) - image_rows == {"meta/", "stability/"}


@pytest.mark.conformance
def test_documented_alias_targets_are_listed_by_the_publisher(real_payloads) -> None:
    """Each Anthropic row that cites a list payload names a target that payload lists."""
    for entry in moving_aliases().values():
        cited = re.search(r"(anthropic__starmap_[\d-]+\.json) lists (\S+)", entry.source)
        if entry.publisher != "anthropic" or cited is None:
            continue
        payload = json.loads((real_payloads / cited.group(1)).read_text())
        assert cited.group(2) == entry.target
        assert entry.target in {item["id"] for item in payload["data"]}, entry
