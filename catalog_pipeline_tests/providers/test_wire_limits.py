"""The limits the streaming reader enforces before parsing, and the bounded body decoder.

The number guard reads chunk by chunk with a fast path; these tests compare its verdict
with a plain character-by-character reference on generated bodies cut at every kind of
place (inside strings, inside escapes, inside numbers).
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import zlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_pipeline.providers.decoding import MAX_LAYERS, STEP, BodyDecoder, EncodingError
from catalog_pipeline.providers.wire import NumberGuard, PageReader, PayloadError


class Chunks(io.RawIOBase):
    """A stream that returns the given pieces one ``read`` at a time."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = list(pieces)

    def read(self, size: int = -1) -> bytes:
        return self.pieces.pop(0) if self.pieces else b""


def guard_refuses(pieces: list[bytes], limit: int) -> bool:
    guard = NumberGuard(Chunks(pieces), limit)
    try:
        while guard.read(65536):
            pass
    except PayloadError:
        return True
    return False


def longest_number(body: bytes) -> int:
    """Reference: the longest run of number characters outside JSON strings."""
    longest = run = 0
    in_string = escaped = False
    for byte in body:
        char = chr(byte)
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
            run = 0
        elif char in "0123456789+-.eE":
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return longest


TRICKY_TEXT = st.text(alphabet='0123456789"\\e-. ab', max_size=40)
VALUES = st.recursive(
    st.one_of(
        st.integers(min_value=-(10**40), max_value=10**40),
        st.decimals(allow_nan=False, allow_infinity=False, places=12).map(str).map(float),
        TRICKY_TEXT,
        st.booleans(),
        st.none(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(TRICKY_TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    value=VALUES,
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=6),
    limit=st.integers(min_value=3, max_value=30),
)
def test_number_guard_agrees_with_a_character_by_character_reference(
    value: Any, cuts: list[int], limit: int
) -> None:
    body = json.dumps(value).encode()
    points = sorted({min(c, len(body)) for c in cuts} | {0, len(body)})
    pieces = [body[a:b] for a, b in itertools.pairwise(points) if b > a]
    assert guard_refuses(pieces, limit) == (longest_number(body) > limit)


@pytest.mark.parametrize(
    ("pieces", "refused"),
    [
        ([b'{"n": ' + b"1" * 60, b"1" * 60 + b"}"], True),
        ([b'{"n": ' + b"1" * 50, b"1" * 50 + b"}"], False),
        ([b'{"n": ' + b"1" * 40, b"1" * 40, b"1" * 40 + b"}"], True),
        ([b'{"s": "' + b"1" * 60, b"1" * 60 + b'"}'], False),
        ([b'{"s": "a\\', b'"' + b"1" * 200 + b'"}'], False),
        ([b'{"s": "a\\\\', b'", "n": ' + b"1" * 200 + b"}"], True),
    ],
    ids=["split", "split-short", "three-chunks", "string", "escaped-quote", "escaped-backslash"],
)
def test_number_guard_across_chunk_boundaries(pieces: list[bytes], refused: bool) -> None:
    assert guard_refuses(pieces, 100) is refused


def read(body: bytes, key: str | None = "data", **options: Any) -> PageReader:
    reader = PageReader(io.BytesIO(body), key, **options)
    reader.items_list = list(reader.items())  # type: ignore[attr-defined]
    return reader


def test_nesting_up_to_the_limit_is_read_and_one_more_level_is_refused() -> None:
    # the page object is level 1, the list level 2, so an item may nest 62 more levels
    fits = b'{"data": [' + b"[" * 62 + b"]" * 62 + b"]}"
    assert read(fits).items_list == json.loads(fits)["data"]
    too_deep = b'{"data": [' + b"[" * 63 + b"]" * 63 + b"]}"
    with pytest.raises(PayloadError, match="nests deeper than 64 levels"):
        read(too_deep)


def test_a_4301_digit_integer_is_refused_before_the_parser_sees_it() -> None:
    body = b'{"data": [{"id": "x", "created": ' + b"7" * 4301 + b"}]}"
    with pytest.raises(PayloadError, match="number longer than 100 characters"):
        read(body)
    assert read(b'{"data": [{"created": ' + b"7" * 100 + b"}]}").items_list[0]["created"] > 0


def test_secrets_are_redacted_from_values_keys_and_the_envelope() -> None:
    key = "sk-live-Abc123Def456"
    document = {
        "has_more": False,
        "error": {"message": f"echo {key}"},
        "data": [{"id": "m", "owned_by": f"{key}/{key}", key: 1}, f"x{key}"],
    }
    reader = read(json.dumps(document).encode(), secrets=[key])
    assert reader.items_list == [
        {"id": "m", "owned_by": "[redacted]/[redacted]", "[redacted]": 1},
        "x[redacted]",
    ]
    assert reader.envelope["error.message"] == "echo [redacted]"
    assert reader.redactions == 5


def decode(body: bytes, header: str, piece: int = 1000) -> bytes:
    decoder = BodyDecoder(header)
    out = b"".join(b"".join(decoder.feed(body[i : i + piece])) for i in range(0, len(body), piece))
    return out + b"".join(decoder.finish())


DATA = json.dumps({"data": [{"id": f"model-{i}"} for i in range(2000)]}).encode()


@pytest.mark.parametrize(
    ("body", "header"),
    [
        (gzip.compress(DATA), "gzip"),
        (gzip.compress(gzip.compress(DATA)), "gzip, gzip"),
        (gzip.compress(DATA[:100]) + gzip.compress(DATA[100:]), "x-gzip"),
        (zlib.compress(DATA), "deflate"),
        (zlib.compress(DATA)[2:-4], "deflate"),
        (gzip.compress(zlib.compress(DATA)), "deflate, gzip"),
        (DATA, "identity"),
        (DATA, ""),
    ],
    ids=["gzip", "gzip-gzip", "two-members", "zlib", "raw-deflate", "deflate-gzip", "id", "none"],
)
def test_decoder_undoes_every_layer_in_order(body: bytes, header: str) -> None:
    assert decode(body, header) == DATA


def test_decoder_yields_bounded_pieces_from_a_bomb() -> None:
    bomb = gzip.compress(gzip.compress(bytes(64 * 1024 * 1024)))
    decoder = BodyDecoder("gzip, gzip")
    sizes = [len(piece) for piece in decoder.feed(bomb)]
    assert max(sizes) <= STEP and sum(sizes) + sum(map(len, decoder.finish())) == 64 * 1024**2


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("br", "Content-Encoding 'br' cannot be decoded"),
        ("gzip, zstd", "Content-Encoding 'zstd' cannot be decoded"),
        (", ".join(["gzip"] * (MAX_LAYERS + 1)), f"at most {MAX_LAYERS} are decoded"),
    ],
)
def test_decoder_refuses_what_it_cannot_decode(header: str, message: str) -> None:
    with pytest.raises(EncodingError, match=message):
        BodyDecoder(header)


def test_a_corrupt_or_cut_gzip_body_is_an_error() -> None:
    with pytest.raises(EncodingError, match="corrupt"):
        decode(b"\x1f\x8b\x08\x00garbage-garbage", "gzip")
    with pytest.raises(EncodingError, match="ended before"):
        decode(gzip.compress(DATA)[:200], "gzip")
