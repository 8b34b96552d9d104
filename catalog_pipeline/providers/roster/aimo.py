"""AiMo Network ``GET https://devnet.aimo.network/api/v1/models`` (minimal, strict parser).

AiMo's docs (docs.aimo.network, "API Usage") document the endpoint and Bearer auth and say
it "returns a list of all available models with their capabilities and pricing", but do
not document the item schema or the price unit. Observed integrations read
``{"data": [{"name", "display_name", "context_length", "created", "architecture",
"providers": [{"id", "name", "pricing": {...}}]}]}``: a model is keyed by ``name`` (the
id the router accepts in its "simple format"), and each serving provider carries its own
pricing in an undocumented unit.

So only what is unambiguous is read: ``name`` (required), ``display_name``,
``context_length`` and ``created``. Prices stay unknown until AiMo documents their unit.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, modalities_for
from catalog_pipeline.domain.rows import ProviderModel
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime


class AimoModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    display_name: str | None = None
    context_length: int | None = Field(default=None, ge=0)
    created: int | None = None


class AimoAPI(ModelListAPI):
    dialect = "aimo"

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = AimoModelItem.model_validate(item)
        kind = infer_type_from_id(wire.name)
        inputs, outputs = modalities_for(kind)
        return ProviderModel(
            provider_model_id=wire.name,
            name=wire.display_name,
            publisher_hint=wire.name.split("/", 1)[0] if "/" in wire.name else None,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=wire.context_length or None,
            price_source="none",
            created_at=epoch_datetime(wire.created),
        )


PROVIDER = ProviderSpec(
    slug="aimo",
    name="AiMo Network",
    base_url="https://devnet.aimo.network",
    list_path="/api/v1/models",
    parser=AimoAPI(),
    price_unit="none read: the item schema and price unit are not documented",
    price_source="none",
    docs_url="https://docs.aimo.network/user-guide/api-usage",
)
