"""A full disk while the CLI writes into ``DAGSTER_HOME``, then the next sync's startup.

The disk is made full for real for one process: its file size limit (``RLIMIT_FSIZE``) is
set below the size of what it writes, so the kernel refuses the write part-way (``EFBIG``),
as it would with ``ENOSPC``. The next process, without the limit, must start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from catalog_pipeline.cli.sync import INSTANCE_YAML
from catalog_pipeline.defs.io_manager import write_atomically

STARTUP = (
    "from catalog_pipeline.cli.sync import open_instance, prepare_instance\n"
    "prepare_instance(open_instance())\n"
)
FULL_DISK = (
    "import resource, signal\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))\n"
    "from catalog_pipeline.cli.sync import ensure_dagster_home\n"
    "ensure_dagster_home()\n"
)


def _python(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_a_full_disk_while_writing_the_instance_settings_does_not_break_later_syncs(
    tmp_path: Path, record_fault
) -> None:
    assert len(INSTANCE_YAML.encode()) > 300
    record_fault("disk_full_writing_dagster_home")
    full = _python(FULL_DISK, tmp_path)
    assert full.returncode != 0 and "File too large" in full.stderr, full.stderr[-2000:]
    assert not (tmp_path / "dagster.yaml").exists() or (
        (tmp_path / "dagster.yaml").read_text() == INSTANCE_YAML
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []

    started = _python(STARTUP, tmp_path)
    assert started.returncode == 0, started.stderr[-3000:]
    assert (tmp_path / "dagster.yaml").read_text() == INSTANCE_YAML


@pytest.mark.parametrize("cut", [0, 300, len(INSTANCE_YAML) - 7])
def test_a_truncated_default_left_by_an_earlier_version_is_written_again(
    tmp_path: Path, cut: int
) -> None:
    (tmp_path / "dagster.yaml").write_text(INSTANCE_YAML[:cut])
    started = _python(STARTUP, tmp_path)
    assert started.returncode == 0, started.stderr[-3000:]
    assert (tmp_path / "dagster.yaml").read_text() == INSTANCE_YAML


def test_an_operators_own_settings_are_never_rewritten(tmp_path: Path) -> None:
    own = "telemetry:\n  enabled: false\n"
    (tmp_path / "dagster.yaml").write_text(own)
    assert _python(STARTUP, tmp_path).returncode == 0
    assert (tmp_path / "dagster.yaml").read_text() == own


def test_an_atomic_write_cut_short_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "value"
    target.write_bytes(b"previous")
    code = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))\n"
        "from catalog_pipeline.defs.io_manager import write_atomically\n"
        f"write_atomically(Path({str(target)!r}), b'x' * 5000)\n"
    )
    failed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert failed.returncode != 0 and "File too large" in failed.stderr
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["value"]
    write_atomically(target, b"next")
    assert target.read_bytes() == b"next"
