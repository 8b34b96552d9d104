"""Admin jobs in the Dagster UI. Each destructive one states its confirmation value in its
config schema; the override jobs destroy nothing (every change is audited) and need none."""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from pydantic import Field

from catalog_pipeline.defs.resources import (
    CatalogStoreResource,
    CheckSettings,
    ProviderClientResource,
)
from catalog_pipeline.domain.overrides import INPUT_NAMES, OverrideError
from catalog_pipeline.pipeline.overrides import new_override
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.pipeline.stage import StagingFailed, stage_offers
from catalog_pipeline.providers.registry import get_provider, provider_slugs
from catalog_pipeline.store import admin

ADMIN_TAGS = {"catalog/kind": "admin"}


class FlushModelsConfig(dg.Config):
    confirm: str = Field(default="", description=f'Must be "{admin.CONFIRM_FLUSH_MODELS}".')


class FlushProvidersConfig(dg.Config):
    confirm: str = Field(default="", description=f'Must be "{admin.CONFIRM_FLUSH_PROVIDERS}".')
    provider_count: int = Field(
        default=-1, description="Must repeat the number of providers that will be deleted."
    )


class ResetConfig(dg.Config):
    confirm: str = Field(default="", description=f'Must be "{admin.CONFIRM_RESET}".')
    providers: list[str] = Field(
        default_factory=list,
        description="Providers to rebuild; empty means every enabled provider with a key.",
    )


class RestoreConfig(dg.Config):
    confirm: str = Field(default="", description=f'Must be "{admin.CONFIRM_RESTORE}".')
    backup_name: str = Field(description="Name of a row in catalog_backups.")


class SetOverrideConfig(dg.Config):
    """An operator price; token prices in USD per 1M tokens, unit prices in USD per unit,
    as decimal text (``"2.50"``) so that no price passes through a float."""

    provider: str = Field(description="Provider slug, e.g. openai.")
    provider_model_id: str = Field(description="The exact id the provider serves.")
    reason: str = Field(description="Why: 'negotiated', 'ticket 123', ...")
    by: str = Field(description="Who sets it.")
    expires_at: str = Field(default="", description="ISO date or date-time; empty: never.")
    model_type: str = Field(
        default="", description="For a model the provider does not list: its type (chat)."
    )
    prompt_per_1m: str = ""
    completion_per_1m: str = ""
    cache_read_per_1m: str = ""
    cache_write_per_1m: str = ""
    reasoning_per_1m: str = ""
    audio_input_per_1m: str = ""
    audio_output_per_1m: str = ""
    per_image_usd: str = ""
    per_input_image_usd: str = ""
    per_request_usd: str = ""
    per_web_search_usd: str = ""
    per_second_usd: str = ""


class RemoveOverrideConfig(dg.Config):
    provider: str = Field(description="Provider slug.")
    provider_model_id: str = Field(description="The exact id the override names.")
    by: str = Field(description="Who removes it.")


class PruneRawPagesConfig(dg.Config):
    confirm: str = Field(default="", description=f'Must be "{admin.CONFIRM_PRUNE_RAW_PAGES}".')
    pages_kept: int = Field(
        description="Fetches per provider whose raw pages are kept (0: delete them all)."
    )


@contextmanager
def _user_errors() -> Iterator[None]:
    """Refusals and staging failures are the user's to act on: show them, not a traceback."""
    try:
        yield
    except (admin.ConfirmationError, StagingFailed, LookupError, OverrideError) as exc:
        raise dg.Failure(description=str(exc)) from None


def _report(context: dg.OpExecutionContext, outcome: admin.AdminOutcome) -> dg.Output:
    context.log.info(f"{outcome.job}: {outcome.detail}; backup {outcome.backup_name}")
    return dg.Output(
        outcome.backup_name,
        metadata={
            "backup_name": outcome.backup_name,
            "detail": outcome.detail,
            "counts_before": dg.MetadataValue.json(outcome.counts_before),
            "counts_after": dg.MetadataValue.json(outcome.counts_after),
        },
    )


@dg.op(tags=ADMIN_TAGS)
def flush_models_op(
    context: dg.OpExecutionContext, config: FlushModelsConfig, catalog_store: CatalogStoreResource
) -> dg.Output:
    """Empty the models table (price history and providers stay)."""
    with _user_errors():
        return _report(context, admin.flush_models(catalog_store, context.run_id, config.confirm))


@dg.op(tags=ADMIN_TAGS)
def flush_providers_op(
    context: dg.OpExecutionContext,
    config: FlushProvidersConfig,
    catalog_store: CatalogStoreResource,
) -> dg.Output:
    """Delete every provider and, by cascade, everything that belongs to it."""
    with _user_errors():
        outcome = admin.flush_providers(
            catalog_store, context.run_id, config.confirm, config.provider_count
        )
    return _report(context, outcome)


