"""Render the catalog in one export format and write it (used by the CLI and the assets)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from catalog_pipeline.exports import litellm, openrouter, table
from catalog_pipeline.exports.common import Rendered, Renderer, read_catalog, write_atomically
from catalog_pipeline.read_api import reader_engine

FORMATS: dict[str, Renderer] = {
    litellm.FORMAT: litellm.render,
    openrouter.FORMAT: openrouter.render,
    table.FORMAT: table.render,
}
FILE_NAMES = {
    litellm.FORMAT: "litellm_model_prices.json",
    openrouter.FORMAT: "openrouter_models.json",
    table.FORMAT: "models.csv",
}


def render_catalog(url: str, format: str) -> Rendered:
    """Read one committed catalog (version and rows in one transaction) and render it."""
    if format not in FORMATS:
        raise KeyError(f"unknown export format {format!r}; choose from {', '.join(FORMATS)}")
    engine = reader_engine(url)
    try:
        return FORMATS[format](read_catalog(engine))
    finally:
        if make_url(url).get_backend_name() == "sqlite":
            engine.dispose()


def export_catalog(url: str, format: str, output: Path) -> Rendered:
    """Render and write ``output`` atomically (readers of the file never see half of it)."""
    rendered = render_catalog(url, format)
    write_atomically(output, rendered.text)
    return rendered
