"""Where one provider run's CPU goes: py-spy over ``dagster asset materialize`` on PostgreSQL.

Scenario 2 is bound by the CPU each daemon-launched run costs (a fresh Python process per
run). This reproduces one such run outside the daemon, so it can be profiled alone: the
same ``deploy/dagster.yaml`` instance on a fresh PostgreSQL database, the same code location
and in-process executor, one provider partition of ``provider_models``, ``normalized_models``
and ``models``, served by the replay server with no latency (only CPU is of interest).

Each provider is materialized twice: once to warm the instance (first-run table checks, the
catalog's first rows), then under ``py-spy record`` at 250 Hz. The samples are sorted into
phases by the frames they contain, and the top functions by own time are listed.

    .venv/bin/pip install py-spy
    .venv/bin/python -m benchmarks.profile_run [--providers groq,openai,together]
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, bench_env, fresh_database, postgres_instance_env
from benchmarks.generate import roster_recordings
from benchmarks.scenario_sync import replay_env

ASSETS = "provider_models,normalized_models,models"

# First matching pattern (on the whole stack) names a sample's phase.
PHASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("imports", re.compile(r"_find_and_load")),
    ("event log writes (store_event)", re.compile(r"store_event \(")),
    ("instance and storage setup", re.compile(r"dagster/_core/instance/|dagster_postgres/")),
    ("project code (fetch, parse, normalize, write)", re.compile(r"catalog_pipeline/")),
    ("definitions and asset graph", re.compile(r"dagster/_core/definitions/")),
)


def _materialize(slug: str, env: dict[str, str], profile: Path | None) -> tuple[float, float]:
    """One run of the provider's partition in a fresh process: (wall, CPU) seconds."""
    command = [sys.executable, "-m", "dagster", "asset", "materialize"]
    command += ["-m", "catalog_pipeline.definitions", "--select", ASSETS, "--partition", slug]
    if profile is not None:
        py_spy = str(Path(sys.executable).parent / "py-spy")
        command = [py_spy, "record", "-r", "250", "-f", "raw", "-o", str(profile), "--", *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"materialize {slug} failed:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def summarize(profiles: list[Path]) -> str:
    phases: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    imported: collections.Counter[str] = collections.Counter()
    total = 0
    for profile in profiles:
        for line in profile.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack:
                continue
            samples = int(count)
            total += samples
            phase = next((name for name, rx in PHASES if rx.search(stack)), "other Dagster work")
            phases[phase] += samples
            own[re.sub(r":\d+\)$", ")", stack.rsplit(";", 1)[-1])] += samples
            if phase == "imports":
                imported[_outermost_import(stack)] += samples
    lines = [f"{total} samples at 250 Hz over {len(profiles)} run(s)", "", "phase | share"]
    lines += [f"{name} | {100 * n / total:.1f} %" for name, n in phases.most_common()]
    lines += ["", "imports by the package the importing code asked for:"]
    lines += [f"  {100 * n / total:5.1f} %  {name}" for name, n in imported.most_common(12)]
    lines += ["", "top functions by own time:"]
    lines += [f"  {100 * n / total:5.1f} %  {name[:150]}" for name, n in own.most_common(15)]
    return "\n".join(lines)


def _outermost_import(stack: str) -> str:
    """The top-level package of the first module body run by an import in this stack."""
    for frame in stack.split(";"):
        match = re.match(r"<module> \((?:.*site-packages/|.*/lib/python3\.\d+/)?([^/ ]+)", frame)
        if match and "_find_and_load" in stack.split(frame, 1)[0]:
            return match.group(1).removesuffix(".py")
    return "?"


def main(argv: list[str] | None = None) -> int:
    from catalog_pipeline.replay.server import ReplayServer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", default="groq,openai,together")
    args = parser.parse_args(argv)
    slugs = args.providers.split(",")
    if not (Path(sys.executable).parent / "py-spy").exists():
        print("py-spy is not installed: .venv/bin/pip install py-spy", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-profile-run-") as tmp_name:
        tmp = Path(tmp_name)
        roster_recordings(tmp / "recordings", featherless_models=100)
        with (
            ReplayServer(tmp / "recordings") as server,
            fresh_database() as catalog_db,
            fresh_database("dagster_bench") as dagster_db,
        ):
            env = {
                **os.environ,
                **bench_env(tmp, catalog_db),
                **replay_env(server.url),
                **postgres_instance_env(tmp / "dagster_home", dagster_db),
            }
            profiles = []
            for slug in slugs:
                wall, cpu = _materialize(slug, env, None)
                print(f"{slug}: first run {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
                wall, cpu = _materialize(slug, env, None)
                print(f"{slug}: second run {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
                profile = tmp / f"{slug}.raw"
                _materialize(slug, env, profile)
                profiles.append(profile)
            print()
            print(summarize(profiles))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
