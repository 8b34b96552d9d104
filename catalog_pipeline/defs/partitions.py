"""The provider partitions: one partition key per registry slug."""

from __future__ import annotations

import dagster as dg

from catalog_pipeline.providers.references.registry import source_slugs
from catalog_pipeline.providers.registry import provider_slugs

provider_partitions = dg.StaticPartitionsDefinition(provider_slugs())

reference_partitions = dg.StaticPartitionsDefinition(source_slugs())
"""One partition per reference price source (``models-dev``, ``litellm``, ...)."""
