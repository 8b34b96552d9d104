"""Lifecycle, price history and the admin jobs, through real Dagster runs on both databases."""

from __future__ import annotations

import json
from decimal import Decimal

import dagster as dg
import pytest
from sqlalchemy import event, func, select

from catalog_pipeline.definitions import defs
from catalog_pipeline.replay.server import CannedResponse
from catalog_pipeline.store import schema
from catalog_pipeline.store.backups import CATALOG_TABLES, table_counts
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.engine import engine_for
from catalog_pipeline_tests.pipeline.harness import failure_text, resources, sync_partition


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def together_recording(server) -> tuple[object, list[dict]]:
    path = server.root / "together" / "v1" / "models.json"
    return path, json.loads(path.read_text())


def dump(database_url: str) -> str:
    """Every row of the models, price history and providers tables, as text, in a stable
    order; without ``providers.rows_version``, a counter every admin operation moves on
    (like the catalog version) so that a sync that read a provider's rows before it reads
    them again."""
    with engine_for(database_url).connect() as conn:
        rows = {
            table.name: [
                {k: str(v) for k, v in row._mapping.items() if k != "rows_version"}
                for row in conn.execute(select(table).order_by(table.c.id))
            ]
            for table in (schema.models, schema.price_history, schema.providers)
        }
    return json.dumps(rows, sort_keys=True)


def admin_run(job: str, database_url: str, server, config: dict) -> dg.ExecuteInProcessResult:
    return defs.resolve_job_def(job).execute_in_process(
        run_config={"ops": {f"{job}_op": {"config": config}}},
        resources=resources(database_url, server),
        raise_on_error=False,
    )


def test_history_over_three_syncs_with_a_price_change(instance, database_url, replay_server):
    path, models = together_recording(replay_server)
    assert sync_partition(instance, database_url, replay_server, "together").success
    models[0]["pricing"]["input"] = 0.9
    path.write_text(json.dumps(models))
    changed = sync_partition(instance, database_url, replay_server, "together")
    assert changed.success, failure_text(changed)
    metadata = changed.asset_materializations_for_node("models")[0].metadata
    assert metadata["repriced"].value == 1 and metadata["added"].value == 0
    (change,) = [record.data for record in metadata["changes"].value.records]
    assert change == {
        "change": "repriced",
        "model": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "before": "prompt=0.00000088",
        "after": "prompt=0.0000009",
    }
    assert sync_partition(instance, database_url, replay_server, "together").success

    with engine_for(database_url).connect() as conn:
        history = conn.execute(
            select(schema.price_history.c.prompt, schema.price_history.c.valid_to)
            .where(schema.price_history.c.provider_model_id == models[0]["id"])
            .order_by(schema.price_history.c.id)
        ).all()
    assert [row.prompt for row in history] == [Decimal("0.00000088"), Decimal("0.0000009")]
    assert history[0].valid_to is not None and history[1].valid_to is None


def test_deprecated_only_after_n_successful_misses(instance, database_url, replay_server):
    path, models = together_recording(replay_server)
    assert sync_partition(instance, database_url, replay_server, "together").success
    gone = models.pop()["id"]
    path.write_text(json.dumps(models))
    store = CatalogStore(database_url=database_url)

    def status() -> tuple[str, int]:
        (row,) = [
            r
            for r in store.offers(("active", "missing", "deprecated"))
            if r["provider_model_id"] == gone
        ]
        return row["status"], row["missing_count"]

    assert sync_partition(instance, database_url, replay_server, "together").success
    assert status() == ("missing", 1)
    replay_server.faults["together"] = [CannedResponse(500, b"down")] * 3
    assert not sync_partition(instance, database_url, replay_server, "together").success
    assert status() == ("missing", 1), "a failed sync never counts as a miss"
    assert sync_partition(instance, database_url, replay_server, "together").success
    assert status() == ("missing", 2)
    assert sync_partition(instance, database_url, replay_server, "together").success
    assert status() == ("deprecated", 3)


