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
prices scaled by a unit change, NaN/Infinity/negative prices, extremely long strings,
:func:`column_breakers`: values that parse but overflow a column).

Hostile providers (what an attacker, or a very bad day, sends): :func:`compression_bomb`
(a few KB that inflate to gigabytes through stacked ``Content-Encoding`` layers),
:func:`deeply_nested` (one item nested 100,000 levels deep), :func:`huge_integer` (a
4,301-digit number, which crashes the C JSON parser), :func:`redirect` (to another host,
which would receive the key), :func:`echo_key` (the request's key echoed in a field),
:func:`endless_body` (a chunked body that never ends) and :func:`trickle` (a body at a
few bytes per second).
"""

from __future__ import annotations

import codecs
import copy
import gzip
import itertools
import json
import socket
import struct
import zlib
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


def column_breakers(template: dict[str, Any]) -> Items:
    """OpenRouter-shaped items that pass a lenient parser but each break one column: a
    context window past INTEGER (3e9), a 101-character publisher, a 400-character id with
    no name (its display name is the id), a NUL in a name, and a price of ``1e-20000``
    (more digits after the point than NUMERIC keeps)."""
    base = copy.deepcopy(template)
    base.pop("name", None)
    named = {**base, "name": "Column Breaker"}
    return [
        {**named, "id": "breaker/huge-context", "context_length": 3_000_000_000},
        {**named, "id": "p" * 101 + "/long-publisher"},
        {**base, "id": "x" * 400},
        {**named, "id": "breaker/nul-name", "name": "Bad\x00Name"},
        {
            **named,
            "id": "breaker/tiny-price",
            "pricing": {**base.get("pricing", {}), "prompt": "1e-20000"},
        },
    ]


def refused_url() -> str:
    """A loopback URL where nothing listens: every connection is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def compression_bomb(decoded_bytes: int, layers: int = 2) -> CannedResponse:
    """A 200 whose body is ``decoded_bytes`` of zeros gzipped ``layers`` times, labelled
    ``Content-Encoding: gzip, gzip``: 4 GB fit in about 7 KB with two layers."""
    body = _gzip_zeros(decoded_bytes)
    for _ in range(layers - 1):
        body = gzip.compress(body, compresslevel=9, mtime=0)
    return CannedResponse(200, body, {"Content-Encoding": ", ".join(["gzip"] * layers)})


def _gzip_zeros(size: int) -> bytes:
    """``size`` zero bytes as one gzip member, built without compressing gigabytes.

    A 1 MiB block of zeros is deflated once, ending in a full flush (which resets the
    compressor, so the bytes stand alone); the member repeats them, closes with the rest
    compressed by a fresh compressor, and ends with the CRC-32 and the size.
    """
    block = bytes(1024 * 1024)
    count, rest = divmod(size, len(block))
    repeated = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    piece = repeated.compress(block) + repeated.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    tail = last.compress(bytes(rest)) + last.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(bytes(rest), crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + piece * count + tail + trailer


def _with_raw_item(document: Any, items_key: str | None, item: bytes) -> CannedResponse:
    """The recorded document with one more item, given as raw JSON bytes (which the
    ``json`` module could not write: too deep, or a number it would refuse)."""
    marker = "__catalog_pipeline_raw_item__"
    changed = copy.deepcopy(document)
    items = changed if items_key is None else changed[items_key]
    items.append(marker)
    body = json.dumps(changed).encode()
    return CannedResponse(200, body.replace(json.dumps(marker).encode(), item, 1))


def deeply_nested(document: Any, items_key: str | None, depth: int = 100_000) -> CannedResponse:
    """One item whose ``tags`` are lists nested ``depth`` levels deep (200 KB at 100,000)."""
    item = b'{"id": "deep-model", "tags": ' + b"[" * depth + b"]" * depth + b"}"
    return _with_raw_item(document, items_key, item)


def huge_integer(document: Any, items_key: str | None, digits: int = 4_301) -> CannedResponse:
    """One item whose ``created`` is an integer of ``digits`` digits (past Python's 4,300)."""
    item = b'{"id": "huge-number-model", "created": ' + b"7" * digits + b"}"
    return _with_raw_item(document, items_key, item)


def redirect(location: str, status: int = 302) -> CannedResponse:
    """A redirect to ``location`` (another host, to see whether the key follows)."""
    return CannedResponse(status, b"", {"Location": location})


def echo_key(field: str, key: str, times: int = 2) -> Callable[[Items], Items]:
    """Every item's ``field`` holds the request's key ``times`` times, as a provider that
    echoes the caller's credentials would (use with :func:`with_items`)."""
    value = " / ".join([key] * times)
    return map_items(lambda index, item: {**item, field: value})


def endless_body(chunk: bytes = b" " * 4096, interval: float = 0.01) -> CannedResponse:
    """A 200 whose chunked body never ends (``chunk`` every ``interval`` seconds)."""
    return CannedResponse(
        200, chunks=lambda: itertools.repeat(chunk), chunk_interval_seconds=interval
    )


def trickle(document: Any, bytes_per_chunk: int = 1, interval: float = 1.0) -> CannedResponse:
    """The good document, sent ``bytes_per_chunk`` bytes every ``interval`` seconds."""
    body = json.dumps(document).encode()
    pieces = [body[i : i + bytes_per_chunk] for i in range(0, len(body), bytes_per_chunk)]
    return CannedResponse(200, chunks=lambda: iter(pieces), chunk_interval_seconds=interval)
