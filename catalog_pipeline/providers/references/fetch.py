"""Fetch one reference source's file and read it into observations.

The same client as the providers' (retries with backoff, the fetch deadline, bounded
decoding, the ``CATALOG_PROVIDER_BASE_URL`` rewrite to ``$URL/<slug>/<path>``) and the
same streaming reader with its depth and number limits; the page is archived gzipped like a
provider's. An entry that fails validation is a rejected row, counted; an entry whose
provider the mapping table does not name is skipped (``unmatched``); a body that is not
the documented JSON, or that prices nothing the roster serves, fails the fetch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import IO

from pydantic import ValidationError

from catalog_pipeline.domain.references import ReferenceObservation
from catalog_pipeline.domain.rows import RejectedRow
from catalog_pipeline.providers.client import FetchedPage, ProviderClient
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.fetch import MAX_REJECTED_KEPT, RawPage, _error_text, _raw
from catalog_pipeline.providers.references.source import ReferenceSource
from catalog_pipeline.providers.wire import PageReader, PayloadError


@dataclass
class ReferenceFetch:
    source: str
    fetched_at: dt.datetime
    url: str
    observations: list[ReferenceObservation] = field(default_factory=list)
    entries: int = 0
    unmatched: int = 0
    duplicates: int = 0
    rejected_count: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    page: RawPage | None = None
    elapsed_seconds: float = 0.0

    @property
    def item_count(self) -> int:
        return self.entries + self.rejected_count


def fetch_reference(client: ProviderClient, source: ReferenceSource) -> ReferenceFetch:
    try:
        return _fetch(client, source)
    except ProviderError as error:
        error.subject = "reference source"
        error.args = (error.message,)
        raise


def _fetch(client: ProviderClient, source: ReferenceSource) -> ReferenceFetch:
    spec = source.spec
    fetched_at = dt.datetime.now(dt.UTC)
    with client.session(spec) as session:
        page = session.get_page(spec.first_request())
        try:
            result = read_reference(source, page.body, fetched_at, page.url, page.status)
            result.page = _raw(page, [], 0)
        finally:
            page.body.close()
    result.elapsed_seconds = page.elapsed_seconds
    return require_observations(source, result)


def parse_reference(
    source: ReferenceSource, body: bytes, fetched_at: dt.datetime | None = None
) -> ReferenceFetch:
    """Read a recorded file exactly as a fetched one (tests, conformance)."""
    when = fetched_at or dt.datetime.now(dt.UTC)
    result = read_reference(source, io.BytesIO(body), when, f"recorded:{source.slug}", 200)
    result.page = _raw(
        FetchedPage(
            request=source.spec.first_request(),
            url=result.url,
            status=200,
            body=io.BytesIO(body),
            sha256=hashlib.sha256(body).hexdigest(),
            size=len(body),
            attempts=1,
            elapsed_seconds=0.0,
        ),
        [],
        0,
    )
    return result


def read_reference(
    source: ReferenceSource, body: IO[bytes], fetched_at: dt.datetime, url: str, status: int
) -> ReferenceFetch:
    result = ReferenceFetch(source=source.slug, fetched_at=fetched_at, url=url)
    reader = PageReader(body, source.items_key, map_items=source.map_items)
    seen: set[tuple[str, str]] = set()
    try:
        for index, item in enumerate(reader.items()):
            try:
                entries = source.parse_item(reader.item_key, item)
            except (ValidationError, ValueError, ArithmeticError) as exc:
                _reject(result, index, reader.item_key, _error_text(exc))
                continue
            for entry in entries:
                result.entries += 1
                observation = source.observation(entry, fetched_at)
                if observation is None:
                    result.unmatched += 1
                    continue
                key = (observation.provider, observation.provider_model_id)
                if key in seen:
                    result.duplicates += 1
                    continue
                seen.add(key)
                result.observations.append(observation)
    except PayloadError as exc:
        raise ProviderError(
            source.slug,
            FailureKind.PAYLOAD,
            str(exc),
            "The reference file is not the documented JSON; the stored prices stay.",
            url=url,
            status=status,
        ) from exc
    if not reader.items_found:
        raise ProviderError(
            source.slug,
            FailureKind.PAYLOAD,
            f"expected a JSON {'object' if source.map_items else 'array'}, "
            f"got {reader.top_level or 'nothing'}",
            "The file's format changed or the URL points elsewhere.",
            url=url,
            status=status,
        )
    return result


def require_observations(source: ReferenceSource, result: ReferenceFetch) -> ReferenceFetch:
    if not result.observations:
        raise ProviderError(
            source.slug,
            FailureKind.EMPTY,
            f"priced none of the roster's models ({result.entries} entries, "
            f"{result.rejected_count} rejected)",
            "An empty reference is never stored; the previous observations stay.",
            url=result.url,
        )
    return result


def _reject(result: ReferenceFetch, index: int, key: str | None, error: str) -> None:
    result.rejected_count += 1
    if len(result.rejected) < MAX_REJECTED_KEPT:
        result.rejected.append(
            RejectedRow(index=index, provider_model_id=key[:200] if key else None, error=error)
        )
