"""``catalog-pipeline override set|list|remove``: operator prices that survive every sync.

Token prices are entered in USD per 1M tokens (``--prompt-per-1m 2.50``), unit prices in
USD per unit (``--per-image-usd 0.04``); the flag names the unit. An override applies from
the provider's next sync (or reset-and-resync) on, and every change writes an audit row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
from typing import Any

from catalog_pipeline.domain.overrides import INPUT_NAMES, PriceOverride, per_input_unit


def add_parser(commands: Any, usage_error: type[Exception]) -> None:
    override = commands.add_parser(
        "override", help="operator prices that win over every source (set, list, remove)"
    )
    actions = override.add_subparsers(dest="action", required=True)

    set_ = actions.add_parser(
        "set",
        help="set (or replace) the override of one offer",
        description="Token prices in USD per 1M tokens; unit prices in USD per unit. "
        "Fields left out keep the provider's price.",
    )
    set_.add_argument("provider", help="provider slug, e.g. openai")
    set_.add_argument("model_id", help="the exact id the provider serves (case kept)")
    for input_name, field in INPUT_NAMES.items():
        unit = "USD per 1M tokens" if input_name.endswith("_per_1m") else "USD per unit"
        set_.add_argument(
            f"--{input_name.replace('_', '-')}",
            dest=input_name,
            metavar="N",
            help=f"{field} price, {unit}",
        )
    set_.add_argument("--reason", required=True, help="why: 'negotiated', 'ticket 123', ...")
    set_.add_argument("--by", help="who sets it (default: the login name)")
    set_.add_argument(
        "--expires-at",
        metavar="WHEN",
        help="ISO date or date-time (UTC unless it says otherwise); default: never",
    )
    set_.add_argument(
        "--model-type",
        help="for a model the provider does not list: its type (default chat)",
    )
    set_.add_argument("--json", action="store_true")
    set_.set_defaults(handler=lambda args: _set(args, usage_error))

    list_ = actions.add_parser("list", help="list every override, expired ones too")
    list_.add_argument("--provider", help="only this provider's")
    list_.add_argument("--json", action="store_true")
    list_.set_defaults(handler=_list)

    remove = actions.add_parser("remove", help="remove the override of one offer (audited)")
    remove.add_argument("provider")
    remove.add_argument("model_id")
    remove.add_argument("--by", help="who removes it (default: the login name)")
    remove.set_defaults(handler=_remove)


def _store() -> Any:
    from catalog_pipeline.store.catalog_store import CatalogStore

    store = CatalogStore()
    store.engine()
    return store


def _who(given: str | None) -> str:
    return given or getpass.getuser()


def described(override: PriceOverride, now: dt.datetime) -> dict[str, Any]:
    """An override as ``list --json`` prints it: prices in the units they are entered in."""
    return {
        "provider": override.provider,
        "provider_model_id": override.provider_model_id,
        "prices": {
            input_name: per_input_unit(field, override.prices[field])
            for input_name, field in INPUT_NAMES.items()
            if field in override.prices
        },
        "reason": override.reason,
        "by": override.created_by,
        "at": override.created_at.isoformat(),
        "expires_at": override.expires_at.isoformat() if override.expires_at else None,
        "state": "active" if override.active(now) else "expired",
        "price_source": override.label(),
    }


def _line(entry: dict[str, Any]) -> str:
    prices = " ".join(f"{name}={value}" for name, value in entry["prices"].items())
    expiry = f", expires {entry['expires_at']}" if entry["expires_at"] else ""
    return (
        f"{entry['provider']} {entry['provider_model_id']}: {prices} ({entry['state']}; "
        f"{entry['reason']} by {entry['by']} at {entry['at']}{expiry})"
    )


def _next_sync(provider: str) -> str:
    return (
        f"applies from the next sync of {provider} (the daemon's sync_on_override_change "
        f"sensor requests it; or run: catalog-pipeline sync --providers {provider})"
    )


def _set(args: argparse.Namespace, usage_error: type[Exception]) -> int:
    from catalog_pipeline.domain.overrides import OverrideError
    from catalog_pipeline.pipeline.overrides import new_override

    try:
        override = new_override(
            args.provider,
            args.model_id,
            {name: getattr(args, name) for name in INPUT_NAMES},
            args.reason,
            _who(args.by),
            args.expires_at,
            args.model_type,
        )
    except OverrideError as error:
        raise usage_error(str(error)) from None
    replaced = _store().set_override(override)
    entry = described(override, override.created_at)
    if args.json:
        print(json.dumps({**entry, "replaced": replaced is not None}, indent=2))
    else:
        verb = "replaced" if replaced is not None else "set"
        print(f"{verb}: {_line(entry)}")
        print(_next_sync(override.provider))
    return 0


def _list(args: argparse.Namespace) -> int:
    now = dt.datetime.now(dt.UTC)
    entries = [described(o, now) for o in _store().overrides(args.provider)]
    if args.json:
        print(json.dumps(entries, indent=2))
    elif not entries:
        print("no overrides")
    else:
        for entry in entries:
            print(_line(entry))
    return 0


def _remove(args: argparse.Namespace) -> int:
    removed = _store().remove_override(args.provider, args.model_id, _who(args.by))
    if removed is None:
        print(f"no override for {args.provider} {args.model_id}; nothing changed")
        return 1
    print(f"removed: {_line(described(removed, dt.datetime.now(dt.UTC)))}")
    print(_next_sync(args.provider))
    return 0
