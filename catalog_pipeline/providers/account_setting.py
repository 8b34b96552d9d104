"""Per-provider settings that live in the URL path (account ids, user names), read from env.

Cloudflare Workers AI lists models under ``/accounts/{account_id}/...`` and Modelz under
``/users/{login_name}/...``; the value comes from an env var with the provider's prefix
(``CLOUDFLARE_WORKERS_AI_ACCOUNT_ID``). A missing value is ``not_configured``, naming the
variable. The one exception is offline replay (``CATALOG_PROVIDER_BASE_URL`` set): then
requests go to the local replay server, never to the provider, and the recorded path uses
the fixed placeholder :data:`REPLAY_PLACEHOLDER`, so demos and tests need no real account.
"""

from __future__ import annotations

import os
import re

from catalog_pipeline.providers.client import BASE_URL_ENV
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.spec import ProviderSpec

REPLAY_PLACEHOLDER = "replay-account"
_SAFE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


def path_setting(spec: ProviderSpec, names: tuple[str, ...], what: str) -> str:
    """The first non-empty env var of ``names``; raise ``not_configured`` when none is set."""
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            if not _SAFE.match(value):
                raise ProviderError(
                    spec.slug,
                    FailureKind.NOT_CONFIGURED,
                    f"{name} is not a valid {what}",
                    f"Set {name} to the {what} only (letters, digits, '.', '_', '-').",
                )
            return value
    if os.environ.get(BASE_URL_ENV, "").strip():
        return REPLAY_PLACEHOLDER
    raise ProviderError(
        spec.slug,
        FailureKind.NOT_CONFIGURED,
        f"no {what} configured",
        f"Set {' or '.join(names)} to enable this provider.",
    )
