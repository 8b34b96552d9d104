"""Scenario 5: ``Resolver`` on a 20,000-offer catalog: cold load and warm lookups.

The parent writes the catalog to a fresh PostgreSQL database through ``apply_offers``
(10 synthetic providers whose lists overlap, so most models have several offers, plus
offers for every alias target so alias lookups can hit). Child processes then measure,
from a cold start:

- the store path: ``store.offers()`` (read) and ``Resolver(rows)`` (index build), the way
  the CLI and the asset checks load a resolver;
- the gateway path: ``read_api.read_snapshot`` (rows read in one REPEATABLE READ
  transaction, then ``CatalogSnapshot.build``: the read cache behind ``Catalog.from_url``),
  in its own child so neither path warms the other.

Lookups are timed three ways over one mix of requests as a gateway sends them: canonical
ids with no provider, provider ids with the provider that lists them (``provider=``), alias
spellings, and dated ids that nobody lists (answered as the base of a snapshot). Timed:
*uncached* (a resolver with no answer cache, so every call runs the rules, as every call
did before answers were remembered), *first-time* (each distinct
request once on a fresh resolver: an answer-cache miss) and *cached* (the whole mix again
on that resolver: every request has been answered once). Not-found requests are timed
separately (they rank candidates with difflib and are not on the hot path of a gateway).

Targets: warm p99 < 20 us; cold load (read + index build) < 1 s.
"""

from __future__ import annotations

import gc
import json
import random
import sys
import time
from decimal import Decimal

from benchmarks.common import fresh_database, python_child, run_child
from benchmarks.generate import ID_STYLES, synthetic_rows
from benchmarks.result import ScenarioResult
from catalog_pipeline.pipeline.registration import provider_rows

PROVIDERS = 10
PER_PROVIDER = 2_000
LOOKUPS = 200_000
NOT_FOUND_LOOKUPS = 200
STATUSES = ("active", "missing", "deprecated")


def _spec(slug: str):
    from catalog_pipeline.providers.openai_compatible import OpenAICompatibleAPI
    from catalog_pipeline.providers.spec import ProviderSpec

    return ProviderSpec(
        slug=slug,
        name=slug,
        base_url="https://bench.invalid",
        list_path="/v1/models",
        parser=OpenAICompatibleAPI(),
        price_unit="USD per token",
        docs_url="https://bench.invalid/docs",
    )


def build_catalog(url: str, total: int) -> int:
    """Write ~``total`` offers; return the number written."""
    from catalog_pipeline.domain.aliases import aliases
    from catalog_pipeline.domain.rows import Offer, Prices
    from catalog_pipeline.pipeline.normalize import normalize_rows
    from catalog_pipeline.store.catalog_store import CatalogStore

    store = CatalogStore(database_url=url)
    targets = sorted({entry.canonical_id for entry in aliases().values()})
    alias_offers = [
        Offer(
            provider_model_id=target,
            provider="bench-alias-targets",
            canonical_id=target,
            publisher=target.split("/", 1)[0],
            display_name=target.split("/", 1)[1],
            prices=Prices(prompt=Decimal("0.000001"), completion=Decimal("0.000004")),
        )
        for target in targets
    ]
    per_provider = (total - len(alias_offers)) // PROVIDERS
    slugs = [f"bench-host-{i:02d}" for i in range(PROVIDERS)]
    specs = {s: _spec(s) for s in [*slugs, "bench-alias-targets"]}
    store.register_providers(provider_rows(specs.values()))
    written = 0
    for index, slug in enumerate(slugs):
        style = ID_STYLES[index % len(ID_STYLES)]
        offset = index * per_provider // 2
        rows = synthetic_rows(per_provider, seed=index, offset=offset, style=style)
        written += store.apply_offers(slug, normalize_rows(specs[slug], rows), None).rows_written
    written += store.apply_offers("bench-alias-targets", alias_offers, None).rows_written
    return written


