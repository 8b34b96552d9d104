"""After ``mutmut run``: the counts, the score and every surviving mutant as a one-line diff.

    .venv/bin/python scripts/mutation_survivors.py > survivors.md

Reads ``mutmut results --all true`` for the status of each mutant and the mutated
sources under ``mutants/`` for what each one changed (mutmut keeps every mutant as a
function ``<name>__mutmut_<n>`` next to the original ``<name>__mutmut_orig``), so the
list costs one mutmut call instead of one per survivor. ``make mutate`` prints it.
"""

from __future__ import annotations

import ast
import difflib
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MUTANTS = REPO / "mutants"


def statuses() -> dict[str, str]:
    mutmut = Path(sys.executable).with_name("mutmut")
    output = subprocess.run(
        [str(mutmut), "results", "--all", "true"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {}
    for line in output.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            result[name] = status
    return result


def functions(module: str) -> dict[str, str]:
    """Function name -> source, for every function in the mutated copy of ``module``."""
    path = MUTANTS / (module.replace(".", "/") + ".py")
    source = path.read_text(encoding="utf-8")
    return {
        node.name: ast.get_source_segment(source, node) or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def change(original: str, mutant: str) -> str:
    """The changed lines of a mutant, ``-old`` / ``+new``, on one line."""
    lines = [
        line[0] + line[2:].strip()
        for line in difflib.ndiff(original.splitlines()[1:], mutant.splitlines()[1:])
        if line[:1] in "-+"
    ]
    return "  ".join(lines)[:220]


def main() -> int:
    found = statuses()
    counts = Counter(found.values())
    killed, survived = counts.get("killed", 0), counts.get("survived", 0)
    print(f"mutants: {len(found)}; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if killed + survived:
        print(f"score: {killed / (killed + survived):.1%} of the tested mutants killed")
    by_module: dict[str, list[str]] = defaultdict(list)
    for name, status in sorted(found.items()):
        if status == "survived":
            module, _, function = name.rpartition(".")
            by_module[module].append(function)
    for module, names in sorted(by_module.items()):
        print(f"\n{module}: {len(names)} survived")
        sources = functions(module)
        for name in names:
            original = sources.get(name.rsplit("__mutmut_", 1)[0] + "__mutmut_orig", "")
            print(f"  {name}: {change(original, sources.get(name, ''))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
