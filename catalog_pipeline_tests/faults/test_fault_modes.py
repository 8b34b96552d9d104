"""Every fault mode of the replay server, injected into one provider of a real PostgreSQL catalog.

For each mode the table names the expected outcome:

- ``retried``: the client retried and the sync succeeded with the provider's real list;
- ``accepted``: the odd-but-valid response was read correctly on the first attempt;
- ``failed``: the partition failed with a message naming the provider and the cause;
- ``rejected``: the bad items were rejected and counted, the good ones went through;
- ``blocked``: a blocking ERROR check failed and nothing was written.

Whatever the outcome, another provider's partition still succeeds afterwards, every
queued fault reached the client, and (except where good rows were added on purpose) the
faulty provider's rows in the models table are exactly what they were before the fault.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import dagster as dg
import pytest
from sqlalchemy import text

from catalog_pipeline.domain.ids import canonical_id
from catalog_pipeline.replay import faults
from catalog_pipeline.store.engine import engine_for
from catalog_pipeline_tests.faults.conftest import FaultWorld
from catalog_pipeline_tests.pipeline.harness import check_results, failure_text

pytestmark = pytest.mark.postgres

GROQ = ("groq", "openai/v1/models", "data")
TOGETHER = ("together", "v1/models", None)
OPENROUTER = ("openrouter", "api/v1/models", "data")
ANTHROPIC = ("anthropic", "v1/models", "data")


@dataclass
class Fault:
    """One fault mode: what to inject, where, and what must happen."""

    mode: str
    target: tuple[str, str, str | None]
    inject: Callable[[Any, str | None], list[Any]]
    outcome: str
    expect: str = ""
    """``failed``: text in the failure; ``blocked``: the check that fails."""
    other: str = "together"
    client: dict[str, Any] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)
    refused: bool = False
    rejected: int = 0
    min_attempts: int = 1
    min_fetch_seconds: float = 0.0

    @property
    def provider(self) -> str:
        return self.target[0]


def _nan_prices(index: int, item: dict[str, Any]) -> dict[str, Any]:
    bad = [math.nan, math.inf, -0.88]
    if index < len(bad):
        item["pricing"]["input"] = bad[index]
    return item


def _string_prices(index: int, item: dict[str, Any]) -> dict[str, Any]:
    bad = ["NaN", "Infinity", "-0.000001"]
    if index < len(bad):
        item["pricing"]["prompt"] = bad[index]
    return item


def _times_million(index: int, item: dict[str, Any]) -> dict[str, Any]:
    for key in ("input", "output"):
        item["pricing"][key] = item["pricing"][key] * 1_000_000
    return item


def _input_free(index: int, item: dict[str, Any]) -> dict[str, Any]:
    """Together's input price at 0 where the output stays priced (both 0 reads as unknown)."""
    if item["pricing"]["output"]:
        item["pricing"]["input"] = 0
    return item


def _per_request_1e27(index: int, item: dict[str, Any]) -> dict[str, Any]:
    if index == 0:
        item["pricing"]["request"] = "1e27"
    return item


def _long_strings(items: list[Any]) -> list[Any]:
    template = dict(items[0])
    return [
        *items,
        {**template, "id": "a" * 1_000_000},
        {**template, "id": "long-owner-model", "owned_by": "Meta " * 100_000},
    ]


def _hostile(items: list[Any]) -> list[Any]:
    template = dict(items[0])
    return [*items, *({**template, "id": model_id} for model_id in faults.HOSTILE_IDS)]


def _repeat_first_page(document: Any, _key: str | None) -> list[Any]:
    return [faults.ok(document), faults.ok(document)]


