"""What every export shares: one consistent read of the catalog, exact JSON, atomic files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from catalog_pipeline.domain.units import decimal_str
from catalog_pipeline.read_api import ALL_STATUSES, consistent_read, read_rows, read_version

ROUTABLE_STATUSES = ("active",)
"""Offers that gateway-facing exports (LiteLLM, OpenRouter) carry: the ones served now."""


@dataclass(frozen=True)
class CatalogRows:
    """The rows of one committed catalog and its version (read in one transaction)."""

    version: int
    rows: list[dict[str, Any]]


def read_catalog(engine: Engine, statuses: Iterable[str] = ALL_STATUSES) -> CatalogRows:
    with consistent_read(engine) as conn:
        version = read_version(conn)
        rows = read_rows(conn, statuses)
    return CatalogRows(version=version, rows=rows)


@dataclass
class Rendered:
    """One export rendered to text, with what it holds and what it left out and why."""

    format: str
    text: str
    entries: int
    catalog_version: int
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


Renderer = Callable[[CatalogRows], Rendered]


def exact_json(value: Any, indent: int = 2) -> str:
    """JSON where every ``Decimal`` is written as its exact plain decimal literal.

    ``json.dumps`` cannot write a Decimal as a number without going through ``float``;
    this writer never does: ``Decimal("0.00000015")`` becomes the literal ``0.00000015``.
    """
    return _encode(value, indent, 0) + "\n"


def _encode(value: Any, indent: int, level: int) -> str:
    if isinstance(value, Decimal):
        return decimal_str(value) or "null"
    if isinstance(value, float):
        raise TypeError(f"float {value!r} in an export; prices must be Decimal")
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad, inner = " " * (indent * level), " " * (indent * (level + 1))
        items = [
            f"{inner}{json.dumps(str(k))}: {_encode(v, indent, level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        pad, inner = " " * (indent * level), " " * (indent * (level + 1))
        items = [f"{inner}{_encode(v, indent, level + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(value, (dt.date, dt.datetime)):
        return json.dumps(value.isoformat())
    return json.dumps(value)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never half.

    The file gets the mode any new file gets (``0666`` less the user's umask, usually
    ``0644``) so that the gateway or web server that serves it can read it: the temporary
    file is created with ``os.open(..., 0o666)``, which applies the umask (``mkstemp``
    would create it ``0600``). It is flushed to disk before it replaces the old file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        temp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            handle = os.open(temp, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def split_list(value: str | None) -> list[str]:
    return [part for part in (value or "").split(",") if part]
