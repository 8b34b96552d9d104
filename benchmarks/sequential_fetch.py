"""Child process: fetch providers one after another (the old system's way), print JSON.

``python -m benchmarks.sequential_fetch BASE_URL slug,slug,...``: for each provider,
``fetch_provider`` with a ``ProviderClient`` pointed at the replay server; no Dagster, no
database. Prints ``{"total_seconds", "providers": {slug: {...}}}`` on its last line.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    from catalog_pipeline.providers.client import BASE_URL_ENV, ProviderClient
    from catalog_pipeline.providers.errors import ProviderError
    from catalog_pipeline.providers.fetch import fetch_provider
    from catalog_pipeline.providers.registry import get_provider

    base_url, slugs = argv[0], [s for s in argv[1].split(",") if s]
    os.environ[BASE_URL_ENV] = base_url
    client = ProviderClient(require_api_keys=False)
    results: dict[str, dict] = {}
    started = time.perf_counter()
    for slug in slugs:
        t0 = time.perf_counter()
        try:
            fetch = fetch_provider(client, get_provider(slug))
        except ProviderError as exc:
            results[slug] = {"ok": False, "error": exc.message, "seconds": time.perf_counter() - t0}
            continue
        results[slug] = {
            "ok": True,
            "models": len(fetch.rows),
            "rejected": fetch.rejected_count,
            "pages": len(fetch.pages),
            "bytes": sum(p.size for p in fetch.pages),
            "seconds": round(time.perf_counter() - t0, 3),
        }
        del fetch
    total = time.perf_counter() - started
    print(json.dumps({"total_seconds": round(total, 3), "providers": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
