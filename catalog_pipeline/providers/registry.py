"""The provider roster. Partition keys, env var names and endpoints all derive from here.

Every module of :mod:`catalog_pipeline.providers.roster` is one provider and exposes
``PROVIDER``; this module discovers them and is the one list everything else reads, in
slug order. A module whose name is not its provider's slug, or two modules with one slug,
stop the import: the slug is the partition key, so it must be unique and easy to find.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from catalog_pipeline.providers import roster
from catalog_pipeline.providers.spec import ProviderSpec


def discover(package: ModuleType = roster) -> tuple[ProviderSpec, ...]:
    """Import every module of ``package`` and return its ``PROVIDER``, sorted by slug."""
    found: dict[str, ProviderSpec] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        spec = getattr(module, "PROVIDER", None)
        if not isinstance(spec, ProviderSpec):
            raise TypeError(f"{module.__name__} must define PROVIDER = ProviderSpec(...)")
        expected = spec.slug.replace("-", "_")
        if info.name != expected:
            raise ValueError(
                f"{module.__name__} defines provider {spec.slug!r}; rename the module to "
                f"{expected}.py"
            )
        if spec.slug in found:
            raise ValueError(f"provider slug {spec.slug!r} is defined twice in the roster")
        found[spec.slug] = spec
    return tuple(found[slug] for slug in sorted(found))


PROVIDERS: tuple[ProviderSpec, ...] = discover()

_BY_SLUG = {spec.slug: spec for spec in PROVIDERS}


def provider_slugs() -> list[str]:
    return [spec.slug for spec in PROVIDERS if spec.enabled]


def get_provider(slug: str) -> ProviderSpec:
    try:
        return _BY_SLUG[slug]
    except KeyError:
        known = ", ".join(sorted(_BY_SLUG))
        raise KeyError(f"unknown provider {slug!r}; known providers: {known}") from None
