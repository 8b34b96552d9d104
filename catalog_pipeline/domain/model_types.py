"""Model type from an id, for providers whose list API does not say what a model does.

Only used when the provider gives no type; a declared type always wins.
"""

from __future__ import annotations

import re

from catalog_pipeline.domain.rows import ModelType

_ID_PATTERNS: tuple[tuple[re.Pattern[str], ModelType], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"embed|\bbge-|\bgte-|\be5-|minilm|mpnet", ModelType.EMBEDDING),
        (r"rerank", ModelType.RERANK),
        (r"moderation|guard", ModelType.MODERATION),
        (r"whisper|transcribe|speech-to-text|\bstt\b", ModelType.TRANSCRIPTION),
        (r"\btts\b|-tts|playai|text-to-speech|orpheus", ModelType.AUDIO),
        (r"dall-e|gpt-image|chatgpt-image|imagen|flux|stable-diffusion|sdxl", ModelType.IMAGE),
        (r"\bsora\b|\bveo\b|video", ModelType.VIDEO),
        (r"^(davinci|babbage)-\d+$|gpt-3\.5-turbo-instruct", ModelType.COMPLETION),
    )
)


def infer_type_from_id(model_id: str) -> ModelType:
    lowered = model_id.lower()
    for pattern, kind in _ID_PATTERNS:
        if pattern.search(lowered):
            return kind
    return ModelType.CHAT


def modalities_for(kind: ModelType) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Default (input, output) modalities for a type when the provider does not list them."""
    return {
        ModelType.EMBEDDING: (("text",), ("embedding",)),
        ModelType.RERANK: (("text",), ("score",)),
        ModelType.MODERATION: (("text",), ("text",)),
        ModelType.TRANSCRIPTION: (("audio",), ("text",)),
        ModelType.AUDIO: (("text",), ("audio",)),
        ModelType.IMAGE: (("text",), ("image",)),
        ModelType.VIDEO: (("text",), ("video",)),
    }.get(kind, (("text",), ("text",)))


_OUTPUT_MODALITY_TYPES = (
    ("embeddings", ModelType.EMBEDDING),
    ("embedding", ModelType.EMBEDDING),
    ("image", ModelType.IMAGE),
    ("video", ModelType.VIDEO),
    ("audio", ModelType.AUDIO),
)
_PARAMETER_CAPABILITIES = (
    ("tools", "tools"),
    ("reasoning", "reasoning"),
    ("structured_outputs", "structured_outputs"),
)


def type_from_output_modalities(outputs: tuple[str, ...] | list[str]) -> ModelType | None:
    """A model whose outputs include embeddings, images, video or audio is of that type."""
    return next((kind for name, kind in _OUTPUT_MODALITY_TYPES if name in outputs), None)


def capabilities_from_parameters(
    parameters: set[str] | list[str] | tuple[str, ...],
) -> tuple[str, ...]:
    """Capabilities implied by OpenRouter-style ``supported_parameters``."""
    return tuple(label for name, label in _PARAMETER_CAPABILITIES if name in parameters)
