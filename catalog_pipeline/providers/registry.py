"""The provider roster. Partition keys, env var names and endpoints all derive from here.

The specs live in ``roster/`` grouped by kind of provider; this module is the one list
everything else reads, in a stable order.
"""

from __future__ import annotations

from catalog_pipeline.providers.roster import (
    first_party,
    media,
    open_model_hosts,
    platforms,
    routers,
)
from catalog_pipeline.providers.spec import ProviderSpec

ROSTER_GROUPS = (routers, first_party, open_model_hosts, platforms, media)

PROVIDERS: tuple[ProviderSpec, ...] = tuple(spec for group in ROSTER_GROUPS for spec in group.SPECS)

_BY_SLUG = {spec.slug: spec for spec in PROVIDERS}
if len(_BY_SLUG) != len(PROVIDERS):
    raise ValueError("duplicate provider slug in the roster")


def provider_slugs() -> list[str]:
    return [spec.slug for spec in PROVIDERS if spec.enabled]


def get_provider(slug: str) -> ProviderSpec:
    try:
        return _BY_SLUG[slug]
    except KeyError:
        known = ", ".join(sorted(_BY_SLUG))
        raise KeyError(f"unknown provider {slug!r}; known providers: {known}") from None
