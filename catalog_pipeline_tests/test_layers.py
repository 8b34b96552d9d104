"""The package's layers: no import points up a layer, and nothing below ``defs`` imports Dagster.

Read from the source with ``ast`` (imports inside functions count too), so a shortcut taken
in a hurry shows up here rather than as a cycle months later.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "catalog_pipeline"

LAYERS: dict[str, int] = {
    "domain": 0,
    "settings": 0,
    "providers": 1,
    "store": 1,
    "replay": 1,
    "pipeline": 2,
    "read_api": 2,
    "exports": 3,
    "defs": 4,
    "cli": 6,
    "definitions": 5,
    "__init__": 5,
}
"""Each top-level module or package of ``catalog_pipeline`` and its layer (0 is the bottom).

A module may import from its own layer's packages only when they are the same package:
providers and store are peers that never import each other.
"""

FORBIDDEN_BELOW_DEFS = ("dagster", "dagster_postgres", "dagster_webserver")
NO_STORE_IMPORTS = ("catalog_pipeline.domain.resolution",)


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
    return found


def upward_imports(package: Path = PACKAGE) -> list[str]:
    """Every import that breaks the layering, as ``file:line module -> imported``."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        own = relative.parts[0].removesuffix(".py")
        if own not in LAYERS:
            problems.append(f"{relative}: package {own!r} has no layer")
            continue
        for imported, line in _imports(path):
            where = f"{relative}:{line} {own} -> {imported}"
            if imported.split(".")[0] in FORBIDDEN_BELOW_DEFS and LAYERS[own] < LAYERS["defs"]:
                problems.append(where)
            if not imported.startswith("catalog_pipeline"):
                continue
            target = _part(imported)
            if target == own:
                continue
            if LAYERS.get(target, 99) >= LAYERS[own] or (
                own == "store" and imported.startswith(NO_STORE_IMPORTS)
            ):
                problems.append(where)
    return problems


def test_no_import_points_up_a_layer() -> None:
    assert upward_imports() == []


def test_every_package_has_a_layer() -> None:
    tops = {p.name.removesuffix(".py") for p in PACKAGE.iterdir() if not p.name.startswith("_")}
    tops.discard("py.typed")
    assert tops - set(LAYERS) - {"__pycache__"} == set()


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The rule itself: a store module importing a provider, or Dagster, is reported."""
    fake = tmp_path / "catalog_pipeline"
    (fake / "store").mkdir(parents=True)
    (fake / "store" / "bad.py").write_text(
        "import dagster as dg\nfrom catalog_pipeline.providers.fetch import ProviderFetch\n"
        "from catalog_pipeline.domain.rows import Offer\n"
    )
    assert upward_imports(fake) == [
        "store/bad.py:1 store -> dagster",
        "store/bad.py:2 store -> catalog_pipeline.providers.fetch",
    ]
