"""Which provider a requested model id names, from two sourced tables.

A gateway bills a request at the price of the provider that served it, and requests often
say who that was inside the id itself:

- ``provider_prefixes.csv``: a LiteLLM-style prefix (``together_ai/``, ``groq/``,
  ``gemini/``) names a provider and is removed once; the rest is that provider's own id.
  Rows come from LiteLLM's cost map (the key prefix and its ``litellm_provider``) or
  LiteLLM's provider docs. Prefixes of platforms outside the roster (``bedrock/``,
  ``azure/``) are rows too: they bind to a provider the catalog does not carry, so the
  answer is "not found at that provider", never another provider's price. Prefixes that
  are also a publisher's org in canonical ids and belong to no roster provider (``meta/``,
  ``stability/``) are not rows: there the canonical reading is the only one.
- ``provider_wrappers.csv``: a provider-native shape (``accounts/fireworks/models/``,
  ``@cf/``, ``models/``, Bedrock's ``anthropic.…-v1:0``) names its provider and stays part
  of the id. ``native_form`` is how that provider spells a bare id (``models/{}``), tried
  when a request names the provider but not the wrapper (``gemini/gemini-2.5-pro``).

Both tables are keyed by provider slug strings; a test checks them against the registry
(this layer does not import providers).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, field_validator

NamedBy = Literal["argument", "prefix", "wrapper"]


class ProviderPrefix(BaseModel):
    model_config = ConfigDict(frozen=True)

    prefix: str
    provider: str
    in_roster: bool
    source: str
    checked_on: dt.date

    @field_validator("prefix")
    @classmethod
    def _one_segment(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*/", value):
            raise ValueError(f"prefix {value!r} is not one lowercase segment ending in '/'")
        return value


class ProviderWrapper(BaseModel):
    model_config = ConfigDict(frozen=True)

    pattern: re.Pattern[str]
    provider: str
    in_roster: bool
    native_form: str | None = None
    source: str
    checked_on: dt.date

    @field_validator("native_form", mode="before")
    @classmethod
    def _form(cls, value: str | None) -> str | None:
        if not value:
            return None
        if value.count("{}") != 1:
            raise ValueError(f"native_form {value!r} must hold one '{{}}'")
        return value


class NamedProvider(NamedTuple):
    """The provider a request names, the id to look up there, and how it was named."""

    provider: str
    model_id: str
    named_by: NamedBy


_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")


def _rows(name: str) -> list[tuple[int, dict[str, str]]]:
    path = resources.files("catalog_pipeline.domain").joinpath(f"data/{name}")
    with path.open(encoding="utf-8") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def _check_row(name: str, line: int, provider: str, source: str) -> None:
    if not _SLUG.fullmatch(provider):
        raise ValueError(f"{name} line {line}: provider {provider!r} is not a slug")
    if not source.strip():
        raise ValueError(f"{name} line {line}: no source")


@functools.cache
def provider_prefixes() -> dict[str, ProviderPrefix]:
    """Every prefix of ``provider_prefixes.csv``, keyed by itself (``"together_ai/"``)."""
    return prefix_table(_rows("provider_prefixes.csv"))


def prefix_table(rows: Iterable[tuple[int, Mapping[str, str]]]) -> dict[str, ProviderPrefix]:
    """The prefixes of ``(line, row)`` pairs, validated: a duplicate, a provider that is not
    a slug, a row without a source or a provider both in and out of the roster is an error."""
    table: dict[str, ProviderPrefix] = {}
    for line, row in rows:
        entry = ProviderPrefix(**row)
        _check_row("provider_prefixes.csv", line, entry.provider, entry.source)
        if entry.prefix in table:
            raise ValueError(f"provider_prefixes.csv line {line}: duplicate {entry.prefix!r}")
        table[entry.prefix] = entry
    _check_roster_flags("provider_prefixes.csv", table.values())
    return table


@functools.cache
def provider_wrappers() -> tuple[ProviderWrapper, ...]:
    """Every wrapper, in file order (the first whose pattern matches names the provider)."""
    table: list[ProviderWrapper] = []
    for line, row in _rows("provider_wrappers.csv"):
        entry = ProviderWrapper(**row)
        _check_row("provider_wrappers.csv", line, entry.provider, entry.source)
        if any(other.pattern.pattern == entry.pattern.pattern for other in table):
            raise ValueError(f"provider_wrappers.csv line {line}: duplicate pattern")
        table.append(entry)
    _check_roster_flags("provider_wrappers.csv", [*table, *provider_prefixes().values()])
    return tuple(table)


def _check_roster_flags(name: str, rows: Iterable[ProviderPrefix | ProviderWrapper]) -> None:
    """One provider is in the roster in every row or in none."""
    flags: dict[str, bool] = {}
    for entry in rows:
        if flags.setdefault(entry.provider, entry.in_roster) != entry.in_roster:
            raise ValueError(
                f"{name}: provider {entry.provider!r} is both in and out of the roster"
            )


@functools.cache
def _wrapper_pattern() -> re.Pattern[str]:
    """Every wrapper pattern in one regex; the group that matched names the row."""
    return re.compile(
        "|".join(f"(?P<w{i}>{w.pattern.pattern})" for i, w in enumerate(provider_wrappers()))
    )


@functools.cache
def _native_forms() -> dict[str, tuple[str, ...]]:
    forms: dict[str, list[str]] = {}
    for wrapper in provider_wrappers():
        if wrapper.native_form:
            forms.setdefault(wrapper.provider, []).append(wrapper.native_form)
    return {provider: tuple(found) for provider, found in forms.items()}


def roster_providers_named() -> set[str]:
    """Every roster slug the two tables bind to (a test checks them against the registry)."""
    rows = [*provider_prefixes().values(), *provider_wrappers()]
    return {entry.provider for entry in rows if entry.in_roster}


def other_providers_named() -> set[str]:
    """Every provider outside the roster that the tables bind to (bedrock, azure, ...)."""
    rows = [*provider_prefixes().values(), *provider_wrappers()]
    return {entry.provider for entry in rows if not entry.in_roster}


def named_provider(requested: str, provider: str | None = None) -> NamedProvider | None:
    """The provider ``requested`` names, or None when it names none.

    An explicit ``provider`` always binds; a prefix of that same provider is removed, a
    prefix of another provider is kept (``openai/gpt-4o`` is an OpenRouter id). Without
    one, a table prefix binds and is removed once; else a wrapper binds and stays.
    """
    head, slash, rest = requested.partition("/")
    prefix = provider_prefixes().get(head + "/") if slash and rest else None
    if provider:
        if prefix is not None and prefix.provider == provider:
            return NamedProvider(provider, rest, "argument")
        return NamedProvider(provider, requested, "argument")
    if prefix is not None:
        return NamedProvider(prefix.provider, rest, "prefix")
    found = _wrapper_pattern().match(requested)
    if found is None or found.lastgroup is None:
        return None
    wrapper = provider_wrappers()[int(found.lastgroup[1:])]
    return NamedProvider(wrapper.provider, requested, "wrapper")


def native_spellings(provider: str, model_id: str) -> tuple[str, ...]:
    """``model_id`` as ``provider`` may list it: as given, then in each native form
    (``gemini-2.5-pro`` at google is also ``models/gemini-2.5-pro``)."""
    forms = _native_forms().get(provider, ())
    spelled = [model_id]
    for form in forms:
        candidate = form.format(model_id)
        if not model_id.startswith(form.split("{}", 1)[0]) and candidate not in spelled:
            spelled.append(candidate)
    return tuple(spelled)
