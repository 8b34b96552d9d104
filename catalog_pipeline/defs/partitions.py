"""The provider partitions: one partition key per registry slug."""

from __future__ import annotations

import dagster as dg

from catalog_pipeline.providers.registry import provider_slugs

provider_partitions = dg.StaticPartitionsDefinition(provider_slugs())