def _profile(out_dir: str, store, resolver, texts: list[tuple[str, str | None]]) -> None:
    """pyinstrument profiles of the cold load and of warm lookups (if installed)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return
    from pathlib import Path

    from catalog_pipeline.domain.resolution import Resolver

    Path(out_dir).mkdir(parents=True, exist_ok=True)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    Resolver(store.offers(STATUSES))
    profiler.stop()
    Path(out_dir, "lookup_cold_load.txt").write_text(profiler.output_text(unicode=False))
    uncached = Resolver.from_offers(resolver.offers, answer_cache=0)
    for name, target in (("uncached", uncached), ("cached", resolver)):
        profiler = Profiler(interval=0.0001)
        profiler.start()
        for text, provider in texts:
            target.resolve(text, provider)
        profiler.stop()
        text_out = profiler.output_text(unicode=False)
        Path(out_dir, f"lookup_warm_resolve_{name}.txt").write_text(text_out)


Request = tuple[str, str, str | None]
"""(kind, requested id, provider named or None)."""


def _requests(offers) -> list[Request]:
    """The lookup mix, shuffled with a fixed seed."""
    from catalog_pipeline.domain.aliases import aliases

    rng = random.Random(5)
    canonical = [(o.canonical_id, None) for o in offers]
    provider_ids = [
        (o.provider_model_id, o.provider)
        for o in offers
        if o.provider_model_id.lower() != o.canonical_id
    ]
    pools = {
        "canonical": canonical,
        "provider_id": provider_ids,
        "alias": [(alias, None) for alias in aliases()],
        "dated": [(f"{c}-20250101", None) for c, _ in canonical],
    }
    weights = {"canonical": 0.4, "provider_id": 0.4, "alias": 0.1, "dated": 0.1}
    requests = []
    for kind, share in weights.items():
        pool = pools[kind]
        requests.extend((kind, *rng.choice(pool)) for _ in range(int(LOOKUPS * share)))
    rng.shuffle(requests)
    return requests


def _timed(resolve, requests: list[Request]) -> tuple[list[int], int]:
    """Each call's latency in ns, and the wall time of the whole loop."""
    clock = time.perf_counter_ns
    latencies = [0] * len(requests)
    gc.collect()
    started = clock()
    for index, (_, text, provider) in enumerate(requests):
        t = clock()
        resolve(text, provider)
        latencies[index] = clock() - t
    return latencies, clock() - started


def _by_kind(requests: list[Request], latencies: list[int]) -> dict[str, list[int]]:
    per_kind: dict[str, list[int]] = {}
    for (kind, _, _), ns in zip(requests, latencies, strict=True):
        per_kind.setdefault(kind, []).append(ns)
    return {kind: sorted(values) for kind, values in per_kind.items()}


def _summary(requests: list[Request], timed: tuple[list[int], int]) -> dict:
    latencies, total_ns = timed
    return {
        "lookups": len(requests),
        "total_seconds": total_ns / 1e9,
        "latencies_ns": sorted(latencies),
        "per_kind_ns": _by_kind(requests, latencies),
    }


def child(url: str, profile_dir: str | None = None) -> dict:
    """Runs in a fresh process: cold load through the store, then warm lookups."""
    t0 = time.perf_counter()
    from catalog_pipeline.domain.resolution import DEFAULT_ANSWER_CACHE, Resolver
    from catalog_pipeline.store.catalog_store import CatalogStore

    import_seconds = time.perf_counter() - t0
    store = CatalogStore(database_url=url)
    t0 = time.perf_counter()
    rows = store.offers(STATUSES)
    read_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    resolver = Resolver(rows)
    build_seconds = time.perf_counter() - t0

    requests = _requests(resolver.offers)
    uncached = Resolver.from_offers(resolver.offers, answer_cache=0)
    # first pass, on the uncached resolver: warms aliases() and the canonical rules, and
    # learns how each request matches, without filling the measured resolver's cache
    matches: dict[str, int] = {}
    for _, text, provider in requests[:20_000]:
        answer = uncached.resolve(text, provider)
        key = f"{answer.status}/{answer.match}"
        matches[key] = matches.get(key, 0) + 1
    uncached_run = _summary(requests, _timed(uncached.resolve, requests))
    first_kind: dict[tuple[str, str | None], str] = {}
    for kind, text, provider in requests:
        first_kind.setdefault((text, provider), kind)
    first_time = [(kind, text, provider) for (text, provider), kind in first_kind.items()]
    first_run = _summary(first_time, _timed(resolver.resolve, first_time))
    cached_run = _summary(requests, _timed(resolver.resolve, requests))
    missing = [f"nobody/unknown-model-{i}" for i in range(NOT_FOUND_LOOKUPS)]
    t0 = time.perf_counter()
    for text in missing:
        resolver.resolve(text)
    not_found_seconds = time.perf_counter() - t0
    if profile_dir:
        _profile(profile_dir, store, resolver, [(t, p) for _, t, p in requests[:50_000]])
    return {
        "offers": len(resolver.offers),
        "canonical_models": len({o.canonical_id for o in resolver.offers}),
        "import_seconds": import_seconds,
        "read_seconds": read_seconds,
        "build_seconds": build_seconds,
        "answer_cache": DEFAULT_ANSWER_CACHE,
        "uncached": uncached_run,
        "first_time": first_run,
        "cached": cached_run,
        "matches_first_20k": matches,
        "not_found_ms_mean": not_found_seconds / NOT_FOUND_LOOKUPS * 1000,
    }