def test_no_change_resync_writes_zero_model_rows(instance, database_url, replay_server):
    assert sync_partition(instance, database_url, replay_server, "openrouter").success
    engine = engine_for(database_url)
    writes: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        verb = statement.lstrip().split(" ", 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE") and (
            " models " in f" {statement} " or "price_history" in statement
        ):
            writes.append(statement.split("\n", 1)[0])

    event.listen(engine, "before_cursor_execute", count)
    try:
        again = sync_partition(instance, database_url, replay_server, "openrouter")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert again.success
    assert writes == []
    assert again.asset_materializations_for_node("models")[0].metadata["rows_written"].value == 0


@pytest.mark.parametrize(
    ("job", "config", "field", "value"),
    [
        ("flush_models", {"confirm": "yes"}, "confirm", "DELETE_ALL_MODELS"),
        (
            "flush_providers",
            {"confirm": "DELETE_EVERYTHING", "provider_count": 999},
            "provider_count",
            "must be 1 ",
        ),
        ("reset_and_resync", {}, "confirm", "RESET_AND_RESYNC"),
        ("restore_catalog", {"backup_name": "x"}, "confirm", "RESTORE_CATALOG"),
        ("prune_raw_pages", {"pages_kept": 0}, "confirm", "PRUNE_RAW_PAGES"),
    ],
)
def test_admin_jobs_refuse_without_confirmation(
    instance, database_url, replay_server, job, config, field, value
):
    """The refusal names the field, never the value that would have confirmed the job."""
    assert sync_partition(instance, database_url, replay_server, "groq").success
    before = dump(database_url)
    result = admin_run(job, database_url, replay_server, config)
    assert not result.success
    text = failure_text(result)
    assert f"{field!r}" in text and "Nothing was changed" in text, text
    assert value not in text, text
    assert dump(database_url) == before
    with engine_for(database_url).connect() as conn:
        assert conn.execute(select(schema.catalog_backups.c.id)).first() is None


def _raw_pages(database_url: str) -> int:
    with engine_for(database_url).connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.raw_payloads)).scalar_one()


def test_pruning_raw_pages_from_a_sync_run_config_is_refused_and_is_an_admin_job(
    instance, database_url, replay_server, monkeypatch
):
    for _ in range(3):
        assert sync_partition(instance, database_url, replay_server, "groq").success
    pages = _raw_pages(database_url)
    assert pages >= 3

    monkeypatch.setenv("CATALOG_DATABASE_URL", database_url)
    plain = defs.resolve_job_def("sync_provider").execute_in_process(
        run_config={"resources": {"catalog_store": {"config": {"raw_pages_kept": 1}}}},
        partition_key="groq",
        instance=instance,
        raise_on_error=False,
    )
    assert not plain.success
    errors = " ".join(
        error.to_string()
        for e in plain.all_events
        if (error := getattr(e.event_specific_data, "error", None)) is not None
    )
    assert "raw_pages_kept 1 is below the default 30" in errors
    assert "prune_raw_pages job" in errors
    assert _raw_pages(database_url) == pages

    pruned = admin_run(
        "prune_raw_pages",
        database_url,
        replay_server,
        {"confirm": "PRUNE_RAW_PAGES", "pages_kept": 1},
    )
    assert pruned.success, failure_text(pruned)
    assert _raw_pages(database_url) == 1
    with engine_for(database_url).connect() as conn:
        audit = conn.execute(select(schema.audit_log)).mappings().one()
        assert conn.execute(select(schema.catalog_backups.c.id)).first() is not None
    assert audit["job"] == "prune_raw_pages" and audit["outcome"] == "succeeded"


