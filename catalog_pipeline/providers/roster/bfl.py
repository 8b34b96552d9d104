"""Black Forest Labs: no model-list API, so the list is a curated packaged file.

BFL's API (https://docs.bfl.ai) has one POST endpoint per model
(``https://api.bfl.ai/v1/flux-pro-1.1``, ``/v1/flux-kontext-pro`` ...) and nothing that
lists them. :meth:`BflAPI.local_body` serves ``providers/data/bfl_models.json`` instead of a
fetch; each entry names the endpoint (its ``provider_model_id``), what it takes and
returns, its price per generated image in USD from BFL's pricing page, that page's URL and
the date it was checked. An endpoint BFL prices per megapixel has ``per_image_usd: null``:
there is no per-megapixel field, and a megapixel price is not a per-image price.

The conversion is :func:`usd` on ``per_image_usd`` into ``Prices.per_image``; nothing here
is a token price.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import usd
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec

DATA_FILE = "bfl_models.json"


class BflModelEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[a-z0-9.-]+$")
    name: str
    type: ModelType
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    per_image_usd: str | Decimal | None
    price_note: str | None = None
    source_url: HttpUrl
    checked_on: dt.date


def packaged_body(name: str = DATA_FILE) -> bytes:
    return resources.files("catalog_pipeline.providers").joinpath("data", name).read_bytes()


class BflAPI(ModelListAPI):
    dialect = "bfl"

    items_key = "models"

    def local_body(self, spec: ProviderSpec) -> bytes | None:
        return packaged_body()

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        entry = BflModelEntry.model_validate(item)
        per_image = usd(entry.per_image_usd) if entry.per_image_usd is not None else None
        source = f"curated:{entry.source_url} (checked {entry.checked_on.isoformat()})"
        return ProviderModel(
            provider_model_id=entry.id,
            name=entry.name,
            publisher_hint="bfl",
            model_type=entry.type,
            input_modalities=entry.input_modalities,
            output_modalities=entry.output_modalities,
            prices=Prices(per_image=per_image),
            price_source=source if per_image is not None else "none",
        )


PROVIDER = ProviderSpec(
    slug="bfl",
    name="Black Forest Labs",
    base_url="https://api.bfl.ai",
    list_path="/v1",
    auth=AuthStyle.HEADER,
    auth_header="x-key",
    key_required=False,
    parser=BflAPI(),
    price_unit="USD per generated image (1 credit = $0.01), curated in a packaged file",
    price_source="curated",
    docs_url="https://docs.bfl.ai",
)
