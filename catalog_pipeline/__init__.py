"""catalog-pipeline: an accurate, priced catalog of AI models, kept by Dagster."""

__version__ = "0.1.0"
