"""Streaming JSON reading of provider pages: one pass, items built one at a time.

A provider page can be ~50 MB (Featherless lists ~17,800 models in one response). The
reader walks ijson events once, builds each list item on its own and hands it to the
parser, and keeps only the small scalar "envelope" around the list (``has_more``,
``nextPageToken``, ``links.next``, ``error.message``). Numbers arrive as ``int`` or
``Decimal``, never float. Bodies in UTF-16 or with a UTF-8 BOM are transcoded first;
anything after the JSON document (trailing junk) is an error, not ignored.
"""

from __future__ import annotations

import codecs
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import ijson

MAX_ENVELOPE_ENTRIES = 200
MAX_ENVELOPE_STRING = 2_000
SPOOL_BYTES = 8 * 1024 * 1024

_SCALAR_EVENTS = {"string", "number", "boolean", "null"}


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


@dataclass
class PageReader:
    """Iterate the items of one page; after iteration, ``envelope`` holds the scalars around them.

    ``items_key`` is the top-level key that holds the model array (``"data"``,
    ``"models"``), or ``None`` when the body is a bare JSON array.
    """

    body: IO[bytes]
    items_key: str | None
    envelope: dict[str, Any] = field(default_factory=dict)
    top_level: str | None = None
    items_found: bool = False
    item_count: int = 0

    def items(self) -> Iterator[Any]:
        item_prefix = "item" if self.items_key is None else f"{self.items_key}.item"
        array_prefix = "" if self.items_key is None else self.items_key
        builder: ijson.ObjectBuilder | None = None
        stream = utf8_stream(self.body)
        try:
            for prefix, event, value in ijson.parse(stream, use_float=False):
                if self.top_level is None:
                    self.top_level = {"start_map": "object", "start_array": "array"}.get(
                        event, "scalar"
                    )
                if prefix == array_prefix and event == "start_array":
                    self.items_found = True
                    continue
                if self.items_found and (
                    prefix == item_prefix or prefix.startswith(item_prefix + ".")
                ):
                    if builder is None:
                        if event in _SCALAR_EVENTS:
                            self.item_count += 1
                            yield value
                            continue
                        builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                    if prefix == item_prefix and event in ("end_map", "end_array"):
                        self.item_count += 1
                        yield builder.value
                        builder = None
                    continue
                if event in _SCALAR_EVENTS and len(self.envelope) < MAX_ENVELOPE_ENTRIES:
                    if isinstance(value, str):
                        value = value[:MAX_ENVELOPE_STRING]
                    self.envelope[prefix] = value
        except ijson.common.IncompleteJSONError as exc:
            raise PayloadError(f"body is not valid JSON: {_short(exc)}") from exc
        except ijson.common.JSONError as exc:
            raise PayloadError(f"body is not valid JSON: {_short(exc)}") from exc
        except UnicodeDecodeError as exc:
            raise PayloadError(f"body is not valid UTF-8 text: {_short(exc)}") from exc


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
