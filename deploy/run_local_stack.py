"""Start the production Dagster stack on one machine, against the local PostgreSQL.

Three processes, as in a real deployment:

- the code server (``dagster code-server start -m catalog_pipeline.definitions``): loads
  the code location and launches each run as a subprocess;
- ``dagster-webserver`` (the UI and the GraphQL API) over ``deploy/workspace.yaml``;
- ``dagster-daemon run``: the run queue, schedules, sensors, backfills, run monitoring and
  retries configured in ``deploy/dagster.yaml``.

Before starting them it installs ``deploy/dagster.yaml`` into ``$DAGSTER_HOME``, fills in
the PostgreSQL variables that are unset (``DAGSTER_PG_HOST=127.0.0.1``,
``DAGSTER_PG_PORT=5432``, ``DAGSTER_PG_USER=postgres``, ``DAGSTER_PG_PASSWORD=``,
``DAGSTER_PG_DB=dagster``), points ``CATALOG_DATABASE_URL`` (when unset) at a ``catalog``
database on the same server, and creates both databases if they do not exist.

``--replay DIR`` runs the stack offline: a loopback replay server serves the recordings in
``DIR``, ``CATALOG_PROVIDER_BASE_URL`` points every provider at it, and each provider that
needs a key gets the placeholder ``replay`` (the replay server ignores keys; real keys never
leave the machine).

Ctrl-C (or SIGTERM) stops all three. If one of them exits, the others are stopped too and
the exit status is 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, suppress
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
BIN = Path(sys.executable).parent
LOCATION = "catalog_pipeline"
PG_DEFAULTS = {
    "DAGSTER_PG_HOST": "127.0.0.1",
    "DAGSTER_PG_PORT": "5432",
    "DAGSTER_PG_USER": "postgres",
    "DAGSTER_PG_PASSWORD": "",
    "DAGSTER_PG_DB": "dagster",
}
CATALOG_DB = "catalog"
REPLAY_KEY = "replay"


def log(message: str) -> None:
    print(f"[run_local_stack] {message}", flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dagster-home",
        default=os.environ.get("DAGSTER_HOME") or str(REPO / "data" / "dagster_prod_home"),
        help="instance folder (default $DAGSTER_HOME, else ./data/dagster_prod_home)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="UI host (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=3000, help="UI port (default 3000)")
    parser.add_argument(
        "--code-server-port", type=int, default=4266, help="gRPC port of the code location"
    )
    parser.add_argument(
        "--replay", metavar="DIR", help="serve provider responses from recordings in DIR"
    )
    parser.add_argument(
        "--no-create-db",
        action="store_true",
        help="do not create the Dagster database or the default catalog database when "
        "missing (a database named by CATALOG_DATABASE_URL is created when its role may)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="DEBUG logs from the daemon, the webserver and the code server (default INFO); "
        "runs log at the instance's python_logs.python_log_level (INFO in deploy/dagster.yaml)",
    )
    parser.add_argument(
        "--stop-timeout",
        type=float,
        default=20.0,
        help="seconds to wait for a graceful stop before killing (default 20)",
    )
    return parser.parse_args(argv)


def pg_settings() -> dict[str, str]:
    for name, default in PG_DEFAULTS.items():
        os.environ.setdefault(name, default)
    return {name: os.environ[name] for name in PG_DEFAULTS}


def ensure_database(pg: dict[str, str], name: str, create: bool) -> None:
    """Connect to database ``name``; create it when it is missing and ``create`` is set."""
    import psycopg
    from psycopg import sql

    params = {
        "host": pg["DAGSTER_PG_HOST"],
        "port": pg["DAGSTER_PG_PORT"],
        "user": pg["DAGSTER_PG_USER"],
        "password": pg["DAGSTER_PG_PASSWORD"] or None,
        "connect_timeout": 10,
    }
    try:
        psycopg.connect(dbname=name, **params).close()
        return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error) or not create:
            reason = " ".join(str(error).split())
            raise SystemExit(f"PostgreSQL database {name!r} is not usable: {reason}") from None
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    log(f"created PostgreSQL database {name!r}")


def catalog_database_url(pg: dict[str, str]) -> str:
    from sqlalchemy.engine import URL

    url = URL.create(
        "postgresql+psycopg",
        username=pg["DAGSTER_PG_USER"],
        password=pg["DAGSTER_PG_PASSWORD"] or None,
        host=pg["DAGSTER_PG_HOST"],
        port=int(pg["DAGSTER_PG_PORT"]),
        database=CATALOG_DB,
    )
    return url.render_as_string(hide_password=False)


def check_catalog_database() -> None:
    """Open the catalog database as the runs will, and migrate it: a missing PostgreSQL
    database named by ``CATALOG_DATABASE_URL`` is created when its role may, and a bad URL
    or an unreachable server stops the stack with one line instead of failing every run."""
    from catalog_pipeline.store.catalog_store import CatalogStore
    from catalog_pipeline.store.engine import explain

    store = CatalogStore()
    try:
        store.engine()
    except Exception as error:
        message = explain(error, store.url)
        if message is None:
            raise
        raise SystemExit(message) from None
    log(f"catalog database: {store.display_url}")


def install_instance_config(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    source, target = DEPLOY / "dagster.yaml", home / "dagster.yaml"
    if not target.exists():
        shutil.copyfile(source, target)
        log(f"installed {source.relative_to(REPO)} as {target}")
    elif target.read_bytes() != source.read_bytes():
        log(f"keeping your edited {target} (it differs from deploy/dagster.yaml)")
    storage = (yaml.safe_load(target.read_text()) or {}).get("storage") or {}
    if "postgres" not in storage:
        raise SystemExit(
            f"{target} does not use PostgreSQL storage (a `dagster dev` instance?); "
            "pass --dagster-home with a new folder"
        )


def start_replay(stack: ExitStack, folder: str) -> None:
    from catalog_pipeline.providers.client import BASE_URL_ENV
    from catalog_pipeline.providers.registry import PROVIDERS
    from catalog_pipeline.replay.server import ReplayServer

    server = stack.enter_context(ReplayServer(Path(folder)))
    os.environ[BASE_URL_ENV] = server.url
    for spec in PROVIDERS:
        if spec.key_required:
            os.environ[spec.key_env_names[0]] = REPLAY_KEY
    log(f"replay server on {server.url} serving {Path(folder).resolve()}")


def wait_for(what: str, ready, process: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with status {process.returncode} while starting")
        if ready():
            return
        time.sleep(0.5)
    raise SystemExit(f"{what} not ready after {timeout:.0f} s")


def code_server_ready(host: str, port: int) -> bool:
    command = [str(BIN / "dagster"), "api", "grpc-health-check", "-h", host, "-p", str(port)]
    return subprocess.run(command, capture_output=True, cwd=REPO).returncode == 0


def webserver_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/server_info", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class Stopping(Exception):
    pass


def _raise_stopping(signum: int, frame: object) -> None:
    raise Stopping(signal.Signals(signum).name)


def descendants(pids: list[int]) -> list[int]:
    """Every live descendant of ``pids`` (Linux ``/proc``), e.g. the code server's runs."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    queue = list(pids)
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def shutdown_code_server(port: int) -> None:
    """Ask the code server to stop over gRPC (it does not exit on SIGTERM/SIGINT alone)."""
    from dagster._grpc.client import DagsterGrpcClient

    try:
        DagsterGrpcClient(port=port, host="127.0.0.1").shutdown_server(timeout=5)
    except Exception as error:
        log(f"code server did not accept the shutdown request: {error}")


