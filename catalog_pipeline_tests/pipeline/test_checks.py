"""Every branch and threshold of the per-provider checks, called directly.

Each threshold is tried below, at and above its value; expectations (pass, severity,
summary, metadata) are literals an operator would read, never computed by the code under
test. The same functions run inside the assets; ``test_check_alerts.py`` follows their
failing results through real runs to the webhook on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import Offer, Prices, ProviderModel, RejectedRow
from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.pipeline.checks import (
    PriceProblems,
    count_not_dropped,
    names_valid,
    one_price_per_canonical_id,
    prices_sane,
    schema_valid,
    zero_prices_suspect,
)
from catalog_pipeline.pipeline.outcome import Table
from catalog_pipeline.pipeline.snapshot import NormalizedSnapshot, ProviderSnapshot

DEFAULTS = CheckThresholds()


def fetched(provider: str, ids: list[str], rejected: int = 0) -> ProviderSnapshot:
    return ProviderSnapshot(
        provider=provider,
        snapshot_id=1,
        fetched_at=dt.datetime(2026, 11, 28, 5, 0, tzinfo=dt.UTC),
        sha256="0" * 64,
        rows=[ProviderModel(provider_model_id=model_id) for model_id in ids],
        rejected_count=rejected,
        rejected=[
            RejectedRow(index=i, provider_model_id=f"bad-{i}", error="prices: not a number")
            for i in range(rejected)
        ],
    )


def offer(model_id: str, prompt: str | None = None, name: str = "Model", **prices: str) -> Offer:
    values = {key: Decimal(value) for key, value in prices.items()}
    return Offer(
        provider_model_id=model_id,
        provider="together",
        canonical_id=f"lab/{model_id}",
        publisher="Lab",
        display_name=name,
        prices=Prices(prompt=None if prompt is None else Decimal(prompt), **values),
    )


def normalized(*offers: Offer) -> NormalizedSnapshot:
    return NormalizedSnapshot(provider="together", snapshot_id=1, offers=list(offers))


def ids(n: int) -> list[str]:
    return [f"m{i:02d}" for i in range(n)]


# schema_valid: ERROR above max_rejected_fraction (5 %)


def test_schema_valid_passes_when_every_item_is_valid() -> None:
    outcome = schema_valid(fetched("groq", ids(20)), DEFAULTS)
    assert (outcome.passed, outcome.severity) == (True, "ERROR")
    assert outcome.summary == "groq: all 20 items valid"
    assert outcome.metadata == {
        "provider": "groq",
        "items": 20,
        "rejected": 0,
        "rejected_fraction": 0.0,
        "threshold": 0.05,
        "rejected_rows": Table(columns=("item", "id", "error"), rows=(), total=0),
    }


def test_schema_valid_says_an_empty_listing_is_a_failed_fetch() -> None:
    outcome = schema_valid(fetched("groq", []), DEFAULTS)
    assert (outcome.passed, outcome.blocks) == (False, True)
    assert outcome.summary == (
        "groq: the listing has no items, which is a failed fetch, not a provider without "
        "models; the provider keeps its last good rows"
    )


@pytest.mark.parametrize(
    ("valid", "rejected", "passed", "fraction"),
    [
        (20, 1, True, 0.0476),  # below 5 %
        (19, 1, True, 0.05),  # at 5 %: still passes
        (37, 2, False, 0.0513),  # above 5 %
    ],
)
def test_schema_valid_threshold(valid: int, rejected: int, passed: bool, fraction: float) -> None:
    outcome = schema_valid(fetched("groq", ids(valid), rejected), DEFAULTS)
    assert (outcome.passed, outcome.severity, outcome.blocks) == (passed, "ERROR", not passed)
    assert outcome.metadata["rejected"] == rejected
    assert outcome.metadata["rejected_fraction"] == fraction


def test_schema_valid_error_names_the_first_rejected_items() -> None:
    outcome = schema_valid(fetched("groq", ids(17), 3), DEFAULTS)
    assert outcome.summary == (
        "groq: 3 of 20 items failed validation (15.0%; ERROR above 5%); first: bad-0, "
        "bad-1, bad-2: prices: not a number"
    )
    assert outcome.metadata["rejected_rows"] == Table(
        columns=("item", "id", "error"),
        rows=(
            (0, "bad-0", "prices: not a number"),
            (1, "bad-1", "prices: not a number"),
            (2, "bad-2", "prices: not a number"),
        ),
        total=3,
    )


def test_schema_valid_threshold_is_a_setting() -> None:
    lenient = CheckThresholds(max_rejected_fraction=0.2)
    assert schema_valid(fetched("groq", ids(16), 4), lenient).passed  # 20 %: at it
    assert not schema_valid(fetched("groq", ids(15), 5), lenient).passed  # 25 %


# count_not_dropped: WARN above 10 %, ERROR above 50 % (or the provider's own ERROR share)


@pytest.mark.parametrize(
    ("kept", "passed", "severity"),
    [
        (20, True, "ERROR"),  # nothing dropped
        (19, True, "ERROR"),  # 5 %: below WARN
        (18, True, "ERROR"),  # 10 %: at WARN, passes
        (17, False, "WARN"),  # 15 %: above WARN
        (11, False, "WARN"),  # 45 %: below ERROR
        (10, False, "WARN"),  # 50 %: at ERROR, still a WARN
        (9, False, "ERROR"),  # 55 %: above ERROR
        (0, False, "ERROR"),  # everything gone
    ],
)
def test_count_drop_thresholds(kept: int, passed: bool, severity: str) -> None:
    outcome = count_not_dropped(fetched("groq", ids(20)[:kept]), set(ids(20)), DEFAULTS)
    assert (outcome.passed, outcome.severity) == (passed, severity)
    assert outcome.blocks == (severity == "ERROR" and not passed)
    assert outcome.metadata["disappeared_count"] == 20 - kept


def test_count_drop_warn_summary_and_metadata() -> None:
    outcome = count_not_dropped(fetched("groq", [*ids(20)[:16], "new-1"]), set(ids(20)), DEFAULTS)
    assert (outcome.passed, outcome.severity) == (False, "WARN")
    assert outcome.summary == (
        "groq: 17 models, 20 at the last good sync (20.0% dropped; WARN above 10%, ERROR "
        "above 50%); gone: m16, m17, m18 and 1 more"
    )
    assert outcome.metadata == {
        "provider": "groq",
        "previous_count": 20,
        "current_count": 17,
        "disappeared_count": 4,
        "appeared_count": 1,
        "drop_fraction": 0.2,
        "warn_above": 0.1,
        "error_above": 0.5,
        "changes": Table(
            columns=("change", "model"),
            rows=(
                ("disappeared", "m16"),
                ("disappeared", "m17"),
                ("disappeared", "m18"),
                ("disappeared", "m19"),
                ("appeared", "new-1"),
            ),
            total=5,
        ),
    }


def test_count_drop_error_says_the_provider_keeps_its_rows() -> None:
    outcome = count_not_dropped(fetched("groq", ["m00"]), {"m00", "m01", "m02"}, DEFAULTS)
    assert outcome.summary == (
        "groq: 1 model, 3 at the last good sync (66.7% dropped; WARN above 10%, ERROR above "
        "50%); gone: m01, m02; the provider keeps its last good rows"
    )
    assert outcome.metadata["drop_fraction"] == 0.6667


def test_count_drop_first_sync_has_nothing_to_compare() -> None:
    outcome = count_not_dropped(fetched("groq", ids(3)), set(), DEFAULTS)
    assert (outcome.passed, outcome.severity) == (True, "ERROR")
    assert outcome.summary == "groq: 3 models; no earlier good sync to compare with"
    assert outcome.metadata["drop_fraction"] == 0.0
    assert outcome.metadata["appeared_count"] == 3


@pytest.mark.parametrize(
    ("provider", "kept", "severity"),
    [
        ("fal", 3, "WARN"),  # 70 % of fal: under its own 80 %
        ("fal", 2, "WARN"),  # 80 %: at it
        ("fal", 1, "ERROR"),  # 90 %: above it
        ("groq", 3, "ERROR"),  # 70 % of another provider: above the default 50 %
    ],
)
def test_count_drop_error_share_per_provider(provider: str, kept: int, severity: str) -> None:
    settings = CheckThresholds(count_drop_error_by_provider={"fal": 0.8})
    outcome = count_not_dropped(fetched(provider, ids(10)[:kept]), set(ids(10)), settings)
    assert (outcome.passed, outcome.severity) == (False, severity)
    assert outcome.metadata["error_above"] == (0.8 if provider == "fal" else 0.5)


# prices_sane: every token price within 0.0000000001..0.001 USD/token, none moved > 10x


@pytest.mark.parametrize(
    ("prompt", "passed"),
    [
        ("0.000999", True),  # below the top of the band
        ("0.001", True),  # at it
        ("0.0010001", False),  # above it
        ("0.00000000011", True),  # above the bottom
        ("0.0000000001", True),  # at it
        ("0.00000000009", False),  # below it
        ("0", True),  # free is a price, not a unit bug
    ],
)
def test_price_band_on_a_first_sync(prompt: str, passed: bool) -> None:
    """A provider's first sync has no previous price: only the absolute band can catch a
    price in the wrong unit."""
    outcome = prices_sane(normalized(offer("m", prompt)), {}, DEFAULTS)
    assert (outcome.passed, outcome.severity) == (passed, "ERROR")
    assert outcome.metadata["out_of_band_count"] == (0 if passed else 1)
    assert outcome.metadata["moved_count"] == 0


def test_a_first_sync_priced_per_million_by_mistake_is_blocked() -> None:
    """$3 per 1M tokens stored as 3 USD per token: no history to compare with."""
    snapshot = normalized(offer("m", "3", completion="15"), offer("ok", "0.000003"))
    outcome = prices_sane(snapshot, {}, DEFAULTS)
    assert (outcome.passed, outcome.blocks) == (False, True)
    assert outcome.summary == (
        "together: 2 token prices failed (2 outside 0.0000000001..0.001 USD/token): m prompt "
        "3, m completion 15; the provider keeps its last good rows"
    )
    assert outcome.metadata["out_of_band_count"] == 2
    assert outcome.metadata["band_usd_per_token"] == "0.0000000001 .. 0.001"
    assert outcome.metadata["problems"] == Table(
        columns=("model", "field", "before USD", "now USD", "problem"),
        rows=(("m", "prompt", None, "3", "band"), ("m", "completion", None, "15", "band")),
        total=2,
    )


def test_the_band_covers_every_token_price_field() -> None:
    fields = ("completion", "cache_read", "cache_write", "reasoning")
    fields += ("audio_input", "audio_output")
    for name in fields:
        outcome = prices_sane(normalized(offer("m", "0.000001", **{name: "2"})), {}, DEFAULTS)
        assert not outcome.passed, name
    unit_prices = normalized(offer("m", "0.000001", per_image="2", per_request="5"))
    assert prices_sane(unit_prices, {}, DEFAULTS).passed


def stored(prompt: str) -> dict[str, tuple[Decimal | None, ...]]:
    return {"m": (Decimal(prompt), *([None] * 11))}


@pytest.mark.parametrize(
    ("before", "now", "passed"),
    [
        ("0.000001", "0.0000099", True),  # 9.9x up
        ("0.000001", "0.00001", True),  # 10x up: at the ratio
        ("0.000001", "0.0000101", False),  # 10.1x up
        ("0.00001", "0.00000101", True),  # 9.9x down
        ("0.00001", "0.000001", True),  # 10x down
        ("0.00001", "0.00000099", False),  # 10.1x down
    ],
)
def test_price_move_ratio(before: str, now: str, passed: bool) -> None:
    outcome = prices_sane(normalized(offer("m", now)), stored(before), DEFAULTS)
    assert (outcome.passed, outcome.metadata["moved_count"]) == (passed, 0 if passed else 1)
    assert outcome.metadata["out_of_band_count"] == 0


def test_a_price_that_was_unknown_or_free_before_is_not_a_move() -> None:
    assert prices_sane(normalized(offer("m", "0.0005")), stored("0"), DEFAULTS).passed
    unknown = {"m": (None,) * 12}
    assert prices_sane(normalized(offer("m", "0.0005")), unknown, DEFAULTS).passed


def test_prices_sane_passes_a_steady_catalog() -> None:
    outcome = prices_sane(normalized(offer("m", "0.0000012")), stored("0.000001"), DEFAULTS)
    assert outcome.passed
    assert outcome.summary == "together: every price inside its band and steady"
    assert outcome.metadata["problems"] == Table(
        columns=("model", "field", "before USD", "now USD", "problem"),
        rows=(),
        total=0,
    )


# names_valid: WARN for a company prefix, a type suffix or stray whitespace


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        ("Llama 3.3 70B Instruct", None),
        ("qwen2.5:72b", None),
        ("Meta: Llama 3.3 70B", "company prefix"),
        ("Llama 3.3 70B (chat)", "type suffix"),
        ("Llama  3.3", "stray whitespace"),
        ("Llama 3.3 ", "stray whitespace"),
        ("Meta: Llama (chat)", "company prefix, type suffix"),
    ],
)
def test_names_valid(name: str, problems: str | None) -> None:
    outcome = names_valid(normalized(offer("m", "0.000001", name=name)))
    assert (outcome.passed, outcome.severity, outcome.blocks) == (problems is None, "WARN", False)
    expected = () if problems is None else (("m", name, problems),)
    assert outcome.metadata == {
        "provider": "together",
        "malformed_count": len(expected),
        "malformed": Table(
            columns=("model", "display name", "problems"), rows=expected, total=len(expected)
        ),
    }


def test_names_valid_summary_quotes_the_names() -> None:
    outcome = names_valid(
        normalized(offer("a", name="Meta: Llama"), offer("b", name="Clean"), offer("c", name=" x"))
    )
    assert outcome.summary == (
        "together: 2 display names with a company prefix, type suffix or stray whitespace: "
        "'Meta: Llama' (company prefix), ' x' (stray whitespace)"
    )
    assert names_valid(normalized(offer("b", name="Clean"))).summary == (
        "together: every display name clean"
    )


# one_price_per_canonical_id: ERROR when one canonical id carries two prices


def twin(model_id: str, prompt: str | None) -> Offer:
    return offer(model_id, prompt).model_copy(update={"canonical_id": "lab/merged"})


def test_one_price_per_canonical_id_metadata() -> None:
    outcome = one_price_per_canonical_id(normalized(twin("a", "0.000001"), twin("b", "0.000002")))
    assert (outcome.passed, outcome.severity, outcome.blocks) == (False, "ERROR", True)
    assert outcome.summary == (
        "together: 1 canonical id(s) merge offers that the provider prices differently, so "
        "the identity rules merged distinct models: lab/merged (a 0.000001/- vs b 0.000002/-)"
    )
    assert outcome.metadata == {
        "provider": "together",
        "merged_count": 1,
        "merged": Table(
            columns=("canonical id", "provider model id", "prompt USD/token", "completion"),
            rows=(("lab/merged", "a", "0.000001", None), ("lab/merged", "b", "0.000002", None)),
            total=2,
        ),
    }
    same = one_price_per_canonical_id(normalized(twin("a", "0.000001"), twin("b", "0.000001")))
    assert same.passed and same.summary == "together: every canonical id has one price"


def test_an_operator_override_on_one_of_two_twins_is_not_a_merge() -> None:
    """An operator prices ``a`` (a negotiated rate); its twin keeps the list price. The check
    compares only the prices the rules chose, so the provider's sync is not blocked by the
    operator's decision, while two differently priced twins besides it still are."""
    negotiated = twin("a", "0.0000005").model_copy(
        update={"price_source": "override:negotiated by ops@example.com at 2026-11-28"}
    )
    outcome = one_price_per_canonical_id(normalized(negotiated, twin("b", "0.000001")))
    assert (outcome.passed, outcome.summary) == (
        True,
        "together: every canonical id has one price",
    )
    still = one_price_per_canonical_id(
        normalized(negotiated, twin("b", "0.000001"), twin("c", "0.000002"))
    )
    assert still.summary == (
        "together: 1 canonical id(s) merge offers that the provider prices differently, so "
        "the identity rules merged distinct models: lab/merged (b 0.000001/- vs c 0.000002/-)"
    )


