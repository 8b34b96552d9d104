"""Looking at a real process tree from ``/proc`` (Linux): who is in it, how much memory it
uses, and which process holds a loopback connection.

A sync's memory is the whole tree's: the CLI, the fork server and the worker processes
(children of the fork server). It is measured as proportional set size, which counts a
page shared by several processes once, split between them, so the forked workers' shared
imports are not counted once per worker.
"""

from __future__ import annotations

import threading
from pathlib import Path

PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()


def alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def descendants(root: int) -> list[int]:
    """Every process below ``root`` (children, their children, ...), not ``root`` itself."""
    parents: dict[int, int] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                parents[int(entry.name)] = int(fields[1])
    found: list[int] = []
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier}
        found.extend(sorted(frontier))
    return found


def pss_kb(pid: int) -> int:
    """The process's proportional set size in kB (0 once it is gone)."""
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_kb(root: int) -> int:
    return sum(pss_kb(pid) for pid in [root, *descendants(root)])


class PeakTreePss:
    """Samples the PSS of a process tree in a thread; ``peak_mb`` is the largest total seen."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root = root
        self.interval = interval
        self.peak_kb = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, tree_pss_kb(self.root))
            self.samples += 1
            self._stop.wait(self.interval)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join(timeout=10)
        return self.peak_mb


def pid_of_loopback_client(port: int, among: list[int]) -> int | None:
    """The process (of ``among``) that owns the TCP socket bound to 127.0.0.1:``port``."""
    wanted = f"0100007F:{port:04X}"
    inode = None
    for line in (PROC / "net" / "tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == wanted:
            inode = fields[9]
            break
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in among:
        try:
            for fd in (PROC / str(pid) / "fd").iterdir():
                try:
                    if fd.readlink().as_posix() == target:
                        return pid
                except OSError:
                    continue
        except OSError:
            continue
    return None
