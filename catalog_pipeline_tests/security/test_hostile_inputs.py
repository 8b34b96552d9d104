"""Property-based tests: hostile payloads and ids never crash the parsers or the identity rules.

A provider's body can be anything. Whatever it is, ``parse_payload`` either raises a clean
:class:`ProviderError` or returns rows that are valid (typed, prices finite and
non-negative Decimals) plus rejected items that are counted; normalization (canonical ids,
display names) then never raises either. Payloads are built by mutating the provider's
own recording, so the generated cases reach deep into each parser instead of failing at
the first key.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_pipeline.domain.ids import canonical_id, canonicalize, fold_case
from catalog_pipeline.domain.rows import PRICE_FIELDS, ProviderModel
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline.providers.fetch import parse_payload
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.conftest import RECORDINGS

PARSERS = {
    "groq": "openai/v1/models.json",
    "together": "v1/models.json",
    "openrouter": "api/v1/models.json",
    "anthropic": "v1/models.json",
    "cohere": "v1/models.json",
    "mistral": "v1/models.json",
}
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "NaN",
            "-Infinity",
            "1e999999",
            "-0.000001",
            "0x1F",
            "\uff11\uff12\uff13",
            "x'); DROP TABLE models; --",
            '"quoted"',
            "a;b",
            "\u0000nul",
            "\u202eevil",
            "模型",
            "🚀",
            "a" * 5000,
        ]
    ),
)
HOSTILE_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    HOSTILE_TEXT,
)
HOSTILE_VALUE = st.recursive(
    HOSTILE_SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(HOSTILE_TEXT, inner, max_size=3)
    ),
    max_leaves=6,
)


def recording(slug: str) -> Any:
    return json.loads((RECORDINGS / slug / PARSERS[slug]).read_bytes())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            paths += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            paths += _paths(child, (*prefix, index))
    return paths


def _replace(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return document


@st.composite
def mutated(draw: st.DrawFn, slug: str) -> bytes:
    """The provider's recording with a few values anywhere in it replaced by hostile ones."""
    document = recording(slug)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        document = _replace(document, path, draw(HOSTILE_VALUE))
    body = json.dumps(document, ensure_ascii=draw(st.booleans())).encode()
    return draw(
        st.one_of(
            st.just(body),
            st.builds(lambda cut: body[:cut], st.integers(0, len(body))),
            st.builds(lambda junk: body + junk, st.binary(min_size=1, max_size=20)),
        )
    )


def assert_clean(slug: str, body: bytes) -> None:
    spec = get_provider(slug)
    try:
        result = parse_payload(spec, body)
    except ProviderError as error:
        assert error.provider == slug and error.kind
        return
    assert result.item_count == len(result.rows) + result.rejected_count
    for row in result.rows:
        assert isinstance(row, ProviderModel)
        for name in PRICE_FIELDS:
            price = getattr(row.prices, name)
            assert price is None or (isinstance(price, Decimal) and price.is_finite())
            assert price is None or price >= 0
    for offer in normalize_rows(spec, result.rows):
        assert offer.canonical_id == offer.canonical_id.lower() and "/" in offer.canonical_id
        assert offer.provider_model_id in {row.provider_model_id for row in result.rows}


FAST = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@FAST
@given(st.data())
def test_mutated_payloads_never_crash_the_parsers(data: st.DataObject) -> None:
    slug = data.draw(st.sampled_from(sorted(PARSERS)), label="provider")
    assert_clean(slug, data.draw(mutated(slug), label="body"))


@FAST
@given(slug=st.sampled_from(sorted(PARSERS)), body=st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_parsers(slug: str, body: bytes) -> None:
    assert_clean(slug, body)


@FAST
@given(
    slug=st.sampled_from(sorted(PARSERS)),
    items=st.lists(HOSTILE_VALUE, max_size=5),
    wrap=st.booleans(),
)
def test_hostile_item_lists_never_crash_the_parsers(
    slug: str, items: list[Any], wrap: bool
) -> None:
    key = "models" if slug in ("cohere",) else "data"
    document: Any = items if slug == "together" and not wrap else {key: items}
    assert_clean(slug, json.dumps(document).encode())


@settings(max_examples=500, deadline=None, derandomize=True)
@given(
    model_id=st.one_of(HOSTILE_TEXT, st.text(min_size=1, max_size=80)),
    provider=st.sampled_from(["groq", "together", "openrouter", "google-vertex", "fireworks"]),
    hint=st.one_of(st.none(), HOSTILE_TEXT),
)
def test_canonical_id_is_total_lowercase_and_stable(
    model_id: str, provider: str, hint: str | None
) -> None:
    value = canonical_id(model_id, provider, hint)
    assert isinstance(value, str) and "/" in value
    # lowercase, except lookalikes that lowercase to ASCII (U+212A KELVIN SIGN -> "k")
    assert value == fold_case(value)
    # the same id computed afresh, not read back from canonicalize's lru_cache
    assert canonicalize.__wrapped__(model_id, provider, hint).value == value
