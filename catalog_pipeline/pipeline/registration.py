"""Provider specs as the store registers them: the one place a spec becomes a store row."""

from __future__ import annotations

from collections.abc import Iterable

from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.store.records import ProviderRow


def provider_row(spec: ProviderSpec) -> ProviderRow:
    return ProviderRow(
        slug=spec.slug,
        name=spec.name,
        api_family=spec.dialect,
        list_url=spec.list_url,
        price_unit=spec.price_unit,
    )


def provider_rows(specs: Iterable[ProviderSpec]) -> list[ProviderRow]:
    return [provider_row(spec) for spec in specs]
