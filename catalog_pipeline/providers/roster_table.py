"""The README's provider table, generated from the registry so the two never disagree.

``python -m catalog_pipeline.providers.roster_table`` prints it; a test compares it with
the README section between the ``providers:start`` / ``providers:end`` markers.
"""

from __future__ import annotations

from catalog_pipeline.providers.registry import PROVIDERS


def markdown_table() -> str:
    lines = [
        "| provider | env vars | endpoint | price source | wire unit |",
        "|---|---|---|---|---|",
    ]
    for spec in PROVIDERS:
        names = ", ".join(f"`{name}`" for name in spec.key_env_names)
        if not spec.key_required:
            names += " (optional)"
        if not spec.enabled:
            names += " — disabled"
        unit = spec.price_unit.replace("|", "/")
        lines.append(
            f"| `{spec.slug}` | {names} | `GET {spec.list_url}` | {spec.price_source} | {unit} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
