"""Scenario 4: write throughput of ``CatalogStore.apply_offers`` on PostgreSQL.

100,000 synthetic normalized offers of one provider are applied to an empty models table
(normalization computes each offer's content hash, so it counts in
``generate_and_normalize_seconds``, not in the applies);
in the same run the same rows are written with a plain ``COPY`` (psycopg) into an empty
copy of the models table (``CREATE TABLE ... (LIKE models INCLUDING ALL)``: same columns,
unique constraint and indexes). Then the same offers are applied again: nothing changed
upstream, so no model row may be written. Last, the way a Dagster sync applies: the
provider's rows read once (``stored_offers``, as the fetch step does for its checks) and
carried to the apply, which then reads no model rows itself.

Targets: apply rate >= half the COPY rate; the second apply writes 0 model rows and takes
under a fifth of the first.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from benchmarks.common import fresh_database
from benchmarks.generate import synthetic_rows
from benchmarks.result import ScenarioResult
from catalog_pipeline.pipeline.registration import provider_rows

SLUG = "bench-writes"


def bench_spec():
    from catalog_pipeline.providers.openai_compatible import OpenAICompatibleAPI
    from catalog_pipeline.providers.spec import ProviderSpec

    return ProviderSpec(
        slug=SLUG,
        name="Benchmark writes",
        base_url="https://bench.invalid",
        list_path="/v1/models",
        parser=OpenAICompatibleAPI(),
        price_unit="USD per token",
        docs_url="https://bench.invalid/docs",
    )


def _copy_rows(offers, provider_id: int) -> tuple[tuple[str, ...], list[tuple]]:
    """The exact column values ``apply_offers`` inserts for each offer, as COPY tuples.

    Built by the store's own row builder, content hash (computed by normalization) and
    timestamps included; psycopg formats the timestamps here for every row, as the
    executemany path would.
    """
    from catalog_pipeline.store.apply import MODEL_INSERT_COLUMNS, new_model_rows

    now = dt.datetime.now(dt.UTC)
    return MODEL_INSERT_COLUMNS, list(new_model_rows(offers, provider_id, now))


def copy_baseline(url: str, offers, provider_id: int) -> tuple[float, int]:
    """Seconds to COPY the rows into an empty copy of ``models`` (committed)."""
    import psycopg
    from sqlalchemy.engine import make_url

    columns, rows = _copy_rows(offers, provider_id)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        conn.execute("DROP TABLE IF EXISTS models_copy_bench")
        conn.execute("CREATE TABLE models_copy_bench (LIKE models INCLUDING ALL)")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur:
            names = ", ".join(columns)
            with cur.copy(f"COPY models_copy_bench ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        conn.commit()
        seconds = time.perf_counter() - started
        count = conn.execute("SELECT count(*) FROM models_copy_bench").fetchone()[0]
        conn.execute("DROP TABLE models_copy_bench")
        conn.commit()
    return seconds, count


def run(count: int = 100_000, profile_dir: str | None = None) -> ScenarioResult:
    from sqlalchemy import func, select

    from catalog_pipeline.pipeline.normalize import normalize_rows
    from catalog_pipeline.store import schema
    from catalog_pipeline.store.catalog_store import CatalogStore

    result = ScenarioResult("write", f"apply_offers of {count:,} offers vs plain COPY (PostgreSQL)")
    t0 = time.perf_counter()
    rows = synthetic_rows(count)
    offers = normalize_rows(bench_spec(), rows)
    result.figures["generate_and_normalize_seconds"] = round(time.perf_counter() - t0, 2)
    with fresh_database() as url:
        store = CatalogStore(database_url=url)
        store.register_providers(provider_rows([bench_spec()]))
        with store.engine().connect() as conn:
            provider_id = conn.execute(
                select(schema.providers.c.id).where(schema.providers.c.slug == SLUG)
            ).scalar_one()
        copy_seconds, copied = copy_baseline(url, offers, provider_id)

        started = time.perf_counter()
        first = store.apply_offers(SLUG, offers, None)
        first_seconds = time.perf_counter() - started

        started = time.perf_counter()
        second = store.apply_offers(SLUG, offers, None)
        second_seconds = time.perf_counter() - started

        started = time.perf_counter()
        stored = store.stored_offers(SLUG)
        stored_read_seconds = time.perf_counter() - started
        started = time.perf_counter()
        carried = store.apply_offers(SLUG, offers, None, stored)
        carried_seconds = time.perf_counter() - started

        with store.engine().connect() as conn:
            history_rows = conn.execute(
                select(func.count()).select_from(schema.price_history)
            ).scalar_one()
        if profile_dir:
            _profile_apply(store, offers, profile_dir)

    copy_rate = copied / copy_seconds
    apply_rate = count / first_seconds
    result.figures["copy_seconds"] = round(copy_seconds, 3)
    result.figures["copy_rows_per_second"] = round(copy_rate)
    result.figures["apply_first_seconds"] = round(first_seconds, 3)
    result.figures["apply_first_rows_written"] = first.rows_written
    result.figures["apply_first_rows_per_second"] = round(apply_rate)
    result.figures["price_history_rows"] = history_rows
    result.figures["apply_second_seconds"] = round(second_seconds, 3)
    result.figures["apply_second_rows_written"] = second.rows_written
    result.figures["apply_second_unchanged"] = second.unchanged
    result.figures["stored_read_seconds"] = round(stored_read_seconds, 3)
    result.figures["apply_carried_seconds"] = round(carried_seconds, 3)
    result.figures["apply_carried_rows_written"] = carried.rows_written
    ratio = apply_rate / copy_rate
    result.check(
        "apply rate vs COPY rate",
        ratio >= 0.5,
        ">= 0.50 x COPY",
        f"{ratio:.2f} x COPY ({apply_rate:,.0f} vs {copy_rate:,.0f} rows/s)",
        f"{'' if ratio >= 0.5 else f'needs {0.5 / ratio:.1f}x faster'}",
    )
    result.check(
        "no-change apply writes nothing",
        second.rows_written == 0,
        "0 model rows",
        f"{second.rows_written} rows",
    )
    result.check(
        "no-change apply with the carried read writes nothing",
        carried.rows_written == 0,
        "0 model rows",
        f"{carried.rows_written} rows",
    )
    result.check(
        "no-change apply time",
        second_seconds < first_seconds / 5,
        f"< {first_seconds / 5:.2f} s (first / 5)",
        f"{second_seconds:.2f} s ({second_seconds / first_seconds:.2f} of first)",
    )
    return result


def _profile_apply(store, offers, out_dir: str) -> None:
    """pyinstrument profile of a first apply (into a second provider), if installed."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return
    from pathlib import Path

    other = bench_spec().model_copy(update={"slug": SLUG + "-profiled"})
    store.register_providers(provider_rows([other]))
    renamed = [o.model_copy(update={"provider": other.slug}) for o in offers]
    for offer in renamed:
        offer.content_hash  # noqa: B018 - as normalization computes it, outside the profile
    profiler = Profiler(interval=0.001)
    profiler.start()
    store.apply_offers(other.slug, renamed, None)
    profiler.stop()
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    Path(out_dir, "write_apply_offers.txt").write_text(
        profiler.output_text(unicode=False, color=False, show_all=False)
    )


if __name__ == "__main__":
    print(run(profile_dir=sys.argv[1] if len(sys.argv) > 1 else None).render())
