"""The catalogue of provider faults the replay server can inject, built from real recordings.

Each function returns what a test (or a benchmark, or an offline demo) puts into
``ReplayServer.faults[provider]``: a list of :class:`CannedResponse` served in order, one
per request, after which the recording answers again. Body faults start from the
provider's own recorded body, so the broken response differs from a good one only by the
fault.

Transport faults: :func:`http_errors` (persistent 5xx, 503 then 200, 429 with
``Retry-After`` then 200), :func:`slow` (slower than the client timeout), :func:`cut_off`
(body cut mid-JSON, with an honest or a lying ``Content-Length``). Connection refused is
not a response at all: point the provider at :func:`refused_url`.

Body faults: :func:`utf16_with_bom`, :func:`trailing_junk`, :func:`error_body`,
:func:`with_items` (an empty list, 60 % of the models gone, duplicate ids, hostile ids,
prices scaled by a unit change, NaN/Infinity/negative prices, extremely long strings).
"""

from __future__ import annotations

import codecs
import copy
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalog_pipeline.replay.server import CannedResponse

Items = list[Any]

HOSTILE_IDS = (
    "modèle-ñandú-7b",
    "模型/通义千问-72b",
    "llama-3\u200b-8b",
    'quote"model',
    "it's-a-model",
    "semi;colon",
    "x'); DROP TABLE models; --",
    "SELECT * FROM providers WHERE 1=1",
    "back\\slash%_wild",
)
"""Model ids a provider could serve that must be stored verbatim and harm nothing."""


def recording_path(root: Path, provider: str, path: str) -> Path:
    """The recording that answers ``GET /<provider><path>`` with no query."""
    return root / provider / (path.strip("/") + ".json")


def load(root: Path, provider: str, path: str) -> Any:
    return json.loads(recording_path(root, provider, path).read_bytes())


def ok(document: Any, *, raw: bool = False) -> CannedResponse:
    """A 200 with ``document`` as its body (``raw=True``: bytes as given)."""
    body = document if raw else json.dumps(document, ensure_ascii=False).encode()
    return CannedResponse(200, body)


def http_errors(
    status: int, times: int, body: bytes = b"", retry_after: str | None = None
) -> list[CannedResponse]:
    """``times`` responses with ``status`` (then the recording answers, if any attempts remain)."""
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    text = body or json.dumps({"error": {"message": f"injected HTTP {status}"}}).encode()
    return [CannedResponse(status, text, dict(headers)) for _ in range(times)]


def slow(document: Any, seconds: float, times: int) -> list[CannedResponse]:
    """``times`` good responses that start only after ``seconds`` (past the client timeout).

    The late body is the good document, so a client that waited would succeed at once:
    only an enforced timeout turns this into a retry or a failure.
    """
    body = json.dumps(document).encode()
    return [CannedResponse(200, body, delay_seconds=seconds) for _ in range(times)]


def cut_off(document: Any, *, announce_full_length: bool) -> CannedResponse:
    """The body cut in the middle of the JSON.

    ``announce_full_length=False``: a complete HTTP response whose body is half a document
    (a proxy that truncated it). ``True``: the headers promise the whole body and the
    connection drops halfway (a transport error the client may retry).
    """
    body = json.dumps(document).encode()
    half = len(body) // 2
    if announce_full_length:
        return CannedResponse(200, body, truncate_at=half)
    return CannedResponse(200, body[:half])


def utf16_with_bom(document: Any) -> CannedResponse:
    text = json.dumps(document, ensure_ascii=False)
    return CannedResponse(200, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))


def trailing_junk(document: Any) -> CannedResponse:
    """A valid document followed by more bytes (two bodies concatenated, a debug footer)."""
    return CannedResponse(200, json.dumps(document).encode() + b'\n<!-- cache: HIT -->{"x":1}')


def error_body(message: str) -> CannedResponse:
    """A JSON error object with status 200, as several routers answer a bad key or no credit."""
    return CannedResponse(200, json.dumps({"error": {"message": message, "code": 402}}).encode())


def items_of(document: Any, items_key: str | None) -> Items:
    return document if items_key is None else document[items_key]


def with_items(
    document: Any, items_key: str | None, change: Callable[[Items], Items]
) -> CannedResponse:
    """The recorded document with its model list replaced by ``change(copy of the list)``."""
    changed = copy.deepcopy(document)
    items = change(copy.deepcopy(items_of(document, items_key)))
    if items_key is None:
        changed = items
    else:
        changed[items_key] = items
    return ok(changed)


def drop_fraction(fraction: float) -> Callable[[Items], Items]:
    """Keep the first ``1 - fraction`` of the models (60 % gone: ``drop_fraction(0.6)``)."""

    def change(items: Items) -> Items:
        keep = len(items) - round(len(items) * fraction)
        return items[:keep]

    return change


def duplicate_first(copies: int = 1) -> Callable[[Items], Items]:
    """Repeat the first model ``copies`` more times, at the end of the list."""
    return lambda items: items + [copy.deepcopy(items[0]) for _ in range(copies)]


def append_items(extra: Items) -> Callable[[Items], Items]:
    return lambda items: items + copy.deepcopy(extra)


def map_items(function: Callable[[int, Any], Any]) -> Callable[[Items], Items]:
    return lambda items: [function(index, item) for index, item in enumerate(items)]


def refused_url() -> str:
    """A loopback URL where nothing listens: every connection is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
