"""Run the benchmarks of issue 9 and print their figures.

    .venv/bin/python -m benchmarks.run                      # all scenarios
    .venv/bin/python -m benchmarks.run --scenario write     # one (repeatable)
    .venv/bin/python -m benchmarks.run --json-out results.json --profile-dir profiles/

Needs the PostgreSQL server at 127.0.0.1:5432 (trust auth; override the admin URL with
``CATALOG_BENCH_POSTGRES_URL``). Every scenario creates its own databases and temp
folders and drops them afterwards. These are measurements, not tests: the exit code is 0
when every scenario ran, whether or not it met its target (MISS lines say by how much).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine
from benchmarks.result import ScenarioResult


def _sync(args: argparse.Namespace) -> ScenarioResult:
    from benchmarks import scenario_sync

    return scenario_sync.run()


def _backfill(args: argparse.Namespace) -> ScenarioResult:
    from benchmarks import scenario_backfill

    return scenario_backfill.run()


def _large(args: argparse.Namespace) -> ScenarioResult:
    from benchmarks import scenario_large

    return scenario_large.run()


def _write(args: argparse.Namespace) -> ScenarioResult:
    from benchmarks import scenario_write

    return scenario_write.run(profile_dir=args.profile_dir)


def _lookup(args: argparse.Namespace) -> ScenarioResult:
    from benchmarks import scenario_lookup

    return scenario_lookup.run(profile_dir=args.profile_dir)


SCENARIOS: dict[str, Callable[[argparse.Namespace], ScenarioResult]] = {
    "sync": _sync,
    "backfill": _backfill,
    "large": _large,
    "write": _write,
    "lookup": _lookup,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scenario",
        action="append",
        choices=sorted(SCENARIOS),
        help="run only this scenario (repeatable); default: all, in issue order",
    )
    parser.add_argument("--json-out", type=Path, help="also write every figure as JSON here")
    parser.add_argument(
        "--profile-dir", help="write pyinstrument profiles of hot spots here (if installed)"
    )
    args = parser.parse_args(argv)
    chosen = args.scenario or list(SCENARIOS)
    info = machine()
    print(f"machine: nproc={info['nproc']} cpu={info['cpu']} python={info['python']}")
    print(info["free_h"])
    print(info["postgres"], flush=True)
    results = []
    failed = False
    for name in chosen:
        started = time.perf_counter()
        try:
            result = SCENARIOS[name](args)
        except Exception as exc:
            failed = True
            result = ScenarioResult(name, "failed to run", error=f"{type(exc).__name__}: {exc}")
            traceback.print_exc()
        result.figures["scenario_seconds"] = round(time.perf_counter() - started, 1)
        print(result.render(), flush=True)
        results.append(result)
    if args.json_out:
        args.json_out.write_text(
            json.dumps(
                {"machine": info, "results": [r.as_dict() for r in results]}, indent=2, default=str
            )
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
