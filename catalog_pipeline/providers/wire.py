"""Streaming JSON reading of provider pages: one pass, items built one at a time.

A provider page can be ~50 MB (Featherless lists ~17,800 models in one response). The
reader walks ijson events once, builds each list item on its own and hands it to the
parser, and keeps only the small scalar "envelope" around the list (``has_more``,
``nextPageToken``, ``links.next``, ``error.message``). Numbers arrive as ``int`` or
``Decimal``, never float. Bodies in UTF-16 or with a UTF-8 BOM are transcoded first;
anything after the JSON document (trailing junk) is an error, not ignored.

A hostile body cannot make the reader crash or grow: nesting deeper than
:data:`MAX_DEPTH` and numbers longer than :data:`MAX_NUMBER_CHARS` are refused before the
parser builds them (:class:`NumberGuard` checks each chunk before ijson's C backend sees
it), and strings holding a provider key are redacted as they are read.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import ijson

MAX_ENVELOPE_ENTRIES = 200
MAX_ENVELOPE_STRING = 2_000
SPOOL_BYTES = 8 * 1024 * 1024
BUF_SIZE = 256 * 1024
MAX_DEPTH = 64
"""Deepest nesting a page may have: real model lists stay under 10 levels."""
MAX_NUMBER_CHARS = 100
"""Longest number token a page may have (a price or an epoch has a few dozen at most)."""
MIN_SECRET_CHARS = 4
REDACTED = "[redacted]"


class PayloadError(ValueError):
    """The body is not the JSON document the provider's API documents."""


def utf8_stream(body: IO[bytes]) -> IO[bytes]:
    """Return ``body`` as UTF-8 bytes positioned at the start, transcoding BOM-marked text."""
    body.seek(0)
    head = body.read(4)
    body.seek(0)
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            body.seek(len(bom))
            out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
            reader = codecs.getreader(encoding)(body, errors="strict")
            try:
                shutil.copyfileobj(_encode_utf8(reader), out)
            except UnicodeDecodeError as exc:
                raise PayloadError(
                    f"body starts with a {encoding} BOM but is not {encoding}"
                ) from exc
            out.seek(0)
            return out
    if head.startswith(codecs.BOM_UTF8):
        body.seek(len(codecs.BOM_UTF8))
    return body


class _encode_utf8:
    """File-like adapter: read text chunks from a codec reader, return UTF-8 bytes."""

    def __init__(self, reader: codecs.StreamReader) -> None:
        self._reader = reader

    def read(self, size: int = -1) -> bytes:
        return self._reader.read(size if size > 0 else 65536).encode("utf-8")


_NUMBER_CHARS = b"0123456789+-.eE"
_NUMBER_MAP = bytes(48 if byte in _NUMBER_CHARS else 32 for byte in range(256))
"""Translate table: every byte that can be part of a number becomes ``0``, all else a space."""
_ESCAPED_QUOTE = re.compile(rb'(\\+)"')
_RUN_END = re.compile(rb"0*")


class NumberGuard:
    """A read-only stream that refuses a body with a number token longer than ``limit``.

    It sits between the body and the parser and checks each chunk before the parser sees
    it. The common case costs two C-level passes over the chunk (a byte translation and a
    search for ``limit + 1`` number characters in a row); only a run that long is located
    exactly, by counting the unescaped quotes before it, to tell a number (refused) from
    the inside of a string (allowed). State carried between chunks: whether the chunk
    ended inside a string, its trailing backslashes, and its trailing number characters.
    """

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self._needle = b"0" * (limit + 1)
        self._in_string = False
        self._backslashes = 0
        self._run = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        if chunk:
            self._check(chunk)
        return chunk

    def _check(self, chunk: bytes) -> None:
        mapped = chunk.translate(_NUMBER_MAP)
        escaped = self._escaped_quotes(chunk)
        if self._run and not self._in_string:
            lead = _RUN_END.match(mapped).end()  # type: ignore[union-attr]
            if self._run + lead > self._limit:
                self._refuse()
        position = mapped.find(self._needle)
        while position >= 0:
            if not self._inside_string(chunk, position, escaped):
                self._refuse()
            end = _RUN_END.match(mapped, position).end()  # type: ignore[union-attr]
            position = mapped.find(self._needle, end)
        quotes = chunk.count(b'"') - len(escaped)
        starts_in_string = self._in_string
        self._in_string ^= quotes % 2 == 1
        self._backslashes = _trailing(chunk, 92, len(chunk))
        if self._in_string:
            self._run = 0
        else:
            trailing = _trailing(mapped, 48, self._limit + 1)
            whole = trailing == len(chunk) and not quotes and not starts_in_string
            self._run = self._run + trailing if whole else trailing

    def _escaped_quotes(self, chunk: bytes) -> list[int]:
        """Positions of the quotes in ``chunk`` that a backslash escapes."""
        positions = []
        if chunk[:1] == b'"' and self._backslashes % 2 == 1:
            positions.append(0)
        if b"\\" in chunk and b'\\"' in chunk:
            for match in _ESCAPED_QUOTE.finditer(chunk):
                run = match.end(1) - match.start(1)
                if match.start(1) == 0:
                    run += self._backslashes
                if run % 2 == 1:
                    positions.append(match.end(1))
        return positions

    def _inside_string(self, chunk: bytes, position: int, escaped: list[int]) -> bool:
        quotes = chunk.count(b'"', 0, position) - sum(1 for p in escaped if p < position)
        return self._in_string ^ (quotes % 2 == 1)

    def _refuse(self) -> None:
        raise PayloadError(
            f"the body has a number longer than {self._limit} characters; no price, count "
            "or date needs one (the parser stops there instead of reading it)"
        )


