"""Scenario 5: ``Resolver`` on a 20,000-offer catalog: cold load and warm lookups.

The parent writes the catalog to a fresh PostgreSQL database through ``apply_offers``
(10 synthetic providers whose lists overlap, so most models have several offers, plus
offers for every alias target so alias lookups can hit). A child process then measures,
from a cold start: ``store.offers()`` (read) and ``Resolver(rows)`` (index build), and
afterwards warm ``resolve()`` latency over a mix of exact-canonical, exact-provider-id,
alias and normalized requests. Not-found requests are timed separately (they rank
candidates with difflib and are not on the hot path of a gateway).

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

PROVIDERS = 10
PER_PROVIDER = 2_000
LOOKUPS = 200_000
NOT_FOUND_LOOKUPS = 200
STATUSES = ("active", "missing", "deprecated")


def _spec(slug: str):
    from catalog_pipeline.providers.spec import ProviderSpec

    return ProviderSpec(
        slug=slug,
        name=slug,
        family="openai-compatible",
        base_url="https://bench.invalid",
        list_path="/v1/models",
        price_unit="USD per token",
        docs_url="https://bench.invalid/docs",
    )


def build_catalog(url: str, total: int) -> int:
    """Write ~``total`` offers; return the number written."""
    from catalog_pipeline.catalog.aliases import aliases
    from catalog_pipeline.catalog.normalize import normalize_rows
    from catalog_pipeline.catalog.rows import Offer, Prices
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
    store.register_providers([_spec(s) for s in [*slugs, "bench-alias-targets"]])
    written = 0
    for index, slug in enumerate(slugs):
        style = ID_STYLES[index % len(ID_STYLES)]
        offset = index * per_provider // 2
        rows = synthetic_rows(per_provider, seed=index, offset=offset, style=style)
        written += store.apply_offers(slug, normalize_rows(slug, rows), None).rows_written
    written += store.apply_offers("bench-alias-targets", alias_offers, None).rows_written
    return written


def _profile(out_dir: str, store, resolver, texts: list[str]) -> None:
    """pyinstrument profiles of the cold load and of warm lookups (if installed)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return
    from pathlib import Path

    from catalog_pipeline.catalog.resolver import Resolver

    Path(out_dir).mkdir(parents=True, exist_ok=True)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    Resolver(store.offers(STATUSES))
    profiler.stop()
    Path(out_dir, "lookup_cold_load.txt").write_text(profiler.output_text(unicode=False))
    profiler = Profiler(interval=0.0001)
    profiler.start()
    for text in texts:
        resolver.resolve(text)
    profiler.stop()
    Path(out_dir, "lookup_warm_resolve.txt").write_text(profiler.output_text(unicode=False))


