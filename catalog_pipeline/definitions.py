"""The single entry point of the code location: every Dagster object under ``defs/``.

``dg.load_defs`` collects the assets, checks, jobs, schedules and sensors defined in the
modules of :mod:`catalog_pipeline.defs`, and the resources from ``defs/resources.py``.
"""

from __future__ import annotations

import dagster as dg

import catalog_pipeline.defs

defs = dg.load_defs(defs_root=catalog_pipeline.defs)
