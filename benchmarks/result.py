"""What a scenario returns: figures to print and targets with a verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Target:
    name: str
    limit: str
    actual: str
    passed: bool
    note: str = ""


@dataclass
class ScenarioResult:
    scenario: str
    title: str
    figures: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def check(self, name: str, passed: bool, limit: str, actual: str, note: str = "") -> None:
        self.targets.append(Target(name, limit, actual, passed, note))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> str:
        lines = [f"== {self.scenario}: {self.title}"]
        if self.error:
            lines.append(f"  NOT DONE: {self.error}")
        width = max((len(k) for k in self.figures), default=0)
        for key, value in self.figures.items():
            if isinstance(value, float):
                value = f"{value:,.3f}"
            lines.append(f"  {key:<{width}}  {value}")
        for target in self.targets:
            verdict = "PASS" if target.passed else "MISS"
            extra = f"  ({target.note})" if target.note else ""
            lines.append(
                f"  [{verdict}] {target.name}: {target.actual} (target {target.limit}){extra}"
            )
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)
