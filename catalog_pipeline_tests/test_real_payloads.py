"""The real-payload tests cannot vanish: in CI they fail without the payloads, and every
payload a test names is present.

Without ``$CATALOG_REAL_PAYLOADS`` the conformance tests used to skip and the run exit 0:
CI would go green with no real-data check at all. ``.ci/run`` sets ``CI``; with it the
``real_payloads`` fixture fails, and the end of the run says how many conformance tests
ran (``payload_summary.py``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from catalog_pipeline_tests.conftest import PAYLOADS_ENV, REPO

TESTS = REPO / "catalog_pipeline_tests"
PAYLOAD_NAME = re.compile(r'"([A-Za-z0-9_.-]+__[A-Za-z0-9_.-]+\.json)"')
CONFORMANCE_TEST = "catalog_pipeline_tests/providers/test_deepseek.py"
QUIET = ("-p", "no:cacheprovider", "-p", "no:logging", "--rootdir", str(REPO))


def named_payloads() -> set[str]:
    """Every payload file a test names, from the test sources."""
    return {
        name
        for source in TESTS.rglob("*.py")
        for name in PAYLOAD_NAME.findall(source.read_text(encoding="utf-8"))
    }


@pytest.mark.conformance
def test_every_payload_a_test_names_is_present(real_payloads: Path) -> None:
    named = named_payloads()
    assert len(named) == 31  # a test that stops naming its payload is noticed here
    assert sorted(name for name in named if not (real_payloads / name).is_file()) == []


def run_conformance(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", PAYLOADS_ENV)}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", CONFORMANCE_TEST, "-m", "conformance", "-q", *QUIET],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.process
def test_without_payloads_ci_fails_and_a_developer_skips(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-payloads")
    in_ci = run_conformance(tmp_path, CI="1", **{PAYLOADS_ENV: missing})
    assert in_ci.returncode == 1, in_ci.stdout
    assert f"real payloads not found at {missing}; set {PAYLOADS_ENV} (CI is set" in in_ci.stdout
    assert "2 errors" in in_ci.stdout

    locally = run_conformance(tmp_path, **{PAYLOADS_ENV: missing})
    assert locally.returncode == 0, locally.stdout
    assert "2 skipped" in locally.stdout
    assert "real payloads: 0 conformance tests ran, 2 skipped" in locally.stdout


@pytest.mark.process
def test_the_run_counts_the_conformance_tests_that_ran(tmp_path: Path, real_payloads: Path) -> None:
    result = run_conformance(tmp_path, CI="1", **{PAYLOADS_ENV: str(real_payloads)})
    assert result.returncode == 0, result.stdout
    assert "real payloads: 2 conformance tests ran, 0 skipped" in result.stdout
