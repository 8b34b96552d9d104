"""Where things live when the user has configured nothing: the embedded defaults."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_URL_ENV = "CATALOG_DATABASE_URL"
DATA_DIR_ENV = "CATALOG_DATA_DIR"


def data_dir() -> Path:
    """``$CATALOG_DATA_DIR``, else ``./data`` under the working directory."""
    return Path(os.environ.get(DATA_DIR_ENV) or Path.cwd() / "data").resolve()


def dagster_postgres_env(database_url: str) -> dict[str, str]:
    """The ``DAGSTER_PG_*`` variables ``deploy/dagster.yaml`` reads, for a PostgreSQL URL."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    return {
        "DAGSTER_PG_HOST": url.host or "127.0.0.1",
        "DAGSTER_PG_PORT": str(url.port or 5432),
        "DAGSTER_PG_USER": url.username or "postgres",
        "DAGSTER_PG_PASSWORD": url.password or "",
        "DAGSTER_PG_DB": url.database or "",
    }


def database_url(explicit: str | None = None) -> str:
    """The catalog database: explicit value, ``$CATALOG_DATABASE_URL``, else embedded SQLite."""
    url = explicit or os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'catalog.db'}"
