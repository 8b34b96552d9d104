"""Helpers for parser tests: parse a body exactly as a fetched page is parsed."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from catalog_pipeline.domain.rows import ProviderModel
from catalog_pipeline.providers.fetch import ProviderFetch, parse_payload
from catalog_pipeline.providers.registry import get_provider


def parse(slug: str, body: bytes | str | Any) -> ProviderFetch:
    """Parse a body (bytes, JSON text, or a Python structure) for provider ``slug``."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif not isinstance(body, bytes):
        body = json.dumps(body).encode("utf-8")
    return parse_payload(get_provider(slug), body)


def by_id(fetch: ProviderFetch) -> dict[str, ProviderModel]:
    return {row.provider_model_id: row for row in fetch.rows}


def usd_per_million(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value * 1_000_000).normalize()


def assert_curated_prices_cross_checked(slug: str) -> None:
    """Every curated row of ``slug`` names an https source and how peers confirm it."""
    rows = get_provider(slug).curated_prices
    assert rows
    for row in rows:
        assert row.source_url.startswith("https://"), row
        assert "agrees with" in row.note or "all 0" in row.note, row