def test_flush_then_restore_is_exact_and_audited(instance, database_url, replay_server):
    for slug in ("groq", "together"):
        assert sync_partition(instance, database_url, replay_server, slug).success
    before = dump(database_url)
    flushed = admin_run(
        "flush_models", database_url, replay_server, {"confirm": "DELETE_ALL_MODELS"}
    )
    assert flushed.success, failure_text(flushed)
    assert CatalogStore(database_url=database_url).model_count() == 0
    backup = flushed.output_for_node("flush_models_op")

    restored = admin_run(
        "restore_catalog",
        database_url,
        replay_server,
        {"confirm": "RESTORE_CATALOG", "backup_name": backup},
    )
    assert restored.success, failure_text(restored)
    assert dump(database_url) == before

    count = CatalogStore(database_url=database_url).provider_states()
    providers = admin_run(
        "flush_providers",
        database_url,
        replay_server,
        {"confirm": "DELETE_EVERYTHING", "provider_count": len(count)},
    )
    assert providers.success, failure_text(providers)
    assert CatalogStore(database_url=database_url).model_count() == 0

    with engine_for(database_url).connect() as conn:
        audit = conn.execute(select(schema.audit_log).order_by(schema.audit_log.c.id)).all()
    assert [(a.job, a.outcome) for a in audit] == [
        ("flush_models", "succeeded"),
        ("restore_catalog", "succeeded"),
        ("flush_providers", "succeeded"),
    ]
    assert json.loads(audit[0].counts_before)["models"] == 12
    assert json.loads(audit[0].counts_after)["models"] == 0
    assert json.loads(audit[1].counts_after)["models"] == 12
    assert all(a.backup_name and a.run_id for a in audit)


def test_reset_and_resync_swaps_or_leaves_the_catalog_untouched(
    instance, database_url, replay_server
):
    for slug in ("groq", "together", "openrouter"):
        assert sync_partition(instance, database_url, replay_server, slug).success
    before = dump(database_url)
    replay_server.faults["together"] = [CannedResponse(500, b"down")] * 10
    failed = admin_run(
        "reset_and_resync",
        database_url,
        replay_server,
        {"confirm": "RESET_AND_RESYNC", "providers": ["groq", "together", "openrouter"]},
    )
    assert not failed.success
    assert "together" in failure_text(failed) and "HTTP 500" in failure_text(failed)
    assert dump(database_url) == before

    replay_server.faults.clear()
    swapped = admin_run(
        "reset_and_resync",
        database_url,
        replay_server,
        {"confirm": "RESET_AND_RESYNC", "providers": ["groq", "together", "openrouter"]},
    )
    assert swapped.success, failure_text(swapped)
    store = CatalogStore(database_url=database_url)
    assert {s: store.model_count(s) for s in ("groq", "together", "openrouter")} == {
        "groq": 5,
        "together": 7,
        "openrouter": 7,
    }


def dump_all(database_url: str) -> str:
    """Every row of every catalog table (snapshots and raw payloads too), as text."""
    with engine_for(database_url).connect() as conn:
        rows = {
            table.name: [
                {k: str(v) for k, v in row._mapping.items() if k != "rows_version"}
                for row in conn.execute(select(table).order_by(table.c.id))
            ]
            for table in CATALOG_TABLES
        }
    return json.dumps(rows, sort_keys=True)


def test_flush_providers_cascades_and_restore_brings_everything_back(
    instance, database_url, replay_server
):
    for slug in ("groq", "together"):
        assert sync_partition(instance, database_url, replay_server, slug).success
    before = dump_all(database_url)
    with engine_for(database_url).connect() as conn:
        assert table_counts(conn) == {
            "providers": 2,
            "models": 12,
            "price_history": 12,
            "provider_snapshots": 2,
            "raw_payloads": 2,
        }
    providers = len(CatalogStore(database_url=database_url).provider_states())
    flushed = admin_run(
        "flush_providers",
        database_url,
        replay_server,
        {"confirm": "DELETE_EVERYTHING", "provider_count": providers},
    )
    assert flushed.success, failure_text(flushed)
    with engine_for(database_url).connect() as conn:
        assert table_counts(conn) == {
            "providers": 0,
            "models": 0,
            "price_history": 0,
            "provider_snapshots": 0,
            "raw_payloads": 0,
        }
    restored = admin_run(
        "restore_catalog",
        database_url,
        replay_server,
        {
            "confirm": "RESTORE_CATALOG",
            "backup_name": flushed.output_for_node("flush_providers_op"),
        },
    )
    assert restored.success, failure_text(restored)
    assert dump_all(database_url) == before
    again = sync_partition(instance, database_url, replay_server, "groq")
    assert again.success, "a sync after the restore reads the restored rows"
    assert again.asset_materializations_for_node("models")[0].metadata["rows_written"].value == 0
