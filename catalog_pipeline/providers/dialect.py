"""A model-list dialect: how to page one provider's model list and parse one item.

A provider's spec (:class:`~catalog_pipeline.providers.spec.ProviderSpec`) holds its
dialect object as ``parser``; shared dialects (the OpenAI-compatible list, OpenRouter's)
take a small per-provider field map, one-off dialects live in the provider's own module.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from catalog_pipeline.domain.rows import ProviderModel

if TYPE_CHECKING:
    from catalog_pipeline.providers.spec import ProviderSpec


@dataclass(frozen=True)
class PageRequest:
    """One GET on the provider's host: an absolute path and its query parameters."""

    path: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        return self.path + "?" + "&".join(f"{k}={v}" for k, v in self.params)


def cursor_token(envelope: dict[str, Any], key: str) -> str | None:
    """The next-page cursor at ``key`` (``nextPageToken``, ``next_page_token``), or None at the end.

    A present but non-string cursor is a provider error, not the last page.
    """
    token = envelope.get(key)
    if token is None or token == "":
        return None
    if not isinstance(token, str):
        raise ValueError(f"{key} is a {type(token).__name__}, not a string")
    return token


class ModelListAPI(ABC):
    """A model-list dialect.

    Instances hold no state beyond their field map; per-provider differences come from the
    spec passed to every method.
    """

    dialect: ClassVar[str]
    """The dialect's name, as stored in the providers table (``api_family``)."""

    items_key: str | None = "data"
    """Top-level key of the model array, or None for a bare JSON array."""

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        return PageRequest(spec.list_path)

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        """The request for the next page, or None when this page was the last."""
        return None

    @property
    def paginates(self) -> bool:
        """Whether the list can come in several pages, each a request after the previous one."""
        return type(self).next_request is not ModelListAPI.next_request

    @abstractmethod
    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        """Validate one wire item and convert it to a typed row (raise on invalid input)."""

    def local_body(self, spec: ProviderSpec) -> bytes | None:
        """For a provider with no list API: the packaged body to parse instead of a fetch."""
        return None

    def error_message(self, envelope: dict[str, Any], items_found: bool) -> str | None:
        """An error reported inside a 200 body.

        Recognises ``{"error": ...}``, ``{"error": {"message": ...}}`` and the
        ``{"code": ..., "error": ...}`` shape; a body without the items array may also
        carry a bare ``message`` or ``detail``.
        """
        errors = {
            k: v
            for k, v in envelope.items()
            if (k == "error" or k.startswith("error.")) and v not in (None, "", False)
        }
        if errors:
            for key in ("error.message", "error", "error.code"):
                if errors.get(key) not in (None, ""):
                    code = envelope.get("code")
                    prefix = f"{code}: " if isinstance(code, str) and key == "error" else ""
                    return prefix + str(errors[key])
            return "error object in body"
        if not items_found:
            for key in ("message", "detail", "msg"):
                if envelope.get(key):
                    return str(envelope[key])
        return None