def snapshot_child(url: str) -> dict:
    """Runs in a fresh process: the gateway's cold load (``Catalog.from_url``'s first read)."""
    t0 = time.perf_counter()
    from catalog_pipeline.read_api import read_snapshot, reader_engine

    import_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    snapshot = read_snapshot(reader_engine(url))
    return {
        "models": len(snapshot.models),
        "import_seconds": import_seconds,
        "load_seconds": time.perf_counter() - t0,
    }


def _latency_figures(result: ScenarioResult, label: str, run: dict) -> float:
    """Record one timed run's figures; return its p99 in us."""
    from benchmarks.common import percentile

    lat = run["latencies_ns"]
    result.figures[f"{label}lookups"] = run["lookups"]
    result.figures[f"{label}lookups_per_second"] = round(run["lookups"] / run["total_seconds"])
    for q in (50, 99, 99.9):
        result.figures[f"{label}p{str(q).replace('.', '')}_us"] = round(
            percentile(lat, q) / 1000, 2
        )
    for kind, values in run["per_kind_ns"].items():
        result.figures[f"{label}p50/p99_us[{kind}]"] = (
            f"{percentile(values, 50) / 1000:.2f} / {percentile(values, 99) / 1000:.2f}"
        )
    return percentile(lat, 99) / 1000


def run(total: int = 20_000, profile_dir: str | None = None) -> ScenarioResult:
    result = ScenarioResult("lookup", f"Resolver on a {total:,}-offer catalog (PostgreSQL)")
    with fresh_database() as url:
        t0 = time.perf_counter()
        written = build_catalog(url, total)
        result.figures["catalog_write_seconds"] = round(time.perf_counter() - t0, 2)
        argv = ["--child", url, *([profile_dir] if profile_dir else [])]
        proc = run_child(python_child("benchmarks.scenario_lookup", *argv), timeout=900)
        gateway = run_child(
            python_child("benchmarks.scenario_lookup", "--snapshot-child", url), timeout=900
        )
    data = proc.json()
    snap = gateway.json()
    cold = data["read_seconds"] + data["build_seconds"]
    gateway_cold = snap["load_seconds"]
    result.figures["offers_written"] = written
    result.figures["offers_loaded"] = data["offers"]
    result.figures["canonical_models"] = data["canonical_models"]
    result.figures["cold_import_seconds (not in target)"] = round(data["import_seconds"], 3)
    result.figures["cold_read_seconds"] = round(data["read_seconds"], 3)
    result.figures["cold_index_build_seconds"] = round(data["build_seconds"], 3)
    result.figures["gateway_models_loaded"] = snap["models"]
    result.figures["gateway_cold_import_seconds (not in target)"] = round(snap["import_seconds"], 3)
    result.figures["gateway_cold_load_seconds (read_snapshot)"] = round(gateway_cold, 3)
    result.figures["answer_cache_size"] = data["answer_cache"]
    result.figures["distinct_requests"] = data["first_time"]["lookups"]
    cached_p99 = _latency_figures(result, "", data["cached"])
    first_p99 = _latency_figures(result, "first_time_", data["first_time"])
    uncached_p99 = _latency_figures(result, "uncached_", data["uncached"])
    result.figures["how_requests_matched"] = json.dumps(data["matches_first_20k"])
    result.figures["not_found_mean_ms"] = round(data["not_found_ms_mean"], 2)
    result.figures["child_peak_rss_mb"] = round(proc.peak_rss_mb, 1)
    result.figures["gateway_child_peak_rss_mb"] = round(gateway.peak_rss_mb, 1)
    result.check("warm resolve p99 (cached)", cached_p99 < 20, "< 20 us", f"{cached_p99:.2f} us")
    result.check("first-time resolve p99", first_p99 < 100, "< 100 us", f"{first_p99:.2f} us")
    result.check(
        "uncached resolve p99 (rules run on every call)",
        uncached_p99 < 20,
        "< 20 us",
        f"{uncached_p99:.2f} us",
    )
    result.check("cold load (read + index)", cold < 1.0, "< 1 s", f"{cold:.3f} s")
    result.check(
        "gateway cold load (read + snapshot)", gateway_cold < 1.0, "< 1 s", f"{gateway_cold:.3f} s"
    )
    if data["first_time"]["lookups"] > data["answer_cache"]:
        result.notes.append(
            "more distinct requests than the answer cache holds: some cached-run calls missed"
        )
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)))
    elif sys.argv[1:2] == ["--snapshot-child"]:
        print(json.dumps(snapshot_child(sys.argv[2])))
    else:
        print(run().render())