def _trailing(data: bytes, byte: int, cap: int) -> int:
    """How many ``byte`` end ``data`` (counting stops at ``cap``)."""
    count = 0
    index = len(data) - 1
    while index >= 0 and count < cap and data[index] == byte:
        count += 1
        index -= 1
    return count


@dataclass
class PageReader:
    """Iterate the items of one page; after iteration, ``envelope`` holds the scalars around them.

    ``items_key`` is the top-level key that holds the model array (``"data"``,
    ``"models"``), or ``None`` when the body is a bare JSON array.

    Two limits hold before the parser builds anything: nesting deeper than ``max_depth``
    and a number token longer than ``max_number_chars`` fail the page with
    :class:`PayloadError`. Without them one 200 KB item nested 100,000 levels deep costs
    memory in the square of its depth, and a 4,301-digit integer crashes the C parser
    (and the process with it). With ``map_items`` the items are the values of the object
    at ``items_key`` (LiteLLM's cost map, models.dev's providers), and ``item_key`` is the
    key of the item just yielded. Every string of the body that contains one of ``secrets``
    (map keys included) reaches the caller with it replaced by ``[redacted]``; the count
    of replacements is ``redactions``.
    """

    body: IO[bytes]
    items_key: str | None
    secrets: Sequence[str] = ()
    max_depth: int = MAX_DEPTH
    max_number_chars: int = MAX_NUMBER_CHARS
    map_items: bool = False
    item_key: str | None = None
    envelope: dict[str, Any] = field(default_factory=dict)
    top_level: str | None = None
    items_found: bool = False
    item_count: int = 0
    redactions: int = 0

    def items(self) -> Iterator[Any]:
        array_prefix = "" if self.items_key is None else self.items_key
        container = "start_map" if self.map_items else "start_array"
        secrets = [s for s in self.secrets if len(s) >= MIN_SECRET_CHARS]
        redact_events = {"string", "map_key"} if secrets else set()
        if any(s.lstrip("-").isdigit() for s in secrets):
            redact_events.add("number")
        stream = NumberGuard(utf8_stream(self.body), self.max_number_chars)
        path: list[str] = []
        depth = 0
        item_depth = -1
        """Depth of the items array's contents while inside it, else -1."""
        builder: ijson.ObjectBuilder | None = None
        try:
            for event, value in ijson.basic_parse(stream, use_float=False, buf_size=BUF_SIZE):
                if event in redact_events:
                    value = self._redacted(value, secrets)
                if event == "start_map" or event == "start_array":
                    depth += 1
                    if depth > self.max_depth:
                        raise PayloadError(
                            f"the body nests deeper than {self.max_depth} levels; a model list "
                            "never does (the parser stops there instead of building it)"
                        )
                    if builder is not None:
                        builder.event(event, value)
                    elif depth == item_depth:
                        builder = ijson.ObjectBuilder()
                        builder.event(event, value)
                    else:
                        if self.top_level is None:
                            self.top_level = "object" if event == "start_map" else "array"
                        if event == container and ".".join(path) == array_prefix:
                            self.items_found = True
                            item_depth = depth + 1
                        path.append("item" if event == "start_array" else "")
                elif event == "end_map" or event == "end_array":
                    depth -= 1
                    if builder is not None:
                        builder.event(event, value)
                        if depth + 1 == item_depth:
                            self.item_count += 1
                            yield builder.value
                            builder = None
                    else:
                        if depth + 2 == item_depth:
                            item_depth = -1
                        path.pop()
                elif builder is not None:
                    builder.event(event, value)
                elif event == "map_key" and depth + 1 == item_depth:
                    self.item_key = value
                elif depth + 1 == item_depth:
                    self.item_count += 1
                    yield value
                elif event == "map_key":
                    path[-1] = value
                else:
                    if self.top_level is None:
                        self.top_level = "scalar"
                    if len(self.envelope) < MAX_ENVELOPE_ENTRIES:
                        if isinstance(value, str):
                            value = value[:MAX_ENVELOPE_STRING]
                        self.envelope[".".join(path)] = value
        except ijson.common.IncompleteJSONError as exc:
            raise PayloadError(f"body is not valid JSON: {_short(exc)}") from exc
        except ijson.common.JSONError as exc:
            raise PayloadError(f"body is not valid JSON: {_short(exc)}") from exc
        except UnicodeDecodeError as exc:
            raise PayloadError(f"body is not valid UTF-8 text: {_short(exc)}") from exc

    def _redacted(self, value: Any, secrets: list[str]) -> Any:
        text = value if isinstance(value, str) else str(value)
        for secret in secrets:
            if secret in text:
                self.redactions += text.count(secret)
                text = text.replace(secret, REDACTED)
                value = text
        return value


MILLISECONDS_AFTER = 100_000_000_000
"""An epoch value above this (year 5138 in seconds) is in milliseconds."""


def epoch_datetime(value: int | float | None) -> dt.datetime | None:
    """A provider's epoch (seconds or milliseconds) as an aware datetime; 0 is unknown."""
    if not value or isinstance(value, bool):
        return None
    seconds = value / 1000 if value > MILLISECONDS_AFTER else value
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _short(exc: BaseException) -> str:
    """The parser's message without the excerpt of the body it quotes (it may hold a key)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