FAULTS = [
    Fault(
        "persistent_500",
        GROQ,
        lambda doc, key: faults.http_errors(500, 3),
        "failed",
        "gave up after 3 attempts; last: HTTP 500",
    ),
    Fault(
        "503_then_200",
        GROQ,
        lambda doc, key: faults.http_errors(503, 1),
        "retried",
        min_attempts=2,
        other="openrouter",
    ),
    Fault(
        "429_retry_after_then_200",
        GROQ,
        lambda doc, key: faults.http_errors(429, 1, retry_after="1"),
        "retried",
        min_attempts=2,
        min_fetch_seconds=1.0,
    ),
    Fault(
        "connection_refused",
        GROQ,
        lambda doc, key: [],
        "failed",
        "ConnectError",
        refused=True,
        other="openrouter",
    ),
    Fault(
        "slower_than_timeout_once",
        GROQ,
        lambda doc, key: faults.slow(doc, 1.6, 1),
        "retried",
        min_attempts=2,
    ),
    Fault(
        "slower_than_timeout_always",
        GROQ,
        lambda doc, key: faults.slow(doc, 1.6, 2),
        "failed",
        "gave up after 2 attempts; last: ReadTimeout",
        client={"max_attempts": 2},
        other="openrouter",
    ),
    Fault(
        "body_cut_mid_json",
        GROQ,
        lambda doc, key: [faults.cut_off(doc, announce_full_length=False)],
        "failed",
        "body is not valid JSON",
    ),
    Fault(
        "connection_dropped_mid_body_once",
        GROQ,
        lambda doc, key: [faults.cut_off(doc, announce_full_length=True)],
        "retried",
        min_attempts=2,
        other="openrouter",
    ),
    Fault("utf16_with_bom", GROQ, lambda doc, key: [faults.utf16_with_bom(doc)], "accepted"),
    Fault(
        "json_then_junk",
        GROQ,
        lambda doc, key: [faults.trailing_junk(doc)],
        "failed",
        "trailing garbage",
        other="openrouter",
    ),
    Fault(
        "error_body_with_200",
        GROQ,
        lambda doc, key: [faults.error_body("insufficient credits")],
        "failed",
        "answered HTTP 200 with an error body: insufficient credits",
    ),
    Fault(
        "empty_list",
        GROQ,
        lambda doc, key: [faults.with_items(doc, key, lambda items: [])],
        "failed",
        "returned an empty model list",
        other="openrouter",
    ),
    Fault(
        "sixty_percent_gone",
        GROQ,
        lambda doc, key: [faults.with_items(doc, key, faults.drop_fraction(0.6))],
        "blocked",
        "count_not_dropped",
    ),
    Fault(
        "prices_times_a_million",
        TOGETHER,
        lambda doc, key: [faults.with_items(doc, key, faults.map_items(_times_million))],
        "blocked",
        "prices_sane",
        other="groq",
    ),
    Fault(
        "every_priced_offer_free_at_once",
        TOGETHER,
        lambda doc, key: [faults.with_items(doc, key, faults.map_items(_input_free))],
        "blocked",
        "prices_sane",
        other="groq",
        checks={"max_newly_free_offers": 2},
    ),
    Fault(
        "per_request_price_1e27",
        OPENROUTER,
        lambda doc, key: [faults.with_items(doc, key, faults.map_items(_per_request_1e27))],
        "blocked",
        "prices_sane",
    ),
    Fault(
        "items_that_overflow_a_column",
        OPENROUTER,
        lambda doc, key: [
            faults.with_items(doc, key, lambda items: items + faults.column_breakers(items[0]))
        ],
        "rejected",
        rejected=5,
        checks={"max_rejected_fraction": 0.5},
    ),
    Fault(
        "duplicate_model_ids",
        GROQ,
        lambda doc, key: [faults.with_items(doc, key, faults.duplicate_first(1))],
        "rejected",
        rejected=1,
        # The sample lists 5 models, so one bad item is 17 %: allow that much here.
        checks={"max_rejected_fraction": 0.2},
    ),
    Fault(
        "pagination_cursor_repeats",
        ANTHROPIC,
        _repeat_first_page,
        "failed",
        "pagination repeated request",
        other="openrouter",
    ),
    Fault(
        "extremely_long_strings",
        GROQ,
        lambda doc, key: [faults.with_items(doc, key, _long_strings)],
        "rejected",
        rejected=2,
        checks={"max_rejected_fraction": 0.3},
    ),
    Fault(
        "nan_infinity_negative_numbers",
        TOGETHER,
        lambda doc, key: [faults.with_items(doc, key, faults.map_items(_nan_prices))],
        "failed",
        "body is not valid JSON",
        other="groq",
    ),
    Fault(
        "compression_bomb_gzip_gzip",
        GROQ,
        lambda doc, key: [faults.compression_bomb(256 * 1024 * 1024)],
        "failed",
        "response exceeded 8 MB once decoded (Content-Encoding: gzip, gzip)",
        client={"max_response_mb": 8},
    ),
    Fault(
        "one_item_nested_100000_levels",
        GROQ,
        lambda doc, key: [faults.deeply_nested(doc, key, 100_000)],
        "failed",
        "the body nests deeper than 64 levels",
        other="openrouter",
    ),
    Fault(
        "integer_of_4301_digits",
        TOGETHER,
        lambda doc, key: [faults.huge_integer(doc, key, 4_301)],
        "failed",
        "the body has a number longer than 100 characters",
        other="groq",
    ),
    Fault(
        "endless_chunked_body",
        GROQ,
        lambda doc, key: [faults.endless_body()],
        "failed",
        "the fetch did not finish within its deadline of 2 s",
        client={"fetch_deadline_seconds": 2},
    ),
    Fault(
        "trickle_of_a_few_bytes_per_second",
        GROQ,
        lambda doc, key: [faults.trickle(doc, 1, 0.25), faults.trickle(doc, 1, 0.25)],
        "failed",
        "gave up after 2 attempts; last: transfer too slow",
        client={
            "max_attempts": 2,
            "min_transfer_bytes_per_second": 100,
            "slow_transfer_grace_seconds": 1,
        },
    ),
    Fault(
        "nan_infinity_negative_strings",
        OPENROUTER,
        lambda doc, key: [faults.with_items(doc, key, faults.map_items(_string_prices))],
        "blocked",
        "schema_valid",
        rejected=3,
    ),
]


