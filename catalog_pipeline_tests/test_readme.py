"""The README's claims that code can check: the provider table and the test command."""

from __future__ import annotations

import re

from catalog_pipeline.providers.roster_table import markdown_table
from catalog_pipeline_tests.conftest import REPO


def test_provider_table_matches_the_registry() -> None:
    readme = (REPO / "README.md").read_text()
    match = re.search(r"<!-- providers:start -->\n(.*?)\n<!-- providers:end -->", readme, re.S)
    assert match, "README lost its providers section markers"
    assert match.group(1).strip() == markdown_table(), (
        "README provider table is stale: run python -m catalog_pipeline.providers.roster_table"
    )


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in readme and "make test" in ci
