"""Synthetic benchmark data. Nothing here copies a real payload.

* :func:`roster_recordings` writes a replay folder for the whole roster. Each provider's
  pages are grown from the repo's hand-written sample recording (``recordings/``, itself
  written by hand in the wire format): sample items are repeated with a suffix on every
  identity field until the provider has the model count of :data:`ROSTER_PROFILE`, and
  paginated families get a chain of pages linked by the cursor their API uses.
* :func:`featherless_payload` writes a Featherless-shaped list of ~17,800 models (~50 MB)
  with realistically large items (model card facts, tags, description).
* :func:`synthetic_rows` builds parsed ``ProviderModel`` rows for the write and lookup
  benchmarks (names like ``acme-lab/nova-70b-instruct-0042``), priced in USD per token.

Everything is deterministic (seeded) so runs are comparable.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.common import REPO

SAMPLES = REPO / "recordings"
IDENTITY_KEYS = ("id", "name", "model_id", "endpoint_id", "canonical_slug", "slug")


@dataclass(frozen=True)
class Profile:
    """Size of one provider's list: total models and pages (1 = unpaginated)."""

    models: int
    pages: int = 1


# Model counts in the order of magnitude each provider lists (late 2025), and pages as its
# documented page size implies. Featherless is generated separately (~17,800 in one page).
ROSTER_PROFILE: dict[str, Profile] = {
    "openrouter": Profile(340),
    "vercel-ai-gateway": Profile(200),
    "helicone": Profile(250),
    "aihubmix": Profile(500),
    "portkey": Profile(1500),
    "anannas": Profile(300),
    "onerouter": Profile(250),
    "aimo": Profile(100),
    "openai": Profile(90),
    "anthropic": Profile(12, pages=2),
    "google": Profile(60, pages=2),
    "google-vertex": Profile(40),
    "mistral": Profile(60),
    "cohere": Profile(30, pages=2),
    "xai": Profile(20),
    "deepseek": Profile(4),
    "moonshot": Profile(15),
    "minimax": Profile(10),
    "zai": Profile(20),
    "alibaba": Profile(150),
    "together": Profile(200),
    "groq": Profile(25),
    "deepinfra": Profile(150),
    "novita": Profile(100),
    "chutes": Profile(60),
    "fireworks": Profile(300),
    "cerebras": Profile(10),
    "nebius": Profile(60),
    "huggingface": Profile(120),
    "cloudflare-workers-ai": Profile(90),
    "near": Profile(20),
    "akash": Profile(20),
    "morpheus": Profile(20),
    "simplismart": Profile(40),
    "fal": Profile(900, pages=9),
    "replicate": Profile(250, pages=10),
    "clarifai": Profile(350, pages=4),
}
FEATHERLESS_MODELS = 17_800


def _mutate(item: Any, suffix: str) -> Any:
    """A copy of a wire item whose identity fields carry ``suffix`` (so ids stay unique)."""
    out = copy.deepcopy(item)
    if isinstance(out, dict):
        for key in IDENTITY_KEYS:
            if isinstance(out.get(key), str) and out[key]:
                out[key] = out[key] + suffix
    return out


def _items_and_setter(body: Any, items_key: str | None):
    """The item list of a page and a function that puts a new list in its place."""
    if items_key is None:
        return body, lambda new: new
    path = items_key.split(".")
    holder = body
    for key in path[:-1]:
        holder = holder[key]

    def put(new: list) -> Any:
        holder[path[-1]] = new
        return body

    return holder[path[-1]], put


def _sample_pages(slug: str) -> list[Path]:
    """The sample's pages in request order: the plain file first, cursor pages after."""
    files = [
        p
        for p in (SAMPLES / slug).rglob("*.json")
        if not p.name.endswith(".meta.json") and p.is_file()
    ]
    return sorted(files, key=lambda p: ("@" in p.name, p.name))


def _cursor(slug: str, page: int) -> str:
    return f"bench{slug.replace('-', '')}p{page}"


def _link_page(slug: str, body: dict, page: int, pages: int, per_page: int, total: int) -> None:
    """Set the envelope fields that point page ``page`` (1-based) at the next one."""
    last = page == pages
    nxt = None if last else _cursor(slug, page + 1)
    if slug == "anthropic":
        body["has_more"] = not last
        body["last_id"] = nxt or "bench-last"
    elif slug == "cohere":
        body["next_page_token"] = nxt or ""
    elif slug in ("google", "google-vertex"):
        body["nextPageToken"] = nxt or ""
    elif slug == "fal":
        body["has_more"] = not last
        body["next_cursor"] = nxt
    elif slug == "replicate":
        body["next"] = None if last else f"https://api.replicate.com/v1/models?cursor={nxt}"
    elif slug == "cloudflare-workers-ai":
        body["result_info"] = {
            "count": per_page,
            "page": page,
            "per_page": per_page,
            "total_count": total,
            "total_pages": pages,
        }