def _outcome_of(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
    materialized = result.asset_materializations_for_node("provider_models")
    return materialized[0].metadata if materialized else {}


@pytest.mark.parametrize("fault", FAULTS, ids=[f.mode for f in FAULTS])
def test_fault_mode(fresh: FaultWorld, record_fault, fault: Fault) -> None:
    world = fresh
    slug, path, key = fault.target
    before = world.rows(slug)
    last_success = world.state(slug)["last_success_at"]
    other_before = world.rows(fault.other)
    assert before, f"baseline rows of {slug} missing"

    queued = fault.inject(faults.load(world.server.root, slug, path), key)
    world.server.faults[slug] = list(queued)
    record_fault(fault.mode)
    base_url = faults.refused_url() if fault.refused else None
    result = world.sync(slug, base_url=base_url, checks=fault.checks, **fault.client)

    assert world.server.faults.get(slug, []) == [], "the fault never reached the client"
    metadata = _outcome_of(result)
    if fault.outcome in ("retried", "accepted"):
        assert result.success, failure_text(result)
        attempts = metadata["http_attempts"].value
        assert attempts >= fault.min_attempts if fault.outcome == "retried" else attempts == 1
        assert metadata["fetch_seconds"].value >= fault.min_fetch_seconds
        assert metadata["models"].value == len([r for r in before if r["status"] == "active"])
    elif fault.outcome == "failed":
        assert not result.success
        message = failure_text(result)
        assert f"provider {slug!r}" in message and fault.expect in message, message
        state = world.state(slug)
        assert state["last_status"] == "failed" and fault.expect in state["last_error"]
    elif fault.outcome == "blocked":
        assert not result.success
        check = check_results(result)[fault.expect]
        assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
        if fault.rejected:
            assert check.metadata["rejected"].value == fault.rejected
    else:
        assert fault.outcome == "rejected"
        assert result.success, failure_text(result)
        assert metadata["rejected_rows"].value == fault.rejected
        assert check_results(result)["schema_valid"].metadata["rejected"].value == fault.rejected

    assert world.rows(slug) == before, "the faulty provider's last good rows changed"
    if not result.success:
        assert world.state(slug)["last_success_at"] == last_success, "a failure reset staleness"
    other = world.sync(fault.other)
    assert other.success, failure_text(other)
    assert world.rows(fault.other) == other_before


def test_hostile_model_ids_are_stored_verbatim_and_harm_nothing(
    fresh: FaultWorld, record_fault
) -> None:
    """Non-ASCII ids and ids with quotes, semicolons and SQL are ordinary data."""
    world = fresh
    slug, path, key = GROQ
    document = faults.load(world.server.root, slug, path)
    tables_before = _tables(world)
    world.server.faults[slug] = [faults.with_items(document, key, _hostile)]
    record_fault("hostile_model_ids")

    result = world.sync(slug)
    assert result.success, failure_text(result)
    stored = {r["provider_model_id"]: r for r in world.rows(slug) if r["status"] == "active"}
    for model_id in faults.HOSTILE_IDS:
        assert model_id in stored, model_id
        assert stored[model_id]["canonical_id"] == canonical_id(model_id, slug, "Meta")
    assert _tables(world) == tables_before
    assert world.sync("together").success

    # 9 of 14 models gone is a drop the guard stops; the operator lets this one through.
    assert not world.sync(slug).success
    restored = world.sync(slug, checks={"count_drop_error_by_provider": {slug: 0.7}})
    assert restored.success, failure_text(restored)
    statuses = {r["provider_model_id"]: r["status"] for r in world.rows(slug)}
    assert {statuses[model_id] for model_id in faults.HOSTILE_IDS} == {"missing"}
    assert check_results(restored)["count_not_dropped"].severity == dg.AssetCheckSeverity.WARN


def _tables(world: FaultWorld) -> dict[str, int]:
    """Every table of the catalog database with its row count, minus the tables a sync grows."""
    growing = {"provider_snapshots", "raw_payloads", "price_history", "models"}
    with engine_for(world.database_url).connect() as conn:
        names = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).scalars()
        return {
            name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in names
            if name not in growing
        }


