"""Conformance of resolution with the public data: a provider named in an id binds.

A catalog is synced from the real recorded provider lists (``real_catalog.py``), then every
LiteLLM cost-map key whose prefix names a synced roster provider, and every models.dev id of
a synced provider (asked with that provider named), is resolved through ``Catalog``. Each
must answer with that provider's offer (its exact offer when the provider lists the id) or
``not_found``: never another provider's price. The counts are printed and kept in README.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog_pipeline import Catalog
from catalog_pipeline.domain.answers import Resolution
from catalog_pipeline.domain.named_providers import native_spellings, provider_prefixes
from catalog_pipeline.read_api import reader_engine
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.conftest import REPO
from catalog_pipeline_tests.read.real_catalog import MODELS_DEV_PROVIDERS, sync_real_payloads

pytestmark = pytest.mark.conformance


@pytest.fixture
def real_catalog(database_url: str, real_payloads: Path) -> Iterator[tuple[Catalog, list[str]]]:
    store = CatalogStore(database_url=database_url)
    synced = sync_real_payloads(store, real_payloads)
    engine = reader_engine(store.url)
    with Catalog(engine, refresh_interval=3600, owns_engine=True) as catalog:
        yield catalog, synced


def classify(answer: Resolution, provider: str, listed: str | None, counts: Counter) -> None:
    """Count one answer; a substitution is another provider's offer, or another offer of the
    named provider when it lists the requested id itself."""
    counts["tried"] += 1
    if answer.offer is None:
        counts[answer.status] += 1
    elif answer.provider != provider or (listed and answer.provider_model_id != listed):
        counts["substituted"] += 1
        counts.setdefault("examples", []).append(  # type: ignore[arg-type]
            (answer.requested, answer.provider, answer.provider_model_id)
        )
    else:
        counts["resolved"] += 1
        counts[f"resolved_{answer.status}"] += 1


def listed_spelling(catalog: Catalog, provider: str, model_id: str) -> str | None:
    resolver = catalog.snapshot().resolver
    for spelled in native_spellings(provider, model_id):
        if resolver.resolve(spelled, provider).provider_model_id == spelled:
            return spelled
    return None


def summary(label: str, counts: Counter) -> str:
    return (
        f"{label}: {counts['tried']} tried, {counts['resolved']} resolved to the named "
        f"provider ({counts['resolved_priced']} priced, {counts['resolved_unpriced']} "
        f"unpriced), {counts['not_found']} not found, {counts['ambiguous']} ambiguous, "
        f"{counts['substituted']} substituted"
    )


def test_no_request_naming_a_provider_gets_another_providers_price(
    real_catalog: tuple[Catalog, list[str]], real_payloads: Path, capsys: pytest.CaptureFixture
) -> None:
    catalog, synced = real_catalog
    cost_map = json.loads((real_payloads / "peer__litellm_model_prices.json").read_text())
    litellm: Counter = Counter()
    for key, entry in cost_map.items():
        head, slash, rest = key.partition("/")
        prefix = provider_prefixes().get(head + "/") if slash else None
        if not isinstance(entry, dict) or prefix is None or prefix.provider not in synced:
            continue
        listed = listed_spelling(catalog, prefix.provider, rest)
        classify(catalog.resolve(key), prefix.provider, listed, litellm)

    export = json.loads((real_payloads / "peer__modelsdev_api_export.json").read_text())
    modelsdev: Counter = Counter()
    for slug in synced:
        for model_id in export[MODELS_DEV_PROVIDERS[slug]]["models"]:
            listed = listed_spelling(catalog, slug, model_id)
            classify(catalog.resolve(model_id, slug), slug, listed, modelsdev)

    lines = [summary("LiteLLM keys", litellm), summary("models.dev ids", modelsdev)]
    with capsys.disabled():
        print("\nconformance (" + ", ".join(synced) + "):\n  " + "\n  ".join(lines))
    assert litellm["substituted"] == 0, litellm["examples"]
    assert modelsdev["substituted"] == 0, modelsdev["examples"]
    assert litellm["resolved"] > 150 and modelsdev["resolved"] > 400
    readme = (REPO / "README.md").read_text()
    block = re.search(r"<!-- conformance:start -->\n(.*?)\n<!-- conformance:end -->", readme, re.S)
    assert block, "README lost its conformance counts markers"
    assert block.group(1).strip() == "\n".join(f"- {line}" for line in lines), (
        "README conformance counts are stale; copy the lines this test printed"
    )
