"""Resolution of a requested model id to a catalog offer, saying how it matched.

The order is fixed and never fuzzy: an exact ``canonical_id``, an exact
``provider_model_id`` (case kept), an explicit alias, then the canonical form of the
request computed by :mod:`catalog_pipeline.domain.ids`. When nothing matches, the
answer is "not found" with the nearest canonical ids listed for a human; a candidate is
never picked automatically.

A :class:`Resolver` is an immutable snapshot of one catalog read, so everything a lookup
needs is ranked once when it is built and every answer is remembered (bounded LRU). The
answers are shared between callers and therefore immutable all the way down: frozen
models, tuples and read-only pricing mappings.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal, NoReturn, Self, TypeVar

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.domain.aliases import aliases
from catalog_pipeline.domain.collector import collector_paused
from catalog_pipeline.domain.ids import canonical_id
from catalog_pipeline.domain.rows import PRICE_FIELDS
from catalog_pipeline.domain.units import decimal_str

Match = Literal["exact", "alias", "normalized"]
STATUS_ORDER = {"active": 0, "missing": 1, "deprecated": 2}
DEFAULT_ANSWER_CACHE = 32_768
"""Answers remembered per resolver: far more distinct model ids than a gateway sees
between two catalog versions, and a bound on what caller-chosen ids can cost (an answer
takes about 1 KB)."""
REMEMBERED_REQUEST_LENGTH = 256
"""Longer requested ids or providers (no real one is that long) are answered but not
remembered, so the answer cache stays bounded in bytes as well as in entries."""

OFFER_FIELDS = (
    "provider",
    "provider_model_id",
    "canonical_id",
    "display_name",
    "model_type",
    "status",
    "context_length",
    "max_output_tokens",
    "price_source",
)
_PRICES = operator.itemgetter(*PRICE_FIELDS)
_set = object.__setattr__
_NONES = itertools.repeat(None)


class Pricing(dict[str, str | None]):
    """A read-only price mapping: one offer's prices are shared by every answer naming it.

    A ``dict`` subclass so that pydantic, ``json`` and callers treat it as the plain dict
    it always was; copy it (``dict(pricing)``) to change it.
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("pricing is read-only; copy it with dict(...) to change it")

    __setitem__ = __delitem__ = __ior__ = _read_only  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    def __reduce__(self) -> tuple[type[Pricing], tuple[dict[str, str | None]]]:
        return (type(self), (dict(self),))


class PriceTexts:
    """The prices of one catalog read, formatted once.

    A catalog has far fewer distinct prices (and price lists) than cells, and equal
    Decimals always print the same normalized string, so each distinct value is formatted
    once and offers with the same prices share one read-only :class:`Pricing`.
    """

    def __init__(self) -> None:
        self._texts = _Texts({None: None})
        self._pricings: dict[tuple[Decimal | None, ...], Pricing] = {}

    def pricing(self, row: Mapping[str, Any]) -> Pricing:
        values = _PRICES(row)
        found = self._pricings.get(values)
        if found is None:
            texts = map(self._texts.__getitem__, values)
            found = self._pricings[values] = Pricing(zip(PRICE_FIELDS, texts, strict=True))
        return found


class _Texts(dict[Decimal | None, str | None]):
    """Each distinct price formatted once; looking up a seen one never leaves C."""

    def __missing__(self, value: Decimal) -> str | None:
        text = self[value] = plain_decimal(value)
        return text


def plain_decimal(value: Decimal) -> str | None:
    """``decimal_str(value)``, skipping its normalization when the plain form has nothing
    to strip, as with every price the store reads back (it returns them normalized).

    A plain form has something to strip only if it has trailing zeros after the point or
    is a zero or negative integer; any other plain form already is ``decimal_str``'s.
    """
    text = format(value, "f")
    if ("." in text and text[-1] != "0") or ("." not in text and text[0] not in "-0"):
        return text
    return decimal_str(value)


M = TypeVar("M", bound=BaseModel)


