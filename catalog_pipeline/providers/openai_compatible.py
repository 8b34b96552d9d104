"""The OpenAI ``GET /v1/models`` dialect, and the extended form open-model hosts serve.

Many providers answer ``{"object": "list", "data": [{"id", "object", "created", "owned_by"}]}``
and add a few fields of their own. Two parsers serve them all, each configured by a small
per-provider field map that lives in the provider's own module:

* :class:`OpenAICompatibleAPI` with a :class:`FieldMap`: the plain list, no prices, a few
  flat extras (Groq ``context_window``, OpenAI ``shutdown_date``).
* :class:`OpenHostAPI` with a :class:`HostFieldMap`: hosts (DeepInfra, Novita, Chutes,
  Cerebras, Nebius, Fireworks) that put prices, limits, modalities and features at nested
  places and price in different units. Every price goes through the
  :mod:`catalog_pipeline.domain.units` function named for that provider's wire unit
  (``PriceField(..., unit=per_million)``), so the conversion is visible in the map.

Rules shared by every :class:`HostFieldMap`:

* A missing or ``null`` price is unknown. A listed ``0`` for every token price is also
  treated as unknown (several hosts write ``0`` for models they do not bill per token)
  unless the id marks the model free (``:free`` / ``-free``).
* A model type the provider declares wins; otherwise the type comes from the id
  (:func:`infer_host_type`: :func:`infer_type_from_id` plus embedding and image families
  it does not know, and dated ``-Instruct-2507`` checkpoints kept as chat).
* ``created: 0`` is "not given", not 1970.
* Only token prices whose unit the provider documents are read; each provider module says
  which wire fields it leaves alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, modalities_for
from catalog_pipeline.domain.rows import TOKEN_PRICE_FIELDS, ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import PriceInput
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime

# --- The plain OpenAI list ---------------------------------------------------------------


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


def _first_extra_int(extra: dict[str, Any], keys: tuple[str, ...]) -> int | None:
    for key in keys:
        value = extra.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def _first_extra_date(extra: dict[str, Any], keys: tuple[str, ...]) -> dt.date | None:
    for key in keys:
        value = extra.get(key)
        if isinstance(value, str) and value:
            return dt.date.fromisoformat(value[:10])
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
    return None


class OpenAICompatibleAPI(ModelListAPI):
    """``{"data": [...]}`` with no prices; extras mapped by ``FieldMap``."""

    dialect = "openai-compatible"

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
            context_length=_first_extra_int(extra, self.fields.context_length),
            max_output_tokens=_first_extra_int(extra, self.fields.max_output_tokens),
            deprecation_date=_first_extra_date(extra, self.fields.deprecation_date),
            price_source="none",
            created_at=created,
        )


# --- The extended list of open-model hosts ----------------------------------------------

Path = tuple[str, ...]
PriceUnit = Callable[[PriceInput], Decimal]


@dataclass(frozen=True)
class PriceField:
    """One wire price: where it is (``path``), which ``Prices`` field, and its unit."""

    target: str
    path: Path
    unit: PriceUnit


@dataclass(frozen=True)
class HostFieldMap:
    """Where one host puts the facts the plain OpenAI dialect does not have.

    Every entry is a path of keys into the wire item. ``features`` paths may hold a list
    of strings, an object of booleans, or a single boolean (named by the last key).
    """

    prices: tuple[PriceField, ...] = ()
    name: tuple[Path, ...] = ()
    context_length: tuple[Path, ...] = ()
    max_output_tokens: tuple[Path, ...] = ()
    input_modalities: Path | None = None
    output_modalities: Path | None = None
    modality_string: Path | None = None
    """OpenRouter-style ``"text+image->text"`` (Cerebras: ``"text+vision"``)."""
    features: tuple[Path, ...] = ()
    model_type: Path | None = None
    type_names: dict[str, ModelType] = field(default_factory=dict)
    deprecation_date: tuple[Path, ...] = ()
    publisher: str = "id_prefix"
    """``"id_prefix"`` (``org/model`` ids), ``"owned_by"``, or ``"none"``."""
    classify: Callable[[dict[str, Any], ModelType], ModelType] | None = None
    """Provider-specific correction of the type after the generic rules."""
    query: tuple[tuple[str, str], ...] = ()
    """Query parameters of the list request (Nebius ``verbose=true``)."""


# Words providers use for the same capability, mapped to the labels the catalog uses.
_CAPABILITY_WORDS = {
    "tools": "tools",
    "function-calling": "tools",
    "function_calling": "tools",
    "supports_tools": "tools",
    "reasoning": "reasoning",
    "reasoning_effort": "reasoning",
    "structured_outputs": "structured_outputs",
    "structured-outputs": "structured_outputs",
    "json_mode": "json_mode",
    "vision": "vision",
    "supports_image_input": "vision",
    "prompt_cache": "prompt_caching",
}
_CAPABILITY_ORDER = ("tools", "reasoning", "structured_outputs", "json_mode", "vision")
_CAPABILITY_ORDER += ("prompt_caching",)

# Embedding families that ``infer_type_from_id`` (which looks for "embed") does not see.
_EMBEDDING_IDS = re.compile(
    r"(^|/)(bge|gte|e5|multilingual-e5|all-minilm|all-mpnet|paraphrase-minilm|multi-qa-mpnet"
    r"|text2vec|clip-vit|sentence-t5)[-_.]",
    re.IGNORECASE,
)

# Image generators named by product rather than by the words ``infer_type_from_id`` knows.
_IMAGE_IDS = re.compile(r"(^|[-_/])image([-_]|$)|seedream|[-_]t2i([-_]|$)", re.IGNORECASE)

# ``infer_type_from_id`` reads ``-instruct-NNNN`` as an OpenAI legacy completion model
# (``gpt-3.5-turbo-instruct-0914``); on these hosts it is a dated chat checkpoint
# (``Qwen3-235B-A22B-Instruct-2507``, ``Mistral-Small-24B-Instruct-2501``).
_DATED_INSTRUCT = re.compile(r"[-_]instruct[-_]\d{4}$", re.IGNORECASE)

_MODALITY_WORDS = {"vision": "image", "images": "image", "embeddings": "embedding"}


def _get(item: dict[str, Any], path: Path) -> Any:
    value: Any = item
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _first_int(item: dict[str, Any], paths: tuple[Path, ...]) -> int | None:
    for path in paths:
        value = _get(item, path)
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and value > 0:
            return value
        if isinstance(value, Decimal) and value > 0 and value == value.to_integral_value():
            return int(value)
    return None


def _first_str(item: dict[str, Any], paths: tuple[Path, ...]) -> str | None:
    for path in paths:
        value = _get(item, path)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Decimal)) and value > 0:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC).date()
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _words(value: Any, path: Path) -> list[str]:
    if isinstance(value, list):
        return [v.strip().lower() for v in value if isinstance(v, str)]
    if isinstance(value, dict):
        return [k.lower() for k, v in value.items() if v is True]
    if value is True and path:
        return [path[-1].lower()]
    return []


def _modalities(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    out: list[str] = []
    for entry in value:
        if isinstance(entry, str) and entry.strip():
            word = entry.strip().lower()
            word = _MODALITY_WORDS.get(word, word)
            if word not in out:
                out.append(word)
    return tuple(out)


def parse_modality_string(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``"text+image->text"`` to ``(("text", "image"), ("text",))``; no arrow: text out."""
    left, _, right = text.partition("->")
    inputs = _modalities(left.split("+"))
    outputs = _modalities(right.split("+")) if right else ("text",)
    return inputs or ("text",), outputs or ("text",)


