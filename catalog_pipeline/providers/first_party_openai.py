"""Field maps for model publishers whose list API is the plain OpenAI ``/v1/models`` dialect.

None of these lists carries prices (they come from the curated file where a published
price agrees with the peer catalogs). What each adds to ``{id, object, created, owned_by}``:

- DeepSeek ``GET /models``: nothing (no ``created`` either).
- Moonshot ``GET /v1/models``: ``context_length`` on current responses (older ones, like
  the 2025-10 capture, have only the base fields); ``supports_image_in`` etc. are not mapped.
- Z.ai ``GET /api/paas/v4/models``: the base fields.
- Alibaba Model Studio (DashScope) ``GET /compatible-mode/v1/models``: the base fields.
  The native ``/api/v1/models`` catalog has tiered prices but is a different dialect.
- MiniMax ``GET /v1/models``: ``id`` and ``owned_by`` only; this endpoint is used by
  clients but is not in MiniMax's published API reference.
"""

from __future__ import annotations

from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI

DEEPSEEK = OpenAICompatibleAPI(FieldMap())
MOONSHOT = OpenAICompatibleAPI(FieldMap(context_length=("context_length",)))
ZAI = OpenAICompatibleAPI(FieldMap())
ALIBABA = OpenAICompatibleAPI(FieldMap())
MINIMAX = OpenAICompatibleAPI(FieldMap())
