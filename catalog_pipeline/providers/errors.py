"""Errors that say which provider, which URL (never a key), what came back and what to do."""

from __future__ import annotations

from enum import StrEnum


class FailureKind(StrEnum):
    NOT_CONFIGURED = "not_configured"
    AUTH = "auth"
    HTTP = "http"
    NETWORK = "network"
    PAYLOAD = "payload"
    ERROR_BODY = "error_body"
    EMPTY = "empty"
    PAGINATION = "pagination"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"


class ProviderError(Exception):
    """A provider's model list could not be fetched or read; the partition fails with this.

    ``subject`` names what failed in the message: ``provider``, or ``reference source`` for
    models.dev, LiteLLM and genai-prices, which the same client fetches."""

    subject = "provider"

    def __init__(
        self,
        provider: str,
        kind: FailureKind,
        cause: str,
        hint: str,
        url: str | None = None,
        status: int | None = None,
    ) -> None:
        self.provider = provider
        self.kind = kind
        self.cause = cause
        self.hint = hint
        self.url = url
        self.status = status
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f" (GET {self.url})" if self.url else ""
        return f"{self.subject} {self.provider!r}: {self.cause}{where}. {self.hint}"


def redact(text: str, secrets: list[str]) -> str:
    """Replace every secret that appears in ``text``; used on anything a provider echoes back."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    return text
