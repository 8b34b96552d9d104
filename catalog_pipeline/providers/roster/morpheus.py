"""Morpheus Inference API ``GET https://api.mor.org/api/v1/models`` (public): no USD prices.

OpenAI items plus ``blockchainID``, ``tags`` and ``modelType`` (``LLM``, ``EMBEDDINGS``,
``TTS``, ``STT``). Providers bid on-chain in MOR, so rows are unpriced.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, modalities_for
from catalog_pipeline.domain.rows import ModelType, ProviderModel
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime


class MorpheusModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    blockchainID: str | None = None
    created: int | None = None
    tags: list[str] = Field(default_factory=list)
    modelType: str | None = None


_MORPHEUS_TYPES = {
    "LLM": ModelType.CHAT,
    "EMBEDDINGS": ModelType.EMBEDDING,
    "EMBEDDING": ModelType.EMBEDDING,
    "TTS": ModelType.AUDIO,
    "STT": ModelType.TRANSCRIPTION,
}


class MorpheusAPI(ModelListAPI):
    dialect = "morpheus"

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = MorpheusModelItem.model_validate(item)
        declared = (wire.modelType or "").strip().upper()
        kind = _MORPHEUS_TYPES.get(declared) or infer_type_from_id(wire.id)
        inputs, outputs = modalities_for(kind)
        return ProviderModel(
            provider_model_id=wire.id,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            price_source="none",
            created_at=epoch_datetime(wire.created),
        )


PROVIDER = ProviderSpec(
    slug="morpheus",
    name="Morpheus Inference API",
    base_url="https://api.mor.org",
    list_path="/api/v1/models",
    key_required=False,
    parser=MorpheusAPI(),
    price_unit="none in USD (providers bid on-chain in MOR)",
    price_source="none",
    docs_url="https://apidocs.mor.org",
)
