"""One module per provider, named for its slug (``-`` as ``_``), each exposing ``PROVIDER``.

Adding a provider is adding a module here (with its recording in ``recordings/<slug>/`` and
its tests in ``catalog_pipeline_tests/providers/test_<slug>.py``); the registry finds it.
"""
