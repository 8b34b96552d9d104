"""The HTTP client every provider fetch goes through.

Timeouts, retries with exponential backoff on 429/5xx and transport errors (honouring
``Retry-After``), and streaming to a spooled temp file with an incremental sha256. What a
hostile or broken provider cannot do through it:

- inflate a small body into gigabytes: the raw bytes are decoded here, in bounded steps,
  and the *decoded* bytes are counted against ``max_response_mb`` as they are produced
  (:mod:`catalog_pipeline.providers.decoding`), however many encodings are stacked;
- take a key elsewhere: redirects are followed only while scheme, host and port stay the
  provider's own (its base URL, or the replay origin), and a redirect anywhere else fails
  the fetch before anything is sent there;
- hold a sync forever: one provider's whole fetch (every page, retry and backoff) has a
  deadline (``fetch_deadline_seconds``), and a body that arrives slower than
  ``min_transfer_bytes_per_second`` after a grace period is dropped.

``CATALOG_PROVIDER_BASE_URL`` sends ``https://host/path?query`` to
``$CATALOG_PROVIDER_BASE_URL/<slug>/path?query`` (replay, tests, benchmarks). It is read
from the environment only, never from run config: whoever may launch a run must not be
able to point every provider key at a host of their choosing.

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
from dataclasses import dataclass, field
from typing import IO

import httpx
from pydantic import BaseModel, Field

from catalog_pipeline.providers.decoding import ACCEPT_ENCODING, BodyDecoder, EncodingError
from catalog_pipeline.providers.dialect import PageRequest
from catalog_pipeline.providers.errors import FailureKind, ProviderError, redact
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec

BASE_URL_ENV = "CATALOG_PROVIDER_BASE_URL"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
SPOOL_BYTES = 8 * 1024 * 1024
USER_AGENT = "catalog-pipeline/0.1 (+https://github.com/catalog-pipeline)"
NEVER_ELSEWHERE = "credentials are never sent to another host"


@contextmanager
def provider_base_url(url: str | None) -> Iterator[None]:
    """Within the block, send every provider request to ``url`` (the replay server).

    Sets ``CATALOG_PROVIDER_BASE_URL`` and restores it after: the one way tests, benchmarks
    and the CLI's ``--replay`` redirect providers, none of which is run config.
    """
    before = os.environ.get(BASE_URL_ENV)
    if url is None:
        os.environ.pop(BASE_URL_ENV, None)
    else:
        os.environ[BASE_URL_ENV] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(BASE_URL_ENV, None)
        else:
            os.environ[BASE_URL_ENV] = before


@dataclass
class FetchedPage:
    """One successful response, its decoded body spooled to a temp file."""

    request: PageRequest
    url: str
    status: int
    body: IO[bytes]
    sha256: str
    size: int
    attempts: int
    elapsed_seconds: float


class ProviderClient(BaseModel):
    """Fetches provider model lists over httpx, with retries, limits and the replay override."""

    timeout_seconds: float = Field(
        default=60.0, description="Read timeout: the longest wait for any bytes of a response."
    )
    connect_timeout_seconds: float = Field(default=10.0)
    max_attempts: int = Field(default=4, ge=1, description="Attempts per page, retries included.")
    backoff_seconds: float = Field(default=0.5, ge=0, description="First retry delay; doubles.")
    max_retry_delay_seconds: float = Field(default=30.0, ge=0)
    max_response_mb: int = Field(
        default=512, ge=1, description="Cap on one page's decoded body, enforced as it streams."
    )
    fetch_deadline_seconds: float = Field(
        default=300.0,
        gt=0,
        description="Total time for one provider's fetch: every page, retry and backoff.",
    )
    min_transfer_bytes_per_second: int = Field(
        default=1024,
        ge=0,
        description="Slowest average body transfer accepted once the grace period is over.",
    )
    slow_transfer_grace_seconds: float = Field(
        default=30.0, ge=0, description="How long a body may arrive slower than the minimum."
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

    def secrets(self, spec: ProviderSpec) -> list[str]:
        """Every configured value of the provider's key variables: what must never be stored."""
        return configured_secrets(spec)

    def is_configured(self, spec: ProviderSpec) -> bool:
        return not (spec.key_required and self.require_api_keys and self.api_key(spec) is None)

    def _override(self) -> str | None:
        return (os.environ.get(BASE_URL_ENV) or "").strip().rstrip("/") or None

    def base_for(self, spec: ProviderSpec) -> str:
        override = self._override()
        return f"{override}/{spec.slug}" if override else spec.base_url

    def url_for(self, spec: ProviderSpec, request: PageRequest) -> str:
        return self.base_for(spec) + request.path

    def display_url(self, spec: ProviderSpec, request: PageRequest) -> str:
        url = httpx.URL(self.url_for(spec, request), params=list(request.params))
        return str(url)

    def _headers(self, spec: ProviderSpec) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": USER_AGENT,
            **spec.extra_headers,
        }
        key = self.api_key(spec)
        if key is not None:
            if spec.auth is AuthStyle.BEARER:
                headers[spec.auth_header] = f"{spec.auth_scheme} {key}"
            elif spec.auth is AuthStyle.HEADER:
                headers[spec.auth_header] = key
        return headers

    @contextmanager
    def session(self, spec: ProviderSpec) -> Iterator[FetchSession]:
        """One provider's fetch: an HTTP connection pool and the fetch's deadline."""
        timeout = httpx.Timeout(self.timeout_seconds, connect=self.connect_timeout_seconds)
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as http:
            yield FetchSession(self, spec, http)


