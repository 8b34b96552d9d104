"""Fetch every page of one provider's model list and parse it into typed rows.

This is the whole contract of "what counts as failure" for a fetch: an HTTP error, an
error body with status 200, a body that is not the documented JSON, a repeating
pagination cursor, or an empty list all raise :class:`ProviderError`. Items that fail
validation are counted and reported as rejected rows, never silently dropped, and a
duplicate id is a rejected row too (the first occurrence wins).

A provider that echoes the request's key back in its list (in ``owned_by``, say) never gets
it stored: every string of the body is redacted of every configured key of the provider
before a row is built, and the raw page is archived with the key replaced by
``[redacted]`` too. The archive is otherwise byte for byte what came back; ``sha256`` and
``size`` stay those of the body as received. When the key came back in a form the bytes
do not show literally (JSON ``\\u`` escapes), the page's body is not archived at all, only
its facts and a note (:data:`WITHHELD`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import shutil
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from catalog_pipeline.domain.offers import offer_of
from catalog_pipeline.domain.rows import ProviderModel, RejectedRow
from catalog_pipeline.providers.client import FetchedPage, ProviderClient
from catalog_pipeline.providers.dialect import PageRequest
from catalog_pipeline.providers.errors import FailureKind, ProviderError, redact
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import MIN_SECRET_CHARS, REDACTED, PageReader, PayloadError

MAX_PAGES = 1_000
MAX_REJECTED_KEPT = 200
COPY_CHUNK = 1024 * 1024
WITHHELD = (
    b'{"catalog_pipeline": "page withheld: it echoed a configured API key in an escaped '
    b'form that cannot be redacted byte for byte"}'
)


@dataclass
class RawPage:
    """What we keep of one response: enough to audit and to replay it."""

    url: str
    status: int
    sha256: str
    size: int
    attempts: int
    content_gzip: bytes


@dataclass
class ProviderFetch:
    """The outcome of one successful fetch: rows, rejections and the raw pages."""

    provider: str
    fetched_at: dt.datetime
    rows: list[ProviderModel] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    rejected_count: int = 0
    pages: list[RawPage] = field(default_factory=list)
    elapsed_seconds: float = 0.0

    @property
    def item_count(self) -> int:
        return len(self.rows) + self.rejected_count

    @property
    def sha256(self) -> str:
        if len(self.pages) == 1:
            return self.pages[0].sha256
        return hashlib.sha256("".join(p.sha256 for p in self.pages).encode()).hexdigest()


def fetch_provider(client: ProviderClient, spec: ProviderSpec) -> ProviderFetch:
    local = spec.local_body()
    if local is not None:
        return _require_rows(spec, parse_payload(spec, local))
    result = ProviderFetch(provider=spec.slug, fetched_at=dt.datetime.now(dt.UTC))
    seen_ids: set[str] = set()
    seen_requests: set[str] = set()
    request: PageRequest | None = spec.first_request()
    secrets = client.secrets(spec)
    with client.session(spec) as session:
        while request is not None:
            if request.key in seen_requests or len(seen_requests) >= MAX_PAGES:
                raise ProviderError(
                    spec.slug,
                    FailureKind.PAGINATION,
                    f"pagination repeated request {request.key!r} after {len(seen_requests)} pages",
                    "The provider's cursor is not advancing; this is a provider bug, retry later.",
                    url=client.display_url(spec, request),
                )
            seen_requests.add(request.key)
            page = session.get_page(request)
            try:
                envelope, on_page, echoed = _read_page(spec, page, result, seen_ids, secrets)
                result.pages.append(_raw(page, secrets, echoed))
            finally:
                page.body.close()
            result.elapsed_seconds += page.elapsed_seconds
            try:
                request = spec.next_request(envelope, request, on_page)
            except ValueError as exc:
                raise ProviderError(
                    spec.slug, FailureKind.PAGINATION, str(exc), "Retry later.", url=page.url
                ) from exc
    return _require_rows(spec, result)


def _require_rows(spec: ProviderSpec, result: ProviderFetch) -> ProviderFetch:
    if not result.rows:
        if result.rejected_count:
            first = result.rejected[0].error
            raise ProviderError(
                spec.slug,
                FailureKind.PAYLOAD,
                f"all {result.rejected_count} items failed validation; first: {first}",
                "The API format changed; update the parser against the provider's docs.",
                url=result.pages[0].url if result.pages else None,
            )
        raise ProviderError(
            spec.slug,
            FailureKind.EMPTY,
            "returned an empty model list",
            "An empty list is never accepted as a sync; the previous models stay. "
            "Check the account's access and the provider's status page.",
            url=result.pages[0].url if result.pages else None,
        )
    return result


def parse_payload(spec: ProviderSpec, body: bytes) -> ProviderFetch:
    """Parse one recorded page exactly as a fetched one would be (tests, conformance, tools).

    Raises :class:`ProviderError` for an error body or a body that is not the documented
    JSON, like a live fetch; an empty list is returned as such (the caller decides).
    """
    result = ProviderFetch(provider=spec.slug, fetched_at=dt.datetime.now(dt.UTC))
    digest = hashlib.sha256(body).hexdigest()
    page = FetchedPage(
        request=spec.first_request(),
        url=f"recorded:{spec.slug}",
        status=200,
        body=io.BytesIO(body),
        sha256=digest,
        size=len(body),
        attempts=1,
        elapsed_seconds=0.0,
    )
    _read_page(spec, page, result, set(), [])
    result.pages.append(_raw(page, [], 0))
    return result


def _read_page(
    spec: ProviderSpec,
    page: FetchedPage,
    result: ProviderFetch,
    seen_ids: set[str],
    secrets: list[str],
) -> tuple[dict[str, Any], int, int]:
    """Parse one page into ``result``; every text taken from the body is redacted first.

    Returns the envelope, the number of items on the page and how many times a secret
    was redacted from the body's strings.
    """
    reader = PageReader(page.body, spec.items_key, secrets=secrets)
    on_page = 0
    try:
        for item in reader.items():
            index = result.item_count
            on_page += 1
            item_id = (item.get("id") or item.get("name")) if isinstance(item, dict) else None
            item_id = item_id if isinstance(item_id, str) else None
            try:
                if not isinstance(item, dict):
                    raise ValueError(f"item is a {type(item).__name__}, not an object")
                row = spec.parse_item(item)
                offer_of(row, spec.slug)
            except (ValidationError, ValueError, ArithmeticError) as exc:
                _reject(result, index, item_id, _error_text(exc))
                continue
            if row.provider_model_id in seen_ids:
                _reject(result, index, row.provider_model_id, "duplicate model id")
                continue
            seen_ids.add(row.provider_model_id)
            result.rows.append(row)
    except PayloadError as exc:
        raise ProviderError(
            spec.slug,
            FailureKind.PAYLOAD,
            redact(str(exc), secrets),
            "The response is not the documented JSON; the previous models stay.",
            url=page.url,
            status=page.status,
        ) from exc
    message = spec.error_message(reader.envelope, reader.items_found)
    if message is not None:
        raise ProviderError(
            spec.slug,
            FailureKind.ERROR_BODY,
            f"answered HTTP 200 with an error body: {redact(message, secrets)[:300]}",
            "Treated as a failed fetch; check the account (key, credits, permissions).",
            url=page.url,
            status=page.status,
        )
    expected = (
        "an array" if spec.items_key is None else f"an object with a {spec.items_key!r} array"
    )
    if not reader.items_found:
        raise ProviderError(
            spec.slug,
            FailureKind.PAYLOAD,
            f"expected {expected}, got a JSON {reader.top_level or 'nothing'}",
            "The API format changed or the URL points elsewhere; compare with the provider's docs.",
            url=page.url,
            status=page.status,
        )
    return reader.envelope, on_page, reader.redactions


def _reject(result: ProviderFetch, index: int, item_id: str | None, error: str) -> None:
    result.rejected_count += 1
    if len(result.rejected) < MAX_REJECTED_KEPT:
        short_id = item_id[:200] if item_id else None
        result.rejected.append(RejectedRow(index=index, provider_model_id=short_id, error=error))


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in err['loc']) or 'item'}: {err['msg']}"
            for err in exc.errors()[:3]
        ]
        return "; ".join(parts)[:500]
    return str(exc)[:500]


def _raw(page: FetchedPage, secrets: list[str], echoed: int) -> RawPage:
    """The page's body gzipped for the archive, every literal secret replaced on the way.

    ``echoed`` is how many times the parsed strings held a secret: when the bytes hold
    fewer literal copies, the rest came escaped, and the body is withheld (:data:`WITHHELD`).
    """
    secrets = [s.encode() for s in secrets if len(s) >= MIN_SECRET_CHARS]
    page.body.seek(0)
    out = io.BytesIO()
    replaced = 0
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as gz:
        if not secrets:
            shutil.copyfileobj(page.body, gz, length=COPY_CHUNK)
        else:
            keep = max(len(s) for s in secrets) - 1
            carry = b""
            while chunk := page.body.read(COPY_CHUNK):
                text = carry + chunk
                for secret in secrets:
                    replaced += text.count(secret)
                    text = text.replace(secret, REDACTED.encode())
                cut = max(len(text) - keep, 0)
                gz.write(text[:cut])
                carry = text[cut:]
            gz.write(carry)
    content = out.getvalue()
    if echoed > replaced:
        content = gzip.compress(WITHHELD, mtime=0)
    return RawPage(
        url=page.url,
        status=page.status,
        sha256=page.sha256,
        size=page.size,
        attempts=page.attempts,
        content_gzip=content,
    )
