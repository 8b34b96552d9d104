"""API keys never leave the process: not in logs, events, metadata, errors or the database.

Fake keys are set in the environment the way a deployment sets real ones; the replay
server answers with bodies that echo the key back, as real providers sometimes do. After
real Dagster runs on PostgreSQL, every log line, every event-log entry (metadata, check
results, failures) of every run, the run records, and every column of every table of the
catalog database are searched for the keys.
"""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dagster._serdes import serialize_value
from sqlalchemy import MetaData, select

from catalog_pipeline.defs.jobs import PROVIDER_ASSETS
from catalog_pipeline.defs.resources import (
    CatalogStoreResource,
    CheckSettings,
    ProviderClientResource,
)
from catalog_pipeline.exports.run import FORMATS, render_catalog
from catalog_pipeline.replay import faults
from catalog_pipeline.replay.server import CannedResponse, ReplayServer
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.engine import engine_for
from catalog_pipeline_tests.pipeline.harness import failure_text

pytestmark = pytest.mark.postgres

FAKE = "sk-fake-"
KEYS = {
    "GROQ_API_KEY": FAKE + "7Hq2LmN9pR4sT6vX8zB1gq",
    "TOGETHER_API_KEY": FAKE + "3Fd5Gh7Jk9Lm2Np4Qr6Stg",
    "OPENROUTER_API_KEY": FAKE + "9Wx8Vu7Ts6Rq5Po4Nm3Lor",
}
WINDOW = 6
"""A leak of any 6 characters in a row of a key's secret part counts (error excerpts cut
keys in half)."""
GROQ_KEY = KEYS["GROQ_API_KEY"]


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    return KEYS


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


def sync(
    instance: dg.DagsterInstance, database_url: str, server: ReplayServer, slug: str
) -> dg.ExecuteInProcessResult:
    """A run as a deployment makes it: keys required, read from the environment."""
    return dg.materialize(
        PROVIDER_ASSETS,
        partition_key=slug,
        resources={
            "provider_client": ProviderClientResource(
                max_attempts=2,
                backoff_seconds=0.01,
                timeout_seconds=5,
                require_api_keys=True,
            ),
            "catalog_store": CatalogStoreResource(database_url=database_url),
            "check_settings": CheckSettings(),
        },
        instance=instance,
        raise_on_error=False,
    )


def database_text(database_url: str) -> str:
    """Every value of every column of every table, gzip payloads decompressed."""
    engine = engine_for(database_url)
    metadata = MetaData()
    metadata.reflect(engine)
    parts: list[str] = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        raw = bytes(value)
                        with contextlib.suppress(OSError, EOFError):
                            raw = gzip.decompress(raw)
                        parts.append(raw.decode("utf-8", errors="replace"))
                    else:
                        parts.append(str(value))
    assert parts, "the catalog database is empty: the search would prove nothing"
    return "\n".join(parts)


def run_text(instance: dg.DagsterInstance, result: dg.ExecuteInProcessResult) -> str:
    """The run record and every event-log entry of the run, serialized as stored."""
    entries = instance.all_logs(result.run_id)
    assert entries, "no event-log entries: the search would prove nothing"
    run = instance.get_run_by_id(result.run_id)
    return serialize_value(run) + "\n".join(serialize_value(e) for e in entries)


def assert_no_key(text: str, where: str) -> None:
    for name, key in KEYS.items():
        secret = key.removeprefix(FAKE)
        for start in range(len(secret) - WINDOW + 1):
            piece = secret[start : start + WINDOW]
            assert piece not in text, f"{name} (or part of it: {piece!r}) leaked into {where}"


def leaks_everywhere(
    instance: dg.DagsterInstance,
    results: list[dg.ExecuteInProcessResult],
    database_url: str,
    captured: str,
) -> None:
    for result in results:
        assert_no_key(run_text(instance, result), f"the event log of run {result.run_id}")
        assert_no_key(failure_text(result), "the failure text")
    assert_no_key(captured, "the process output (log lines)")
    assert_no_key(database_text(database_url), "the catalog database")


