"""The OpenAI ``GET /v1/models`` dialect and the providers that extend it with their own fields.

Many providers answer ``{"object": "list", "data": [{"id", "object", "created", "owned_by"}]}``
and add a few fields of their own (Groq ``context_window``, OpenAI ``shutdown_date``).
One parser serves them all; a small ``FieldMap`` per provider names where its extras live.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, modalities_for
from catalog_pipeline.domain.rows import ProviderModel
from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime


class OpenAIModelItem(BaseModel):
    """One entry of an OpenAI-style model list; provider extras stay in ``model_extra``."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    object: str | None = None
    created: int | None = None
    owned_by: str | None = None


@dataclass(frozen=True)
class FieldMap:
    """Where one provider puts the facts that the base dialect does not have."""

    context_length: tuple[str, ...] = ()
    max_output_tokens: tuple[str, ...] = ()
    deprecation_date: tuple[str, ...] = ()


def _first_int(extra: dict[str, Any], keys: tuple[str, ...]) -> int | None:
    for key in keys:
        value = extra.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def _first_date(extra: dict[str, Any], keys: tuple[str, ...]) -> dt.date | None:
    for key in keys:
        value = extra.get(key)
        if isinstance(value, str) and value:
            return dt.date.fromisoformat(value[:10])
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
    return None


class OpenAICompatibleAPI(ModelListAPI):
    """``{"data": [...]}`` with no prices; extras mapped by ``FieldMap``."""

    def __init__(self, fields: FieldMap | None = None) -> None:
        self.fields = fields or FieldMap()

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = OpenAIModelItem.model_validate(item)
        extra = wire.model_extra or {}
        kind = infer_type_from_id(wire.id)
        inputs, outputs = modalities_for(kind)
        created = epoch_datetime(wire.created)
        return ProviderModel(
            provider_model_id=wire.id,
            publisher_hint=wire.owned_by,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=_first_int(extra, self.fields.context_length),
            max_output_tokens=_first_int(extra, self.fields.max_output_tokens),
            deprecation_date=_first_date(extra, self.fields.deprecation_date),
            price_source="none",
            created_at=created,
        )


OPENAI = OpenAICompatibleAPI(FieldMap(deprecation_date=("shutdown_date",)))
GROQ = OpenAICompatibleAPI(
    FieldMap(context_length=("context_window",), max_output_tokens=("max_completion_tokens",))
)
