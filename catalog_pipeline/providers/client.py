"""The HTTP client every provider fetch goes through.

Timeouts, retries with exponential backoff on 429/5xx and transport errors (honouring
``Retry-After``), a size cap, streaming to a spooled temp file with an incremental
sha256, and the ``CATALOG_PROVIDER_BASE_URL`` override that sends
``https://host/path?query`` to ``$CATALOG_PROVIDER_BASE_URL/<slug>/path?query``.

API keys are read from the environment at request time by the names the registry gives
(``<SLUG>_API_KEY`` first): they never enter run config, logs, metadata or errors.
"""

from __future__ import annotations

import email.utils
import hashlib
import os
import random
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

import httpx
from pydantic import BaseModel, Field

from catalog_pipeline.providers.dialect import PageRequest
from catalog_pipeline.providers.errors import FailureKind, ProviderError, redact
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec

BASE_URL_ENV = "CATALOG_PROVIDER_BASE_URL"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SPOOL_BYTES = 8 * 1024 * 1024
USER_AGENT = "catalog-pipeline/0.1 (+https://github.com/catalog-pipeline)"


@dataclass
class FetchedPage:
    """One successful response, its body spooled to a temp file."""

    request: PageRequest
    url: str
    status: int
    body: IO[bytes]
    sha256: str
    size: int
    attempts: int
    elapsed_seconds: float


