"""Display names: no company prefix, no type suffix. Names never feed IDs."""

from __future__ import annotations

import re

_COMPANY_PREFIX = re.compile(r"^\s*(?P<company>[A-Za-z][\w .&'-]{0,40}?)\s*:\s+(?P<rest>\S.*)$")
_TYPE_SUFFIX = re.compile(
    r"\s*[\(\[](?:chat|completion|text|language|embeddings?|image|video|audio|tts|"
    r"transcription|moderation|rerank|vision)[\)\]]\s*$",
    re.IGNORECASE,
)
_SPACED_COLON = re.compile(r"\s+:")


def display_name(name: str | None, provider_model_id: str) -> str:
    """A clean display name; falls back to the id's last segment when the provider gives none."""
    text = (name or "").strip()
    if text:
        match = _COMPANY_PREFIX.match(text)
        if match:
            text = match["rest"].strip()
        text = _TYPE_SUFFIX.sub("", text).strip()
    if not text:
        text = provider_model_id.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"\s{2,}", " ", text)


def name_problems(name: str) -> list[str]:
    """Problems with a display name as stored; an empty list means the name is clean."""
    problems = []
    if not name.strip():
        problems.append("empty")
    if _COMPANY_PREFIX.match(name) or _SPACED_COLON.search(name):
        problems.append("company prefix")
    if _TYPE_SUFFIX.search(name):
        problems.append("type suffix")
    if name != name.strip() or "  " in name:
        problems.append("stray whitespace")
    return problems
