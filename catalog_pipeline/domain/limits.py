"""The sizes every stored value must fit: one set, read by the row validators and the schema.

An item that passes validation is written; an item that would overflow a column must fail
validation instead (and be counted as rejected), or it fails the provider's whole write on
every sync. So the models-table columns (``store/schema.py``) and the pydantic fields
(``domain/rows.py``) take their sizes from here, and a change of one is a change of both
(with a migration for the column).
"""

from __future__ import annotations

MAX_ID_LENGTH = 512
"""``provider_model_id`` and ``canonical_id`` (VARCHAR)."""
MAX_NAME_LENGTH = 300
"""``display_name`` (VARCHAR)."""
MAX_PUBLISHER_LENGTH = 100
"""``publisher`` (VARCHAR)."""
MAX_MODALITIES_LENGTH = 200
"""``input_modalities`` and ``output_modalities``, comma-joined (VARCHAR)."""
MAX_CAPABILITIES_LENGTH = 300
"""``capabilities``, comma-joined (VARCHAR)."""
MAX_PRICE_SOURCE_LENGTH = 300
"""``price_source`` (VARCHAR)."""
MAX_INTEGER = 2**31 - 1
"""``context_length`` and ``max_output_tokens`` (INTEGER, 4 bytes on PostgreSQL)."""
MAX_PRICE_SCALE = 16_383
"""Digits after the decimal point PostgreSQL's unconstrained NUMERIC keeps."""
MAX_PRICE_INTEGER_DIGITS = 131_072
"""Digits before the decimal point PostgreSQL's unconstrained NUMERIC keeps."""
