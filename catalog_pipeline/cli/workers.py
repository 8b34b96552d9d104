"""Where ``catalog-pipeline sync`` gets its worker processes from, and how it keeps them.

Workers fork from a single-threaded server process that imported Dagster and the project
once. Spawning would import both in every worker (about 2 s of CPU each); forking the CLI
process itself is unsafe because it runs threads (the replay server, SQLAlchemy pools).
This module imports nothing heavy, so the CLI can start the server before it imports
Dagster itself and the two imports overlap on two cores.

:class:`WorkerPool` runs one task at a time per worker. A worker that dies (a segfault in
a C extension, the OOM killer, a SIGKILL) fails only the task it was running: the pool
reports it as :class:`WorkerDied` and starts a fresh worker for the tasks still queued. (A
``ProcessPoolExecutor`` marks itself broken instead and fails every task in flight.)

Workers die with the CLI: each one asks the kernel for SIGKILL when its parent (the fork
server, which exits with the CLI) dies (``PR_SET_PDEATHSIG`` on Linux), and watches a pipe
only the CLI holds open, which reads as closed once the CLI is gone, on every platform.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import socket
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

PRELOAD = ["catalog_pipeline.definitions"]
PR_SET_PDEATHSIG = 1
"""``prctl`` option: the signal a process gets when its parent dies (Linux)."""


def worker_context() -> BaseContext:
    """The forkserver context with the project preloaded (spawn where fork is unavailable)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start_worker_server() -> None:
    """Start the fork server now, so its imports run while the caller does other work."""
    context = worker_context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def process_identity(pid: int | None = None) -> str:
    """``host:pid:start`` of a process: unlike the pid alone, never reused for another one."""
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid)}"


def process_is_gone(identity: str) -> bool | None:
    """Whether the process named by :func:`process_identity` has ended (None: another host)."""
    host, _, rest = identity.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return _start_ticks(pid) != start


def _start_ticks(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "-"
    return stat.rsplit(")", 1)[1].split()[19]


def die_with_parent(lifeline: Connection) -> None:
    """End this process as soon as the CLI that started it is gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    threading.Thread(target=_watch, args=(lifeline,), name="parent-watchdog", daemon=True).start()


def _watch(lifeline: Connection) -> None:
    with contextlib.suppress(OSError, EOFError):
        lifeline.poll(None)  # nobody writes: this returns when the CLI's end closes
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


@dataclass(frozen=True)
class WorkerDied:
    """The worker running a task ended before answering (killed, crashed, out of memory)."""

    exitcode: int | None

    @property
    def description(self) -> str:
        if self.exitcode is not None and self.exitcode < 0:
            try:
                name = signal.Signals(-self.exitcode).name
            except ValueError:
                name = f"signal {-self.exitcode}"
            return f"the worker process was killed by {name}"
        return f"the worker process exited with code {self.exitcode}"


@dataclass(frozen=True)
class TaskError:
    """The task raised instead of returning: the traceback as text."""

    text: str


def _worker_main(
    conn: Connection,
    lifeline: Connection,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    function: Callable[[Any], Any],
) -> None:
    die_with_parent(lifeline)
    failed_start: str | None = None
    try:
        initializer(*initargs)
    except BaseException:
        failed_start = "the worker could not start:\n" + traceback.format_exc()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        if failed_start is not None:
            conn.send(TaskError(failed_start))
            continue
        try:
            answer = function(task)
        except BaseException:
            answer = TaskError(traceback.format_exc())
        conn.send(answer)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: Any = None


class WorkerPool:
    """Up to ``size`` worker processes, each running ``function(task)`` one task at a time."""

    def __init__(
        self,
        size: int,
        context: BaseContext,
        initializer: Callable[..., None],
        initargs: tuple[Any, ...],
        function: Callable[[Any], Any],
    ) -> None:
        self.size = max(1, size)
        self._context = context
        self._initializer = initializer
        self._initargs = initargs
        self._function = function
        self._lifeline, self._lifeline_held = context.Pipe(duplex=False)
        self._workers: list[_Worker] = []
        self._idle: list[_Worker] = []
        """Workers waiting for a task, kept between calls of :meth:`run`."""

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> _Worker:
        mine, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main,
            args=(theirs, self._lifeline, self._initializer, self._initargs, self._function),
            name="catalog-pipeline-worker",
            daemon=True,
        )
        process.start()
        theirs.close()
        worker = _Worker(process, mine)
        self._workers.append(worker)
        return worker

    def run(self, tasks: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        """``(task, answer)`` as tasks finish; the answer is :class:`WorkerDied` when the
        worker running it ended first, :class:`TaskError` when it raised."""
        pending = deque(tasks)
        idle = self._idle
        busy: list[_Worker] = []
        while pending or busy:
            while pending and (idle or len(idle) + len(busy) < self.size):
                if idle and not idle[-1].process.is_alive():
                    self._discard(idle.pop())  # died while idle: nothing of it was lost
                    continue
                worker = idle.pop() if idle else self._start()
                worker.task = pending.popleft()
                try:
                    worker.conn.send(worker.task)
                except OSError:
                    pending.appendleft(worker.task)
                    self._discard(worker)
                    continue
                busy.append(worker)
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker in list(busy):
                if worker.conn not in ready and worker.process.sentinel not in ready:
                    continue
                answer = self._answer(worker)
                busy.remove(worker)
                task, worker.task = worker.task, None
                if isinstance(answer, WorkerDied):
                    self._discard(worker)
                else:
                    idle.append(worker)
                yield task, answer

    def _answer(self, worker: _Worker) -> Any:
        try:
            if worker.conn.poll():
                return worker.conn.recv()
        except (EOFError, OSError):
            pass
        except Exception as exc:  # a half-sent answer of a worker that died mid-send
            return TaskError(f"unreadable answer from the worker: {exc!r}")
        worker.process.join(timeout=10)
        return WorkerDied(worker.process.exitcode)

    def _discard(self, worker: _Worker) -> None:
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        self._workers.remove(worker)

    def close(self) -> None:
        """Tell idle workers to exit; they finish on their own while the caller goes on."""
        self._idle.clear()
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.conn.close()
        self._workers.clear()
