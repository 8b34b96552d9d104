"""A sync's write step in its own process, so a test can SIGKILL it mid-transaction.

``python -m catalog_pipeline_tests.faults.apply_child DATABASE_URL PROVIDER VERSION COUNT``
builds ``COUNT`` offers of version ``VERSION`` (``offer_set``), prints ``ready``, waits for
a line on stdin, prints ``applying``, calls ``CatalogStore.apply_offers`` (one
transaction) and prints ``done`` with the seconds it took. Waiting for ``go`` lets a test
start several children at once and pay the import time only once.
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal

from catalog_pipeline.domain.rows import Offer, Prices


def offer_set(provider: str, version: int, count: int) -> list[Offer]:
    """Version ``v`` of a provider's list: every price differs between versions and the
    set of ids shifts (version 1 drops the first tenth and adds as many new ones)."""
    start = version * count // 10
    factor = Decimal(version + 1)
    return [
        Offer(
            provider_model_id=f"org-{i % 97}/model-{i:06d}",
            provider=provider,
            canonical_id=f"org-{i % 97}/model-{i:06d}",
            publisher=f"org-{i % 97}",
            display_name=f"Model {i}",
            context_length=8192 + i,
            prices=Prices(
                prompt=Decimal("0.0000001") * factor + Decimal(i) / 10**12,
                completion=Decimal("0.0000002") * factor,
            ),
        )
        for i in range(start, start + count)
    ]


def expected(provider: str, version: int, count: int) -> dict[str, Decimal]:
    """What the provider's active rows hold once ``version`` is fully applied."""
    return {o.provider_model_id: o.prices.prompt for o in offer_set(provider, version, count)}


def main() -> None:
    from catalog_pipeline.store.catalog_store import CatalogStore

    url, provider, version, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    offers = offer_set(provider, version, count)
    store = CatalogStore(database_url=url)
    store.engine()
    print("ready", flush=True)
    sys.stdin.readline()
    print("applying", flush=True)
    started = time.monotonic()
    store.apply_offers(provider, offers, None)
    print(f"done {time.monotonic() - started:.3f}", flush=True)


if __name__ == "__main__":
    main()
