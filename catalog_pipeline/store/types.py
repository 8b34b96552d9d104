"""Column types that keep prices exact on both SQLite and PostgreSQL, and UTC timestamps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from catalog_pipeline.domain.units import decimal_str


class ExactDecimal(TypeDecorator[Decimal]):
    """Unconstrained NUMERIC on PostgreSQL; a decimal string on SQLite (no exact NUMERIC there).

    Unconstrained, because a fixed scale would round the smallest per-token prices (a
    15-digit per-million price is 21+ decimals per token). Never a float on either side:
    SQLAlchemy's SQLite Numeric goes through float.
    """

    impl = Numeric(asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(64))
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"prices must be Decimal, got {type(value).__name__}")
        return decimal_str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
        return Decimal(decimal_str(number) or "0")


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored timestamp as an aware UTC datetime.

    Everything is written in UTC; SQLite hands it back naive, PostgreSQL aware (as does
    Dagster's run storage on either), and the two cannot be compared until made alike.
    """
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
