"""Where ``catalog-pipeline sync`` gets its worker processes from.

Workers fork from a single-threaded server process that imported Dagster and the project
once. Spawning would import both in every worker (about 2 s of CPU each); forking the CLI
process itself is unsafe because it runs threads (the replay server, SQLAlchemy pools).
This module imports nothing heavy, so the CLI can start the server before it imports
Dagster itself and the two imports overlap on two cores.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext

PRELOAD = ["catalog_pipeline.definitions"]


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