def child(url: str, profile_dir: str | None = None) -> dict:
    """Runs in a fresh process: cold load, then warm lookups."""
    t0 = time.perf_counter()
    from catalog_pipeline.catalog.resolver import Resolver
    from catalog_pipeline.store.catalog_store import CatalogStore

    import_seconds = time.perf_counter() - t0
    store = CatalogStore(database_url=url)
    t0 = time.perf_counter()
    rows = store.offers(STATUSES)
    read_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    resolver = Resolver(rows)
    build_seconds = time.perf_counter() - t0

    from catalog_pipeline.catalog.aliases import aliases

    rng = random.Random(5)
    offers = resolver.offers
    canonical = [o.canonical_id for o in offers]
    provider_ids = [
        o.provider_model_id for o in offers if o.provider_model_id.lower() != o.canonical_id
    ]
    alias_keys = list(aliases())
    dated = [f"{c}-20250101" for c in canonical]
    pools = {"canonical": canonical, "provider_id": provider_ids, "alias": alias_keys}
    pools["dated"] = dated
    weights = {"canonical": 0.4, "provider_id": 0.4, "alias": 0.1, "dated": 0.1}
    requests = []
    for kind, share in weights.items():
        pool = pools[kind]
        requests.extend((kind, rng.choice(pool)) for _ in range(int(LOOKUPS * share)))
    rng.shuffle(requests)
    # first pass: warm caches (aliases(), canonical rules) and learn how each one matches
    matches: dict[str, int] = {}
    for _, text in requests[:20_000]:
        answer = resolver.resolve(text)
        key = answer.match if answer.found else "not_found"
        matches[key] = matches.get(key, 0) + 1
    resolve = resolver.resolve
    clock = time.perf_counter_ns
    latencies = [0] * len(requests)
    gc.collect()
    started = clock()
    for index, (_, text) in enumerate(requests):
        t = clock()
        resolve(text)
        latencies[index] = clock() - t
    total_ns = clock() - started
    per_kind: dict[str, list[int]] = {}
    for (kind, _), ns in zip(requests, latencies, strict=True):
        per_kind.setdefault(kind, []).append(ns)
    missing = [f"nobody/unknown-model-{i}" for i in range(NOT_FOUND_LOOKUPS)]
    t0 = time.perf_counter()
    for text in missing:
        resolve(text)
    not_found_seconds = time.perf_counter() - t0
    if profile_dir:
        _profile(profile_dir, store, resolver, [text for _, text in requests[:50_000]])
    return {
        "offers": len(offers),
        "canonical_models": len(set(canonical)),
        "import_seconds": import_seconds,
        "read_seconds": read_seconds,
        "build_seconds": build_seconds,
        "lookups": len(requests),
        "total_seconds": total_ns / 1e9,
        "latencies_ns": sorted(latencies),
        "per_kind_ns": {k: sorted(v) for k, v in per_kind.items()},
        "matches_first_20k": matches,
        "not_found_ms_mean": not_found_seconds / NOT_FOUND_LOOKUPS * 1000,
    }


def run(total: int = 20_000, profile_dir: str | None = None) -> ScenarioResult:
    from benchmarks.common import percentile

    result = ScenarioResult("lookup", f"Resolver on a {total:,}-offer catalog (PostgreSQL)")
    with fresh_database() as url:
        t0 = time.perf_counter()
        written = build_catalog(url, total)
        result.figures["catalog_write_seconds"] = round(time.perf_counter() - t0, 2)
        argv = ["--child", url, *([profile_dir] if profile_dir else [])]
        proc = run_child(python_child("benchmarks.scenario_lookup", *argv), timeout=900)
    data = proc.json()
    lat = data["latencies_ns"]
    cold = data["read_seconds"] + data["build_seconds"]
    result.figures["offers_written"] = written
    result.figures["offers_loaded"] = data["offers"]
    result.figures["canonical_models"] = data["canonical_models"]
    result.figures["cold_import_seconds (not in target)"] = round(data["import_seconds"], 3)
    result.figures["cold_read_seconds"] = round(data["read_seconds"], 3)
    result.figures["cold_index_build_seconds"] = round(data["build_seconds"], 3)
    result.figures["lookups"] = data["lookups"]
    result.figures["lookups_per_second"] = round(data["lookups"] / data["total_seconds"])
    result.figures["p50_us"] = round(percentile(lat, 50) / 1000, 2)
    result.figures["p99_us"] = round(percentile(lat, 99) / 1000, 2)
    result.figures["p999_us"] = round(percentile(lat, 99.9) / 1000, 2)
    for kind, values in data["per_kind_ns"].items():
        result.figures[f"p50/p99_us[{kind}]"] = (
            f"{percentile(values, 50) / 1000:.2f} / {percentile(values, 99) / 1000:.2f}"
        )
    result.figures["how_requests_matched"] = json.dumps(data["matches_first_20k"])
    result.figures["not_found_mean_ms"] = round(data["not_found_ms_mean"], 2)
    result.figures["child_peak_rss_mb"] = round(proc.peak_rss_mb, 1)
    p99 = percentile(lat, 99) / 1000
    result.check("warm resolve p99", p99 < 20, "< 20 us", f"{p99:.2f} us")
    result.check("cold load (read + index)", cold < 1.0, "< 1 s", f"{cold:.3f} s")
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)))
    else:
        print(run().render())