# What the checks report beyond pass and severity (the names and tables the UI shows)


def test_each_check_reports_under_its_own_name() -> None:
    clean = normalized(offer("m", "0.000001", name="Clean"))
    assert [
        schema_valid(fetched("groq", ids(2)), DEFAULTS).name,
        count_not_dropped(fetched("groq", ids(2)), set(), DEFAULTS).name,
        prices_sane(clean, {}, DEFAULTS).name,
        names_valid(clean).name,
        one_price_per_canonical_id(clean).name,
    ] == [
        "schema_valid",
        "count_not_dropped",
        "prices_sane",
        "names_valid",
        "one_price_per_canonical_id",
    ]


def test_a_moved_price_is_listed_with_both_prices() -> None:
    outcome = prices_sane(normalized(offer("m", "0.00002")), stored("0.000001"), DEFAULTS)
    assert outcome.summary == (
        "together: 1 token price failed (1 moved more than 10x since the last good sync: a "
        "unit change?): m prompt 0.000001 -> 0.00002; the provider keeps its last good rows"
    )
    assert outcome.metadata == {
        "provider": "together",
        "out_of_band_count": 0,
        "moved_count": 1,
        "newly_free_count": 0,
        "max_newly_free_offers": 3,
        "band_usd_per_token": "0.0000000001 .. 0.001",
        "band_usd_per_unit": (
            "per_image ..20, per_input_image ..1, per_request ..50, per_web_search ..1, "
            "per_second ..20"
        ),
        "max_move_ratio": 10.0,
        "problems": Table(
            columns=("model", "field", "before USD", "now USD", "problem"),
            rows=(("m", "prompt", "0.000001", "0.00002", "moved"),),
            total=1,
        ),
    }


