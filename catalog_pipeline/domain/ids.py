"""Canonical model IDs: one module of versioned rules, and nothing else computes them.

``provider_model_id`` is stored exactly as the provider returns it. ``canonical_id`` is
``<publisher>/<model>`` in lowercase, computed here:

1. Provider wrappers are removed (``accounts/fireworks/models/`` and ``/routers/``,
   ``@cf/<org>/``, Gemini's ``models/``, Vertex's ``publishers/<pub>/models/``, Portkey's
   ``@<integration>/``, OpenRouter's ``~`` alias marker, Bedrock region and ``-v1:0``
   decorations). Another Fireworks account's ``accounts/<acct>/models/<m>`` is a user
   deployment: the account becomes its org, so it never merges with the public model.
2. A ``:variant`` suffix (``:free``, ``:beta``, ``:thinking``) is kept: a variant is its own
   row. An OpenAI fine-tune keeps its whole ``ft:`` id.
3. The publisher comes from the id's own ``org/`` prefix, else from the model family's
   name (``claude`` -> anthropic), else from the provider's ``owned_by`` hint, else from the
   provider itself; publisher spellings are unified by :data:`PUBLISHER_ALIASES`.
4. Dated snapshots are their own models (``gpt-4o-2024-05-13`` is not ``gpt-4o``: it costs
   twice as much), and so is every other suffix: ``-latest``, four-digit checkpoints
   (``-0528``, ``-2411``), ``-preview``, ``-fast``, ``-turbo``, ``-tee``, quantisations. Only
   the spelling of a date is unified (Vertex's ``@20250929`` is Anthropic's ``-20250929``).
   Where a publisher documents that an undated name points to a snapshot, that is a row of
   the moving-alias table (:mod:`catalog_pipeline.domain.aliases`), used by resolution only.
5. Version spellings are unified only where they mean the same model: ``4-5`` and ``4_5``
   -> ``4.5`` when a single digit follows (``llama-3-8b`` stays, ``claude-sonnet-4-5`` ->
   ``4.5``), Fireworks' ``v3p1`` -> ``3.1``, a trailing ``4.0`` -> ``4``, and the official
   family spellings ``llama-3``, ``gemma-2``, ``qwen3`` (``llama3-8b`` -> ``llama-3-8b``).
6. A publisher written into the model name is split off when what follows is one of its
   model families (``openai-gpt-5`` -> ``openai/gpt-5``, ``meta-llama/Meta-Llama-3-8B`` ->
   ``meta/llama-3-8b``); nothing is split on a guess (``mistral-large`` stays).

Lowercasing never turns a non-ASCII character into ASCII (:func:`fold_case`): ``str.lower``
turns U+212A KELVIN SIGN into ``k`` and ``casefold`` turns ``ß`` into ``ss``, so a
lookalike spelling would otherwise become another model's id.

Bump :data:`RULES_VERSION` whenever a rule changes what an existing id maps to.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

RULES_VERSION = 3

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
    re.compile(r"^accounts/fireworks/(?:models|routers)/"),
    re.compile(r"^projects/[^/]+/locations/[^/]+/(?=publishers/)"),
    re.compile(r"^@cf/"),
    re.compile(r"^@hf/"),
    re.compile(r"^@[a-z0-9_-]+/"),
    re.compile(r"^hf:"),
    re.compile(r"^(?:models|tunedmodels)/"),
    re.compile(r"^~"),
    re.compile(r"^(?:us|eu|apac|au|jp|ca|in|us-gov|global)\.(?=[a-z-]+\.[a-z])"),
    re.compile(r"@default$"),
)
_VERTEX_DATE = re.compile(r"@(20\d{6})$")
_VERTEX_LATEST = re.compile(r"@latest$")
_BEDROCK = re.compile(r"^(?P<pub>[a-z-]+)\.(?P<model>.+?)(?:-v[1-9]\d*(?::\d+)?)?$")
_BEDROCK_MODEL_VERSION = re.compile(r"-v0:(\d+)$")
"""Bedrock's API versions start at ``v1`` (``-v1:0``, ``-v2:0``); a ``-v0:2`` is the
model's own version in Bedrock's spelling (``mistral.mistral-7b-instruct-v0:2`` is
Mistral 7B Instruct v0.2), kept as ``-v0.2``, never cut to the moving name."""
_DATE_SUFFIX = re.compile(
    r"-(?:20\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])|20\d{2}-(?:0[1-9]|1[0-2])-(?:[0-2]\d|3[01]))$"
)
_VERSION_DASH = re.compile(r"(?<=[a-z-])(\d)[-_](\d)(?=$|-)")
_TRAILING_POINT_ZERO = re.compile(r"(?<=-\d)\.0$")
_P_VERSION = re.compile(r"(?<=[a-z])(\d+)p(\d+)(?=$|-)")
_FAMILY_SPELLINGS = (
    (re.compile(r"^llama-?v?(\d)"), r"llama-\1"),
    (re.compile(r"^gemma-?(\d)"), r"gemma-\1"),
    (re.compile(r"^qwen-(\d)"), r"qwen\1"),
)


def fold_case(text: str) -> str:
    """``text`` lowercased, except a non-ASCII character whose lowercase is (or contains)
    ASCII: U+212A KELVIN SIGN stays as it is instead of becoming ``k``, U+0130 instead of
    ``i`` plus a combining dot. Never ``casefold`` (``ß`` would become ``ss``)."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lowered = char.lower()
    if char.isascii() or not any(part.isascii() for part in lowered):
        return lowered
    return char


