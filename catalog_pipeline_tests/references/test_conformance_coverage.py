"""Conformance of pricing with the public data (issue 15, "Must show").

A catalog is synced from the real provider lists, then the real models.dev, LiteLLM and
genai-prices files are stored as their fetches would store them and the offers repriced.
Of the first-party chat and embedding offers that any reference prices, the share the
catalog prices is printed before and after and kept in README; every disagreement between
sources is listed; no chosen price may differ from every source that has one; and the
other path (providers synced after the sources) must give the same prices.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog_pipeline.domain.references import REFERENCE_FIELDS, field_value, values_agree
from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.pipeline.pricing import reprice_from_references
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.conftest import REPO
from catalog_pipeline_tests.read.real_catalog import sync_real_payloads
from catalog_pipeline_tests.references.coverage import (
    all_disagreements,
    contradicted_prices,
    coverage,
    store_real_references,
    sync_with_references,
)

pytestmark = pytest.mark.conformance

CURATED_CHECKED = ("groq", "openai", "anthropic", "google")


def test_first_party_coverage_disagreements_and_no_contradicted_price(
    tmp_path: Path, real_payloads: Path, capsys: pytest.CaptureFixture
) -> None:
    store = CatalogStore(database_url=f"sqlite:///{tmp_path / 'repriced.db'}")
    sync_real_payloads(store, real_payloads)
    store_real_references(store, real_payloads)
    before = coverage(store)
    reprice_from_references(store, CheckThresholds())
    after = coverage(store)
    table = all_disagreements(store, real_payloads)
    contradicted = contradicted_prices(store, real_payloads)

    other = CatalogStore(database_url=f"sqlite:///{tmp_path / 'synced_after.db'}")
    store_real_references(other, real_payloads)
    sync_with_references(other, real_payloads)
    for slug in after.by_provider:
        repriced, synced = store.current_offers(slug), other.current_offers(slug)
        for model_id, row in repriced.items():
            fields = ("prompt", "completion", "cache_read", "price_tiers")
            assert [row[f] for f in fields] == [synced[model_id][f] for f in fields], model_id

    lines = [
        before.line("Without reference sources"),
        after.line("With models.dev, LiteLLM and genai-prices"),
        f"Disagreements between sources (> 1%, listed by price_sources_disagree): {len(table)} "
        f"prices of {table['model'].nunique() if len(table) else 0} offers; chosen prices that "
        f"differ from every source that has one: {len(contradicted)}",
    ]
    with capsys.disabled():
        print("\ncoverage:\n  " + "\n  ".join(lines))
        print("  unpriced with a reference: " + ", ".join(after.unpriced))
        if len(table):
            print(table.fillna("").to_string(index=False))
    assert after.share >= 0.95, after.unpriced
    assert before.share < after.share
    assert contradicted == []
    readme = (REPO / "README.md").read_text()
    block = re.search(r"<!-- coverage:start -->\n(.*?)\n<!-- coverage:end -->", readme, re.S)
    assert block, "README lost its coverage markers"
    assert block.group(1).strip() == "\n".join(f"- {line}" for line in lines), (
        "README coverage numbers are stale; copy the lines this test printed"
    )


def test_curated_prices_agree_with_the_references_or_say_why(real_payloads: Path) -> None:
    """Every curated Groq, OpenAI, Anthropic and Google price that a reference also prices
    agrees with one of them, or its row's note says why it differs ("disagree")."""
    from catalog_pipeline.providers.references.fetch import parse_reference
    from catalog_pipeline.providers.references.registry import SOURCES
    from catalog_pipeline_tests.references.coverage import REAL_REFERENCES

    observed: dict[tuple[str, str], list] = {}
    for source in SOURCES:
        body = (real_payloads / REAL_REFERENCES[source.slug]).read_bytes()
        for o in parse_reference(source, body).observations:
            observed.setdefault((o.provider, o.provider_model_id), []).append(o)
    compared, unexplained = 0, []
    for slug in CURATED_CHECKED:
        for row in get_provider(slug).curated_prices:
            for name in (*REFERENCE_FIELDS, "tiers"):
                mine = field_value(row.prices, name)
                theirs = [
                    value
                    for o in observed.get((slug, row.provider_model_id), ())
                    if (value := field_value(o.prices, name)) is not None
                ]
                if mine is None or not theirs:
                    continue
                compared += 1
                if not any(values_agree(mine, v) for v in theirs) and "disagree" not in row.note:
                    unexplained.append(f"{slug} {row.provider_model_id} {name}")
    assert compared > 40
    assert unexplained == []
