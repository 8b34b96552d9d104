"""catalog-pipeline: an accurate, priced catalog of AI models, kept by Dagster.

Gateways import the read client: ``from catalog_pipeline import Catalog``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from catalog_pipeline.domain.cost import Usage
    from catalog_pipeline.read_api import Catalog, CatalogUnavailable, CostAnswer, PriceAnswer

__all__ = ["Catalog", "CatalogUnavailable", "CostAnswer", "PriceAnswer", "Usage"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Import the read client lazily, so ``import catalog_pipeline.x`` stays light."""
    if name == "Usage":
        from catalog_pipeline.domain.cost import Usage

        return Usage
    if name in __all__:
        from catalog_pipeline import read_api

        return getattr(read_api, name)
    raise AttributeError(f"module 'catalog_pipeline' has no attribute {name!r}")