def test_out_of_band_and_moved_together_name_the_band() -> None:
    outcome = prices_sane(normalized(offer("m", "2")), stored("0.000002"), DEFAULTS)
    assert outcome.summary == (
        "together: 1 token price failed (1 outside 0.0000000001..0.001 USD/token, 1 moved more "
        "than 10x since the last good sync: a unit change?): m prompt 0.000002 -> 2; the "
        "provider keeps its last good rows"
    )
    assert outcome.metadata["problems"].rows == (
        ("m", "prompt", "0.000002", "2", "band"),
        ("m", "prompt", "0.000002", "2", "moved"),
    )


def test_an_empty_listing_fails_schema_valid() -> None:
    outcome = schema_valid(fetched("groq", []), DEFAULTS)
    assert (outcome.passed, outcome.metadata["rejected_fraction"]) == (False, 1.0)


def test_long_rejections_are_cut_for_the_table_and_the_summary() -> None:
    long_id, long_error = "x" * 100, "e" * 200
    snapshot = fetched("groq", ids(1)).model_copy(
        update={
            "rejected_count": 1,
            "rejected": [RejectedRow(index=0, provider_model_id=long_id, error=long_error)],
        }
    )
    outcome = schema_valid(snapshot, DEFAULTS)
    assert outcome.metadata["rejected_rows"].rows == ((0, "x" * 80, "e" * 160),)
    assert outcome.summary.endswith(f"first: {long_id}: {'e' * 160}")
    unnamed = snapshot.model_copy(
        update={"rejected": [RejectedRow(index=7, provider_model_id=None, error="bad")]}
    )
    assert schema_valid(unnamed, DEFAULTS).metadata["rejected_rows"].rows == ((7, "?", "bad"),)


