"""One price per offer and field, chosen from every source that has one, with its evidence.

Sources, in order of precedence (:func:`choose_prices`):

1. the provider's own list API (``provider_api``);
2. the consensus of reference sources: two or more that agree within :data:`AGREE`
   (``consensus(litellm 2026-08-21, models-dev 2026-07-02)``, every agreeing source and the
   date it was fetched);
3. the one reference source that has the field (``single-source(models-dev 2026-07-02)``);
4. the provider's curated row (``curated:<url> (checked <date>)``).

References that disagree with each other, none of them backed by a second source, price
nothing: a wrong price is worse than an unknown one, and the ``price_sources_disagree``
check lists them. A curated price that agrees with a reference counts towards consensus.
Operator overrides are applied on top of the result (:meth:`PriceChoice.with_fields`),
so they win over every source.

``price_source`` (the models-table column) is the evidence of each field in one string:
the label alone when every known field has the same one (``provider_api``), otherwise
``prompt,completion=provider_api; cache_read=single-source(litellm 2026-08-21)``;
:func:`parse_price_source` reads it back. Routers' prices for a publisher's model
(OpenRouter's ``openai/gpt-4o`` for OpenAI's ``gpt-4o``) are references labelled
``router:<slug>``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.limits import MAX_PRICE_SOURCE_LENGTH
from catalog_pipeline.domain.rows import (
    PRICE_FIELDS,
    TOKEN_PRICE_FIELDS,
    Prices,
    PriceTier,
)

AGREE = Decimal("0.005")
"""Relative difference within which two sources agree on a price (0.5%)."""
DISAGREE = Decimal("0.01")
"""Relative difference above which the ``price_sources_disagree`` check lists a field (1%)."""
UNIT_BUG_RATIO = Decimal(10)
"""A provider's own price this many times away from agreeing references: a unit bug."""

REFERENCE_FIELDS = TOKEN_PRICE_FIELDS
"""The fields reference sources price (per token); ``per_*`` fields come from the provider
and its curated row only."""
TIERS = "tiers"
CHOSEN_FIELDS = (*PRICE_FIELDS, TIERS)
PROVIDER_API = "provider_api"
SOURCE_ORDER = ("models-dev", "litellm", "genai-prices")

ObservationKind = Literal["reference", "router"]
FieldValue = Decimal | tuple[PriceTier, ...] | None


class ReferenceObservation(BaseModel):
    """What one reference source says one provider's exact model id costs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=1)
    provider: str
    provider_model_id: str = Field(min_length=1)
    source_key: str
    """The entry's own key in the source (``gemini/gemini-2.5-pro``), for tracing."""
    prices: Prices
    fetched_at: dt.datetime
    kind: ObservationKind = "reference"

    @property
    def label(self) -> str:
        name = f"router:{self.source}" if self.kind == "router" else self.source
        return f"{name} {self.fetched_at.date().isoformat()}"


def field_value(prices: Prices, name: str) -> FieldValue:
    """One field of ``prices``; tiers as a tuple, no tiers as None (unknown)."""
    if name == TIERS:
        return prices.tiers or None
    return getattr(prices, name)


def agree(a: Decimal, b: Decimal, tolerance: Decimal = AGREE) -> bool:
    """Whether two prices are the same price within ``tolerance`` (relative to the larger)."""
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def values_agree(a: FieldValue, b: FieldValue, tolerance: Decimal = AGREE) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return agree(a, b, tolerance)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(
            x.above_prompt_tokens == y.above_prompt_tokens
            and all(
                (p is None) == (q is None) and (p is None or agree(p, q, tolerance))
                for p, q in ((getattr(x, n), getattr(y, n)) for n in TOKEN_PRICE_FIELDS)
            )
            for x, y in zip(a, b, strict=True)
        )
    return False


class PriceChoice(BaseModel):
    """The chosen prices of one offer and, per known field, the evidence for it."""

    model_config = ConfigDict(frozen=True)

    prices: Prices
    evidence: dict[str, str]

    @property
    def price_source(self) -> str | None:
        return format_price_source(self.evidence)

    def with_fields(self, values: Mapping[str, Any], label: str) -> PriceChoice:
        """These fields set to ``values`` with evidence ``label`` (an override layer)."""
        prices = self.prices.model_copy(update=dict(values))
        prices = Prices.model_validate(prices.model_dump())
        evidence = dict(self.evidence)
        for name, value in values.items():
            if value is None or value == ():
                evidence.pop(name, None)
            else:
                evidence[name] = label
        return PriceChoice(prices=prices, evidence=evidence)


def _source_rank(label: str) -> tuple[int, str]:
    name = label.split(" ", 1)[0]
    return (SOURCE_ORDER.index(name) if name in SOURCE_ORDER else len(SOURCE_ORDER), label)