def publisher_name(raw: str) -> str:
    """One spelling per publisher; unknown names pass through lowercased."""
    key = fold_case(raw.strip()).replace(" ", "-").replace("_", "-")
    return PUBLISHER_ALIASES.get(key, key)


def split_variant(model_id: str) -> tuple[str, str | None]:
    base, sep, variant = model_id.rpartition(":")
    if sep and base and re.fullmatch(r"[a-z][a-z0-9-]*", variant):
        return base, variant
    return model_id, None


_PUBLISHER_PATHS = (
    re.compile(r"^publishers/(?P<pub>[^/]+)/models/(?P<model>[^/]+)$"),
    re.compile(r"^accounts/(?P<pub>[^/]+)/(?:models|routers)/(?P<model>[^/]+)$"),
    re.compile(r"^(?P<pub>[^/]+)/[^/]+/models/(?P<model>[^/]+)$"),
)


def _strip_wrappers(model_id: str) -> tuple[str, str | None]:
    """Remove hosting wrappers; return the id and a publisher the wrapper revealed."""
    text = _VERTEX_LATEST.sub("-latest", _VERTEX_DATE.sub(r"-\1", model_id))
    for pattern in _WRAPPERS:
        text = pattern.sub("", text)
    for pattern in _PUBLISHER_PATHS:
        match = pattern.match(text)
        if match:
            return match["model"], match["pub"]
    match = _BEDROCK.match(text)
    if match and "/" not in text and match["pub"] in PUBLISHER_ALIASES:
        return _BEDROCK_MODEL_VERSION.sub(r"-v0.\1", match["model"]), match["pub"]
    return text, None


def _family_publisher(model: str) -> str | None:
    for pattern, publisher in _FAMILY_PATTERNS:
        if pattern.match(model):
            return publisher
    return None


def base_model(model: str) -> str:
    """The model part with unified version spelling (dates and suffixes kept)."""
    model = _P_VERSION.sub(r"\1.\2", _VERSION_DASH.sub(r"\1.\2", model))
    for pattern, replacement in _FAMILY_SPELLINGS:
        model = pattern.sub(replacement, model)
    return _TRAILING_POINT_ZERO.sub("", model)


def _split_publisher_prefix(model: str, provider: str) -> tuple[str | None, str]:
    """``openai-gpt-5`` -> (openai, gpt-5), ``databricks-gemini-3-pro`` -> (google, gemini-3-pro).

    Only a known publisher's name or the serving provider's own name is split off, and only
    when what follows is one of that publisher's model families: ``mistral-large`` keeps its
    name, and ``coding-glm-5.1`` (a product of its own) is not cut to ``glm-5.1``. The
    longest such prefix wins: ``meta-llama-llama-3.1-8b-instruct`` is Meta's
    ``llama-3.1-8b-instruct``, not ``llama-llama-3.1-8b-instruct``.
    """
    found: tuple[str | None, str] = (None, model)
    head, sep, rest = model.partition("-")
    while sep:
        family = _family_publisher(rest)
        if family is not None:
            named = PUBLISHER_ALIASES.get(head)
            if named == family or (named is None and head == fold_case(provider)):
                found = family, rest
        more_head, sep, rest = rest.partition("-")
        head = f"{head}-{more_head}"
    return found


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
    text = fold_case(provider_model_id.strip())
    if text.startswith("ft:"):
        return _fine_tune(text, provider, publisher_hint)
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


def _fine_tune(text: str, provider: str, publisher_hint: str | None) -> CanonicalId:
    """``ft:<base>[:org:name:id]``: the base model's publisher, the whole id as the model."""
    base = canonicalize(text[3:].split(":", 1)[0], provider, publisher_hint)
    return CanonicalId(f"{base.value.split('/', 1)[0]}/{text}", base.publisher_from)


def canonical_id(provider_model_id: str, provider: str, publisher_hint: str | None = None) -> str:
    return canonicalize(provider_model_id, provider, publisher_hint).value


@lru_cache(maxsize=65_536)
def snapshot_base(canonical: str) -> str | None:
    """The canonical id without its date (``openai/gpt-4o-2024-05-13`` -> ``openai/gpt-4o``),
    or None when it names no dated snapshot. Checkpoints (``-0528``) are not dates.

    Used by resolution only, and only when nobody lists the dated id itself."""
    base, variant = split_variant(canonical)
    stripped = _DATE_SUFFIX.sub("", base)
    if stripped == base or stripped.endswith("/"):
        return None
    return stripped + (f":{variant}" if variant else "")


def is_canonical(value: str) -> bool:
    """True for strings already in canonical form (lowercase ``publisher/model``)."""
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9.-]*/[^\s/A-Z][^\sA-Z]*", value))