def _page_file(slug: str, first: Path, page: int) -> Path:
    """File name that answers the request for ``page`` (replay server's ``@k=v`` rule)."""
    if page == 1:
        return first
    stem = first.name.removesuffix(".json")
    query = {
        "anthropic": "after_id",
        "cohere": "page_token",
        "google": "pageToken",
        "google-vertex": "pageToken",
        "fal": "cursor",
        "replicate": "cursor",
    }.get(slug)
    if slug in ("cloudflare-workers-ai", "clarifai"):
        return first.with_name(f"{stem}@page={page}.json")
    if query is None:
        raise ValueError(f"{slug}: no pagination rule in the generator")
    return first.with_name(f"{stem}@{query}={_cursor(slug, page)}.json")


def provider_pages(slug: str, profile: Profile) -> list[tuple[str, bytes]]:
    """``(relative file path, body)`` for every page of one provider."""
    from catalog_pipeline.providers.registry import get_provider

    spec = get_provider(slug)
    sample_files = _sample_pages(slug)
    if not sample_files:
        raise FileNotFoundError(f"no sample recording for {slug}")
    templates: list[Any] = []
    for path in sample_files:
        items, _ = _items_and_setter(json.loads(path.read_text()), spec.items_key)
        templates.extend(items)
    first_body = json.loads(sample_files[0].read_text())
    per_page = -(-profile.models // profile.pages)
    if slug == "clarifai":
        per_page = 100  # Clarifai stops at the first page shorter than per_page
    out: list[tuple[str, bytes]] = []
    made = 0
    for page in range(1, profile.pages + 1):
        count = min(per_page, profile.models - made) if page < profile.pages else None
        count = profile.models - made if count is None else count
        items = [
            _mutate(templates[(made + i) % len(templates)], f"-b{made + i:05d}")
            for i in range(count)
        ]
        made += count
        body, put = _items_and_setter(copy.deepcopy(first_body), spec.items_key)
        body = put(items)
        if isinstance(body, dict):
            _link_page(slug, body, page, profile.pages, per_page, profile.models)
        target = _page_file(slug, sample_files[0], page).relative_to(SAMPLES)
        out.append((str(target), json.dumps(body).encode()))
    return out


_WORDS = [
    "model",
    "fine-tuned",
    "instruction",
    "following",
    "chat",
    "roleplay",
    "reasoning",
    "merge",
    "quantized",
    "weights",
    "dataset",
    "training",
    "evaluation",
    "benchmark",
    "context",
    "tokens",
    "language",
    "multilingual",
    "assistant",
    "creative",
    "writing",
    "story",
    "coding",
    "math",
    "science",
    "safety",
    "alignment",
    "preference",
    "optimization",
    "dpo",
    "sft",
    "lora",
    "adapter",
    "base",
    "checkpoint",
    "release",
    "license",
    "apache",
    "mit",
    "llama",
    "qwen",
    "mistral",
    "gemma",
]
_ORGS = [
    f"{a}{b}"
    for a in ("neo", "open", "deep", "bright", "quant", "moon")
    for b in ("lab", "ai", "works", "forge", "mind", "research", "hub", "dev")
]
_FAMILIES = (
    ("llama31-8b-16k", "Llama-3.1-8B", 16384),
    ("llama33-70b-16k", "Llama-3.3-70B", 16384),
    ("qwen25-7b-lc", "Qwen2.5-7B", 32768),
    ("qwen3-32b-lc", "Qwen3-32B", 32768),
    ("mistral-nemo-12b-lc", "Mistral-Nemo-12B", 32768),
    ("gemma2-9b-8k", "gemma-2-9b", 8192),
    ("deepseek-v3-lc", "DeepSeek-V3", 32768),
)


def featherless_payload(models: int = FEATHERLESS_MODELS, seed: int = 7) -> bytes:
    """A Featherless-shaped ``{"data": [...]}`` body: ~2.8 KB per item, ~50 MB at 17,800."""
    rng = random.Random(seed)
    parts = [b'{"object": "list", "data": [']
    for index in range(models):
        model_class, family, context = _FAMILIES[index % len(_FAMILIES)]
        org = _ORGS[rng.randrange(len(_ORGS))]
        model_id = f"{org}/{family}-{rng.choice(_WORDS).title()}-v{index:05d}"
        description = " ".join(rng.choice(_WORDS) for _ in range(260))
        item = {
            "id": model_id,
            "name": model_id,
            "object": "model",
            "created": 1_700_000_000 + index * 97,
            "owned_by": org,
            "model_class": model_class,
            "context_length": context,
            "max_completion_tokens": 4096,
            "is_gated": rng.random() < 0.1,
            "available_on_current_plan": rng.random() < 0.9,
            "description": description,
            "tags": sorted({rng.choice(_WORDS) for _ in range(24)}),
            "huggingface": {
                "downloads": rng.randrange(10, 2_000_000),
                "likes": rng.randrange(0, 5_000),
                "license": rng.choice(("apache-2.0", "mit", "llama3.1", "other")),
                "pipeline_tag": "text-generation",
                "base_model": f"{family}-Instruct",
                "languages": rng.sample(["en", "de", "fr", "es", "zh", "ja", "ko", "ru"], 4),
                "last_modified": f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}T12:00:00Z",
                "sha": f"{rng.getrandbits(160):040x}",
            },
        }
        if index:
            parts.append(b",")
        parts.append(json.dumps(item).encode())
    parts.append(b"]}")
    return b"".join(parts)


