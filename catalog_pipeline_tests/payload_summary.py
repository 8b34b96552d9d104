"""Pytest plugin: how many conformance tests ran against the real payloads, and none vanished.

Without ``$CATALOG_REAL_PAYLOADS`` the conformance tests skip on a developer's machine; in
CI (``CI`` set, as ``.ci/run`` does) the ``real_payloads`` fixture fails instead, and a
conformance test that skipped for any other reason fails the run here. The count goes at
the end of the run ("real payloads: 36 conformance tests ran, 0 skipped"), so a green run
says how much real data it checked. Reports carry their markers as keywords, so the count
is right under pytest-xdist (this plugin is loaded in the controlling process through the
root conftest's ``pytest_plugins``).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

CI_ENV = "CI"
MARKER = "conformance"


def in_ci() -> bool:
    return os.environ.get(CI_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _conformance(reports: list[Any]) -> list[Any]:
    return [r for r in reports if MARKER in getattr(r, "keywords", {})]


def _counts(terminalreporter: Any) -> tuple[int, int]:
    stats = terminalreporter.stats
    ran = [r for r in _conformance(stats.get("passed", [])) if r.when == "call"]
    ran += [r for r in _conformance(stats.get("failed", [])) if r.when == "call"]
    skipped = _conformance(stats.get("skipped", []))
    return len(ran), len(skipped)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    ran, skipped = _counts(terminalreporter)
    if ran or skipped:
        terminalreporter.write_sep(
            "=", f"real payloads: {ran} conformance tests ran, {skipped} skipped", bold=True
        )
        if skipped and in_ci():
            terminalreporter.write_line(
                f"{skipped} conformance test(s) skipped with {CI_ENV} set: the run fails"
            )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not in_ci() or exitstatus != 0:
        return
    if _counts(reporter)[1]:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
