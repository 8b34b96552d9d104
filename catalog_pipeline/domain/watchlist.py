"""The requested-models watch list: ids the gateway is asked for, which must all resolve.

Users fill it from their request logs: a CSV (``model_id,provider,note``) at
``$CATALOG_WATCHLIST``, else the packaged example with the eight ids from the incident
that billed them at a default price.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from pydantic import BaseModel

WATCHLIST_ENV = "CATALOG_WATCHLIST"
PACKAGED = Path(__file__).parent / "data" / "watchlist.csv"


class WatchedModel(BaseModel):
    model_id: str
    provider: str | None = None
    note: str = ""


def load_watchlist(path: str | Path | None = None) -> list[WatchedModel]:
    source = Path(path or os.environ.get(WATCHLIST_ENV) or PACKAGED)
    with source.open(encoding="utf-8") as handle:
        return [
            WatchedModel(
                model_id=row["model_id"].strip(),
                provider=(row.get("provider") or "").strip() or None,
                note=(row.get("note") or "").strip(),
            )
            for row in csv.DictReader(handle)
            if (row.get("model_id") or "").strip()
        ]