def test_a_priced_offer_turning_free_is_a_warn_with_the_table(
    fresh: FaultWorld, record_fault
) -> None:
    """One offer at $0.88/M falling to 0 is written (a free preview is real) but not silently."""
    world = fresh
    slug, path, key = TOGETHER
    document = faults.load(world.server.root, slug, path)

    def one_free(index: int, item: dict[str, Any]) -> dict[str, Any]:
        return _input_free(index, item) if index == 0 else item

    world.server.faults[slug] = [faults.with_items(document, key, faults.map_items(one_free))]
    record_fault("one_priced_offer_turns_free")
    result = world.sync(slug)
    assert result.success, failure_text(result)
    check = check_results(result)["prices_sane"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert check.metadata["newly_free_count"].value == 1
    rows = check.metadata["problems"].value.records
    assert {(r.data["model"], r.data["problem"]) for r in rows} == {
        ("meta-llama/Llama-3.3-70B-Instruct-Turbo", "now free")
    }
    assert "1 priced offer now free" in check.metadata["summary"].value
    free = {r["provider_model_id"]: r for r in world.rows(slug)}
    assert free["meta-llama/Llama-3.3-70B-Instruct-Turbo"]["prompt"] == 0

    restored = world.sync(slug)
    assert restored.success, failure_text(restored)
    assert check_results(restored)["prices_sane"].passed
