"""Coverage of the first-party providers' offers by the catalog's prices, before and after
the reference sources, on a catalog synced from the real payloads (conformance)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from catalog_pipeline.domain.references import REFERENCE_FIELDS, values_agree
from catalog_pipeline.domain.rows import ProviderModel
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.pipeline.pricing import ROUTERS, by_model, offer_from_row, references_for
from catalog_pipeline.pipeline.reference_checks import disagreements, source_votes
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.providers.fetch import parse_payload
from catalog_pipeline.providers.references.fetch import parse_reference
from catalog_pipeline.providers.references.registry import SOURCES
from catalog_pipeline.providers.registry import PROVIDERS, get_provider
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.read.real_catalog import BARE_ARRAYS, REAL_LISTS

FIRST_PARTY = (
    "openai",
    "anthropic",
    "google",
    "groq",
    "mistral",
    "cohere",
    "deepseek",
    "moonshot",
    "xai",
)
"""The publishers' own APIs a gateway sends most traffic to (issue 15)."""
COVERED_TYPES = ("chat", "embedding")
REAL_REFERENCES = {
    "models-dev": "peer__modelsdev_api_export.json",
    "litellm": "peer__litellm_model_prices.json",
    "genai-prices": "peer__genai_prices_v2_data.json",
}


def store_real_references(store: CatalogStore, folder: Path) -> None:
    """Each real reference file, read exactly as a fetched one, stored as a fetch would."""
    for source in SOURCES:
        fetch = parse_reference(source, (folder / REAL_REFERENCES[source.slug]).read_bytes())
        store.record_reference_fetch(
            source.slug, {"fetched_at": fetch.fetched_at, "url": fetch.url}, fetch.observations
        )


@dataclass
class Coverage:
    by_provider: dict[str, tuple[int, int]] = field(default_factory=dict)
    """provider -> (offers any reference prices, of which the catalog prices)."""
    unpriced: list[str] = field(default_factory=list)

    @property
    def referenced(self) -> int:
        return sum(n for n, _ in self.by_provider.values())

    @property
    def priced(self) -> int:
        return sum(p for _, p in self.by_provider.values())

    @property
    def share(self) -> float:
        return self.priced / self.referenced if self.referenced else 0.0

    def line(self, label: str) -> str:
        parts = ", ".join(f"{slug} {p} of {n}" for slug, (n, p) in self.by_provider.items())
        return (
            f"{label}: {self.priced} of {self.referenced} first-party chat and embedding offers "
            f"that a reference prices carry a price ({self.share:.1%}): {parts}"
        )


def first_party_rows(store: CatalogStore) -> Iterable[tuple[str, dict]]:
    for slug in FIRST_PARTY:
        if slug not in REAL_LISTS:
            continue
        for row in store.current_offers(slug).values():
            if row["model_type"] in COVERED_TYPES:
                yield slug, row


def coverage(store: CatalogStore) -> Coverage:
    observed = {(o.provider, o.provider_model_id) for o in store.reference_observations()}
    result = Coverage()
    for slug, row in first_party_rows(store):
        if (slug, row["provider_model_id"]) not in observed:
            continue
        referenced, priced = result.by_provider.get(slug, (0, 0))
        is_priced = row["prompt"] is not None
        result.by_provider[slug] = (referenced + 1, priced + is_priced)
        if not is_priced:
            result.unpriced.append(f"{slug} {row['provider_model_id']}")
    return result


def all_disagreements(store: CatalogStore, folder: Path) -> pd.DataFrame:
    """The ``price_sources_disagree`` tables of the first-party providers, one frame."""
    frames = []
    observations = store.reference_observations()
    for slug in FIRST_PARTY:
        if slug not in REAL_LISTS:
            continue
        spec = get_provider(slug)
        rows = _real_rows(spec.slug, folder)
        mine = by_model(o for o in observations if o.provider == slug)
        table = disagreements(source_votes(spec, rows, mine))
        if not table.empty:
            frames.append(table.assign(provider=slug))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def contradicted_prices(store: CatalogStore, folder: Path) -> list[str]:
    """Chosen prices that agree with none of the sources that price the field."""
    observations = store.reference_observations()
    found = []
    for slug, row in first_party_rows(store):
        spec = get_provider(slug)
        offer = offer_from_row(slug, row)
        listed = {r.provider_model_id: r for r in _real_rows(slug, folder)}
        mine = by_model(o for o in observations if o.provider == slug)
        votes = source_votes(spec, [listed[offer.provider_model_id]], mine)
        for name in REFERENCE_FIELDS:
            chosen = getattr(offer.prices, name)
            values = votes.loc[votes["field"] == name, "value"].tolist()
            if chosen is not None and values and not any(values_agree(chosen, v) for v in values):
                found.append(f"{slug} {offer.provider_model_id} {name}={chosen}")
    return found


def sync_with_references(store: CatalogStore, folder: Path) -> None:
    """The other path: each real list normalized with the stored references, as a provider
    sync after the sources' sync does (the result must equal a repricing's). Routers first:
    their own prices are references for the publishers synced after them."""
    store.register_providers(provider_rows(PROVIDERS))
    for slug in sorted(REAL_LISTS, key=lambda slug: slug not in ROUTERS):
        spec = get_provider(slug)
        references = by_model(references_for(store, slug))
        store.apply_offers(slug, normalize_rows(spec, _real_rows(slug, folder), references), None)


def _real_rows(slug: str, folder: Path) -> list[ProviderModel]:
    body = (folder / REAL_LISTS[slug]).read_bytes()
    if slug in BARE_ARRAYS:
        body = json.dumps({"data": json.loads(body)}).encode()
    return parse_payload(get_provider(slug), body).rows
