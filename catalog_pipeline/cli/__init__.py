"""The ``catalog-pipeline`` command: sync, resolve, cost, export, override (README)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from catalog_pipeline.domain.answers import Resolution

if TYPE_CHECKING:
    from catalog_pipeline.cli.sync import SyncReport
    from catalog_pipeline.read_api import CostAnswer


class UsageError(Exception):
    """A request that cannot be carried out as asked; ``str()`` says why and what to do."""


def _sync(args: argparse.Namespace) -> int:
    from catalog_pipeline.cli.workers import start_worker_server

    start_worker_server()
    from catalog_pipeline.cli.sync import run_sync

    providers = (
        [p.strip() for p in args.providers.split(",") if p.strip()] if args.providers else None
    )
    _check_providers(providers or [])
    if args.replay and not Path(args.replay).is_dir():
        raise UsageError(f"--replay {args.replay}: no such folder of recordings")
    report = run_sync(
        providers,
        Path(args.replay) if args.replay else None,
        args.concurrency,
        verbose=args.verbose,
    )
    if args.json:
        print(
            json.dumps(
                {
                    "providers": {
                        slug: outcome.model_dump(include={"status", "models", "error"})
                        for slug, outcome in report.providers.items()
                    },
                    "checks": [check.model_dump() for check in report.checks],
                    "models_table_rows": report.models_table_rows,
                    "catalog_error": report.catalog_error,
                },
                indent=2,
            )
        )
    else:
        print_summary(report, offline=args.replay is not None)
    return 0 if report.ok else 1


def _check_providers(slugs: list[str]) -> None:
    from catalog_pipeline.providers.references.registry import is_source
    from catalog_pipeline.providers.registry import get_provider

    for slug in slugs:
        if is_source(slug):
            continue
        try:
            spec = get_provider(slug)
        except KeyError as error:
            raise UsageError(error.args[0]) from None
        if not spec.enabled:
            raise UsageError(f"provider {slug!r} is disabled in the registry (see its docs_url)")


OFFLINE_COVERAGE_CHECKS = ("unpriced_models", "requested_models_resolve")


def print_summary(report: SyncReport, offline: bool) -> None:
    """One line per provider, one per failed check (its own summary), the table size."""
    width = max(len(slug) for slug in report.providers)
    for slug, outcome in report.providers.items():
        line = f"{slug:<{width}}  {outcome.status:<14} {outcome.models:>6} models"
        print(line + (f"  {outcome.error}" if outcome.error else ""))
    failed = [c for c in report.checks if not c.passed]
    for check in failed:
        where = f"{check.asset}[{check.partition}]" if check.partition else check.asset
        print(f"check {check.severity} {check.check} on {where}: {check.summary}")
    if report.catalog_error:
        print(f"catalog refresh failed: {report.catalog_error}")
    print(f"models table: {report.models_table_rows} rows")
    coverage = [c.check for c in failed if c.check in OFFLINE_COVERAGE_CHECKS]
    if offline and coverage and all(c.severity == "WARN" for c in failed):
        print(
            f"expected offline: {' and '.join(coverage)} warn because recordings list models "
            "that neither they nor the curated price files price; a sync of the real APIs "
            "is judged on its own data"
        )


def _resolve(args: argparse.Namespace) -> int:
    """Exit 0 priced, 1 not found, 3 found but unpriced, 4 ambiguous (DESIGN.md §3)."""
    from catalog_pipeline.read_api import Catalog
    from catalog_pipeline.store.catalog_store import CatalogStore

    store = CatalogStore()
    store.engine()  # the embedded default is created and migrated like every other command
    with Catalog.from_url(store.url, refresh_interval=0) as catalog:
        resolution = catalog.resolve(args.model_id, args.provider, fallback=args.fallback)
    if args.json:
        print(json.dumps(resolution.as_json(), indent=2))
    else:
        print(_resolution_text(resolution))
    return resolution.exit_code


def _resolution_text(resolution: Resolution) -> str:
    data = resolution.as_json()
    lines = [f"{resolution.requested}: {resolution.status}"]
    if resolution.offer is not None:
        prices = data["pricing"]
        lines.append(
            f"  {resolution.canonical_id} at {resolution.provider} as "
            f"{resolution.provider_model_id} (match {resolution.match}, chosen by "
            f"{resolution.chosen_by}): prompt {prices['prompt']} / completion "
            f"{prices['completion']} USD per token"
        )
    if resolution.reason:
        lines.append(f"  {resolution.reason}")
    for alternative in data["alternatives"]:
        prices = alternative["pricing"]
        lines.append(
            f"  alternative ({alternative['relation']}): {alternative['provider']} "
            f"{alternative['provider_model_id']}: prompt {prices['prompt']} / completion "
            f"{prices['completion']}"
        )
    lines.extend(f"  candidate: {candidate}" for candidate in resolution.candidates)
    return "\n".join(lines)


USAGE_OPTIONS = (
    ("input_tokens", "prompt tokens that are not cache reads, cache writes or audio"),
    ("output_tokens", "completion tokens that are not reasoning or audio"),
    ("cache_read_tokens", "prompt tokens read from the provider's cache"),
    ("cache_write_tokens", "prompt tokens written to the provider's cache"),
    ("reasoning_tokens", "reasoning (thinking) tokens"),
    ("audio_input_tokens", "audio prompt tokens"),
    ("audio_output_tokens", "audio completion tokens"),
    ("images", "images generated (per_image)"),
    ("input_images", "images sent in the prompt, where billed per image (per_input_image)"),
    ("requests", "requests, where billed per request (per_request)"),
    ("web_searches", "web searches (per_web_search)"),
)
"""``cost`` options: each is one field of :class:`~catalog_pipeline.domain.cost.Usage`."""


def _seconds(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds")
    return value


def _cost(args: argparse.Namespace) -> int:
    """Exit 0 billed, 1 not found, 3 a quantity given has no known price, 4 ambiguous."""
    from pydantic import ValidationError

    from catalog_pipeline.domain.cost import Usage
    from catalog_pipeline.read_api import Catalog
    from catalog_pipeline.store.catalog_store import CatalogStore

    quantities = {name: getattr(args, name) for name, _ in USAGE_OPTIONS}
    if args.seconds is not None:
        quantities["seconds"] = args.seconds
    try:
        usage = Usage(**{name: value for name, value in quantities.items() if value is not None})
    except ValidationError as error:
        problems = "; ".join(
            f"--{str(e['loc'][0]).replace('_', '-')}: {e['msg']}" for e in error.errors()
        )
        raise UsageError(problems) from None
    store = CatalogStore()
    store.engine()  # the embedded default is created and migrated like every other command
    with Catalog.from_url(store.url, refresh_interval=0) as catalog:
        answer = catalog.cost(args.model_id, usage, args.provider)
    if args.json:
        print(json.dumps(answer.as_json(), indent=2))
    else:
        print(_cost_text(answer))
    return answer.exit_code


def _cost_text(answer: CostAnswer) -> str:
    from catalog_pipeline.domain.units import decimal_str

    resolution = answer.resolution
    total = decimal_str(answer.total_usd)
    lines = [
        f"{resolution.requested}: {answer.status}"
        + (f", total {total} USD" if total is not None else "")
    ]
    if resolution.offer is not None:
        tier = answer.tier_above_prompt_tokens
        lines.append(
            f"  {resolution.canonical_id} at {answer.provider} as {answer.provider_model_id}"
            + (f" (long-context tier: prompt above {tier} tokens)" if tier is not None else "")
        )
    for line in answer.lines:
        lines.append(
            f"  {line.item}: {decimal_str(line.quantity)} x {decimal_str(line.unit_price)} "
            f"({line.price}) = {decimal_str(line.usd)} USD"
        )
    lines.extend(f"  unknown: {item}" for item in answer.unknown)
    if resolution.reason and not answer.unknown:
        lines.append(f"  {resolution.reason}")
    for alternative in resolution.alternatives:
        lines.append(
            f"  alternative ({alternative.relation}): {alternative.offer.provider} "
            f"{alternative.offer.provider_model_id}"
        )
    lines.extend(f"  candidate: {candidate}" for candidate in resolution.candidates)
    return "\n".join(lines)


def _export(args: argparse.Namespace) -> int:
    from catalog_pipeline.exports.common import write_atomically
    from catalog_pipeline.exports.run import render_catalog
    from catalog_pipeline.store.catalog_store import CatalogStore

    store = CatalogStore()
    store.engine()  # the embedded default is created and migrated like every other command
    rendered = render_catalog(store.url, args.format)
    if args.output == "-":
        sys.stdout.write(rendered.text)
    else:
        write_atomically(Path(args.output), rendered.text)
    skipped = ", ".join(f"{count} {reason}" for reason, count in sorted(rendered.skipped.items()))
    print(
        f"{args.format}: {rendered.entries} entries from catalog version "
        f"{rendered.catalog_version} to {args.output}"
        + (f" (left out: {skipped})" if skipped else ""),
        file=sys.stderr,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="catalog-pipeline", description="An accurate, priced catalog of AI models."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    sync = commands.add_parser("sync", help="sync providers through Dagster and print a summary")
    sync.add_argument(
        "--providers", help="comma-separated provider and reference source slugs (default: all)"
    )
    sync.add_argument("--replay", metavar="DIR", help="serve recorded responses from DIR")
    sync.add_argument("--json", action="store_true", help="print the summary as JSON")
    sync.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print Dagster's INFO events (one line per provider write)",
    )
    sync.add_argument(
        "--concurrency",
        type=int,
        help="provider runs at once, each in its own worker process (default: 4 per CPU)",
    )
    sync.set_defaults(handler=_sync)
    resolve = commands.add_parser(
        "resolve",
        help="resolve a model id to its offer and price",
        description="Exit 0 priced, 1 not found, 3 found but unpriced, 4 ambiguous.",
    )
    resolve.add_argument("model_id")
    resolve.add_argument(
        "--provider", help="the provider that served the request (binds: its offer or none)"
    )
    resolve.add_argument(
        "--fallback",
        choices=("none", "any_provider"),
        default="none",
        help="any_provider: answer another provider's price when the named one has none "
        "(the answer's match says fallback_any_provider)",
    )
    resolve.add_argument("--json", action="store_true")
    resolve.set_defaults(handler=_resolve)
    cost = commands.add_parser(
        "cost",
        help="bill one request: its usage at the resolved offer's prices, line by line",
        description="Resolves MODEL as resolve does, then bills the usage. Input tokens "
        "exclude cache reads, cache writes and audio; the long-context tier is chosen on the "
        "whole prompt. Exit 0 billed, 1 not found, 3 a quantity given has no known price "
        "(named, never billed as 0), 4 ambiguous.",
    )
    cost.add_argument("model_id", metavar="MODEL")
    cost.add_argument(
        "--provider", help="the provider that served the request (binds: its offer or none)"
    )
    for name, help_text in USAGE_OPTIONS:
        flag = "--" + name.replace("_", "-")
        cost.add_argument(
            flag, type=int, metavar="N", required=name == "input_tokens", help=help_text
        )
    cost.add_argument(
        "--seconds", type=_seconds, metavar="S", help="seconds of audio or video (per_second)"
    )
    cost.add_argument("--json", action="store_true")
    cost.set_defaults(handler=_cost)
    export = commands.add_parser("export", help="write the catalog as LiteLLM, OpenRouter or CSV")
    export.add_argument("--format", required=True, choices=("litellm", "openrouter", "csv"))
    export.add_argument(
        "--output", required=True, metavar="FILE", help="file to write ('-': stdout)"
    )
    export.set_defaults(handler=_export)
    from catalog_pipeline.cli.overrides import add_parser as add_override_parser

    add_override_parser(commands, UsageError)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command. An error the user can fix (a database that cannot be reached, a
    bad URL, an unknown provider) is one line on stderr and exit status 2, never a
    traceback; anything else is a bug and keeps its traceback.

    A reader that stops early (``catalog-pipeline resolve … | head -1``) is not an error:
    the rest of the output goes to /dev/null, the status is 141 like a shell's SIGPIPE,
    and no traceback is printed."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print(f"catalog-pipeline {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        message = user_error(error)
        if message is None:
            raise
        print(f"catalog-pipeline {args.command}: {message}", file=sys.stderr)
        return 2


def user_error(error: BaseException) -> str | None:
    """The one-line message for an error a user can fix, else ``None``."""
    from catalog_pipeline.settings import database_url
    from catalog_pipeline.store.engine import DatabaseProblem, explain

    if isinstance(error, UsageError | DatabaseProblem):
        return str(error)
    try:
        url = database_url()
    except Exception:
        url = None
    return explain(error, url)


if __name__ == "__main__":
    sys.exit(main())