class FieldNames(set[str]):
    """A read-only set of field names, shared as ``model_fields_set`` by the models that
    :func:`trusted` builds: a set per model would take as much memory as the model.

    ``model_copy`` copies it into a plain set before it records updated fields.
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("the fields set of a shared model is read-only")

    add = discard = remove = pop = clear = update = _read_only  # type: ignore[assignment]
    difference_update = intersection_update = symmetric_difference_update = _read_only  # type: ignore[assignment]
    __ior__ = __iand__ = __isub__ = __ixor__ = _read_only  # type: ignore[assignment]

    def __copy__(self) -> set[str]:
        return set(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> set[str]:
        return set(self)


@functools.cache
def every_field(cls: type[BaseModel]) -> FieldNames:
    return FieldNames(cls.model_fields)


def trusted(cls: type[M], values: dict[str, Any], fields_set: FieldNames | None = None) -> M:
    """``cls.model_construct(**values)`` for values that name every field of ``cls``.

    What ``model_construct`` does, without its per-field alias and default handling, which
    costs more than the rest of a lookup or of indexing a row. ``values`` becomes the
    model's ``__dict__``; ``fields_set`` (default: every field) is shared, not copied.
    """
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", every_field(cls) if fields_set is None else fields_set)
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


class OfferView(BaseModel):
    """One offer as the read side shows it: prices as decimal strings in USD per token."""

    model_config = ConfigDict(frozen=True)

    provider: str
    provider_model_id: str
    canonical_id: str
    display_name: str
    model_type: str
    status: str
    context_length: int | None
    max_output_tokens: int | None
    pricing: dict[str, str | None]
    price_source: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any], texts: PriceTexts | None = None) -> Self:
        """An offer from a row of our own store: already typed, so it is not re-validated."""
        return trusted(cls, offer_fields(row, texts or PriceTexts()))

    @property
    def publisher(self) -> str:
        return self.canonical_id.split("/", 1)[0]

    def price(self, name: str) -> Decimal | None:
        value = self.pricing.get(name)
        return Decimal(value) if value is not None else None


def offer_fields(row: Mapping[str, Any], texts: PriceTexts) -> dict[str, Any]:
    """The :class:`OfferView` fields of a store row, prices formatted through ``texts``."""
    fields = {name: row[name] for name in OFFER_FIELDS}
    fields["pricing"] = texts.pricing(row)
    return fields


class Resolution(BaseModel):
    """The answer to "what is this model and what does it cost".

    Frozen, with tuples and read-only pricing: one answer is handed to every caller who
    asks the same question of the same snapshot.
    """

    model_config = ConfigDict(frozen=True)

    requested: str
    found: bool
    canonical_id: str | None = None
    provider: str | None = None
    provider_model_id: str | None = None
    match: Match | None = None
    pricing: dict[str, str | None] | None = None
    context_length: int | None = None
    offers: tuple[OfferView, ...] = ()
    reason: str | None = None
    candidates: tuple[str, ...] = ()


_FOUND_SET = FieldNames(Resolution.model_fields.keys() - {"reason", "candidates"})
_NOT_FOUND_SET = FieldNames({"requested", "found", "reason", "candidates"})
_NOT_FOUND = {name: field.default for name, field in Resolution.model_fields.items()} | {
    "found": False
}


def preference(offer: OfferView) -> tuple[int, int, int, str]:
    """Active first, then the publisher's own offer, then priced offers, then by provider."""
    first_party = 0 if offer.provider == offer.publisher else 1
    unpriced = 0 if any(map(operator.is_not, offer.pricing.values(), _NONES)) else 1
    return (STATUS_ORDER.get(offer.status, 3), first_party, unpriced, offer.provider)


