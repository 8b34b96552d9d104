"""The ten named one-line mutations of issue 20, each applied to a temporary copy of the
repository and run against the fast tests that should catch it.

    .venv/bin/python scripts/named_mutations.py            # all ten
    .venv/bin/python scripts/named_mutations.py price_band  # one of them

Every mutation is a one-line mistake in a rule that costs money when wrong. The working
tree is never touched: each run copies the tracked files (as they are on disk now) to a
temporary directory, edits the copy, and runs pytest there with the copy first on
``sys.path``. A mutation is *killed* when at least one test fails; *survived* when all
pass (a hole in the suite). The unmutated copy is run first: a failing baseline would
make every "killed" meaningless, so the script stops.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FAST = "not postgres and not e2e and not slow and not process"


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    before: str
    after: str
    tests: tuple[str, ...]
    why: str


CHECKS = "catalog_pipeline/pipeline/checks.py"
SETTINGS = "catalog_pipeline/pipeline/check_settings.py"
CHECK_TESTS = ("catalog_pipeline_tests/pipeline/test_checks.py",)

MUTATIONS = (
    Mutation(
        "units_divisor",
        "catalog_pipeline/domain/units.py",
        "return _normal(to_decimal(value) / ONE_MILLION)",
        "return _normal(to_decimal(value) / ONE_THOUSAND)",
        ("catalog_pipeline_tests/catalog/test_units.py",),
        "per-million prices divided by a thousand: every such price 1000x too high",
    ),
    Mutation(
        "count_drop_error_threshold",
        SETTINGS,
        "count_drop_error: float = Field(default=0.50,",
        "count_drop_error: float = Field(default=0.60,",
        CHECK_TESTS,
        "a 55% drop of a provider's models is written to the catalog instead of blocked",
    ),
    Mutation(
        "warn_band_passes",
        CHECKS,
        'passed, severity = False, "WARN"',
        'passed, severity = True, "WARN"',
        CHECK_TESTS,
        "a 10-50% drop is never reported",
    ),
    Mutation(
        "content_hash_no_op_status",
        "catalog_pipeline/store/diff.py",
        'elif old[STORED_STATUS] == "active" and old[STORED_HASH] == offer.content_hash:',
        "elif old[STORED_HASH] == offer.content_hash:",
        ("catalog_pipeline_tests/store", "catalog_pipeline_tests/ops"),
        "a model listed again unchanged stays 'missing' (unbillable) forever",
    ),
    Mutation(
        "dated_snapshot_year",
        "catalog_pipeline/domain/ids.py",
        r'r"-(?:20\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])|',
        r'r"-(?:20\d{1}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])|',
        ("catalog_pipeline_tests/catalog/test_ids.py",),
        "compact dated snapshots (claude-...-20250929) no longer fall back to their base",
    ),
    Mutation(
        "redaction_count",
        "catalog_pipeline/providers/wire.py",
        "text = text.replace(secret, REDACTED)",
        "text = text.replace(secret, REDACTED, 1)",
        (
            "catalog_pipeline_tests/providers/test_wire_limits.py",
            "catalog_pipeline_tests/security/test_secrets.py",
        ),
        "a key echoed twice in one string leaks its second copy",
    ),
    Mutation(
        "missing_providers_severity",
        "catalog_pipeline/pipeline/catalog_checks.py",
        'severity="ERROR" if failing else "WARN",',
        'severity="WARN",',
        ("catalog_pipeline_tests/pipeline/test_catalog_checks.py",),
        "a failing or stale provider is only a WARN",
    ),
    Mutation(
        "count_drop_boundary",
        CHECKS,
        "if drop > error_at:",
        "if drop >= error_at:",
        CHECK_TESTS,
        "a drop of exactly the ERROR share blocks instead of warning",
    ),
    Mutation(
        "price_band",
        SETTINGS,
        'default="0.001", description="Highest plausible USD per token ($1,000 per 1M)."',
        'default="1000", description="Highest plausible USD per token ($1,000 per 1M)."',
        CHECK_TESTS,
        "a first sync priced per million tokens by mistake reaches the catalog",
    ),
    Mutation(
        "names_valid_passes",
        CHECKS,
        "passed=not bad,",
        "passed=True,",
        CHECK_TESTS,
        "display names with a company prefix are never reported",
    ),
)


def copy_repository(target: Path) -> None:
    """The tracked files and the untracked, not ignored ones, as they are on disk."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = REPO / os.fsdecode(name)
        if source.is_file():
            destination = target / os.fsdecode(name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def run_tests(copy: Path, tests: tuple[str, ...]) -> tuple[int, str]:
    environment = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    environment.pop("CI", None)
    command = [sys.executable, "-m", "pytest", *tests, "-x", "-q", "-m", FAST]
    command += ["-p", "no:cacheprovider", "-p", "no:logging", "--rootdir", str(copy)]
    result = subprocess.run(command, cwd=copy, env=environment, capture_output=True, text=True)
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED ")]
    return result.returncode, failed[0].removeprefix("FAILED ") if failed else ""


def imported_from(copy: Path) -> str:
    environment = {**os.environ, "PYTHONPATH": str(copy)}
    code = "import catalog_pipeline.domain.units as m; print(m.__file__)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=copy, env=environment, capture_output=True, text=True
    ).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="run only these mutations")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.names or m.name in args.names]
    survived = 0
    with tempfile.TemporaryDirectory(prefix="named-mutations-") as tmp:
        copy = Path(tmp) / "repo"
        copy_repository(copy)
        origin = imported_from(copy)
        if not origin.startswith(str(copy)):
            print(f"the copy is not what the tests import ({origin}); stopping")
            return 2
        every_test = tuple(sorted({t for m in chosen for t in m.tests}))
        code, first = run_tests(copy, every_test)
        if code != 0:
            print(f"baseline fails ({first or f'exit {code}'}); fix the suite first")
            return 2
        print(f"baseline: {len(every_test)} test paths pass unmutated\n")
        for mutation in chosen:
            target = copy / mutation.path
            original = target.read_text(encoding="utf-8")
            if original.count(mutation.before) != 1:
                print(f"{mutation.name:28} NOT APPLIED: the line is not in {mutation.path} once")
                survived += 1
                continue
            target.write_text(original.replace(mutation.before, mutation.after), encoding="utf-8")
            try:
                code, first = run_tests(copy, mutation.tests)
            finally:
                target.write_text(original, encoding="utf-8")
            if code == 1:
                print(f"{mutation.name:28} killed    by {first}")
            else:
                survived += 1
                verdict = "SURVIVED" if code == 0 else f"ERROR (pytest exit {code})"
                print(f"{mutation.name:28} {verdict}: {mutation.why}")
    print(f"\n{len(chosen) - survived} of {len(chosen)} killed")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
