"""A failed step's error as one line a person reads: the CLI summary and alerts share it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dagster._utils.error import SerializableErrorInfo

NO_MESSAGE = "the step failed without an error message"


def step_error_text(error: SerializableErrorInfo | None) -> str:
    """A provider's own message (``dg.Failure``), or what the step was doing and the first
    line of the exception that stopped it, without Dagster's module-qualified class names."""
    if error is None:
        return NO_MESSAGE
    text = first_line(error.message) or NO_MESSAGE
    if error.cause is not None and "Failure" not in (error.cls_name or ""):
        text = f"{text} {first_line(error.cause.message)}".strip()
    return text


def first_line(message: str) -> str:
    """``dagster._core.errors.SomeError: what happened`` -> ``what happened``."""
    lines = message.strip().splitlines()
    line = lines[0].strip() if lines else ""
    name, sep, rest = line.partition(": ")
    return rest if sep and "." in name and " " not in name else line
