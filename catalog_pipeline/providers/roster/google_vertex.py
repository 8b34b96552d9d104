"""Vertex AI ``GET /v1beta1/publishers/google/models``: ``publisherModels[]``, no prices.

The list is ``ModelGardenService.ListPublisherModels``: ``{"publisherModels": [...],
"nextPageToken": "..."}``, paged with ``pageToken`` (the page size is left to the
service). Auth is an OAuth 2.0 access token as ``Authorization: Bearer`` (for example
``gcloud auth print-access-token``), read from ``GOOGLE_VERTEX_API_KEY`` or
``GOOGLE_VERTEX_ACCESS_TOKEN``. The project that is billed for the call's quota is
required and read from ``GOOGLE_VERTEX_PROJECT``; it is sent as the ``$userProject``
system parameter (the query form of ``X-Goog-User-Project``), since the registry's
headers are static. The list is served from the global ``aiplatform.googleapis.com``
endpoint: publisher-model metadata is not regional, and a regional host cannot be chosen
per request without a change to the shared client (``ProviderClient.url_for``).

Items have ``name`` (``publishers/google/models/gemini-2.5-pro``), ``versionId``,
``launchStage`` and ``openSourceCategory`` but no context length or modality. The stored
id is the model id Vertex uses in request paths (``gemini-2.5-pro``): the resource name
without its ``publishers/google/models/`` wrapper, because the canonical-id rules do not
know that wrapper and would read ``models`` as the publisher.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, modalities_for
from catalog_pipeline.domain.rows import Prices, PriceTier, ProviderModel
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.client import BASE_URL_ENV
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest, cursor_token
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec

PROJECT_SUFFIX = "_PROJECT"
REPLAY_PROJECT = "replay-project"
"""Used only when ``CATALOG_PROVIDER_BASE_URL`` points at a replay server and no project is set."""


class VertexPublisherModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(pattern=r"^publishers/[^/]+/models/[^/]+$")
    versionId: str | None = None
    launchStage: str | None = None
    openSourceCategory: str | None = None


def _project_env(spec: ProviderSpec) -> str:
    return spec.slug.upper().replace("-", "_") + PROJECT_SUFFIX


def _project(spec: ProviderSpec) -> str:
    name = _project_env(spec)
    project = os.environ.get(name, "").strip()
    if project:
        return project
    if os.environ.get(BASE_URL_ENV, "").strip():
        return REPLAY_PROJECT
    raise ProviderError(
        spec.slug,
        FailureKind.NOT_CONFIGURED,
        f"no Google Cloud project configured ({name} is unset)",
        f"Set {name} to the project billed for Vertex AI quota.",
    )


class VertexPublisherModelsAPI(ModelListAPI):
    dialect = "vertex"

    items_key = "publisherModels"

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        return PageRequest(spec.list_path, (("$userProject", _project(spec)),))

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        token = cursor_token(envelope, "nextPageToken")
        if token is None:
            return None
        project = dict(current.params).get("$userProject") or _project(spec)
        return PageRequest(spec.list_path, (("$userProject", project), ("pageToken", token)))

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = VertexPublisherModel.model_validate(item)
        _, publisher, _, model_id = wire.name.split("/")
        kind = infer_type_from_id(model_id)
        inputs, outputs = modalities_for(kind)
        return ProviderModel(
            provider_model_id=model_id,
            publisher_hint=publisher,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            price_source="none",
        )


PRICING_PAGE = "https://cloud.google.com/vertex-ai/generative-ai/pricing"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="gemini-2.5-pro",
        prices=Prices(
            prompt=per_million("1.25"),
            completion=per_million("10"),
            cache_read=per_million("0.125"),
            tiers=(
                PriceTier(
                    above_prompt_tokens=200_000,
                    prompt=per_million("2.50"),
                    completion=per_million("15"),
                    cache_read=per_million("0.25"),
                ),
            ),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "prompts over 200k tokens: 2.50/15/0.25 for the whole request; agrees with "
            "LiteLLM 1.109.1 (*_above_200k_tokens) + genai-prices + models.dev (tiers) + Portkey"
        ),
    ),
    CuratedPrice(
        provider_model_id="gemini-2.5-flash-lite",
        prices=Prices(
            prompt=per_million("0.10"),
            completion=per_million("0.40"),
            cache_read=per_million("0.01"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + genai-prices + models.dev + Portkey",
    ),
)


PROVIDER = ProviderSpec(
    slug="google-vertex",
    name="Google Vertex AI",
    base_url="https://aiplatform.googleapis.com",
    list_path="/v1beta1/publishers/google/models",
    api_key_env=("GOOGLE_VERTEX_ACCESS_TOKEN",),
    parser=VertexPublisherModelsAPI(),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://cloud.google.com/vertex-ai/docs/reference/rest/v1beta1/publishers.models/list",
)
