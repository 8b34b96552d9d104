"""Resolution of a requested model id to the offer a gateway bills, saying how it matched.

A wrong price is the worst answer and a quiet guess the second worst, so every answer has
a ``status`` a script can act on (``priced``, ``unpriced``, ``not_found``, ``ambiguous``)
and says how the model was identified (``match``) and which rule chose the offer
(``chosen_by``).

**A provider named in the request binds** (:mod:`catalog_pipeline.domain.named_providers`):
``provider=``, a LiteLLM-style prefix (``together_ai/…``) or a provider-native wrapper
(``accounts/fireworks/models/…``). The answer is that provider's offer, looked up as the
exact id, the provider's native spellings of it, the canonical id, an alias, the canonical
form of the request, a moving alias and, only when nobody lists the dated id, the base of a
dated snapshot. Otherwise it is ``not_found`` at that provider, with the other providers'
offers of the model as labelled ``alternatives``; another provider's price is the answer
only with ``fallback="any_provider"``, and then ``match`` is ``fallback_any_provider``.

**No provider named**: the request is identified as one canonical model (an exact
canonical id, an id some provider lists, an alias, its canonical form, a moving alias, or
the base of a dated snapshot nobody lists), and the offer is chosen in this order, active
offers before missing or deprecated ones:

1. ``publisher``: the publisher's own offer (``anthropic`` for ``anthropic/…``); if the
   publisher does not list the id but lists the pinned target of a documented moving alias,
   that. An unpriced publisher offer is answered as ``unpriced`` with the priced offers of
   other providers as alternatives, never replaced by one of them silently.
2. ``reference_price``: a reference price for the model (``reference_offer`` hook; the
   reference price sources of a later change plug in here).
3. ``sole_provider``: only one provider offers the model.
4. otherwise ``ambiguous``, with every offer listed; with ``fallback="any_provider"`` the
   highest-priced offer (prompt, then completion) answers, ``match`` saying so.

Nothing is ever chosen alphabetically. When nothing matches, the answer is ``not_found``
with the nearest canonical ids of the same family and size listed for a person; a
candidate is never picked.

A :class:`Resolver` is an immutable snapshot of one catalog read: offers are indexed once
and answers (frozen dataclasses, shared by every caller) are remembered in a bounded LRU.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from catalog_pipeline.domain.aliases import MovingAlias, aliases, apply_alias, moving_aliases
from catalog_pipeline.domain.answers import (
    STATUS_ORDER,
    Alternative,
    ChosenBy,
    Fallback,
    Match,
    OfferView,
    ReferenceOffer,
    Relation,
    Resolution,
    Status,
    offer_order,
    stored_prices,
)
from catalog_pipeline.domain.collector import collector_paused
from catalog_pipeline.domain.ids import canonical_id, fold_case, snapshot_base
from catalog_pipeline.domain.named_providers import NamedBy, named_provider, native_spellings
from catalog_pipeline.domain.rows import PRICE_COLUMN_NAMES, Prices
from catalog_pipeline.domain.suggestions import Suggestions, nearest

DEFAULT_ANSWER_CACHE = 32_768
"""Answers remembered per resolver: far more distinct model ids than a gateway sees
between two catalog versions, and a bound on what caller-chosen ids can cost."""
REMEMBERED_REQUEST_LENGTH = 256
"""Longer requested ids or providers (no real one is that long) are answered but not
remembered, so the answer cache stays bounded in bytes as well as in entries."""


@dataclass(frozen=True, slots=True)
class _Identified:
    canonical_id: str
    match: Match
    moving: MovingAlias | None = None


class Resolver:
    """Indexes of one consistent catalog read; lookups without I/O.

    ``answer_cache`` bounds how many answers are remembered (0: none; the answers are the
    same either way). ``reference_offer`` is the optional reference-price hook.
    """

    def __init__(
        self,
        rows: Iterable[Mapping[str, Any]],
        *,
        answer_cache: int = DEFAULT_ANSWER_CACHE,
        reference_offer: ReferenceOffer | None = None,
    ) -> None:
        shared: dict[tuple[Any, ...], Prices] = {}

        def offer(row: Mapping[str, Any]) -> OfferView:
            key = tuple(row.get(name) for name in PRICE_COLUMN_NAMES)
            prices = shared.get(key)
            if prices is None:
                prices = shared[key] = stored_prices(row)
            return OfferView.from_row(row, prices)

        with collector_paused():
            self._index(tuple(map(offer, rows)), answer_cache, reference_offer)

    @classmethod
    def from_offers(
        cls,
        offers: Iterable[OfferView],
        *,
        answer_cache: int = DEFAULT_ANSWER_CACHE,
        reference_offer: ReferenceOffer | None = None,
    ) -> Resolver:
        resolver = cls.__new__(cls)
        with collector_paused():
            resolver._index(tuple(offers), answer_cache, reference_offer)
        return resolver

    def _index(
        self,
        offers: tuple[OfferView, ...],
        answer_cache: int,
        reference_offer: ReferenceOffer | None,
    ) -> None:
        aliases(), moving_aliases()  # load (and validate) the tables before threads share us
        self.offers = offers
        self.reference_offer = reference_offer
        by_canonical: dict[str, list[OfferView]] = defaultdict(list)
        by_provider_id: dict[str, list[OfferView]] = defaultdict(list)
        at_provider_canonical: dict[tuple[str, str], list[OfferView]] = defaultdict(list)
        self._at_provider: dict[tuple[str, str], OfferView] = {}
        for offer in sorted(offers, key=offer_order):
            by_canonical[offer.canonical_id].append(offer)
            by_provider_id[offer.provider_model_id].append(offer)
            at_provider_canonical[offer.provider, offer.canonical_id].append(offer)
            self._at_provider[offer.provider, offer.provider_model_id] = offer
        self._by_canonical = {key: tuple(found) for key, found in by_canonical.items()}
        self._at_provider_canonical = {k: tuple(v) for k, v in at_provider_canonical.items()}
        self._current = {key: _current(found) for key, found in self._by_canonical.items()}
        self._own: dict[str, tuple[OfferView, ...]] = {}
        self._provider_count: dict[str, int] = {}
        for key, current in self._current.items():
            publisher = key.split("/", 1)[0]
            own = tuple(offer for offer in current if offer.provider == publisher)
            if own:
                self._own[key] = own
            self._provider_count[key] = len({offer.provider for offer in current})
        self._by_provider_id = {key: tuple(found) for key, found in by_provider_id.items()}
        self._pid_canonical: dict[str, str] = {}
        self._pid_models: dict[str, tuple[OfferView, ...]] = {}
        for key, found in self._by_provider_id.items():
            models = {offer.canonical_id for offer in found}
            if len(models) == 1:
                self._pid_canonical[key] = models.pop()
            elif fold_case(key) not in self._by_canonical:
                self._pid_models[key] = found
        self.providers = frozenset(offer.provider for offer in offers)
        self._suggestions: dict[str | None, Suggestions] = {}
        self._answers: Callable[[str, str | None, Fallback], Resolution] = (
            functools.lru_cache(maxsize=answer_cache)(self._resolve)
            if answer_cache
            else self._resolve
        )

    # reading ----------------------------------------------------------------------------

    def offers_of(self, canonical: str) -> tuple[OfferView, ...]:
        """Every offer of one canonical model (any status), in display order."""
        return self._by_canonical.get(canonical, ())

    def canonical_ids(self) -> Iterable[str]:
        return self._by_canonical.keys()

    def resolve(
        self, requested: str, provider: str | None = None, *, fallback: Fallback = "none"
    ) -> Resolution:
        """The answer for ``requested`` (at ``provider``, if given: see the module doc)."""
        if fallback not in ("none", "any_provider"):
            raise ValueError(f"fallback must be 'none' or 'any_provider', not {fallback!r}")
        provider = fold_case(provider.strip()) or None if provider else None
        if len(requested) > REMEMBERED_REQUEST_LENGTH or (
            provider is not None and len(provider) > REMEMBERED_REQUEST_LENGTH
        ):
            return self._resolve(requested, provider, fallback)
        return self._answers(requested, provider, fallback)

    def _resolve(self, requested: str, provider: str | None, fallback: Fallback) -> Resolution:
        text = requested.strip()
        if not text:
            return Resolution(requested=text, status="not_found", reason="empty model id")
        named = named_provider(text, provider)
        if named is None:
            return self._unbound(text, fallback)
        return self._bound(text, named.provider, named.model_id, named.named_by, fallback)

    # a provider named ---------------------------------------------------------------------

    def _bound(
        self, text: str, provider: str, model_id: str, named_by: NamedBy, fallback: Fallback
    ) -> Resolution:
        spellings = native_spellings(provider, model_id)
        if model_id != text:
            spellings = (*spellings, text)
        listed = []
        for spelled in spellings:
            offer = self._at_provider.get((provider, spelled))
            if offer is not None and offer not in listed:
                listed.append(offer)
        context = _Context(text, provider, named_by)
        if listed:
            return self._one_at_provider(context, tuple(listed), listed[0].canonical_id, "exact")
        for found in self._identities(model_id, provider):
            offers = self._at_provider_canonical.get((provider, found.canonical_id))
            if offers:
                return self._one_at_provider(context, offers, found.canonical_id, found.match)
        return self._not_at_provider(context, model_id, fallback)

    def _one_at_provider(
        self, context: _Context, offers: tuple[OfferView, ...], canonical: str, match: Match
    ) -> Resolution:
        chosen = _one_of(offers, context.text)
        if chosen is None:
            return context.answer(
                "ambiguous",
                canonical_id=canonical,
                match=match,
                alternatives=_listed(offers, "candidate"),
                reason=f"{context.provider} lists {len(offers)} offers of {canonical} at "
                f"different prices; ask for one of their ids",
            )
        others = self._alternatives(canonical, exclude=chosen, priced_only=not chosen.priced)
        reason = _why(chosen, match, context.named_by)
        if not chosen.priced:
            reason += f"; it has no price ({len(others)} priced offer(s) of other providers "
            reason += "are alternatives, not used)"
        return context.answer(
            _status(chosen),
            canonical_id=canonical,
            match=match,
            chosen_by="named_provider",
            offer=chosen,
            alternatives=others,
            reason=reason,
        )

    def _not_at_provider(self, context: _Context, model_id: str, fallback: Fallback) -> Resolution:
        found = self._identify(model_id) or self._identify(context.text)
        scope = (
            f"{context.provider} has no offer of it"
            if context.provider in self.providers
            else f"the catalog has no offers from {context.provider} (not synced, or not a "
            "provider of the roster)"
        )
        if found is None:
            return context.answer(
                "not_found",
                reason=f"{context.text!r} names provider {context.provider} "
                f"({context.named_by}); {scope}, and no other provider lists the model",
                candidates=self._candidates(model_id, context.provider),
            )
        alternatives = self._alternatives(found.canonical_id)
        if fallback == "any_provider":
            chosen, rule = _fallback_choice(tuple(a.offer for a in alternatives))
            if chosen is not None:
                return context.answer(
                    _status(chosen),
                    canonical_id=found.canonical_id,
                    match="fallback_any_provider",
                    chosen_by=rule,
                    offer=chosen,
                    alternatives=tuple(a for a in alternatives if a.offer is not chosen),
                    reason=f"{context.provider} has no offer of {found.canonical_id}; "
                    f"fallback='any_provider' chose {chosen.provider}'s ({rule})",
                )
        return context.answer(
            "not_found",
            canonical_id=found.canonical_id,
            match=found.match,
            alternatives=alternatives,
            reason=f"{context.text!r} names provider {context.provider} ({context.named_by}); "
            f"{scope}; {len(alternatives)} other offer(s) of {found.canonical_id} are listed "
            "as alternatives, never used (pass fallback='any_provider' to accept one)",
        )

    # no provider named --------------------------------------------------------------------

    def _unbound(self, text: str, fallback: Fallback) -> Resolution:
        context = _Context(text, None, None)
        listed = self._pid_models.get(text)
        if listed is not None:
            return context.answer(
                "ambiguous",
                match="exact",
                alternatives=_listed(listed, "candidate"),
                reason=f"{len(listed)} providers list {text!r} as different models "
                f"({', '.join(sorted({o.canonical_id for o in listed}))}); name the provider",
            )
        found = self._identify(text)
        if found is None:
            return context.answer(
                "not_found",
                reason=f"no provider lists {text!r} and no canonical id, alias or rule "
                "matches it; the candidates are listed, never chosen",
                candidates=self._candidates(text, None),
            )
        return self._choose(context, found, fallback)

    def _choose(self, context: _Context, found: _Identified, fallback: Fallback) -> Resolution:
        canonical, match = found.canonical_id, found.match
        publisher = canonical.split("/", 1)[0]
        pool = self._current.get(canonical, ())
        own = self._own.get(canonical)
        moving = found.moving
        if own is None:
            pinned = moving_aliases().get(canonical)
            target_own = self._own.get(pinned.target_id) if pinned is not None else None
            if pinned is not None and target_own is not None:
                canonical, match, own = pinned.target_id, "moving_alias", target_own
                pool = self._current[canonical]
                moving = pinned
        if own is not None:
            return self._from_publisher(context, moving, canonical, match, own, pool, fallback)
        if self.reference_offer is not None:
            reference = self.reference_offer(canonical)
            if reference is not None and reference.priced:
                return context.answer(
                    _status(reference),
                    canonical_id=canonical,
                    match=match,
                    chosen_by="reference_price",
                    offer=reference,
                    alternatives=_listed(pool, "other_provider"),
                    reason=f"no offer from {publisher}; reference price from "
                    f"{reference.price_source}",
                )
        providers = self._provider_count.get(canonical, 0)
        if providers == 1:
            return self._sole_provider(context, pool, canonical, match)
        if fallback == "any_provider":
            chosen, rule = _fallback_choice(pool)
            if chosen is not None:
                return context.answer(
                    _status(chosen),
                    canonical_id=canonical,
                    match="fallback_any_provider",
                    chosen_by=rule,
                    offer=chosen,
                    alternatives=_listed(pool, "other_provider", exclude=chosen),
                    reason=f"{providers} providers offer {canonical} and none is named; "
                    f"fallback='any_provider' chose {chosen.provider}'s ({rule})",
                )
        return context.answer(
            "ambiguous",
            canonical_id=canonical,
            match=match,
            alternatives=_listed(pool, "candidate"),
            reason=f"{providers} providers offer {canonical}, {publisher} does not, and "
            "no provider is named: name one (provider=, a prefix such as together_ai/, or "
            "--provider), or pass fallback='any_provider'",
        )

    def _from_publisher(
        self,
        context: _Context,
        moving: MovingAlias | None,
        canonical: str,
        match: Match,
        own: tuple[OfferView, ...],
        pool: tuple[OfferView, ...],
        fallback: Fallback,
    ) -> Resolution:
        chosen = _one_of(own, context.text)
        if chosen is None:
            return context.answer(
                "ambiguous",
                canonical_id=canonical,
                match=match,
                alternatives=_listed(own, "candidate"),
                reason=f"the publisher lists {len(own)} offers of {canonical} at different "
                "prices; ask for one of their ids",
            )
        others = _listed(pool, "other_provider", exclude=chosen)
        if chosen.priced:
            return context.answer(
                "priced",
                canonical_id=canonical,
                match=match,
                chosen_by="publisher",
                offer=chosen,
                alternatives=others,
                reason=_why(chosen, match, None, moving),
            )
        if self.reference_offer is not None:
            reference = self.reference_offer(canonical)
            if reference is not None and reference.priced:
                return context.answer(
                    "priced",
                    canonical_id=canonical,
                    match=match,
                    chosen_by="reference_price",
                    offer=reference,
                    alternatives=_listed(pool, "other_provider"),
                    reason=f"{chosen.provider}'s offer has no price; reference price from "
                    f"{reference.price_source}",
                )
        priced_others = tuple(a for a in others if a.offer.priced)
        if fallback == "any_provider" and priced_others:
            alternative, rule = _fallback_choice(tuple(a.offer for a in priced_others))
            if alternative is not None:
                return context.answer(
                    "priced",
                    canonical_id=canonical,
                    match="fallback_any_provider",
                    chosen_by=rule,
                    offer=alternative,
                    alternatives=_listed(pool, "other_provider", exclude=alternative),
                    reason=f"{chosen.provider} lists {chosen.provider_model_id!r} without a "
                    f"price; fallback='any_provider' chose {alternative.provider}'s ({rule})",
                )
        return context.answer(
            "unpriced",
            canonical_id=canonical,
            match=match,
            chosen_by="publisher",
            offer=chosen,
            alternatives=priced_others,
            reason=f"{chosen.provider} lists {chosen.provider_model_id!r} without a price"
            + (
                f"; {len(priced_others)} other provider(s) price it (alternatives, not used)"
                if priced_others
                else ""
            ),
        )

    def _sole_provider(
        self, context: _Context, pool: tuple[OfferView, ...], canonical: str, match: Match
    ) -> Resolution:
        chosen = _one_of(pool, context.text)
        if chosen is None:
            return context.answer(
                "ambiguous",
                canonical_id=canonical,
                match=match,
                alternatives=_listed(pool, "candidate"),
                reason=f"{pool[0].provider} lists {len(pool)} offers of {canonical} at "
                "different prices; ask for one of their ids",
            )
        return context.answer(
            _status(chosen),
            canonical_id=canonical,
            match=match,
            chosen_by="sole_provider",
            offer=chosen,
            alternatives=_listed(pool, "other_provider", exclude=chosen),
            reason=_why(chosen, match, None)
            + f"; {chosen.provider} is the only provider of {canonical}",
        )

    # identification -----------------------------------------------------------------------

    def _identities(self, model_id: str, provider: str) -> Iterator[_Identified]:
        """The canonical models a provider-bound request may mean, in the order tried."""
        lowered = fold_case(model_id)
        yield _Identified(lowered, "exact")
        alias = aliases().get(lowered)
        if alias is not None:
            yield _Identified(alias.canonical_id, "alias")
        normalized = apply_alias(canonical_id(model_id, provider))
        yield _Identified(normalized, "normalized")
        moving = moving_aliases().get(normalized)
        if moving is not None:
            yield _Identified(moving.target_id, "moving_alias", moving)
        base = snapshot_base(normalized)
        if base is not None and not self._listed_anywhere(model_id, normalized):
            yield _Identified(base, "base_of_snapshot")

    def _identify(self, text: str) -> _Identified | None:
        """The one canonical model a request means, regardless of provider, or None."""
        lowered = fold_case(text)
        if lowered in self._by_canonical:
            return _Identified(lowered, "exact")
        listed = self._pid_canonical.get(text)
        if listed is not None:
            return _Identified(listed, "exact")
        alias = aliases().get(lowered)
        if alias is not None and alias.canonical_id in self._by_canonical:
            return _Identified(alias.canonical_id, "alias")
        normalized = apply_alias(canonical_id(text, "unknown"))
        if normalized in self._by_canonical:
            return _Identified(normalized, "normalized")
        moving = moving_aliases().get(normalized)
        if moving is not None and moving.target_id in self._by_canonical:
            return _Identified(moving.target_id, "moving_alias", moving)
        base = snapshot_base(normalized)
        if base in self._by_canonical and not self._listed_anywhere(text, normalized):
            return _Identified(base, "base_of_snapshot")  # type: ignore[arg-type]
        return None

    def _listed_anywhere(self, model_id: str, canonical: str) -> bool:
        return canonical in self._by_canonical or model_id in self._by_provider_id

    def _alternatives(
        self, canonical: str, exclude: OfferView | None = None, priced_only: bool = False
    ) -> tuple[Alternative, ...]:
        offers = self._by_canonical.get(canonical, ())
        if priced_only:
            offers = tuple(offer for offer in offers if offer.priced)
        publisher = canonical.split("/", 1)[0]
        return tuple(
            Alternative(offer, "publisher" if offer.provider == publisher else "other_provider")
            for offer in offers
            if offer is not exclude
        )

    # candidates for a person --------------------------------------------------------------

    def _candidates(self, text: str, provider: str | None, count: int = 5) -> tuple[str, ...]:
        target = canonical_id(text, provider or "unknown")
        pool = self._suggestable(provider if provider in self.providers else None)
        return nearest(target, pool, count)

    def _suggestable(self, provider: str | None) -> Suggestions:
        """The canonical ids a person may be pointed to (all, or one provider's), by family;
        built on the first miss and kept (a lost race builds it twice, harmlessly)."""
        found = self._suggestions.get(provider)
        if found is None:
            ids = (
                {o.canonical_id for o in self.offers if o.provider == provider}
                if provider is not None
                else self._by_canonical.keys()
            )
            found = self._suggestions[provider] = Suggestions.of(ids)
        return found


class _Context(NamedTuple):
    """What every answer to one request shares: the request and the provider it named."""

    text: str
    provider: str | None
    named_by: NamedBy | None

    def answer(self, status: Status, **fields: Any) -> Resolution:
        return Resolution(
            requested=self.text,
            status=status,
            named_provider=self.provider,
            named_by=self.named_by,
            **fields,
        )


def _status(offer: OfferView) -> Status:
    return "priced" if offer.priced else "unpriced"


def _current(offers: tuple[OfferView, ...]) -> tuple[OfferView, ...]:
    """The active offers, or every offer when none is active (the answer shows its status)."""
    active = tuple(offer for offer in offers if offer.status == "active")
    return active or offers


def _one_of(offers: Sequence[OfferView], text: str) -> OfferView | None:
    """One provider's offer among several of the same model: the one spelled as requested,
    else any when they cost the same (they differ only in spelling), else None."""
    if len(offers) == 1:
        return offers[0]
    for offer in offers:
        if offer.provider_model_id == text:
            return offer
    current = _current(tuple(offers))
    if len({offer.prices for offer in current}) == 1 and len({o.provider for o in current}) == 1:
        return min(current, key=lambda o: (len(o.provider_model_id), o.provider_model_id))
    return None


def _listed(
    offers: Iterable[OfferView], relation: Relation, exclude: OfferView | None = None
) -> tuple[Alternative, ...]:
    return tuple(Alternative(offer, relation) for offer in offers if offer is not exclude)


def _fallback_choice(offers: Sequence[OfferView]) -> tuple[OfferView | None, ChosenBy]:
    """The opt-in fallback: the publisher's priced offer, else the highest-priced offer."""
    priced = [offer for offer in offers if offer.priced]
    if not priced:
        return None, "highest_price"
    own = [offer for offer in priced if offer.provider == offer.publisher]
    if own:
        return own[0], "publisher"
    zero = Decimal(0)
    return max(
        priced,
        key=lambda o: (
            o.prices.prompt or zero,
            o.prices.completion or zero,
            -STATUS_ORDER.get(o.status, 3),
        ),
    ), "highest_price"


_HOW: dict[str, str] = {
    "exact": "exact id",
    "alias": "alias table",
    "moving_alias": "moving alias",
    "normalized": "canonical form of the request",
    "base_of_snapshot": "base model of a dated snapshot nobody lists",
    "fallback_any_provider": "fallback",
}


def _why(
    offer: OfferView,
    match: Match,
    named_by: NamedBy | None,
    moving: MovingAlias | None = None,
) -> str:
    how = _HOW[match]
    named = f"; provider named by {named_by}" if named_by else ""
    alias = (
        f" ({moving.alias} -> {moving.target} per {moving.source}, checked {moving.checked_on})"
        if moving is not None
        else ""
    )
    state = "" if offer.status == "active" else f"; the offer is {offer.status}"
    return f"{offer.provider} lists {offer.provider_model_id!r} ({how}{alias}{named}){state}"