def consensus(votes: Sequence[tuple[str, FieldValue]]) -> tuple[FieldValue, list[str]] | None:
    """The value at least two votes agree on (the largest such group), and their labels."""
    best: tuple[FieldValue, list[str]] | None = None
    for _, value in votes:
        members = sorted(
            (label for label, other in votes if values_agree(value, other)), key=_source_rank
        )
        if len(members) >= 2 and (best is None or len(members) > len(best[1])):
            best = (value, members)
    return best


def choose_prices(
    api: Prices,
    observations: Iterable[ReferenceObservation],
    curated: Prices | None = None,
    curated_label: str | None = None,
    api_label: str = PROVIDER_API,
) -> PriceChoice:
    """Each field from the first source in precedence order that has it (module docstring).

    ``observations`` are the references for this one offer (same provider and exact id);
    the result's ``evidence`` names, per known field, every source that agreed.
    ``api_label`` names the provider's own prices when they come from its packaged price
    list rather than its list API (a provider without a list API).
    """
    observations = sorted(observations, key=lambda o: _source_rank(o.label))
    chosen: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    for name in CHOSEN_FIELDS:
        own = field_value(api, name)
        if own is not None:
            chosen[name], evidence[name] = own, api_label
            continue
        cur = field_value(curated, name) if curated is not None else None
        votes: list[tuple[str, FieldValue]] = []
        if name in REFERENCE_FIELDS or name == TIERS:
            votes = [
                (o.label, value)
                for o in observations
                if (value := field_value(o.prices, name)) is not None
            ]
        agreed = consensus([*votes, *([(curated_label or "curated", cur)] if cur else [])])
        if agreed is not None:
            chosen[name], labels = agreed
            evidence[name] = f"consensus({', '.join(labels)})"
        elif len(votes) == 1:
            chosen[name] = votes[0][1]
            evidence[name] = f"single-source({votes[0][0]})"
        elif cur is not None:
            chosen[name], evidence[name] = cur, curated_label or "curated"
    tiers = chosen.pop(TIERS, ())
    return PriceChoice(prices=Prices(**chosen, tiers=tiers), evidence=evidence)


_FIELD_LIST = re.compile(r"^([a-z_]+(?:,[a-z_]+)*)=(.*)$")


_CURATED_URL = re.compile(r"curated:\S+ \((checked [0-9-]+)\)")


def format_price_source(evidence: Mapping[str, str]) -> str | None:
    """The evidence as one string (see the module docstring); None when nothing is known.

    It fits the ``price_source`` column: when it would not, curated rows are named without
    their URL (it is in the provider's module), then the text is cut with an ellipsis.
    """
    text = _joined(evidence)
    if text is None or len(text) <= MAX_PRICE_SOURCE_LENGTH:
        return text
    text = _joined(
        {name: _CURATED_URL.sub(r"curated (\1)", label) for name, label in evidence.items()}
    )
    assert text is not None
    if len(text) > MAX_PRICE_SOURCE_LENGTH:
        text = text[: MAX_PRICE_SOURCE_LENGTH - 1] + "\u2026"
    return text


def _joined(evidence: Mapping[str, str]) -> str | None:
    groups: dict[str, list[str]] = {}
    for name in CHOSEN_FIELDS:
        if name in evidence:
            groups.setdefault(evidence[name], []).append(name)
    if not groups:
        return None
    if len(groups) == 1:
        return next(iter(groups))
    return "; ".join(
        f"{','.join(names)}={label.replace('; ', ', ')}" for label, names in groups.items()
    )


def parse_price_source(text: str | None, prices: Prices) -> dict[str, str]:
    """Per known field of ``prices``, the label ``text`` gives it (inverse of the format).

    A text not in the per-field format (a provider's own wording) labels every field.
    """
    if not text:
        return {}
    parts = text.split("; ")
    matches = [_FIELD_LIST.match(part) for part in parts]
    known = [name for name in CHOSEN_FIELDS if field_value(prices, name) is not None]
    if any(match is None or not _all_fields(match.group(1)) for match in matches):
        return dict.fromkeys(known, text)
    evidence: dict[str, str] = {}
    for match in matches:
        assert match is not None
        for name in match.group(1).split(","):
            evidence[name] = match.group(2)
    return {name: label for name, label in evidence.items() if name in known}


def _all_fields(names: str) -> bool:
    return all(name in CHOSEN_FIELDS for name in names.split(","))


DERIVED_LABELS = ("consensus(", "single-source(", "curated", "override")
"""Evidence of a price the catalog chose or was given, not one the provider published:
recomputed on every repricing (overrides are re-applied from their own table)."""


def own_prices(prices: Prices, price_source: str | None) -> tuple[Prices, str]:
    """The fields of ``prices`` the provider itself published (per ``price_source``) and
    their label: what a repricing keeps when the references change."""
    evidence = parse_price_source(price_source, prices)
    own = {name: label for name, label in evidence.items() if not label.startswith(DERIVED_LABELS)}
    values = {name: field_value(prices, name) for name in own}
    tiers = values.pop(TIERS, None) or ()
    label = next(iter(own.values()), PROVIDER_API)
    return Prices(**values, tiers=tiers), label
