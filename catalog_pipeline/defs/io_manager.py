"""Where one provider run keeps its intermediate values: its own files, written whole.

Dagster's filesystem IO manager keeps one file per asset partition
(``storage/<asset>/<partition>``), shared by every run of that partition: two syncs of the
same provider at once read each other's lists, and a write cut short (a full disk) leaves a
truncated pickle for the next run to load. Here each run writes its own file
(``storage/run_scoped/<asset>/<partition>/<run id>``), through a temporary file renamed
into place, so a reader sees a whole value or none; a run reads what its own upstream step
wrote, or (a step re-run on its own) the latest materialization's run. Files of other runs
older than ``keep_hours`` are removed when a new one is written.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

import dagster as dg

RUN_SCOPED_IO_MANAGER = "run_scoped_io_manager"
FOLDER = "run_scoped"


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` at ``path`` whole or not at all: a temporary file beside it, flushed to
    disk, renamed over it. A failure (a full disk) removes the temporary file and leaves
    what was there before."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class RunScopedIOManager(dg.ConfigurableIOManager):
    """Pickles each run's outputs under the instance's storage, one file per run."""

    keep_hours: float = 24.0

    def _folder(self, context: dg.OutputContext | dg.InputContext) -> Path:
        """The asset partition's folder (an input's context names the upstream asset)."""
        instance = context.step_context.instance
        key = context.asset_key.path
        partition = context.asset_partition_key if context.has_asset_partitions else "_"
        return Path(instance.storage_directory(), FOLDER, *key, partition)

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        folder = self._folder(context)
        write_atomically(folder / context.run_id, pickle.dumps(obj, pickle.HIGHEST_PROTOCOL))
        cutoff = time.time() - self.keep_hours * 3600
        for old in folder.iterdir():
            try:
                if old.name != context.run_id and old.stat().st_mtime < cutoff:
                    old.unlink()
            except FileNotFoundError:
                continue

    def load_input(self, context: dg.InputContext) -> Any:
        folder = self._folder(context)
        upstream = context.upstream_output
        path = folder / (upstream.run_id if upstream is not None else context.run_id)
        if not path.exists():
            path = folder / self._latest_run(context)
        with path.open("rb") as handle:
            return pickle.load(handle)

    def _latest_run(self, context: dg.InputContext) -> str:
        """The run of the upstream partition's latest materialization (a step run alone)."""
        instance = context.step_context.instance
        partition = context.asset_partition_key if context.has_asset_partitions else None
        event = instance.get_latest_materialization_event(context.asset_key)
        if partition is not None:
            records = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=context.asset_key, asset_partitions=[partition]),
                limit=1,
            ).records
            event = records[0].event_log_entry if records else None
        if event is None:
            raise dg.Failure(
                f"{context.asset_key.to_user_string()}[{partition}] has no stored value: "
                "materialize it first"
            )
        return event.run_id
