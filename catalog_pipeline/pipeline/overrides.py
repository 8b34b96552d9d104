"""Operator overrides as the last layer of a provider's offers (see ``domain.overrides``).

Applied where a sync and a reset build offers (``pipeline.sync.normalize_and_check``),
after every other source and before the checks, so the offers written, checked, exported
and resolved carry the operator's price. An override for a model the provider does not
list makes an offer of its own, marked ``unlisted`` in its ``price_source``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from catalog_pipeline.domain.overrides import (
    OverrideError,
    PriceOverride,
    apply_override,
    build_override,
    parse_expiry,
    prices_from_inputs,
)
from catalog_pipeline.domain.rows import ModelType, Offer, Prices, ProviderModel
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.providers.spec import ProviderSpec


def active_overrides(
    overrides: Iterable[PriceOverride], provider: str, now: dt.datetime
) -> dict[str, PriceOverride]:
    """The provider's overrides in force at ``now``, by provider model id."""
    return {o.provider_model_id: o for o in overrides if o.provider == provider and o.active(now)}


def apply_overrides(
    provider: ProviderSpec,
    offers: Sequence[Offer],
    overrides: Iterable[PriceOverride],
    now: dt.datetime,
) -> list[Offer]:
    """``offers`` with the active overrides applied field by field, plus one offer per
    active override of a model the provider did not list."""
    active = active_overrides(overrides, provider.slug, now)
    if not active:
        return list(offers)
    result = [
        apply_override(offer, active[offer.provider_model_id])
        if offer.provider_model_id in active
        else offer
        for offer in offers
    ]
    listed = {offer.provider_model_id for offer in offers}
    for model_id, override in sorted(active.items()):
        if model_id in listed:
            continue
        row = ProviderModel(
            provider_model_id=model_id,
            model_type=override.model_type or ModelType.CHAT,
            prices=Prices(),
            price_source="none",
        )
        (offer,) = normalize_rows(provider, [row])
        result.append(apply_override(offer, override, listed=False))
    return result


def new_override(
    provider: str,
    provider_model_id: str,
    price_inputs: dict[str, str | None],
    reason: str,
    by: str,
    expires_at: str | None = None,
    model_type: str | None = None,
    now: dt.datetime | None = None,
) -> PriceOverride:
    """An override as the CLI and the Dagster job take it (prices as entered, see
    ``domain.overrides.INPUT_NAMES``), for a provider of the registry; or ``OverrideError``."""
    try:
        get_provider(provider)
    except KeyError as error:
        raise OverrideError(str(error.args[0])) from None
    return build_override(
        provider=provider,
        provider_model_id=provider_model_id,
        prices=prices_from_inputs(price_inputs),
        model_type=model_type or None,
        reason=reason,
        created_by=by,
        created_at=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0),
        expires_at=parse_expiry(expires_at),
    )