def test_keys_never_leak_from_a_failed_auth_or_a_good_sync(
    keys, postgres_url, replay_server: ReplayServer, instance, capfd, record_property
) -> None:
    echo = {"error": {"message": f"Invalid API Key: {GROQ_KEY}", "type": "invalid_request"}}
    replay_server.faults["groq"] = [CannedResponse(401, json.dumps(echo).encode())]
    record_property("fault_injected", "auth_401_echoing_the_key")

    failed = sync(instance, postgres_url, replay_server, "groq")
    assert not failed.success
    message = failure_text(failed)
    assert "provider 'groq'" in message and "HTTP 401" in message
    assert "GROQ_API_KEY" in message, "a 401 must say which variable to set"
    assert "[redacted]" in message, "the echoed key should show as redacted"

    good = sync(instance, postgres_url, replay_server, "together")
    assert good.success, failure_text(good)
    sent = [r.headers.get("Authorization") for r in replay_server.requests]
    assert f"Bearer {GROQ_KEY}" in sent and f"Bearer {KEYS['TOGETHER_API_KEY']}" in sent

    states = {s["slug"]: s for s in CatalogStore(database_url=postgres_url).provider_states()}
    assert "GROQ_API_KEY" in states["groq"]["last_error"]
    leaks_everywhere(instance, [failed, good], postgres_url, "".join(capfd.readouterr()))


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"error": {"message": f"key {GROQ_KEY} has no credits"}}).encode(),
        f"Invalid API key {GROQ_KEY}".encode(),
    ],
    ids=["json_error_body", "plain_text_body"],
)
def test_keys_never_leak_from_a_200_that_echoes_them(
    keys, postgres_url, replay_server: ReplayServer, instance, capfd, body: bytes
) -> None:
    replay_server.faults["groq"] = [CannedResponse(200, body)]
    failed = sync(instance, postgres_url, replay_server, "groq")
    assert not failed.success
    assert "provider 'groq'" in failure_text(failed)
    good = sync(instance, postgres_url, replay_server, "together")
    assert good.success
    leaks_everywhere(instance, [failed, good], postgres_url, "".join(capfd.readouterr()))


def test_a_missing_key_is_not_configured_and_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, postgres_url, replay_server, instance
) -> None:
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    result = sync(instance, postgres_url, replay_server, "groq")
    assert not result.success
    assert "Set GROQ_API_KEY" in failure_text(result)
    assert not [r for r in replay_server.requests if r.provider == "groq"], "sent without a key"
    state = {s["slug"]: s for s in CatalogStore(database_url=postgres_url).provider_states()}
    assert state["groq"]["last_status"] == "not_configured"


def test_a_key_cut_by_the_error_excerpt_does_not_leak(
    keys, postgres_url, replay_server: ReplayServer, instance
) -> None:
    body = ("x" * 280 + GROQ_KEY).encode()
    replay_server.faults["groq"] = [CannedResponse(401, body)]
    failed = sync(instance, postgres_url, replay_server, "groq")
    assert not failed.success and "HTTP 401" in failure_text(failed)
    assert_no_key(failure_text(failed), "the failure text")


def test_a_key_echoed_in_the_model_list_is_redacted_everywhere(
    keys, postgres_url, replay_server: ReplayServer, instance, capfd, record_property
) -> None:
    """A provider that echoes the request's key in ``owned_by`` (twice in one value) must not
    get it into canonical ids, publishers, the raw archive, exports or Dagster's outputs."""
    document = faults.load(replay_server.root, "groq", "openai/v1/models")
    echo = faults.echo_key("owned_by", GROQ_KEY, times=2)
    unknown = {**document["data"][0], "id": "house-model-7b"}  # its publisher is owned_by
    replay_server.faults["groq"] = [
        faults.with_items(document, "data", lambda items: echo([*items, unknown]))
    ]
    record_property("fault_injected", "key_echoed_in_owned_by")

    echoed = sync(instance, postgres_url, replay_server, "groq")
    assert echoed.success, failure_text(echoed)
    sent = [r.headers.get("Authorization") for r in replay_server.requests]
    assert f"Bearer {GROQ_KEY}" in sent, "the key was not sent: the echo would prove nothing"
    rows = {
        r["provider_model_id"]: r
        for r in CatalogStore(database_url=postgres_url).offers()
        if r["provider"] == "groq"
    }
    assert len(rows) == 6
    assert rows["house-model-7b"]["canonical_id"] == "[redacted]-/-[redacted]/house-model-7b"

    exports = "\n".join(render_catalog(postgres_url, fmt).text for fmt in FORMATS)
    assert "[redacted]" in exports
    outputs = b"".join(
        path.read_bytes()
        for path in Path(instance.storage_directory()).rglob("*")
        if path.is_file()
    )
    assert b"[redacted]" in outputs, "no Dagster output files found: the search proves nothing"
    assert_no_key(exports, "the exports")
    assert_no_key(outputs.decode("utf-8", errors="replace"), "Dagster's output files")
    stored = database_text(postgres_url)
    for text in (exports, stored):
        assert GROQ_KEY.lower() not in text.lower(), "the key leaked (lowercased)"
    leaks_everywhere(instance, [echoed], postgres_url, "".join(capfd.readouterr()))
