"""Content-Encoding decoding that never inflates more than it is asked for.

httpx decodes a whole received chunk at once, so a 6.8 KB body labelled
``Content-Encoding: gzip, gzip`` becomes gigabytes inside one call, before any size cap
can look at it. Here the client reads the raw bytes (``Response.iter_raw``) and decodes
them itself: every layer's decompressor is asked for at most :data:`STEP` bytes per call
(``zlib.decompressobj(...).decompress(data, max_length)``), so the decoded bytes can be
counted against the response cap as they are produced, whatever the number of layers.

Only what :data:`ACCEPT_ENCODING` advertises is decoded (gzip, x-gzip, deflate, identity);
any other coding is refused with :class:`EncodingError`, never passed on undecoded.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

ACCEPT_ENCODING = "gzip, deflate"
"""What the client asks for: the codings it can decode with a bounded decompressor."""
STEP = 64 * 1024
"""Largest output of one decompressor call (per layer)."""
MAX_LAYERS = 4
"""Most codings one response may stack (``gzip, gzip`` is 2); more is refused."""

_GZIP = 16 + zlib.MAX_WBITS
_ZLIB = zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS


class EncodingError(ValueError):
    """The response's Content-Encoding cannot be decoded (unknown, too many layers, corrupt)."""


def codings(header: str | None) -> list[str]:
    """The codings of a Content-Encoding header, in the order they were applied."""
    names = [part.strip().lower() for part in (header or "").split(",")]
    return [name for name in names if name and name != "identity"]


class _Inflate:
    """One gzip or deflate layer, producing at most :data:`STEP` bytes per call."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._gzip = coding in ("gzip", "x-gzip")
        self._wbits = _GZIP if self._gzip else _ZLIB
        self._decoder = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        pending = data
        while True:
            try:
                out = self._decoder.decompress(pending, STEP)
            except zlib.error as exc:
                if self._gzip or self._started:
                    raise EncodingError(f"the {self.coding} body is corrupt: {exc}") from exc
                # "deflate" is often sent without its zlib header: retry as raw deflate.
                self._wbits = _RAW_DEFLATE
                self._decoder = zlib.decompressobj(self._wbits)
                self._started = True
                continue
            self._started = self._started or bool(out)
            if out:
                yield out
            pending = self._decoder.unconsumed_tail
            if self._decoder.eof:
                rest = self._decoder.unused_data
                if self._gzip and rest.strip(b"\x00"):
                    # Another gzip member follows (concatenated gzip files are one body).
                    self._decoder = zlib.decompressobj(self._wbits)
                    pending = rest
                    continue
                return
            if not pending and len(out) < STEP:
                return

    def finish(self) -> Iterator[bytes]:
        yield from self.feed(b"")
        if not self._decoder.eof and self._started:
            raise EncodingError(f"the {self.coding} body ended before its compressed stream did")


class BodyDecoder:
    """Decode a raw body through every layer of its Content-Encoding, in bounded steps."""

    def __init__(self, header: str | None) -> None:
        names = codings(header)
        if len(names) > MAX_LAYERS:
            raise EncodingError(
                f"Content-Encoding stacks {len(names)} codings ({header}); at most "
                f"{MAX_LAYERS} are decoded"
            )
        unknown = [name for name in names if name not in ("gzip", "x-gzip", "deflate")]
        if unknown:
            raise EncodingError(
                f"Content-Encoding {', '.join(unknown)!r} cannot be decoded by this client "
                f"(it asks for {ACCEPT_ENCODING!r} only)"
            )
        # Codings are listed in the order they were applied: undo the last one first.
        self._layers = [_Inflate(name) for name in reversed(names)]

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """Decoded pieces of ``raw`` (each at most :data:`STEP` bytes when encoded)."""
        yield from self._through(0, (raw,))

    def finish(self) -> Iterator[bytes]:
        """What the layers still hold once the raw body has ended."""
        for index, layer in enumerate(self._layers):
            yield from self._through(index + 1, layer.finish())

    def _through(self, index: int, pieces: Iterable[bytes]) -> Iterator[bytes]:
        if index == len(self._layers):
            yield from (piece for piece in pieces if piece)
            return
        layer = self._layers[index]
        for piece in pieces:
            yield from self._through(index + 1, layer.feed(piece))
