"""Where things live when the user has configured nothing: the embedded defaults."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_URL_ENV = "CATALOG_DATABASE_URL"
DATA_DIR_ENV = "CATALOG_DATA_DIR"


def data_dir() -> Path:
    """``$CATALOG_DATA_DIR``, else ``./data`` under the working directory."""
    return Path(os.environ.get(DATA_DIR_ENV) or Path.cwd() / "data").resolve()


def database_url(explicit: str | None = None) -> str:
    """The catalog database: explicit value, ``$CATALOG_DATABASE_URL``, else embedded SQLite."""
    url = explicit or os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'catalog.db'}"