def is_marked_free(model_id: str) -> bool:
    lowered = model_id.lower()
    return lowered.endswith((":free", "-free"))


def infer_host_type(model_id: str) -> ModelType:
    """The type from an open-weight id, for hosts that do not declare one."""
    kind = infer_type_from_id(model_id)
    if kind is ModelType.COMPLETION and "/" in model_id and _DATED_INSTRUCT.search(model_id):
        return ModelType.CHAT
    if kind is ModelType.CHAT and _EMBEDDING_IDS.search(model_id):
        return ModelType.EMBEDDING
    if kind is ModelType.CHAT and _IMAGE_IDS.search(model_id):
        return ModelType.IMAGE
    return kind


class OpenHostAPI(ModelListAPI):
    """``{"data": [...]}`` OpenAI-style items with host-specific extras named by a field map."""

    dialect = "openai-compatible-host"

    def __init__(self, fields: HostFieldMap) -> None:
        self.fields = fields

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        return PageRequest(spec.list_path, self.fields.query)

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        f = self.fields
        model_id = item.get("id")
        if not isinstance(model_id, str) or not model_id.strip():
            raise ValueError("item has no string 'id'")
        prices = self._prices(model_id, item)

        kind = None
        if f.model_type is not None:
            declared = _get(item, f.model_type)
            if isinstance(declared, str):
                kind = f.type_names.get(declared.strip().lower(), ModelType.OTHER)
        if kind is None:
            kind = infer_host_type(model_id)
        if f.classify is not None:
            kind = f.classify(item, kind)

        capabilities: list[str] = []
        for path in f.features:
            for word in _words(_get(item, path), path):
                label = _CAPABILITY_WORDS.get(word)
                if label and label not in capabilities:
                    capabilities.append(label)

        inputs, outputs = modalities_for(kind)
        if f.modality_string is not None:
            text = _get(item, f.modality_string)
            if isinstance(text, str) and text.strip():
                inputs, outputs = parse_modality_string(text)
        if f.input_modalities is not None:
            inputs = _modalities(_get(item, f.input_modalities)) or inputs
        if f.output_modalities is not None:
            outputs = _modalities(_get(item, f.output_modalities)) or outputs
        if "vision" in capabilities and "image" not in inputs:
            inputs = (*inputs, "image")
        if "image" in inputs and "vision" not in capabilities:
            capabilities.append("vision")

        name = _first_str(item, f.name)
        created = item.get("created")
        deprecation = None
        for path in f.deprecation_date:
            deprecation = deprecation or _date(_get(item, path))
        return ProviderModel(
            provider_model_id=model_id,
            name=name if name != model_id else None,
            publisher_hint=self._publisher(model_id, item),
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=_first_int(item, f.context_length),
            max_output_tokens=_first_int(item, f.max_output_tokens),
            prices=prices,
            price_source="none" if prices.is_unpriced() else "provider_api",
            capabilities=tuple(c for c in _CAPABILITY_ORDER if c in capabilities),
            deprecation_date=deprecation,
            created_at=_date_time(created),
        )

    def _prices(self, model_id: str, item: dict[str, Any]) -> Prices:
        values: dict[str, Decimal] = {}
        for price in self.fields.prices:
            raw = _get(item, price.path)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            values[price.target] = price.unit(raw)
        token_values = [v for k, v in values.items() if k in TOKEN_PRICE_FIELDS]
        if token_values and all(v == 0 for v in token_values) and not is_marked_free(model_id):
            values = {k: v for k, v in values.items() if k not in TOKEN_PRICE_FIELDS}
        return Prices(**values)

    def _publisher(self, model_id: str, item: dict[str, Any]) -> str | None:
        mode = self.fields.publisher
        if mode == "id_prefix":
            return model_id.split("/", 1)[0] if "/" in model_id else None
        if mode == "owned_by":
            owner = item.get("owned_by")
            return owner if isinstance(owner, str) and owner.strip() else None
        return None


def _date_time(created: Any) -> dt.datetime | None:
    if isinstance(created, bool) or not isinstance(created, (int, Decimal)) or created <= 0:
        return None
    return dt.datetime.fromtimestamp(int(created), tz=dt.UTC)
