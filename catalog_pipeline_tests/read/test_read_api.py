"""The read client on SQLite and real PostgreSQL: answers, caching by version, consistency."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import text

from catalog_pipeline import Catalog, CatalogUnavailable
from catalog_pipeline.domain.rows import PRICE_FIELDS, ModelType, Offer, Prices, ProviderModel
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.providers.registry import PROVIDERS, get_provider
from catalog_pipeline.read_api import ALL_STATUSES, consistent_read, read_rows, reader_engine
from catalog_pipeline.store.catalog_store import CatalogStore


def model(
    model_id: str, prompt: str | None, completion: str | None = None, **extra
) -> ProviderModel:
    prices = Prices(
        prompt=Decimal(prompt) if prompt is not None else None,
        completion=Decimal(completion) if completion is not None else None,
    )
    return ProviderModel(provider_model_id=model_id, prices=prices, **extra)


def offers(provider: str, *rows: ProviderModel) -> list[Offer]:
    """Offers exactly as the pipeline normalizes them (canonical ids, names, curated prices)."""
    return normalize_rows(get_provider(provider), list(rows))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(database_url: str) -> CatalogStore:
    store = CatalogStore(database_url=database_url)
    store.register_providers(provider_rows(PROVIDERS))
    store.apply_offers(
        "together",
        offers(
            "together",
            model("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.00000088", "0.00000088"),
            model("deepseek-ai/DeepSeek-V3.1", "0.0000006", "0.0000017"),
            model(
                "Qwen/Qwen2.5-VL-72B-Instruct",
                "0.00000195",
                "0.000008",
                input_modalities=("text", "image"),
                capabilities=("vision",),
            ),
            model("BAAI/bge-large-en-v1.5", "0.00000002", None, model_type=ModelType.EMBEDDING),
        ),
        None,
    )
    store.apply_offers(
        "deepinfra",
        offers(
            "deepinfra",
            model("deepseek-ai/DeepSeek-V3.1", "0.0000003", "0.000001"),
            model("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.0000001", "0.00000032"),
        ),
        None,
    )
    store.apply_offers(
        "groq",
        offers("groq", model("llama-3.3-70b-versatile", None), model("some-unpriced-model", None)),
        None,
    )
    return store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def catalog(store: CatalogStore, clock: Clock) -> Iterator[Catalog]:
    with Catalog(reader_engine(store.url), refresh_interval=30, clock=clock, owns_engine=True) as c:
        yield c


def test_resolve_and_price_use_the_resolver_rules(catalog: Catalog) -> None:
    resolution = catalog.resolve("deepseek-ai/DeepSeek-V3.1", provider="deepinfra")
    assert resolution.found and resolution.match == "exact"
    assert resolution.canonical_id == "deepseek/deepseek-v3.1"
    answer = catalog.price("deepseek-ai/DeepSeek-V3.1", provider="together")
    assert answer.status == "priced" and not answer.default_used
    assert answer.prompt == Decimal("0.0000006") and answer.completion == Decimal("0.0000017")
    assert answer.provider == "together" and answer.catalog_version == catalog.version
    assert answer.as_json()["pricing"]["prompt"] == "0.0000006"
    assert isinstance(resolution.prices.prompt, Decimal)


def test_read_rows_reads_what_the_store_reads(store: CatalogStore) -> None:
    """The read client converts prices once per distinct value, to the same Decimals."""
    engine = reader_engine(store.url)
    try:
        with consistent_read(engine) as conn:
            rows = read_rows(conn)
    finally:
        engine.dispose()
    stored = store.offers(ALL_STATUSES)
    assert len(rows) == len(stored) == 8
    for row, expected in zip(rows, stored, strict=True):
        assert row == {name: expected[name] for name in row}
        for name in PRICE_FIELDS:
            value = row[name]
            assert value is None or value.as_tuple() == expected[name].as_tuple()


def test_the_read_client_does_not_import_dagster() -> None:
    """A gateway process stays small: no Dagster modules, and no heap for full GCs to scan."""
    probe = "import sys, catalog_pipeline.read_api; print('dagster' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_unknown_model_says_why_and_lists_candidates_never_a_price(catalog: Catalog) -> None:
    answer = catalog.price("deepseek-ai/deepseek-v3.2")
    assert answer.status == "not_found" and answer.prices.is_unpriced()
    assert "deepseek-v3.2" in (answer.reason or "")
    assert "deepseek/deepseek-v3.1" in answer.candidates
    assert answer.canonical_id is None and not answer.default_used


def test_a_default_price_is_explicit_and_reported(catalog: Catalog) -> None:
    fallback = Prices(prompt=Decimal("0.00001"), completion=Decimal("0.00003"))
    unknown = catalog.price("no-such/model", default=fallback)
    assert unknown.status == "default" and unknown.default_used
    assert unknown.prompt == Decimal("0.00001") and "default" in (unknown.reason or "")
    unpriced = catalog.price("some-unpriced-model", provider="groq", default=fallback)
    assert unpriced.status == "default" and unpriced.provider == "groq"
    assert catalog.price("some-unpriced-model", provider="groq").status == "unpriced"
    priced = catalog.price("deepseek-ai/DeepSeek-V3.1", provider="deepinfra", default=fallback)
    assert priced.status == "priced" and priced.prompt == Decimal("0.0000003")


def test_offers_lists_every_provider_cheapest_first(catalog: Catalog) -> None:
    found = catalog.offers("deepseek/deepseek-v3.1")
    assert [(o.provider, o.prices.prompt) for o in found] == [
        ("deepinfra", Decimal("0.0000003")),
        ("together", Decimal("0.0000006")),
    ]
    llama = catalog.offers("META/Llama-3.3-70B-Instruct-Turbo")
    assert [o.provider for o in llama] == ["deepinfra", "together"]
    assert catalog.offers("nobody/nothing") == []


def test_list_filters(catalog: Catalog) -> None:
    assert {m.provider for m in catalog.list()} == {"together", "deepinfra", "groq"}
    assert len(catalog.list(provider="together")) == 4
    vision = catalog.list(capability="vision")
    assert [m.provider_model_id for m in vision] == ["Qwen/Qwen2.5-VL-72B-Instruct"]
    assert [m.provider_model_id for m in catalog.list(modality="image")] == [
        "Qwen/Qwen2.5-VL-72B-Instruct"
    ]
    embeddings = catalog.list(model_type="embedding")
    assert [m.provider_model_id for m in embeddings] == ["BAAI/bge-large-en-v1.5"]
    assert catalog.list(provider="groq", status="deprecated") == []


def test_version_bump_makes_readers_reload_and_only_then(
    store: CatalogStore, catalog: Catalog, clock: Clock
) -> None:
    assert catalog.price("BAAI/bge-large-en-v1.5").prompt == Decimal("0.00000002")
    first = catalog.version
    assert first == store.catalog_version() and catalog.reloads == 1
    summary = store.apply_offers(
        "together", offers("together", model("BAAI/bge-large-en-v1.5", "0.00000003")), None
    )
    assert summary.catalog_version == first + 1
    # within the interval: no database round trip, the cached catalog answers
    assert catalog.price("BAAI/bge-large-en-v1.5").prompt == Decimal("0.00000002")
    assert catalog.version_checks == 0
    clock.now += 31
    assert catalog.price("BAAI/bge-large-en-v1.5").prompt == Decimal("0.00000003")
    assert catalog.version == first + 1 and catalog.reloads == 2
    assert catalog.list(provider="together") and len(catalog.list(provider="together")) == 1
    # an unchanged catalog is checked, not reloaded
    clock.now += 31
    catalog.price("BAAI/bge-large-en-v1.5")
    assert catalog.version_checks == 2 and catalog.reloads == 2


def test_read_errors_keep_the_last_good_catalog(
    store: CatalogStore, catalog: Catalog, clock: Clock
):
    catalog.refresh()
    with store.engine().begin() as conn:
        conn.execute(text("ALTER TABLE catalog_meta RENAME TO catalog_meta_away"))
    try:
        clock.now += 31
        answer = catalog.price("deepseek-ai/DeepSeek-V3.1", provider="deepinfra")
        assert answer.status == "priced" and catalog.last_error is not None
        assert "catalog_meta" in catalog.last_error
    finally:
        with store.engine().begin() as conn:
            conn.execute(text("ALTER TABLE catalog_meta_away RENAME TO catalog_meta"))
    clock.now += 31
    catalog.price("deepseek-ai/DeepSeek-V3.1")
    assert catalog.last_error is None


def test_an_empty_database_is_reported_not_served(tmp_path) -> None:
    with (
        Catalog.from_url(f"sqlite:///{tmp_path / 'empty.db'}") as catalog,
        pytest.raises(CatalogUnavailable, match="catalog-pipeline sync"),
    ):
        catalog.price("gpt-4o")


GENERATIONS = 40
MODELS_PER_GENERATION = 60
READERS = 4


def generation_offers(generation: int) -> list[Offer]:
    """All rows of one generation share one price; the id set changes with the generation."""
    price = f"0.000000{generation + 10}"
    ids = [f"acme/model-{i}" for i in range(MODELS_PER_GENERATION)]
    ids.append(f"acme/only-in-{generation % 2}")
    return offers("together", *(model(i, price, price) for i in ids))


def expected_active_ids(generation: int) -> set[str]:
    return {f"acme/model-{i}" for i in range(MODELS_PER_GENERATION)} | {
        f"acme/only-in-{generation % 2}"
    }


def test_readers_during_syncs_see_the_old_or_the_new_catalog_never_a_mix(
    store: CatalogStore,
) -> None:
    """A writer applies provider updates repeatedly; many reader threads check invariants."""
    version_to_generation: dict[int, int] = {}
    summary = store.apply_offers("together", generation_offers(0), None)
    version_to_generation[summary.catalog_version] = 0
    stop = threading.Event()
    problems: list[str] = []
    observed: list[tuple[int, int | None, Decimal | None]] = []
    lock = threading.Lock()

    def writer() -> None:
        try:
            for generation in range(1, GENERATIONS):
                result = store.apply_offers("together", generation_offers(generation), None)
                with lock:
                    version_to_generation[result.catalog_version] = generation
        except Exception as exc:  # pragma: no cover - reported below
            problems.append(f"writer: {exc!r}")
        finally:
            stop.set()

    def reader(catalog: Catalog) -> None:
        try:
            while not stop.is_set():
                snap = catalog.snapshot()
                rows = [
                    r for r in snap.rows if r["provider"] == "together" and r["status"] == "active"
                ]
                prices = {r["prompt"] for r in rows}
                if len(prices) != 1:
                    problems.append(f"version {snap.version}: mixed prices {sorted(prices)}")
                    continue
                (price,) = prices
                generation = int(price * 10**8) - 10
                ids = {r["provider_model_id"] for r in rows}
                if ids != expected_active_ids(generation):
                    problems.append(f"version {snap.version}: ids of another generation")
                answer = catalog.price("acme/model-7", provider="together")
                with lock:
                    observed.append((snap.version, generation, None))
                    observed.append((answer.catalog_version, None, answer.prompt))
        except Exception as exc:  # pragma: no cover - reported below
            problems.append(f"reader: {exc!r}")

    catalogs = [Catalog(reader_engine(store.url), refresh_interval=0) for _ in range(READERS)]
    threads = [threading.Thread(target=reader, args=(c,)) for c in catalogs]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for catalog in catalogs:
        catalog.close()
    assert not problems, problems[:5]
    seen_versions = {version for version, _, _ in observed}
    assert len(seen_versions) >= 3, "readers must have seen several committed catalogs"
    for version, generation, prompt in observed:
        expected = version_to_generation[version]
        if generation is not None:
            assert generation == expected, f"version {version} served generation {generation}"
        else:
            assert prompt == Decimal(f"0.000000{expected + 10}")


def test_concurrent_lookups_on_one_shared_client(store: CatalogStore) -> None:
    """Many threads share one client that checks the version on every call."""
    catalog = Catalog(reader_engine(store.url), refresh_interval=0, owns_engine=True)
    expected = {
        "deepseek-ai/DeepSeek-V3.1": Decimal("0.0000003"),
        "meta-llama/Llama-3.3-70B-Instruct-Turbo": Decimal("0.0000001"),
    }
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def lookups() -> None:
        barrier.wait()
        for _ in range(150):
            for model_id, prompt in expected.items():
                answer = catalog.price(model_id, provider="deepinfra")
                if answer.prompt != prompt:
                    errors.append(f"{model_id}: {answer.prompt}")
            if len(catalog.offers("deepseek/deepseek-v3.1")) != 2:
                errors.append("offers")
            if catalog.price("missing/model").status != "not_found":
                errors.append("not_found")

    threads = [threading.Thread(target=lookups) for _ in range(8)]
    for thread in threads:
        thread.start()
    for _ in range(5):  # unrelated syncs bump the version while the lookups run
        store.apply_offers(
            "groq",
            offers("groq", model("llama-3.3-70b-versatile", None), model(f"x{_}", None)),
            None,
        )
    for thread in threads:
        thread.join(timeout=120)
    catalog.close()
    assert not errors, errors[:5]
    assert catalog.version == store.catalog_version()


# The classes of the billing-grade resolution issue, through the Catalog on both databases.


@pytest.fixture
def billing(database_url: str) -> Iterator[Catalog]:
    """Offers whose prices differ where the issue found wrong answers."""
    store = CatalogStore(database_url=database_url)
    store.register_providers(provider_rows(PROVIDERS))
    listed = {
        "together": [model("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.00000088", "0.00000088")],
        "deepinfra": [model("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.0000001", "0.00000032")],
        "groq": [model("openai/gpt-oss-120b", None)],
        "cerebras": [model("gpt-oss-120b", "0.00000035", "0.00000075")],
        "openrouter": [
            model("openai/gpt-4o", "0.0000025", "0.00001"),
            model("openai/gpt-4o-2024-05-13", "0.000005", "0.000015"),
            model("mistralai/mistral-large", "0.000002", "0.000006"),
            model("mistralai/mistral-large-2512", "0.0000005", "0.0000015"),
            model("anthropic/claude-opus-4.6", "0.000005", "0.000025"),
        ],
        "openai": [model("gpt-4o", "0.0000025", "0.00001"), model("gpt-4o-2024-05-13", None)],
        "anthropic": [
            model("claude-sonnet-4-5-20250929", "0.000003", "0.000015"),
            model("claude-opus-4-6", None),
        ],
        "aihubmix": [model("claude-sonnet-4-5", "0.0000024", "0.000012")],
    }
    for slug, rows in listed.items():
        store.apply_offers(slug, offers(slug, *rows), None)
    with Catalog(reader_engine(store.url), refresh_interval=30, owns_engine=True) as catalog:
        yield catalog


def test_a_provider_named_in_the_id_binds(billing: Catalog) -> None:
    together = billing.price("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert (together.status, together.provider) == ("priced", "together")
    assert together.prompt == Decimal("0.00000088")
    groq = billing.price("groq/openai/gpt-oss-120b")
    assert (groq.status, groq.provider, groq.prompt) == ("unpriced", "groq", None)
    nebius = billing.price("nebius/meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert nebius.status == "not_found" and nebius.provider == "nebius"
    assert {a.offer.provider for a in nebius.alternatives} == {"together", "deepinfra"}
    opted = billing.price(
        "meta-llama/Llama-3.3-70B-Instruct-Turbo", provider="nebius", fallback="any_provider"
    )
    assert (opted.provider, opted.match) == ("together", "fallback_any_provider")


def test_dated_snapshots_keep_their_own_price(billing: Catalog) -> None:
    pinned = billing.price("gpt-4o-2024-05-13", provider="openrouter")
    assert (pinned.provider_model_id, pinned.prompt) == (
        "openai/gpt-4o-2024-05-13",
        Decimal("0.000005"),
    )
    at_openai = billing.price("gpt-4o-2024-05-13", provider="openai")
    assert (at_openai.status, at_openai.provider_model_id) == ("unpriced", "gpt-4o-2024-05-13")
    base = billing.price("gpt-4o-2024-06-01", provider="openrouter")
    assert (base.match, base.provider_model_id) == ("base_of_snapshot", "openai/gpt-4o")


def test_latest_follows_the_sourced_alias(billing: Catalog) -> None:
    answer = billing.price("mistral-large-latest")
    assert (answer.match, answer.provider_model_id) == (
        "moving_alias",
        "mistralai/mistral-large-2512",
    )
    assert answer.prompt == Decimal("0.0000005")


def test_no_provider_named_follows_one_precedence(billing: Catalog) -> None:
    sonnet = billing.price("claude-sonnet-4-5")
    assert (sonnet.provider, sonnet.chosen_by) == ("anthropic", "publisher")
    assert sonnet.prompt == Decimal("0.000003")  # not aihubmix's $2.40
    opus = billing.price("claude-opus-4-6")
    assert (opus.status, opus.provider) == ("unpriced", "anthropic")
    assert [a.offer.provider for a in opus.alternatives] == ["openrouter"]
    llama = billing.price("meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert llama.status == "ambiguous" and llama.prompt is None
    assert billing.resolve("gpt-oss-120b").status == "ambiguous"


def test_candidates_and_lookalikes(billing: Catalog) -> None:
    answer = billing.resolve("llama-3.3-70b")
    assert answer.status == "not_found"
    assert answer.candidates[0] == "meta/llama-3.3-70b-instruct-turbo"
    assert billing.resolve("\u212aimi-k2").candidates == ()
