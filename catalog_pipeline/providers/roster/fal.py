"""fal.ai ``GET https://api.fal.ai/v1/models`` (Model search, list mode): no prices.

Docs: https://docs.fal.ai/platform-apis/v1/models. The body is
``{"models": [{"endpoint_id", "metadata": {...}}], "next_cursor", "has_more"}``; the next
page is the same request with ``cursor=<next_cursor>``. Authentication is optional for this
endpoint (a key only raises rate limits) and, when sent, is ``Authorization: Key <FAL_KEY>``.

What a model does comes from ``metadata.category``, which fal writes as
``<input>-to-<output>`` (``text-to-image``, ``image-to-video``, ``speech-to-text``) or as a
single word (``llm``, ``vision``, ``training``).

Prices are not in this list. fal publishes them per endpoint on a separate, key-only
endpoint (``GET /v1/models/pricing?endpoint_id=...``, 1-50 ids per call, answering
``{"prices": [{"endpoint_id", "unit_price", "unit", "currency"}]}``) and the fetch loop
follows one paginated list only, so every row leaves here unpriced and the few published
per-image prices are the curated rows below. :func:`fal_unit_prices` is the one
place a fal ``(unit, unit_price)`` pair maps to our price fields, ready for when the
framework can call that pricing endpoint: ``image`` -> ``per_image``, ``second`` /
``video_second`` -> ``per_second``, ``request`` / ``call`` -> ``per_request``; units with no
field here (``megapixel``, ``1000 characters``, ``minute``, GPU ``compute seconds``) stay
unknown rather than being forced into a field they do not mean.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import modalities_for
from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import PriceInput, usd
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec

PAGE_LIMIT = "100"

_OUTPUT_TYPES = {
    "image": ModelType.IMAGE,
    "video": ModelType.VIDEO,
    "audio": ModelType.AUDIO,
    "speech": ModelType.AUDIO,
    "music": ModelType.AUDIO,
    "text": ModelType.CHAT,
    "json": ModelType.CHAT,
}
_WORD_TYPES = {
    "llm": ModelType.CHAT,
    "vision": ModelType.CHAT,
    "speech-to-text": ModelType.TRANSCRIPTION,
    "audio-to-text": ModelType.TRANSCRIPTION,
}
_MODALITY_WORDS = {
    "text": "text",
    "image": "image",
    "video": "video",
    "audio": "audio",
    "speech": "audio",
    "music": "audio",
    "3d": "3d",
    "json": "text",
}

_UNIT_FIELDS = {
    "image": "per_image",
    "images": "per_image",
    "second": "per_second",
    "seconds": "per_second",
    "video_second": "per_second",
    "video seconds": "per_second",
    "request": "per_request",
    "requests": "per_request",
    "call": "per_request",
}


def fal_unit_prices(unit: str, unit_price: PriceInput) -> Prices:
    """A fal pricing-API ``(unit, unit_price)`` in USD as our price fields (see module doc).

    Non-token units go to their own field through :func:`usd`; a unit we have no field for
    returns empty ``Prices`` (unknown), never a token price.
    """
    field = _UNIT_FIELDS.get(unit.strip().lower())
    if field is None:
        return Prices()
    return Prices(**{field: usd(unit_price)})


class FalMetadata(BaseModel):
    model_config = ConfigDict(extra="allow")

    display_name: str | None = None
    category: str | None = None
    description: str | None = None
    status: str | None = None
    tags: list[str] = Field(default_factory=list)
    date: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class FalModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    endpoint_id: str = Field(min_length=1)
    metadata: FalMetadata = FalMetadata()


def _type_and_modalities(
    category: str | None,
) -> tuple[ModelType, tuple[str, ...], tuple[str, ...]]:
    text = (category or "").strip().lower()
    if text in _WORD_TYPES:
        kind = _WORD_TYPES[text]
        inputs, outputs = modalities_for(kind)
        if text == "vision":
            inputs = ("text", "image")
        return kind, inputs, outputs
    source, sep, target = text.partition("-to-")
    if not sep:
        kind = ModelType.OTHER
        return kind, *modalities_for(kind)
    kind = _OUTPUT_TYPES.get(target, ModelType.OTHER)
    if source in ("speech", "audio") and target == "text":
        kind = ModelType.TRANSCRIPTION
    default_in, default_out = modalities_for(kind)
    inputs = (_MODALITY_WORDS[source],) if source in _MODALITY_WORDS else default_in
    outputs = (_MODALITY_WORDS[target],) if target in _MODALITY_WORDS else default_out
    return kind, inputs, outputs


class FalAPI(ModelListAPI):
    dialect = "fal"

    items_key = "models"

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        return PageRequest(spec.list_path, (("limit", PAGE_LIMIT),))

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        cursor = envelope.get("next_cursor")
        if envelope.get("has_more") is False or cursor in (None, ""):
            return None
        if not isinstance(cursor, str):
            raise ValueError(f"next_cursor is a {type(cursor).__name__}, not a string")
        return PageRequest(spec.list_path, (("limit", PAGE_LIMIT), ("cursor", cursor)))

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = FalModelItem.model_validate(item)
        meta = wire.metadata
        kind, inputs, outputs = _type_and_modalities(meta.category)
        created = meta.date or meta.updated_at
        return ProviderModel(
            provider_model_id=wire.endpoint_id,
            name=meta.display_name,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            prices=Prices(),
            price_source="none",
            created_at=created,
        )


CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="fal-ai/flux-pro/v1.1-ultra",
        prices=Prices(per_image=usd("0.06")),
        source_url="https://fal.ai/docs/model-api-reference/image-generation-api/flux-pro-v1.1-ultra",
        checked_on=CHECKED_ON,
        note=(
            "per image only (unit column unused: no token price); fal docs say $0.06 per "
            "image; agrees with LiteLLM 1.109.1 fal_ai/fal-ai/flux-pro/v1.1-ultra "
            "output_cost_per_image 0.06 and Portkey fal-ai 6 cents per image"
        ),
    ),
    CuratedPrice(
        provider_model_id="fal-ai/flux-pro/kontext",
        prices=Prices(per_image=usd("0.04")),
        source_url="https://fal.ai/models/fal-ai/flux-pro/kontext",
        checked_on=CHECKED_ON,
        note=(
            "per image only (unit column unused); flat $0.04 per image; agrees with Portkey "
            "fal-ai/flux-pro/kontext 4 cents per image (LiteLLM 1.109.1 has no entry)"
        ),
    ),
)


PROVIDER = ProviderSpec(
    slug="fal",
    name="fal.ai",
    base_url="https://api.fal.ai",
    list_path="/v1/models",
    # The list endpoint is public; a key only raises rate limits.
    auth_scheme="Key",
    api_key_env=("FAL_KEY",),
    key_required=False,
    parser=FalAPI(),
    price_unit=(
        "none in the list; fal's key-only pricing endpoint gives USD per billing unit "
        "(image, second, megapixel, request ...); curated USD per image"
    ),
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://docs.fal.ai/platform-apis/v1/models",
)
