"""Canonical model IDs: one module of versioned rules, and nothing else computes them.

``provider_model_id`` is stored exactly as the provider returns it. ``canonical_id`` is
``<publisher>/<model>`` in lowercase, computed here:

1. Provider wrappers are removed (``accounts/<acct>/models/``, ``@cf/<org>/``, Gemini's
   ``models/``, Bedrock region and ``-v1:0`` decorations).
2. A ``:variant`` suffix (``:free``, ``:beta``, ``:thinking``) is kept: a variant is its own row.
3. The publisher comes from the id's own ``org/`` prefix, else from the model family's
   name (``claude`` -> anthropic), else from the provider's ``owned_by`` hint, else from the
   provider itself; publisher spellings are unified by :data:`PUBLISHER_ALIASES`.
4. Dated snapshots map to their base model (``-20250929``, ``-2024-08-06``, ``@20250929``);
   four-digit suffixes (``-0528``, ``-0613``) are distinct checkpoints and are kept.
5. Version spellings are unified only where they mean the same model: ``4-5`` -> ``4.5``
   when a single digit follows (``llama-3-8b`` stays, ``claude-sonnet-4-5`` -> ``4.5``).

Bump :data:`RULES_VERSION` whenever a rule changes what an existing id maps to.
"""

from __future__ import annotations

import re

RULES_VERSION = 1

PUBLISHER_ALIASES: dict[str, str] = {
    "meta-llama": "meta",
    "meta": "meta",
    "facebook": "meta",
    "x-ai": "xai",
    "xai": "xai",
    "mistralai": "mistral",
    "mistral-ai": "mistral",
    "mistral": "mistral",
    "deepseek-ai": "deepseek",
    "deepseek": "deepseek",
    "qwen": "alibaba",
    "alibaba": "alibaba",
    "alibaba-cloud": "alibaba",
    "z-ai": "zai",
    "zai-org": "zai",
    "zai": "zai",
    "zhipuai": "zai",
    "thudm": "zai",
    "moonshotai": "moonshot",
    "moonshot": "moonshot",
    "moonshot-ai": "moonshot",
    "black-forest-labs": "bfl",
    "bfl": "bfl",
    "google": "google",
    "google-deepmind": "google",
    "anthropic": "anthropic",
    "openai": "openai",
    "openai-internal": "openai",
    "cohere": "cohere",
    "coherelabs": "cohere",
    "cohereforai": "cohere",
    "minimax": "minimax",
    "minimaxai": "minimax",
    "nvidia": "nvidia",
    "microsoft": "microsoft",
    "ibm-granite": "ibm",
    "ibm": "ibm",
    "amazon": "amazon",
    "stabilityai": "stability",
    "stability-ai": "stability",
    "bytedance": "bytedance",
    "bytedance-seed": "bytedance",
}
"""Every spelling of a publisher seen in provider ids and ``owned_by`` fields -> one name."""

_FAMILY_PUBLISHERS: tuple[tuple[str, str], ...] = (
    (r"claude", "anthropic"),
    (
        r"gpt|o[134](-|$)|chatgpt|dall-e|whisper|tts-|text-embedding|davinci|babbage|omni-moderation|sora|codex",
        "openai",
    ),
    (r"gemini|gemma|imagen|veo-", "google"),
    (r"llama", "meta"),
    (r"mistral|mixtral|codestral|magistral|devstral|pixtral|ministral|voxtral", "mistral"),
    (r"qwen|qwq", "alibaba"),
    (r"deepseek", "deepseek"),
    (r"grok", "xai"),
    (r"glm|chatglm", "zai"),
    (r"kimi|moonshot", "moonshot"),
    (r"command|c4ai|aya", "cohere"),
    (r"flux", "bfl"),
    (r"minimax|abab", "minimax"),
)
_FAMILY_PATTERNS = tuple((re.compile(rf"^(?:{p})"), pub) for p, pub in _FAMILY_PUBLISHERS)

_WRAPPERS = (
    re.compile(r"^accounts/[^/]+/models/"),
    re.compile(r"^@cf/"),
    re.compile(r"^@hf/"),
    re.compile(r"^models/"),
    re.compile(r"^(?:us|eu|apac|global|us-gov)\.(?=[a-z-]+\.)"),
)
_BEDROCK = re.compile(r"^(?P<pub>[a-z-]+)\.(?P<model>.+?)(?:-v\d+(?::\d+)?)?$")
_DATE_SUFFIX = re.compile(
    r"(?:[-@](?:20\d{2})(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])|-20\d{2}-\d{2}-\d{2})$"
)
_VERSION_DASH = re.compile(r"(?<=[a-z-])(\d)-(\d)(?=$|-)")


def publisher_name(raw: str) -> str:
    """One spelling per publisher; unknown names pass through lowercased."""
    key = raw.strip().lower().replace(" ", "-").replace("_", "-")
    return PUBLISHER_ALIASES.get(key, key)


def split_variant(model_id: str) -> tuple[str, str | None]:
    base, sep, variant = model_id.rpartition(":")
    if sep and base and re.fullmatch(r"[a-z][a-z0-9-]*", variant):
        return base, variant
    return model_id, None


def _strip_wrappers(model_id: str) -> tuple[str, str | None]:
    """Remove hosting wrappers; return the id and a publisher the wrapper revealed."""
    text = model_id
    for pattern in _WRAPPERS:
        text = pattern.sub("", text)
    match = _BEDROCK.match(text)
    if match and "/" not in text and match["pub"] in PUBLISHER_ALIASES:
        return match["model"], match["pub"]
    return text, None


def _family_publisher(model: str) -> str | None:
    for pattern, publisher in _FAMILY_PATTERNS:
        if pattern.match(model):
            return publisher
    return None


def base_model(model: str) -> str:
    """Model part without date snapshot and with unified version spelling."""
    model = _DATE_SUFFIX.sub("", model)
    return _VERSION_DASH.sub(r"\1.\2", model)


def canonical_id(provider_model_id: str, provider: str, publisher_hint: str | None = None) -> str:
    """The canonical ``publisher/model`` for one provider's model id (see module docstring)."""
    text = provider_model_id.strip().lower()
    text, variant = split_variant(text)
    text, wrapper_publisher = _strip_wrappers(text)
    org, slash, rest = text.rpartition("/")
    model = rest if slash else text
    if slash and "/" in org:
        org = org.rsplit("/", 1)[-1]
    publisher = (
        (publisher_name(org) if slash else None)
        or (publisher_name(wrapper_publisher) if wrapper_publisher else None)
        or _family_publisher(model)
        or (publisher_name(publisher_hint) if publisher_hint else None)
        or publisher_name(provider)
    )
    model = base_model(model)
    return f"{publisher}/{model}" + (f":{variant}" if variant else "")


def is_canonical(value: str) -> bool:
    """True for strings already in canonical form (lowercase ``publisher/model``)."""
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9.-]*/[^\s/A-Z][^\sA-Z]*", value))
