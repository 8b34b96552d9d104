"""One SQLAlchemy engine per database URL, with the settings each backend needs.

Also where a database problem a user can cause becomes one line that says what is wrong
and what to do (:func:`explain`): a missing PostgreSQL database is created when the
connecting role may create databases, as the production stack does for its own.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.sql.dml import Insert

from catalog_pipeline.settings import DATABASE_URL_ENV

SQLITE_BUSY_TIMEOUT_MS = 60_000
POSTGRES_TIMEOUTS = {
    "connect_timeout": "10",
    "statement_timeout": "300s",
    "lock_timeout": "60s",
    "idle_in_transaction_session_timeout": "120s",
}
"""Every PostgreSQL catalog connection's limits; a database URL overrides any of them with
a query parameter of the same name (``...?lock_timeout=5s``; ``0`` turns one off).

A server that stops answering fails the connect after ``connect_timeout`` seconds; a
statement stuck longer than ``statement_timeout`` (the longest real one, a backup copy of
the models table, takes seconds) is cancelled; a wait for a lock held elsewhere ends after
``lock_timeout``; and a session that went quiet inside a transaction (a frozen process
holding a provider's row lock, or the catalog-version row) is ended by the server after
``idle_in_transaction_session_timeout``, which releases its locks for everyone else.
"""
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
URL_EXAMPLES = "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE or sqlite:///PATH"
_MISSING_DATABASE = re.compile(r'database "(?P<name>[^"]+)" does not exist')
_NO_ROLE = re.compile(r'role "[^"]+" does not exist')
log = logging.getLogger(__name__)


class DatabaseProblem(SQLAlchemyError):
    """A catalog database problem a user can fix; ``str()`` is the one line to show.

    A subclass of ``SQLAlchemyError`` so that code which survives database outages (the
    gateway ``Catalog``) treats it like any other database error.
    """


def parse_database_url(url: str) -> URL:
    """The URL, or a :class:`DatabaseProblem` naming what is wrong (never echoing the URL,
    which may hold a password)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseProblem(
            f"{DATABASE_URL_ENV} is not a database URL; expected {URL_EXAMPLES}"
        ) from None
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise DatabaseProblem(
            f"{DATABASE_URL_ENV} names a {parsed.get_backend_name()!r} database; the catalog "
            f"lives in PostgreSQL or SQLite: {URL_EXAMPLES}"
        )
    return parsed


@functools.cache
def engine_for(url: str) -> Engine:
    """A shared engine. SQLite gets WAL, foreign keys and ``BEGIN IMMEDIATE`` transactions.

    ``BEGIN IMMEDIATE`` takes the write lock at the start of each transaction, so
    concurrent writers queue on ``busy_timeout`` instead of failing on lock upgrade.
    """
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    parsed, connect_args = _postgres_timeouts(parsed)
    try:
        engine = create_engine(
            parsed, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args
        )
    except NoSuchModuleError:
        raise DatabaseProblem(
            f"{DATABASE_URL_ENV} asks for the driver {parsed.drivername!r}, which is not "
            f"installed; use postgresql+psycopg://..."
        ) from None
    except ImportError as error:
        raise DatabaseProblem(
            f"{DATABASE_URL_ENV} asks for the driver {parsed.drivername!r}, which is not "
            f"installed ({error}); use postgresql+psycopg://..."
        ) from None
    event.listen(engine, "do_connect", _connect_creating_database)
    return engine


def _postgres_timeouts(parsed: URL) -> tuple[URL, dict[str, Any]]:
    """The URL without our timeout parameters, and the connect arguments that set them."""
    query = dict(parsed.query)
    timeouts = {name: str(query.pop(name, default)) for name, default in POSTGRES_TIMEOUTS.items()}
    options = " ".join(
        f"-c {name}={value}" for name, value in timeouts.items() if name != "connect_timeout"
    )
    if "options" in query:
        options = f"{options} {query.pop('options')}"
    args = {"connect_timeout": int(timeouts["connect_timeout"]), "options": options}
    return parsed.set(query=query), args


def _connect_creating_database(
    dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]
) -> Any:
    """Connect; when the database does not exist, create it if the role may, then connect.

    Several processes may find it missing at once: whichever ``CREATE DATABASE`` loses
    fails, and its connect then finds the database the winner made.
    """
    try:
        return dialect.connect(*cargs, **cparams)
    except dialect.loaded_dbapi.OperationalError as error:
        missing = _MISSING_DATABASE.search(str(error))
        if missing is None:
            raise
        name = missing.group("name")
        refusal = _create_database(dialect, cparams, name)
    try:
        return dialect.connect(*cargs, **cparams)
    except dialect.loaded_dbapi.OperationalError as error:
        if _MISSING_DATABASE.search(str(error)) is None:
            raise
        where = f"{cparams.get('host') or 'localhost'}:{cparams.get('port') or 5432}"
        raise DatabaseProblem(
            f"PostgreSQL database {name!r} does not exist on {where} and user "
            f"{cparams.get('user')!r} may not create it ({refusal}); create it "
            f'(CREATE DATABASE "{name}") or point {DATABASE_URL_ENV} at an existing one'
        ) from None


