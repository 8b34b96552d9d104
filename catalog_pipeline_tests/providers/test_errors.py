"""``redact`` and ``ProviderError``: what a provider echoes back never carries a key out."""

from __future__ import annotations

from catalog_pipeline.providers.errors import FailureKind, ProviderError, redact


def test_every_copy_of_every_key_is_redacted() -> None:
    text = "bad key sk-live-1234 (sk-live-1234); other gsk_abcd; sk-live-1234"
    assert redact(text, ["sk-live-1234", "gsk_abcd"]) == (
        "bad key [redacted] ([redacted]); other [redacted]; [redacted]"
    )


def test_keys_shorter_than_four_characters_are_not_redacted() -> None:
    """A one- to three-character "key" would blank out ordinary words of the message."""
    assert redact("a key abcd here", ["abcd"]) == "a key [redacted] here"
    assert redact("a key abc here", ["abc"]) == "a key abc here"
    assert redact("nothing to hide", ["", "zzzz"]) == "nothing to hide"


def test_a_provider_error_names_the_provider_the_url_and_the_status() -> None:
    error = ProviderError(
        "groq",
        FailureKind.HTTP,
        "HTTP 500: down",
        "Retry later.",
        url="https://api.groq.com/openai/v1/models",
        status=500,
    )
    assert (error.provider, error.kind, error.url, error.status) == (
        "groq",
        FailureKind.HTTP,
        "https://api.groq.com/openai/v1/models",
        500,
    )
    assert str(error) == (
        "provider 'groq': HTTP 500: down (GET https://api.groq.com/openai/v1/models). Retry later."
    )