def twin_of(canonical: str, model_id: str, prompt: str, completion: str) -> Offer:
    return offer(model_id, prompt, completion=completion).model_copy(
        update={"canonical_id": canonical}
    )


def test_every_merged_canonical_id_is_listed_after_a_clean_one() -> None:
    snapshot = normalized(
        offer("alone", "0.000001"),  # lab/alone sorts first and has one offer
        twin_of("lab/x", "x1", "0.000001", "0.000002"),
        twin_of("lab/x", "x2", "0.000003", "0.000004"),
        twin_of("lab/y", "y1", "0.000001", "0.000002"),
        twin_of("lab/y", "y2", "0.000001", "0.000002"),
        twin_of("lab/y", "y3", "0.000001", "0.000002"),
        twin_of("lab/y", "y4", "0.000005", "0.000006"),
    )
    outcome = one_price_per_canonical_id(snapshot)
    assert outcome.summary == (
        "together: 2 canonical id(s) merge offers that the provider prices differently, so "
        "the identity rules merged distinct models: lab/x (x1 0.000001/0.000002 vs x2 "
        "0.000003/0.000004), lab/y (y1 0.000001/0.000002 vs y2 0.000001/0.000002 vs y3 "
        "0.000001/0.000002)"
    )
    assert outcome.metadata["merged_count"] == 2
    assert outcome.metadata["merged"].rows == (
        ("lab/x", "x1", "0.000001", "0.000002"),
        ("lab/x", "x2", "0.000003", "0.000004"),
        ("lab/y", "y1", "0.000001", "0.000002"),
        ("lab/y", "y2", "0.000001", "0.000002"),
        ("lab/y", "y3", "0.000001", "0.000002"),
        ("lab/y", "y4", "0.000005", "0.000006"),
    )


