"""A provider, or whoever can launch a run, trying to get the keys or to poison the catalog.

Real HTTP on loopback: the provider is a replay server, "another host" is a second replay
server on another port. Keys are fake, set in the environment as a deployment sets them.
"""

from __future__ import annotations

import gzip
import json
import zlib

import dagster as dg
import pytest

from catalog_pipeline.definitions import defs
from catalog_pipeline.defs.jobs import PROVIDER_ASSETS
from catalog_pipeline.defs.resources import (
    CatalogStoreResource,
    CheckSettings,
    ProviderClientResource,
)
from catalog_pipeline.providers.client import NEVER_ELSEWHERE, ProviderClient
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.fetch import WITHHELD, fetch_provider
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.replay import faults
from catalog_pipeline.replay.server import CannedResponse, ReplayServer

KEYS = {
    "ANTHROPIC_API_KEY": "sk-ant-fake-Qw3Er5Ty7Ui9Op",
    "GOOGLE_API_KEY": "AIzaFake-Zx2Cv4Bn6Mm8Kk0",
    "PORTKEY_API_KEY": "pk-fake-Lk9Jh7Gf5Ds3Aa1",
    "GROQ_API_KEY": "gsk_fake_Rt5Yu7Io9Pp1Ss3",
}
HEADER_KEYED = {
    # slug: (auth header, list path as the replay server sees it)
    "anthropic": ("x-api-key", "/v1/models"),
    "google": ("x-goog-api-key", "/v1beta/models"),
    "portkey": ("x-portkey-api-key", "/v1/models"),
    "groq": ("Authorization", "/openai/v1/models"),
}
KEYS_BY_SLUG = {
    "anthropic": KEYS["ANTHROPIC_API_KEY"],
    "google": KEYS["GOOGLE_API_KEY"],
    "portkey": KEYS["PORTKEY_API_KEY"],
    "groq": KEYS["GROQ_API_KEY"],
}


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    return KEYS


@pytest.fixture
def elsewhere(tmp_path) -> ReplayServer:
    """Another host (another port on loopback), serving the same recordings."""
    from catalog_pipeline_tests.conftest import RECORDINGS

    with ReplayServer(RECORDINGS) as server:
        yield server


def client() -> ProviderClient:
    return ProviderClient(max_attempts=2, backoff_seconds=0.01, timeout_seconds=5)


@pytest.mark.parametrize("slug", sorted(HEADER_KEYED))
def test_a_redirect_to_another_host_fails_and_the_key_never_goes_there(
    keys, replay_server: ReplayServer, elsewhere: ReplayServer, slug: str, record_property
) -> None:
    header, path = HEADER_KEYED[slug]
    target = f"{elsewhere.url}/{slug}{path}"
    replay_server.faults[slug] = [faults.redirect(target, 302)]
    record_property("fault_injected", f"redirect_to_another_host_{slug}")

    with pytest.raises(ProviderError) as info:
        fetch_provider(client(), get_provider(slug))

    error = info.value
    assert error.kind is FailureKind.HTTP and error.status == 302
    assert f"provider {slug!r}" in error.message
    assert f"redirecting to {elsewhere.url}, which is not the provider's host" in error.message
    assert NEVER_ELSEWHERE in error.message
    assert error.url is not None and error.url.startswith(f"{replay_server.url}/{slug}{path}")
    assert elsewhere.requests == [], "a request (with the key) reached the other host"
    sent = [r.headers.get(header, "") for r in replay_server.requests if r.provider == slug]
    assert sent and all(KEYS_BY_SLUG[slug] in value for value in sent)
    for value in KEYS.values():
        assert value not in error.message


def test_a_redirect_within_the_providers_own_host_is_followed(
    keys, replay_server: ReplayServer, record_property
) -> None:
    """A provider moving its list to another path on the same host keeps working."""
    replay_server.faults["groq"] = [
        faults.redirect(f"{replay_server.url}/groq/openai/v1/models", 301),
        faults.redirect("/groq/openai/v1/models", 307),
    ]
    record_property("fault_injected", "redirect_within_the_provider")
    fetch = fetch_provider(client(), get_provider("groq"))
    assert len(fetch.rows) == 5
    assert [r.path for r in replay_server.requests] == ["/openai/v1/models"] * 3


