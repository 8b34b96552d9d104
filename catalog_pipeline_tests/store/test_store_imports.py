"""The store sits on the domain layer only: it imports no provider, pipeline, resolver or
Dagster code (read from the source, so an import inside a function counts too)."""

from __future__ import annotations

import ast
from pathlib import Path

import catalog_pipeline.store

FORBIDDEN = (
    "catalog_pipeline.providers",
    "catalog_pipeline.pipeline",
    "catalog_pipeline.defs",
    "catalog_pipeline.cli",
    "catalog_pipeline.read_api",
    "catalog_pipeline.exports",
    "catalog_pipeline.domain.resolution",
    "dagster",
)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_store_imports_nothing_above_the_domain() -> None:
    package = Path(catalog_pipeline.store.__file__).parent
    sources = sorted(package.rglob("*.py"))
    assert len(sources) > 10
    found = {
        f"{path.relative_to(package)}: {name}"
        for path in sources
        for name in imported_modules(path)
        if any(name == bad or name.startswith(f"{bad}.") for bad in FORBIDDEN)
    }
    assert found == set()