def test_an_unknown_price_in_a_merge_shows_as_a_dash() -> None:
    outcome = one_price_per_canonical_id(normalized(twin("a", None), twin("b", "0.000001")))
    assert outcome.summary.endswith("lab/merged (a -/- vs b 0.000001/-)")


# prices_sane: a priced offer turned free (WARN up to max_newly_free_offers, then ERROR)

PROBLEM_COLUMNS = ("model", "field", "before USD", "now USD", "problem")


def priced_before(*models: str) -> dict[str, tuple[Decimal | None, ...]]:
    return {model: (Decimal("0.000001"), *([None] * 11)) for model in models}


def test_one_offer_turned_free_is_a_warn_that_names_it() -> None:
    outcome = prices_sane(normalized(offer("m1", "0")), priced_before("m1"), DEFAULTS)
    assert (outcome.passed, outcome.severity, outcome.blocks) == (False, "WARN", False)
    assert outcome.summary == (
        "together: 1 token price failed (1 priced offer now free (ERROR above 3): m1): "
        "m1 prompt 0.000001 -> 0"
    )
    assert outcome.metadata["newly_free_count"] == 1
    assert outcome.metadata["problems"] == Table(
        columns=PROBLEM_COLUMNS, rows=(("m1", "prompt", "0.000001", "0", "now free"),), total=1
    )