@dg.op(tags=ADMIN_TAGS)
def reset_and_resync_op(
    context: dg.OpExecutionContext,
    config: ResetConfig,
    catalog_store: CatalogStoreResource,
    provider_client: ProviderClientResource,
    check_settings: CheckSettings,
) -> dg.Output:
    """Rebuild providers aside, check them, swap them in atomically; or change nothing."""
    with _user_errors():
        admin.require(config.confirm, admin.CONFIRM_RESET, "reset_and_resync", "confirm")
        slugs = config.providers or [
            slug for slug in provider_slugs() if provider_client.is_configured(get_provider(slug))
        ]
        catalog_store.register_providers(provider_rows(get_provider(slug) for slug in slugs))
        staged = stage_offers(slugs, provider_client, catalog_store, check_settings)
        outcome = admin.replace_catalog(catalog_store, context.run_id, config.confirm, staged)
    return _report(context, outcome)


@dg.op(tags=ADMIN_TAGS)
def restore_catalog_op(
    context: dg.OpExecutionContext, config: RestoreConfig, catalog_store: CatalogStoreResource
) -> dg.Output:
    """Restore a named backup (after taking a backup of the current state)."""
    with _user_errors():
        outcome = admin.restore_catalog(
            catalog_store, context.run_id, config.confirm, config.backup_name
        )
    return _report(context, outcome)


@dg.op(tags=ADMIN_TAGS)
def set_price_override_op(
    context: dg.OpExecutionContext, config: SetOverrideConfig, catalog_store: CatalogStoreResource
) -> dg.Output:
    """Store an operator price (replacing the offer's previous one) and its audit row."""
    with _user_errors():
        override = new_override(
            config.provider,
            config.provider_model_id,
            {name: getattr(config, name) for name in INPUT_NAMES},
            config.reason,
            config.by,
            config.expires_at,
            config.model_type,
        )
    replaced = catalog_store.set_override(override, context.run_id)
    detail = (
        f"{'replaced' if replaced else 'set'} override of {override.provider} "
        f"{override.provider_model_id}: {override.prices_text()} USD per token/unit; "
        f"applies from the next sync of {override.provider}"
    )
    context.log.info(detail)
    return dg.Output(
        override.label(),
        metadata={
            "detail": detail,
            "price_source": override.label(),
            "replaced": replaced is not None,
        },
    )


@dg.op(tags=ADMIN_TAGS)
def remove_price_override_op(
    context: dg.OpExecutionContext,
    config: RemoveOverrideConfig,
    catalog_store: CatalogStoreResource,
) -> dg.Output:
    """Remove an operator price (audited); fails when the offer has none."""
    removed = catalog_store.remove_override(
        config.provider, config.provider_model_id, config.by, context.run_id
    )
    if removed is None:
        raise dg.Failure(
            description=f"no override for {config.provider} {config.provider_model_id}; "
            "nothing changed"
        )
    detail = f"removed override of {removed.provider} {removed.provider_model_id}"
    context.log.info(detail)
    return dg.Output(removed.label(), metadata={"detail": detail})


@dg.job(
    tags=ADMIN_TAGS,
    description="Set an operator price that wins over every source (audited, no confirmation: "
    "it destroys nothing).",
)
def set_price_override():
    set_price_override_op()


@dg.job(tags=ADMIN_TAGS, description="Remove an operator price (audited).")
def remove_price_override():
    remove_price_override_op()


@dg.op(tags=ADMIN_TAGS)
def prune_raw_pages_op(
    context: dg.OpExecutionContext,
    config: PruneRawPagesConfig,
    catalog_store: CatalogStoreResource,
) -> dg.Output:
    """Delete stored raw pages beyond each provider's newest ``pages_kept`` fetches."""
    with _user_errors():
        outcome = admin.prune_raw_pages(
            catalog_store, context.run_id, config.confirm, config.pages_kept
        )
    return _report(context, outcome)


@dg.job(
    tags=ADMIN_TAGS, description=f'Empty the models table. confirm: "{admin.CONFIRM_FLUSH_MODELS}".'
)
def flush_models():
    flush_models_op()


@dg.job(
    tags=ADMIN_TAGS,
    description=(
        f'Delete all providers (cascading). confirm: "{admin.CONFIRM_FLUSH_PROVIDERS}" and '
        "provider_count: the number of providers."
    ),
)
def flush_providers():
    flush_providers_op()


@dg.job(
    tags=ADMIN_TAGS,
    description=f'Rebuild the catalog aside and swap it in. confirm: "{admin.CONFIRM_RESET}".',
)
def reset_and_resync():
    reset_and_resync_op()


@dg.job(tags=ADMIN_TAGS, description=f'Restore a backup. confirm: "{admin.CONFIRM_RESTORE}".')
def restore_catalog():
    restore_catalog_op()


@dg.job(
    tags=ADMIN_TAGS,
    description=(
        "Keep the raw pages of only each provider's newest pages_kept fetches (fewer than a "
        f'sync keeps). confirm: "{admin.CONFIRM_PRUNE_RAW_PAGES}".'
    ),
)
def prune_raw_pages():
    prune_raw_pages_op()


ADMIN_JOBS = [
    flush_models,
    flush_providers,
    reset_and_resync,
    restore_catalog,
    prune_raw_pages,
    set_price_override,
    remove_price_override,
]