def test_base_url_override_in_run_config_is_rejected(
    keys, sqlite_url: str, elsewhere: ReplayServer
) -> None:
    """Whoever may launch a run must not be able to send every key to a host of their choice:
    the launchpad's run config has no base URL setting, so Dagster refuses it."""
    config = {"resources": {"provider_client": {"config": {"base_url_override": elsewhere.url}}}}
    job = defs.resolve_job_def("sync_provider")
    with pytest.raises(dg.DagsterInvalidConfigError) as info:
        job.execute_in_process(run_config=config, partition_key="groq")
    assert "base_url_override" in str(info.value)

    with dg.DagsterInstance.ephemeral() as instance, pytest.raises(dg.DagsterInvalidConfigError):
        dg.materialize(
            PROVIDER_ASSETS,
            partition_key="groq",
            resources={
                "provider_client": ProviderClientResource(),
                "catalog_store": CatalogStoreResource(database_url=sqlite_url),
                "check_settings": CheckSettings(),
            },
            run_config=config,
            instance=instance,
        )
    assert elsewhere.requests == []
    schema = ProviderClientResource().get_resource_definition().config_schema.config_type
    assert "base_url_override" not in schema.fields


def test_gzip_and_deflate_bodies_are_decoded_and_unknown_codings_refused(
    replay_server: ReplayServer, record_property
) -> None:
    """What the client advertises it decodes; anything else fails with a clear error."""
    document = faults.load(replay_server.root, "groq", "openai/v1/models")
    body = json.dumps(document).encode()
    record_property("fault_injected", "unknown_content_encoding")
    replay_server.faults["groq"] = [
        CannedResponse(200, gzip.compress(gzip.compress(body)), {"Content-Encoding": "gzip, gzip"}),
        CannedResponse(200, zlib.compress(body), {"Content-Encoding": "deflate"}),
        CannedResponse(200, body, {"Content-Encoding": "br"}),
    ]
    plain = ProviderClient(require_api_keys=False, max_attempts=1)
    assert len(fetch_provider(plain, get_provider("groq")).rows) == 5
    assert len(fetch_provider(plain, get_provider("groq")).rows) == 5
    with pytest.raises(ProviderError) as info:
        fetch_provider(plain, get_provider("groq"))
    assert info.value.kind is FailureKind.PAYLOAD
    assert "Content-Encoding 'br' cannot be decoded" in info.value.message
    assert {r.headers.get("Accept-Encoding") for r in replay_server.requests} == {"gzip, deflate"}


def test_a_key_echoed_in_escaped_form_is_redacted_and_its_page_withheld(
    keys, replay_server: ReplayServer, record_property
) -> None:
    """``\\u``-escaped, the key is not in the bytes literally: the parsed values are still
    redacted, and the raw page is not archived (its facts are)."""
    key = KEYS["GROQ_API_KEY"]
    escaped = "".join(f"\\u{ord(c):04x}" for c in key)
    document = faults.load(replay_server.root, "groq", "openai/v1/models")
    body = json.dumps(document).replace('"owned_by": "Meta"', f'"owned_by": "{escaped}"')
    assert escaped in body and key not in body
    replay_server.faults["groq"] = [CannedResponse(200, body.encode())]
    record_property("fault_injected", "key_echoed_escaped")

    fetch = fetch_provider(client(), get_provider("groq"))
    assert {row.publisher_hint for row in fetch.rows} >= {"[redacted]"}
    assert all(key not in str(row.model_dump()) for row in fetch.rows)
    [page] = fetch.pages
    assert gzip.decompress(page.content_gzip) == WITHHELD
    assert page.size == len(body.encode())


@pytest.mark.parametrize(
    ("location", "kind", "expected"),
    [
        ("file:///etc/passwd", FailureKind.HTTP, "redirecting to file://, which is not the"),
        (
            "//127.0.0.2/groq/openai/v1/models",
            FailureKind.HTTP,
            "redirecting to http://127.0.0.2:80",
        ),
        ("http://[::1", FailureKind.NETWORK, "Invalid URL in location header"),
    ],
    ids=["file-scheme", "scheme-relative-other-host", "malformed"],
)
def test_odd_redirect_targets_fail_clearly(
    keys, replay_server: ReplayServer, location: str, kind: FailureKind, expected: str
) -> None:
    replay_server.faults["groq"] = [faults.redirect(location, 308)]
    with pytest.raises(ProviderError) as info:
        fetch_provider(ProviderClient(max_attempts=1), get_provider("groq"))
    assert info.value.kind is kind and expected in info.value.message, info.value.message
    assert len(replay_server.requests) == 1


def test_a_redirect_loop_on_the_providers_host_stops(keys, replay_server: ReplayServer) -> None:
    loop = f"{replay_server.url}/groq/openai/v1/models"
    replay_server.faults["groq"] = [faults.redirect(loop, 302) for _ in range(6)]
    with pytest.raises(ProviderError, match="more than 5 redirects"):
        fetch_provider(ProviderClient(max_attempts=1), get_provider("groq"))
    assert len(replay_server.requests) == 6