def roster_recordings(root: Path, featherless_models: int = FEATHERLESS_MODELS) -> dict[str, int]:
    """Write the whole roster's replay folder under ``root``; return pages per provider."""
    from catalog_pipeline.providers.registry import provider_slugs

    pages: dict[str, int] = {}
    for slug in provider_slugs():
        if slug == "featherless":
            target = root / "featherless" / "v1" / "models.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(featherless_payload(featherless_models))
            pages[slug] = 1
            continue
        if slug not in ROSTER_PROFILE:
            continue  # served from a packaged body (no list API), nothing to replay
        for relative, body in provider_pages(slug, ROSTER_PROFILE[slug]):
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        pages[slug] = ROSTER_PROFILE[slug].pages
    return pages


def roster_latency(pages: dict[str, int], seed: int = 11) -> dict[str, float]:
    """Seconds per request, 0.2 to 3 s: Featherless 3 s, the rest drawn uniformly."""
    rng = random.Random(seed)
    latency = {slug: round(rng.uniform(0.2, 3.0), 2) for slug in sorted(pages)}
    latency["featherless"] = 3.0
    return latency


_PUBLISHERS = ("acme-lab", "nimbus-ai", "orbital", "quasar", "helix-research", "northwind")
_STEMS = ("nova", "atlas", "lyra", "vega", "orion", "zephyr", "cobalt", "ember")
_SIZES = ("1b", "3b", "8b", "14b", "32b", "70b", "405b")
_VARIANTS = ("instruct", "chat", "coder", "vision", "mini", "turbo")


ID_STYLES = ("plain", "accounts", "bare")


def synthetic_rows(count: int, seed: int = 3, offset: int = 0, style: str = "plain") -> list:
    """``count`` distinct parsed rows with token prices (as a provider parser returns them).

    ``style`` is how the host spells ids: ``plain`` ``publisher/model``, ``accounts``
    (Fireworks-like ``accounts/<publisher>/models/<model>``) or ``bare`` (no publisher).
    """
    from catalog_pipeline.domain.rows import Prices, ProviderModel

    rng = random.Random(seed)
    rows = []
    for index in range(offset, offset + count):
        publisher = _PUBLISHERS[index % len(_PUBLISHERS)]
        stem = _STEMS[(index // 6) % len(_STEMS)]
        size = _SIZES[(index // 48) % len(_SIZES)]
        variant = _VARIANTS[(index // 336) % len(_VARIANTS)]
        model = f"{stem}-{size}-{variant}-{index:06d}"
        model_id = {
            "plain": f"{publisher}/{model}",
            "accounts": f"accounts/{publisher}/models/{model}",
            "bare": model,
        }[style]
        prompt = Decimal(rng.randrange(5, 15_000)) / Decimal(1_000_000_000)
        rows.append(
            ProviderModel(
                provider_model_id=model_id,
                name=f"{stem.title()} {size.upper()} {variant.title()} {index}",
                publisher_hint=publisher,
                context_length=rng.choice((8192, 32768, 131072, 200000)),
                max_output_tokens=rng.choice((4096, 8192, 16384)),
                prices=Prices(prompt=prompt, completion=prompt * 4, cache_read=prompt / 10),
                capabilities=("tools",) if index % 3 == 0 else (),
            )
        )
    return rows
