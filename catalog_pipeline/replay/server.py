"""A loopback HTTP server that replays recorded provider responses, with injectable faults.

Layout of a recordings folder (one sub-folder per provider slug, mirroring URL paths)::

    recordings/anthropic/v1/models.json                          GET /anthropic/v1/models?limit=1000
    recordings/anthropic/v1/models@after_id=claude-x.json        ...&after_id=claude-x
    recordings/openrouter/api/v1/models.json

A file named ``<name>@k=v&k2=v2.json`` answers requests whose query contains those
parameters; the most specific match wins, and ``<name>.json`` answers any query. An
optional ``<file>.meta.json`` beside a recording sets ``{"status": 500, "headers": {...}}``.

Tests and benchmarks add faults per provider (``server.faults["groq"] = [...]``) and a
latency per request (``server.latency["groq"] = 0.5``); this is how outages, slow
providers and broken bodies reach the real client over real HTTP. The catalogue of fault
modes (status sequences, cut-off and re-encoded bodies, hostile payloads) is
:mod:`catalog_pipeline.replay.faults`.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

CHUNK = 256 * 1024


@dataclass
class CannedResponse:
    """One response to serve instead of the recording (a fault), consumed in order."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0
    close_connection: bool = False
    truncate_at: int | None = None
    """Announce the full Content-Length, send only this many body bytes, then hang up."""
    chunks: Callable[[], Iterable[bytes]] | None = None
    """Instead of ``body``: send what this yields with ``Transfer-Encoding: chunked``, one
    chunk every ``chunk_interval_seconds``, until it ends or the client hangs up (an endless
    or a trickling body)."""
    chunk_interval_seconds: float = 0.0


@dataclass
class RecordedRequest:
    provider: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    client_port: int = 0
    """The client's source port on loopback: which process sent it can be looked up."""


class ReplayServer:
    """Serve ``root`` on 127.0.0.1; use as a context manager or call start/stop."""

    def __init__(self, root: Path | str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root).resolve()
        self.faults: dict[str, list[CannedResponse]] = {}
        self.latency: dict[str, float] = {}
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server = _QuietServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def next_fault(self, provider: str) -> CannedResponse | None:
        with self._lock:
            queue = self.faults.get(provider)
            return queue.pop(0) if queue else None

    def find_recording(self, provider: str, path: str, query: dict[str, str]) -> Path | None:
        folder = (self.root / provider / path.strip("/")).parent
        name = Path(path.strip("/")).name
        if not folder.resolve().is_relative_to(self.root) or not folder.is_dir():
            return None
        best: tuple[int, Path] | None = None
        for candidate in folder.iterdir():
            stem = candidate.name.removesuffix(".json")
            if candidate.name.endswith(".meta.json") or stem == candidate.name:
                continue
            base, _, raw_query = stem.partition("@")
            if base != name:
                continue
            wanted = dict(parse_qsl(raw_query))
            if all(query.get(k) == v for k, v in wanted.items()):
                score = len(wanted)
                if best is None or score > best[0]:
                    best = (score, candidate)
        return best[1] if best else None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                provider, _, rest = parts.path.lstrip("/").partition("/")
                query = dict(parse_qsl(parts.query))
                with server._lock:
                    server.requests.append(
                        RecordedRequest(
                            provider,
                            "/" + rest,
                            query,
                            dict(self.headers.items()),
                            self.client_address[1],
                        )
                    )
                delay = server.latency.get(provider, 0.0)
                fault = server.next_fault(provider)
                if fault is not None:
                    time.sleep(delay + fault.delay_seconds)
                    if fault.close_connection:
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    if fault.truncate_at is not None:
                        self._send_truncated(fault)
                        return
                    if fault.chunks is not None:
                        self._send_chunked(fault)
                        return
                    self._send(fault.status, fault.body, fault.headers)
                    return
                if delay:
                    time.sleep(delay)
                recording = server.find_recording(provider, rest, query)
                if recording is None:
                    message = {"error": {"message": f"no recording for {provider}/{rest}"}}
                    self._send(404, json.dumps(message).encode(), {})
                    return
                meta_file = recording.with_name(recording.name[: -len(".json")] + ".meta.json")
                meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
                self._send_file(recording, meta.get("status", 200), meta.get("headers", {}))

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                headers = dict(headers)
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def _send_truncated(self, fault: CannedResponse) -> None:
                headers = dict(fault.headers)
                self.send_response(fault.status)
                self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(fault.body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(fault.body[: fault.truncate_at])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)

            def _send_chunked(self, fault: CannedResponse) -> None:
                headers = dict(fault.headers)
                self.send_response(fault.status)
                self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                self.send_header("Transfer-Encoding", "chunked")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                assert fault.chunks is not None
                try:
                    for chunk in fault.chunks():
                        if chunk:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                            self.wfile.flush()
                        time.sleep(fault.chunk_interval_seconds)
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    pass  # the client gave up: what an endless body is for
                self.close_connection = True

            def _send_file(self, path: Path, status: int, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(path.stat().st_size))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                with path.open("rb") as handle:
                    while chunk := handle.read(CHUNK):
                        self.wfile.write(chunk)

        return Handler


class _QuietServer(ThreadingHTTPServer):
    """A client that gave up (read timeout) leaves a broken pipe behind: not worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


@contextmanager
def replay(root: Path | str) -> Iterator[ReplayServer]:
    with ReplayServer(root) as server:
        yield server
