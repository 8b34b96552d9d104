"""What a check concluded, as plain values: the Dagster layer turns it into a check result.

Checks are plain functions so that the assets, the reset-and-resync job and the tests all
run the same rules without Dagster. A :class:`Table` becomes ``MetadataValue.table`` in the
UI; numbers stay numbers so the UI plots them over time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["ERROR", "WARN"]
MetadataScalar = int | float | str | bool | None


@dataclass(frozen=True)
class Table:
    """Rows of a check's findings, at most ``limit`` shown; ``total`` counts them all."""

    columns: tuple[str, ...]
    rows: tuple[tuple[MetadataScalar, ...], ...]
    total: int

    @classmethod
    def of(
        cls, columns: Sequence[str], rows: Sequence[Sequence[MetadataScalar]], limit: int = 60
    ) -> Table:
        shown = tuple(tuple(row) for row in rows[:limit])
        return cls(columns=tuple(columns), rows=shown, total=len(rows))


@dataclass(frozen=True)
class CheckOutcome:
    """One evaluation of one check.

    ``summary`` is one sentence for a person (alerts, the CLI): what failed, the numbers
    that crossed the threshold and the first offenders.
    """

    name: str
    passed: bool
    severity: Severity
    summary: str
    metadata: dict[str, MetadataScalar | Table] = field(default_factory=dict)

    @property
    def blocks(self) -> bool:
        """An ERROR that failed: the data must not reach the models table."""
        return not self.passed and self.severity == "ERROR"


def first(items: Sequence[str], count: int = 3) -> str:
    """The first few offenders for a sentence: ``a, b, c and 4 more``."""
    shown = ", ".join(items[:count])
    return shown + (f" and {len(items) - count} more" if len(items) > count else "")


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``1 model``, ``3 models``: numbers in summaries read as words a person says."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
