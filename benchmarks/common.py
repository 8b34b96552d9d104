"""Shared helpers: fresh PostgreSQL databases, child processes with peak RSS, percentiles."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POSTGRES_ENV = "CATALOG_BENCH_POSTGRES_URL"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str:
    return os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES


@contextmanager
def fresh_database(prefix: str = "catalog_bench") -> Iterator[str]:
    """A new database on the PostgreSQL server, dropped afterwards (even on failure)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_admin_url()).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from catalog_pipeline.store.engine import engine_for

        if engine_for.cache_info().currsize:
            engine_for(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class ChildResult:
    returncode: int
    wall_seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False
    hang_dump: str = ""
    """py-spy dump of the child's threads when it timed out (if py-spy is installed)."""
    tree_peak_process_mb: float = 0.0
    """Largest peak RSS (VmHWM) of any process in the child's tree: its workers included."""
    tree_peak_pss_mb: float = 0.0
    """Largest total proportional set size of the whole tree at one moment (shared pages
    counted once, split between the processes sharing them)."""

    def json(self) -> dict:
        """The child's JSON: its whole stdout, else the last line that is a JSON object."""
        try:
            return json.loads(self.stdout)
        except json.JSONDecodeError:
            pass
        for line in reversed(self.stdout.strip().splitlines()):
            if line.startswith("{"):
                try:
                    return json.loads(line)
                except json.JSONDecodeError:
                    continue
        raise RuntimeError(
            f"child printed no JSON (exit {self.returncode}):\n{self.stdout[-2000:]}\n"
            f"{self.stderr[-4000:]}"
        )


class TreeMemory:
    """Samples the memory of a process and all its descendants (the sync's worker processes
    are grandchildren of the CLI and are not in its ``wait4`` rusage)."""

    def __init__(self, root: int, interval: float = 0.2) -> None:
        import threading

        self.root = root
        self.interval = interval
        self.peak_process_kb = 0
        self.peak_pss_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                hwm = _proc_kb(pid, "status", "VmHWM:")
                pss = _proc_kb(pid, "smaps_rollup", "Pss:")
                self.peak_process_kb = max(self.peak_process_kb, hwm)
                total += pss
            self.peak_pss_kb = max(self.peak_pss_kb, total)
            self._stop.wait(self.interval)

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree, frontier = [self.root], [self.root]
        while frontier:
            frontier = [pid for pid, parent in parents.items() if parent in frontier]
            tree.extend(frontier)
        return tree


def _proc_kb(pid: int, name: str, field: str) -> int:
    """A ``field: N kB`` line of ``/proc/<pid>/<name>`` (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_child(
    argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 900
) -> ChildResult:
    """Run a child process; return its wall time and its own peak RSS (``wait4`` rusage)."""
    full_env = {**os.environ, **(env or {})}
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        cwd=REPO,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    memory = TreeMemory(proc.pid)
    try:
        out, err = _communicate_and_reap(proc, timeout)
    except TimeoutError:
        dump = _py_spy_dump(proc.pid)
        proc.kill()
        out, err = _communicate_and_reap(proc, 60)
        wall = time.perf_counter() - started
        memory.stop()
        return ChildResult(-9, wall, _PEAK.pop(proc.pid, 0.0), out, err, True, dump)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        memory.stop()
    wall = time.perf_counter() - started
    return ChildResult(
        proc.returncode,
        wall,
        _PEAK.pop(proc.pid, 0.0),
        out,
        err,
        tree_peak_process_mb=memory.peak_process_kb / 1024,
        tree_peak_pss_mb=memory.peak_pss_kb / 1024,
    )


def _py_spy_dump(pid: int) -> str:
    py_spy = Path(sys.executable).parent / "py-spy"
    if not py_spy.exists():
        return "(py-spy not installed: no thread dump)"
    done = subprocess.run(
        [str(py_spy), "dump", "--pid", str(pid)], capture_output=True, text=True, check=False
    )
    return done.stdout + done.stderr


def summarize_dump(dump: str) -> str:
    """Count threads by their innermost frame: enough to name a deadlock."""
    counts: dict[str, int] = {}
    lines = dump.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Thread ") and index + 1 < len(lines):
            frame = lines[index + 1].strip()
            counts[frame] = counts.get(frame, 0) + 1
    return "; ".join(f"{n} thread(s) in {frame}" for frame, n in counts.items())


_PEAK: dict[int, float] = {}
_PUMPS: dict[int, list] = {}
_CHUNKS: dict[int, dict[str, list[str]]] = {}


def _communicate_and_reap(proc: subprocess.Popen, timeout: float) -> tuple[str, str]:
    """communicate(), then reap with wait4 so the rusage is this child's alone."""
    import threading

    chunks: dict[str, list[str]] = {"out": [], "err": []}

    def pump(stream, key: str) -> None:
        for line in stream:
            chunks[key].append(line)

    threads = _PUMPS.get(proc.pid)
    if threads is None:
        threads = [
            threading.Thread(target=pump, args=(proc.stdout, "out"), daemon=True),
            threading.Thread(target=pump, args=(proc.stderr, "err"), daemon=True),
        ]
        _PUMPS[proc.pid] = threads
        _CHUNKS[proc.pid] = chunks
        for thread in threads:
            thread.start()
    chunks = _CHUNKS[proc.pid]
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"child {proc.args!r} ran longer than {timeout} s")
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    _PEAK[proc.pid] = usage.ru_maxrss / 1024  # KiB on Linux
    for thread in threads:
        thread.join(timeout=10)
    del _PUMPS[proc.pid], _CHUNKS[proc.pid]
    return "".join(chunks["out"]), "".join(chunks["err"])


def python_child(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def peak_rss_mb() -> float:
    """This process's peak RSS so far (VmHWM)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[rank]


def machine() -> dict[str, str]:
    def sh(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "n/a"

    cpu = "n/a"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": sh("nproc"),
        "cpu": cpu,
        "free_h": sh("free", "-h"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "postgres": sh("psql", "--version"),
    }


def bench_env(tmp: Path, database_url: str) -> dict[str, str]:
    """Env for a child that runs the pipeline on private folders and the given database."""
    home = tmp / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    return {
        "DAGSTER_HOME": str(home),
        "CATALOG_DATA_DIR": str(tmp / "data"),
        "CATALOG_DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
    }


def postgres_instance_env(home: Path, database_url: str) -> dict[str, str]:
    """A DAGSTER_HOME holding deploy/dagster.yaml, and its DAGSTER_PG_* env for ``database_url``."""
    import shutil

    from catalog_pipeline.settings import dagster_postgres_env

    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    return {"DAGSTER_HOME": str(home), **dagster_postgres_env(database_url)}