class Resolver:
    """Indexes of one consistent catalog read; cheap lookups, no I/O.

    ``answer_cache`` bounds how many answers are remembered (0: none, every lookup runs
    the rules; the answers are the same either way).
    """

    def __init__(
        self, rows: Iterable[Mapping[str, Any]], *, answer_cache: int = DEFAULT_ANSWER_CACHE
    ) -> None:
        with collector_paused():
            texts = PriceTexts()
            self._index(tuple(OfferView.from_row(row, texts) for row in rows), answer_cache)

    @classmethod
    def from_offers(
        cls, offers: Iterable[OfferView], *, answer_cache: int = DEFAULT_ANSWER_CACHE
    ) -> Resolver:
        """A resolver over offers already built (the read client's :class:`ModelInfo`)."""
        resolver = cls.__new__(cls)
        with collector_paused():
            resolver._index(tuple(offers), answer_cache)
        return resolver

    def _index(self, offers: tuple[OfferView, ...], answer_cache: int) -> None:
        """Rank every offer once; each index keeps that order, so a lookup only filters."""
        self.offers = offers
        by_canonical: dict[str, list[OfferView]] = defaultdict(list)
        by_provider_id: dict[str, list[OfferView]] = defaultdict(list)
        by_provider: dict[str, set[str]] = defaultdict(set)
        for offer in sorted(offers, key=preference):
            by_canonical[offer.canonical_id].append(offer)
            by_provider_id[offer.provider_model_id].append(offer)
            by_provider[offer.provider].add(offer.canonical_id)
        self._by_canonical = {key: tuple(found) for key, found in by_canonical.items()}
        self._by_provider_id = {key: tuple(found) for key, found in by_provider_id.items()}
        self._canonical_ids: dict[str | None, tuple[str, ...]] = {
            None: tuple(by_canonical),
            **{slug: tuple(ids) for slug, ids in by_provider.items()},
        }
        self._answers: Callable[[str, str | None], Resolution] = (
            functools.lru_cache(maxsize=answer_cache)(self._resolve)
            if answer_cache
            else self._resolve
        )

    def resolve(self, requested: str, provider: str | None = None) -> Resolution:
        """The answer for ``requested`` (among ``provider``'s offers only, if given)."""
        if len(requested) > REMEMBERED_REQUEST_LENGTH or (
            provider is not None and len(provider) > REMEMBERED_REQUEST_LENGTH
        ):
            return self._resolve(requested, provider)
        return self._answers(requested, provider)

    def _resolve(self, requested: str, provider: str | None) -> Resolution:
        text = requested.strip()
        lowered = text.lower()
        offers = self._ranked(self._by_canonical, lowered, provider)
        if offers:
            return _found(text, "exact", offers, lowered)
        offers = self._ranked(self._by_provider_id, text, provider)
        if offers:
            return _found(text, "exact", offers, offers[0].canonical_id)
        alias = aliases().get(lowered)
        if alias is not None:
            offers = self._ranked(self._by_canonical, alias.canonical_id, provider)
            if offers:
                return _found(text, "alias", offers, alias.canonical_id)
        normalized = canonical_id(text, provider or "unknown")
        offers = self._ranked(self._by_canonical, normalized, provider)
        if offers:
            return _found(text, "normalized", offers, normalized)
        return self._not_found(text, provider, normalized)

    @staticmethod
    def _ranked(
        index: dict[str, tuple[OfferView, ...]], key: str, provider: str | None
    ) -> tuple[OfferView, ...]:
        """The offers under ``key``, best first (ranked at build time; filtering keeps order)."""
        offers = index.get(key, ())
        if provider is None or not offers:
            return offers
        return tuple(offer for offer in offers if offer.provider == provider)

    def _not_found(self, requested: str, provider: str | None, target: str) -> Resolution:
        pool = self._canonical_ids.get(provider, ())
        candidates = difflib.get_close_matches(target, pool, n=5, cutoff=0.6)
        scope = f" at provider {provider!r}" if provider else ""
        values = dict(
            _NOT_FOUND,
            requested=requested,
            reason=f"no exact, alias or normalized match for {requested!r}{scope} "
            f"(normalized form {target!r}); candidates are listed, never chosen",
            candidates=tuple(candidates),
        )
        return trusted(Resolution, values, _NOT_FOUND_SET)


def _found(
    requested: str, match: Match, offers: tuple[OfferView, ...], canonical: str
) -> Resolution:
    chosen = offers[0]
    values = {
        "requested": requested,
        "found": True,
        "canonical_id": canonical,
        "provider": chosen.provider,
        "provider_model_id": chosen.provider_model_id,
        "match": match,
        "pricing": chosen.pricing,
        "context_length": chosen.context_length,
        "offers": offers,
        "reason": None,
        "candidates": (),
    }
    return trusted(Resolution, values, _FOUND_SET)
