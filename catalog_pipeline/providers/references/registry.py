"""The reference sources, in precedence-neutral slug order (partition keys of the
``reference_prices`` asset; ``catalog-pipeline sync --providers`` accepts these slugs)."""

from __future__ import annotations

from catalog_pipeline.providers.references import genai_prices, litellm, models_dev
from catalog_pipeline.providers.references.source import ReferenceSource

SOURCES: tuple[ReferenceSource, ...] = tuple(
    sorted((models_dev.SOURCE, litellm.SOURCE, genai_prices.SOURCE), key=lambda s: s.slug)
)
_BY_SLUG = {source.slug: source for source in SOURCES}


def source_slugs() -> list[str]:
    return [source.slug for source in SOURCES]


def get_source(slug: str) -> ReferenceSource:
    try:
        return _BY_SLUG[slug]
    except KeyError:
        raise KeyError(f"unknown reference source {slug!r}; known: {', '.join(_BY_SLUG)}") from None


def is_source(slug: str) -> bool:
    return slug in _BY_SLUG
