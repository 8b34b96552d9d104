"""Canonical model IDs: one module of versioned rules, and nothing else computes them.

``provider_model_id`` is stored exactly as the provider returns it. ``canonical_id`` is
``<publisher>/<model>`` in lowercase, computed here:

1. Provider wrappers are removed (``accounts/<acct>/models/``, ``@cf/<org>/``, Gemini's
   ``models/``, Bedrock region and ``-v1:0`` decorations).
2. A ``:variant`` suffix (``:free``, ``:beta``, ``:thinking``) is kept: a variant is its own row.
3. The publisher comes from the id's own ``org/`` prefix, else from the model family's
   name (``claude`` -> anthropic), else from the provider's ``owned_by`` hint, else from the
   provider itself; publisher spellings are unified by :data:`PUBLISHER_ALIASES`.
4. Dated snapshots map to their base model (``-20250929``, ``-2024-08-06``, ``@20250929``)
   and so does the moving alias ``-latest``; four-digit suffixes (``-0528``, ``-2411``) are
   distinct checkpoints and are kept, as are ``-preview``, ``-fast``, ``-turbo``, ``-tee``,
   quantisations (``-fp8``) and any other suffix: a variant is its own model.
5. Version spellings are unified only where they mean the same model: ``4-5`` and ``4_5``
   -> ``4.5`` when a single digit follows (``llama-3-8b`` stays, ``claude-sonnet-4-5`` ->
   ``4.5``), Fireworks' ``v3p1`` -> ``3.1``, a trailing ``4.0`` -> ``4``, and the official
   family spellings ``llama-3``, ``gemma-2``, ``qwen3`` (``llama3-8b`` -> ``llama-3-8b``).
6. A publisher written into the model name is split off when what follows is one of its
   model families (``openai-gpt-5`` -> ``openai/gpt-5``, ``meta-llama/Meta-Llama-3-8B`` ->
   ``meta/llama-3-8b``); nothing is split on a guess (``mistral-large`` stays).

Bump :data:`RULES_VERSION` whenever a rule changes what an existing id maps to.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

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
    "grok": "xai",
    "xiaomi": "xiaomi",
    "xiaomimimo": "xiaomi",
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
    (r"mimo", "xiaomi"),
    (r"nemotron", "nvidia"),
)
_FAMILY_PATTERNS = tuple((re.compile(rf"^(?:{p})"), pub) for p, pub in _FAMILY_PUBLISHERS)

_WRAPPERS = (
    re.compile(r"^accounts/[^/]+/models/"),
    re.compile(r"^projects/[^/]+/locations/[^/]+/(?=publishers/)"),
    re.compile(r"^@cf/"),
    re.compile(r"^@hf/"),
    re.compile(r"^hf:"),
    re.compile(r"^models/"),
    re.compile(r"^(?:[a-z]{2,4}|us-gov)\.(?=[a-z-]+\.[a-z])"),
    re.compile(r"@(?:default|latest)$"),
)
_BEDROCK = re.compile(r"^(?P<pub>[a-z-]+)\.(?P<model>.+?)(?:-v\d+(?::\d+)?)?$")
_DATE_SUFFIX = re.compile(
    r"(?:[-@](?:20\d{2})(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])|-20\d{2}-\d{2}-\d{2})$"
)
_VERSION_DASH = re.compile(r"(?<=[a-z-])(\d)[-_](\d)(?=$|-)")
_TRAILING_POINT_ZERO = re.compile(r"(?<=-\d)\.0$")
_MOVING_ALIAS = re.compile(r"-latest$")
_P_VERSION = re.compile(r"(?<=[a-z])(\d+)p(\d+)(?=$|-)")
_FAMILY_SPELLINGS = (
    (re.compile(r"^llama-?v?(\d)"), r"llama-\1"),
    (re.compile(r"^gemma-?(\d)"), r"gemma-\1"),
    (re.compile(r"^qwen-(\d)"), r"qwen\1"),
)


def publisher_name(raw: str) -> str:
    """One spelling per publisher; unknown names pass through lowercased."""
    key = raw.strip().lower().replace(" ", "-").replace("_", "-")
    return PUBLISHER_ALIASES.get(key, key)


def split_variant(model_id: str) -> tuple[str, str | None]:
    base, sep, variant = model_id.rpartition(":")
    if sep and base and re.fullmatch(r"[a-z][a-z0-9-]*", variant):
        return base, variant
    return model_id, None


_PUBLISHER_PATHS = (
    re.compile(r"^publishers/(?P<pub>[^/]+)/models/(?P<model>[^/]+)$"),
    re.compile(r"^(?P<pub>[^/]+)/[^/]+/models/(?P<model>[^/]+)$"),
)


def _strip_wrappers(model_id: str) -> tuple[str, str | None]:
    """Remove hosting wrappers; return the id and a publisher the wrapper revealed."""
    text = model_id
    for pattern in _WRAPPERS:
        text = pattern.sub("", text)
    for pattern in _PUBLISHER_PATHS:
        match = pattern.match(text)
        if match:
            return match["model"], match["pub"]
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
    """Model part without date snapshot or ``-latest``, with unified version spelling."""
    model = _MOVING_ALIAS.sub("", _DATE_SUFFIX.sub("", model))
    model = _P_VERSION.sub(r"\1.\2", _VERSION_DASH.sub(r"\1.\2", model))
    for pattern, replacement in _FAMILY_SPELLINGS:
        model = pattern.sub(replacement, model)
    return _TRAILING_POINT_ZERO.sub("", model)


def _split_publisher_prefix(model: str, provider: str) -> tuple[str | None, str]:
    """``openai-gpt-5`` -> (openai, gpt-5), ``databricks-gemini-3-pro`` -> (google, gemini-3-pro).

    Only a known publisher's name or the serving provider's own name is split off, and only
    when what follows is one of that publisher's model families: ``mistral-large`` keeps its
    name, and ``coding-glm-5.1`` (a product of its own) is not cut to ``glm-5.1``.
    """
    head, sep, rest = model.partition("-")
    while sep:
        family = _family_publisher(rest)
        if family is not None:
            named = PUBLISHER_ALIASES.get(head)
            if named == family or (named is None and head == provider.lower()):
                return family, rest
        more_head, sep, rest = rest.partition("-")
        head = f"{head}-{more_head}"
    return None, model


class CanonicalId(NamedTuple):
    """A canonical id and where its publisher came from.

    ``publisher_from`` is ``org`` (the id's own prefix), ``wrapper``, ``name`` (a
    publisher written into the model name), ``family`` (the model family), ``owned_by``
    (the provider's hint) or ``provider`` (fallback: nothing identified the publisher, so
    the rules do not claim to know the model).
    """

    value: str
    publisher_from: str

    @property
    def claimed(self) -> bool:
        return self.publisher_from != "provider"


@lru_cache(maxsize=65_536)
def canonicalize(
    provider_model_id: str, provider: str, publisher_hint: str | None = None
) -> CanonicalId:
    """The canonical ``publisher/model`` for one provider's model id (see module docstring).

    The rules are fixed for a process and the answer is an immutable tuple, so answers
    are memoized: resolvers rebuilt after each catalog change, and normalization of the
    same ids every sync, do not run the regular expressions again.
    """
    text = provider_model_id.strip().lower()
    text, variant = split_variant(text)
    text, wrapper_publisher = _strip_wrappers(text)
    org, slash, rest = text.rpartition("/")
    model = rest if slash else text
    if slash and "/" in org:
        org = org.rsplit("/", 1)[-1]
    prefix_publisher, unprefixed = (
        (None, model) if _family_publisher(model) else _split_publisher_prefix(model, provider)
    )
    org_publisher = publisher_name(org) if slash else None
    if prefix_publisher and org_publisher in (None, prefix_publisher):
        model = unprefixed
    candidates = (
        ("org", org_publisher),
        ("wrapper", publisher_name(wrapper_publisher) if wrapper_publisher else None),
        ("name", prefix_publisher),
        ("family", _family_publisher(model)),
        ("owned_by", publisher_name(publisher_hint) if publisher_hint else None),
        ("provider", publisher_name(provider)),
    )
    source, publisher = next((name, value) for name, value in candidates if value)
    value = f"{publisher}/{base_model(model)}" + (f":{variant}" if variant else "")
    return CanonicalId(value, source)


def canonical_id(provider_model_id: str, provider: str, publisher_hint: str | None = None) -> str:
    return canonicalize(provider_model_id, provider, publisher_hint).value


def is_canonical(value: str) -> bool:
    """True for strings already in canonical form (lowercase ``publisher/model``)."""
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9.-]*/[^\s/A-Z][^\sA-Z]*", value))
