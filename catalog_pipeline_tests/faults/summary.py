"""Pytest plugin: "faults injected: N, survived: M" at the end of the run.

A test that injects a fault records it as a ``fault_injected`` user property (the
``record_fault`` fixture); a fault is survived when that test passed. User properties
travel inside test reports, so the count is right under pytest-xdist as long as this
plugin is loaded in the controlling process: ``catalog_pipeline_tests/faults/conftest.py``
loads it when the faults folder is on the command line, and the root conftest's
``pytest_plugins`` (or ``-p catalog_pipeline_tests.faults.summary``) loads it for a bare
``pytest -n 2``.
"""

from __future__ import annotations

from typing import Any

FAULT_PROPERTY = "fault_injected"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    injected: list[str] = []
    survived: list[str] = []
    for outcome in ("passed", "failed", "error", "xfailed", "xpassed"):
        for report in terminalreporter.stats.get(outcome, []):
            faults = [v for k, v in getattr(report, "user_properties", ()) if k == FAULT_PROPERTY]
            if not faults or getattr(report, "when", "call") != "call":
                continue
            injected.extend(faults)
            if outcome == "passed":
                survived.extend(faults)
    if injected:
        terminalreporter.write_sep(
            "=", f"faults injected: {len(injected)}, survived: {len(survived)}", bold=True
        )
