"""Operator price overrides, end to end on SQLite and PostgreSQL: set, sync (kept), flush and
reset-and-resync (kept), expire (dropped, alerted once), remove (audited); through real
Dagster runs against the loopback replay server, the read API, the exports and the alerts."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from decimal import Decimal

import dagster as dg
import pytest

from catalog_pipeline.defs.catalog import catalog
from catalog_pipeline.defs.overrides import sync_on_override_change
from catalog_pipeline.domain.cost import Usage, request_cost
from catalog_pipeline.exports.run import render_catalog
from catalog_pipeline.pipeline.overrides import new_override
from catalog_pipeline.read_api import Catalog
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.automation.receiver import WebhookReceiver
from catalog_pipeline_tests.automation.test_alerts_and_schedule import deliver
from catalog_pipeline_tests.ops.test_lifecycle_and_admin import admin_run
from catalog_pipeline_tests.pipeline.harness import (
    check_results,
    failure_text,
    resources,
    sync_partition,
)

MODEL = "meta-llama/Llama-3.3-70B-Instruct-Turbo"
"""Listed by the together recording at 0.88 / 0.88 USD per 1M tokens."""
UNLISTED = "acme/private-finetune-v1"
PROVIDER_PROMPT = Decimal("0.00000088")


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


def offer(store: CatalogStore, model_id: str) -> dict:
    (row,) = [o for o in store.offers() if o["provider_model_id"] == model_id]
    return row


def synced(instance, database_url, server) -> dg.ExecuteInProcessResult:
    result = sync_partition(instance, database_url, server, "together")
    assert result.success, failure_text(result)
    return result


def refresh(instance, database_url, server, receiver) -> tuple[dg.AssetCheckEvaluation, list]:
    """A catalog refresh whose alerts reach the webhook as the sensor sends them; the
    ``overrides_expired`` check and the messages about it."""
    before = len(receiver.messages)
    result = dg.materialize([catalog], resources=resources(database_url, server), instance=instance)
    deliver(instance, result, receiver.url, database_url)
    ours = [m for m in receiver.messages[before:] if "overrides_expired" in m["text"]]
    return check_results(result)["overrides_expired"], ours


def test_override_round_trip(instance, database_url, replay_server, receiver) -> None:
    store = CatalogStore(database_url=database_url)
    synced(instance, database_url, replay_server)
    assert offer(store, MODEL)["prompt"] == PROVIDER_PROMPT

    negotiated = new_override(
        "together", MODEL, {"prompt_per_1m": "0.50"}, "negotiated", "alice", "2099-01-01"
    )
    store.set_override(negotiated)
    store.set_override(
        new_override(
            "together",
            UNLISTED,
            {"prompt_per_1m": "1.25", "completion_per_1m": "5"},
            "private deployment",
            "bob",
        )
    )

    # sync: the override wins field by field; the unlisted model gets an offer of its own
    result = synced(instance, database_url, replay_server)
    assert check_results(result)["count_not_dropped"].passed
    row = offer(store, MODEL)
    assert row["prompt"] == Decimal("0.0000005")
    assert row["completion"] == Decimal("0.00000088"), "fields not overridden keep the source"
    label = f"override:negotiated by alice at {negotiated.created_at:%Y-%m-%dT%H:%MZ}"
    assert row["price_source"] == f"{label}; prompt only; rest provider_api"
    unlisted = offer(store, UNLISTED)
    assert (unlisted["prompt"], unlisted["completion"]) == (
        Decimal("0.00000125"),
        Decimal("0.000005"),
    )
    assert unlisted["price_source"].endswith("; unlisted")
    assert store.model_count("together") == 8

    # a second sync keeps it and writes nothing
    again = synced(instance, database_url, replay_server)
    assert again.asset_materializations_for_node("models")[0].metadata["rows_written"].value == 0

    # gateways read it: resolve, cost and the exports
    with Catalog.from_url(database_url, refresh_interval=0) as reader:
        answer = reader.resolve(MODEL, "together")
        assert answer.status == "priced" and answer.prices.prompt == Decimal("0.0000005")
        assert answer.offer.price_source.startswith("override:negotiated by alice")
        bill = request_cost(answer.prices, Usage(input_tokens=1_000_000, output_tokens=1_000_000))
        assert bill.total_usd == Decimal("0.50") + Decimal("0.88")
        assert reader.resolve(UNLISTED, "together").prices.prompt == Decimal("0.00000125")
    cost_map = json.loads(render_catalog(database_url, "litellm").text)
    (entry,) = [v for k, v in cost_map.items() if k.endswith(MODEL)]
    assert Decimal(str(entry["input_cost_per_token"])) == Decimal("0.0000005")
    assert entry["source"].startswith("override:")

    # flush every provider, sync again: kept
    flushed = admin_run(
        "flush_providers",
        database_url,
        replay_server,
        {"confirm": "DELETE_EVERYTHING", "provider_count": len(store.provider_states())},
    )
    assert flushed.success, failure_text(flushed)
    assert store.model_count() == 0
    synced(instance, database_url, replay_server)
    assert offer(store, MODEL)["prompt"] == Decimal("0.0000005")
    assert offer(store, UNLISTED)["prompt"] == Decimal("0.00000125")

    # reset-and-resync rebuilds the provider from its API: kept
    reset = admin_run(
        "reset_and_resync",
        database_url,
        replay_server,
        {"confirm": "RESET_AND_RESYNC", "providers": ["together"]},
    )
    assert reset.success, failure_text(reset)
    assert offer(store, MODEL)["prompt"] == Decimal("0.0000005")
    assert offer(store, UNLISTED)["price_source"].endswith("; unlisted")

    check, messages = refresh(instance, database_url, replay_server, receiver)
    assert check.passed and messages == []

    # the operator shortens the expiry; once it passes, the next sync drops the override
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    store.set_override(
        new_override(
            "together",
            MODEL,
            {"prompt_per_1m": "0.50"},
            "negotiated",
            "alice",
            soon.isoformat(),
        )
    )
    time.sleep(max(0.0, (soon - dt.datetime.now(dt.UTC)).total_seconds()) + 0.2)
    synced(instance, database_url, replay_server)
    row = offer(store, MODEL)
    assert (row["prompt"], row["price_source"]) == (PROVIDER_PROMPT, "provider_api")
    assert offer(store, UNLISTED)["prompt"] == Decimal("0.00000125"), "the other one stays"

    # the catalog refresh audits the expiry once and alerts once
    check, messages = refresh(instance, database_url, replay_server, receiver)
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert [m["text"].split("\n")[0] for m in messages] == [
        ":warning: WARN: overrides_expired on catalog: 1 operator override expired and no "
        f"longer applies: together {MODEL} (negotiated by alice, expired "
        f"{soon:%Y-%m-%dT%H:%MZ}); the offer takes its sources' price at the provider's next "
        "sync; renew it with `override set` or drop it with `override remove`"
    ]
    check, messages = refresh(instance, database_url, replay_server, receiver)
    assert not check.passed and messages == [], "announced once, not at every refresh"

    # remove: audited, and the check passes again
    removed = store.remove_override("together", MODEL, "carol")
    assert removed is not None and removed.expires_at is not None
    assert store.remove_override("together", MODEL, "carol") is None
    check, messages = refresh(instance, database_url, replay_server, receiver)
    assert check.passed
    assert messages[0]["text"].startswith(
        ":white_check_mark: Resolved: overrides_expired on catalog passes again (was WARN)"
    )

    audit = store.override_audit()
    assert [(a["action"], a["provider_model_id"], a["actor"]) for a in audit] == [
        ("set", MODEL, "alice"),
        ("set", UNLISTED, "bob"),
        ("set", MODEL, "alice"),
        ("expire", MODEL, "catalog-pipeline"),
        ("remove", MODEL, "carol"),
    ]
    assert json.loads(audit[0]["prices"]) == {"prompt": "0.0000005"}
    assert json.loads(audit[2]["previous"])["expires_at"].startswith("2099-01-01")
    assert [o.provider_model_id for o in store.overrides()] == [UNLISTED]


def test_override_jobs_set_and_remove_with_an_audit_row_each(
    instance, database_url, replay_server
) -> None:
    store = CatalogStore(database_url=database_url)
    refused = admin_run(
        "set_price_override",
        database_url,
        replay_server,
        {
            "provider": "together",
            "provider_model_id": MODEL,
            "reason": "typo",
            "by": "alice",
            "prompt_per_1m": "-0.5",
        },
    )
    assert not refused.success
    assert failure_text(refused).endswith("Failure: prompt-per-1m -0.5: price '-0.5' is negative\n")
    assert store.overrides() == [] and store.override_audit() == []

    set_run = admin_run(
        "set_price_override",
        database_url,
        replay_server,
        {
            "provider": "together",
            "provider_model_id": MODEL,
            "reason": "correction: provider lists per 1K",
            "by": "alice",
            "prompt_per_1m": "0.70",
            "per_request_usd": "0.001",
        },
    )
    assert set_run.success, failure_text(set_run)
    (override,) = store.overrides()
    assert override.prices == {"prompt": Decimal("0.0000007"), "per_request": Decimal("0.001")}
    synced(instance, database_url, replay_server)
    row = offer(store, MODEL)
    assert (row["prompt"], row["per_request"]) == (Decimal("0.0000007"), Decimal("0.001"))
    assert row["price_source"].startswith("override:correction: provider lists per 1K by alice")

    removal = {"provider": "together", "provider_model_id": MODEL, "by": "bob"}
    removed = admin_run("remove_price_override", database_url, replay_server, removal)
    assert removed.success, failure_text(removed)
    again = admin_run("remove_price_override", database_url, replay_server, removal)
    assert not again.success and "no override for together" in failure_text(again)

    audit = store.override_audit()
    assert [(a["action"], a["actor"], a["run_id"]) for a in audit] == [
        ("set", "alice", set_run.run_id),
        ("remove", "bob", removed.run_id),
    ]
    synced(instance, database_url, replay_server)
    assert offer(store, MODEL)["prompt"] == PROVIDER_PROMPT


def test_a_change_requests_its_providers_sync_once(instance, database_url, replay_server) -> None:
    """The sensor asks for the provider's sync after each set, remove and expiry; running
    what it asks for applies the change."""
    store = CatalogStore(database_url=database_url)
    synced(instance, database_url, replay_server)
    sensor_resources = {"catalog_store": resources(database_url, replay_server)["catalog_store"]}

    def evaluate(cursor: str | None) -> tuple[list[str], str | None]:
        with dg.build_sensor_context(
            instance=instance, cursor=cursor, resources=sensor_resources
        ) as context:
            result = sync_on_override_change(context)
            requests = result if isinstance(result, list) else []
            return [r.partition_key for r in requests], context.cursor

    assert evaluate(None) == ([], None)
    store.set_override(new_override("together", MODEL, {"prompt_per_1m": "0.5"}, "trial", "alice"))
    store.set_override(
        new_override("groq", "llama-3.1-8b-instant", {"prompt_per_1m": "0.01"}, "x", "a")
    )
    requested, cursor = evaluate(None)
    assert requested == ["groq", "together"] and cursor == "2"
    assert evaluate(cursor) == ([], "2"), "each change is acted on once"
    synced(instance, database_url, replay_server)
    assert offer(store, MODEL)["prompt"] == Decimal("0.0000005")

    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    store.set_override(
        new_override(
            "together", MODEL, {"prompt_per_1m": "0.5"}, "trial", "alice", soon.isoformat()
        )
    )
    time.sleep(max(0.0, (soon - dt.datetime.now(dt.UTC)).total_seconds()) + 0.2)
    requested, cursor = evaluate(cursor)
    assert requested == ["together"] and cursor == "4"
    assert [a["action"] for a in store.override_audit()] == ["set", "set", "set", "expire"]
    synced(instance, database_url, replay_server)
    assert offer(store, MODEL)["prompt"] == PROVIDER_PROMPT

    store.remove_override("groq", "llama-3.1-8b-instant", "bob")
    assert evaluate(cursor) == (["groq"], "5")


def test_a_price_far_from_the_source_is_set_and_removed_without_blocking_the_sync(
    instance, database_url, replay_server
) -> None:
    """``prices_sane`` stops a price that moved 10x since the last sync (a unit change); an
    operator's price moves on purpose, both when it is set and when it is removed."""
    store = CatalogStore(database_url=database_url)
    synced(instance, database_url, replay_server)
    deal = new_override("together", MODEL, {"prompt_per_1m": "0.05"}, "launch deal", "alice")
    store.set_override(deal)
    result = synced(instance, database_url, replay_server)
    assert check_results(result)["prices_sane"].passed
    assert offer(store, MODEL)["prompt"] == Decimal("0.00000005")

    store.remove_override("together", MODEL, "bob")
    result = synced(instance, database_url, replay_server)
    assert check_results(result)["prices_sane"].passed
    assert offer(store, MODEL)["prompt"] == PROVIDER_PROMPT

    # once the provider's own price is back, a 10x move of it is stopped again
    path = replay_server.root / "together" / "v1" / "models.json"
    models = json.loads(path.read_text())
    models[0]["pricing"]["input"] = 0.05
    path.write_text(json.dumps(models))
    blocked = sync_partition(instance, database_url, replay_server, "together")
    assert not blocked.success
    assert not check_results(blocked)["prices_sane"].passed
    assert offer(store, MODEL)["prompt"] == PROVIDER_PROMPT
