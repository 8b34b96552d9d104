"""API family name (``ProviderSpec.family``) to its parser, collected from the roster groups."""

from __future__ import annotations

from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.registry import ROSTER_GROUPS
from catalog_pipeline.providers.spec import ProviderSpec

FAMILIES: dict[str, ModelListAPI] = {}
for _group in ROSTER_GROUPS:
    for _name, _api in _group.FAMILIES.items():
        if _name in FAMILIES and FAMILIES[_name] is not _api:
            raise ValueError(f"API family {_name!r} registered twice")
        FAMILIES[_name] = _api


def api_for(spec: ProviderSpec) -> ModelListAPI:
    try:
        return FAMILIES[spec.family]
    except KeyError:
        raise KeyError(f"provider {spec.slug!r} names unknown API family {spec.family!r}") from None
