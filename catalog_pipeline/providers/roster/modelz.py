"""Modelz: the account's own deployments, no public catalogue, no per-token prices.

``GET https://cloud.modelz.ai/api/v1/users/{login}/clusters/modelz/deployments`` answers
``[{"spec": {"name", "id", ...}, "status": {...}}]``; deployments are billed per GPU time.
Parsed strictly: ``spec.name`` is required. Disabled: not part of a default sync.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.rows import ModelType, ProviderModel
from catalog_pipeline.providers.account_setting import path_setting
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec


class ModelzSpec(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    id: str | None = None


class ModelzDeployment(BaseModel):
    model_config = ConfigDict(extra="allow")

    spec: ModelzSpec


MODELZ_USER_ENV = ("MODELZ_USER",)


class ModelzAPI(ModelListAPI):
    dialect = "modelz"

    items_key = None

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        login = path_setting(spec, MODELZ_USER_ENV, "Modelz login name")
        return PageRequest(spec.list_path.replace("{login_name}", login))

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = ModelzDeployment.model_validate(item)
        return ProviderModel(
            provider_model_id=wire.spec.name,
            model_type=ModelType.OTHER,
            price_source="none",
        )


PROVIDER = ProviderSpec(
    slug="modelz",
    name="Modelz",
    base_url="https://cloud.modelz.ai",
    list_path="/api/v1/users/{login_name}/clusters/modelz/deployments",
    auth=AuthStyle.HEADER,
    auth_header="X-API-Key",
    parser=ModelzAPI(),
    price_unit="none (deployments billed per GPU time; no model catalogue documented)",
    price_source="none",
    docs_url="https://docs.modelz.ai/",
    enabled=False,
)