def _create_database(dialect: Any, cparams: dict[str, Any], name: str) -> str:
    """Try ``CREATE DATABASE`` from a maintenance database; return why not, or ``""``."""
    from psycopg import sql

    refusal = "no maintenance database to connect to"
    for maintenance in ("postgres", "template1"):
        try:
            conn = dialect.loaded_dbapi.connect(
                **{**cparams, "dbname": maintenance, "autocommit": True}
            )
        except dialect.loaded_dbapi.Error as error:
            refusal = _first_line(error)
            continue
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log.warning("created PostgreSQL database %r for the catalog", name)
            return ""
        except dialect.loaded_dbapi.Error as error:
            return _first_line(error)
        finally:
            conn.close()
    return refusal


def explain(error: BaseException, url: str | None = None) -> str | None:
    """One line for a database error a user can fix: what is wrong and what to do.

    ``None`` for anything else (a bug), which the caller lets through with its traceback.
    """
    if isinstance(error, DatabaseProblem):
        return str(error)
    if not isinstance(error, OperationalError):
        return None
    orig = error.orig if error.orig is not None else error
    reason = _first_line(orig)
    where = safe_url(url) if url else "the catalog database"
    if "unable to open database file" in reason:
        return (
            f"cannot open the SQLite catalog at {where}: {reason}; make sure its folder "
            f"exists and is writable, or set {DATABASE_URL_ENV}"
        )
    if getattr(orig, "sqlstate", "server error") is not None:
        return None  # psycopg gives no SQLSTATE only when the connection itself failed
    if "password authentication failed" in reason or _NO_ROLE.search(reason):
        return (
            f"the catalog database at {where} refused the login: {reason}; fix the user "
            f"or password in {DATABASE_URL_ENV}"
        )
    return (
        f"cannot reach the catalog database at {where}: {reason}; start the database "
        f"server or fix the host and port in {DATABASE_URL_ENV}"
    )


def _first_line(error: BaseException) -> str:
    """The first line of a driver error, without psycopg's "connection failed" preamble."""
    text = str(error).strip().removeprefix("connection failed: ")
    text = re.sub(r'^connection to server at "[^"]*", port \d+ failed: ', "", text)
    text = text.removeprefix("FATAL:").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def safe_url(url: str) -> str:
    """The URL with any password hidden, for logs and metadata."""
    return make_url(url).render_as_string(hide_password=True)


def insert_for(conn: Connection) -> Callable[..., Insert]:
    """The dialect's INSERT, which has ``on_conflict_do_nothing``/``on_conflict_do_update``.

    Both backends spell the upsert the same way in SQLAlchemy, through their own
    ``insert``; this picks it, so callers can write race-safe inserts once.
    """
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