def test_more_offers_turned_free_than_allowed_block_the_provider() -> None:
    offers = [offer(model, "0") for model in ("a", "b", "c", "d")]
    outcome = prices_sane(normalized(*offers), priced_before("a", "b", "c", "d"), DEFAULTS)
    assert (outcome.passed, outcome.severity, outcome.blocks) == (False, "ERROR", True)
    assert outcome.summary == (
        "together: 4 token prices failed (4 priced offers now free (ERROR above 3): a, b, c "
        "and 1 more): a prompt 0.000001 -> 0, b prompt 0.000001 -> 0, c prompt 0.000001 -> 0 "
        "and 1 more; the provider keeps its last good rows"
    )


def test_a_price_that_was_already_zero_is_not_newly_free() -> None:
    stored_zero = {"m1": (Decimal(0), *([None] * 11))}
    outcome = prices_sane(normalized(offer("m1", "0")), stored_zero, DEFAULTS)
    assert (outcome.passed, outcome.metadata["newly_free_count"]) == (True, 0)


def test_per_unit_prices_have_their_own_band_named_in_the_summary() -> None:
    unit = prices_sane(normalized(offer("m", per_request="1E+27")), {}, DEFAULTS)
    assert (unit.passed, unit.blocks) == (False, True)
    assert unit.summary == (
        "together: 1 price failed (1 per-unit outside their band (per_request ..50 USD)): "
        "m per_request 1000000000000000000000000000; the provider keeps its last good rows"
    )
    mixed = prices_sane(
        normalized(offer("m", "2", per_image="30", per_request="100")), {}, DEFAULTS
    )
    assert mixed.summary == (
        "together: 3 prices failed (1 outside 0.0000000001..0.001 USD/token, 2 per-unit "
        "outside their band (per_image ..20 USD, per_request ..50 USD)): m prompt 2, "
        "m per_image 30, m per_request 100; the provider keeps its last good rows"
    )


