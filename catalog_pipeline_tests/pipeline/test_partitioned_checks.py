"""Per-provider checks are partitioned like their assets: each provider has its own history."""

from __future__ import annotations

import json

import dagster as dg
from dagster._core.event_api import PartitionKeyFilter
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from catalog_pipeline.defs.catalog import models
from catalog_pipeline.defs.ingest import normalized_models, provider_models
from catalog_pipeline.defs.partitions import provider_partitions, reference_partitions
from catalog_pipeline.defs.references import reference_prices
from catalog_pipeline.replay.server import ReplayServer
from catalog_pipeline_tests.pipeline.harness import sync_partition

COUNT_CHECK = dg.AssetCheckKey(dg.AssetKey("provider_models"), "count_not_dropped")


def test_every_per_provider_check_is_partitioned_by_provider() -> None:
    specs = [*provider_models.check_specs, *normalized_models.check_specs, *models.check_specs]
    assert sorted(spec.name for spec in specs) == [
        "count_not_dropped",
        "names_valid",
        "one_price_per_canonical_id",
        "price_sources_disagree",
        "prices_sane",
        "provider_price_unit_bug",
        "repriced_prices_sane",
        "schema_valid",
        "zero_prices_suspect",
    ]
    assert all(spec.partitions_def == provider_partitions for spec in specs)
    assert {spec.name for spec in reference_prices.check_specs} == {
        "schema_valid",
        "count_not_dropped",
        "repriced_prices_sane",
    }
    assert all(spec.partitions_def == reference_partitions for spec in reference_prices.check_specs)


def test_each_provider_has_its_own_check_history_and_latest_result(
    sqlite_url: str, replay_server: ReplayServer
) -> None:
    recording = replay_server.root / "groq" / "openai" / "v1" / "models.json"
    with dg.instance_for_test() as instance:
        assert sync_partition(instance, sqlite_url, replay_server, "together").success
        assert sync_partition(instance, sqlite_url, replay_server, "groq").success
        body = json.loads(recording.read_text())
        recording.write_text(json.dumps({**body, "data": body["data"][:4]}))
        dropped = sync_partition(instance, sqlite_url, replay_server, "groq")
        assert dropped.success  # a 20 % drop is a WARN: it fails the check, not the run

        evaluations = dropped.get_asset_check_evaluations()
        assert {(e.check_name, e.partition) for e in evaluations} == {
            ("schema_valid", "groq"),
            ("count_not_dropped", "groq"),
            ("prices_sane", "groq"),
            ("names_valid", "groq"),
            ("one_price_per_canonical_id", "groq"),
            ("zero_prices_suspect", "groq"),
            ("price_sources_disagree", "groq"),
            ("provider_price_unit_bug", "groq"),
            ("repriced_prices_sane", "groq"),
        }

        storage = instance.event_log_storage

        def history(slug: str) -> list[tuple[str | None, AssetCheckExecutionRecordStatus]]:
            records = storage.get_asset_check_execution_history(
                COUNT_CHECK, limit=10, partition_filter=PartitionKeyFilter(key=slug)
            )
            return [(record.partition, record.status) for record in records]

        assert history("groq") == [
            ("groq", AssetCheckExecutionRecordStatus.FAILED),
            ("groq", AssetCheckExecutionRecordStatus.SUCCEEDED),
        ]
        assert history("together") == [("together", AssetCheckExecutionRecordStatus.SUCCEEDED)]
        assert history("openai") == []

        latest = storage.get_latest_asset_check_execution_by_key(
            [COUNT_CHECK], partition_filter=PartitionKeyFilter(key="together")
        )[COUNT_CHECK]
        assert latest.partition == "together"
        assert latest.status == AssetCheckExecutionRecordStatus.SUCCEEDED
        summary = latest.event.dagster_event.event_specific_data.metadata["summary"].value
        assert summary == "together: 7 models; no earlier good sync to compare with"
