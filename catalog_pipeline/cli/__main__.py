"""``python -m catalog_pipeline.cli``: the same as the ``catalog-pipeline`` command."""

import sys

from catalog_pipeline.cli import main

sys.exit(main())
