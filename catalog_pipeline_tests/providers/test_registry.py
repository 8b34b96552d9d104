"""The roster: one module per provider, found by discovery, each with a recording and tests."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import ValidationError

from catalog_pipeline.domain.rows import Prices
from catalog_pipeline.providers.openai_compatible import OpenAICompatibleAPI
from catalog_pipeline.providers.registry import PROVIDERS, discover, get_provider, provider_slugs
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec
from catalog_pipeline_tests.conftest import RECORDINGS

TESTS = Path(__file__).parent


def test_forty_providers_in_slug_order() -> None:
    slugs = [spec.slug for spec in PROVIDERS]
    assert len(slugs) == 40
    assert slugs == sorted(slugs)
    assert slugs[:3] == ["aihubmix", "aimo", "akash"]
    assert "modelz" in slugs and "modelz" not in provider_slugs()


def test_every_provider_has_its_test_module_and_a_recording() -> None:
    for spec in PROVIDERS:
        module = spec.slug.replace("-", "_")
        assert (TESTS / f"test_{module}.py").is_file(), spec.slug
        if spec.local_body() is None:
            assert (RECORDINGS / spec.slug).is_dir(), spec.slug


def test_every_provider_names_its_dialect() -> None:
    assert get_provider("groq").dialect == "openai-compatible"
    assert get_provider("novita").dialect == "openai-compatible-host"
    assert get_provider("anannas").dialect == "openrouter"
    assert get_provider("xai").dialect == "xai"
    assert all(spec.dialect and len(spec.dialect) <= 64 for spec in PROVIDERS)


def test_curated_rows_only_with_a_curated_price_source() -> None:
    for spec in PROVIDERS:
        if spec.curated_prices:
            assert spec.price_source == "curated", spec.slug
    assert sum(len(spec.curated_prices) for spec in PROVIDERS) == 63


@pytest.fixture
def write_roster(tmp_path: Path) -> Iterator[Callable[[str, dict[str, str]], ModuleType]]:
    """Write a throwaway roster package of modules with the given ``PROVIDER`` slugs."""
    sys.path.insert(0, str(tmp_path))
    packages: list[str] = []

    def write(package: str, modules: dict[str, str | None]) -> ModuleType:
        folder = tmp_path / package
        folder.mkdir()
        (folder / "__init__.py").write_text("")
        for name, slug in modules.items():
            text = "VALUE = 1\n" if slug is None else PROVIDER_MODULE.format(slug=slug)
            (folder / f"{name}.py").write_text(text)
        packages.append(package)
        return importlib.import_module(package)

    yield write
    sys.path.remove(str(tmp_path))
    for name in [n for n in sys.modules if n.split(".")[0] in packages]:
        del sys.modules[name]


PROVIDER_MODULE = """\
from catalog_pipeline.providers.openai_compatible import OpenAICompatibleAPI
from catalog_pipeline.providers.spec import ProviderSpec

PROVIDER = ProviderSpec(
    slug="{slug}",
    name="X",
    base_url="https://x.example",
    list_path="/v1/models",
    docs_url="https://x.example/docs",
    parser=OpenAICompatibleAPI(),
    price_unit="none",
    price_source="none",
)
"""


def test_discovery_sorts_by_slug_and_checks_module_names(write_roster) -> None:
    ok = write_roster("roster_ok", {"b_host": "b-host", "a_host": "a-host"})
    assert [spec.slug for spec in discover(ok)] == ["a-host", "b-host"]
    wrong = write_roster("roster_wrong", {"some_host": "other-host"})
    with pytest.raises(ValueError, match=r"rename the module to other_host\.py"):
        discover(wrong)


def test_a_module_without_provider_is_refused(write_roster) -> None:
    package = write_roster("roster_empty", {"helper": None})
    with pytest.raises(TypeError, match="must define PROVIDER"):
        discover(package)


def _curated(model_id: str) -> CuratedPrice:
    return CuratedPrice(
        provider_model_id=model_id,
        prices=Prices(prompt=Decimal("0.000001")),
        source_url="https://example.com/pricing",
        checked_on=dt.date(2026, 1, 1),
        note="test",
    )


def _spec(**fields: object) -> ProviderSpec:
    return ProviderSpec(
        slug="x",
        name="X",
        base_url="https://x.example",
        list_path="/v1/models",
        docs_url="https://x.example/docs",
        parser=OpenAICompatibleAPI(),
        price_unit="USD per 1M tokens",
        **fields,
    )


def test_a_duplicate_curated_row_is_an_error() -> None:
    with pytest.raises(ValidationError, match=r"duplicate curated price for 'a/b'"):
        _spec(price_source="curated", curated_prices=(_curated("a/b"), _curated("a/b")))


def test_curated_rows_need_the_curated_price_source() -> None:
    with pytest.raises(ValidationError, match=r"need price_source='curated'"):
        _spec(curated_prices=(_curated("a/b"),))
    spec = _spec(price_source="curated", curated_prices=(_curated("a/b"),))
    assert spec.curated_price("a/b").price_source == (
        "curated:https://example.com/pricing (checked 2026-01-01)"
    )
    assert spec.curated_price("a/B") is None