def stop(processes: dict[str, subprocess.Popen], code_server_port: int, timeout: float) -> None:
    """Stop the daemon and webserver (SIGTERM), then the code server (gRPC shutdown); after
    ``timeout`` seconds SIGKILL whatever is left, including descendants such as runs."""
    spawned = descendants([p.pid for p in processes.values()])
    for name, process in reversed(processes.items()):
        if process.poll() is None:
            log(f"stopping {name} (pid {process.pid})")
            if name == "code server":
                shutdown_code_server(code_server_port)
            process.terminate()
    deadline = time.monotonic() + timeout
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop within {timeout:.0f} s; killing it")
            spawned += descendants([process.pid])
            process.kill()
            process.wait()
    for pid in dict.fromkeys(spawned):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(format="[run_local_stack] %(message)s")  # e.g. a database created
    home = Path(args.dagster_home).resolve()
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ["CATALOG_CODE_SERVER_HOST"] = "127.0.0.1"
    os.environ["CATALOG_CODE_SERVER_PORT"] = str(args.code_server_port)
    ui_url = f"http://{args.host}:{args.port}"
    os.environ.setdefault("CATALOG_UI_BASE_URL", ui_url)

    pg = pg_settings()
    try:
        ensure_database(pg, pg["DAGSTER_PG_DB"], create=not args.no_create_db)
        if not os.environ.get("CATALOG_DATABASE_URL"):
            ensure_database(pg, CATALOG_DB, create=not args.no_create_db)
            os.environ["CATALOG_DATABASE_URL"] = catalog_database_url(pg)
        check_catalog_database()
        install_instance_config(home)
    except SystemExit as error:
        log(str(error.code))
        return 2
    log(f"DAGSTER_HOME={home}")
    log(
        f"Dagster storage: postgresql://{pg['DAGSTER_PG_USER']}@{pg['DAGSTER_PG_HOST']}:"
        f"{pg['DAGSTER_PG_PORT']}/{pg['DAGSTER_PG_DB']}"
    )

    # Ctrl-C works even when started from a shell that ignores SIGINT in background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_stopping)
    signal.signal(signal.SIGHUP, _raise_stopping)
    processes: dict[str, subprocess.Popen] = {}
    level = "debug" if args.verbose else "info"
    status = 0
    with ExitStack() as stack:
        try:
            if args.replay:
                start_replay(stack, args.replay)
            workspace = str(DEPLOY / "workspace.yaml")
            processes["code server"] = subprocess.Popen(
                [
                    str(BIN / "dagster"),
                    "code-server",
                    "start",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(args.code_server_port),
                    "-m",
                    "catalog_pipeline.definitions",
                    "--location-name",
                    LOCATION,
                    "--log-level",
                    level,
                ],
                cwd=REPO,
            )
            wait_for(
                "code server",
                lambda: code_server_ready("127.0.0.1", args.code_server_port),
                processes["code server"],
            )
            log(f"code server ready on 127.0.0.1:{args.code_server_port}")
            processes["webserver"] = subprocess.Popen(
                [
                    str(BIN / "dagster-webserver"),
                    "-h",
                    args.host,
                    "-p",
                    str(args.port),
                    "-w",
                    workspace,
                    "--dagster-log-level",
                    level,
                ],
                cwd=REPO,
            )
            processes["daemon"] = subprocess.Popen(
                [str(BIN / "dagster-daemon"), "run", "-w", workspace, "--log-level", level],
                cwd=REPO,
            )
            wait_for("webserver", lambda: webserver_ready(ui_url), processes["webserver"])
            log(f"Dagster UI on {ui_url} (Ctrl-C stops the stack)")
            while True:
                for name, process in processes.items():
                    if process.poll() is not None:
                        log(f"{name} exited with status {process.returncode}")
                        status = 1
                        raise Stopping(name)
                time.sleep(1)
        except (KeyboardInterrupt, Stopping):
            pass
        except SystemExit as error:
            log(str(error.code))
            status = 1
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            stop(processes, args.code_server_port, args.stop_timeout)
    log("stopped")
    return status


if __name__ == "__main__":
    sys.exit(main())
