"""The curated prices for the first-party group: units converted, sources and peer checks named."""

from __future__ import annotations

import csv
from decimal import Decimal
from importlib import resources

from catalog_pipeline.domain.curated_prices import curated_prices

FILE = "curated_prices_first_party_more.csv"


def _rows() -> list[dict[str, str]]:
    data = resources.files("catalog_pipeline.domain").joinpath("data", FILE)
    with data.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_entry_has_a_source_and_a_peer_cross_check() -> None:
    rows = _rows()
    assert rows
    for row in rows:
        assert row["source_url"].startswith("https://"), row
        assert "agrees with" in row["note"] or "all 0" in row["note"], row


def test_published_prices_become_usd_per_token() -> None:
    prices = curated_prices()
    pro = prices[("google", "models/gemini-2.5-pro")].prices
    assert (pro.prompt, pro.completion, pro.cache_read) == (
        Decimal("0.00000125"),
        Decimal("0.00001"),
        Decimal("0.000000125"),
    )
    command_r7b = prices[("cohere", "command-r7b-12-2024")].prices
    assert command_r7b.prompt == Decimal("0.0000000375")
    assert prices[("moonshot", "moonshot-v1-8k")].prices.completion == Decimal("0.000002")
    assert prices[("alibaba", "qwen-max")].prices.prompt == Decimal("0.0000016")


def test_free_only_where_the_provider_says_so_and_blank_is_unknown() -> None:
    prices = curated_prices()
    assert prices[("zai", "glm-4.5-flash")].prices.prompt == Decimal(0)
    embed = prices[("google", "models/gemini-embedding-001")].prices
    assert embed.prompt == Decimal("0.00000015")
    assert embed.completion is None
