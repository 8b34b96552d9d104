"""The command-line contract (README "Command line"), run as a user runs it: real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from catalog_pipeline.domain.rows import Prices, PriceTier, ProviderModel
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.providers.registry import PROVIDERS, get_provider
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.conftest import RECORDINGS, REPO

CLI = [sys.executable, "-m", "catalog_pipeline.cli"]

pytestmark = pytest.mark.process


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        CLI + args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def cli_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    watchlist = tmp_path / "watchlist.csv"
    watchlist.write_text("model_id,provider,note\nclaude-sonnet-4-5-20250929,,core five\n")
    env.update(
        CATALOG_WATCHLIST=str(watchlist),
        CATALOG_DATABASE_URL=database_url,
        DAGSTER_HOME=str(tmp_path / "dagster_home"),
        CATALOG_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO),
    )
    return env


def test_sync_json_contract_and_resolve(cli_env: dict[str, str], tmp_path: Path) -> None:
    providers = "openrouter,openai,anthropic,together,groq"
    sync = run(
        ["sync", "--replay", str(RECORDINGS), "--providers", providers, "--json"], cli_env, tmp_path
    )
    assert sync.returncode == 0, sync.stderr[-3000:]
    report = json.loads(sync.stdout)
    assert set(report) == {"providers", "checks", "models_table_rows", "catalog_error"}
    assert report["providers"]["anthropic"] == {"status": "ok", "models": 4, "error": None}
    assert {p["status"] for p in report["providers"].values()} == {"ok"}
    assert report["models_table_rows"] == 30
    assert report["catalog_error"] is None
    check = report["checks"][0]
    assert set(check) == {"asset", "check", "partition", "passed", "severity", "summary"}
    assert {c["check"] for c in report["checks"]} >= {"count_not_dropped", "prices_sane"}
    # per-provider checks carry their own partition; the catalog's checks have none
    partitions = {(c["asset"], c["partition"]) for c in report["checks"]}
    assert {p for a, p in partitions if a != "catalog"} == set(providers.split(","))
    assert {p for a, p in partitions if a == "catalog"} == {None}
    together = next(
        c
        for c in report["checks"]
        if (c["check"], c["partition"]) == ("count_not_dropped", "together")
    )
    assert together["summary"] == "together: 7 models; no earlier good sync to compare with"

    resolved = run(["resolve", "anthropic/claude-sonnet-4.5", "--json"], cli_env, tmp_path)
    assert resolved.returncode == 0, resolved.stderr
    answer = json.loads(resolved.stdout)
    assert answer["found"] is True and answer["status"] == "priced"
    # ``anthropic/`` names Anthropic; its undated 4.5 id points to the dated snapshot.
    assert answer["provider"] == "anthropic"
    assert answer["canonical_id"] == "anthropic/claude-sonnet-4.5-20250929"
    assert answer["match"] == "moving_alias"
    assert answer["pricing"]["prompt"] == "0.000003"
    assert answer["pricing"]["completion"] == "0.000015"
    assert answer["context_length"] == 1_000_000

    dated = json.loads(
        run(["resolve", "claude-sonnet-4-5-20250929", "--json"], cli_env, tmp_path).stdout
    )
    assert dated["canonical_id"] == "anthropic/claude-sonnet-4.5-20250929"
    assert dated["provider_model_id"] == "claude-sonnet-4-5-20250929"

    missing = run(["resolve", "anthropic/claude-sonnet-4.9", "--json"], cli_env, tmp_path)
    assert missing.returncode == 1
    not_found = json.loads(missing.stdout)
    assert not_found["found"] is False and not_found["status"] == "not_found"
    assert "anthropic/claude-sonnet-4.5-20250929" in not_found["candidates"]
    assert not_found["pricing"] is None


def test_resolve_statuses_and_exit_codes(cli_env: dict[str, str], tmp_path: Path) -> None:
    """Exit 0 priced, 1 not found, 3 found but unpriced, 4 ambiguous; a named provider binds."""
    store = CatalogStore(database_url=cli_env["CATALOG_DATABASE_URL"])
    store.register_providers(provider_rows(PROVIDERS))
    listed = {
        "together": [served("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.00000088")],
        "deepinfra": [served("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.0000001")],
        "openrouter": [
            served("openai/gpt-4o", "0.0000025"),
            served("openai/gpt-4o-2024-05-13", "0.000005"),
            served("mistralai/mistral-large", "0.000002"),
            served("mistralai/mistral-large-2512", "0.0000005"),
        ],
        "openai": [served("gpt-4o", "0.0000025"), served("gpt-4o-2024-05-13", None)],
        "moonshot": [served("kimi-k2", "0.0000006")],
    }
    for slug, rows in listed.items():
        store.apply_offers(slug, normalize_rows(get_provider(slug), rows), None)

    def resolve(*args: str) -> tuple[int, dict]:
        done = run(["resolve", *args, "--json"], cli_env, tmp_path)
        assert done.returncode in (0, 1, 3, 4), done.stderr[-2000:]
        return done.returncode, json.loads(done.stdout)

    code, answer = resolve("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert (code, answer["status"], answer["provider"]) == (0, "priced", "together")
    assert answer["pricing"]["prompt"] == "0.00000088"
    code, answer = resolve("gpt-4o-2024-05-13", "--provider", "openrouter")
    assert (code, answer["provider_model_id"]) == (0, "openai/gpt-4o-2024-05-13")
    assert answer["pricing"]["prompt"] == "0.000005"
    code, answer = resolve("gpt-4o-2024-05-13")
    assert (code, answer["status"], answer["provider"]) == (3, "unpriced", "openai")
    assert [a["provider"] for a in answer["alternatives"]] == ["openrouter"]
    code, answer = resolve("meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert (code, answer["status"], answer["pricing"]) == (4, "ambiguous", None)
    assert {a["pricing"]["prompt"] for a in answer["alternatives"]} == {"0.00000088", "0.0000001"}
    code, answer = resolve("nebius/meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert (code, answer["status"], answer["provider"]) == (1, "not_found", "nebius")
    code, answer = resolve(
        "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "--provider",
        "nebius",
        "--fallback",
        "any_provider",
    )
    assert (code, answer["match"], answer["provider"]) == (0, "fallback_any_provider", "together")
    code, answer = resolve("mistral-large-latest")
    assert (code, answer["match"], answer["pricing"]["prompt"]) == (0, "moving_alias", "0.0000005")

    code, answer = resolve("llama-3.3-70b")
    assert (code, answer["candidates"][0]) == (1, "meta/llama-3.3-70b-instruct-turbo")
    assert resolve("KIMI-K2")[1]["provider_model_id"] == "kimi-k2"
    code, answer = resolve("\u212aimi-k2")  # KELVIN SIGN: str.lower() would make it "kimi-k2"
    assert (code, answer["status"], answer["provider_model_id"]) == (1, "not_found", None)

    text = run(["resolve", "gpt-4o-2024-05-13"], cli_env, tmp_path)
    assert text.returncode == 3 and "unpriced" in text.stdout
    assert "alternative (other_provider): openrouter openai/gpt-4o-2024-05-13" in text.stdout


def served(model_id: str, prompt: str | None) -> ProviderModel:
    return ProviderModel(
        provider_model_id=model_id,
        prices=Prices(prompt=Decimal(prompt) if prompt else None),
    )


def test_sync_reports_not_configured_and_failed_and_exits_1(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    sync = run(["sync", "--providers", "openai,groq", "--json"], cli_env, tmp_path)
    assert sync.returncode == 1
    report = json.loads(sync.stdout)
    openai = report["providers"]["openai"]
    assert openai["status"] == "not_configured" and "OPENAI_API_KEY" in openai["error"]

    empty = tmp_path / "empty-recordings"
    empty.mkdir()
    replay = run(
        ["sync", "--replay", str(empty), "--providers", "groq", "--json"], cli_env, tmp_path
    )
    assert replay.returncode == 1
    groq = json.loads(replay.stdout)["providers"]["groq"]
    assert groq["status"] == "failed" and "HTTP 404" in groq["error"] and groq["models"] == 0


def test_unknown_provider_is_a_usage_error(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run(["sync", "--providers", "nope"], cli_env, tmp_path)
    assert result.returncode == 2
    assert "unknown provider 'nope'" in result.stderr


def test_dagster_definitions_validate(tmp_path: Path) -> None:
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path))
    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def per_m(text: str) -> Decimal:
    return Decimal(text) / 1_000_000


def test_cost_bills_a_request_line_by_line_and_refuses_to_guess(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """``cost``: tokens, cache, long-context tier, audio and per-unit prices; exit 0 billed,
    1 not found, 3 a quantity without a known price (named, never billed as 0), 4 ambiguous."""
    store = CatalogStore(database_url=cli_env["CATALOG_DATABASE_URL"])
    store.register_providers(provider_rows(PROVIDERS))
    gemini = Prices(
        prompt=per_m("1.25"),
        completion=per_m("10"),
        cache_read=per_m("0.31"),
        tiers=(
            PriceTier(
                above_prompt_tokens=200_000,
                prompt=per_m("2.5"),
                completion=per_m("15"),
                cache_read=per_m("0.625"),
            ),
        ),
    )
    listed = {
        "google": [ProviderModel(provider_model_id="gemini-2.5-pro", prices=gemini)],
        "openrouter": [
            ProviderModel(
                provider_model_id="openai/gpt-audio",
                prices=Prices(prompt=per_m("2.5"), completion=per_m("10"), audio_input=per_m("32")),
            ),
            ProviderModel(
                provider_model_id="google/gemini-2.5-flash-image",
                prices=Prices(prompt=per_m("0.3"), per_image=Decimal("0.039")),
            ),
        ],
        "together": [served("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.00000088")],
        "deepinfra": [served("meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.0000001")],
    }
    for slug, rows in listed.items():
        store.apply_offers(slug, normalize_rows(get_provider(slug), rows), None)

    def cost(*args: str) -> tuple[int, dict]:
        done = run(["cost", *args, "--json"], cli_env, tmp_path)
        assert done.returncode in (0, 1, 3, 4), done.stderr[-2000:]
        return done.returncode, json.loads(done.stdout)

    def lines(answer: dict) -> list[tuple[str, str, str, str]]:
        return [(x["item"], x["quantity"], x["unit_price"], x["usd"]) for x in answer["lines"]]

    code, short = cost("gemini-2.5-pro", "--input-tokens", "150000", "--cache-read-tokens", "50000",
                       "--output-tokens", "1000")  # fmt: skip
    assert (code, short["found"], short["provider"], short["tier"]) == (0, True, "google", None)
    assert short["provider_model_id"] == "gemini-2.5-pro"
    assert lines(short) == [
        ("input_tokens", "150000", "0.00000125", "0.1875"),
        ("cache_read_tokens", "50000", "0.00000031", "0.0155"),
        ("output_tokens", "1000", "0.00001", "0.01"),
    ]
    assert short["total_usd"] == "0.213"
    # one more cached token puts the whole prompt over 200k: every line at the tier price
    code, long = cost("gemini-2.5-pro", "--input-tokens", "150000", "--cache-read-tokens", "50001",
                      "--output-tokens", "1000")  # fmt: skip
    assert (code, long["tier"]) == (0, {"above_prompt_tokens": 200_000})
    assert lines(long) == [
        ("input_tokens", "150000", "0.0000025", "0.375"),
        ("cache_read_tokens", "50001", "0.000000625", "0.031250625"),
        ("output_tokens", "1000", "0.000015", "0.015"),
    ]
    assert long["total_usd"] == "0.421250625"

    code, audio = cost("openai/gpt-audio", "--provider", "openrouter", "--input-tokens", "100",
                       "--audio-input-tokens", "10000", "--output-tokens", "50")  # fmt: skip
    assert (code, audio["provider"], audio["total_usd"]) == (0, "openrouter", "0.32075")
    assert lines(audio)[1] == ("audio_input_tokens", "10000", "0.000032", "0.32")

    code, image = cost("google/gemini-2.5-flash-image", "--input-tokens", "1000", "--images", "2")
    assert (code, image["total_usd"]) == (0, "0.0783")
    assert lines(image)[1] == ("images", "2", "0.039", "0.078")

    # audio output has no known price: exit 3, named, no total, never billed as 0
    code, unknown = cost("openrouter/openai/gpt-audio", "--input-tokens", "100",
                         "--audio-output-tokens", "5")  # fmt: skip
    assert (code, unknown["status"], unknown["total_usd"]) == (3, "unknown_price", None)
    assert unknown["unknown"] == ["audio_output_tokens (no known audio_output price)"]
    assert [x["item"] for x in unknown["lines"]] == ["input_tokens"]
    code, tier_gap = cost("gemini-2.5-pro", "--input-tokens", "250000", "--cache-write-tokens", "9")
    assert (code, tier_gap["tier"]) == (3, {"above_prompt_tokens": 200_000})
    assert "cache_write_tokens" in tier_gap["unknown"][0] and "above 200000" in tier_gap["reason"]

    code, missing = cost("gemini-9-pro", "--input-tokens", "1")
    assert (code, missing["found"], missing["total_usd"], missing["lines"]) == (1, False, None, [])
    code, ambiguous = cost("meta-llama/Llama-3.3-70B-Instruct-Turbo", "--input-tokens", "1")
    assert (code, ambiguous["status"], ambiguous["total_usd"]) == (4, "ambiguous", None)
    code, bound = cost("meta-llama/Llama-3.3-70B-Instruct-Turbo", "--provider", "deepinfra",
                       "--input-tokens", "1000000")  # fmt: skip
    assert (code, bound["provider"], bound["total_usd"]) == (0, "deepinfra", "0.1")

    text = run(["cost", "gemini-2.5-pro", "--input-tokens", "300000"], cli_env, tmp_path)
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[0] == "gemini-2.5-pro: billed, total 0.75 USD"
    assert "input_tokens: 300000 x 0.0000025 (prompt above 200000 prompt tokens)" in text.stdout
    negative = run(["cost", "gemini-2.5-pro", "--input-tokens", "-1"], cli_env, tmp_path)
    assert negative.returncode == 2 and "--input-tokens" in negative.stderr
    assert negative.stderr.count("\n") == 1, "one line, no traceback"


def test_a_reader_that_stops_early_gets_no_traceback(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """``catalog-pipeline resolve gpt-4o | head -0``: the pipe is closed before the answer
    is written, which is a reader's choice, not a crash: exit 141 as a shell would say for
    SIGPIPE, and nothing on stderr."""
    process = subprocess.Popen(
        [*CLI, "resolve", "gpt-4o"],
        env=cli_env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert (process.wait(timeout=300), stderr) == (141, "")
