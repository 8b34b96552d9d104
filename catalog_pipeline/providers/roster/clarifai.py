"""Clarifai ``GET https://api.clarifai.com/v2/models``: page-numbered, no prices.

Docs: https://docs.clarifai.com/api-guide/api-overview and the V2 ``ListModels`` REST
mapping (query ``page``, default 1, and ``per_page``, default 128). Auth is a Personal
Access Token sent as ``Authorization: Key <PAT>``; Clarifai's own docs and SDKs call the
variable ``CLARIFAI_PAT``. There is no cursor: a page shorter than ``per_page`` is the last.

The body is ``{"status": {"code": 10000, "description": "Ok"}, "models": [...]}``. Clarifai
reports failures in ``status`` (``code`` other than 10000 = SUCCESS, with ``description``
and ``details``), which :meth:`ClarifaiAPI.error_message` turns into a failed fetch even
when the HTTP status is 200.

A model is owned by ``user_id`` inside ``app_id``, and its ``id`` is unique only within
that app, so ``provider_model_id`` is the resource path
``<user_id>/<app_id>/models/<id>`` -- the same string Clarifai's OpenAI-compatible endpoint
accepts as ``model``. What a model does comes from ``model_type_id`` (``text-to-text``,
``multimodal-to-text``, ``text-to-image``, ``visual-classifier`` ...). Prices are not in
this list (Clarifai bills per token or per operation, published per model on its website),
so rows leave here unpriced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest
from catalog_pipeline.providers.spec import ProviderSpec

PER_PAGE = 100
SUCCESS = 10000

_TYPES: dict[str, tuple[ModelType, tuple[str, ...], tuple[str, ...]]] = {
    "text-to-text": (ModelType.CHAT, ("text",), ("text",)),
    "multimodal-to-text": (ModelType.CHAT, ("text", "image"), ("text",)),
    "image-to-text": (ModelType.OTHER, ("image",), ("text",)),
    "text-to-image": (ModelType.IMAGE, ("text",), ("image",)),
    "image-to-image": (ModelType.IMAGE, ("image",), ("image",)),
    "text-to-video": (ModelType.VIDEO, ("text",), ("video",)),
    "text-to-audio": (ModelType.AUDIO, ("text",), ("audio",)),
    "audio-to-text": (ModelType.TRANSCRIPTION, ("audio",), ("text",)),
    "text-embedder": (ModelType.EMBEDDING, ("text",), ("embedding",)),
    "visual-embedder": (ModelType.EMBEDDING, ("image",), ("embedding",)),
    "multimodal-embedder": (ModelType.EMBEDDING, ("text", "image"), ("embedding",)),
    "text-classifier": (ModelType.OTHER, ("text",), ("concepts",)),
    "visual-classifier": (ModelType.OTHER, ("image",), ("concepts",)),
    "visual-detector": (ModelType.OTHER, ("image",), ("regions",)),
    "visual-segmenter": (ModelType.OTHER, ("image",), ("regions",)),
}


class ClarifaiModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, pattern=r"^[^/\s]+$")
    user_id: str = Field(min_length=1, pattern=r"^[^/\s]+$")
    app_id: str = Field(min_length=1, pattern=r"^[^/\s]+$")
    name: str | None = None
    display_name: str | None = None
    model_type_id: str | None = None
    description: str | None = None
    created_at: dt.datetime | None = None
    use_cases: list[str] = Field(default_factory=list)
    toolkits: list[str] = Field(default_factory=list)


def _page_number(current: PageRequest) -> int:
    value = dict(current.params).get("page", "1")
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"page parameter {value!r} is not a number") from exc


class ClarifaiAPI(ModelListAPI):
    dialect = "clarifai"

    items_key = "models"

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        return PageRequest(spec.list_path, (("page", "1"), ("per_page", str(PER_PAGE))))

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        if items_on_page < PER_PAGE:
            return None
        page = _page_number(current) + 1
        return PageRequest(spec.list_path, (("page", str(page)), ("per_page", str(PER_PAGE))))

    def error_message(self, envelope: dict[str, Any], items_found: bool) -> str | None:
        code = envelope.get("status.code")
        if code is not None and str(code) != str(SUCCESS):
            parts = [str(code)]
            for key in ("status.description", "status.details"):
                if envelope.get(key):
                    parts.append(str(envelope[key]))
            return ": ".join(parts)
        return super().error_message(envelope, items_found)

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = ClarifaiModelItem.model_validate(item)
        kind, inputs, outputs = _TYPES.get(wire.model_type_id or "", (ModelType.OTHER, (), ()))
        return ProviderModel(
            provider_model_id=f"{wire.user_id}/{wire.app_id}/models/{wire.id}",
            name=wire.display_name or wire.name or wire.id,
            publisher_hint=wire.user_id,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            prices=Prices(),
            price_source="none",
            created_at=wire.created_at,
        )


PROVIDER = ProviderSpec(
    slug="clarifai",
    name="Clarifai",
    base_url="https://api.clarifai.com",
    list_path="/v2/models",
    auth_scheme="Key",
    api_key_env=("CLARIFAI_PAT",),
    parser=ClarifaiAPI(),
    price_unit="none in the API (Clarifai publishes per-model prices on its website)",
    price_source="none",
    docs_url="https://docs.clarifai.com/api-guide/api-overview",
)