class _SlowTransfer(Exception):
    """The body arrives slower than the minimum rate: dropped, and retried like a timeout."""


@dataclass
class FetchSession:
    """Pages of one provider, fetched under one deadline that covers all of them."""

    client: ProviderClient
    spec: ProviderSpec
    http: httpx.Client
    started: float = field(default_factory=time.monotonic)

    @property
    def deadline(self) -> float:
        return self.started + self.client.fetch_deadline_seconds

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def get_page(self, request: PageRequest) -> FetchedPage:
        """GET one page, retrying transient failures; raise ProviderError with a clear cause."""
        client, spec = self.client, self.spec
        if not client.is_configured(spec):
            names = " or ".join(spec.key_env_names)
            raise ProviderError(
                spec.slug,
                FailureKind.NOT_CONFIGURED,
                "no API key configured",
                f"Set {names} to enable this provider.",
            )
        shown = client.display_url(spec, request)
        secrets = client.secrets(spec)
        started = time.monotonic()
        last_cause = "no attempt made"
        status: int | None = None
        for attempt in range(1, client.max_attempts + 1):
            self._check_deadline(shown, last_cause, status)
            delay = self._backoff(attempt)
            try:
                with self._open(request, shown) as response:
                    if response.status_code == 200:
                        body, digest, size = self._spool(response, shown)
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
                    excerpt = self._excerpt(response, secrets, shown)
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
            except _SlowTransfer as exc:
                last_cause = str(exc)
                status = None
            if attempt < client.max_attempts:
                wait = min(delay, client.max_retry_delay_seconds)
                if wait >= self.remaining():
                    self._check_deadline(shown, last_cause, status, force=True)
                time.sleep(wait)
        raise ProviderError(
            spec.slug,
            FailureKind.HTTP if status else FailureKind.NETWORK,
            f"gave up after {client.max_attempts} attempts; last: {last_cause}",
            "The provider is down or rate-limiting; the last good data stays in the catalog. "
            "Retry later or raise max_attempts.",
            url=shown,
            status=status,
        )

    def _check_deadline(
        self, shown: str, last_cause: str, status: int | None, force: bool = False
    ) -> None:
        if not force and self.remaining() > 0:
            return
        seconds = self.client.fetch_deadline_seconds
        raise ProviderError(
            self.spec.slug,
            FailureKind.TIMEOUT,
            f"the fetch did not finish within its deadline of {seconds:g} s (all pages, "
            f"retries and waits included); last: {last_cause}",
            "A provider this slow, or one sending an endless body, is stopped and its last "
            "good data stays. If it is legitimately this slow, raise fetch_deadline_seconds "
            "on the provider_client resource.",
            url=shown,
            status=status,
        )

    def _request_timeout(self) -> httpx.Timeout:
        remaining = max(self.remaining(), 0.01)
        return httpx.Timeout(
            min(self.client.timeout_seconds, remaining),
            connect=min(self.client.connect_timeout_seconds, remaining),
        )

    @contextmanager
    def _open(self, request: PageRequest, shown: str) -> Iterator[httpx.Response]:
        """The response to ``request``, following redirects only within the provider's origin."""
        base = httpx.URL(self.client.base_for(self.spec))
        current = httpx.URL(self.client.url_for(self.spec, request), params=list(request.params))
        headers = self.client._headers(self.spec)
        for _ in range(MAX_REDIRECTS + 1):
            with self.http.stream(
                "GET", current, headers=headers, timeout=self._request_timeout()
            ) as response:
                location = response.headers.get("Location")
                if response.status_code not in REDIRECT_STATUSES or not location:
                    yield response
                    return
                try:
                    target = current.join(location)
                    _origin(target)
                except (httpx.InvalidURL, ValueError, TypeError) as exc:
                    raise ProviderError(
                        self.spec.slug,
                        FailureKind.HTTP,
                        f"answered HTTP {response.status_code} with an unusable Location "
                        f"header ({type(exc).__name__})",
                        f"Check the endpoint against {self.spec.docs_url}.",
                        url=shown,
                        status=response.status_code,
                    ) from None
                if _origin(target) != _origin(base):
                    raise ProviderError(
                        self.spec.slug,
                        FailureKind.HTTP,
                        f"answered HTTP {response.status_code} redirecting to "
                        f"{_origin_text(target)}, which is not the provider's host "
                        f"{_origin_text(base)}; the redirect was not followed: {NEVER_ELSEWHERE}",
                        "The last good data stays. If the provider has moved its API, update "
                        f"base_url in providers/roster for {self.spec.slug!r} after checking "
                        f"{self.spec.docs_url}.",
                        url=shown,
                        status=response.status_code,
                    )
                current = target
        raise ProviderError(
            self.spec.slug,
            FailureKind.HTTP,
            f"more than {MAX_REDIRECTS} redirects",
            f"The provider's endpoint redirects in a loop; check it against {self.spec.docs_url}.",
            url=shown,
        )

    def _backoff(self, attempt: int) -> float:
        return self.client.backoff_seconds * (2 ** (attempt - 1)) * random.uniform(0.8, 1.2)

    def _decoded(self, response: httpx.Response, shown: str) -> Iterator[bytes]:
        """The body, decoded in bounded steps, while the deadline and the minimum rate hold."""
        try:
            decoder = BodyDecoder(response.headers.get("Content-Encoding"))
        except EncodingError as exc:
            raise self._payload_error(exc, shown, response.status_code) from exc
        client = self.client
        opened = time.monotonic()
        received = 0
        try:
            for raw in response.iter_raw():
                received += len(raw)
                now = time.monotonic()
                if now > self.deadline:
                    self._check_deadline(
                        shown, f"{received} bytes of the body received", response.status_code
                    )
                elapsed = now - opened
                if (
                    elapsed > client.slow_transfer_grace_seconds
                    and received < client.min_transfer_bytes_per_second * elapsed
                ):
                    raise _SlowTransfer(
                        f"transfer too slow: {received} bytes in {elapsed:.0f} s, below the "
                        f"minimum of {client.min_transfer_bytes_per_second} bytes/s"
                    )
                yield from decoder.feed(raw)
            yield from decoder.finish()
        except EncodingError as exc:
            raise self._payload_error(exc, shown, response.status_code) from exc

    def _payload_error(self, exc: Exception, shown: str, status: int) -> ProviderError:
        return ProviderError(
            self.spec.slug,
            FailureKind.PAYLOAD,
            str(exc),
            "The response cannot be decoded; the previous models stay. If the provider "
            "changed how it compresses responses, report it.",
            url=shown,
            status=status,
        )

    def _spool(self, response: httpx.Response, shown: str) -> tuple[IO[bytes], str, int]:
        limit = self.client.max_response_mb * 1024 * 1024
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        digest = hashlib.sha256()
        size = 0
        try:
            for piece in self._decoded(response, shown):
                size += len(piece)
                if size > limit:
                    raise ProviderError(
                        self.spec.slug,
                        FailureKind.TOO_LARGE,
                        f"response exceeded {self.client.max_response_mb} MB once decoded "
                        f"(Content-Encoding: {response.headers.get('Content-Encoding') or 'none'})",
                        "Raise max_response_mb on the provider_client resource if expected.",
                        url=shown,
                        status=200,
                    )
                digest.update(piece)
                body.write(piece)
        except BaseException:
            body.close()
            raise
        body.seek(0)
        return body, digest.hexdigest(), size

    def _excerpt(
        self, response: httpx.Response, secrets: list[str], shown: str, limit: int = 300
    ) -> str:
        """The start of an error body, redacted before it is cut so no key is split in two."""
        wanted = limit + max((len(s) for s in secrets), default=0)
        raw = b""
        try:
            for piece in self._decoded(response, shown):
                raw += piece[: wanted - len(raw)]
                if len(raw) >= wanted:
                    break
        except ProviderError as exc:
            if exc.kind is not FailureKind.PAYLOAD:
                raise
            raw += f" (body not decodable: {exc.cause})".encode()
        text = redact(raw[:wanted].decode("utf-8", errors="replace"), secrets)
        text = text[:limit].strip().replace("\n", " ")
        return text or "(empty body)"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host.lower(), url.port or default)


def _origin_text(url: httpx.URL) -> str:
    scheme, host, port = _origin(url)
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def configured_secrets(spec: ProviderSpec) -> list[str]:
    """Every configured value of ``spec``'s key variables, longest first (for ``redact``)."""
    values = (os.environ.get(name, "").strip() for name in spec.key_env_names)
    return sorted({value for value in values if value}, key=len, reverse=True)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, parsed.timestamp() - time.time())
