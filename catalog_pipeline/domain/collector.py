"""Pausing Python's cyclic garbage collector around bulk loads of plain rows.

A leaf module (standard library only), so the store's reads and the resolver's index
build share one helper without either importing the other.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector back while a catalog read is loaded and indexed.

    Indexing allocates a few long-lived objects per offer, every few hundred allocations
    start a collection, and the full ones rescan the whole heap (all of Dagster, in a
    process that imported it) to free nothing: about half of a cold load. The young
    objects are collected once at the end so the first lookups do not pay for them. A
    nested or concurrent use, or an application that disabled the collector, leaves the
    collector as it found it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)