class ProviderClient(BaseModel):
    """Fetches provider model lists over httpx, with retries and the replay override."""

    timeout_seconds: float = Field(default=60.0, description="Read timeout per request.")
    connect_timeout_seconds: float = Field(default=10.0)
    max_attempts: int = Field(default=4, ge=1, description="Attempts per page, retries included.")
    backoff_seconds: float = Field(default=0.5, ge=0, description="First retry delay; doubles.")
    max_retry_delay_seconds: float = Field(default=30.0, ge=0)
    max_response_mb: int = Field(default=512, ge=1)
    base_url_override: str | None = Field(
        default=None,
        description=f"Send every request to <override>/<slug>/<path> (env {BASE_URL_ENV}).",
    )
    require_api_keys: bool = Field(
        default=True, description="False in replay mode: a missing key does not stop the fetch."
    )

    def api_key(self, spec: ProviderSpec) -> str | None:
        for name in spec.key_env_names:
            value = os.environ.get(name, "").strip()
            if value:
                return value
        return None

    def is_configured(self, spec: ProviderSpec) -> bool:
        return not (spec.key_required and self.require_api_keys and self.api_key(spec) is None)

    def _override(self) -> str | None:
        return (self.base_url_override or os.environ.get(BASE_URL_ENV) or "").rstrip("/") or None

    def url_for(self, spec: ProviderSpec, request: PageRequest) -> str:
        override = self._override()
        base = f"{override}/{spec.slug}" if override else spec.base_url
        return base + request.path

    def display_url(self, spec: ProviderSpec, request: PageRequest) -> str:
        url = httpx.URL(self.url_for(spec, request), params=list(request.params))
        return str(url)

    def _headers(self, spec: ProviderSpec) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **spec.extra_headers}
        key = self.api_key(spec)
        if key is not None:
            if spec.auth is AuthStyle.BEARER:
                headers[spec.auth_header] = f"{spec.auth_scheme} {key}"
            elif spec.auth is AuthStyle.HEADER:
                headers[spec.auth_header] = key
        return headers

    @contextmanager
    def session(self) -> Iterator[httpx.Client]:
        timeout = httpx.Timeout(self.timeout_seconds, connect=self.connect_timeout_seconds)
        with httpx.Client(timeout=timeout, follow_redirects=True, trust_env=False) as http:
            yield http

    def get_page(self, http: httpx.Client, spec: ProviderSpec, request: PageRequest) -> FetchedPage:
        """GET one page, retrying transient failures; raise ProviderError with a clear cause."""
        if not self.is_configured(spec):
            names = " or ".join(spec.key_env_names)
            raise ProviderError(
                spec.slug,
                FailureKind.NOT_CONFIGURED,
                "no API key configured",
                f"Set {names} to enable this provider.",
            )
        url = self.url_for(spec, request)
        shown = self.display_url(spec, request)
        secrets = [self.api_key(spec) or ""]
        started = time.monotonic()
        last_cause = "no attempt made"
        status: int | None = None
        for attempt in range(1, self.max_attempts + 1):
            delay = self._backoff(attempt)
            try:
                with http.stream(
                    "GET", url, params=list(request.params), headers=self._headers(spec)
                ) as response:
                    if response.status_code == 200:
                        body, digest, size = self._spool(spec, response, shown)
                        return FetchedPage(
                            request=request,
                            url=shown,
                            status=200,
                            body=body,
                            sha256=digest,
                            size=size,
                            attempts=attempt,
                            elapsed_seconds=time.monotonic() - started,
                        )
                    excerpt = _excerpt(response, secrets)
                    status = response.status_code
                    last_cause = f"HTTP {status}: {excerpt}"
                    if status in (401, 403):
                        names = " or ".join(spec.key_env_names)
                        raise ProviderError(
                            spec.slug,
                            FailureKind.AUTH,
                            f"authentication failed with HTTP {status}: {excerpt}",
                            f"Check that {names} holds a valid key for {spec.name}.",
                            url=shown,
                            status=status,
                        )
                    if status not in RETRY_STATUSES:
                        raise ProviderError(
                            spec.slug,
                            FailureKind.HTTP,
                            last_cause,
                            "This is not a transient error; check the endpoint in the registry "
                            f"against {spec.docs_url}.",
                            url=shown,
                            status=status,
                        )
                    delay = max(delay, _retry_after(response.headers.get("Retry-After")) or 0)
            except httpx.TransportError as exc:
                last_cause = f"{type(exc).__name__}: {redact(str(exc), secrets) or 'no detail'}"
                status = None
            if attempt < self.max_attempts:
                time.sleep(min(delay, self.max_retry_delay_seconds))
        raise ProviderError(
            spec.slug,
            FailureKind.HTTP if status else FailureKind.NETWORK,
            f"gave up after {self.max_attempts} attempts; last: {last_cause}",
            "The provider is down or rate-limiting; the last good data stays in the catalog. "
            "Retry later or raise max_attempts.",
            url=shown,
            status=status,
        )

    def _backoff(self, attempt: int) -> float:
        return self.backoff_seconds * (2 ** (attempt - 1)) * random.uniform(0.8, 1.2)

    def _spool(
        self, spec: ProviderSpec, response: httpx.Response, shown: str
    ) -> tuple[IO[bytes], str, int]:
        limit = self.max_response_mb * 1024 * 1024
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        digest = hashlib.sha256()
        size = 0
        try:
            for chunk in response.iter_bytes(chunk_size=1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise ProviderError(
                        spec.slug,
                        FailureKind.TOO_LARGE,
                        f"response exceeded {self.max_response_mb} MB",
                        "Raise max_response_mb on the provider_client resource if expected.",
                        url=shown,
                        status=200,
                    )
                digest.update(chunk)
                body.write(chunk)
        except BaseException:
            body.close()
            raise
        body.seek(0)
        return body, digest.hexdigest(), size


def _excerpt(response: httpx.Response, secrets: list[str], limit: int = 300) -> str:
    """The start of an error body, redacted before it is cut so no key is split in two."""
    wanted = limit + max((len(s) for s in secrets), default=0)
    raw = b""
    for chunk in response.iter_bytes():
        raw += chunk
        if len(raw) >= wanted:
            break
    text = redact(raw[:wanted].decode("utf-8", errors="replace"), secrets)
    text = text[:limit].strip().replace("\n", " ")
    return text or "(empty body)"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    parsed = email.utils.parsedate_to_datetime(value) if value else None
    if parsed is None:
        return None
    return max(0.0, parsed.timestamp() - time.time())
