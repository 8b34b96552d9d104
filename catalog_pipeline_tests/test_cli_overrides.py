"""``catalog-pipeline override set|list|remove`` through the real command, with a real sync
and ``resolve`` answering the operator's price."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.test_cli import cli_env, run  # noqa: F401 - the fixture

pytestmark = pytest.mark.process

MODEL = "meta-llama/Llama-3.3-70B-Instruct-Turbo"


def sync(env: dict[str, str], cwd: Path) -> None:
    done = run(["sync", "--replay", str(RECORDINGS), "--providers", "together"], env, cwd)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def resolved(env: dict[str, str], cwd: Path) -> dict:
    done = run(["resolve", MODEL, "--provider", "together", "--json"], env, cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--prompt-per-1m", "-1"], "prompt-per-1m -1: price '-1' is negative"),
        (["--prompt-per-1m", "NaN"], "prompt-per-1m NaN: price 'NaN' is not finite"),
        (["--completion-per-1m", "5000"], "outside 0.0000000001..0.001"),
        (
            ["--per-image-usd", "2e9"],
            "per-image-usd 2e9: per_image: 2000000000 USD per unit is above 1000",
        ),
        ([], "an override sets at least one price"),
    ],
)
def test_set_refuses_bad_prices_in_one_line(
    cli_env: dict[str, str],  # noqa: F811
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    done = run(["override", "set", "together", MODEL, "--reason", "r", *args], cli_env, tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("catalog-pipeline override: ")
    assert message in done.stderr and done.stderr.count("\n") == 1, done.stderr
    listed = run(["override", "list", "--json"], cli_env, tmp_path)
    assert json.loads(listed.stdout) == []


def test_override_round_trip_through_the_command(
    cli_env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    watchlist = tmp_path / "together_watchlist.csv"
    watchlist.write_text(f"model_id,provider,note\n{MODEL},together,negotiated\n")
    cli_env = {**cli_env, "CATALOG_WATCHLIST": str(watchlist)}
    unknown = run(
        ["override", "set", "nosuch", MODEL, "--prompt-per-1m", "1", "--reason", "r"],
        cli_env,
        tmp_path,
    )
    assert unknown.returncode == 2 and "unknown provider 'nosuch'" in unknown.stderr

    done = run(
        [
            "override",
            "set",
            "together",
            MODEL,
            "--prompt-per-1m",
            "0.50",
            "--completion-per-1m",
            "0.60",
            "--reason",
            "negotiated",
            "--by",
            "alice",
        ],
        cli_env,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        "applies from the next sync of together (the daemon's sync_on_override_change sensor "
        "requests it; or run: catalog-pipeline sync --providers together)"
    )

    sync(cli_env, tmp_path)
    answer = resolved(cli_env, tmp_path)
    assert answer["status"] == "priced"
    assert (answer["pricing"]["prompt"], answer["pricing"]["completion"]) == (
        "0.0000005",
        "0.0000006",
    )
    assert answer["price_source"].startswith("override:negotiated by alice at ")

    export = tmp_path / "litellm.json"
    exported = run(["export", "--format", "litellm", "--output", str(export)], cli_env, tmp_path)
    assert exported.returncode == 0, exported.stderr
    cost_map = json.loads(export.read_text(), parse_float=Decimal)
    (entry,) = [v for k, v in cost_map.items() if k.endswith(MODEL)]
    assert entry["input_cost_per_token"] == Decimal("0.0000005")
    assert entry["source"].startswith("override:negotiated by alice")

    listed = json.loads(run(["override", "list", "--json"], cli_env, tmp_path).stdout)
    assert [(e["provider_model_id"], e["prices"], e["by"], e["state"]) for e in listed] == [
        (MODEL, {"prompt_per_1m": "0.5", "completion_per_1m": "0.6"}, "alice", "active")
    ]

    removed = run(["override", "remove", "together", MODEL, "--by", "carol"], cli_env, tmp_path)
    assert removed.returncode == 0, removed.stderr
    again = run(["override", "remove", "together", MODEL], cli_env, tmp_path)
    assert again.returncode == 1 and "no override" in again.stdout
    assert run(["override", "list"], cli_env, tmp_path).stdout == "no overrides\n"

    sync(cli_env, tmp_path)
    answer = resolved(cli_env, tmp_path)
    assert (answer["pricing"]["prompt"], answer["price_source"]) == ("0.00000088", "provider_api")