def test_blocked_offers_are_the_problems_and_the_free_ones_only_above_the_limit() -> None:
    problem = ("a", "prompt", None, "2", "band")
    free = [
        ("b", "prompt", "0.000001", "0", "now free"),
        ("c", "prompt", "0.000001", "0", "now free"),
    ]
    assert PriceProblems([problem], free, 3).blocked_offers() == {"a"}
    assert PriceProblems([problem], free, 2).blocked_offers() == {"a"}
    assert PriceProblems([problem], free, 1).blocked_offers() == {"a", "b", "c"}
    assert PriceProblems([], free, 1).free_offers == ["b", "c"]


# zero_prices_suspect: a listed 0 read as unknown, not free (WARN)


def test_zero_prices_suspect_lists_what_was_read_as_unknown() -> None:
    song = offer("lyria", "0").model_copy(update={"zero_prices_unknown": "$0.08 per song"})
    clip = offer("veo", "0").model_copy(update={"zero_prices_unknown": "video output"})
    tts = offer("tts", "0").model_copy(update={"zero_prices_unknown": "audio output"})
    outcome = zero_prices_suspect(normalized(song, clip, tts, offer("chat", "0.000001")))
    assert (outcome.name, outcome.passed, outcome.severity) == (
        "zero_prices_suspect",
        False,
        "WARN",
    )
    assert outcome.summary == (
        "together: 3 models listed at price 0 but billed per song, clip, image or second "
        "(audio/video/music output or a per-unit price in the description), so the 0 is "
        "read as unknown, not free, and these answer unpriced: lyria ($0.08 per song), "
        "veo (video output) and 1 more"
    )
    assert outcome.metadata == {
        "provider": "together",
        "suspect_count": 3,
        "suspect": Table(
            columns=("model", "why the 0 is not free"),
            rows=(
                ("lyria", "$0.08 per song"),
                ("veo", "video output"),
                ("tts", "audio output"),
            ),
            total=3,
        ),
    }
    clean = zero_prices_suspect(normalized(offer("chat", "0.000001")))
    assert (clean.passed, clean.summary) == (
        True,
        "together: no zero price that looks like a per-unit price",
    )
