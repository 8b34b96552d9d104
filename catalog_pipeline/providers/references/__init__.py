"""Reference price sources: public catalogs of prices (models.dev, LiteLLM, genai-prices).

Each source is one module exposing ``SOURCE``, a
:class:`~catalog_pipeline.providers.references.source.ReferenceSource`; the registry
(:mod:`~catalog_pipeline.providers.references.registry`) lists them. They are fetched
through the providers' HTTP client, so retries, limits, the replay override and the raw
archive apply to them exactly as to a provider.
"""
